"""Fixtures shared by every test: CKAN's own (app, clean_db, ...) plus our tables."""

from __future__ import annotations

import pytest
from ckan.cli.db import _run_migrations  # what CKAN's migrate_db_for fixture calls


@pytest.fixture(scope="session", autouse=True)
def search_index_table():
    """The search index lives in its own schema, which clean_db leaves alone: migrate once."""
    _run_migrations("layananpublik_search")


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean_db, plus this extension's tables (dropped with the rest on first reset)."""
    reset_db()
    migrate_db_for("layananpublik")
