"""A real portal process and a real headless Chromium for browser journeys: one of each for the
whole session (the portal keeps nothing between requests that the tests' resets leave behind)."""

from __future__ import annotations

import configparser
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    message = "Debian's chromium is not installed (make test installs it when run as root)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Shared:
    """The one portal process and the one Chromium of the session, started at first use and
    stopped when the session ends (tests/conftest.py's pytest_sessionfinish calls stop())."""

    portal: tuple[subprocess.Popen, str, Path] | None = None
    playwright = None
    chromium = None


def _start_portal(log_dir: Path, ini: Path = ROOT / "test.ini") -> tuple[subprocess.Popen, str, Path]:
    """`ckan run` on test.ini (same database and Redis as the tests), or on a config built on it,
    on a free port."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ, CKAN_SITE_URL=url)
    log_path = log_dir / "portal.log"
    log = open(log_path, "wb")
    ckan = str(Path(sys.executable).parent / "ckan")
    proc = subprocess.Popen(
        [ckan, "-c", str(ini), "run", "-H", "127.0.0.1", "-p", str(port), "--disable-reloader"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(url + "/api/3/action/status_show", timeout=2):
                return proc, url, log_path
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                _stop_portal(proc)
                pytest.fail("portal did not start:\n" + log_path.read_text()[-3000:])
            time.sleep(0.2)


def _stop_portal(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(15)


@contextlib.contextmanager
def running_portal(log_dir: Path):
    """The session's portal (`ckan run` on test.ini, the tests' database and Redis, a free
    port): it reads everything from the database and Redis, which the tests' fixtures reset,
    so one process serves every test; started on first use, its log in the first log_dir."""
    if _Shared.portal is not None and _Shared.portal[0].poll() is not None:
        _Shared.portal = None  # it died: start another (the next check shows its log)
    if _Shared.portal is None:
        _Shared.portal = _start_portal(log_dir)
    proc, url, log_path = _Shared.portal
    yield url
    if proc.poll() is not None:
        pytest.fail("the portal stopped during the test:\n" + log_path.read_text()[-3000:])


@contextlib.contextmanager
def portal_with(log_dir: Path, settings: dict[str, str]):
    """A portal of its own (not the session's) on test.ini with `settings` changed, e.g. more
    plugins for the pages only they serve, leaving the rest of the suite on test.ini; stopped
    after the block."""
    parser = configparser.RawConfigParser()
    parser.optionxform = str  # keys as written
    parser.read(ROOT / "test.ini")
    for key, value in settings.items():
        parser.set("app:main", key, value)
    ini = log_dir / "portal.ini"
    with ini.open("w") as out:
        parser.write(out)
    ini.write_text(ini.read_text().replace("%(here)s", str(ROOT)))
    proc, url, log_path = _start_portal(log_dir, ini)
    try:
        yield url
        if proc.poll() is not None:
            pytest.fail("the portal stopped during the test:\n" + log_path.read_text()[-3000:])
    finally:
        if proc.poll() is None:
            _stop_portal(proc)


@pytest.fixture
def portal(clean_db, tmp_path):
    with running_portal(tmp_path) as url:
        yield url


@contextlib.contextmanager
def chromium():
    """The session's headless Chromium (launched on first use); the browser contexts (and
    with them pages, cookies and storage) opened inside the block are closed after it."""
    if _Shared.chromium is None or not _Shared.chromium.is_connected():
        from playwright.sync_api import sync_playwright

        executable = _chromium()
        if _Shared.playwright is None:
            _Shared.playwright = sync_playwright().start()
        _Shared.chromium = _Shared.playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
    instance = _Shared.chromium
    before = set(instance.contexts)
    try:
        yield instance
    finally:
        for context in instance.contexts:
            if context not in before:
                context.close()


@pytest.fixture
def browser():
    with chromium() as instance:
        yield instance


def stop() -> None:
    """Stop the session's portal and Chromium (at the end of the session)."""
    if _Shared.portal is not None:
        _stop_portal(_Shared.portal[0])
        _Shared.portal = None
    if _Shared.chromium is not None:
        with contextlib.suppress(Exception):
            _Shared.chromium.close()
        _Shared.chromium = None
    if _Shared.playwright is not None:
        with contextlib.suppress(Exception):
            _Shared.playwright.stop()
        _Shared.playwright = None
