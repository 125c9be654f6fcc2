"""A frequent word's matches in modification-date order

Revision ID: d4e6a8c0b2f5
Revises: a6d2f8b4c0e1
Create Date: 2026-12-06 06:20:00

A frequent word's search sorted by `metadata_modified desc` (store.word_order) sorted
all its matches (80,079 at 100,000 datasets) for a page of 20; in this order the page is
the first rows of this index that pass the filters, as in the relevance order.
"""

from alembic import op

revision = "d4e6a8c0b2f5"
down_revision = "a6d2f8b4c0e1"
branch_labels = None
depends_on = None

S = "layananpublik_search"


def upgrade():
    op.execute(f"CREATE INDEX word_hit_modified_idx ON {S}.word_hit (word_id, metadata_modified DESC, index_id)")


def downgrade():
    op.execute(f"DROP INDEX {S}.word_hit_modified_idx")
