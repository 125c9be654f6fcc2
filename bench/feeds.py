"""Feeds at 10,000 datasets: our site-wide Atom feed against CKAN core's /feeds/dataset.atom.

The catalogue is bench/search.py's (its generator and bulk writer, 10% private), in a
database of its own. One child process builds the app (test.ini: layananpublik and
layananpublik_search) and asks both feeds REQUESTS times per round, alternating them for
ROUNDS rounds, in-process through the WSGI app (Werkzeug's test client), so the figures are
server time: CKAN's whole request cycle, without network or HTTP parsing. First it checks
that both feeds parse (feedparser) and list the same 20 newest public datasets.

Ours is measured as readers meet it. "defaults": the same feed asked again and again (the
page's listing is kept per search-index generation, the rendered feed under its ETag).
"right after a dataset update", for both feeds: before each request (outside the timing)
one dataset is updated in the index, so the search's cached counts are gone, our listing is
read again (straight from the index, feeds/index.py), our feed is written again and one
entry anew (19 come from the entries the web process keeps, with their written bytes; its
description, unchanged, from the descriptions the process remembers). The update is written
to the index directly (as CKAN's indexer would), not through package_update: the save's
own cost is not timed, for either feed. "caches off": `cache_ttl = 0`, no rendered feed and no entry kept
in Redis or in the process, so every request reads the 20 datasets and builds their entries
and the feed; the descriptions' Markdown was rendered once (feeds/descriptions.py: a table,
not a Redis cache) and is read back. The 304 answer is a conditional GET with the ETag of
the previous answer. Each response is read, then closed as a WSGI server closes it after
its last byte (a feed view writes the rendered body and new entries to Redis then:
write-behind): wall time runs until the body is read (what the reader waits for), CPU time
includes the close (the worker's whole work).

`python -m bench feeds`; LP_BENCH_FEED_DATASETS, LP_BENCH_FEED_REQUESTS, LP_BENCH_FEED_ROUNDS.
Prints a table and writes reports/bench-feeds.json.

`python -m bench feeds_saves` (saves()): what rendering descriptions at save costs a save.
package_update through the action (CKAN's whole save: validation, the database, the
search index, the other hooks) of 20 real datasets, with the feeds' save hook
(feeds.dataset_changed) and without it, alternated in the same process and rounds: an
update of the title only (the description kept: one statement) and one of the
description (rendered, kept, the old one pruned). LP_BENCH_FEED_SAVES calls per kind and
round (40), LP_BENCH_FEED_ROUNDS rounds.
"""

from __future__ import annotations

import datetime
import itertools
import json
import os
import subprocess
import sys
import time

from bench.common import INI, bench_stack, median, p95
from devstack.procs import ROOT

DATASETS = int(os.environ.get("LP_BENCH_FEED_DATASETS", 10_000))
REQUESTS = int(os.environ.get("LP_BENCH_FEED_REQUESTS", 200))
ROUNDS = int(os.environ.get("LP_BENCH_FEED_ROUNDS", 5))
WARMUP = 20
REPORT = ROOT / "reports" / "bench-feeds.json"
CORE, OURS = "/feeds/dataset.atom", "/umpan/dataset.atom"
GOAL_RATIO, GOAL_304_MS = 3.0, 10.0


def _load(n: int) -> dict:
    """bench/search.py's catalogue, written through our index writer; returns one public
    dataset's index document, to update during the run."""
    from ckan import model

    from bench.search import _ensure_groups, make_docs
    from ckanext.layananpublik.search import connection, store

    with model.meta.engine.begin() as conn:
        conn.exec_driver_sql(f"TRUNCATE {store.TABLE}")
    orgs = _ensure_groups(model, 200, is_org=True)
    groups = [g["name"] for g in _ensure_groups(model, 50, is_org=False)]
    writer = connection.PostgresSolrConnection()
    docs = make_docs(n, orgs, groups)
    public = None
    while batch := list(itertools.islice(docs, 500)):
        writer.add(batch)
        model.Session.commit()
        public = next((doc for doc in batch if doc["capacity"] == "public"), public)
    with model.meta.engine.begin() as conn:
        conn.exec_driver_sql(f"ANALYZE {store.TABLE}")
    return public


