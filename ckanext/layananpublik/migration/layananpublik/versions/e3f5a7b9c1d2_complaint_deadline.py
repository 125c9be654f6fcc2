"""Complaints: the complainant's address and loss, the response deadline and its reminders

Revision ID: e3f5a7b9c1d2
Revises: d2e4f6a8b0c1
Create Date: 2026-12-05 12:55:00

UU 25/2009 asks a complaint to name the complainant and may state the loss suffered; the body
answers a written complaint within 14 days of receipt (Pasal 50(1)). Complaints from before this
revision get their due date from their day of receipt.
"""

import sqlalchemy as sa
from alembic import op

revision = "e3f5a7b9c1d2"
down_revision = "d2e4f6a8b0c1"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("layananpublik_complaint", sa.Column("address", sa.UnicodeText))
    op.add_column("layananpublik_complaint", sa.Column("loss", sa.UnicodeText))
    op.add_column("layananpublik_complaint", sa.Column("due_date", sa.Date))
    op.execute("UPDATE layananpublik_complaint SET due_date = received_date + 14")
    op.alter_column("layananpublik_complaint", "due_date", nullable=False)
    op.create_table(
        "layananpublik_complaint_reminder",
        sa.Column("complaint_id", sa.UnicodeText, sa.ForeignKey("layananpublik_complaint.id"), primary_key=True),
        sa.Column("kind", sa.UnicodeText, primary_key=True),
        sa.Column("due_date", sa.Date, primary_key=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade():
    op.drop_table("layananpublik_complaint_reminder")
    for column in ("due_date", "loss", "address"):
        op.drop_column("layananpublik_complaint", column)
