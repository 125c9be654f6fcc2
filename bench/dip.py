"""The DIP of 10,000 datasets: `layananpublik_dip_list` and the DIP pages, server time.

Datasets (realistic titles and notes, skewed bodies, 10% private: bench/search.py's
generator) are bulk-inserted into `package` and `package_extra` with DIP fields: 40%
berkala (1-3 items a-k), 10% serta merta, 40% setiap saat, 10% without a category; plus
200 non-dataset DIP items. Then, after ANALYZE, REPEATS times each: the action (first page,
site-wide; the biggest body; a search; every row as the exports use it) in-process, and the
pages over WSGI in-process (site-wide DIP, one body, CSV export of everything, the print
layout of everything; a quarter of the repetitions, at least 3): that is server time, without
network or browser. Each case gives its wall time and its CPU time (this process's). The CSV
export is timed call by call alternated with the Python writer it replaced (issue 19,
tests/transparency/dip/previous_csv.py), after checking both give the same bytes.

`python -m bench dip`; LP_BENCH_DIP_SIZE (10000) and LP_BENCH_DIP_REPEATS (20) change it.
Figures also go to reports/bench-dip.json.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
import uuid

from bench.common import INI, bench_stack, median, p95
from bench.search import _ensure_groups, make_docs
from devstack.procs import ROOT

SIZE = int(os.environ.get("LP_BENCH_DIP_SIZE", 10000))
REPEATS = int(os.environ.get("LP_BENCH_DIP_REPEATS", 20))
GOAL_MS = 500
REPORT = ROOT / "reports" / "bench-dip.json"
FLOOR = "raw SQL: the rows statement, every row (floor)"
EXPORT = "export: /informasi-publik/dip.csv (every row)"
PREVIOUS_EXPORT = "export: previous Python writer (every row)"
PREVIOUS_URL = "/bench/dip-previous.csv"


def _dip_extras(rng: random.Random) -> dict:
    r = rng.random()
    if r < 0.10:
        return {}
    category = "berkala" if r < 0.50 else "serta_merta" if r < 0.60 else "setiap_saat"
    extras = {
        "information_category": category,
        "holding_unit": rng.choice(["Bidang Statistik", "Sekretariat", "Bidang Anggaran", ""]),
        "responsible_officer": rng.choice(["Kepala Bidang", "Sekretaris Dinas", ""]),
        "made_time_place": f"{rng.randint(2019, 2026)}, Kota Contoh",
        "forms": rng.choice(["softcopy", "softcopy,hardcopy", "hardcopy"]),
        "retention_period": rng.choice(["5 tahun", "10 tahun", "Permanen"]),
    }
    if category == "berkala":
        extras["berkala_items"] = ",".join(sorted(rng.sample("abcdefghijk", rng.randint(1, 3))))
    return extras


def fill(model, n: int) -> dict:
    import sqlalchemy as sa

    orgs = _ensure_groups(model, 50, is_org=True)
    rng = random.Random(11)
    packages, extras = [], []
    for doc in make_docs(n, orgs, groups=["topik-000"]):
        packages.append({"id": doc["id"], "name": doc["name"], "title": doc["title"], "notes": doc["notes"],
                         "owner_org": doc["owner_org"], "private": doc["private"], "license_id": doc["license_id"],
                         "created": doc["metadata_created"].rstrip("Z"), "modified": doc["metadata_modified"].rstrip("Z")})  # fmt: skip
        for key, value in _dip_extras(rng).items():
            extras.append({"id": str(uuid.uuid4()), "package_id": doc["id"], "key": key, "value": value})
    items = [{"id": str(uuid.uuid4()), "org": rng.choice(orgs)["id"], "title": f"Dokumen {i}",
              "category": rng.choice(["berkala", "setiap_saat"])} for i in range(200)]  # fmt: skip
    with model.meta.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM layananpublik_dip_item")
        conn.exec_driver_sql("DELETE FROM package_extra")
        conn.execute(sa.text("DELETE FROM package WHERE name LIKE 'dataset-%'"))
        conn.execute(sa.text(
            "INSERT INTO package (id, name, title, notes, owner_org, private, license_id, type, state, "
            "metadata_created, metadata_modified) VALUES (:id, :name, :title, :notes, :owner_org, :private, "
            ":license_id, 'dataset', 'active', :created, :modified)"), packages)  # fmt: skip
        conn.execute(sa.text("INSERT INTO package_extra (id, package_id, key, value, state) "
                             "VALUES (:id, :package_id, :key, :value, 'active')"), extras)  # fmt: skip
        conn.execute(sa.text(
            "INSERT INTO layananpublik_dip_item (id, organization_id, category, berkala_items, title, forms, "
            "created_at, updated_at) VALUES (:id, :org, :category, "
            "CASE WHEN :category = 'berkala' THEN ARRAY['a'] ELSE '{}' END, :title, '{}', now(), now())"), items)  # fmt: skip
        conn.exec_driver_sql("ANALYZE package; ANALYZE package_extra; ANALYZE layananpublik_dip_item")
    biggest = max(orgs, key=lambda o: sum(1 for p in packages if p["owner_org"] == o["id"]))
    listed = sum(1 for p in packages if not p["private"])
    return {"orgs": orgs, "biggest": biggest, "datasets": n, "extras": len(extras), "public": listed}


def time_calls_cpu(fn, repeats: int) -> tuple[list[float], list[float]]:
    """Wall and CPU time (this process's: Python's share, not PostgreSQL's) of each call, after
    three unmeasured ones. On a loaded machine the CPU time moves less than the wall time."""
    for _ in range(3):
        fn()
    wall, cpu = [], []
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return wall, cpu


def alternate_calls_cpu(fns: dict, repeats: int) -> dict[str, tuple[list[float], list[float]]]:
    """time_calls_cpu of each function, their calls alternated, so that both meet the same load."""
    for fn in fns.values():
        for _ in range(3):
            fn()
    measured: dict = {label: ([], []) for label in fns}
    for _ in range(repeats):
        for label, fn in fns.items():
            started, started_cpu = time.perf_counter(), time.process_time()
            fn()
            measured[label][0].append(time.perf_counter() - started)
            measured[label][1].append(time.process_time() - started_cpu)
    return measured


def _previous_export_route(app) -> None:
    """PREVIOUS_URL: the CSV export as the page wrote it before layananpublik_dip_csv
    (tests/transparency/dip/previous_csv.py), with the garbage collector paused as it was."""
    import importlib.util

    from flask import request

    from ckanext.layananpublik.transparency.dip.views import _collector_paused

    # By its path: once CKAN is loaded, the name `tests` is ckan.tests.
    spec = importlib.util.spec_from_file_location("previous_csv", ROOT / "tests/transparency/dip/previous_csv.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    previous_csv = module.previous_csv

    def view():
        with _collector_paused():
            return previous_csv("", None, request.args)[0]

    app._wsgi_app.add_url_rule(PREVIOUS_URL, "bench_dip_previous_csv", view)


def measure() -> dict:
    import ckan.plugins.toolkit as tk
    import sqlalchemy as sa
    from ckan import model
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    from werkzeug.test import Client

    app = make_app(load_config(INI))
    _previous_export_route(app)
    started = time.perf_counter()
    data = fill(model, SIZE)
    fill_seconds = round(time.perf_counter() - started, 1)
    print(f"  loaded in {fill_seconds} s", file=sys.stderr, flush=True)
    client = Client(app)
    dip_list = tk.get_action("layananpublik_dip_list")
    biggest = data["biggest"]["name"]

    def action(**params):
        def call() -> dict:
            try:
                return dip_list({"user": "", "ignore_auth": False}, dict(params))
            finally:
                model.Session.remove()

        return call

    def page(url: str):
        def call() -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            response.get_data()

        return call

    def raw_rows():
        # The floor: the rows statement alone (every row, as exports read it), fetched as tuples.
        from ckanext.layananpublik.transparency.dip import fields, rows

        params = {"limit": 50000, "offset": 0, "order": list(fields.DIP_CATEGORIES)}
        sql = rows._statement(rows._PAGE, None, None, None, params)
        with model.meta.engine.begin() as conn:
            conn.execute(sa.text("SELECT set_config('work_mem', :mem, true)"), {"mem": rows.SORT_MEMORY})
            conn.execute(sa.text(sql), params).fetchall()

    cases = {
        FLOOR: raw_rows,
        "action: site-wide, first page": action(),
        f"action: one body ({biggest}), first page": action(organization=biggest),
        "action: search 'anggaran'": action(q="anggaran"),
        "action: every row (as exports)": action(limit=50000),
        "page: /informasi-publik/dip": page("/informasi-publik/dip"),
        f"page: /informasi-publik/dip/{biggest}": page(f"/informasi-publik/dip/{biggest}"),
        "page: /informasi-publik/dip?category=berkala&q=anggaran": page("/informasi-publik/dip?category=berkala&q=anggaran"),
        EXPORT: page("/informasi-publik/dip.csv"),
        PREVIOUS_EXPORT: page(PREVIOUS_URL),
        "print: /informasi-publik/dip?cetak=1 (every row)": page("/informasi-publik/dip?cetak=1"),
    }  # fmt: skip
    rows = action(limit=50000)()["count"]
    # The export PostgreSQL writes and the Python writer it replaced give the same bytes.
    assert client.get("/informasi-publik/dip.csv").get_data() == client.get(PREVIOUS_URL).get_data()
    figures = {}
    for label, fn in cases.items():
        if label == PREVIOUS_EXPORT:
            continue
        started = time.perf_counter()
        repeats = REPEATS if "every row" not in label else max(3, REPEATS // 4)
        if label == EXPORT:  # alternated call by call with the previous writer's
            measured = alternate_calls_cpu({EXPORT: fn, PREVIOUS_EXPORT: cases[PREVIOUS_EXPORT]}, repeats)
        else:
            measured = {label: time_calls_cpu(fn, repeats)}
        print(f"  {label}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
        for name, (times, cpu) in measured.items():
            figures[name] = {"median_ms": round(median(times) * 1000, 1), "p95_ms": round(p95(times) * 1000, 1),
                             "cpu_median_ms": round(median(cpu) * 1000, 1)}  # fmt: skip
    return {"datasets": data["datasets"], "public_datasets": data["public"], "dip_rows": rows,
            "extras": data["extras"], "fill_seconds": fill_seconds, "repeats": REPEATS, "cases": figures,
            "cpus": os.cpu_count(), "load_average_at_end": round(os.getloadavg()[0], 2)}  # fmt: skip


def main() -> None:
    with bench_stack("ckan_bench_dip") as env:
        out = subprocess.run([sys.executable, "-m", "bench.dip", "measure"], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                             text=True, check=True).stdout  # fmt: skip
    figures = json.loads(out.strip().splitlines()[-1])
    print(f"dip: {figures['datasets']} datasets ({figures['public_datasets']} public), {figures['dip_rows']} DIP rows, "
          f"{figures['extras']} extras, loaded in {figures['fill_seconds']} s; {figures['repeats']} repetitions; "
          f"{figures['cpus']} CPUs, load average at the end {figures['load_average_at_end']}")  # fmt: skip
    width = max(len(label) for label in figures["cases"])
    floor = figures["cases"][FLOOR]["median_ms"]
    print(f"{'case':<{width}}  median ms  p95 ms  median < {GOAL_MS} ms  median / floor  CPU median ms")
    for label, case in figures["cases"].items():
        ok = "yes" if case["median_ms"] < GOAL_MS else "NO"
        ratio = case["median_ms"] / floor if floor else float("nan")
        print(f"{label:<{width}}  {case['median_ms']:>9}  {case['p95_ms']:>6}  {ok:>14}  {ratio:>13.2f}"
              f"  {case['cpu_median_ms']:>13}")  # fmt: skip
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__" and len(sys.argv) > 1:
    import logging

    logging.disable(logging.WARNING)
    if sys.argv[1] == "measure":
        print(json.dumps(measure()))
