"""`ckan layananpublik-search rebuild` over 10,000 real datasets (CKAN's package_show included).

The datasets are written straight into CKAN's tables (a bulk load, as a migration from
another catalogue would), the index is emptied, and the real CLI rebuilds it in batches.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from bench.common import CKAN, INI, bench_stack
from devstack.procs import ROOT

COUNT = int(os.environ.get("LP_BENCH_REBUILD_COUNT", 10000))


def load(count: int) -> None:
    """Runs in a child process: bulk-create `count` datasets with a resource and tags."""
    from ckan import model
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    make_app(load_config(INI))
    existing = model.Session.query(model.Package).filter(model.Package.name.like("rebuild-%")).count()
    org = model.Group.get("rebuild-org") or model.Group(
        name="rebuild-org", title="Dinas Uji", type="organization", is_organization=True
    )
    model.Session.add(org)
    tags = {}
    for i in range(existing, count):
        package = model.Package(
            name=f"rebuild-{i:05d}", title=f"Data penduduk kecamatan {i}", notes="Jumlah penduduk per tahun",
            owner_org=None, state="active", type="dataset",
        )  # fmt: skip
        package.owner_org = org.id
        model.Session.add(package)
        package.resources_all.append(model.Resource(url=f"https://data.example.go.id/{i}.csv", format="CSV"))
        for name in (f"tag-{i % 50}", "kependudukan"):
            tag = tags.get(name) or model.Tag.by_name(name) or model.Tag(name=name)
            tags[name] = tag
            model.Session.add(model.PackageTag(package=package, tag=tag))
        if i % 1000 == 999:
            model.Session.commit()
    model.Session.commit()


def _timed(env: dict, *args: str) -> tuple[float, str]:
    started = time.monotonic()
    out = subprocess.run(
        [CKAN, "-c", INI, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return time.monotonic() - started, out.stdout


def main() -> None:
    with bench_stack("ckan_bench_rebuild") as env:
        subprocess.run([sys.executable, "-m", "bench.rebuild", "load"], env=env, cwd=ROOT, check=True)
        ours, out = _timed(env, "layananpublik-search", "rebuild", "--clear", "--batch-size", "500")
        progress = [line for line in out.splitlines() if line.startswith(("indexed", "done"))]
        loop = float(progress[-1].split(" in ")[1].rstrip("s"))
        print(f"rebuild via CLI: {progress[0]} ... {progress[-1]}; load average {os.getloadavg()[0]:.1f}")
        print(f"rebuild via CLI: {COUNT} datasets in {ours:.1f} s with start-up ({COUNT / ours:.0f} datasets/s), "
              f"{loop:.1f} s without ({COUNT / loop:.0f} datasets/s)")  # fmt: skip
        # CKAN core's command over the same datasets and the same index: one dataset at a time.
        core, _ = _timed(env, "search-index", "rebuild", "--clear", "--quiet")
        print(
            f"ckan search-index rebuild (core): {COUNT} datasets in {core:.1f} s ({COUNT / core:.0f} datasets/s); "
            f"load average {os.getloadavg()[0]:.1f}"
        )
        print(f"ours / core speed: {core / ours:.2f}x (both with start-up)")


if __name__ == "__main__" and sys.argv[1:] == ["load"]:
    import logging

    logging.disable(logging.WARNING)
    load(COUNT)
