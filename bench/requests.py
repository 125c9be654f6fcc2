"""Information requests: submission throughput under concurrency, and the statistics query.

`requests_submit`: a real portal (test.ini's plugins, `layananpublik layananpublik_search`,
with `ckanext.layananpublik.request.rate_limit.per_ip = 0` so the per-IP limit does not
turn the benchmark's single client address away; the per-email limit stays on and every
submission uses its own address) served by WORKERS pre-forked processes of Werkzeug's
threaded server (the server `ckan run` uses; no gunicorn or waitress in the virtualenv).
20 client threads POST `layananpublik_request_create` through the action API and, in the
same run, call CKAN's own `status_show` as often; the two alternate in ROUNDS rounds. Each
call opens its own connection, as a reverse proxy does by default, so calls spread over
the worker processes. Afterwards the database must hold registration numbers 1..N of the
body's year, no gap and no duplicate, N being the number of successful submissions.

`requests_stats`: 100,000 requests over 20 bodies bulk-inserted with SQL, ANALYZE, then
`layananpublik_request_stats` for the biggest body and site-wide: the raw SQL of the
action, the action in-process and the action over HTTP (WSGI, in-process), REPEATS times;
then again after VACUUM, the state autovacuum keeps a live table in (index-only scans
need its visibility map).

Both print a table and write their figures into reports/bench-requests.json.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

from bench.common import INI, bench_stack, median, p95
from devstack import procs
from devstack.procs import ROOT

REPORT = ROOT / "reports" / "bench-requests.json"
CLIENTS = int(os.environ.get("LP_BENCH_CLIENTS", 20))
SUBMISSIONS = int(os.environ.get("LP_BENCH_SUBMISSIONS", 2000))
ROUNDS = int(os.environ.get("LP_BENCH_SUBMIT_ROUNDS", 4))
WORKERS = int(os.environ.get("LP_BENCH_WEB_WORKERS", 4))
WARMUP = 40
STATS_ROWS = int(os.environ.get("LP_BENCH_STATS_ROWS", 100_000))
STATS_YEAR = 2025
REPEATS = int(os.environ.get("LP_BENCH_STATS_REPEATS", 30))
GOAL_MS = 300
BODY = "bench-ppid"
WEB_LOG = ROOT / ".data" / "bench" / "requests-web.log"


def bench_config(port: int) -> dict:
    """test.ini (its plugins: layananpublik layananpublik_search) as a production site runs it,
    with the benchmark's one exception: no per-IP rate limit."""
    from ckan.cli import load_config

    conf = load_config(INI)
    conf.update(
        {
            "testing": "false",
            "ckan.site_url": f"http://127.0.0.1:{port}",
            # One client address sends everything: the per-IP limit would refuse all but 10.
            "ckanext.layananpublik.request.rate_limit.per_ip": "0",
        }
    )
    return conf


def write_report(key: str, figures: dict) -> None:
    report = json.loads(REPORT.read_text()) if REPORT.exists() else {}
    report[key] = figures
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")


