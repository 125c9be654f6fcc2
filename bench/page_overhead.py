"""The `layananpublik` plugin's added latency on CKAN's home and dataset pages (on vs off).

Each configuration runs in its own process (CKAN's plugins are process-global), the two
alternate several times in the same run, and each page is requested many times in-process
through the WSGI app, so the figure is the plugin's cost and not network noise. The search
plugin is on in both: without it CKAN would need Solr to render these pages.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from bench.common import INI, bench_stack, ckan, median
from devstack.procs import ROOT

REQUESTS = int(os.environ.get("LP_BENCH_PAGE_REQUESTS", 200))
ROUNDS = int(os.environ.get("LP_BENCH_PAGE_ROUNDS", 5))
CONFIGS = {
    "off": "activity layananpublik_search",
    "on": "activity layananpublik_search layananpublik",
}


def measure(plugins: str) -> dict:
    """Run in a child process: per-page median seconds over REQUESTS requests."""
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    from werkzeug.test import Client

    conf = load_config(INI)
    conf["ckan.plugins"] = plugins
    client = Client(make_app(conf))
    result = {}
    for page in ("/", "/dataset/jumlah-penduduk-per-kecamatan"):
        for _ in range(10):  # warm caches, templates, connections
            assert client.get(page).status_code == 200, page
        times = []
        for _ in range(REQUESTS):
            t = time.perf_counter()
            client.get(page)
            times.append(time.perf_counter() - t)
        result[page] = median(times)
    return result


def main() -> None:
    with bench_stack("ckan_bench_pages") as env:
        ckan(env, "layananpublik", "demo", "--admin-password", "bench-admin-password")
        samples: dict[str, list[dict]] = {"on": [], "off": []}
        for _ in range(ROUNDS):
            for name, plugins in CONFIGS.items():
                out = subprocess.run(
                    [sys.executable, "-m", "bench.page_overhead", plugins],
                    env=env,
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                samples[name].append(json.loads(out.stdout.strip().splitlines()[-1]))
        for page in samples["on"][0]:
            on = median([s[page] for s in samples["on"]])
            off = median([s[page] for s in samples["off"]])
            print(
                f"page {page}: plugin off {off * 1000:.1f} ms, on {on * 1000:.1f} ms, "
                f"ratio {on / off:.3f} (median of {ROUNDS} rounds x {REQUESTS} requests)"
            )


if __name__ == "__main__" and len(sys.argv) > 1:
    import logging

    logging.disable(logging.WARNING)
    print(json.dumps(measure(sys.argv[1])))
