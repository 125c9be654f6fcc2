"""Faults under load, on a production-mode site with real processes (tests/production/conftest.py):
PostgreSQL restarted, Redis stopped, the mail relay stopped, a web worker and a job worker
killed. Each test counts what was lost and what was duplicated; both must be zero. Emails go
through the outbox in PostgreSQL (cases/outbox.py): written with the request, drained by the
job workers (woken by an RQ job) and by the `mail-outbox drain --watch` process.

The outages are seconds long, not minutes: what the site does while a server is gone is
decided by the first refused connection, which a minute-long outage repeats, no more.
"""

from __future__ import annotations

import os
import signal
import time

import pytest
import requests

from tests.production.conftest import Load, token_hash, wait_until

pytestmark = pytest.mark.production
RETRYABLE = {503}


def assert_none_lost_or_duplicated(site, load: Load) -> None:
    rows = site.rows()
    lost = [a.email for a in load.stored() if token_hash(a.token) not in rows]
    duplicated = {h: n for h, n in rows.items() if n > 1}
    assert (lost, duplicated) == ([], {})
    assert site.half_written() == []
    assert site.numbering_gaps() == []


def assert_mail_once_per_receipt(site, load: Load) -> None:
    """Every submission answered with a receipt gets its email, exactly once. An email caught by
    the fault waits for its retry (the first a minute later): brought forward."""
    expected = {a.email for a in load.stored()}

    def all_sent() -> bool:
        if expected <= set(site.mail_to()):
            return True
        site.app.supervise()  # a worker that died is started again, as by systemd
        retry_now(site)
        return False

    try:
        wait_until(all_sent, 30 + len(expected), "receipt emails")
    except AssertionError:
        missing = sorted(expected - set(site.mail_to()))
        outbox = site.outbox(missing)
        raise AssertionError(f"{len(missing)} of {len(expected)} receipts not sent: {missing[:10]}; "
                             f"outbox: {[outbox.get(m) for m in missing[:10]]}") from None  # fmt: skip
    time.sleep(2)  # a second copy would arrive now
    assert {e: n for e, n in site.mail_to().items() if n > 1 and e in expected} == {}


def retry_now(site) -> None:
    """Move every email waiting for its retry to now (what waiting a minute would do)."""
    with site.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE layananpublik_mail SET next_attempt_at = now() WHERE status = 'queued'")


# --- PostgreSQL restarted --------------------------------------------------------------------------


def load_through_a_postgres_restart(site) -> Load:
    with Load(site) as load:
        wait_until(lambda: len(load.stored()) >= 5, 60, "submissions before the restart")
        site.restart_postgres()
        load.before_restart = len(load.answers)
        wait_until(
            lambda: len(load.stored()) >= 5 and load.answers[-1].token, 60, "submissions after the restart"
        )
    return load


def test_postgres_restart_mid_load_loses_nothing_and_refuses_with_a_retryable_error(site):
    load = load_through_a_postgres_restart(site)
    assert len(load.answers) > load.before_restart
    assert_none_lost_or_duplicated(site, load)
    # Submissions caught by the restart were refused with 503 and Retry-After, never a 500.
    refused = load.failed()
    assert [(a.status, a.error) for a in refused if a.status not in RETRYABLE or not a.retry_after] == []


def test_receipts_of_submissions_around_a_postgres_restart_are_each_sent_once(site):
    # Wake-up jobs whose work horse starts while PostgreSQL restarts are lost (rq 1.16: neither
    # failed nor retried); the emails are rows committed with the requests, and are sent anyway.
    load = load_through_a_postgres_restart(site)
    assert_mail_once_per_receipt(site, load)


def _web_workers_built(site) -> bool:
    """Both gunicorn workers of the last start have loaded CKAN's templates (late in building
    the app; what remains, reading the site's settings, takes well under a second)."""
    log = (site.app.logs / "web.log").read_text(errors="replace")
    return log.rsplit("Starting gunicorn", 1)[-1].count("Loading templates from") >= 2


def test_postgres_down_health_and_public_pages_answer_503_not_500(site):
    """Anonymous requests run under the public statement timeout (cases/timeouts.py); its hooks
    must not turn a database outage into a 500: the health page and public pages answer 503,
    the health page with its own JSON naming the check that failed."""
    site.wait_healthy()
    # Every web worker has built its app: a worker still booting when PostgreSQL stops fails to
    # boot, and gunicorn then stops altogether (its own rule; not what this test is about).
    wait_until(lambda: _web_workers_built(site), 60, "web workers built")
    time.sleep(5)
    site.stop_postgres()
    try:
        health = requests.get(
            f"{site.base}/layananpublik/health", params={"checks": "postgresql,redis"}, timeout=30
        )
        assert health.status_code == 503, health.text[:500]
        assert health.headers.get("Retry-After")
        # Monitors read the health check's own JSON, not the site's error page.
        assert health.headers["Content-Type"].startswith("application/json"), health.text[:500]
        body = health.json()
        assert body["ok"] is False
        assert {name: check["ok"] for name, check in body["checks"].items()} == {
            "postgresql": False, "redis": True
        }
        for path in ("/permohonan/", "/informasi-publik/dip", "/api/3/action/layananpublik_request_stats"):
            response = requests.get(site.base + path, timeout=60)
            assert response.status_code == 503, (path, response.status_code)
            assert response.headers.get("Retry-After"), path
    finally:
        site.start_postgres()
    site.wait_healthy(timeout=90)


