"""Create the working-day calendar (holidays and cuti bersama an administrator can edit)

Revision ID: 3f2b8c1d4e01
Revises:
Create Date: 2026-11-24 22:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "3f2b8c1d4e01"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "layananpublik_calendar_day",
        sa.Column("day", sa.Date, primary_key=True),
        # holiday | cuti_bersama | working_day (a weekend day declared a working day)
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("name", sa.UnicodeText, nullable=False),
        # holidays-package | ical | manual: where the entry came from, for audit
        sa.Column("source", sa.UnicodeText, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint(
            "kind IN ('holiday', 'cuti_bersama', 'working_day')", name="layananpublik_calendar_day_kind"
        ),
    )


def downgrade():
    op.drop_table("layananpublik_calendar_day")
