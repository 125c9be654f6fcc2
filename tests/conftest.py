"""Fixtures shared by every test: CKAN's own (app, clean_db, ...) plus our tables."""

from __future__ import annotations

import copy

import pytest
import sqlalchemy as sa
from ckan import plugins
from ckan.cli.db import _run_migrations  # what CKAN's migrate_db_for fixture calls
from ckan.common import config
from ckan.plugins import core as plugin_core

# Fixtures of every case type's tests (requests, objections, complaints, calendar, roles):
# a public body with its staff, and the pages' test client.
from tests.cases.factories import (  # noqa: F401
    body,
    db_fault,
    officer,
    other_body,
    other_officer,
    requester,
    sysadmin,
)
from tests.pages import client  # noqa: F401


def migrate(plugin: str) -> None:
    """Apply a plugin's migrations; CKAN finds them through the loaded plugin, and its
    test runner unloads plugins before the tests start."""
    if plugins.plugin_loaded(plugin):
        _run_migrations(plugin)
    else:
        with plugins.use_plugin(plugin):
            _run_migrations(plugin)


def _loaded_plugins() -> list:
    """The loaded plugins, in order, as instances (a reload makes new ones)."""
    return [(name, plugin_core._PLUGINS_SERVICE.get(name)) for name in plugin_core._PLUGINS]


class _Loaded:
    """What CKAN's with_plugins last loaded: from which config, which plugins, leaving which config."""

    before: dict | None = None
    plugins: list | None = None
    after: dict | None = None


@pytest.fixture
def with_plugins(ckan_config):
    """CKAN's with_plugins: every plugin of `ckan.plugins` (the test's ckan_config marks
    applied) loaded for the test. CKAN's loads them before each test and unloads them after,
    and each load and unload rebuilds the environment (environment.update_config). Here they
    stay loaded from one test to the next while the test starts from the config they were
    loaded from and they are still the loaded ones (the config is then the one that load left);
    a test that does not ask for them has them unloaded first (_plugins_only_when_asked)."""
    if _Loaded.plugins is not None and _Loaded.plugins == _loaded_plugins() and _Loaded.before == dict(config):
        config.clear()
        config.update(copy.deepcopy(_Loaded.after))
    else:
        before = copy.deepcopy(dict(config))
        plugins.load_all()
        _Loaded.before, _Loaded.plugins, _Loaded.after = before, _loaded_plugins(), copy.deepcopy(dict(config))
    yield


@pytest.fixture(autouse=True)
def _plugins_only_when_asked(request):
    """Unload the plugins with_plugins left loaded before a test that did not ask for them,
    as CKAN's with_plugins would have after the test that did."""
    if "with_plugins" not in request.fixturenames and _Loaded.plugins is not None:
        if _Loaded.plugins == _loaded_plugins():
            plugins.unload_non_system_plugins()
        _Loaded.plugins = None


# The test apps make_app built last: config before, app, plugins and config after.
_APPS: list[tuple[dict, object, list, dict]] = []
_KEPT_APPS = 4


@pytest.fixture
def make_app(ckan_config):
    """CKAN's make_app, which builds the whole app again for every test (Flask app,
    blueprints, templates, middleware: about a second) and, doing so, loads every plugin of
    `ckan.plugins` afresh. When the config is the one one of the last apps was built from and
    the loaded plugins are still the ones that build loaded, that app serves (and the config
    becomes the one building it left): building again would change nothing."""
    from ckan.lib.app_globals import _CONFIG_CACHE
    from ckan.tests import helpers

    _CONFIG_CACHE.clear()

    def make():
        config["testing"] = True
        before = copy.deepcopy(dict(config))
        loaded = _loaded_plugins()
        for index, (built_from, wsgi, plugins_after, after) in enumerate(_APPS):
            if built_from == before and plugins_after == loaded:
                _APPS.insert(0, _APPS.pop(index))
                config.clear()
                config.update(copy.deepcopy(after))
                return helpers.CKANTestApp(wsgi)
        vouched = _Loaded.plugins is not None and _Loaded.plugins == loaded
        app = helpers._get_test_app()
        _APPS.insert(0, (before, app.app, _loaded_plugins(), copy.deepcopy(dict(config))))
        del _APPS[_KEPT_APPS:]
        if vouched:  # the build loaded the same plugins again: with_plugins' load stands for them
            _Loaded.plugins = _loaded_plugins()
        return app

    return make


@pytest.fixture(scope="session", autouse=True)
def search_index_table():
    """The search index lives in its own schema, which clean_db leaves alone: migrate once."""
    migrate("layananpublik_search")


# The revision `migrate("layananpublik")` last left the database at (None: not migrated yet),
# and how many times clean_db has rebuilt the tables (a snapshot of rows, tests/cases/snapshots.py,
# holds only for the tables it was taken from).
_migrated: dict[str, str | None] = {"layananpublik": None}
_rebuilds = [0]


def _revision(conn, plugin: str) -> str | None:
    table = f"{plugin}_alembic_version"
    if conn.execute(sa.text("SELECT to_regclass(:t)"), {"t": table}).scalar() is None:
        return None
    return conn.execute(sa.text(f'SELECT version_num FROM "{table}"')).scalar()


