"""Load: the citizen's and the officer's journeys on production mode, with 1, 2 and 4 web workers.

The site is production mode's processes (devstack/prod.py: gunicorn sync workers, two RQ job
workers with RQ's scheduler, the social drainer) on the benchmark's own PostgreSQL and Redis
(bench/common.py) and an SMTP sink, all on loopback; test.ini's plugins, with one change:
no per-IP rate limit (every client comes from 127.0.0.1; the per-email limit stays on and
every submission uses its own address).

CITIZENS client threads each repeat the citizen journey as a new visitor (own cookies):
home page, dataset search with facets, a dataset page, the request form (GET, then POST with
its CSRF token: the receipt page), the tracking page, the site's Atom feed. OFFICERS threads,
signed in with an API token, repeat the officer journey: the inbox page, then deciding the
oldest received request through `layananpublik_request_decide`. For each worker count the
journeys and CKAN's own `status_show` (same threads, same duration) alternate in ROUNDS
rounds of SECONDS seconds.

Afterwards: every submission answered with a receipt is in the database once (by its tracking
token), registration numbers are 1..N per body with no gap, every receipt and decision email
reached the SMTP sink, and no answer was a 5xx. Figures go to reports/bench-load.json.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from functools import partial
from pathlib import Path

import requests

from bench.common import DATA, INI, bench_stack, median, p95
from bench.requests import check_numbers, table
from ckanext.layananpublik.web import TRACKING_COOKIES
from devstack import procs, prod
from devstack.procs import ROOT

WORKER_COUNTS = [int(n) for n in os.environ.get("LP_BENCH_LOAD_WORKERS", "1 2 4").split()]
SECONDS = float(os.environ.get("LP_BENCH_LOAD_SECONDS", 8))
ROUNDS = int(os.environ.get("LP_BENCH_LOAD_ROUNDS", 2))
CITIZENS = int(os.environ.get("LP_BENCH_LOAD_CITIZENS", 6))
OFFICERS = int(os.environ.get("LP_BENCH_LOAD_OFFICERS", 2))
JOB_WORKERS = 2
DATASETS = 40
BODY = "bench-ppid"
CITIZEN_STEPS = ("home", "search", "dataset", "form", "submit", "track", "feed")
OFFICER_STEPS = ("inbox", "inbox_list", "decide")
CSRF = re.compile(r'name="_csrf_token"[^>]*value="([^"]+)"')


# --- the site -------------------------------------------------------------------------------


def setup() -> dict:
    """Child process: an empty request table, the body, its datasets and an officer."""
    import ckan.plugins.toolkit as tk
    from ckan import model
    from ckan.config.middleware import make_app

    make_app(_config())
    with model.meta.engine.begin() as conn:
        conn.exec_driver_sql("TRUNCATE layananpublik_request, layananpublik_request_counter CASCADE")
    site = {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"], "ignore_auth": True}

    def act(action: str, **data):
        return tk.get_action(action)(dict(site), data)

    org = model.Group.get(BODY)
    org_id = org.id if org else act("organization_create", name=BODY, title="Dinas Uji Beban")["id"]
    officer = model.User.get("bench-officer") or model.User.get(
        act("user_create", name="bench-officer", email="officer@example.go.id", password="Bench-Officer-123")[
            "id"
        ]
    )
    act("organization_member_create", id=org_id, username=officer.name, role="editor")
    act("layananpublik_officer_create", organization_id=org_id, user_id=officer.id, role="officer")
    token = act("api_token_create", user=officer.name, name=f"bench-{uuid.uuid4().hex[:6]}")["token"]
    names = []
    for i in range(DATASETS):
        name = f"anggaran-beban-{i:03d}"
        if not model.Package.get(name):
            act("package_create", name=name, title=f"Realisasi Anggaran Dinas {i}", owner_org=org_id,
                notes="Realisasi anggaran per bulan, per kegiatan.", tags=[{"name": "anggaran"},
                {"name": ["keuangan", "kesehatan", "pendidikan"][i % 3]}],
                resources=[{"url": f"https://example.go.id/{i}.csv", "format": ["CSV", "XLSX", "PDF"][i % 3]}])  # fmt: skip
        names.append(name)
    act("job_clear")
    return {"organization_id": org_id, "officer_token": token, "datasets": names}


def _config() -> dict:
    from ckan.cli import load_config

    return load_config(INI)


class Site:
    """Production mode's processes for one worker count, on the bench servers."""

    def __init__(self, env: dict, workers: int, port: int, smtp_port: int) -> None:
        self.port = port
        ini = prod.override_ini(
            DATA / "load.ini", Path(INI),
            {"testing": "false", "ckan.site_url": f"http://127.0.0.1:{port}", "smtp.server": f"127.0.0.1:{smtp_port}",
             "ckanext.layananpublik.request.rate_limit.per_ip": "0"},
        )  # fmt: skip
        self.app = prod.AppProcesses(ini, port, DATA / "load-logs", web_workers=workers, job_workers=JOB_WORKERS,
                                     env=env)  # fmt: skip

    def __enter__(self) -> Site:
        self.app.start()
        return self

    def __exit__(self, *exc) -> None:
        self.app.stop()


