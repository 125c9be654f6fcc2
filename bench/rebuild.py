"""`ckan layananpublik-search rebuild` over 10,000 real datasets (CKAN's package_show included).

The datasets are written straight into CKAN's tables (a bulk load, as a migration from
another catalogue would), the index is emptied, and the real CLI rebuilds it in batches.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time

from bench.common import CKAN, INI, bench_stack, median
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


def _timed(env: dict, *args: str) -> tuple[float, float, str]:
    """Wall time, CPU time (user + system, its worker processes included) and output."""
    before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic()
    out = subprocess.run(
        [CKAN, "-c", INI, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    wall, after = time.monotonic() - started, resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, out.stdout


def _ours(env: dict, workers: int) -> float:
    load = os.getloadavg()[0]
    wall, cpu, out = _timed(
        env, "layananpublik-search", "rebuild", "--clear", "--batch-size", "500", "--workers", str(workers)
    )
    progress = [line for line in out.splitlines() if line.startswith(("indexed", "done"))]
    loop = float(progress[-1].split(" in ")[1].rstrip("s"))
    print(
        f"rebuild via CLI, {workers} worker(s): {COUNT} datasets in {wall:.1f} s with start-up "
        f"({COUNT / wall:.0f} datasets/s), {loop:.1f} s without ({COUNT / loop:.0f} datasets/s); "
        f"CPU {cpu:.1f} s; load average {load:.1f} -> {os.getloadavg()[0]:.1f}"
    )
    return wall


def main() -> None:
    with bench_stack("ckan_bench_rebuild") as env:
        subprocess.run([sys.executable, "-m", "bench.rebuild", "load"], env=env, cwd=ROOT, check=True)
        # A deployment runs the command from compiled bytecode (pip compiles it at install,
        # Python on first import); with PYTHONDONTWRITEBYTECODE set, as in some shells and
        # CI, each run would compile our modules again (about 0.25 s of CPU).
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "ckanext")], check=True)
        # One worker and two, alternating (the machine's other work moves between runs).
        ours: dict[int, list[float]] = {1: [], 2: []}
        for workers in (1, 2, 1, 2):
            ours[workers].append(_ours(env, workers))
        # CKAN core's command over the same datasets and the same index: one dataset at a time.
        load = os.getloadavg()[0]
        core, cpu, _ = _timed(env, "search-index", "rebuild", "--clear", "--quiet")
        print(
            f"ckan search-index rebuild (core): {COUNT} datasets in {core:.1f} s ({COUNT / core:.0f} datasets/s); "
            f"CPU {cpu:.1f} s; load average {load:.1f} -> {os.getloadavg()[0]:.1f}"
        )
        one, two = median(ours[1]), median(ours[2])
        print(f"ours / core speed: {core / one:.2f}x with 1 worker, {core / two:.2f}x with 2 (with start-up)")


if __name__ == "__main__" and sys.argv[1:] == ["load"]:
    import logging

    logging.disable(logging.WARNING)
    load(COUNT)