# --- a web worker killed -----------------------------------------------------------------------------


def test_web_worker_killed_mid_request_loses_nothing_and_is_replaced(site):
    with Load(site, clients=6) as load:
        wait_until(lambda: len(load.stored()) >= 5, 60, "submissions before the kill")
        victim = site.app.web_worker_pids()[0]
        os.kill(victim, signal.SIGKILL)
        wait_until(lambda: victim not in site.app.web_worker_pids() and len(site.app.web_worker_pids()) == 2, 60,
                   "gunicorn replacing the worker")  # fmt: skip
        count = len(load.stored())
        wait_until(lambda: len(load.stored()) >= count + 5, 60, "submissions after the kill")
    assert_none_lost_or_duplicated(site, load)
    # The killed worker's connections were cut (no answer); every answer that came was a success.
    assert {a.status for a in load.failed()} <= {0}
    assert_mail_once_per_receipt(site, load)


# --- the mail relay down ------------------------------------------------------------------------------


def test_mail_relay_down_keeps_mail_and_sends_each_once_when_it_is_back(site):
    site.stop_smtp()
    try:
        load = Load(site)
        answers = [load.submit_one() for _ in range(3)]
        assert all(a.token for a in answers), [a.error for a in answers]
        addresses = [a.email for a in answers]
        # A worker tried, failed and kept each email in the outbox for a retry.
        wait_until(lambda: [r[:2] for r in site.outbox(addresses).values()] == [("queued", 1)] * 3, 60,
                   "emails waiting for a retry")  # fmt: skip
        assert (
            requests.get(f"{site.base}/layananpublik/health?checks=mail_relay", timeout=30).status_code == 503
        )
    finally:
        site.start_smtp()
    # The first retry is a minute later: assert_mail_once_per_receipt brings it forward.
    assert_mail_once_per_receipt(site, load)
    assert {r[0] for r in site.outbox(addresses).values()} == {"sent"}
    assert site.unsent() == 0


# --- Redis down ------------------------------------------------------------------------------------------


@pytest.fixture
def redis_down(site):
    site.stop_redis()
    try:
        yield
    finally:
        site.start_redis()
        site.wait_healthy(checks="postgresql,redis,mail_relay")


def test_job_workers_catch_up_and_report_healthy_after_a_redis_outage(site):
    site.wait_healthy()
    site.stop_redis()
    time.sleep(5)
    site.start_redis()
    address = f"redis-back-{time.time_ns()}@example.com"
    site.enqueue_email(address)

    def sent() -> bool:
        site.app.supervise()  # a worker busy when Redis went away may have stopped: as systemd would
        return address in site.mail_to()

    wait_until(sent, 90, f"the email to {address}")
    site.wait_healthy(timeout=90)


@pytest.mark.usefixtures("redis_down")
def test_redis_down_public_pages_answer_without_500(site):
    for path in ("/", "/dataset/", "/dataset/?q=anggaran&tags=anggaran", "/umpan/dataset.atom",
                 "/permohonan/", f"/permohonan/ajukan/{site.organization_id}"):  # fmt: skip
        response = requests.get(site.base + path, timeout=60)
        assert response.status_code < 500, (path, response.status_code)


@pytest.mark.usefixtures("redis_down")
def test_redis_down_submissions_are_still_accepted_and_stored(site):
    load = Load(site)
    answers = [load.submit_one() for _ in range(3)]
    assert [(a.status, a.error[:120]) for a in answers if not a.token] == []
    assert_none_lost_or_duplicated(site, load)


def test_receipt_written_while_redis_is_down_is_sent_once_it_is_back(site):
    load = Load(site)
    token = site.sysadmin_token()
    site.stop_redis()
    try:
        answers = [load.submit_one(token) for _ in range(2)]
        assert all(a.token for a in answers), [a.error for a in answers]
    finally:
        site.start_redis()
        site.wait_healthy()
    assert_mail_once_per_receipt(site, load)


# --- a job worker killed -----------------------------------------------------------------------------


def test_job_worker_killed_mid_job_sends_each_email_once(site):
    site.wait_healthy()
    with Load(site, clients=2) as load:
        name, worker, horse = wait_until(lambda: _busy_worker(site), 60, "a job worker draining the outbox")
        # Worker and work horse killed at once, mid-job, as by the OOM killer or a power cut. The
        # job it held is lost to RQ (1.16 takes it off the queue before recording it); an email
        # it had claimed is taken over when its lease ends, and sent with the same Message-ID.
        os.kill(horse, signal.SIGKILL)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        count = len(load.stored())
        wait_until(lambda: len(load.stored()) >= count + 3, 60, "submissions after the kill")
    site.wait_healthy()  # restarts the worker, as systemd's Restart=always would
    assert site.app.children[name].pid != worker.pid
    assert_none_lost_or_duplicated(site, load)
    assert_mail_once_per_receipt(site, load)


def _busy_worker(site):
    """(name, process, work horse's pid) of a job worker running a job, or None."""
    for name, proc in list(site.app.children.items()):
        horses = _children(proc.pid) if name.startswith("worker-") else []
        if horses:
            return name, proc, horses[0]
    return None


def _children(pid: int) -> list[int]:
    path = f"/proc/{pid}/task/{pid}/children"
    return [int(p) for p in open(path).read().split()] if os.path.exists(path) else []
