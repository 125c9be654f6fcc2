"""The health check against the real test stack: PostgreSQL, Redis, a real RQ worker
process, a real SMTP server (and a port where none listens), the real social and email
outboxes, and a local HTTP server answering as Solr's /admin/ping does."""

from __future__ import annotations

import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from ckan import model
from ckan.cli.cli import ckan
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.layananpublik.cases import mail, outbox
from devstack import procs
from tests.production.conftest import wait_until
from tests.social.conftest import make_channel, public_dataset
from tests.social.fakes import FakePlatforms

pytestmark = pytest.mark.usefixtures("clean_db", "with_plugins", "clean_redis")
ROOT = Path(__file__).resolve().parents[2]
NAMES = {"postgresql", "redis", "job_queue", "social_worker", "social_listen", "mail_relay", "mail_outbox", "solr"}


def health(**data) -> dict:
    return call_action("layananpublik_health_show", context={"ignore_auth": True}, **data)


@pytest.fixture
def mail_relay_down(ckan_config, monkeypatch):
    port = procs.free_port()  # bound and released: nothing listens there
    monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{port}")
    return port


@pytest.fixture
def jobs_worker():
    """`ckan layananpublik jobs-worker` and `jobs-scheduler` as production runs them, on the
    test stack; yields the worker."""
    ckan = [str(Path(sys.executable).parent / "ckan"), "-c", str(ROOT / "test.ini")]
    log = ROOT / ".data" / "test" / "health-worker.log"
    worker = procs.start([*ckan, "layananpublik", "jobs-worker"], log, env=dict(os.environ))
    scheduler = procs.start([*ckan, "layananpublik", "jobs-scheduler"], log, env=dict(os.environ))
    yield worker
    procs.stop(worker)
    procs.stop(scheduler)


def test_anonymous_probe_gets_up_or_down_per_component_without_details(app):
    response = app.get("/layananpublik/health")
    body = response.get_json()
    assert set(body["checks"]) == NAMES
    assert all(set(check) == {"ok", "seconds"} for check in body["checks"].values())
    # No job worker runs in the test stack: the site is not healthy.
    assert body["checks"]["job_queue"]["ok"] is False
    assert response.status_code == 503
    assert set(response.headers["Cache-Control"].split(", ")) == {"no-store", "private"}


def test_sysadmin_gets_the_details(app, smtp_sink):
    admin = factories.SysadminWithToken()
    response = app.get("/layananpublik/health", headers={"Authorization": admin["token"]})
    checks = response.get_json()["checks"]
    assert checks["postgresql"]["detail"].startswith("PostgreSQL ")
    assert checks["redis"]["detail"].startswith("Redis ")
    assert "0 " in checks["job_queue"]["detail"]


def test_every_checked_component_up_answers_200(app, smtp_sink):
    response = app.get("/layananpublik/health?checks=postgresql,redis,mail_relay,social_worker")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["ok"] is True


def test_mail_relay_down_is_reported_with_its_reason(mail_relay_down):
    result = health(checks=["mail_relay"])
    assert result["ok"] is False
    assert "ConnectionRefusedError" in result["checks"]["mail_relay"]["detail"]


def test_unknown_check_is_a_clear_error(app):
    response = app.get("/layananpublik/health?checks=postgresql,disk", status=400)
    assert "disk" in response.get_json()["error"]["checks"][0]


def test_job_queue_is_up_with_a_running_worker_and_its_scheduler(jobs_worker):
    result = wait_until(lambda: (r := health(checks=["job_queue"]))["ok"] and r, 60, "a healthy job queue")
    assert "scheduler" in result["checks"]["job_queue"]["detail"]
    procs.stop(jobs_worker)
    # A worker stopped cleanly deregisters itself: the queue is down again.
    assert health(checks=["job_queue"])["ok"] is False


def test_social_post_overdue_means_the_drainer_is_down(ckan_config, monkeypatch):
    fake = FakePlatforms()
    try:
        org = factories.Organization(name="diskominfo")
        make_channel(fake, "mastodon", org)
        public_dataset(org)
        assert health(checks=["social_worker"])["ok"] is True  # due now, not late yet
        monkeypatch.setitem(ckan_config, "ckanext.layananpublik.health.stall_seconds", 0)
        result = health(checks=["social_worker"])
        assert result["ok"] is False
        assert "1 " in result["checks"]["social_worker"]["detail"]
    finally:
        fake.close()


@pytest.fixture
def followed_post():
    """A Mastodon channel of a body with one post published on the local Mastodon."""
    from ckanext.layananpublik.social import outbox

    fake = FakePlatforms()
    try:
        org = factories.Organization(name="diskominfo")
        make_channel(fake, "mastodon", org, title="Akun Mastodon Diskominfo")
        public_dataset(org)
        assert outbox.drain() == {"published": 1}
        yield fake
    finally:
        fake.close()


def test_reply_reading_reports_each_channel_posts_followed_and_last_read(followed_post):
    from ckanext.layananpublik.social import listen

    assert listen.poll() == {"polled": 1}
    result = health(checks=["social_listen"])
    assert result["ok"] is True
    detail = result["checks"]["social_listen"]["detail"]
    assert detail.startswith("Akun Mastodon Diskominfo (mastodon): 1 posts followed, last read 20")


