"""Create information requests, their history, files, reminders, numbering and PPID roles

Revision ID: 5a7c9e1b2d40
Revises: 3f2b8c1d4e01
Create Date: 2026-11-25 00:10:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

revision = "5a7c9e1b2d40"
down_revision = "3f2b8c1d4e01"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "layananpublik_officer",
        sa.Column(
            "organization_id", sa.UnicodeText, sa.ForeignKey("group.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("role", sa.UnicodeText, primary_key=True),
        sa.Column("created_at", TZ, nullable=False, server_default=sa.func.now()),
        sa.Column("created_by", sa.UnicodeText),
        sa.CheckConstraint("role IN ('officer', 'superior')", name="layananpublik_officer_role"),
    )
    # Registration numbers: one row per body and year, incremented in the request's own
    # transaction; a rolled-back submission rolls its number back too, so no gaps.
    op.create_table(
        "layananpublik_request_counter",
        sa.Column(
            "organization_id", sa.UnicodeText, sa.ForeignKey("group.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("last_seq", sa.Integer, nullable=False),
    )
    op.create_table(
        "layananpublik_request",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("organization_id", sa.UnicodeText, sa.ForeignKey("group.id"), nullable=False),
        sa.Column("registration_year", sa.Integer, nullable=False),
        sa.Column("registration_seq", sa.Integer, nullable=False),
        sa.Column("registration_number", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("tracking_token_hash", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("requester_type", sa.UnicodeText, nullable=False),
        sa.Column("name", sa.UnicodeText, nullable=False),
        sa.Column("nik", sa.UnicodeText),
        sa.Column("entity_decree_number", sa.UnicodeText),
        sa.Column("address", sa.UnicodeText, nullable=False),
        sa.Column("phone", sa.UnicodeText),
        sa.Column("email", sa.UnicodeText),
        sa.Column("occupation", sa.UnicodeText, nullable=False),
        sa.Column("information_requested", sa.UnicodeText, nullable=False),
        sa.Column("purpose", sa.UnicodeText, nullable=False),
        sa.Column("obtain_method", sa.UnicodeText, nullable=False),
        sa.Column("delivery_method", sa.UnicodeText, nullable=False),
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="SET NULL")),
        sa.Column("public_summary", sa.UnicodeText),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("received_at", TZ, nullable=False),
        sa.Column("received_date", sa.Date, nullable=False),
        sa.Column("original_due_date", sa.Date, nullable=False),
        sa.Column("due_date", sa.Date, nullable=False),
        sa.Column("extension_days", sa.Integer),
        sa.Column("extension_reason", sa.UnicodeText),
        sa.Column("extended_at", TZ),
        sa.Column("outcome", sa.UnicodeText),
        sa.Column("refusal_grounds", ARRAY(sa.UnicodeText)),
        sa.Column("referral_body", sa.UnicodeText),
        sa.Column("information_given", sa.UnicodeText),
        sa.Column("redactions", sa.UnicodeText),
        sa.Column("release_format", sa.UnicodeText),
        sa.Column("release_delivery", sa.UnicodeText),
        sa.Column("fee", sa.Numeric(14, 2)),
        sa.Column("fee_note", sa.UnicodeText),
        sa.Column("decision_note", sa.UnicodeText),
        sa.Column("decided_at", TZ),
        sa.Column("decision_date", sa.Date),
        sa.Column("decided_by", sa.UnicodeText),
        sa.Column("working_days_taken", sa.Integer),
        sa.Column("handed_over_date", sa.Date),
        sa.Column("is_spam", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("spam_reason", sa.UnicodeText),
        sa.Column("updated_at", TZ, nullable=False),
        sa.UniqueConstraint("organization_id", "registration_year", "registration_seq",
                            name="layananpublik_request_number_seq"),
        sa.CheckConstraint("requester_type IN ('individual', 'legal_entity')", name="layananpublik_request_requester_type"),
        sa.CheckConstraint("status IN ('received', 'in_process', 'extended', 'decided')", name="layananpublik_request_status"),
        sa.CheckConstraint(
            "outcome IS NULL OR outcome IN ('granted_full', 'granted_part', 'refused', 'not_held', 'not_documented')",
            name="layananpublik_request_outcome",
        ),
        sa.CheckConstraint("(status = 'decided') = (outcome IS NOT NULL)", name="layananpublik_request_decided_outcome"),
        sa.CheckConstraint("extension_days IS NULL OR extension_days BETWEEN 1 AND 7", name="layananpublik_request_extension"),
    )  # fmt: skip
    # Statistics and the register read one body's year; the inbox and reminders read open
    # requests by due date.
    op.create_index(
        "layananpublik_request_org_year", "layananpublik_request", ["organization_id", "registration_year"]
    )
    op.create_index(
        "layananpublik_request_open_due", "layananpublik_request", ["due_date"],
        postgresql_where=sa.text("status <> 'decided' AND NOT is_spam"),
    )  # fmt: skip
    op.create_index("layananpublik_request_user", "layananpublik_request", ["user_id"])
    op.create_index("layananpublik_request_received", "layananpublik_request", ["received_at"])

    op.create_table(
        "layananpublik_request_event",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("request_id", sa.UnicodeText, sa.ForeignKey("layananpublik_request.id", ondelete="CASCADE"), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("actor_id", sa.UnicodeText),
        sa.Column("actor_role", sa.UnicodeText, nullable=False),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("note", sa.UnicodeText),
        sa.Column("data", JSONB, nullable=False, server_default="{}"),
    )  # fmt: skip
    op.create_index(
        "layananpublik_request_event_request", "layananpublik_request_event", ["request_id", "id"]
    )
    # Append-only: history rows are never edited (deleting whole requests stays possible
    # for test resets and for a court-ordered erasure).
    op.execute(
        """
        CREATE OR REPLACE FUNCTION layananpublik_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'layananpublik_request_event is append-only';
        END $$;
        CREATE TRIGGER layananpublik_request_event_append_only
            BEFORE UPDATE ON layananpublik_request_event
            FOR EACH ROW EXECUTE FUNCTION layananpublik_refuse_update();
        """
    )
    op.create_table(
        "layananpublik_request_file",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("request_id", sa.UnicodeText, sa.ForeignKey("layananpublik_request.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("title", sa.UnicodeText),
        sa.Column("filename", sa.UnicodeText),
        sa.Column("content_type", sa.UnicodeText),
        sa.Column("size", sa.BigInteger),
        sa.Column("storage_key", sa.UnicodeText),
        sa.Column("url", sa.UnicodeText),
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="SET NULL")),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("created_by", sa.UnicodeText),
        sa.CheckConstraint("kind IN ('identity', 'release')", name="layananpublik_request_file_kind"),
    )  # fmt: skip
    op.create_index("layananpublik_request_file_request", "layananpublik_request_file", ["request_id"])
    op.create_table(
        "layananpublik_request_reminder",
        sa.Column("request_id", sa.UnicodeText, sa.ForeignKey("layananpublik_request.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("kind", sa.UnicodeText, primary_key=True),
        sa.Column("due_date", sa.Date, primary_key=True),
        sa.Column("sent_at", TZ, nullable=False),
    )  # fmt: skip


def downgrade():
    op.drop_table("layananpublik_request_reminder")
    op.drop_table("layananpublik_request_file")
    op.execute("DROP TRIGGER layananpublik_request_event_append_only ON layananpublik_request_event")
    op.execute("DROP FUNCTION IF EXISTS layananpublik_refuse_update()")
    op.drop_table("layananpublik_request_event")
    op.drop_table("layananpublik_request")
    op.drop_table("layananpublik_request_counter")
    op.drop_table("layananpublik_officer")
