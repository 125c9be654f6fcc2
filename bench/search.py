"""PostgreSQL search at 10,000 and 100,000 datasets: index time, package_search latency, overhead.

Datasets are generated as the documents CKAN's indexer would send (realistic Indonesian
and English titles, notes, Zipf-distributed tags, skewed organisations, formats, licences,
10% private) and written through our pysolr stand-in, so the index path measured is ours;
CKAN's own `package_show` per dataset (which `search-index rebuild` adds) is not included.
Queries go through the real `package_search` action as an anonymous user (permission labels
and all), with the facet cache on (the default) and off. The "raw SQL" floor re-runs the
exact statements the action issued, straight on the database.

`python -m bench search`; LP_BENCH_SIZES=10000 skips the 100,000 run,
LP_BENCH_SEARCH_REUSE=1 measures an index of the same size left by the last run, and
LP_BENCH_SEARCH_DAY=1 first simulates a day of use (_day_of_use: no word kept, the query
set searched with the searched-words counting on, the jobs it queues run, then both ways
measured, alternated), LP_BENCH_SEARCH_MILLION=1 adds a 1,000,000-dataset run (generating and indexing it takes
tens of minutes on a 2-core machine, and some 9 GB of disk): it prints the same figures
(index size, build time, cached and uncached medians and p95, the raw SQL floor, the
summary against a row scan), which show where the design stops scaling.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import random
import subprocess
import sys
import time
import uuid
from datetime import datetime, timedelta

from bench.common import bench_stack, median, ms, p95
from devstack.procs import ROOT

SIZES = [int(s) for s in os.environ.get("LP_BENCH_SIZES", "10000 100000").split()]
if os.environ.get("LP_BENCH_SEARCH_MILLION") == "1":
    SIZES.append(1_000_000)
REPEATS = int(os.environ.get("LP_BENCH_SEARCH_REPEATS", 20))
# Measure the index already built for a size instead of building it again.
REUSE = os.environ.get("LP_BENCH_SEARCH_REUSE") == "1"
# Measure only a frequent word's search with and without its side tables (_word_tables).
WORD_TABLES = os.environ.get("LP_BENCH_SEARCH_WORD_TABLES") == "1"
SITE_ID = "default"
FACETS = ["organization", "groups", "tags", "res_format", "license_id"]

WORDS_ID = (
    "anggaran pendapatan belanja daerah penduduk kecamatan kelurahan kesehatan puskesmas rumah sakit "
    "pendidikan sekolah dasar menengah guru murid jalan jembatan infrastruktur air bersih sanitasi "
    "pertanian padi jagung perkebunan kelapa sawit perikanan nelayan pariwisata hotel restoran pajak "
    "retribusi bantuan sosial kemiskinan stunting gizi balita imunisasi vaksin bencana banjir longsor "
    "gempa kebakaran hutan transportasi angkutan umum terminal pelabuhan bandara listrik energi "
    "perizinan usaha mikro kecil koperasi pasar harga inflasi tenaga kerja pengangguran upah statistik "
    "rencana strategis kinerja laporan realisasi pengadaan barang jasa pegawai aparatur sipil negara"
).split()
WORDS_EN = (
    "budget revenue spending population district health clinic hospital education school teacher "
    "road bridge water sanitation agriculture rice fishery tourism tax social assistance poverty "
    "nutrition vaccination disaster flood earthquake transport energy permit market price labour "
    "statistics plan performance report procurement employee annual quarterly monthly summary"
).split()
FORMATS = ["CSV", "XLSX", "PDF", "JSON", "GeoJSON", "XML", "SHP", "DOCX", "API", "ZIP"]
LICENSES = ["cc-by", "cc-by-sa", "odc-by", "cc-zero", "other-open"]


def zipf_pick(rng: random.Random, items: list, s: float = 1.1):
    # Rank-weighted choice: a few very common values, a long tail.
    index = min(int(rng.paretovariate(s)) - 1, len(items) - 1)
    return items[index]


FUNCTION_WORDS_ID = "yang dan di untuk dari dengan pada tahun kota kabupaten data informasi jumlah per menurut".split()
FUNCTION_WORDS_EN = "the of and for in by per year city district data information number".split()


class Vocabulary:
    """Word forms with Zipf-distributed frequency, as in real text.

    Indonesian roots get their usual affixed forms (pe-an, ke-an, me-, di-, -nya, per-an),
    so the stemmer has real work to do; English words get plural and -ing forms.
    """

    def __init__(self, rng: random.Random, english: bool) -> None:
        if english:
            forms = [f for w in WORDS_EN for f in (w, w + "s", w + "ing")]
            function_words = FUNCTION_WORDS_EN
        else:
            forms = [f for w in WORDS_ID for f in (w, "pe" + w + "an", "ke" + w + "an", "me" + w, "di" + w, w + "nya", "per" + w + "an")]
            function_words = FUNCTION_WORDS_ID
        rng.shuffle(forms)
        self.words = function_words + forms
        self.weights = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(self.words))))
        self.rng = rng

    def text(self, n: int) -> str:
        return " ".join(self.rng.choices(self.words, cum_weights=self.weights, k=n))


def make_docs(n: int, orgs: list[dict], groups: list[str], seed: int = 7):
    rng = random.Random(seed)
    vocabularies = {False: Vocabulary(rng, english=False), True: Vocabulary(rng, english=True)}
    tags = [f"{rng.choice(WORDS_ID)}-{i}" if i > 300 else WORDS_ID[i % len(WORDS_ID)] for i in range(5000)]
    start = datetime(2021, 1, 1)
    for i in range(n):
        english = rng.random() < 0.25
        vocabulary = vocabularies[english]
        title = vocabulary.text(rng.randint(3, 7)).capitalize() + f" {2015 + i % 12}"
        notes = vocabulary.text(rng.randint(15, 60))
        org = zipf_pick(rng, orgs, 0.8)
        private = rng.random() < 0.10
        ds_id = str(uuid.UUID(int=rng.getrandbits(128)))
        name = f"dataset-{i}-{ds_id[:8]}"
        created = start + timedelta(minutes=rng.randint(0, 5 * 365 * 24 * 60))
        modified = created + timedelta(days=rng.randint(0, 300))
        ds_tags = sorted({zipf_pick(rng, tags) for _ in range(rng.randint(1, 6))})
        ds_groups = sorted({rng.choice(groups) for _ in range(rng.randint(0, 2))})
        formats = [rng.choice(FORMATS) for _ in range(rng.randint(1, 3))]
        resources = [
            {"name": f"{title[:30]} ({f})", "format": f, "url": f"https://data.example.go.id/{name}/{j}.{f.lower()}",
             "description": vocabulary.text(4)}
            for j, f in enumerate(formats)
        ]  # fmt: skip
        package = {
            "id": ds_id, "name": name, "title": title, "notes": notes, "type": "dataset", "state": "active",
            "private": private, "owner_org": org["id"], "license_id": rng.choice(LICENSES),
            "metadata_created": created.isoformat(), "metadata_modified": modified.isoformat(),
            "tags": [{"name": t, "display_name": t, "state": "active"} for t in ds_tags],
            "groups": [{"name": g, "title": g} for g in ds_groups],
            "organization": {"id": org["id"], "name": org["name"], "title": org["title"]},
            "resources": resources, "num_resources": len(resources), "num_tags": len(ds_tags), "extras": [],
        }  # fmt: skip
        yield {
            "id": ds_id, "name": name, "title": title, "notes": notes, "title_string": title,
            "tags": ds_tags, "groups": ds_groups, "organization": org["name"], "owner_org": org["id"],
            "res_format": formats, "res_name": [r["name"] for r in resources],
            "res_description": [r["description"] for r in resources], "res_url": [r["url"] for r in resources],
            "license_id": package["license_id"], "capacity": "private" if private else "public",
            "private": private, "state": "active", "entity_type": "package", "dataset_type": "dataset",
            "site_id": SITE_ID, "index_id": hashlib.md5(f"{ds_id}{SITE_ID}".encode()).hexdigest(),
            "metadata_created": package["metadata_created"] + "Z", "metadata_modified": package["metadata_modified"] + "Z",
            "permission_labels": [f"member-{org['id']}"] if private else ["public"],
            "num_resources": len(resources), "num_tags": len(ds_tags),
            "data_dict": json.dumps(package), "validated_data_dict": json.dumps(package),
        }  # fmt: skip


QUERIES = {
    "home/dataset page (all, facets)": {},
    "free text 'anggaran'": {"q": "anggaran"},
    "free text 'penduduk kecamatan'": {"q": "penduduk kecamatan"},
    "free text English 'budgets'": {"q": "budgets"},
    "phrase '\"rumah sakit\"'": {"q": '"rumah sakit"'},
    "facet filter tag+format": {"fq": 'tags:"kesehatan" res_format:"CSV"'},
    "organisation page": {"fq": 'organization:"dinas-001"'},
    "text + sort by modified": {"q": "pajak daerah", "sort": "metadata_modified desc"},
    "sort by title, page 5": {"sort": "title_string asc", "start": 80},
}


def run_size(n: int) -> None:
    """Runs in a child process with CKAN configured on the bench database."""
    from ckan import model
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    from ckanext.layananpublik.search import store

    conf = load_config(str(ROOT / "test.ini"))
    _APP.append(make_app(conf))
    engine = model.meta.engine
    orgs = _ensure_groups(model, 200, is_org=True)
    groups = [g["name"] for g in _ensure_groups(model, 50, is_org=False)]
    with engine.begin() as conn:
        indexed = conn.exec_driver_sql(f"SELECT count(*) FROM {store.TABLE}").scalar()
    if REUSE and indexed == n:
        # The documents are generated from a fixed seed: the same n gives the same index.
        print(f"[{n}] index: reusing the {n} datasets already indexed (LP_BENCH_SEARCH_REUSE=1)")
    else:
        _build(n, orgs, groups)
    if FREQUENT_WORDS:
        _keep_frequent_words(n, FREQUENT_WORDS)
    if WORD_TABLES:
        _word_tables(n)
        return
    if DAY:
        _day_of_use(n)
    _measure(n)


def _build(n: int, orgs: list[dict], groups: list[str]) -> None:
    from ckan import model

    from ckanext.layananpublik.search import connection, store

    engine = model.meta.engine
    with engine.begin() as conn:
        conn.exec_driver_sql(f"TRUNCATE {store.TABLE}")
    pg = connection.PostgresSolrConnection()
    started = time.perf_counter()
    batch: list[dict] = []
    for doc in make_docs(n, orgs, groups):
        batch.append(doc)
        if len(batch) == 500:
            pg.add(batch)
            model.Session.commit()
            batch = []
    if batch:
        pg.add(batch)
        model.Session.commit()
    index_seconds = time.perf_counter() - started
    with engine.begin() as conn:
        conn.exec_driver_sql(f"ANALYZE {store.TABLE}")
        size = conn.exec_driver_sql(f"SELECT pg_size_pretty(pg_total_relation_size('{store.TABLE}'))").scalar()
    print(f"[{n}] index: {n} datasets in {index_seconds:.1f} s ({n / index_seconds:.0f}/s), table+indexes {size}")


def _measure(n: int) -> None:
    import ckan.plugins.toolkit as tk

    from ckanext.layananpublik.search import store

    # Record the statements package_search issues, to time them raw afterwards.
    issued: list[tuple[str, str, dict]] = []
    originals = {
        name: getattr(store, name)
        for name in (
            "count", "facets", "rows", "search_once", "rows_by_key", "most_rows_match", "frequent_word", "search_frequent"
        )
    }

    def recorder(name):
        def call(conn, *args, **kwargs):
            issued.append((name, args, kwargs))
            return originals[name](conn, *args, **kwargs)

        return call

    search = tk.get_action("package_search")
    base = {"facet.field": json.dumps(FACETS), "rows": 20}
    for cache in ("on", "off"):
        tk.config["ckanext.layananpublik.search.facet_cache_ttl"] = 300 if cache == "on" else 0
        all_times: list[float] = []
        for label, params in QUERIES.items():
            times = []
            for _ in range(REPEATS):
                t = time.perf_counter()
                result = search({"user": "", "ignore_auth": False}, dict(base, **params))
                times.append(time.perf_counter() - t)
            all_times += times
            print(f"[{n}] cache {cache:3} {label:34} count {result['count']:6}  "
                  f"median {ms(median(times)):>9}  p95 {ms(p95(times)):>9}")  # fmt: skip
        print(f"[{n}] cache {cache:3} ALL QUERIES: median {ms(median(all_times))}, p95 {ms(p95(all_times))}")

    # Overhead against the raw SQL floor (cache off: the action runs every statement).
    ratios = []
    summary_vs_scan: dict[str, tuple[float, float]] = {}
    complement_vs_matches: dict[str, tuple[float, float]] = {}
    for label, params in QUERIES.items():
        for name in originals:
            setattr(store, name, recorder(name))
        issued.clear()
        search({"user": "", "ignore_auth": False}, dict(base, **params))
        for name, fn in originals.items():
            setattr(store, name, fn)
        action_times, raw_times = [], []
        for _ in range(REPEATS):
            t = time.perf_counter()
            search({"user": "", "ignore_auth": False}, dict(base, **params))
            action_times.append(time.perf_counter() - t)
            t = time.perf_counter()
            with store.snapshot(60000) as conn:
                for name, args, kwargs in issued:
                    originals[name](conn, *args, **kwargs)
            raw_times.append(time.perf_counter() - t)
        ratios.append(median(action_times) / median(raw_times))
        print(f"[{n}] overhead {label:34} action {ms(median(action_times)):>9}  raw SQL {ms(median(raw_times)):>9}"
              f"  ratio {ratios[-1]:.2f}")  # fmt: skip
        summarised = [(name, args, kwargs) for name, args, kwargs in issued if _summary_of(name, args) is not None]
        if summarised:
            summary_vs_scan[label] = _summary_against_row_scan(store, originals, summarised)
        complemented = [(args, kwargs) for name, args, kwargs in issued if name == "search_once" and kwargs.get("complement")]
        if complemented:
            complement_vs_matches[label] = _complement_against_matches(store, originals, complemented)
    print(f"[{n}] overhead median ratio action/raw SQL: {median(ratios):.2f} (max {max(ratios):.2f})")
    # The same count and facet statements with and without the facet summary, in this run:
    # what the summary saves over counting the matching rows (the path before it existed).
    for label, (summary_time, scan_time) in summary_vs_scan.items():
        print(f"[{n}] summary  {label:34} summary SQL {ms(summary_time):>9}  row-scan SQL {ms(scan_time):>9}"
              f"  row-scan/summary {scan_time / summary_time:.1f}x")  # fmt: skip
    # A word in most datasets: its facets as the summary minus the rows it misses, against
    # counting every match (the statement before store.Split), interleaved in this run.
    for label, (complement_time, matches_time) in complement_vs_matches.items():
        print(f"[{n}] complement {label:32} summary-minus-misses SQL {ms(complement_time):>9}"
              f"  count-the-matches SQL {ms(matches_time):>9}  ratio {matches_time / complement_time:.2f}x")  # fmt: skip


def _summary_of(name: str, args: tuple):
    # store.count(conn, where, params, summary) / store.facets(conn, where, params, fields,
    # limit, mincount, summary): the summary level is the last positional argument.
    return args[-1] if name in ("count", "facets") else None


def _interleaved(store, as_issued, changed) -> tuple[float, float]:
    """Median times of two ways of running a search's statements, alternated in this run.

    Each is called with a snapshot connection."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(REPEATS):
        for target, run in zip(times, (as_issued, changed), strict=True):
            t = time.perf_counter()
            with store.snapshot(60000) as conn:
                run(conn)
            target.append(time.perf_counter() - t)
    return median(times[0]), median(times[1])


