"""Create the dataset search index (one row per document CKAN would send to Solr)

Revision ID: 9a1c0e5b7d21
Revises:
Create Date: 2026-11-24 22:00:00
"""

from alembic import op

revision = "9a1c0e5b7d21"
down_revision = None
branch_labels = None
depends_on = None

S = "layananpublik_search"


def upgrade():
    op.execute(
        f"""
        CREATE TABLE {S}.package_doc (
            index_id text PRIMARY KEY,
            site_id text NOT NULL,
            id text NOT NULL,
            name text,
            entity_type text,
            dataset_type text,
            state text,
            capacity text,
            permission_labels text[] NOT NULL DEFAULT '{{}}',
            metadata_created timestamptz,
            metadata_modified timestamptz,
            title_string text,
            doc jsonb NOT NULL,
            sdoc jsonb NOT NULL,
            tdoc jsonb NOT NULL,
            tsv tsvector NOT NULL,
            data_dict text,
            validated_data_dict text,
            indexed_at timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    for name, expr in [
        ("site_state_capacity", "btree (site_id, state, capacity)"),
        ("id", "btree (id)"),
        ("name", "btree (name)"),
        ("modified", "btree (metadata_modified)"),
        ("created", "btree (metadata_created)"),
        ("labels", "gin (permission_labels)"),
        ("sdoc", "gin (sdoc jsonb_path_ops)"),
        ("tsv", "gin (tsv)"),
    ]:
        op.execute(f"CREATE INDEX package_doc_{name}_idx ON {S}.package_doc USING {expr}")
    # Bumped in the same transaction as every index write, so a cached facet count
    # is keyed to exactly the snapshot it was computed from.
    op.execute(
        f"CREATE TABLE {S}.generation (one boolean PRIMARY KEY DEFAULT true CHECK (one), value bigint NOT NULL)"
    )
    op.execute(f"INSERT INTO {S}.generation VALUES (true, 0)")


def downgrade():
    op.execute(f"DROP TABLE {S}.generation")
    op.execute(f"DROP TABLE {S}.package_doc")
