"""Tables of objections (keberatan, Pasal 35–38) and their disputes (sengketa informasi).

Created by migration d81f6a2c4e93; models never commit.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

from ckanext.layananpublik.cases.model import CaseColumns, EventColumns, ReminderColumns


class Objection(CaseColumns, tk.BaseModel):  # type: ignore[misc]
    __tablename__ = "layananpublik_objection"

    # None for ground b (berkala information not published), which needs no request.
    request_id = sa.Column(sa.UnicodeText, sa.ForeignKey("layananpublik_request.id"), nullable=True)
    filer_name = sa.Column(sa.UnicodeText, nullable=False)
    filer_is_proxy = sa.Column(sa.Boolean, nullable=False, default=False)
    principal_name = sa.Column(sa.UnicodeText)  # the requester a proxy files for
    # Without a request (ground b): the filer's own contact and page language.
    filer_email = sa.Column(sa.UnicodeText)
    filer_phone = sa.Column(sa.UnicodeText)
    language = sa.Column(sa.UnicodeText)
    grounds = sa.Column(ARRAY(sa.UnicodeText), nullable=False)
    reason = sa.Column(sa.UnicodeText, nullable=False)
    ground_arose_date = sa.Column(sa.Date, nullable=False)
    filing_deadline = sa.Column(sa.Date, nullable=False)
    late_accepted = sa.Column(sa.Boolean, nullable=False, default=False)
    status = sa.Column(sa.UnicodeText, nullable=False)
    due_date = sa.Column(sa.Date, nullable=False)
    superior_decision = sa.Column(sa.UnicodeText)
    superior_reasons = sa.Column(sa.UnicodeText)
    superior_instruction = sa.Column(sa.UnicodeText)
    superior_name_position = sa.Column(sa.UnicodeText)
    decided_at = sa.Column(sa.DateTime(timezone=True))
    decision_date = sa.Column(sa.Date)
    decided_by = sa.Column(sa.UnicodeText)
    requester_reply = sa.Column(sa.UnicodeText)
    dispute_stage = sa.Column(sa.UnicodeText)
    dispute_filed_date = sa.Column(sa.Date)
    dispute_outcome = sa.Column(sa.UnicodeText)
    dispute_note = sa.Column(sa.UnicodeText)
    dispute_result = sa.Column(sa.UnicodeText)
    court_stage = sa.Column(sa.UnicodeText)


class ObjectionEvent(EventColumns, tk.BaseModel):  # type: ignore[misc]
    __tablename__ = "layananpublik_objection_event"

    parent_id = sa.Column(sa.UnicodeText, sa.ForeignKey("layananpublik_objection.id"), nullable=False)


class ObjectionReminder(ReminderColumns, tk.BaseModel):  # type: ignore[misc]
    __tablename__ = "layananpublik_objection_reminder"

    objection_id = sa.Column(sa.UnicodeText, sa.ForeignKey("layananpublik_objection.id"), primary_key=True)
