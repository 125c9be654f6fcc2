"""`make test`: start a separate test PostgreSQL and Redis, run pytest, stop them.

TEST_DATABASE_URL / TEST_REDIS_URL point at existing servers instead; extra
arguments are passed on to pytest (`make test ARGS="-k search"`). CKAN's own search
tests get a second database, ckan_test_core (CKAN_CORE_TEST_DATABASE_URL, which may also
name one on an existing server), to run in alongside the rest of the suite; without one
they run alone in the first. The social and production-fault tests likewise run in the
background in a third, ckan_test_lane (CKAN_LANE_TEST_DATABASE_URL; tests/background.py);
without one, in turn.
"""

from __future__ import annotations

import os
import subprocess
import sys

from devstack import procs
from devstack.procs import ROOT, StackError

DATA = ROOT / ".data" / "test"


def main(argv: list[str]) -> int:
    children = []
    postgres = None
    # The test servers keep initdb's 128 MB of shared buffers (unless set otherwise): their
    # data is small, and the suite's times were measured with it. (`make run` and the
    # benchmarks get a pool sized from RAM, devstack/postgres.py.)
    os.environ.setdefault("LP_PG_SHARED_BUFFERS", "128MB")
    env = dict(os.environ)
    try:
        database_url = os.environ.get("TEST_DATABASE_URL")
        if not database_url:
            from devstack.postgres import Postgres

            postgres = Postgres(DATA / "postgres", int(os.environ.get("LP_TEST_PG_PORT", 54322)))
            postgres.start()
            database_url = postgres.ensure_database("ckan_test", "ckan_test", "ckan_test")
            # CKAN's own search tests (tests/search/test_ckan_core_suite.py) get a database of
            # their own, so they can run while the rest of the suite does.
            env.setdefault(
                "CKAN_CORE_TEST_DATABASE_URL", postgres.ensure_database("ckan_test_core", "ckan_test", "ckan_test")
            )
            # The social and production-fault tests run in the background in one of their own
            # (tests/background.py).
            env.setdefault(
                "CKAN_LANE_TEST_DATABASE_URL", postgres.ensure_database("ckan_test_lane", "ckan_test", "ckan_test")
            )
        redis_url = os.environ.get("TEST_REDIS_URL")
        if not redis_url:
            from devstack import redis

            port = int(os.environ.get("LP_TEST_REDIS_PORT", 63792))
            children.append(redis.start(DATA / "redis", port))
            redis_url = f"redis://127.0.0.1:{port}/1"
        env.update(CKAN_SQLALCHEMY_URL=database_url, CKAN_REDIS_URL=redis_url)
        (ROOT / "reports").mkdir(exist_ok=True)
        cmd = [
            sys.executable,
            "-m",
            "pytest",
            "--ckan-ini=test.ini",
            "--junitxml=reports/junit.xml",
            *(argv or ["tests"]),
        ]
        print("+", " ".join(cmd), flush=True)
        return subprocess.run(cmd, cwd=ROOT, env=env).returncode
    except StackError as exc:
        print(f"make test: {exc}", file=sys.stderr)
        return 1
    finally:
        for proc in children:
            procs.stop(proc)
        if postgres is not None:
            postgres.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
