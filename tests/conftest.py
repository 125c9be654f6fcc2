"""Fixtures shared by every test: CKAN's own (app, clean_db, ...) plus our tables."""

from __future__ import annotations

import pytest
from ckan import plugins
from ckan.cli.db import _run_migrations  # what CKAN's migrate_db_for fixture calls

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


@pytest.fixture(scope="session", autouse=True)
def search_index_table():
    """The search index lives in its own schema, which clean_db leaves alone: migrate once."""
    migrate("layananpublik_search")


@pytest.fixture
def clean_db(reset_db):
    """CKAN's clean_db, plus this extension's tables (dropped with the rest on first reset)."""
    reset_db()
    migrate("layananpublik")


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
    """Run every queued background job now, in a real RQ worker (burst mode)."""
    from ckan.lib import jobs

    def run() -> None:
        jobs.Worker([jobs.DEFAULT_QUEUE_NAME]).work(burst=True)

    return run
