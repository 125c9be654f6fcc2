"""Tables of the DIP part: DIP items that are not datasets, and the DIK (exempt
information) with the record of each consequence test (PP 61/2010).

Created only by migration e1a2b3c4d5f6; models never commit: the action that changes data
commits once.
"""

from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class DipItem(tk.BaseModel):  # type: ignore[misc]
    """A row of a body's DIP for information that is not a dataset (a document, a page)."""

    __tablename__ = "layananpublik_dip_item"

    id = sa.Column(sa.UnicodeText, primary_key=True)
    organization_id = sa.Column(sa.UnicodeText, sa.ForeignKey("group.id"), nullable=False)
    category = sa.Column(sa.UnicodeText, nullable=False)
    berkala_items = sa.Column(ARRAY(sa.UnicodeText), nullable=False, default=list)
    title = sa.Column(sa.UnicodeText, nullable=False)
    summary = sa.Column(sa.UnicodeText)
    url = sa.Column(sa.UnicodeText)
    holding_unit = sa.Column(sa.UnicodeText)
    responsible_officer = sa.Column(sa.UnicodeText)
    made_time_place = sa.Column(sa.UnicodeText)
    forms = sa.Column(ARRAY(sa.UnicodeText), nullable=False, default=list)
    retention_period = sa.Column(sa.UnicodeText)
    created_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id"))
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)


class ExemptItem(tk.BaseModel):  # type: ignore[misc]
    """A row of the DIK: what kind of information is exempt, on which Pasal 17 ground(s),
    for how long, decided by whom, why, where and when, and the consequence test (harm of
    disclosure weighed against the public interest). Never the information itself."""

    __tablename__ = "layananpublik_exempt_item"

    id = sa.Column(sa.UnicodeText, primary_key=True)
    organization_id = sa.Column(sa.UnicodeText, sa.ForeignKey("group.id"), nullable=False)
    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="SET NULL"))
    information_type = sa.Column(sa.UnicodeText, nullable=False)
    grounds = sa.Column(ARRAY(sa.UnicodeText), nullable=False)
    legal_basis = sa.Column(sa.UnicodeText)
    holding_unit = sa.Column(sa.UnicodeText)
    exemption_period = sa.Column(sa.UnicodeText, nullable=False)
    exempt_until = sa.Column(sa.Date)
    deciding_officer = sa.Column(sa.UnicodeText, nullable=False)
    reasons = sa.Column(sa.UnicodeText, nullable=False)
    consequence = sa.Column(sa.UnicodeText, nullable=False)
    public_interest = sa.Column(sa.UnicodeText, nullable=False)
    decided_place = sa.Column(sa.UnicodeText, nullable=False)
    decided_date = sa.Column(sa.Date, nullable=False)
    created_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id"))
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)


class DipDetermination(tk.BaseModel):  # type: ignore[misc]
    """The decision (penetapan) that fixes a body's DIP: its number and date (migration d8e0f2a4b6c9)."""

    __tablename__ = "layananpublik_dip_determination"
    organization_id = sa.Column(sa.UnicodeText, sa.ForeignKey("group.id"), primary_key=True)
    number = sa.Column(sa.UnicodeText, nullable=False)
    decided_date = sa.Column(sa.Date, nullable=False)
    decided_by = sa.Column(sa.UnicodeText)
    updated_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)
    updated_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id"))
