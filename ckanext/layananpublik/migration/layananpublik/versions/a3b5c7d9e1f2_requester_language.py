"""The language a requester or complainant used, for the emails they are sent

Revision ID: a3b5c7d9e1f2
Revises: f7e6d5c4b3a2
Create Date: 2026-11-25 04:10:00

Emails about a request are written while an officer or superior acts, in that person's
page language; they go to the requester, who may read the other one. Rows from before this
revision have none: their emails are in the site's default language.
"""

import sqlalchemy as sa
from alembic import op

revision = "a3b5c7d9e1f2"
down_revision = "f7e6d5c4b3a2"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("layananpublik_request", sa.Column("language", sa.UnicodeText, nullable=True))
    op.add_column("layananpublik_complaint", sa.Column("language", sa.UnicodeText, nullable=True))


def downgrade():
    op.drop_column("layananpublik_complaint", "language")
    op.drop_column("layananpublik_request", "language")
