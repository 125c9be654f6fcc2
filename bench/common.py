"""A separate embedded PostgreSQL/Redis for benchmarks, and small timing helpers."""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from devstack import procs
from devstack.procs import ROOT

DATA = ROOT / ".data" / "bench"
CKAN = str(Path(sys.executable).parent / "ckan")
INI = str(ROOT / "test.ini")


@contextlib.contextmanager
def bench_stack(database: str = "ckan_bench") -> Iterator[dict]:
    """Start (or reuse) the bench servers; yield the environment pointing CKAN at them.

    Each benchmark names its own database, so one's data never skews another's figures."""
    from devstack import redis
    from devstack.postgres import Postgres

    postgres = Postgres(DATA / "postgres", int(os.environ.get("LP_BENCH_PG_PORT", 61323)))
    postgres.start()
    redis_port = int(os.environ.get("LP_BENCH_REDIS_PORT", 63793))
    redis_proc = redis.start(DATA / "redis", redis_port)
    try:
        env = dict(
            os.environ,
            CKAN_SQLALCHEMY_URL=postgres.ensure_database(database, "ckan_bench", "ckan_bench"),
            CKAN_REDIS_URL=f"redis://127.0.0.1:{redis_port}/2",
        )
        ckan(env, "db", "init")
        ckan(env, "db", "upgrade")
        yield env
    finally:
        procs.stop(redis_proc)
        postgres.stop()


def ckan(env: dict, *args: str) -> str:
    result = subprocess.run([CKAN, "-c", INI, *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"ckan {' '.join(args)} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return result.stdout


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"