# --- the journeys ----------------------------------------------------------------------------


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.samples: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self.tokens: list[str] = []
        self.decided: list[str] = []
        self.claimed: set[str] = set()

    def timed(self, step: str, method, url: str, **kwargs) -> requests.Response | None:
        """One call (`method`: a Session's get or post), its status and time recorded."""
        started = time.perf_counter()
        try:
            response = method(url, **kwargs)
            status = response.status_code
        except requests.RequestException:
            response, status = None, 0
        with self.lock:
            self.samples[step].append((status, time.perf_counter() - started))
        return response


def citizen(base: str, ctx: dict, rec: Recorder, deadline: float, run: str, counter) -> None:
    datasets = ctx["datasets"]
    while time.monotonic() < deadline:
        n = next(counter)
        s = requests.Session()  # a new visitor: own cookies
        rec.timed("home", s.get, f"{base}/")
        rec.timed("search", s.get, f"{base}/dataset/", params={"q": "anggaran", "res_format": "CSV"})
        rec.timed("dataset", s.get, f"{base}/dataset/{datasets[n % len(datasets)]}")
        form = rec.timed("form", s.get, f"{base}/permohonan/ajukan/{BODY}")
        match = CSRF.search(form.text) if form is not None and form.status_code == 200 else None
        if match is None:
            continue
        data = {
            "_csrf_token": match.group(1), "requester_type": "individual", "name": f"Warga Uji {n}",
            "nik": "3171015507900003", "address": "Jl. Merdeka No. 10, Kota Contoh", "phone": f"08{int(run, 16) % 10**6:06d}{n:05d}",
            "email": f"warga.{run}.{n}@example.com", "occupation": "Wiraswasta",
            "information_requested": f"Rincian realisasi anggaran ruas jalan {n}", "purpose": "Kajian warga",
            "obtain_method": "softcopy", "delivery_method": "email", "website": "",
        }  # fmt: skip
        receipt = rec.timed("submit", s.post, f"{base}/permohonan/ajukan/{BODY}", data=data)
        # The form puts the new request's tracking token in a short-lived cookie and redirects to
        # the token-free receipt (issue 16): the token is read from the visitor's cookie.
        token = s.cookies.get(TRACKING_COOKIES["request"]) if receipt is not None else None
        if (
            receipt is None
            or receipt.status_code != 200
            or not token
            or not receipt.url.endswith("/dilacak/tanda-terima")
        ):
            continue
        with rec.lock:
            rec.tokens.append(token)
        rec.timed("track", s.get, f"{base}/permohonan/dilacak")  # the same visitor: the cookie
        rec.timed("feed", s.get, f"{base}/umpan/dataset.atom")


def officer(base: str, ctx: dict, rec: Recorder, deadline: float) -> None:
    s = requests.Session()
    s.headers["Authorization"] = ctx["officer_token"]
    while time.monotonic() < deadline:
        rec.timed("inbox", s.get, f"{base}/ppid/kotak-masuk")
        listed = rec.timed("inbox_list", s.post, f"{base}/api/3/action/layananpublik_request_list",
                        json={"organization_id": ctx["organization_id"], "status": "received", "scope": "inbox",
                              "sort": "oldest", "limit": 20})  # fmt: skip
        rows = listed.json()["result"]["results"] if listed is not None and listed.status_code == 200 else []
        with rec.lock:
            row = next((r for r in rows if r["id"] not in rec.claimed), None)
            if row is not None:
                rec.claimed.add(row["id"])
        if row is None:
            time.sleep(0.1)
            continue
        decided = rec.timed("decide", s.post, f"{base}/api/3/action/layananpublik_request_decide", json={
            "id": row["id"], "outcome": "granted_full", "information_given": "Salinan dokumen anggaran",
            "release_format": "softcopy", "release_delivery": "email", "fee": "0",  # the notice (Pasal 22(7))
            "provide_by_date": (dt.date.today() + dt.timedelta(days=7)).isoformat()})  # fmt: skip
        if decided is not None and decided.status_code == 200:
            with rec.lock:
                rec.decided.append(row["id"])


