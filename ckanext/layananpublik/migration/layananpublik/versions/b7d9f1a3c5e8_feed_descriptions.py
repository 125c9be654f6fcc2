"""Feeds: dataset descriptions rendered once (issue 19, fast when cold)

Revision ID: b7d9f1a3c5e8
Revises: d9f1a3c5e7b9
Create Date: 2026-12-05 21:35:00

layananpublik_feed_description: a dataset description (its Markdown `notes`) as the feeds
publish it, keyed by a digest of the renderer's version and the text itself: the HTML
(CKAN's Markdown renderer, bleach-cleaned), its plain text and the entry's summary. A
description is rendered the first time a feed needs it; an update that leaves the text
alone, and a feed read with the Redis caches off, read it back instead of rendering it
again. A key never goes stale (a changed text, or a new renderer, is another key).
"""

import sqlalchemy as sa
from alembic import op

revision = "b7d9f1a3c5e8"
down_revision = "d9f1a3c5e7b9"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "layananpublik_feed_description",
        sa.Column("digest", sa.UnicodeText, primary_key=True),
        sa.Column("html", sa.UnicodeText, nullable=False),
        sa.Column("text", sa.UnicodeText, nullable=False),
        sa.Column("summary", sa.UnicodeText, nullable=False),
        sa.Column("rendered_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )


def downgrade():
    op.drop_table("layananpublik_feed_description")
