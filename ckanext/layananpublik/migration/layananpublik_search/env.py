"""Alembic environment for the search index.

The index lives in its own schema, `layananpublik_search`, version table included:
CKAN's test fixture `clean_db` drops every table of the default schema, and the index
(like a Solr core) must outlive that. The schema is created before alembic looks for
its version table.
"""

from __future__ import annotations

from logging.config import fileConfig

import sqlalchemy as sa
from alembic import context
from sqlalchemy import engine_from_config, pool

SCHEMA = "layananpublik_search"
config = context.config
fileConfig(config.config_file_name)


def run_migrations_online() -> None:
    connectable = engine_from_config(
        config.get_section(config.config_ini_section),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}"))
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            version_table="alembic_version",
            version_table_schema=SCHEMA,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("The search index migrations run online only.")
run_migrations_online()