def status_client(base: str, rec: Recorder, deadline: float) -> None:
    s = requests.Session()
    while time.monotonic() < deadline:
        rec.timed("status_show", s.get, f"{base}/api/3/action/status_show")


def run_threads(targets: list) -> float:
    threads = [threading.Thread(target=t) for t in targets]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def measure(port: int, ctx: dict, run: str) -> tuple[dict, Recorder]:
    base = f"http://127.0.0.1:{port}"
    counter = iter(range(10**9))
    journeys, status = Recorder(), Recorder()
    walls = {"journeys": 0.0, "status_show": 0.0}
    warm = Recorder()  # templates, pools and caches of every worker
    run_threads(
        [lambda: citizen(base, ctx, warm, time.monotonic() + 3, run, counter) for _ in range(CITIZENS)]
    )
    for n in range(ROUNDS):
        order = ["status_show", "journeys"] if n % 2 == 0 else ["journeys", "status_show"]
        for phase in order:
            deadline = time.monotonic() + SECONDS
            if phase == "status_show":
                targets = [partial(status_client, base, status, deadline)] * (CITIZENS + OFFICERS)
            else:
                targets = [partial(citizen, base, ctx, journeys, deadline, run, counter)] * CITIZENS + [
                    partial(officer, base, ctx, journeys, deadline)
                ] * OFFICERS
            walls[phase] += run_threads(targets)
    journeys.tokens += warm.tokens
    journeys.decided += warm.decided
    return summarise(journeys, status, walls), journeys


def summarise(journeys: Recorder, status: Recorder, walls: dict) -> dict:
    def step(samples: list[tuple[int, float]]) -> dict:
        ok = [s for code, s in samples if 200 <= code < 400]
        return {
            "calls": len(samples),
            "5xx": sum(1 for code, _ in samples if code >= 500),
            "4xx": sum(1 for code, _ in samples if 400 <= code < 500),
            "no_answer": sum(1 for code, _ in samples if code == 0),
            "p50_ms": round(median(ok) * 1000, 1) if ok else None,
            "p95_ms": round(p95(ok) * 1000, 1) if ok else None,
        }

    steps = {name: step(journeys.samples[name]) for name in (*CITIZEN_STEPS, *OFFICER_STEPS)}
    calls = sum(s["calls"] for s in steps.values())
    status_step = step(status.samples["status_show"])
    journey_rps = calls / walls["journeys"]
    status_rps = status_step["calls"] / walls["status_show"]
    return {
        "steps": steps,
        "status_show": status_step,
        "journey_requests_per_s": round(journey_rps, 1),
        "status_show_requests_per_s": round(status_rps, 1),
        "ratio_to_status_show": round(journey_rps / status_rps, 3),
        "citizen_journeys_completed": steps["feed"]["calls"],
        "5xx": sum(s["5xx"] for s in steps.values()) + status_step["5xx"],
        "no_answer": sum(s["no_answer"] for s in steps.values()) + status_step["no_answer"],
    }


# --- integrity -------------------------------------------------------------------------------


def integrity(database_url: str, org_id: str, tokens: list[str], decided: list[str]) -> dict:
    import hashlib

    import sqlalchemy as sa

    hashes = [hashlib.sha256(t.encode()).hexdigest() for t in tokens]
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT tracking_token_hash, count(*) FROM layananpublik_request WHERE organization_id = :org GROUP BY 1"
        ), {"org": org_id}).all()  # fmt: skip
        not_decided = conn.execute(
            sa.text(
                "SELECT count(*) FROM layananpublik_request WHERE id = ANY(:ids) AND status <> 'decided'"
            ),
            {"ids": decided},
        ).scalar()
    engine.dispose()
    stored = dict(rows)
    return {
        "receipts": len(tokens),
        "rows": sum(stored.values()),
        "lost": sum(1 for h in hashes if h not in stored),
        "duplicated": sum(1 for n in stored.values() if n > 1),
        "without_receipt": len(set(stored) - set(hashes)),
        "decisions": len(decided),
        "decisions_lost": not_decided,
        "numbering": check_numbers(database_url, org_id),
    }


def wait_for_mail(directory: Path, expected: int, timeout: float = 180) -> int:
    deadline = time.monotonic() + timeout
    count = 0
    while time.monotonic() < deadline:
        count = len(list(directory.glob("*.eml")))
        if count >= expected:
            break
        time.sleep(1)
    time.sleep(2)  # anything sent twice would arrive now
    return len(list(directory.glob("*.eml")))


# --- main ------------------------------------------------------------------------------------