def table(rows: list[tuple], header: tuple) -> None:
    cells = [tuple(str(c) for c in row) for row in [header, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    for n, row in enumerate(cells):
        padded = [c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        print("  " + "  ".join(padded))
        if n == 0:
            print("  " + "  ".join("-" * w for w in widths))


# --- the web server: pre-forked processes of Werkzeug's threaded server -----------------------


def serve(port: int, workers: int) -> None:
    """Runs as `python -m bench.requests serve PORT WORKERS`: one listening socket, WORKERS
    forked processes accepting on it, each building its own app (own database pool)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(256)
    children = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:
            _worker(listener.fileno(), port)
            os._exit(0)
        children.append(pid)

    def stop(signum, frame):
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    pid, status = os.wait()
    print(f"worker {pid} exited ({status})", file=sys.stderr, flush=True)
    stop(None, None)


def _worker(fd: int, port: int) -> None:
    from ckan.config.middleware import make_app
    from werkzeug.serving import WSGIRequestHandler, make_server

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, *args, **kwargs) -> None:  # a log line per call would skew the figures
            pass

    app = make_app(bench_config(port))
    worker = str(os.getpid())

    def tagged(environ, start_response):
        """The app, answering with the worker's pid (to show how calls spread)."""

        def start(status, headers, exc_info=None):
            return start_response(status, [*headers, ("X-Bench-Worker", worker)], exc_info)

        return app(environ, start)

    make_server("127.0.0.1", port, tagged, threaded=True, request_handler=QuietHandler, fd=fd).serve_forever()


def wait_ready(port: int, proc: subprocess.Popen, workers: int) -> None:
    """Until every worker has answered (each one builds its app after the fork)."""
    seen: set[str] = set()
    deadline = time.monotonic() + 300
    while len(seen) < workers:
        if proc.poll() is not None:
            raise RuntimeError(
                f"bench server exited with {proc.returncode}; see .data/bench/requests-web.log"
            )
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {len(seen)} of {workers} workers answered within 300 s")
        try:
            result = call(port, "status_show", {})
            if result.ok:
                seen.add(result.worker)
                continue
        except OSError:
            pass
        time.sleep(0.5)


# --- the clients -------------------------------------------------------------------------------


@dataclass
class Result:
    status: int
    ok: bool
    seconds: float
    worker: str
    body: dict | None
    error: str | None = None


def call(port: int, action: str, data: dict) -> Result:
    """One anonymous action call (no account, no cookie) on its own connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    try:
        conn.request(
            "POST",
            f"/api/3/action/{action}",
            body=json.dumps(data).encode(),
            headers={"Content-Type": "application/json", "Connection": "close"},
        )
        response = conn.getresponse()
        raw = response.read()
        seconds = time.perf_counter() - started
        worker = response.getheader("X-Bench-Worker") or "?"
    finally:
        conn.close()
    try:
        body = json.loads(raw)
    except ValueError:
        return Result(response.status, False, seconds, worker, None, raw[:200].decode(errors="replace"))
    ok = response.status == 200 and body.get("success") is True
    return Result(
        response.status, ok, seconds, worker, body, None if ok else json.dumps(body.get("error"))[:300]
    )


@dataclass
class Phase:
    action: str
    wall: float = 0.0
    results: list[Result] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return len(self.results) / self.wall

    @property
    def errors(self) -> list[Result]:
        return [r for r in self.results if not r.ok]


def run_phase(port: int, action: str, payloads: list[dict], clients: int = CLIENTS) -> Phase:
    """`clients` threads share the payloads; wall time from a common start to the last answer."""
    phase = Phase(action)
    lock = threading.Lock()
    pending = iter(payloads)
    start = threading.Barrier(clients + 1)

    def client() -> None:
        start.wait()
        while True:
            with lock:
                data = next(pending, None)
            if data is None:
                return
            try:
                result = call(port, action, data)
            except OSError as exc:
                result = Result(0, False, 0.0, "?", None, repr(exc))
            with lock:
                phase.results.append(result)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    phase.wall = time.perf_counter() - started
    return phase


def submission(run: str, i: int, organization_id: str) -> dict:
    """A valid form, as tests/requests/conftest.py valid_request(); each with its own email."""
    return {
        "organization_id": organization_id,
        "requester_type": "individual",
        "name": f"Siti Rahmawati {i}",
        "nik": "3171015507900003",
        "address": "Jl. Merdeka No. 10, Kota Contoh",
        "phone": "0812 3456 7890",
        "email": f"warga.{run}.{i}@example.com",
        "occupation": "Wiraswasta",
        "information_requested": f"Rincian realisasi anggaran perbaikan jalan tahun 2025, ruas {i}",
        "purpose": "Bahan kajian warga",
        "obtain_method": "softcopy",
        "delivery_method": "email",
    }


# --- requests_submit -------------------------------------------------------------------------


def setup_submit() -> dict:
    """Child process: an empty request table and the body."""
    import ckan.plugins.toolkit as tk
    from ckan import model
    from ckan.config.middleware import make_app

    make_app(bench_config(0))
    with model.meta.engine.begin() as conn:
        conn.exec_driver_sql("TRUNCATE layananpublik_request, layananpublik_request_counter CASCADE")
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    context = {"user": site_user, "ignore_auth": True}
    org = model.Group.get(BODY)
    if org is None:
        org_id = tk.get_action("organization_create")(
            dict(context), {"name": BODY, "title": "Dinas Uji Beban"}
        )["id"]
    else:
        org_id = org.id
    tk.get_action("job_clear")(dict(context), {})  # emails queued by earlier runs
    return {"organization_id": org_id}


def check_numbers(database_url: str, organization_id: str) -> dict:
    """Registration numbers of the body's year(s): exactly 1..N, no gap, no duplicate."""
    import sqlalchemy as sa

    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        years = conn.execute(
            sa.text(
                """
                SELECT registration_year AS year, count(*) AS n, count(DISTINCT registration_seq) AS distinct_seq,
                       count(DISTINCT registration_number) AS distinct_numbers,
                       min(registration_seq) AS min_seq, max(registration_seq) AS max_seq,
                       (SELECT count(*) FROM generate_series(1, max(r.registration_seq)) s
                         WHERE s NOT IN (SELECT registration_seq FROM layananpublik_request x
                                         WHERE x.organization_id = :org
                                           AND x.registration_year = r.registration_year)) AS missing,
                       (SELECT last_seq FROM layananpublik_request_counter c
                         WHERE c.organization_id = :org AND c.year = r.registration_year) AS counter
                FROM layananpublik_request r WHERE organization_id = :org GROUP BY registration_year
                """
            ),
            {"org": organization_id},
        ).all()
    engine.dispose()
    return {
        str(y.year): {
            "rows": y.n,
            "distinct_seq": y.distinct_seq,
            "distinct_numbers": y.distinct_numbers,
            "min_seq": y.min_seq,
            "max_seq": y.max_seq,
            "missing": y.missing,
            "counter_last_seq": y.counter,
            "gap_free": y.n == y.distinct_seq == y.distinct_numbers == y.max_seq == y.counter
            and y.min_seq == 1
            and y.missing == 0,
        }
        for y in years
    }


def submit() -> None:
    with bench_stack("ckan_bench_requests") as env:
        setup = json.loads(_child(env, "setup-submit").strip().splitlines()[-1])
        org_id = setup["organization_id"]
        port = procs.free_port()
        web = procs.start(
            [sys.executable, "-m", "bench.requests", "serve", str(port), str(WORKERS)],
            WEB_LOG,
            env=env,
        )
        try:
            wait_ready(port, web, WORKERS)
            figures = measure_submit(port, org_id)
        finally:
            procs.stop(web)
        figures["numbering"] = check_numbers(env["CKAN_SQLALCHEMY_URL"], org_id)
    # Every successful answer has its own number, and the database holds exactly those.
    figures["numbers_match_responses"] = (
        figures["successful_submissions"] == figures["distinct_numbers_returned"]
        == sum(year["rows"] for year in figures["numbering"].values())
    )  # fmt: skip
    report_submit(figures)


def measure_submit(port: int, org_id: str) -> dict:
    run = uuid.uuid4().hex[:8]
    counter = iter(range(10**9))
    # Warm every worker: templates, config, connection pools.
    warm = run_phase(
        port, "layananpublik_request_create", [submission(run, next(counter), org_id) for _ in range(WARMUP)]
    )
    run_phase(port, "status_show", [{}] * WARMUP)
    if warm.errors:
        raise RuntimeError(f"warm-up submissions failed: {warm.errors[0].status} {warm.errors[0].error}")
    per_round = SUBMISSIONS // ROUNDS
    phases: dict[str, list[Phase]] = {"layananpublik_request_create": [], "status_show": []}
    for n in range(ROUNDS):
        order = ["status_show", "layananpublik_request_create"]
        for action in order if n % 2 == 0 else reversed(order):
            if action == "status_show":
                payloads = [{}] * per_round
            else:
                payloads = [submission(run, next(counter), org_id) for _ in range(per_round)]
            phase = run_phase(port, action, payloads)
            phases[action].append(phase)
            print(f"  round {n + 1}/{ROUNDS} {action:30} {phase.rate:7.1f} req/s  errors {len(phase.errors)}",
                  flush=True)  # fmt: skip

    def summary(action: str) -> dict:
        results = [r for p in phases[action] for r in p.results]
        latencies = [r.seconds for r in results if r.ok]
        errors = [r for r in results if not r.ok]
        return {
            "calls": len(results),
            "errors": len(errors),
            "error_samples": sorted({f"{r.status} {r.error}" for r in errors})[:5],
            "requests_per_s_median_of_rounds": round(median([p.rate for p in phases[action]]), 1),
            "requests_per_s_overall": round(len(results) / sum(p.wall for p in phases[action]), 1),
            "latency_median_ms": round(median(latencies) * 1000, 1) if latencies else None,
            "latency_p95_ms": round(p95(latencies) * 1000, 1) if latencies else None,
            "calls_per_worker": dict(Counter(r.worker for r in results)),
        }

    create, status = summary("layananpublik_request_create"), summary("status_show")
    numbers = [
        r.body["result"]["registration_number"]
        for p in [warm, *phases["layananpublik_request_create"]]
        for r in p.results
        if r.ok
    ]
    return {
        "config": {
            "clients": CLIENTS,
            "submissions": SUBMISSIONS,
            "rounds": ROUNDS,
            "web_workers": WORKERS,
            "server": "Werkzeug threaded server, pre-forked processes",
            "cpus": os.cpu_count(),
            "auth": "anonymous (no account, no cookie)",
            "rate_limit_per_ip": 0,
            "warmup_submissions": WARMUP,
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        },
        "create": create,
        "status_show": status,
        "ratio_create_to_status_show": round(
            create["requests_per_s_median_of_rounds"] / status["requests_per_s_median_of_rounds"], 3
        ),
        "successful_submissions": len(numbers),
        "distinct_numbers_returned": len(set(numbers)),
    }


def report_submit(figures: dict) -> None:
    create, status = figures["create"], figures["status_show"]
    print(f"requests_submit: {figures['config']['clients']} clients, {figures['config']['web_workers']} web "
          f"worker processes, {figures['config']['cpus']} CPUs, {figures['config']['auth']} clients; load average "
          f"at the end {figures['config']['load_average_at_end']}")  # fmt: skip
    table(
        [
            (
                name,
                f["calls"],
                f["errors"],
                f["requests_per_s_median_of_rounds"],
                f["requests_per_s_overall"],
                f["latency_median_ms"],
                f["latency_p95_ms"],
            )
            for name, f in (("layananpublik_request_create", create), ("status_show", status))
        ],
        ("action", "calls", "errors", "req/s (median of rounds)", "req/s overall", "median ms", "p95 ms"),
    )
    print(f"  ratio create / status_show: {figures['ratio_create_to_status_show']:.3f}")
    print(f"  calls per worker (create): {create['calls_per_worker']}")
    for year, check in figures["numbering"].items():
        print(f"  numbering {year}: {check['rows']} rows, seq {check['min_seq']}..{check['max_seq']}, "
              f"{check['missing']} missing, {check['rows'] - check['distinct_seq']} duplicate, counter "
              f"{check['counter_last_seq']}: {'GAP-FREE' if check['gap_free'] else 'NOT GAP-FREE'}")  # fmt: skip
    print(f"  successful submissions {figures['successful_submissions']}, distinct numbers returned "
          f"{figures['distinct_numbers_returned']}, rows in the database "
          f"{sum(year['rows'] for year in figures['numbering'].values())}: "
          f"{'match' if figures['numbers_match_responses'] else 'MISMATCH'}")  # fmt: skip
    write_report("requests_submit", figures)


# --- requests_stats --------------------------------------------------------------------------

BODIES = (
    "diskominfo", "dinkes", "disdik", "dishub", "dpmptsp", "bappeda", "bpkad", "dinsos", "disnaker", "dpupr",
    "dlh", "disdukcapil", "dispar", "distan", "diskan", "satpolpp", "bpbd", "inspektorat", "setda", "dprd",
)  # fmt: skip

# One statement: STATS_ROWS requests of STATS_YEAR. Bodies are skewed (the biggest has about a
# quarter of all requests); 96% decided, 4% still open (long overdue by now); 12% extended;
# outcomes 55% granted in full, 15% in part, 12% refused (Pasal 17 h, a and i most often, one
# ground in four with a second), 12% not held, 6% not documented; 93% decided within 10
# working days; 2% spam; registration numbers 1..n per body in order of receipt.
_FILL_SQL = """
WITH src AS MATERIALIZED (
    SELECT i, least(floor(:bodies * power(random(), 2.2))::int, :bodies - 1) AS k,
           DATE ':year-01-01' + floor(random() * 365)::int AS received_date,
           random() AS r_status, random() AS r_outcome, random() AS r_days, random() AS r_ext,
           1 + floor(random() * 7)::int AS ext_days, random() AS r_type, random() AS r_spam,
           substr('hhhhaaaiiibcdefgj', 1 + floor(random() * 17)::int, 1) AS g1,
           substr('hhhhaaaiiibcdefgj', 1 + floor(random() * 17)::int, 1) AS g2, random() AS r_g2,
           random() AS r_pick
    FROM generate_series(1, :rows) AS i
), shaped AS (
    SELECT src.*, bodies.id AS org_id, upper(bodies.name) AS code,
           row_number() OVER (PARTITION BY src.k ORDER BY received_date, i) AS seq,
           CASE WHEN r_status < 0.96 THEN 'decided' WHEN r_status < 0.975 THEN 'received'
                WHEN r_status < 0.99 THEN 'in_process' ELSE 'extended' END AS status,
           r_ext < 0.12 OR r_status >= 0.99 AS extended
    FROM src JOIN (SELECT id, name, (row_number() OVER (ORDER BY name)) - 1 AS k FROM "group"
                   WHERE name = ANY(:names)) AS bodies USING (k)
), decided AS (
    SELECT shaped.*,
           CASE WHEN status <> 'decided' THEN NULL
                WHEN r_outcome < 0.55 THEN 'granted_full' WHEN r_outcome < 0.70 THEN 'granted_part'
                WHEN r_outcome < 0.82 THEN 'refused' WHEN r_outcome < 0.94 THEN 'not_held'
                ELSE 'not_documented' END AS outcome,
           CASE WHEN status <> 'decided' THEN NULL
                WHEN extended THEN 8 + floor(r_days * (3 + ext_days))::int
                WHEN r_days < 0.93 THEN 1 + floor(r_days / 0.93 * 10)::int
                ELSE 11 + floor((r_days - 0.93) / 0.07 * 5)::int END AS wd
    FROM shaped
)
INSERT INTO layananpublik_request (
    id, organization_id, registration_year, registration_seq, registration_number, tracking_token_hash,
    requester_type, name, nik, entity_decree_number, address, phone, email, occupation,
    information_requested, purpose, obtain_method, delivery_method, status, received_at, received_date,
    original_due_date, due_date, extension_days, extension_reason, extended_at, outcome, refusal_grounds,
    referral_body, information_given, redactions, release_format, release_delivery, decided_at,
    decision_date, working_days_taken, is_spam, updated_at)
SELECT gen_random_uuid()::text, org_id, :year, seq,
       lpad(seq::text, greatest(3, length(seq::text)), '0') || '/PPID-' || code || '/' ||
       (ARRAY['I','II','III','IV','V','VI','VII','VIII','IX','X','XI','XII'])[extract(month FROM received_date)]
       || '/' || :year,
       encode(sha256(('bench-' || i)::bytea), 'hex'),
       CASE WHEN r_type < 0.9 THEN 'individual' ELSE 'legal_entity' END, 'Pemohon ' || i,
       CASE WHEN r_type < 0.9 THEN '3171015507900003' END, CASE WHEN r_type >= 0.9 THEN 'AHU-' || i END,
       'Jl. Merdeka No. ' || (i % 200) || ', Kota Contoh', '0812' || lpad((i % 100000000)::text, 8, '0'),
       'pemohon' || i || '@example.com',
       (ARRAY['Wiraswasta','Mahasiswa','Wartawan','Peneliti','Pegawai swasta','LSM'])[1 + floor(r_pick * 6)::int],
       (ARRAY['Realisasi anggaran perbaikan jalan', 'Daftar penerima bantuan sosial', 'Dokumen AMDAL pabrik',
              'Kontrak pengadaan barang dan jasa', 'Data kunjungan puskesmas', 'Laporan keuangan BUMD',
              'Rencana tata ruang wilayah', 'Jumlah guru honorer per sekolah'])[1 + floor(r_pick * 8)::int]
       || ' tahun ' || (:year - 1) || ' (' || i || ')',
       'Bahan kajian', (ARRAY['inspect','softcopy','hardcopy'])[1 + floor(r_pick * 3)::int],
       (ARRAY['email','pick_up','post','courier','fax'])[1 + floor(r_pick * 5)::int],
       status, received_date + time '09:30' AT TIME ZONE 'Asia/Jakarta', received_date,
       received_date + 14,
       received_date + 14 + CASE WHEN extended THEN (ext_days * 7 + 4) / 5 ELSE 0 END,
       CASE WHEN extended THEN ext_days END, CASE WHEN extended THEN 'Dokumen tersebar di beberapa bidang' END,
       CASE WHEN extended THEN received_date + 12 + time '10:00' AT TIME ZONE 'Asia/Jakarta' END,
       outcome,
       CASE WHEN outcome IN ('refused', 'granted_part') THEN
            CASE WHEN r_g2 < 0.25 AND g2 <> g1 THEN ARRAY[least(g1, g2), greatest(g1, g2)] ELSE ARRAY[g1] END END,
       CASE WHEN outcome = 'not_held' THEN 'Dinas lain' END,
       CASE WHEN outcome IN ('granted_full', 'granted_part') THEN 'Salinan dokumen' END,
       CASE WHEN outcome = 'granted_part' THEN 'Data pribadi dihitamkan' END,
       CASE WHEN outcome IS NOT NULL THEN 'softcopy' END, CASE WHEN outcome IS NOT NULL THEN 'email' END,
       received_date + (wd * 7 + 4) / 5 + time '14:00' AT TIME ZONE 'Asia/Jakarta',
       received_date + (wd * 7 + 4) / 5, wd, r_spam < 0.02,
       coalesce(received_date + (wd * 7 + 4) / 5, received_date) + time '14:00' AT TIME ZONE 'Asia/Jakarta'
FROM decided
"""


def fill_stats(model) -> dict[str, str]:
    """The bodies (organisations, as CKAN stores them) and STATS_ROWS requests."""
    bodies = {}
    for name in BODIES:
        group = model.Group.get(name)
        if group is None:
            group = model.Group(name=name, title=name.upper(), type="organization", is_organization=True)
            model.Session.add(group)
            model.Session.flush()
        bodies[name] = group.id
    model.Session.commit()
    with model.meta.engine.begin() as conn:
        conn.exec_driver_sql("TRUNCATE layananpublik_request, layananpublik_request_counter CASCADE")
        conn.execute(_sa().text(_FILL_SQL.replace(":year-01-01", f"{STATS_YEAR}-01-01")),
                     {"rows": STATS_ROWS, "bodies": len(BODIES), "year": STATS_YEAR, "names": list(BODIES)})  # fmt: skip
        conn.exec_driver_sql(
            "INSERT INTO layananpublik_request_counter (organization_id, year, last_seq) "
            "SELECT organization_id, registration_year, max(registration_seq) FROM layananpublik_request "
            "GROUP BY 1, 2"
        )
    # Measured first as freshly loaded and analysed: autovacuum must not step in half-way.
    _admin_sql(model, "ALTER TABLE layananpublik_request SET (autovacuum_enabled = false)")
    _admin_sql(model, "ANALYZE layananpublik_request")
    return bodies


def _sa():
    import sqlalchemy

    return sqlalchemy


def time_calls(fn, repeats: int) -> list[float]:
    for _ in range(3):
        fn()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def measure_stats() -> dict:
    """Child process: fill the table, then time the statistics three ways."""
    from ckan import model
    from ckan.config.middleware import make_app
    from werkzeug.test import Client

    from ckanext.layananpublik.cases.clock import today as local_today

    app = make_app(bench_config(0))
    started = time.perf_counter()
    bodies = fill_stats(model)
    fill_seconds = time.perf_counter() - started
    sa = _sa()
    with model.meta.engine.connect() as conn:
        per_body = dict(conn.execute(sa.text(
            "SELECT organization_id, count(*) FROM layananpublik_request WHERE registration_year = :y GROUP BY 1"
        ), {"y": STATS_YEAR}).all())  # fmt: skip
        size = conn.exec_driver_sql(
            "SELECT pg_size_pretty(pg_total_relation_size('layananpublik_request'))"
        ).scalar()
    biggest = max(per_body, key=per_body.get)
    names = {v: k for k, v in bodies.items()}
    today = local_today()
    figures: dict = {
        "rows": STATS_ROWS, "bodies": len(bodies), "year": STATS_YEAR, "fill_seconds": round(fill_seconds, 1),
        "table_size": size, "repeats": REPEATS, "goal_ms": GOAL_MS, "cpus": os.cpu_count(),
        "one_body": {"name": names[biggest], "requests": per_body[biggest]}, "cases": {}, "plans": {},
    }  # fmt: skip
    for state in ("after ANALYZE", "after VACUUM"):
        if state == "after VACUUM":  # the visibility map autovacuum keeps on a live table
            _admin_sql(model, "VACUUM (ANALYZE) layananpublik_request")
        for label, org_id in {"one body": biggest, "site-wide": None}.items():
            key = f"{label}, {state}"
            figures["cases"][key], figures["plans"][key] = time_stats(Client(app), org_id, today)
    _admin_sql(model, "ALTER TABLE layananpublik_request RESET (autovacuum_enabled)")
    figures["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return figures


def _admin_sql(model, statement: str) -> None:
    with model.meta.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(statement)


def time_stats(client, org_id: str | None, today: dt.date) -> tuple[dict, list[str]]:
    """One body's (or the site's) statistics: raw SQL, action, HTTP; and the query plans."""
    import ckan.plugins.toolkit as tk
    from ckan import model

    from ckanext.layananpublik.requests import register as registry

    sa = _sa()
    stats = tk.get_action("layananpublik_request_stats")
    org_filter = "AND organization_id = :org" if org_id else ""
    params = {"year": STATS_YEAR, "today": today, **({"org": org_id} if org_id else {})}
    statements = [
        sa.text(q.format(org_filter=org_filter)) for q in (registry._STATS_SQL, registry._GROUNDS_SQL)
    ]
    data = {"year": STATS_YEAR, **({"organization_id": org_id} if org_id else {})}

    def raw() -> None:
        with model.meta.engine.connect() as conn:
            for statement in statements:
                conn.execute(statement, params).all()

    def action() -> dict:
        try:
            return stats({"user": "", "ignore_auth": False}, dict(data))
        finally:
            model.Session.remove()  # as at the end of a web request

    def over_http() -> None:
        response = client.get("/api/3/action/layananpublik_request_stats", query_string=data)
        assert response.status_code == 200 and response.json["success"], response.get_data()[:300]

    total = action()["total"]
    case = {key: total[key] for key in ("received", "decided", "median_working_days", "p90_working_days",
                                        "share_on_time", "refused_by_ground")}  # fmt: skip
    for way, fn in (("raw SQL", raw), ("action", action), ("HTTP", over_http)):
        times = time_calls(fn, REPEATS)
        case[way] = {"median_ms": round(median(times) * 1000, 1), "p95_ms": round(p95(times) * 1000, 1)}
    with model.meta.engine.connect() as conn:
        plans = [
            line
            for statement in statements
            for line in conn.execute(
                sa.text("EXPLAIN (ANALYZE, BUFFERS) " + statement.text), params
            ).scalars()
        ]
    return case, plans


def stats() -> None:
    with bench_stack("ckan_bench_request_stats") as env:
        figures = json.loads(_child(env, "measure-stats").strip().splitlines()[-1])
    one = figures["one_body"]
    print(f"requests_stats: {figures['rows']} requests of {figures['year']} over {figures['bodies']} bodies "
          f"(inserted in {figures['fill_seconds']} s; table + indexes {figures['table_size']}); "
          f"one body = {one['name']} with {one['requests']} requests; {figures['repeats']} repetitions; "
          f"{figures['cpus']} CPUs, load average at the end {figures['load_average_at_end']}")  # fmt: skip
    rows = []
    for label, case in figures["cases"].items():
        for way in ("raw SQL", "action", "HTTP"):
            rows.append((label, way, case[way]["median_ms"], case[way]["p95_ms"],
                         "yes" if case[way]["p95_ms"] < GOAL_MS else "NO"))  # fmt: skip
    table(rows, ("statistics, table state", "through", "median ms", "p95 ms", f"p95 < {GOAL_MS} ms"))
    for label, case in list(figures["cases"].items())[:2]:
        print(f"  {label}: received {case['received']}, decided {case['decided']}, median "
              f"{case['median_working_days']} / p90 {case['p90_working_days']} working days, "
              f"on time {case['share_on_time']}")  # fmt: skip
    write_report("requests_stats", figures)


def _child(env: dict, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "bench.requests", *args], env=env, cwd=ROOT, capture_output=False,
        stdout=subprocess.PIPE, text=True, check=True,
    ).stdout  # fmt: skip


if __name__ == "__main__" and len(sys.argv) > 1:
    import logging

    logging.disable(logging.WARNING)
    command = sys.argv[1]
    if command == "serve":
        serve(int(sys.argv[2]), int(sys.argv[3]))
    elif command == "setup-submit":
        print(json.dumps(setup_submit()))
    elif command == "measure-stats":
        print(json.dumps(measure_stats()))