def _summary_against_row_scan(store, originals: dict, statements: list) -> tuple[float, float]:
    """Median time of the statements as issued (summary) and with the summary off."""

    def run(summary: bool):
        def statements_on(conn):
            for name, args, kwargs in statements:
                originals[name](conn, *(args if summary else (*args[:-1], None)), **kwargs)

        return statements_on

    return _interleaved(store, run(True), run(False))


def _complement_against_matches(store, originals: dict, calls: list) -> tuple[float, float]:
    """Median time of search_once as issued (complement) and counting every match instead."""

    def run(keep: bool):
        def calls_on(conn):
            for args, kwargs in calls:
                originals["search_once"](conn, *args, **dict(kwargs, complement=kwargs["complement"] if keep else None))

        return calls_on

    return _interleaved(store, run(True), run(False))


# A word in most datasets ('anggaran', 80% of them) with side tables (store.search_frequent,
# search/SCHEMA.md) against the same search without them (store.search_once with a Split),
# in the same run: LP_BENCH_SEARCH_FREQUENT_WORDS names the words kept (added when missing,
# the time it took printed) for every measurement; LP_BENCH_SEARCH_WORD_TABLES=1 measures
# only the comparison below.
FREQUENT_WORDS = os.environ.get("LP_BENCH_SEARCH_FREQUENT_WORDS", "").split()
WORD_QUERIES = {
    "'anggaran'": {"q": "anggaran"},
    "'anggaran', page 3": {"q": "anggaran", "start": 40},
    "'anggaran', organisation": {"q": "anggaran", "fq": 'organization:"dinas-001"'},
    "'anggaran', by modified": {"q": "anggaran", "sort": "metadata_modified desc"},
    "'anggaran', page 101": {"q": "anggaran", "start": 2000},
}


