"""Objections (keberatan) with disputes, service complaints (pengaduan), numbering per kind

Revision ID: d81f6a2c4e93
Revises: c4a7d19e3b52
Create Date: 2026-11-25 01:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

revision = "d81f6a2c4e93"
down_revision = "c4a7d19e3b52"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def _events(table: str, parent: str) -> None:
    op.create_table(
        table,
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("parent_id", sa.UnicodeText, sa.ForeignKey(f"{parent}.id", ondelete="CASCADE"), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("actor_id", sa.UnicodeText),
        sa.Column("actor_role", sa.UnicodeText, nullable=False),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("note", sa.UnicodeText),
        sa.Column("data", JSONB, nullable=False, server_default="{}"),
    )
    op.create_index(f"{table}_parent", table, ["parent_id", "id"])
    # Append-only, like the request history (the function comes from 5a7c9e1b2d40).
    op.execute(
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION layananpublik_refuse_update()"
    )


def upgrade():
    # One counter per kind of register: requests, objections and complaints number apart.
    op.add_column("layananpublik_request_counter",
                  sa.Column("kind", sa.UnicodeText, nullable=False, server_default="request"))  # fmt: skip
    op.drop_constraint("layananpublik_request_counter_pkey", "layananpublik_request_counter")
    op.create_primary_key("layananpublik_request_counter_pkey", "layananpublik_request_counter",
                          ["kind", "organization_id", "year"])  # fmt: skip
    op.drop_constraint("layananpublik_officer_role", "layananpublik_officer")
    op.create_check_constraint("layananpublik_officer_role", "layananpublik_officer",
                               "role IN ('officer', 'superior', 'complaints')")  # fmt: skip
    # A request sent back by the superior counts a fresh decision period from this moment.
    op.add_column("layananpublik_request", sa.Column("reopened_at", TZ))

    op.create_table(
        "layananpublik_objection",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("organization_id", sa.UnicodeText, sa.ForeignKey("group.id"), nullable=False),
        sa.Column("request_id", sa.UnicodeText, sa.ForeignKey("layananpublik_request.id", ondelete="CASCADE"), nullable=False),
        sa.Column("registration_year", sa.Integer, nullable=False),
        sa.Column("registration_seq", sa.Integer, nullable=False),
        sa.Column("registration_number", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("tracking_token_hash", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("filer_name", sa.UnicodeText, nullable=False),
        sa.Column("filer_is_proxy", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("grounds", ARRAY(sa.UnicodeText), nullable=False),
        sa.Column("reason", sa.UnicodeText, nullable=False),
        sa.Column("ground_arose_date", sa.Date, nullable=False),
        sa.Column("filing_deadline", sa.Date, nullable=False),
        sa.Column("late_accepted", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("received_at", TZ, nullable=False),
        sa.Column("received_date", sa.Date, nullable=False),
        sa.Column("due_date", sa.Date, nullable=False),
        sa.Column("superior_decision", sa.UnicodeText),
        sa.Column("superior_reasons", sa.UnicodeText),
        sa.Column("superior_instruction", sa.UnicodeText),
        sa.Column("superior_name_position", sa.UnicodeText),
        sa.Column("decided_at", TZ),
        sa.Column("decision_date", sa.Date),
        sa.Column("decided_by", sa.UnicodeText),
        sa.Column("requester_reply", sa.UnicodeText),
        sa.Column("dispute_stage", sa.UnicodeText),
        sa.Column("dispute_filed_date", sa.Date),
        sa.Column("dispute_outcome", sa.UnicodeText),
        sa.Column("dispute_note", sa.UnicodeText),
        sa.Column("updated_at", TZ, nullable=False),
        sa.UniqueConstraint("organization_id", "registration_year", "registration_seq", name="layananpublik_objection_number_seq"),
        sa.CheckConstraint("status IN ('received', 'decided')", name="layananpublik_objection_status"),
        sa.CheckConstraint("(status = 'decided') = (superior_decision IS NOT NULL)", name="layananpublik_objection_decided"),
        sa.CheckConstraint("superior_decision IS NULL OR superior_decision IN ('upheld', 'overturned')", name="layananpublik_objection_decision"),
        sa.CheckConstraint(
            "dispute_stage IS NULL OR dispute_stage IN ('filed', 'mediation', 'adjudication', 'decided', 'withdrawn')",
            name="layananpublik_objection_dispute_stage",
        ),
        sa.CheckConstraint("grounds <@ ARRAY['a','b','c','d','e','f','g']::text[] AND cardinality(grounds) > 0",
                           name="layananpublik_objection_grounds"),
    )  # fmt: skip
    op.create_index("layananpublik_objection_org_year", "layananpublik_objection", ["organization_id", "registration_year"])
    op.create_index("layananpublik_objection_request", "layananpublik_objection", ["request_id"])
    op.create_index("layananpublik_objection_open_due", "layananpublik_objection", ["due_date"],
                    postgresql_where=sa.text("status <> 'decided'"))  # fmt: skip
    _events("layananpublik_objection_event", "layananpublik_objection")
    op.create_table(
        "layananpublik_objection_reminder",
        sa.Column("objection_id", sa.UnicodeText, sa.ForeignKey("layananpublik_objection.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("kind", sa.UnicodeText, primary_key=True),
        sa.Column("due_date", sa.Date, primary_key=True),
        sa.Column("sent_at", TZ, nullable=False),
    )  # fmt: skip

    op.create_table(
        "layananpublik_complaint",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("organization_id", sa.UnicodeText, sa.ForeignKey("group.id"), nullable=False),
        sa.Column("registration_year", sa.Integer, nullable=False),
        sa.Column("registration_seq", sa.Integer, nullable=False),
        sa.Column("registration_number", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("tracking_token_hash", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("service", sa.UnicodeText, nullable=False),
        sa.Column("description", sa.UnicodeText, nullable=False),
        sa.Column("occurred_on", sa.Date),
        sa.Column("remedy", sa.UnicodeText, nullable=False),
        sa.Column("name", sa.UnicodeText, nullable=False),
        sa.Column("email", sa.UnicodeText),
        sa.Column("phone", sa.UnicodeText),
        sa.Column("confidential", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("response", sa.UnicodeText),
        sa.Column("responded_at", TZ),
        sa.Column("received_at", TZ, nullable=False),
        sa.Column("received_date", sa.Date, nullable=False),
        sa.Column("is_spam", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("updated_at", TZ, nullable=False),
        sa.UniqueConstraint("organization_id", "registration_year", "registration_seq", name="layananpublik_complaint_number_seq"),
        sa.CheckConstraint("status IN ('received', 'in_follow_up', 'resolved', 'rejected')", name="layananpublik_complaint_status"),
    )  # fmt: skip
    op.create_index("layananpublik_complaint_org_year", "layananpublik_complaint", ["organization_id", "registration_year"])
    _events("layananpublik_complaint_event", "layananpublik_complaint")


def downgrade():
    op.drop_table("layananpublik_complaint_event")
    op.drop_table("layananpublik_complaint")
    op.drop_table("layananpublik_objection_reminder")
    op.drop_table("layananpublik_objection_event")
    op.drop_table("layananpublik_objection")
    op.drop_column("layananpublik_request", "reopened_at")
    op.execute("DELETE FROM layananpublik_officer WHERE role = 'complaints'")
    op.drop_constraint("layananpublik_officer_role", "layananpublik_officer")
    op.create_check_constraint("layananpublik_officer_role", "layananpublik_officer", "role IN ('officer', 'superior')")
    op.execute("DELETE FROM layananpublik_request_counter WHERE kind <> 'request'")
    op.drop_constraint("layananpublik_request_counter_pkey", "layananpublik_request_counter")
    op.create_primary_key("layananpublik_request_counter_pkey", "layananpublik_request_counter", ["organization_id", "year"])
    op.drop_column("layananpublik_request_counter", "kind")
