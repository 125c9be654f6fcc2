"""Tables of the pages administrators edit, their revisions, and the narrative parts of the
reports.

Created only by the alembic migration f7e6d5c4b3a2; models never commit: the action that
changes data commits once. Revisions are append-only (a trigger refuses UPDATE).
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import sqlalchemy as sa

SITE = ""  # organization_id of a site-wide page in the unique keys (NULL in the table)


class Page(tk.BaseModel):  # type: ignore[misc]
    """The current text of one page in one language, site-wide (organization_id NULL) or
    of one body."""

    __tablename__ = "layananpublik_page"

    id = sa.Column(sa.BigInteger, primary_key=True, autoincrement=True)
    slug = sa.Column(sa.UnicodeText, nullable=False)
    organization_id = sa.Column(sa.UnicodeText, sa.ForeignKey("group.id"), nullable=True)
    language = sa.Column(sa.UnicodeText, nullable=False)
    title = sa.Column(sa.UnicodeText, nullable=False)
    body = sa.Column(sa.UnicodeText, nullable=False)
    format = sa.Column(sa.UnicodeText, nullable=False)
    revision = sa.Column(sa.Integer, nullable=False)
    updated_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    updated_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id"), nullable=True)


class PageRevision(tk.BaseModel):  # type: ignore[misc]
    """Every saved version of a page, oldest first; never changed after it is written."""

    __tablename__ = "layananpublik_page_revision"

    id = sa.Column(sa.BigInteger, primary_key=True, autoincrement=True)
    page_id = sa.Column(sa.BigInteger, sa.ForeignKey("layananpublik_page.id"), nullable=False)
    revision = sa.Column(sa.Integer, nullable=False)
    title = sa.Column(sa.UnicodeText, nullable=False)
    body = sa.Column(sa.UnicodeText, nullable=False)
    format = sa.Column(sa.UnicodeText, nullable=False)
    note = sa.Column(sa.UnicodeText)
    author_id = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id"), nullable=True)
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False)


class ReportNarrative(tk.BaseModel):  # type: ignore[misc]
    """An editable part of a report (policy, facilities, obstacles, recommendations...) for a
    body (or the whole site), a year and a period (year, q1..q4), in one language."""

    __tablename__ = "layananpublik_report_narrative"

    id = sa.Column(sa.BigInteger, primary_key=True, autoincrement=True)
    organization_id = sa.Column(sa.UnicodeText, sa.ForeignKey("group.id"), nullable=True)
    year = sa.Column(sa.Integer, nullable=False)
    period = sa.Column(sa.UnicodeText, nullable=False)
    section = sa.Column(sa.UnicodeText, nullable=False)
    language = sa.Column(sa.UnicodeText, nullable=False)
    body = sa.Column(sa.UnicodeText, nullable=False)
    updated_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    updated_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id"), nullable=True)


class ReportStatus(tk.BaseModel):  # type: ignore[misc]
    """Of a body's (or the site's) annual report for a year: when it was published and when it
    was submitted to the Komisi Informasi (migration d8e0f2a4b6c9)."""

    __tablename__ = "layananpublik_report_status"
    id = sa.Column(sa.BigInteger, primary_key=True, autoincrement=True)
    organization_id = sa.Column(sa.UnicodeText, sa.ForeignKey("group.id"), nullable=True)
    year = sa.Column(sa.Integer, nullable=False)
    published_at = sa.Column(sa.DateTime(timezone=True))
    published_resource_id = sa.Column(sa.UnicodeText)
    submitted_date = sa.Column(sa.Date)
    submitted_reference = sa.Column(sa.UnicodeText)
    updated_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    updated_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id"), nullable=True)


class ReportReminder(tk.BaseModel):  # type: ignore[misc]
    """A reminder to a body's admins that its annual report is due, sent once per kind."""

    __tablename__ = "layananpublik_report_reminder"
    organization_id = sa.Column(sa.UnicodeText, sa.ForeignKey("group.id"), primary_key=True)
    year = sa.Column(sa.Integer, primary_key=True)
    kind = sa.Column(sa.UnicodeText, primary_key=True)
    sent_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
