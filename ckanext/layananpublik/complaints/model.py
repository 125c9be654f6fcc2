"""Tables of complaints about the public service (pengaduan, UU 25/2009).

Created by migration d81f6a2c4e93; models never commit.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import sqlalchemy as sa

from ckanext.layananpublik.cases.model import CaseColumns, EventColumns, ReminderColumns


class Complaint(CaseColumns, tk.BaseModel):  # type: ignore[misc]
    __tablename__ = "layananpublik_complaint"

    service = sa.Column(sa.UnicodeText, nullable=False)
    description = sa.Column(sa.UnicodeText, nullable=False)
    occurred_on = sa.Column(sa.Date)
    remedy = sa.Column(sa.UnicodeText, nullable=False)
    loss = sa.Column(sa.UnicodeText)  # the loss suffered, if the complainant states it
    name = sa.Column(sa.UnicodeText, nullable=False)
    address = sa.Column(sa.UnicodeText)  # personal data, like name, email and phone
    email = sa.Column(sa.UnicodeText)
    phone = sa.Column(sa.UnicodeText)
    language = sa.Column(sa.UnicodeText)  # of the pages they used: their emails are written in it
    confidential = sa.Column(sa.Boolean, nullable=False, default=False)
    status = sa.Column(sa.UnicodeText, nullable=False)
    response = sa.Column(sa.UnicodeText)
    responded_at = sa.Column(sa.DateTime(timezone=True))
    is_spam = sa.Column(sa.Boolean, nullable=False, default=False)
    due_date = sa.Column(sa.Date, nullable=False)  # the body's answer, UU 25/2009 Pasal 50(1)
    source = sa.Column(sa.UnicodeText)  # None: the complaint form; "social_media": a turned reply


class ComplaintEvent(EventColumns, tk.BaseModel):  # type: ignore[misc]
    __tablename__ = "layananpublik_complaint_event"

    parent_id = sa.Column(sa.UnicodeText, sa.ForeignKey("layananpublik_complaint.id"), nullable=False)


class ComplaintReminder(ReminderColumns, tk.BaseModel):  # type: ignore[misc]
    __tablename__ = "layananpublik_complaint_reminder"

    complaint_id = sa.Column(sa.UnicodeText, sa.ForeignKey("layananpublik_complaint.id"), primary_key=True)