def _keep_frequent_words(n: int, words: list[str]) -> None:
    from ckan import model

    from ckanext.layananpublik.search import connection, store

    with model.meta.engine.connect() as conn:
        kept = {w.q for w in store.kept_words(conn)}
    for word in words:
        if word not in kept:
            started = time.perf_counter()
            connection.add_frequent_word(word)
            print(f"[{n}] frequent word {word!r}: side tables filled in {time.perf_counter() - started:.1f} s")
    with model.meta.engine.connect() as conn:
        sizes = [
            conn.exec_driver_sql(f"SELECT pg_size_pretty(pg_total_relation_size('{table}'))").scalar()
            for table in (store.WORD_HITS, store.WORD_MISSES)
        ]
    print(f"[{n}] frequent words {sorted(kept | set(words))}: word_hit {sizes[0]}, word_miss {sizes[1]}")


def _word_tables(n: int) -> None:
    """For each WORD_QUERIES search: the statement with the side tables and the one
    without (its Split), checked equal, then alternated (wall, and the backend's CPU from
    /proc); and the whole package_search action both ways, alternated."""
    import ckan.plugins.toolkit as tk

    from ckanext.layananpublik.search import store

    tk.config["ckanext.layananpublik.search.facet_cache_ttl"] = 0
    search = tk.get_action("package_search")
    base = {"facet.field": json.dumps(FACETS), "rows": 20}
    originals = {name: getattr(store, name) for name in ("search_once", "search_frequent")}

    def action(params: dict, tables: bool):
        return _searched(search, base, params, tables)

    for label, params in WORD_QUERIES.items():
        calls: dict[str, tuple] = {}
        for name in ("search_once", "search_frequent"):

            def record(conn, *args, name=name, calls=calls, **kwargs):
                calls.setdefault(name, (args, kwargs))
                return originals[name](conn, *args, **kwargs)

            setattr(store, name, record)
        try:
            results = [action(params, tables) for tables in (False, True)]
        finally:
            for name in ("search_once", "search_frequent"):
                setattr(store, name, originals[name])
        if "search_frequent" not in calls:
            print(f"[{n}] word tables {label:26} not answered from the side tables")
            continue
        runs = [
            lambda conn, name=name, calls=calls: originals[name](conn, *calls[name][0], **calls[name][1])
            for name in ("search_once", "search_frequent")
        ]
        with store.snapshot(60000) as conn:
            same = runs[0](conn) == runs[1](conn)
        same = same and results[0]["results"] == results[1]["results"] and all(
            results[0][key] == results[1][key] for key in ("count", "facets", "search_facets")
        )
        load = open("/proc/loadavg").read().split()[0]
        (old_wall, old_cpu), (new_wall, new_cpu) = _alternated(store, *runs)
        actions: tuple[list[float], list[float]] = ([], [])
        for _ in range(REPEATS):
            for times, tables in zip(actions, (False, True), strict=True):
                started = time.perf_counter()
                action(params, tables)
                times.append(time.perf_counter() - started)
        print(
            f"[{n}] word tables {label:26} count {results[1]['count']}, same answers: {same}; load {load}:"
            f" statement without -> with: CPU {ms(old_cpu)} -> {ms(new_cpu)}, wall {ms(old_wall)} -> {ms(new_wall)};"
            f" package_search median {ms(median(actions[0]))} -> {ms(median(actions[1]))},"
            f" p95 {ms(p95(actions[0]))} -> {ms(p95(actions[1]))}"
        )


