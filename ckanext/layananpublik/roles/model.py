"""Who holds a PPID role in which public body (table layananpublik_officer)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import sqlalchemy as sa

ROLES = ("officer", "superior", "complaints")  # complaints: handles pengaduan, sees confidential identities


class BodyRole(tk.BaseModel):  # type: ignore[misc]
    __tablename__ = "layananpublik_officer"

    organization_id = sa.Column(sa.UnicodeText, sa.ForeignKey("group.id"), primary_key=True)
    user_id = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id"), primary_key=True)
    role = sa.Column(sa.UnicodeText, primary_key=True)
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    created_by = sa.Column(sa.UnicodeText)
