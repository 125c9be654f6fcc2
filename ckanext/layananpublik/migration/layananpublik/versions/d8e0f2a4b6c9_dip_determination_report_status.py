"""DIP determination, annual-report status and reminders, dispute results and court stages

Revision ID: d8e0f2a4b6c9
Revises: c7d9e1f3a5b7
Create Date: 2026-12-05 15:20:00

- layananpublik_dip_determination: the number and date of the decision (penetapan) that fixes a
  body's DIP, shown on the DIP.
- layananpublik_report_status: per body (NULL: site-wide) and year, when the annual report was
  published and when it was submitted to the Komisi Informasi (due by 31 March of the next year).
- layananpublik_report_reminder: the reminders to body admins from 1 March, each sent once.
- layananpublik_objection.dispute_result / court_stage: the commission's result and any appeal
  to court, counted in the annual report.
"""

import sqlalchemy as sa
from alembic import op

revision = "d8e0f2a4b6c9"
down_revision = "c7d9e1f3a5b7"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "layananpublik_dip_determination",
        sa.Column("organization_id", sa.UnicodeText, sa.ForeignKey("group.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("number", sa.UnicodeText, nullable=False),
        sa.Column("decided_date", sa.Date, nullable=False),
        sa.Column("decided_by", sa.UnicodeText),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL")),
    )
    op.create_table(
        "layananpublik_report_status",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("organization_id", sa.UnicodeText, sa.ForeignKey("group.id", ondelete="CASCADE"), nullable=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.Column("published_resource_id", sa.UnicodeText),
        sa.Column("submitted_date", sa.Date),
        sa.Column("submitted_reference", sa.UnicodeText),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL")),
    )
    op.execute(
        "CREATE UNIQUE INDEX layananpublik_report_status_key ON layananpublik_report_status "
        "(COALESCE(organization_id, ''), year)"
    )
    op.create_table(
        "layananpublik_report_reminder",
        sa.Column("organization_id", sa.UnicodeText, sa.ForeignKey("group.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("kind", sa.UnicodeText, primary_key=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.add_column("layananpublik_objection", sa.Column("dispute_result", sa.UnicodeText))
    op.add_column("layananpublik_objection", sa.Column("court_stage", sa.UnicodeText))
    op.create_check_constraint(
        "layananpublik_objection_dispute_result", "layananpublik_objection",
        "dispute_result IN ('granted', 'partly_granted', 'rejected', 'settled', 'dismissed')",
    )  # fmt: skip
    op.create_check_constraint(
        "layananpublik_objection_court_stage", "layananpublik_objection",
        "court_stage IN ('filed', 'cassation', 'decided')",
    )  # fmt: skip


def downgrade():
    op.drop_constraint("layananpublik_objection_court_stage", "layananpublik_objection", type_="check")
    op.drop_constraint("layananpublik_objection_dispute_result", "layananpublik_objection", type_="check")
    op.drop_column("layananpublik_objection", "court_stage")
    op.drop_column("layananpublik_objection", "dispute_result")
    op.drop_table("layananpublik_report_reminder")
    op.drop_table("layananpublik_report_status")
    op.drop_table("layananpublik_dip_determination")
