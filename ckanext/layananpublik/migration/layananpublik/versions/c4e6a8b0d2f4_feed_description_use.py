"""Feeds: which dataset uses which kept description (issue 19)

Revision ID: c4e6a8b0d2f4
Revises: b7d9f1a3c5e8
Create Date: 2026-12-06 01:00:00

layananpublik_feed_description_use: for each dataset a feed can show, the digest of its
kept description (layananpublik_feed_description), written when the dataset is saved. A
save that changes the text deletes the old description when no other dataset's row names
it; `ckan layananpublik feed-descriptions sync` deletes every description no row names.
"""

import sqlalchemy as sa
from alembic import op

revision = "c4e6a8b0d2f4"
down_revision = "b7d9f1a3c5e8"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "layananpublik_feed_description_use",
        sa.Column("package_id", sa.UnicodeText, primary_key=True),
        sa.Column("digest", sa.UnicodeText, nullable=False),
    )
    op.create_index(
        "ix_layananpublik_feed_description_use_digest", "layananpublik_feed_description_use", ["digest"]
    )


def downgrade():
    op.drop_table("layananpublik_feed_description_use")
