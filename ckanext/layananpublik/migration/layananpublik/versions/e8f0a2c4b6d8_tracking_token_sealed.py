"""Tracking links leave the mail queue: the token waits, encrypted, on the case row

Revision ID: e8f0a2c4b6d8
Revises: d8e0f2a4b6c8
Create Date: 2026-12-05 15:40:00

The email that gives a requester, objector or complainant their tracking link is now written by
the mail job from the case's id, so Redis holds no token. Until that email is sent the token is
kept encrypted in `tracking_token_sealed` (cleared once sent).
"""

import sqlalchemy as sa
from alembic import op

revision = "e8f0a2c4b6d8"
down_revision = "d8e0f2a4b6c8"
branch_labels = None
depends_on = None

TABLES = ("layananpublik_request", "layananpublik_objection", "layananpublik_complaint")


def upgrade():
    for table in TABLES:
        op.add_column(table, sa.Column("tracking_token_sealed", sa.UnicodeText, nullable=True))


def downgrade():
    for table in TABLES:
        op.drop_column(table, "tracking_token_sealed")
