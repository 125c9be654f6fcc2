"""Tables of objections (keberatan, Pasal 35–38) and service complaints (pengaduan).

Created by migration d81f6a2c4e93; models never commit.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB


class Objection(tk.BaseModel):  # type: ignore[misc]
    __tablename__ = "layananpublik_objection"

    id = sa.Column(sa.UnicodeText, primary_key=True)
    organization_id = sa.Column(sa.UnicodeText, sa.ForeignKey("group.id"), nullable=False)
    request_id = sa.Column(sa.UnicodeText, sa.ForeignKey("layananpublik_request.id"), nullable=False)
    registration_year = sa.Column(sa.Integer, nullable=False)
    registration_seq = sa.Column(sa.Integer, nullable=False)
    registration_number = sa.Column(sa.UnicodeText, nullable=False, unique=True)
    tracking_token_hash = sa.Column(sa.UnicodeText, nullable=False, unique=True)
    user_id = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id"))
    filer_name = sa.Column(sa.UnicodeText, nullable=False)
    filer_is_proxy = sa.Column(sa.Boolean, nullable=False, default=False)
    grounds = sa.Column(ARRAY(sa.UnicodeText), nullable=False)
    reason = sa.Column(sa.UnicodeText, nullable=False)
    ground_arose_date = sa.Column(sa.Date, nullable=False)
    filing_deadline = sa.Column(sa.Date, nullable=False)
    late_accepted = sa.Column(sa.Boolean, nullable=False, default=False)
    status = sa.Column(sa.UnicodeText, nullable=False)
    received_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    received_date = sa.Column(sa.Date, nullable=False)
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
    updated_at = sa.Column(sa.DateTime(timezone=True), nullable=False)


class ObjectionEvent(tk.BaseModel):  # type: ignore[misc]
    __tablename__ = "layananpublik_objection_event"

    id = sa.Column(sa.BigInteger, primary_key=True, autoincrement=True)
    parent_id = sa.Column(sa.UnicodeText, sa.ForeignKey("layananpublik_objection.id"), nullable=False)
    at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    actor_id = sa.Column(sa.UnicodeText)
    actor_role = sa.Column(sa.UnicodeText, nullable=False)
    action = sa.Column(sa.UnicodeText, nullable=False)
    note = sa.Column(sa.UnicodeText)
    data = sa.Column(JSONB, nullable=False, default=dict)


class ObjectionReminder(tk.BaseModel):  # type: ignore[misc]
    __tablename__ = "layananpublik_objection_reminder"

    objection_id = sa.Column(sa.UnicodeText, sa.ForeignKey("layananpublik_objection.id"), primary_key=True)
    kind = sa.Column(sa.UnicodeText, primary_key=True)
    due_date = sa.Column(sa.Date, primary_key=True)
    sent_at = sa.Column(sa.DateTime(timezone=True), nullable=False)


class Complaint(tk.BaseModel):  # type: ignore[misc]
    __tablename__ = "layananpublik_complaint"

    id = sa.Column(sa.UnicodeText, primary_key=True)
    organization_id = sa.Column(sa.UnicodeText, sa.ForeignKey("group.id"), nullable=False)
    registration_year = sa.Column(sa.Integer, nullable=False)
    registration_seq = sa.Column(sa.Integer, nullable=False)
    registration_number = sa.Column(sa.UnicodeText, nullable=False, unique=True)
    tracking_token_hash = sa.Column(sa.UnicodeText, nullable=False, unique=True)
    user_id = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id"))
    service = sa.Column(sa.UnicodeText, nullable=False)
    description = sa.Column(sa.UnicodeText, nullable=False)
    occurred_on = sa.Column(sa.Date)
    remedy = sa.Column(sa.UnicodeText, nullable=False)
    name = sa.Column(sa.UnicodeText, nullable=False)
    email = sa.Column(sa.UnicodeText)
    phone = sa.Column(sa.UnicodeText)
    language = sa.Column(sa.UnicodeText)  # of the pages they used: their emails are written in it
    confidential = sa.Column(sa.Boolean, nullable=False, default=False)
    status = sa.Column(sa.UnicodeText, nullable=False)
    response = sa.Column(sa.UnicodeText)
    responded_at = sa.Column(sa.DateTime(timezone=True))
    received_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    received_date = sa.Column(sa.Date, nullable=False)
    is_spam = sa.Column(sa.Boolean, nullable=False, default=False)
    updated_at = sa.Column(sa.DateTime(timezone=True), nullable=False)


class ComplaintEvent(tk.BaseModel):  # type: ignore[misc]
    __tablename__ = "layananpublik_complaint_event"

    id = sa.Column(sa.BigInteger, primary_key=True, autoincrement=True)
    parent_id = sa.Column(sa.UnicodeText, sa.ForeignKey("layananpublik_complaint.id"), nullable=False)
    at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    actor_id = sa.Column(sa.UnicodeText)
    actor_role = sa.Column(sa.UnicodeText, nullable=False)
    action = sa.Column(sa.UnicodeText, nullable=False)
    note = sa.Column(sa.UnicodeText)
    data = sa.Column(JSONB, nullable=False, default=dict)
