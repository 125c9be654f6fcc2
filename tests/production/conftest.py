"""One production-mode site for the whole test session (every module of tests/production), on
servers of its own that the tests may stop, restart and kill: PostgreSQL, Redis, an SMTP sink,
gunicorn with two workers, two RQ job workers (with RQ's scheduler), the email and social
drainers (devstack/prod.py). Each test leaves it as it found it: servers running, processes
restarted (`wait_healthy` supervises them, as systemd would), its own submitters and addresses.

Ports come from LP_PROD_PG_PORT, LP_PROD_REDIS_PORT, LP_PROD_WEB_PORT and LP_PROD_SMTP_PORT
(defaults 61324, 63794, 5004, 10254), data from .data/test/production/. PostgreSQL's port lies
outside Linux's ephemeral range (32768-60999): the load's own client connections once took 54324
while the server restarted, and it could not bind again.
"""

from __future__ import annotations

import email
import email.utils
import hashlib
import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from devstack import procs, prod
from devstack import redis as redis_server
from devstack.postgres import Postgres
from devstack.procs import ROOT

DATA = ROOT / ".data" / "test" / "production"
CKAN = str(Path(sys.executable).parent / "ckan")
BODY = "dinas-uji-gangguan"
SEARCHED_WORDS_THRESHOLD = 3


