"""An overturned decision keeps its place in the register and the statistics

Revision ID: f4a6c8e0b2d4
Revises: e3f5a7b9c1d2
Create Date: 2026-12-05 13:05:00

When the superior overturns a decision (an objection granted), the request is decided again; the
first decision, its date and its due date stay with the request, so the register shows both
decisions and the statistics count the first decision's timeliness. Requests reopened before this
revision keep theirs only in their history.
"""

import sqlalchemy as sa
from alembic import op

revision = "f4a6c8e0b2d4"
down_revision = "e3f5a7b9c1d2"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("layananpublik_request", sa.Column("first_outcome", sa.UnicodeText))
    op.add_column("layananpublik_request", sa.Column("first_decision_date", sa.Date))
    op.add_column("layananpublik_request", sa.Column("first_due_date", sa.Date))


def downgrade():
    for column in ("first_due_date", "first_decision_date", "first_outcome"):
        op.drop_column("layananpublik_request", column)