def _update(doc: dict) -> None:
    """What an edit of the dataset writes to the index: a new metadata_modified (now)."""
    from ckan import model

    from ckanext.layananpublik.search import connection

    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None).isoformat()
    for blob in ("data_dict", "validated_data_dict"):
        doc[blob] = json.dumps(dict(json.loads(doc[blob]), metadata_modified=now))
    doc["metadata_modified"] = now + "Z"
    connection.PostgresSolrConnection().add([doc])
    model.Session.commit()


# CPU seconds of the process per request, by measurement name: on this shared 2-core
# machine wall time swings with the load of the others, CPU time much less.
CPU: dict[str, list[float]] = {}


def _get(client, url: str):
    """A response read and closed, as a WSGI server does."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def _timed(
    client, url: str, headers: dict | None = None, status: int = 200, name: str | None = None
) -> float:
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(url, headers=headers or {})
    response.get_data()
    elapsed = time.perf_counter() - started  # the reader has the whole answer
    response.close()  # as a WSGI server does after the last byte: a feed's Redis writes (write-behind)
    if name:
        CPU.setdefault(name, []).append(time.process_time() - cpu)  # the worker's, close included
    assert response.status_code == status, (url, response.status_code)
    return elapsed


def measure() -> dict:
    """Runs in the child process: medians and p95 in milliseconds."""
    import ckan.plugins.toolkit as tk
    import feedparser
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    from werkzeug.test import Client

    conf = load_config(INI)
    client = Client(make_app(conf))
    updated = _load(DATASETS)

    core_feed = feedparser.parse(_get(client, CORE).get_data())
    our_feed = feedparser.parse(_get(client, OURS).get_data())
    assert not core_feed.bozo and not our_feed.bozo
    # The same 20 datasets (core lists them oldest first: feedgen prepends its entries).
    same = sorted(e.title for e in core_feed.entries) == sorted(e.title for e in our_feed.entries)
    assert same and len(our_feed.entries) == 20, "both feeds list the same 20 newest datasets"

    times: dict[str, list[float]] = {name: [] for name in ("core", "ours", "core_after_update",
                                                           "ours_after_update", "ours_uncached", "ours_304")}  # fmt: skip
    ttl = tk.config.get("ckanext.layananpublik.feeds.cache_ttl")
    for _ in range(WARMUP):
        _timed(client, CORE)
        _timed(client, OURS)
    for _ in range(ROUNDS):
        times["core"] += [_timed(client, CORE, name="core") for _ in range(REQUESTS)]
        times["ours"] += [_timed(client, OURS, name="ours") for _ in range(REQUESTS)]
        for _ in range(REQUESTS // 4):  # an index write each time: fewer requests
            for name, url in (("core_after_update", CORE), ("ours_after_update", OURS)):
                _update(updated)
                times[name].append(_timed(client, url, name=name))
        assert updated["title"] in _get(client, OURS).get_data(as_text=True)
        tk.config["ckanext.layananpublik.feeds.cache_ttl"] = 0
        times["ours_uncached"] += [_timed(client, OURS, name="ours_uncached") for _ in range(REQUESTS)]
        tk.config["ckanext.layananpublik.feeds.cache_ttl"] = ttl
        etag = _get(client, OURS).headers["ETag"]
        times["ours_304"] += [
            _timed(client, OURS, {"If-None-Match": etag}, 304, name="ours_304") for _ in range(REQUESTS)
        ]
    figures = {
        name: {"median_ms": median(v) * 1000, "p95_ms": p95(v) * 1000, "n": len(v),
               "cpu_median_ms": median(CPU[name]) * 1000}
        for name, v in times.items()
    }  # fmt: skip
    figures["datasets"] = DATASETS
    return figures


def _row(label: str, figure: dict) -> str:
    return (f"  {label:44} median {figure['median_ms']:7.1f} ms   p95 {figure['p95_ms']:7.1f} ms   "
            f"CPU median {figure['cpu_median_ms']:6.1f} ms   (n={figure['n']})")  # fmt: skip


def main() -> None:
    with bench_stack("ckan_bench_feeds") as env:
        out = subprocess.run(
            [sys.executable, "-m", "bench.feeds", "measure"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if out.returncode:
            raise RuntimeError(out.stdout[-3000:] + out.stderr[-3000:])
        figures = json.loads(out.stdout.strip().splitlines()[-1])
    for name in ("ours", "ours_uncached"):
        figures[f"ratio_{name}"] = figures["core"]["median_ms"] / figures[name]["median_ms"]
        figures[f"cpu_ratio_{name}"] = figures["core"]["cpu_median_ms"] / figures[name]["cpu_median_ms"]
    figures["ratio_after_update"] = (
        figures["core_after_update"]["median_ms"] / figures["ours_after_update"]["median_ms"]
    )
    figures["cpu_ratio_after_update"] = (
        figures["core_after_update"]["cpu_median_ms"] / figures["ours_after_update"]["cpu_median_ms"]
    )
    figures["load_average"] = os.getloadavg()[0]
    print(f"{DATASETS:,} datasets, {ROUNDS} rounds, in-process (server time):")
    print(_row(f"CKAN core {CORE}", figures["core"]))
    print(_row(f"ours {OURS} (defaults)", figures["ours"]))
    print(_row("CKAN core, right after a dataset update", figures["core_after_update"]))
    print(_row("ours, right after a dataset update", figures["ours_after_update"]))
    print(_row("ours, Redis caches off (cache_ttl = 0)", figures["ours_uncached"]))
    print(_row("ours, conditional GET answered 304", figures["ours_304"]))
    print(f"  core / ours at the median: {figures['ratio_ours']:.1f}x (defaults; goal >= {GOAL_RATIO:.0f}x), "
          f"{figures['ratio_after_update']:.1f}x (both right after an update), "
          f"{figures['ratio_ours_uncached']:.1f}x (ours with caches off)")  # fmt: skip
    print(f"  core / ours in CPU time: {figures['cpu_ratio_ours']:.1f}x (defaults), "
          f"{figures['cpu_ratio_after_update']:.1f}x (after an update; goal >= 2x), "
          f"{figures['cpu_ratio_ours_uncached']:.1f}x (caches off; goal >= 1x)")  # fmt: skip
    print(f"  304 median {figures['ours_304']['median_ms']:.1f} ms; goal < {GOAL_304_MS:.0f} ms; "
          f"load average {figures['load_average']:.1f}")  # fmt: skip
    report = json.loads(REPORT.read_text()) if REPORT.exists() else {}
    report[f"feeds_{DATASETS}"] = figures
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")


SAVES = int(os.environ.get("LP_BENCH_FEED_SAVES", 40))
# A description of a usual length (about 1 KB of Markdown), different at every save.
NOTES = ("Data **{n}** dari Dinas Komunikasi dan Informatika, diperbarui setiap bulan.\n\n"
         + "- Sumber: laporan bidang, rekapitulasi kecamatan dan kelurahan.\n" * 8
         + "\nLihat [halaman dinas](https://diskominfo.example.go.id/data) untuk *catatan* metodologi.\n" * 4)  # fmt: skip


def measure_saves() -> dict:
    """Runs in the child process: package_update with and without the feeds' save hook."""
    import ckan.plugins.toolkit as tk
    import sqlalchemy as sa
    from ckan import model
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    from ckanext.layananpublik import feeds

    app = make_app(load_config(INI))
    hook = feeds.dataset_changed
    statements: list[str] = []
    sa.event.listen(model.meta.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with app._wsgi_app.test_request_context():
        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        context = lambda: {"user": site_user, "ignore_auth": True}  # noqa: E731
        try:
            tk.get_action("organization_show")(context(), {"id": "bench-simpan"})
        except tk.ObjectNotFound:
            tk.get_action("organization_create")(context(), {"name": "bench-simpan", "title": "Bench Simpan"})
        ids = []
        for i in range(20):
            name = f"bench-simpan-{i}"
            try:
                ids.append(tk.get_action("package_show")(context(), {"id": name})["id"])
            except tk.ObjectNotFound:
                data = {"name": name, "title": name, "owner_org": "bench-simpan", "notes": NOTES.format(n=i)}
                ids.append(tk.get_action("package_create")(context(), data)["id"])
        counter = itertools.count(int(time.time()))
        times: dict[str, list[float]] = {}
        cpu: dict[str, list[float]] = {}
        sent: dict[str, list[int]] = {}

        def save(name: str, field: str) -> None:
            n = next(counter)
            data = {"id": ids[n % len(ids)], field: f"Judul {n}" if field == "title" else NOTES.format(n=n)}
            statements.clear()
            started, used = time.perf_counter(), time.process_time()
            tk.get_action("package_patch")(context(), data)
            times.setdefault(name, []).append(time.perf_counter() - started)
            cpu.setdefault(name, []).append(time.process_time() - used)
            sent.setdefault(name, []).append(len(statements))

        for _ in range(3):  # warm-up
            save("warmup", "title")
        for _ in range(ROUNDS):
            for field in ("title", "notes"):
                for state in ("off", "on"):
                    feeds.dataset_changed = hook if state == "on" else (lambda *args, **kwargs: None)
                    for _ in range(SAVES):
                        save(f"{field}_{state}", field)
        feeds.dataset_changed = hook
    return {
        name: {"median_ms": median(v) * 1000, "p95_ms": p95(v) * 1000, "n": len(v),
               "cpu_median_ms": median(cpu[name]) * 1000, "statements": median(sent[name])}
        for name, v in times.items() if name != "warmup"
    }  # fmt: skip


def saves() -> None:
    with bench_stack("ckan_bench_feed_saves") as env:
        out = subprocess.run(
            [sys.executable, "-m", "bench.feeds", "measure_saves"], env=env, cwd=ROOT, capture_output=True, text=True
        )
        if out.returncode:
            raise RuntimeError(out.stdout[-3000:] + out.stderr[-3000:])
        figures = json.loads(out.stdout.strip().splitlines()[-1])
    figures["load_average"] = os.getloadavg()[0]
    print(f"package_patch, {ROUNDS} rounds of {SAVES} per kind, in-process; load average {figures['load_average']:.1f}:")
    for field, label in (("title", "title only (description kept)"), ("notes", "a new description")):
        for state in ("off", "on"):
            figure = figures[f"{field}_{state}"]
            print(_row(f"{label}, save hook {state}", figure) + f"  statements {figure['statements']:.0f}")
        on, off = figures[f"{field}_on"], figures[f"{field}_off"]
        print(f"    hook on / off: wall {on['median_ms'] / off['median_ms']:.2f}x "
              f"(+{on['median_ms'] - off['median_ms']:.1f} ms), "
              f"CPU {on['cpu_median_ms'] / off['cpu_median_ms']:.2f}x "
              f"(+{on['cpu_median_ms'] - off['cpu_median_ms']:.1f} ms)")  # fmt: skip
    report = json.loads(REPORT.read_text()) if REPORT.exists() else {}
    report["feed_saves"] = figures
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__" and sys.argv[1:2] and sys.argv[1] in ("measure", "measure_saves"):
    import logging

    logging.disable(logging.WARNING)
    print(json.dumps(measure() if sys.argv[1] == "measure" else measure_saves()))