def wait_until(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {timeout} s")


def _port(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


class Site:
    """The servers and processes of one production-mode site, and ways to hurt them."""

    def __init__(self) -> None:
        self.pg = Postgres(DATA / "postgres", _port("LP_PROD_PG_PORT", 61324))
        self.redis_port = _port("LP_PROD_REDIS_PORT", 63794)
        self.web_port = _port("LP_PROD_WEB_PORT", 5004)
        self.smtp_port = _port("LP_PROD_SMTP_PORT", 10254)
        self.base = f"http://127.0.0.1:{self.web_port}"
        self.mail = DATA / "mail" / uuid.uuid4().hex[:8]
        self.redis_proc: subprocess.Popen | None = None
        self.smtp_proc: subprocess.Popen | None = None
        self.app: prod.AppProcesses | None = None

    # --- life cycle ---------------------------------------------------------------------------

    def start(self) -> None:
        procs.require_free_port(self.web_port, "production test web server", "LP_PROD_WEB_PORT")
        self.pg.start()
        self.database_url = self.pg.ensure_database("ckan_prod", "ckan_prod", "ckan_prod")
        self.start_redis()
        self.start_smtp()
        self.env = dict(os.environ, CKAN_SQLALCHEMY_URL=self.database_url,
                        CKAN_REDIS_URL=f"redis://127.0.0.1:{self.redis_port}/0")  # fmt: skip
        self.ini = prod.override_ini(
            DATA / "ckan.ini", ROOT / "test.ini",
            {"testing": "false", "ckan.site_url": self.base, "smtp.server": f"127.0.0.1:{self.smtp_port}",
             # Every client is 127.0.0.1: no per-IP limit (the per-email one stays on).
             "ckanext.layananpublik.request.rate_limit.per_ip": "0",
             # A send cut short by a killed worker is taken over after 15 s, not 5 minutes.
             "ckanext.layananpublik.mail.lease_seconds": "15",
             "sqlalchemy.pool_pre_ping": "true",
             # A word searched slowly this many times is kept (test_searched_words.py), not 50.
             "ckanext.layananpublik.search.searched_words.threshold": str(SEARCHED_WORDS_THRESHOLD)},
        )  # fmt: skip
        self.ckan("db", "init")
        self.ckan("db", "upgrade")
        self.ckan("db", "upgrade", "-p", "layananpublik_search")
        self.engine = sa.create_engine(self.database_url, pool_pre_ping=True)
        with self.engine.begin() as conn:
            conn.exec_driver_sql(
                "TRUNCATE layananpublik_request, layananpublik_request_counter, layananpublik_mail CASCADE"
            )
        self.ckan("jobs", "clear")
        self.organization_id = self.ensure_body()
        self.app = prod.AppProcesses(self.ini, self.web_port, DATA / "logs", web_workers=2, job_workers=2,
                                     env=self.env)  # fmt: skip
        self.app.start(timeout=180)
        self.wait_healthy()

    def stop(self) -> None:
        if self.app is not None:
            self.app.stop()
        for proc in (self.smtp_proc, self.redis_proc):
            if proc is not None:
                procs.stop(proc)
        if getattr(self, "engine", None) is not None:
            self.engine.dispose()
        self.pg.stop()

    def ckan(self, *args: str) -> str:
        result = subprocess.run([CKAN, "-c", str(self.ini), *args], env=self.env, cwd=ROOT, capture_output=True,
                                text=True)  # fmt: skip
        assert (
            result.returncode == 0
        ), f"ckan {' '.join(args)}:\n{result.stdout[-2000:]}{result.stderr[-3000:]}"
        return result.stdout

    def ensure_body(self) -> str:
        with self.engine.connect() as conn:
            found = conn.execute(sa.text('SELECT id FROM "group" WHERE name = :n'), {"n": BODY}).scalar()
        if found:
            return found
        code = (
            "import ckan.plugins.toolkit as tk;"
            "u = tk.get_action('get_site_user')({'ignore_auth': True}, {})['name'];"
            f"print(tk.get_action('organization_create')({{'user': u, 'ignore_auth': True}}, "
            f"{{'name': '{BODY}', 'title': 'Dinas Uji Gangguan'}})['id'])"
        )
        return self.python(code).strip().splitlines()[-1]

    def sysadmin_token(self) -> str:
        code = (
            "import ckan.plugins.toolkit as tk; from ckan import model;"
            "u = model.User.get('prod-admin') or model.User(name='prod-admin', email='admin@example.go.id',"
            " password='Prod-Admin-123', sysadmin=True); model.Session.add(u); model.Session.commit();"
            "s = tk.get_action('get_site_user')({'ignore_auth': True}, {})['name'];"
            "print(tk.get_action('api_token_create')({'user': s, 'ignore_auth': True},"
            " {'user': 'prod-admin', 'name': 'faults'})['token'])"
        )
        return self.python(code).strip().splitlines()[-1]

    def job_counts(self) -> dict:
        """Jobs queued, started, waiting for a retry, failed (RQ's registries of the default queue)."""
        return eval(self.python(  # noqa: S307 - our own repr of a dict
            "from ckan.lib import jobs; from rq.registry import ScheduledJobRegistry, FailedJobRegistry,"
            " StartedJobRegistry; q = jobs.get_queue(); print({'queued': q.count, 'started':"
            " [i.decode() for i in q.connection.zrange(StartedJobRegistry(queue=q).key, 0, -1)], 'scheduled': ScheduledJobRegistry(queue=q).count,"
            " 'failed': FailedJobRegistry(queue=q).count})"
        ).strip().splitlines()[-1])  # fmt: skip

    def python(self, code: str) -> str:
        """Python code run with the site's CKAN loaded (its actions usable)."""
        script = (
            "from ckan.cli import load_config; from ckan.config.middleware import make_app;"
            f"make_app(load_config({str(self.ini)!r}));" + code
        )
        result = subprocess.run([sys.executable, "-c", script], env=self.env, cwd=ROOT, capture_output=True,
                                text=True)  # fmt: skip
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def start_redis(self) -> None:
        self.redis_proc = redis_server.start(DATA / "redis", self.redis_port)

    def stop_redis(self) -> None:
        procs.stop(self.redis_proc)

    def stop_postgres(self) -> None:
        self.pg.stop()

    def start_postgres(self) -> None:
        self.pg.start()

    def start_smtp(self) -> None:
        self.smtp_proc = procs.start([sys.executable, "-m", "devstack.smtp", str(self.mail), str(self.smtp_port)],
                                     DATA / "logs" / "smtp.log")  # fmt: skip
        procs.wait_for_port(self.smtp_port, "SMTP sink", proc=self.smtp_proc)

    def stop_smtp(self) -> None:
        procs.stop(self.smtp_proc)

    def restart_postgres(self) -> None:
        self.stop_postgres()
        self.start_postgres()

    def enqueue_email(self, address: str) -> None:
        """An email job of the kind earlier versions queued (cases/mail.py send_email: it now
        writes to the outbox and drains it), put in the queue straight through RQ: only a job
        worker can send it."""
        from redis import Redis
        from rq import Queue

        from ckanext.layananpublik.cases import mail

        queue = Queue("ckan:default:default", connection=Redis(port=self.redis_port))
        queue.enqueue_call(func=mail.send_email, args=["Warga Uji", address, "Uji", "Isi"], meta={"title": "uji"})

    def wait_healthy(
        self, checks: str = "postgresql,redis,job_queue,mail_relay", timeout: float = 60
    ) -> dict:
        deadline = time.monotonic() + timeout
        body: dict = {}
        while time.monotonic() < deadline:
            self.app.supervise()  # what stopped is started again, as systemd's Restart=always does
            try:
                response = requests.get(
                    f"{self.base}/layananpublik/health", params={"checks": checks}, timeout=10
                )
                body = response.json()
                if response.status_code == 200:
                    return body
            except (requests.RequestException, ValueError):
                pass
            time.sleep(0.2)
        details = subprocess.run([CKAN, "-c", str(self.ini), "layananpublik", "health"], env=self.env, cwd=ROOT,
                                 capture_output=True, text=True).stdout  # fmt: skip
        raise AssertionError(f"site not healthy within {timeout} s: {body}\n{details}")

    # --- what the tests look at ---------------------------------------------------------------

    def rows(self) -> dict[str, int]:
        """Stored requests of the body: tracking-token hash -> how many rows carry it."""
        with self.engine.connect() as conn:
            return dict(conn.execute(sa.text(
                "SELECT tracking_token_hash, count(*) FROM layananpublik_request WHERE organization_id = :org "
                "GROUP BY 1"), {"org": self.organization_id}).all())  # fmt: skip

    def half_written(self) -> list[str]:
        """Requests without their 'submitted' event, or numbered past the body's counter."""
        with self.engine.connect() as conn:
            return list(conn.execute(sa.text(
                """
                SELECT r.registration_number FROM layananpublik_request r
                LEFT JOIN layananpublik_request_counter c
                  ON c.kind = 'request' AND c.organization_id = r.organization_id AND c.year = r.registration_year
                WHERE r.organization_id = :org AND (c.last_seq IS NULL OR r.registration_seq > c.last_seq
                   OR NOT EXISTS (SELECT 1 FROM layananpublik_request_event e
                                  WHERE e.request_id = r.id AND e.action = 'submitted'))
                """), {"org": self.organization_id}).scalars())  # fmt: skip

    def numbering_gaps(self) -> list[tuple]:
        """Per year: (rows, distinct numbers, highest number, counter) where these differ."""
        with self.engine.connect() as conn:
            years = conn.execute(sa.text(
                """
                SELECT r.registration_year, count(*), count(DISTINCT r.registration_seq), max(r.registration_seq),
                       min(c.last_seq)
                FROM layananpublik_request r JOIN layananpublik_request_counter c
                  ON c.kind = 'request' AND c.organization_id = r.organization_id AND c.year = r.registration_year
                WHERE r.organization_id = :org GROUP BY 1
                """), {"org": self.organization_id}).all()  # fmt: skip
        return [tuple(y) for y in years if not (y[1] == y[2] == y[3] == y[4])]

    def outbox(self, addresses) -> dict[str, tuple]:
        """The email outbox's rows to these addresses: address -> (status, attempts, last error)."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT recipient_email, status, attempts, last_error FROM layananpublik_mail "
                "WHERE recipient_email = ANY(:a)"), {"a": list(addresses)}).all()  # fmt: skip
        return {r[0]: tuple(r[1:]) for r in rows}

    def unsent(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(sa.text(
                "SELECT count(*) FROM layananpublik_mail WHERE status IN ('queued', 'sending')")).scalar()  # fmt: skip

    def mail_to(self) -> dict[str, int]:
        """Messages in the SMTP sink, by recipient."""
        counts: dict[str, int] = {}
        for path in self.mail.glob("*.eml"):
            message = email.message_from_bytes(path.read_bytes())
            for _name, address in email.utils.getaddresses(message.get_all("To", [])):
                counts[address] = counts.get(address, 0) + 1
        return counts


@pytest.fixture(scope="session")
def site():
    if shutil.which("useradd") is None and os.geteuid() == 0:
        pytest.skip("root without useradd: the embedded PostgreSQL cannot run")
    s = Site()
    try:
        s.start()
        yield s
    finally:
        s.stop()


# --- a load of submissions ------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def submission(run: str, n: int, organization_id: str) -> dict:
    # Its own email and phone: the per-contact rate limit counts both (the per-IP one is off).
    return {
        "organization_id": organization_id, "requester_type": "individual", "name": f"Warga Uji {n}",
        "nik": "3171015507900003", "address": "Jl. Merdeka No. 10, Kota Contoh", "phone": f"08{int(run, 16) % 10**6:06d}{n:05d}",
        "email": f"warga.{run}.{n}@example.com", "occupation": "Wiraswasta",
        "information_requested": f"Rincian realisasi anggaran ruas jalan {n}", "purpose": "Kajian warga",
        "obtain_method": "softcopy", "delivery_method": "email",
    }  # fmt: skip


@dataclass
class Answer:
    email: str
    status: int  # 0: no answer (connection refused or cut)
    token: str | None = None
    error: str = ""
    retry_after: str | None = None


@dataclass
class Load:
    """Client threads submitting requests through the API until stopped."""

    site: Site
    clients: int = 4
    answers: list[Answer] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.run = uuid.uuid4().hex[:8]
        self.counter = iter(range(10**9))
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.client) for _ in range(self.clients)]

    def submit_one(self, token: str | None = None) -> Answer:
        """One submission: anonymous, or with an API token (staff skip the rate limit)."""
        with self.lock:
            n = next(self.counter)
        data = submission(self.run, n, self.site.organization_id)
        try:
            response = requests.post(f"{self.site.base}/api/3/action/layananpublik_request_create", json=data,
                                     headers={"Authorization": token} if token else {}, timeout=60)  # fmt: skip
        except requests.RequestException as exc:
            answer = Answer(data["email"], 0, error=type(exc).__name__)
        else:
            try:
                body = response.json()
            except ValueError:
                body = {}
            ok = response.status_code == 200 and body.get("success")
            answer = Answer(
                data["email"], response.status_code, body["result"]["tracking_token"] if ok else None,
                "" if ok else str(body.get("error") or response.text[:300]), response.headers.get("Retry-After"),
            )  # fmt: skip
        with self.lock:
            self.answers.append(answer)
        return answer

    def client(self) -> None:
        while not self.stopping.is_set():
            self.submit_one()

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join()

    def stored(self) -> list[Answer]:
        return [a for a in self.answers if a.token]

    def failed(self) -> list[Answer]:
        return [a for a in self.answers if not a.token]