def main() -> None:
    web_port = int(os.environ.get("LP_BENCH_WEB_PORT", 5003))
    smtp_port = int(os.environ.get("LP_BENCH_SMTP_PORT", 10253))
    procs.require_free_port(smtp_port, "benchmark SMTP sink", "LP_BENCH_SMTP_PORT")
    run = uuid.uuid4().hex[:8]
    mail = DATA / "load-mail" / run
    with bench_stack("ckan_bench_load") as env:
        ctx = json.loads(_child(env, "setup").strip().splitlines()[-1])
        sink = procs.start(
            [sys.executable, "-m", "devstack.smtp", str(mail), str(smtp_port)], DATA / "load-smtp.log"
        )
        procs.wait_for_port(smtp_port, "SMTP sink", proc=sink)
        figures: dict = {
            "config": {"cpus": os.cpu_count(), "citizens": CITIZENS, "officers": OFFICERS, "seconds": SECONDS,
                       "rounds": ROUNDS, "job_workers": JOB_WORKERS, "server": "gunicorn sync workers",
                       "datasets": DATASETS},
            "by_workers": {},
        }  # fmt: skip
        tokens: list[str] = []
        decided: list[str] = []
        try:
            for workers in WORKER_COUNTS:
                with Site(env, workers, web_port, smtp_port) as site:
                    result, rec = measure(site.port, ctx, run)
                    result["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
                    figures["by_workers"][str(workers)] = result
                    tokens += rec.tokens
                    decided += rec.decided
                    print(f"  {workers} web workers: {result['journey_requests_per_s']} req/s, status_show "
                          f"{result['status_show_requests_per_s']} req/s, ratio {result['ratio_to_status_show']}, "
                          f"5xx {result['5xx']}", flush=True)  # fmt: skip
                    if workers == WORKER_COUNTS[-1]:
                        # Mail is sent by the job workers: wait with them still running.
                        figures["mail"] = {"expected": len(tokens) + len(decided),
                                           "received": wait_for_mail(mail, len(tokens) + len(decided))}  # fmt: skip
        finally:
            procs.stop(sink)
        figures["integrity"] = integrity(env["CKAN_SQLALCHEMY_URL"], ctx["organization_id"], tokens, decided)
    report(figures)


def report(figures: dict) -> None:
    c = figures["config"]
    print(f"load: {c['citizens']} citizens + {c['officers']} officers, {c['rounds']} rounds of {c['seconds']} s "
          f"per phase, {c['job_workers']} job workers, {c['cpus']} CPUs (shared)")  # fmt: skip
    rows = []
    for workers, result in figures["by_workers"].items():
        for name, s in [*result["steps"].items(), ("status_show", result["status_show"])]:
            rows.append(
                (workers, name, s["calls"], s["5xx"], s["4xx"], s["no_answer"], s["p50_ms"], s["p95_ms"])
            )
    table(rows, ("web workers", "step", "calls", "5xx", "4xx", "no answer", "p50 ms", "p95 ms"))
    first = figures["by_workers"][str(WORKER_COUNTS[0])]
    for workers, result in figures["by_workers"].items():
        print(f"  {workers} web workers: journeys {result['journey_requests_per_s']} req/s "
              f"(x{result['journey_requests_per_s'] / first['journey_requests_per_s']:.2f} of {WORKER_COUNTS[0]}), "
              f"status_show {result['status_show_requests_per_s']} req/s, ratio {result['ratio_to_status_show']}, "
              f"load average {result['load_average_at_end']}")  # fmt: skip
    i = figures["integrity"]
    print(f"  submissions: {i['receipts']} receipts, {i['rows']} rows, lost {i['lost']}, duplicated "
          f"{i['duplicated']}, rows without a receipt {i['without_receipt']}; decisions {i['decisions']}, "
          f"lost {i['decisions_lost']}")  # fmt: skip
    for year, check in i["numbering"].items():
        print(f"  numbering {year}: {check['rows']} rows, seq {check['min_seq']}..{check['max_seq']}, "
              f"{check['missing']} missing: {'GAP-FREE' if check['gap_free'] else 'NOT GAP-FREE'}")  # fmt: skip
    print(
        f"  mail: {figures['mail']['received']} of {figures['mail']['expected']} expected emails reached the sink"
    )
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")


REPORT = ROOT / "reports" / "bench-load.json"


def _child(env: dict, *args: str) -> str:
    return subprocess.run([sys.executable, "-m", "bench.load", *args], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                          text=True, check=True).stdout  # fmt: skip


if __name__ == "__main__" and len(sys.argv) > 1:
    import logging

    logging.disable(logging.WARNING)
    if sys.argv[1] == "setup":
        print(json.dumps(setup()))
