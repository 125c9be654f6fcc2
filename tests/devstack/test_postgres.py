"""The embedded PostgreSQL behind `make run`: faults are reported or recovered from."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import time
import uuid

import pytest

from devstack.postgres import MB, Postgres, memory_settings
from devstack.procs import ROOT, StackError, free_port


@pytest.fixture
def datadir():
    # Under the repo, not /tmp/pytest-of-root: the service account must reach it.
    path = ROOT / ".data" / "test" / f"devstack-{uuid.uuid4().hex[:8]}" / "postgres"
    path.parent.mkdir(parents=True)
    yield path
    server = Postgres(path, 1)
    if server._running_pid():
        server.started_by_us = True
        server.stop()
    shutil.rmtree(path.parent)


def test_starts_and_creates_a_database(datadir):
    server = Postgres(datadir, free_port())
    server.start()
    try:
        url = server.ensure_database("contoh", "contoh", "rahasia")
        assert url.endswith(f"127.0.0.1:{server.port}/contoh")
        assert server.psql("SELECT current_setting('server_version_num')::int >= 120000") == "t"
        assert server.psql("SELECT cfgname FROM pg_ts_config WHERE cfgname = 'indonesian'") == "indonesian"
        # Sized from the machine's RAM, not initdb's 128 MB.
        shared = int(server.psql("SELECT setting::bigint * 8192 FROM pg_settings WHERE name = 'shared_buffers'"))
        assert shared == int(memory_settings()["shared_buffers"].removesuffix("MB")) * MB
    finally:
        server.stop()
    assert server._running_pid() is None


def test_port_in_use_is_reported_in_one_line(datadir):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        server = Postgres(datadir, busy.getsockname()[1])
        with pytest.raises(StackError) as error:
            server.start()
    message = str(error.value)
    assert "in use" in message and "LP_PG_PORT" in message and "\n" not in message


def test_server_left_running_by_a_killed_run_is_adopted(datadir):
    port = free_port()
    Postgres(datadir, port).start()  # the "killed" run never stops it
    again = Postgres(datadir, port)
    again.start()
    assert again.started_by_us
    assert again.psql("SELECT 1") == "1"
    again.stop()
    assert again._running_pid() is None


def test_stale_pid_file_after_a_crash_is_recovered(datadir):
    port = free_port()
    server = Postgres(datadir, port)
    server.start()
    pid = server._running_pid()
    os.kill(pid, signal.SIGKILL)  # crash: postmaster.pid stays behind
    deadline = time.monotonic() + 20
    while server._running_pid() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert (datadir / "postmaster.pid").exists()
    restarted = Postgres(datadir, port)
    restarted.start()
    assert restarted.psql("SELECT 1") == "1"
    restarted.stop()


def test_foreign_directory_is_never_overwritten(datadir):
    datadir.mkdir()
    (datadir / "notes.txt").write_text("not a database")
    with pytest.raises(StackError, match="not a PostgreSQL data directory"):
        Postgres(datadir, free_port()).start()
    assert (datadir / "notes.txt").read_text() == "not a database"


def test_memory_settings_follow_the_machines_ram(monkeypatch):
    monkeypatch.delenv("LP_PG_SHARED_BUFFERS", raising=False)
    # A quarter of RAM for shared buffers, half as the planner's cache size.
    assert memory_settings(4096 * MB) == {"shared_buffers": "1024MB", "effective_cache_size": "2048MB"}
    # Never below initdb's 128 MB, never above 8 GB.
    assert memory_settings(256 * MB)["shared_buffers"] == "128MB"
    assert memory_settings(64 * 1024 * MB)["shared_buffers"] == "8192MB"
    monkeypatch.setenv("LP_PG_SHARED_BUFFERS", "512MB")
    assert memory_settings(4096 * MB)["shared_buffers"] == "512MB"
