"""Time from `make run` (devstack.run) to the first 200 from the home page, warm virtualenv.

The first start initialises PostgreSQL and migrates (reported separately); the median
is over the following starts, which reuse the data, as a developer's second `make run`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

from bench.common import DATA, median
from devstack.procs import ROOT, free_port

RUNS = int(os.environ.get("LP_BENCH_STARTUP_RUNS", 3))


def one_start(env: dict, port: int) -> float:
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "devstack.run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
                    if r.status == 200:
                        return time.monotonic() - started
            except OSError:
                pass
            if proc.poll() is not None:
                raise RuntimeError(f"devstack.run exited: {proc.stderr.read().decode()[-2000:]}")
            if time.monotonic() - started > 600:
                raise RuntimeError("no 200 within 600 s")
            time.sleep(0.2)
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(60)


def main() -> None:
    port = free_port()
    env = dict(
        os.environ, LP_DATA_DIR=str(DATA / "run"), LP_CKAN_INI=str(DATA / "run-ckan.ini"),
        LP_WEB_PORT=str(port), LP_PG_PORT=str(free_port()), LP_REDIS_PORT=str(free_port()),
        LP_SMTP_PORT=str(free_port()),
    )  # fmt: skip
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    first = one_start(env, port)
    warm = [one_start(env, port) for _ in range(RUNS)]
    print(
        f"make run -> first 200: first start {first:.1f} s; warm median {median(warm):.1f} s "
        f"over {RUNS} starts ({', '.join(f'{w:.1f}' for w in warm)})"
    )