def _alternated(store, *runs) -> list[tuple[float, float]]:
    """Median wall and mean backend CPU (utime + stime from /proc, 10 ms ticks) of each
    run, alternated REPEATS times, each in a snapshot of its own."""
    tick = os.sysconf("SC_CLK_TCK")
    times: list[tuple[list[float], list[float]]] = [([], []) for _ in runs]
    for _ in range(REPEATS):
        for (walls, cpus), run in zip(times, runs, strict=True):
            with store.snapshot(60000) as conn:
                stat = f"/proc/{conn.exec_driver_sql('SELECT pg_backend_pid()').scalar()}/stat"

                def cpu(stat=stat):
                    with open(stat) as f:
                        fields = f.read().rsplit(")", 1)[1].split()
                    return (int(fields[11]) + int(fields[12])) / tick

                before, started = cpu(), time.perf_counter()
                run(conn)
                walls.append(time.perf_counter() - started)
                cpus.append(cpu() - before)
    return [(median(walls), sum(cpus) / len(cpus)) for walls, cpus in times]


# A day of use (search/searched_words.py): the query set searched LP_BENCH_SEARCH_DAY_ROUNDS
# times (default: the declared threshold) with counting on and caches off, starting with no
# word kept; the jobs queued are run by CKAN's worker; then every query with the kept words'
# tables and without them, alternated, caches off, and _measure's figures after.
DAY = os.environ.get("LP_BENCH_SEARCH_DAY") == "1"
_APP: list = []  # CKAN's app, for a request context


