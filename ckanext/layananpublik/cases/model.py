"""The columns every case table has (requests, objections, complaints), their history
tables' and their reminder tables'. Tables keep their names and come only from the alembic
chain in migration/layananpublik; models never commit."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import declared_attr


class CaseColumns:
    """A case filed with a public body: registered under a number, followed with a secret
    token (only its hash is stored), possibly by a signed-in account."""

    id = sa.Column(sa.UnicodeText, primary_key=True)
    registration_year = sa.Column(sa.Integer, nullable=False)
    registration_seq = sa.Column(sa.Integer, nullable=False)
    registration_number = sa.Column(sa.UnicodeText, nullable=False, unique=True)
    tracking_token_hash = sa.Column(sa.UnicodeText, nullable=False, unique=True)
    # The token encrypted until the email carrying the tracking link is sent (lookup.seal_token).
    tracking_token_sealed = sa.Column(sa.UnicodeText, nullable=True)
    received_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    received_date = sa.Column(sa.Date, nullable=False)  # in the body's time zone
    updated_at = sa.Column(sa.DateTime(timezone=True), nullable=False)

    @declared_attr
    def organization_id(cls):  # noqa: N805 - SQLAlchemy's declared_attr
        return sa.Column(sa.UnicodeText, sa.ForeignKey("group.id"), nullable=False)

    @declared_attr
    def user_id(cls):  # noqa: N805
        return sa.Column(sa.UnicodeText, sa.ForeignKey("user.id"), nullable=True)


class EventColumns:
    """One step of a case's append-only history (a trigger refuses UPDATE)."""

    id = sa.Column(sa.BigInteger, primary_key=True, autoincrement=True)
    at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    actor_id = sa.Column(sa.UnicodeText)  # CKAN user id; None for an anonymous requester or the system
    actor_role = sa.Column(sa.UnicodeText, nullable=False)  # requester | officer | superior | system ...
    action = sa.Column(sa.UnicodeText, nullable=False)
    note = sa.Column(sa.UnicodeText)
    data = sa.Column(JSONB, nullable=False, default=dict)


class ReminderColumns:
    """One reminder sent: the primary key (case, kind, due date) is what prevents duplicates."""

    kind = sa.Column(sa.UnicodeText, primary_key=True)  # due_soon | overdue
    due_date = sa.Column(sa.Date, primary_key=True)
    sent_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
