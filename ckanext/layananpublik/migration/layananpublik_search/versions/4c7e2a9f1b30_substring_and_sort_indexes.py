"""Trigram indexes for substring search (autocomplete) and byte-order sort indexes

Revision ID: 4c7e2a9f1b30
Revises: 9a1c0e5b7d21
Create Date: 2026-11-24 23:00:00
"""

from alembic import op

revision = "4c7e2a9f1b30"
down_revision = "9a1c0e5b7d21"
branch_labels = None
depends_on = None

S = "layananpublik_search"


def upgrade():
    # pg_trgm is a trusted extension (the database owner may create it). Where it is
    # missing or not allowed, substring search still works, only without an index.
    op.execute(
        """
        DO $$ BEGIN
            CREATE EXTENSION IF NOT EXISTS pg_trgm;
        EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
            RAISE NOTICE 'pg_trgm unavailable: substring search runs without an index';
        END $$
        """
    )
    op.execute(
        f"""
        DO $$ BEGIN
            IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
                EXECUTE 'CREATE INDEX package_doc_name_trgm_idx ON {S}.package_doc
                         USING gin (lower(name) gin_trgm_ops)';
                EXECUTE 'CREATE INDEX package_doc_title_trgm_idx ON {S}.package_doc
                         USING gin (lower(doc->>''title'') gin_trgm_ops)';
            END IF;
        END $$
        """
    )
    # Solr sorts strings byte-wise; these match the ORDER BY the translator emits.
    op.execute(f'CREATE INDEX package_doc_name_c_idx ON {S}.package_doc (name COLLATE "C")')
    op.execute(f'CREATE INDEX package_doc_title_c_idx ON {S}.package_doc (title_string COLLATE "C")')


def downgrade():
    for name in ("title_c", "name_c", "title_trgm", "name_trgm"):
        op.execute(f"DROP INDEX IF EXISTS {S}.package_doc_{name}_idx")
    # The extension stays: other tables may use it.