def _day_of_use(n: int) -> None:
    import ckan.plugins.toolkit as tk
    from ckan import model
    from ckan.lib import jobs
    from ckan.lib.redis import connect_to_redis
    from rq.worker import SimpleWorker

    from ckanext.layananpublik.search import searched_words, settings, store

    with model.meta.engine.begin() as conn:
        removed = store.kept_words(conn)
        for word in removed:
            store.remove_frequent_word(conn, word.id)
        conn.exec_driver_sql(f"DELETE FROM {store.REFUSED_WORDS}")
    with model.meta.engine.connect() as conn:  # the sizes printed are those of one fill
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
            f"VACUUM FULL {store.WORD_HITS}, {store.WORD_MISSES}"
        )
    redis = connect_to_redis()
    for key in redis.scan_iter("layananpublik:search:searched*"):
        redis.delete(key)
    jobs.get_queue().empty()
    print(f"[{n}] day: words removed first: {[w.q for w in removed] or 'none'}")
    tk.config["ckanext.layananpublik.search.facet_cache_ttl"] = 0
    rounds = int(os.environ.get("LP_BENCH_SEARCH_DAY_ROUNDS", settings.searched_words_threshold()))
    search = tk.get_action("package_search")
    base = {"facet.field": json.dumps(FACETS), "rows": 20}
    started = time.perf_counter()
    for _ in range(rounds):
        for params in QUERIES.values():
            search({"user": "", "ignore_auth": False}, dict(base, **params))
    day = time.perf_counter() - started
    counts = sorted(searched_words.searched_counts().items(), key=lambda item: -item[1])
    queued = [job.args[0] for job in jobs.get_queue().jobs]
    print(f"[{n}] day: {rounds} rounds of {len(QUERIES)} queries in {day:.1f} s; counted {counts}; jobs {queued}")

    class Worker(jobs.Worker, SimpleWorker):
        """CKAN's worker performing in this process (as tests/conftest.py's run_jobs)."""

    started = time.perf_counter()
    Worker([jobs.DEFAULT_QUEUE_NAME]).work(burst=True)
    with model.meta.engine.connect() as conn:
        kept = [(w.q, w.chosen_by) for w in store.kept_words(conn)]
        sizes = [
            conn.exec_driver_sql(f"SELECT pg_size_pretty(pg_total_relation_size('{table}'))").scalar()
            for table in (store.WORD_HITS, store.WORD_MISSES)
        ]
    print(f"[{n}] day: jobs run in {time.perf_counter() - started:.1f} s; kept {kept}; word_hit {sizes[0]}, word_miss {sizes[1]}")
    _counting_cost(n, search, base)
    # Measured without counting: on a web request it is sent after the response.
    tk.config["ckanext.layananpublik.search.searched_words.max"] = 0

    def action(params: dict, tables: bool):
        return _searched(search, base, params, tables)

    every: tuple[list[float], list[float]] = ([], [])
    for label, params in QUERIES.items():
        times: tuple[list[float], list[float]] = ([], [])
        answers = [action(params, tables) for tables in (False, True)]
        same = all(answers[0][key] == answers[1][key] for key in ("count", "facets", "results"))
        for _ in range(REPEATS):
            for spent, tables in zip(times, (False, True), strict=True):
                t = time.perf_counter()
                action(params, tables)
                spent.append(time.perf_counter() - t)
        for target, spent in zip(every, times, strict=True):
            target += spent
        load = open("/proc/loadavg").read().split()[0]
        print(f"[{n}] day: cache off {label:34} no word kept -> after use: median {ms(median(times[0]))} -> "
              f"{ms(median(times[1]))}, p95 {ms(p95(times[0]))} -> {ms(p95(times[1]))}; same answers {same}; load {load}")  # fmt: skip
    load = open("/proc/loadavg").read().split()[0]
    print(f"[{n}] day: cache off ALL QUERIES no word kept: median {ms(median(every[0]))}, p95 {ms(p95(every[0]))}; "
          f"after use: median {ms(median(every[1]))}, p95 {ms(p95(every[1]))} (alternated, load {load})")  # fmt: skip


