"""`make bench ARGS=hostile`: how long a form field takes to refuse 100,000 hostile characters,
and how long the searches take to refuse them.

The field validators of every case form (cases/validators.py, through cases/schema.py) against
the patterns they replaced, on the inputs that made those slow: a long email address and long
text with runs of spaces. Figures: median of several runs, in milliseconds, and the ratio to
the same field with an ordinary value. No database: the validators are pure.

Then the search caps (search/limits.py, and the DIP's own cap on q): in a child process on the
bench stack (a database of its own, LP_BENCH_HOSTILE_DATASETS generated datasets, bench/search.py's
and bench/dip.py's generators), the real `package_search` action as an anonymous user and the
real /dataset page through the WSGI app (Werkzeug's test client: CKAN's whole request cycle, no
network), a 100,000-character q, a 100,000-character fq (on the page: a facet filter argument,
which CKAN turns into fq), a q of 100,000 spaces between two letters, a q at the cap (500
characters of ' -', which is parsed), against an ordinary query; then `layananpublik_dip_list`
and /informasi-publik/dip the same way. Median of LP_BENCH_HOSTILE_RUNS runs."""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import time

RUNS = 7
SIZE = 100_000
# The email pattern before issue 16 (nested repeats; run even after the length check failed).
OLD_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# Solr's operator strippers as regular expressions, used by search/query.py before issue 16.
OLD_CONSECUTIVE_OPS = re.compile(r"\s+[+-](?:\s*[+-]+)+")
OLD_DANGLING_OPS = re.compile(r"\s+[-+\s]+$")


