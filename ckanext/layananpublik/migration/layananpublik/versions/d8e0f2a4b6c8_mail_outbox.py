"""Email outbox: each message written in the transaction of the case change it reports

Revision ID: d8e0f2a4b6c8
Revises: e9a1c3d5f7b9
Create Date: 2026-12-05 15:20:00

Until now an email was an RQ job queued after the commit: lost when Redis refused it, when a
work horse died loading CKAN during a PostgreSQL restart, or when a worker was killed between
taking the job and recording it. Now the message is a row committed with the case (receipt,
extension, decision, reminder), drained by workers (cases/outbox.py); the RQ job only wakes
them. The body is erased once the mail relay accepted the message (it may hold a tracking link).
"""

import sqlalchemy as sa
from alembic import op

revision = "d8e0f2a4b6c8"
down_revision = "e9a1c3d5f7b9"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "layananpublik_mail",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("message_id", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("recipient_name", sa.UnicodeText, nullable=False),
        sa.Column("recipient_email", sa.UnicodeText, nullable=False),
        sa.Column("subject", sa.UnicodeText, nullable=False),
        sa.Column("body", sa.UnicodeText),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", TZ, nullable=False),
        sa.Column("lease_until", TZ),
        sa.Column("attempt_token", sa.UnicodeText),
        sa.Column("last_attempt_at", TZ),
        sa.Column("last_error", sa.UnicodeText),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("sent_at", TZ),
        sa.CheckConstraint("status IN ('queued', 'sending', 'sent', 'failed')", name="layananpublik_mail_status"),
        sa.CheckConstraint("status = 'sent' OR body IS NOT NULL", name="layananpublik_mail_body_until_sent"),
    )
    # What the drain claims (due rows and expired leases) and the health check counts.
    op.create_index(
        "layananpublik_mail_due", "layananpublik_mail", ["next_attempt_at"],
        postgresql_where=sa.text("status IN ('queued', 'sending')"),
    )  # fmt: skip
    op.create_index("layananpublik_mail_created", "layananpublik_mail", ["created_at"])


def downgrade():
    op.drop_table("layananpublik_mail")