def test_reply_reading_failing_again_and_again_is_down_with_its_error_and_next_try(followed_post):
    import datetime as dt

    from ckanext.layananpublik.social import listen
    from ckanext.layananpublik.social.model import utcnow

    start = utcnow()
    for hours in range(3):
        followed_post.read_faults["mastodon"].append("503")
        assert listen.poll(lambda h=hours: start + dt.timedelta(hours=h)) == {"retry": 1}
        result = health(checks=["social_listen"])
        assert result["ok"] is (hours < 2)  # down from the third failed read in a row
    detail = result["checks"]["social_listen"]["detail"]
    assert "1 posts followed, last read never; 1 reads failing (3 tries): HTTP 503; next try 20" in detail
    assert listen.poll(lambda: start + dt.timedelta(hours=4)) == {"polled": 1}
    assert health(checks=["social_listen"])["ok"] is True


def test_posts_nobody_reads_the_replies_of_mean_the_social_worker_is_down(followed_post, ckan_config, monkeypatch):
    assert health(checks=["social_listen"])["ok"] is True  # published just now: not late yet
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.health.stall_seconds", 0)
    result = health(checks=["social_listen"])
    assert result["ok"] is False
    assert "1 posts published since" in result["checks"]["social_listen"]["detail"]
    assert "not yet followed" in result["checks"]["social_listen"]["detail"]


def test_reply_reading_switched_off_is_not_checked(ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.social.listen_enabled", False)
    result = health(checks=["social_listen"])
    assert result["ok"] is True and result["checks"]["social_listen"]["detail"] == "reading replies is disabled"


def test_cli_exit_code_says_whether_everything_checked_is_up(cli, mail_relay_down):
    result = cli.invoke(ckan, ["layananpublik", "health", "--check", "postgresql", "--check", "redis"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("OK    postgresql")
    result = cli.invoke(ckan, ["layananpublik", "health", "--check", "mail_relay"])
    assert result.exit_code == 1
    assert result.output.startswith("DOWN  mail_relay")


def test_mail_outbox_reports_overdue_and_failed_emails_until_they_are_sent(cli, ckan_config, monkeypatch,
                                                                           smtp_sink):  # fmt: skip
    relay = ckan_config["smtp.server"]  # the sink's; the command line below reloads test.ini
    assert health(checks=["mail_outbox"])["ok"] is True
    mail.enqueue_email("Siti", "siti@example.com", "Tanda terima", "Isi")
    model.Session.commit()
    assert health(checks=["mail_outbox"])["ok"] is True  # due now, not late yet
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.health.stall_seconds", 0)
    result = health(checks=["mail_outbox"])
    assert result["ok"] is False
    assert result["checks"]["mail_outbox"]["detail"].startswith("1 ")  # one unsent, overdue: no drainer
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.health.stall_seconds", 300)
    # Given up after every retry: reported until a person puts it back.
    model.Session.query(outbox.MailMessage).update({"status": "failed", "attempts": 7})
    model.Session.commit()
    result = health(checks=["mail_outbox"])
    assert result["ok"] is False and "mail-outbox retry" in result["checks"]["mail_outbox"]["detail"]
    assert "1 failed emails queued again" in cli.invoke(ckan, ["layananpublik", "mail-outbox", "retry"]).output
    monkeypatch.setitem(ckan_config, "smtp.server", relay)
    assert outbox.drain() == {"sent": 1}
    assert [m["To"] for m in smtp_sink] == ["Siti <siti@example.com>"]
    assert health(checks=["mail_outbox"])["ok"] is True


class FakeSolr(BaseHTTPRequestHandler):
    """Answers /solr/ckan/admin/ping as Solr does: 200 {"status": "OK"}, or 503 with Solr's
    error shape when the ping is disabled (a core taken out of a load balancer, say)."""

    up = True

    def do_GET(self):  # noqa: N802 - http.server's hook name
        if not self.path.startswith("/solr/ckan/admin/ping"):
            self.send_response(404)
            self.end_headers()
            return
        header = {"responseHeader": {"zkConnected": None, "status": 0, "QTime": 1,
                                     "params": {"q": "{!lucene}*:*", "wt": "json", "distrib": "false"}}}  # fmt: skip
        body, code = ({**header, "status": "OK"}, 200) if self.up else (
            {**header, "error": {"msg": "Service disabled", "code": 503}}, 503)  # fmt: skip
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def solr(ckan_config, monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeSolr)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setitem(ckan_config, "solr_url", f"http://127.0.0.1:{server.server_port}/solr/ckan")
    FakeSolr.up = True
    yield FakeSolr
    server.shutdown()
    server.server_close()


def test_solr_is_not_checked_while_the_catalogue_is_searched_in_postgresql(solr):
    solr.up = False
    result = health(checks=["solr"])
    assert result["ok"] is True and "PostgreSQL" in result["checks"]["solr"]["detail"]


@pytest.mark.ckan_config("ckan.plugins", "layananpublik")  # the PostgreSQL search off: Solr serves it
def test_solr_is_pinged_when_it_serves_the_search(solr, ckan_config, monkeypatch):
    result = health(checks=["solr"])
    assert result["ok"] is True and result["checks"]["solr"]["detail"].endswith("answers OK")
    solr.up = False
    result = health(checks=["solr"])
    assert result["ok"] is False and "HTTP 503" in result["checks"]["solr"]["detail"]
    monkeypatch.setitem(ckan_config, "solr_url", f"http://127.0.0.1:{procs.free_port()}/solr/ckan")
    result = health(checks=["solr"])
    assert result["ok"] is False and "ConnectionError" in result["checks"]["solr"]["detail"]