def _time(fn, value) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn(value)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    from ckan.lib.navl.dictization_functions import validate

    from ckanext.layananpublik.cases import schema as cs

    schema = {"email": cs.email(), "text": cs.text("information_requested")}

    def field(name: str):
        return lambda value: validate({name: value}, {name: schema[name]}, {})

    cases = [
        ("email, ordinary", "email", "warga@example.go.id"),
        ("email, 100,000 letters", "email", "a" * SIZE),
        ("email, 'a@' + 100,000 letters", "email", "a@" + "b" * SIZE),
        ("email, 100,000 '@.'", "email", "@." * (SIZE // 2)),
        ("email, 'a@' + 'a.' x 5,000 + '@'", "email", "a@" + "a." * 5_000 + "@"),
        ("email, 'a@' + 'a.' x 50,000 + '@'", "email", "a@" + "a." * (SIZE // 2) + "@"),
        ("text, ordinary", "text", "Rincian realisasi anggaran perbaikan jalan tahun 2025"),
        ("text, 100,000 spaces and dashes", "text", "a" + " -" * (SIZE // 2) + "b"),
    ]
    ordinary = {"email": _time(field("email"), cases[0][2]), "text": _time(field("text"), cases[-2][2])}
    print(f"{'input':38} {'now ms':>9} {'x ordinary':>11} {'old email pattern ms':>21}")
    for label, name, value in cases:
        now = _time(field(name), value)
        if name != "email":
            old = f"{'':>21}"
        elif "50,000" in label:  # quadratic: ~100 times the 5,000 case; not worth minutes here
            old = f"{'(skipped: ~100x above)':>21}"
        else:
            old = f"{_time(OLD_EMAIL.fullmatch, value):21.2f}"
        print(f"{label:38} {now:9.2f} {now / ordinary[name]:11.1f} {old}")
    search()
    caps()


def search() -> None:
    """The dismax query compiler on a search text with a long run of spaces, against the
    regular expressions it replaced (cubic: only run up to 2,000 characters)."""
    from ckanext.layananpublik.search.query import ParamBag, compile_dismax

    old = lambda q: OLD_DANGLING_OPS.sub("", OLD_CONSECUTIVE_OPS.sub(" ", q))  # noqa: E731
    print(f"\n{'search q':38} {'now ms':>9} {'old strippers ms':>17}")
    for size in (1_000, 2_000, SIZE):
        for label, q in ((f"'a' + {size:,} spaces + 'b'", "a" + " " * size + "b"),
                         (f"'a' + {size:,} ' -' + 'b'", "a" + " -" * (size // 2) + "b")):  # fmt: skip
            now = _time(lambda value: compile_dismax(value, ParamBag()), q)
            before = f"{_time(old, q):17.1f}" if size <= 2_000 else f"{'(skipped: cubic)':>17}"
            print(f"{label:38} {now:9.2f} {before}")


DATASETS = int(os.environ.get("LP_BENCH_HOSTILE_DATASETS", 2000))
CAP_RUNS = int(os.environ.get("LP_BENCH_HOSTILE_RUNS", 15))
ORDINARY = "anggaran"
LONG = "a" * SIZE
SPACES = "a" + " " * SIZE + "b"
AT_CAP = "a" + " -" * 249 + "b"  # 500 characters: the longest q parsed


def _load(model) -> None:
    """The datasets in the database (bench/dip.py: packages with DIP extras, DIP items) and the
    same generated documents in the search index (our pysolr stand-in)."""
    import itertools

    from bench.dip import fill
    from bench.search import _ensure_groups, make_docs
    from ckanext.layananpublik.search import connection, store

    fill(model, DATASETS)
    with model.meta.engine.begin() as conn:
        conn.exec_driver_sql(f"TRUNCATE {store.TABLE}")
    writer = connection.PostgresSolrConnection()
    docs = make_docs(DATASETS, _ensure_groups(model, 50, is_org=True), groups=["topik-000"])
    while batch := list(itertools.islice(docs, 500)):
        writer.add(batch)
        model.Session.commit()
    with model.meta.engine.begin() as conn:
        conn.exec_driver_sql(f"ANALYZE {store.TABLE}")


def measure_caps() -> dict:
    """In the child process (the bench stack's database): {case: {median_ms, answer}}."""
    from urllib.parse import quote

    import ckan.plugins.toolkit as tk
    from ckan import model
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    from werkzeug.test import Client

    from bench.common import INI
    from ckanext.layananpublik.transparency.dip import fields

    app = make_app(load_config(INI))
    _load(model)
    client = Client(app)

    def action(name: str, **params):
        def call() -> str:
            try:
                found = tk.get_action(name)({"user": "", "ignore_auth": False}, dict(params))
                return f"{found['count']} found"
            except tk.ValidationError as exc:
                return f"refused ({', '.join(exc.error_dict)})"
            finally:
                model.Session.remove()

        return call

    def page(path: str, **args):
        url = path + "?" + "&".join(f"{k}={quote(v)}" for k, v in args.items())

        def call() -> str:
            response = client.get(url)
            response.get_data()
            return f"HTTP {response.status_code}"

        return call

    dip_long = "a" * SIZE
    cases = {
        "package_search q ordinary": action("package_search", q=ORDINARY),
        "package_search q 100,000 characters": action("package_search", q=LONG),
        "package_search fq 100,000 characters": action("package_search", fq=f'tags:"{LONG}"'),
        "package_search q 'a' + 100,000 spaces + 'b'": action("package_search", q=SPACES),
        "package_search q 500 characters of ' -' (parsed)": action("package_search", q=AT_CAP),
        "/dataset/ q ordinary": page("/dataset/", q=ORDINARY),
        "/dataset/ q 100,000 characters": page("/dataset/", q=LONG),
        "/dataset/ filter (fq) 100,000 characters": page("/dataset/", tags=LONG),
        "/dataset/ q 'a' + 100,000 spaces + 'b'": page("/dataset/", q=SPACES),
        "/dataset/ q 500 characters of ' -' (parsed)": page("/dataset/", q=AT_CAP),
        "layananpublik_dip_list q ordinary": action("layananpublik_dip_list", q=ORDINARY),
        "layananpublik_dip_list q 100,000 characters": action("layananpublik_dip_list", q=dip_long),
        f"layananpublik_dip_list q {fields.MAX_Q} characters (at the cap)": action(
            "layananpublik_dip_list", q=("anggaran " * 30)[: fields.MAX_Q]),
        "/informasi-publik/dip q ordinary": page("/informasi-publik/dip", q=ORDINARY),
        "/informasi-publik/dip q 100,000 characters": page("/informasi-publik/dip", q=dip_long),
    }  # fmt: skip
    figures = {}
    for label, fn in cases.items():
        answer = fn()  # once untimed: the answer, and warm caches as for every case
        times = []
        for _ in range(CAP_RUNS):
            started = time.perf_counter()
            fn()
            times.append((time.perf_counter() - started) * 1000)
        figures[label] = {"median_ms": round(statistics.median(times), 2), "answer": answer}
    return figures


def caps() -> None:
    from bench.common import bench_stack
    from devstack.procs import ROOT

    with bench_stack("ckan_bench_hostile") as env:
        out = subprocess.run([sys.executable, "-m", "bench.hostile", "measure"], env=env, cwd=ROOT,
                             stdout=subprocess.PIPE, text=True, check=True).stdout  # fmt: skip
    figures = json.loads(out.strip().splitlines()[-1])
    print(f"\nsearch caps: {DATASETS:,} datasets, median of {CAP_RUNS} runs, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    width = max(len(label) for label in figures)
    print(f"{'case':<{width}}  {'median ms':>9}  {'x ordinary':>10}  answer")
    for label, case in figures.items():
        kind = label.split(" q ")[0].split(" filter")[0].split(" fq ")[0]
        ordinary = next(
            c["median_ms"] for k, c in figures.items() if k.startswith(kind) and k.endswith("ordinary")
        )
        print(
            f"{label:<{width}}  {case['median_ms']:>9.2f}  {case['median_ms'] / ordinary:>10.2f}  {case['answer']}"
        )


if __name__ == "__main__" and len(sys.argv) > 1 and sys.argv[1] == "measure":
    import logging

    logging.disable(logging.WARNING)
    print(json.dumps(measure_caps()))
