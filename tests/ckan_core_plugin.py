"""Pytest plugin for running CKAN's own test files against the PostgreSQL search backend.

CKAN's test files live in site-packages, outside our rootdir, so tests/conftest.py
(which migrates the search index table) does not apply to them. Load this instead:

    python -m pytest -p tests.ckan_core_plugin --ckan-ini=tests/ckan-core.ini \
        .venv/lib/python3.11/site-packages/ckan/tests/lib/search

The shim itself is installed by the plugin `layananpublik_search` when CKAN builds its
app at session start (ckan-core.ini loads it) and is never undone; this plugin only
prepares the database the way CKAN's CI does before its test run (`ckan db init`),
plus our search index table.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from ckan import model, plugins
from ckan.cli.db import _run_migrations  # what CKAN's migrate_db_for fixture calls

SEARCH_PLUGIN = "layananpublik_search"


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Runs after CKAN's own pytest_sessionstart (which builds the app and engine) and
    before collection: some CKAN test modules call `search.is_available()` at import
    time (test_index.py skips itself otherwise), so the table must exist by then."""
    engine = model.meta.engine
    if not sa.inspect(engine).has_table("package"):
        # CKAN's CI runs `ckan db init` first. upgrade_db() leaves the "initialised" flag
        # unset, so CKAN's first clean_db still drops every table as it normally does.
        model.repo.upgrade_db()
    # alembic finds a plugin's migrations through the loaded plugin; CKAN's test runner
    # unloads non-system plugins only later (pytest_runtestloop), so it is loaded here.
    if plugins.plugin_loaded(SEARCH_PLUGIN):
        _run_migrations(SEARCH_PLUGIN)
    else:
        with plugins.use_plugin(SEARCH_PLUGIN):
            _run_migrations(SEARCH_PLUGIN)


@pytest.fixture(autouse=True)
def _same_fake_data_every_run():
    """CKAN's factories fill titles and notes with random English words (Faker); a test
    such as test_name_multiple_results fails whenever one of them happens to be "record",
    with Solr as with us. Reseed before every test so each test sees the same data on
    every run and a failure here always means the backend changed."""
    import factory.random

    factory.random.reseed_random("layananpublik")
