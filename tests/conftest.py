"""Fixtures shared by every test: CKAN's own (app, clean_db, ...) plus our tables."""

from __future__ import annotations

import pytest
from ckan import plugins
from ckan.cli.db import _run_migrations  # what CKAN's migrate_db_for fixture calls


def migrate(plugin: str) -> None:
    """Apply a plugin's migrations; CKAN finds them through the loaded plugin, and its
    test runner unloads plugins before the tests start."""
    if plugins.plugin_loaded(plugin):
        _run_migrations(plugin)
    else:
        with plugins.use_plugin(plugin):
            _run_migrations(plugin)


@pytest.fixture(scope="session", autouse=True)
def search_index_table():
    """The search index lives in its own schema, which clean_db leaves alone: migrate once."""
    migrate("layananpublik_search")


@pytest.fixture
def clean_db(reset_db):
    """CKAN's clean_db, plus this extension's tables (dropped with the rest on first reset)."""
    reset_db()
    migrate("layananpublik")
