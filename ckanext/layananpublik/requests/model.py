"""Tables of information requests (permohonan informasi publik).

Created only by the alembic chain in migration/layananpublik; models never commit:
the action that changes data commits once.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

from ckanext.layananpublik.cases.model import CaseColumns, EventColumns, ReminderColumns

# Everything below is plain text in the database; choices are checked by the schema and,
# where a wrong value would corrupt statistics, by CHECK constraints in the migration.


class InformationRequest(CaseColumns, tk.BaseModel):  # type: ignore[misc]
    __tablename__ = "layananpublik_request"


    # The requester (personal data: never shown to anyone but the requester and officers).
    requester_type = sa.Column(sa.UnicodeText, nullable=False)
    name = sa.Column(sa.UnicodeText, nullable=False)
    nik = sa.Column(sa.UnicodeText)
    entity_decree_number = sa.Column(sa.UnicodeText)
    address = sa.Column(sa.UnicodeText, nullable=False)
    phone = sa.Column(sa.UnicodeText)
    email = sa.Column(sa.UnicodeText)
    occupation = sa.Column(sa.UnicodeText, nullable=False)
    language = sa.Column(sa.UnicodeText)  # of the pages they used: their emails are written in it
    # Filed by a proxy (the person named above) for this principal, with a power of attorney.
    principal_name = sa.Column(sa.UnicodeText)
    received_channel = sa.Column(sa.UnicodeText)  # None: online; else how an officer received it

    # The request.
    information_requested = sa.Column(sa.UnicodeText, nullable=False)
    purpose = sa.Column(sa.UnicodeText, nullable=False)
    obtain_method = sa.Column(sa.UnicodeText, nullable=False)
    delivery_method = sa.Column(sa.UnicodeText, nullable=False)
    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id"), nullable=True)
    public_summary = sa.Column(sa.UnicodeText)

    # Workflow and deadlines (dates are local dates in the body's time zone).
    status = sa.Column(sa.UnicodeText, nullable=False)
    original_due_date = sa.Column(sa.Date, nullable=False)
    due_date = sa.Column(sa.Date, nullable=False)
    extension_days = sa.Column(sa.Integer)
    extension_reason = sa.Column(sa.UnicodeText)
    extended_at = sa.Column(sa.DateTime(timezone=True))
    reopened_at = sa.Column(sa.DateTime(timezone=True))  # sent back by the superior (objection)

    # The written decision notice (pemberitahuan tertulis, Pasal 22(7)).
    outcome = sa.Column(sa.UnicodeText)
    refusal_grounds = sa.Column(ARRAY(sa.UnicodeText))
    referral_body = sa.Column(sa.UnicodeText)
    information_given = sa.Column(sa.UnicodeText)
    redactions = sa.Column(sa.UnicodeText)
    release_format = sa.Column(sa.UnicodeText)
    release_delivery = sa.Column(sa.UnicodeText)
    fee = sa.Column(sa.Numeric(14, 2))  # the total
    fee_copying = sa.Column(sa.Numeric(14, 2))
    fee_postage = sa.Column(sa.Numeric(14, 2))
    fee_note = sa.Column(sa.UnicodeText)  # how to pay
    provide_by_date = sa.Column(sa.Date)  # a grant: by when the information is provided
    # A refusal or partial grant: the exemption entry (DIK) with its consequence test
    # (Pasal 19), or the test written in the decision.
    exempt_item_id = sa.Column(sa.UnicodeText, sa.ForeignKey("layananpublik_exempt_item.id"))
    consequence_test = sa.Column(sa.UnicodeText)
    decision_note = sa.Column(sa.UnicodeText)
    decided_at = sa.Column(sa.DateTime(timezone=True))
    decision_date = sa.Column(sa.Date)
    decided_by = sa.Column(sa.UnicodeText)
    working_days_taken = sa.Column(sa.Integer)
    handed_over_date = sa.Column(sa.Date)
    # The first decision, kept when the superior overturned it and the request was decided again.
    first_outcome = sa.Column(sa.UnicodeText)
    first_decision_date = sa.Column(sa.Date)
    first_due_date = sa.Column(sa.Date)

    is_spam = sa.Column(sa.Boolean, nullable=False, default=False)
    spam_reason = sa.Column(sa.UnicodeText)
    spam_marked_at = sa.Column(sa.DateTime(timezone=True))  # set aside: a reviewed decision

    @property
    def set_aside_on(self):
        """The day (in the body's time zone) the request was set aside as spam; None if it is not."""
        from ckanext.layananpublik.cases.clock import local_day

        return local_day(self.spam_marked_at, self.organization_id) if self.is_spam and self.spam_marked_at else None


class RequestEvent(EventColumns, tk.BaseModel):  # type: ignore[misc]
    """Append-only history: a trigger in the migration refuses UPDATE."""

    __tablename__ = "layananpublik_request_event"

    request_id = sa.Column(sa.UnicodeText, sa.ForeignKey("layananpublik_request.id"), nullable=False)


class RequestFile(tk.BaseModel):  # type: ignore[misc]
    """An identity document (kind identity) or released information (kind release)."""

    __tablename__ = "layananpublik_request_file"

    id = sa.Column(sa.UnicodeText, primary_key=True)
    request_id = sa.Column(sa.UnicodeText, sa.ForeignKey("layananpublik_request.id"), nullable=False)
    kind = sa.Column(sa.UnicodeText, nullable=False)
    title = sa.Column(sa.UnicodeText)
    filename = sa.Column(sa.UnicodeText)
    content_type = sa.Column(sa.UnicodeText)
    size = sa.Column(sa.BigInteger)
    storage_key = sa.Column(sa.UnicodeText)  # relative to the storage directory
    url = sa.Column(sa.UnicodeText)
    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id"))
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    created_by = sa.Column(sa.UnicodeText)


class RequestReminder(ReminderColumns, tk.BaseModel):  # type: ignore[misc]
    """One row per reminder sent: the primary key is what prevents duplicates."""

    __tablename__ = "layananpublik_request_reminder"

    request_id = sa.Column(sa.UnicodeText, sa.ForeignKey("layananpublik_request.id"), primary_key=True)
