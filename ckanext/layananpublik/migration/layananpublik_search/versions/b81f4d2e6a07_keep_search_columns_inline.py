"""Keep the columns every search reads inline, move the stored documents out first

Revision ID: b81f4d2e6a07
Revises: 7d3e5f0a2c48
Create Date: 2026-11-24 23:45:00

A row is mostly the stored copies of the dataset (doc, data_dict, validated_data_dict,
...). PostgreSQL moves large values out of line (TOAST) largest first, so the text
vector ended up out of line too, and a search matching many datasets paid one TOAST
lookup per row (0.5-1 s at 100,000 datasets). STORAGE MAIN keeps tsv, facet_values and
permission_labels in the row (compressed) unless nothing else can go. Rows take the new
layout when next written: run `ckan layananpublik-search rebuild` to apply it at once.
"""

from alembic import op

revision = "b81f4d2e6a07"
down_revision = "7d3e5f0a2c48"
branch_labels = None
depends_on = None

T = "layananpublik_search.package_doc"
INLINE = ("tsv", "facet_values", "permission_labels")


def upgrade():
    for column in INLINE:
        op.execute(f"ALTER TABLE {T} ALTER COLUMN {column} SET STORAGE MAIN")


def downgrade():
    for column in INLINE:
        op.execute(f"ALTER TABLE {T} ALTER COLUMN {column} SET STORAGE EXTENDED")
