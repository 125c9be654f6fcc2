"""Parts of the suite run in a pytest of their own beside the rest, on the second core.

`make test` runs one pytest: one core. Tests that mostly wait (the production faults: restarts
and outages of their own servers) or that can have a database of their own (the social tests)
run in a child pytest in the background instead, in a database and a Redis database of their
own (without one, in this session), one child at a time, after CKAN's own search
tests (tests/search/test_ckan_core_suite.py), which start once the browser tests are over
(tests/conftest.py). Each of their tests stays in the session as a BackgroundResult: it waits
for the child and passes, fails or is skipped as the test did there, with its report. A part
runs in the background only when the session holds other tests too (alone, it runs as usual).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_SECONDS = 900


def other_redis_db(url: str, number: int) -> str:
    """The same Redis server, database `number`: redis://h:p/1 -> redis://h:p/3."""
    base, _, old = url.rpartition("/")
    return f"{base}/{number}" if old.isdigit() else f"{url.rstrip('/')}/{number}"


class Part:
    """Tests (node ids under `prefixes`) run by a child pytest in `env()`'s environment."""

    def __init__(self, name: str, prefixes: tuple[str, ...], env) -> None:
        self.name, self.prefixes, self.env = name, prefixes, env
        self.nodeids: list[str] = []
        self.proc: subprocess.Popen | None = None
        self.junit: Path | None = None
        self.output: Path | None = None
        self.outcomes: dict | None = None

    def start(self, directory: Path) -> None:
        self.junit, self.output = directory / "junit.xml", directory / "output.txt"
        cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--ckan-ini=test.ini",
               f"--junitxml={self.junit}", "-q", *self.nodeids]  # fmt: skip
        with self.output.open("wb") as out:  # a file, not a pipe nobody reads while it runs
            self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=self.env())

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def result(self, nodeid: str) -> tuple[str, str]:
        """('passed' | 'failed' | 'skipped', details) of one of its tests, the run waited for."""
        if self.outcomes is None:
            assert self.proc is not None, f"the {self.name} tests' background run was never started"
            try:
                returncode = self.proc.wait(timeout=TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                self.stop()
                raise AssertionError(f"the {self.name} tests took over {TIMEOUT_SECONDS} s:\n{self.tail()}") from None
            assert returncode in (0, 1) and self.junit.exists(), (
                f"the {self.name} tests did not run (exit {returncode}):\n{self.tail()}"
            )
            self.outcomes = outcomes(self.junit)
        assert nodeid in self.outcomes, f"{nodeid} did not run in the background:\n{self.tail()}"
        return self.outcomes[nodeid]

    def tail(self) -> str:
        return self.output.read_text(errors="replace")[-5000:] if self.output and self.output.exists() else ""

    def stop(self) -> None:
        """Interrupt the run as Ctrl-C would (its fixtures stop what they started), then kill it."""
        if self.running():
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(90)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def take(self, items: list) -> None:
        """Swap its tests among the session's `items` for BackgroundResult items, when the
        session holds other tests too (the background run then overlaps them)."""
        ours = [i for i, item in enumerate(items) if item.nodeid.startswith(self.prefixes)]
        if not ours or len(ours) == len(items):
            return
        self.nodeids = [items[i].nodeid for i in ours]
        for i in ours:
            item = items[i]
            stand_in = BackgroundResult.from_parent(item.parent, name=item.name)
            stand_in.part = self
            # It uses no fixture; CKAN's pytest plugin adds ckan_config here for a ckan_config mark.
            stand_in.fixturenames = []
            items[i] = stand_in


def node_id(classname: str, name: str) -> str:
    """'tests.social.test_x.TestY', 'test_z' -> 'tests/social/test_x.py::TestY::test_z'."""
    parts = classname.split(".")
    module_end = max(i for i, part in enumerate(parts) if part.startswith("test_")) + 1
    return "::".join(["/".join(parts[:module_end]) + ".py", *parts[module_end:], name])


def outcomes(junit: Path) -> dict[str, tuple[str, str]]:
    """node id -> (outcome, the failures' or the skip's text) of a junit file (a test whose
    teardown failed too has two entries: both texts)."""
    found: dict[str, tuple[str, str]] = {}
    rank = {"passed": 0, "skipped": 1, "failed": 2}
    for case in ET.parse(junit).getroot().iter("testcase"):
        nodeid = node_id(case.get("classname", ""), case.get("name", ""))
        outcome, details = "passed", ""
        for kind in ("failure", "error", "skipped"):
            element = case.find(kind)
            if element is not None:
                outcome = "skipped" if kind == "skipped" else "failed"
                details = f"{element.get('message', '')}\n{element.text or ''}"
                break
        before = found.get(nodeid, ("passed", ""))
        if outcome == before[0] == "failed":
            found[nodeid] = ("failed", before[1] + "\n" + details)
        elif rank[outcome] > rank[before[0]] or nodeid not in found:
            found[nodeid] = (outcome, details)
    return found


class BackgroundFailure(Exception):
    """A test that failed in its background run (its report is the message)."""


class BackgroundResult(pytest.Item):
    """A test of this session run in the background: it passes, fails or is skipped as it
    did there."""

    part: Part

    def runtest(self) -> None:
        outcome, details = self.part.result(self.nodeid)
        if outcome == "skipped":
            pytest.skip(details.strip().splitlines()[0] if details.strip() else "skipped in the background run")
        if outcome == "failed":
            raise BackgroundFailure(details)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, BackgroundFailure):
            return f"failed in the {self.part.name} tests' background run:\n{excinfo.value}"
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, self.name


def _lane_env() -> dict[str, str]:
    """A database of their own (devstack.testrun makes it) and a Redis database of their own
    (neither this run's nor that of CKAN's own search tests). Even the production tests, whose
    site has servers of its own, need it: the child's CKAN app starts on the database it is
    given and creates the site user there, which raced this session's tests that had just
    emptied the main database and were creating it too (a duplicate key, in CI)."""
    env = dict(os.environ)
    env["CKAN_SQLALCHEMY_URL"] = os.environ["CKAN_LANE_TEST_DATABASE_URL"]
    main = os.environ["CKAN_REDIS_URL"].rpartition("/")[2]
    taken = {main, "3" if main == "2" else "2"}  # this run's, and CKAN's own search tests'
    env["CKAN_REDIS_URL"] = other_redis_db(os.environ["CKAN_REDIS_URL"], next(n for n in (3, 4) if str(n) not in taken))
    env.pop("CKAN_INI", None)
    return env


# The parts run one at a time, so they share the one lane database.
PRODUCTION = Part("production", ("tests/production/",), _lane_env)
SOCIAL = Part("social", ("tests/social/",), _lane_env)


def parts(items: list) -> list[Part]:
    """The parts to run in the background this session (their tests swapped in `items`), in
    the order they run."""
    chosen = []
    # Without a database of their own, they run in this session as usual.
    if not (os.environ.get("CKAN_LANE_TEST_DATABASE_URL") and os.environ.get("CKAN_REDIS_URL")):
        return []
    # The embedded PostgreSQL of the production tests skips them when it cannot run (root without useradd).
    if not (shutil.which("useradd") is None and os.geteuid() == 0):
        chosen.append(PRODUCTION)
    chosen.append(SOCIAL)
    for part in chosen:
        part.take(items)
    return [part for part in chosen if part.nodeids]