def model_tables(conn) -> list:
    """The model's tables (this extension's included) that exist, but alembic_version, parents first."""
    from ckan import model

    present = set(conn.execute(sa.text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"))
                  .scalars())  # fmt: skip
    return [t for t in model.repo.metadata.sorted_tables
            if t.name != "alembic_version" and t.schema is None and t.name in present]  # fmt: skip


def _delete_all_rows() -> bool:
    """What CKAN's reset_db does once its tables exist (model.repo.delete_all: delete the rows
    of every table of the model, this extension's included, but alembic_version), in one round
    trip instead of a catalogue query and a DELETE per table, and with no alembic run when this
    extension's migrations are still at the revision the last migrate() left. False (nothing
    done) when that does not hold: the first reset of the session, or after a test downgraded."""
    from ckan import model

    if not model.repo.tables_created_and_initialised or _migrated["layananpublik"] is None:
        return False
    model.Session.close_all()
    model.Session.remove()
    engine = model.meta.engine
    with engine.begin() as conn:
        if _revision(conn, "layananpublik") != _migrated["layananpublik"]:
            return False
        quote = conn.dialect.identifier_preparer.format_table
        tables = list(reversed(model_tables(conn)))
        conn.exec_driver_sql(";\n".join(f"DELETE FROM {quote(t)}" for t in tables))
    return True


@pytest.fixture
def clean_db(reset_db):
    """CKAN's clean_db, plus this extension's tables (dropped with the rest on first reset)."""
    if _delete_all_rows():
        return
    reset_db()
    migrate("layananpublik")
    _rebuilds[0] += 1
    from ckan import model

    with model.meta.engine.connect() as conn:
        _migrated["layananpublik"] = _revision(conn, "layananpublik")


@pytest.fixture
def smtp_sink(ckan_config, monkeypatch):
    """A real SMTP server (aiosmtpd) on a free port, with CKAN's mailer pointed at it.
    Yields the list of received messages (email.message.Message), newest last."""
    import email
    import socket

    from aiosmtpd.controller import Controller

    received: list = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
            received.append(email.message_from_bytes(envelope.original_content or envelope.content))
            return "250 Message accepted for delivery"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{port}")
    monkeypatch.setitem(ckan_config, "smtp.starttls", False)
    try:
        yield received
    finally:
        controller.stop()


@pytest.fixture
def run_jobs():
    """Run every queued background job now: CKAN's RQ worker (burst mode) takes each job from
    the real Redis queue and performs it, in this process. CKAN's worker forks a work horse
    per job and rebuilds the whole CKAN environment in it (load_environment: plugins,
    templates, translations), which was 75-90% of a job's time (0.6-2.7 s a job on an idle
    machine, many seconds under load, per job and per call): RQ's SimpleWorker performs the job
    without the fork. The forked workers themselves are tested in tests/production, which runs
    real `ckan jobs worker` processes."""
    from ckan.lib import jobs
    from rq.worker import SimpleWorker

    class Worker(jobs.Worker, SimpleWorker):
        """CKAN's worker (session and engine reset around each job), performing in process."""

    def run() -> None:
        Worker([jobs.DEFAULT_QUEUE_NAME]).work(burst=True)

    return run


CKAN_CORE_SUITE = "tests/search/test_ckan_core_suite.py::"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """CKAN's own search tests (tests/search/test_ckan_core_suite.py) last: their child run
    starts in the background once the browser tests are over (pytest_runtest_setup) and by
    the time the rest of the suite has run, it has finished. Before them, the results of the
    parts run in the background (tests/background.py)."""
    core = [item for item in items if item.nodeid.startswith(CKAN_CORE_SUITE)]
    if core:
        items[:] = [item for item in items if not item.nodeid.startswith(CKAN_CORE_SUITE)] + core
    # Parts of the suite run in the background beside the rest (tests/background.py); their
    # results are collected once everything else of this run is done, but CKAN's tests'.
    from tests import background

    _background[:] = background.parts(items)
    waiting = [item for item in items if isinstance(item, background.BackgroundResult)]
    if waiting:
        rest = [item for item in items if not isinstance(item, background.BackgroundResult)]
        core = [item for item in rest if item.nodeid.startswith(CKAN_CORE_SUITE)]
        items[:] = [item for item in rest if not item.nodeid.startswith(CKAN_CORE_SUITE)] + waiting + core


# Browser tests (Chromium, the portal's server and this process: more than the two cores)
# slowed by some 90 s in all when CKAN's tests ran beside them; the rest gains from the overlap.
_CORE_STARTS_AFTER = "tests/browser/"
_core_started = [False]


_background: list = []  # tests/background.py's parts this session, in the order they run


def pytest_runtest_setup(item):
    """Start CKAN's own search tests, in a database of their own, at the first test that is
    neither a browser test nor one of theirs, when they are to run; then, one at a time, the
    parts of the suite that run in the background (tests/background.py), or a part at the
    first of its tests."""
    if item.nodeid.startswith((_CORE_STARTS_AFTER, CKAN_CORE_SUITE)):
        return
    if not _core_started[0]:
        _core_started[0] = True
        core = next((i for i in item.session.items if i.nodeid.startswith(CKAN_CORE_SUITE)), None)
        if core is not None:
            core.module.start_in_background(item.config._tmp_path_factory)
    import sys

    core_suite = sys.modules.get("tests.search.test_ckan_core_suite")
    core_run = core_suite.CoreRun.background if core_suite is not None else None
    busy = (core_run is not None and core_run.proc.poll() is None) or any(p.running() for p in _background)
    for part in _background:
        if part.proc is None and (not busy or getattr(item, "part", None) is part):
            part.start(item.config._tmp_path_factory.mktemp(part.name))
            busy = True


def pytest_sessionfinish(session, exitstatus):
    """Stop the portal and Chromium the browser tests share (tests/browser/conftest.py), and
    CKAN's own search tests and the background parts (tests/background.py) if the session
    ended before collecting their results."""
    import sys

    shared = sys.modules.get("tests.browser.conftest")
    if shared is not None:
        shared.stop()
    core = sys.modules.get("tests.search.test_ckan_core_suite")
    if core is not None:
        core.stop_background()
    for part in _background:
        part.stop()