def _searched(search, base: dict, params: dict, tables: bool) -> dict:
    """package_search as an anonymous user, with the kept words' side tables or without."""
    from ckanext.layananpublik.search import store

    kept_word = store.frequent_word
    if not tables:
        store.frequent_word = lambda *args, **kwargs: None
    try:
        return search({"user": "", "ignore_auth": False}, dict(base, **params))
    finally:
        store.frequent_word = kept_word


def _counting_cost(n: int, search, base: dict) -> None:
    """What counting adds to a slow search before its response: 'anggaran' without its
    tables in a request context (the Redis command waits for the response's end, which
    never comes here), counting on and off, alternated."""
    import ckan.plugins.toolkit as tk

    from ckanext.layananpublik.search import connection

    app = getattr(_APP[0], "_wsgi_app", _APP[0])
    times: tuple[list[float], list[float]] = ([], [])
    noting: list[float] = []  # connection._note_searched alone, counting on
    note = connection._note_searched

    def timed(*args, **kwargs):
        t = time.perf_counter()
        note(*args, **kwargs)
        noting.append(time.perf_counter() - t)

    connection._note_searched = timed
    try:
        for _ in range(REPEATS):
            for spent, cap in zip(times, (0, 3), strict=True):
                tk.config["ckanext.layananpublik.search.searched_words.max"] = cap
                with app.test_request_context("/dataset"):
                    t = time.perf_counter()
                    _searched(search, base, {"q": "anggaran"}, tables=False)
                    spent.append(time.perf_counter() - t)
    finally:
        connection._note_searched = note
    noted = [t for t, cap in zip(noting, itertools.cycle((0, 3))) if cap]
    load = open("/proc/loadavg").read().split()[0]
    print(f"[{n}] day: 'anggaran' without tables, in a request: counting off -> on: median {ms(median(times[0]))} -> "
          f"{ms(median(times[1]))}, p95 {ms(p95(times[0]))} -> {ms(p95(times[1]))}; counting's own part (_note_searched)"
          f" median {median(noted) * 1000:.3f} ms, max {max(noted) * 1000:.3f} ms (alternated, load {load})")  # fmt: skip


def _ensure_groups(model, count: int, is_org: bool) -> list[dict]:
    prefix = "dinas" if is_org else "topik"
    found = []
    for i in range(count):
        name = f"{prefix}-{i:03d}"
        group = model.Group.get(name)
        if group is None:
            group = model.Group(name=name, title=f"{prefix.title()} {i:03d}", type="organization" if is_org else "group",
                                is_organization=is_org)  # fmt: skip
            model.Session.add(group)
            model.Session.flush()
        found.append({"id": group.id, "name": group.name, "title": group.title})
    model.Session.commit()
    return found


def main() -> None:
    with bench_stack() as env:
        for n in SIZES:
            env = dict(env, CKAN_INI=str(ROOT / "test.ini"))
            subprocess.run([sys.executable, "-m", "bench.search", str(n)], env=env, cwd=ROOT, check=True)


if __name__ == "__main__" and len(sys.argv) > 1:
    import logging

    logging.disable(logging.WARNING)
    run_size(int(sys.argv[1]))
