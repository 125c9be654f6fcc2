"""The statement timeout on anonymous web requests (cases/timeouts.py), in the real CKAN app
on the real PostgreSQL: a test-only blueprint, registered in the app under test, runs its
queries through ckan.model.Session as every page of ours does."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa
from ckan import model
from flask import Blueprint, jsonify

from ckanext.layananpublik import spreadsheet
from ckanext.layananpublik.cases import timeouts
from tests.pages import Browser, page_text, soup, translated

# A config key of this module's own: conftest's make_app reuses an app built for the same
# config, and a blueprint can only be registered before an app's first request.
pytestmark = [
    pytest.mark.usefixtures("clean_db", "with_plugins"),
    pytest.mark.ckan_config("ckanext.layananpublik.test_timeouts_blueprint", "1"),
]

TIMEOUT_MS = 300
BUSY = (
    "The server is busy and this page took too long to prepare. Please try again in a minute; if you were "
    "submitting something, check your email for a receipt before you send it again."
)

bp = Blueprint("layananpublik_test_timeouts", __name__)


def _setting() -> dict:
    row = model.Session.execute(
        sa.text("SELECT pg_backend_pid(), current_setting('statement_timeout')")
    ).one()
    return {"pid": row[0], "timeout": row[1]}


@bp.route("/_test/timeouts/sleep/<float:seconds>", methods=["GET", "POST"])
@bp.route("/api/_test/timeouts/sleep/<float:seconds>")
def sleep(seconds: float):
    model.Session.execute(sa.text("SELECT pg_sleep(:s)"), {"s": seconds})
    return jsonify({"slept": seconds})


@bp.route("/_test/timeouts/commit-then-sleep/<float:seconds>")
def commit_then_sleep(seconds: float):
    before = _setting()
    model.Session.commit()  # the next query begins a new transaction
    after = _setting()
    model.Session.execute(sa.text("SELECT pg_sleep(:s)"), {"s": seconds})
    return jsonify({"before": before, "after": after})


@bp.route("/_test/timeouts/setting")
def setting():
    return jsonify(_setting())


@bp.route("/_test/timeouts/sleep-after-commit/<float:seconds>")
def sleep_after_commit(seconds: float):
    _setting()
    model.Session.commit()
    # The first statement of the request's second transaction.
    model.Session.execute(sa.text("SELECT pg_sleep(:s)"), {"s": seconds})
    return jsonify({"slept": seconds})


@bp.route("/_test/timeouts/server-side-cursor/<float:seconds>")
def server_side_cursor(seconds: float):
    # psycopg2 sends a named cursor's query inside a DECLARE: nothing may go in front of it.
    rows = model.Session.execute(
        sa.text("SELECT pg_sleep(:s), current_setting('statement_timeout') FROM generate_series(1, 3)"),
        {"s": seconds / 3},
        execution_options={"stream_results": True},
    ).all()
    return jsonify({"timeouts": [row[1] for row in rows]})


@bp.route("/_test/timeouts/executemany/<float:seconds>")
def executemany(seconds: float):
    model.Session.execute(sa.text("SELECT pg_sleep(:s)"), [{"s": 0.0}, {"s": seconds}])
    return jsonify(_setting())


@bp.route("/_test/timeouts/copy-first/<float:seconds>")
def copy_first(seconds: float):
    # The transaction's first statement is a COPY on the driver's own cursor.
    model.Session.remove()
    text = spreadsheet.copy_csv(
        model.Session.connection(), "SELECT current_setting('statement_timeout') FROM (SELECT pg_sleep(:s)) AS slept", {"s": seconds}
    )
    return jsonify({"csv": text})


@pytest.fixture
def test_app(app):
    if bp.name not in app.flask_app.blueprints:
        app.flask_app.register_blueprint(bp)
    model.Session.remove()  # the test's own transaction is not the request's
    return app


@pytest.mark.ckan_config(timeouts.OPTION, str(TIMEOUT_MS))
def test_anonymous_query_over_the_timeout_is_cancelled_with_a_busy_page(test_app):
    response = test_app.get("/_test/timeouts/sleep/5.0", status=503)
    assert response.headers["Retry-After"] == "30"
    assert translated(test_app, BUSY) in page_text(soup(response))
    english = test_app.get("/en/_test/timeouts/sleep/5.0", status=503)
    assert BUSY in page_text(soup(english))
    assert translated(test_app, BUSY) != BUSY  # the Indonesian page is not the English one


@pytest.mark.ckan_config(timeouts.OPTION, str(TIMEOUT_MS))
def test_anonymous_query_within_the_timeout_runs_under_it(test_app):
    assert test_app.get("/_test/timeouts/sleep/0.05").json == {"slept": 0.05}
    assert test_app.get("/_test/timeouts/setting").json["timeout"] == f"{TIMEOUT_MS}ms"


@pytest.mark.ckan_config(timeouts.OPTION, str(TIMEOUT_MS))
def test_anonymous_api_call_over_the_timeout_answers_json_503(test_app):
    response = test_app.get("/api/_test/timeouts/sleep/5.0", status=503)
    assert response.json == {
        "success": False,
        "error": {"__type": "Service Unavailable", "message": translated(test_app, BUSY)},
    }


@pytest.mark.ckan_config(timeouts.OPTION, str(TIMEOUT_MS))
def test_signed_in_officer_query_is_not_cancelled(test_app, officer):
    browser = Browser(test_app, officer)
    assert browser.get("/_test/timeouts/sleep/0.6").json == {"slept": 0.6}
    assert browser.get("/_test/timeouts/setting").json["timeout"] == "0"


@pytest.mark.ckan_config(timeouts.OPTION, str(TIMEOUT_MS))
def test_a_commit_in_mid_request_keeps_the_timeout(test_app):
    response = test_app.get("/_test/timeouts/commit-then-sleep/5.0", status=503)
    assert translated(test_app, BUSY) in page_text(soup(response))
    # The same route with a short sleep shows both transactions ran under the timeout.
    settings = test_app.get("/_test/timeouts/commit-then-sleep/0.01").json
    assert settings["before"]["timeout"] == settings["after"]["timeout"] == f"{TIMEOUT_MS}ms"


@pytest.mark.ckan_config(timeouts.OPTION, str(TIMEOUT_MS))
def test_the_first_statement_of_a_second_transaction_is_cut(test_app):
    response = test_app.get("/_test/timeouts/sleep-after-commit/5.0", status=503)
    assert translated(test_app, BUSY) in page_text(soup(response))
    assert test_app.get("/_test/timeouts/sleep-after-commit/0.01").json == {"slept": 0.01}


@pytest.fixture
def sent():
    """The statements the app sends to PostgreSQL, as sent."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(sa.engine.Engine, "after_cursor_execute", record)
    yield statements
    sa.event.remove(sa.engine.Engine, "after_cursor_execute", record)


@pytest.mark.ckan_config(timeouts.OPTION, str(TIMEOUT_MS))
def test_the_timeout_goes_with_the_first_statement_not_alone(test_app, sent):
    """One round trip less per transaction: the SET LOCAL is sent in front of the
    transaction's first statement (one simple query), never as a statement of its own."""
    assert test_app.get("/_test/timeouts/setting").json["timeout"] == f"{TIMEOUT_MS}ms"
    ours = [s for s in sent if "pg_backend_pid" in s]
    assert ours == [f"SET LOCAL statement_timeout = {TIMEOUT_MS}; {ours[0].split('; ', 1)[-1]}"], sent
    assert not [s for s in sent if s.strip() == f"SET LOCAL statement_timeout = {TIMEOUT_MS}"], sent
    # Two transactions, each with the timeout in front of its first statement only.
    sent.clear()
    assert test_app.get("/_test/timeouts/commit-then-sleep/0.01").status_code == 200
    view = sent[sent.index(next(s for s in sent if "pg_backend_pid" in s)):]
    assert [s.startswith("SET LOCAL statement_timeout") for s in view] == [True, True, False], view


@pytest.mark.ckan_config(timeouts.OPTION, str(TIMEOUT_MS))
def test_a_server_side_cursor_first_runs_under_the_timeout(test_app, sent):
    assert test_app.get("/_test/timeouts/server-side-cursor/0.03").json == {"timeouts": [f"{TIMEOUT_MS}ms"] * 3}
    declared = [s for s in sent if "generate_series" in s]
    assert declared and not any(s.startswith("SET") for s in declared), sent  # sent alone before it
    response = test_app.get("/_test/timeouts/server-side-cursor/15.0", status=503)
    assert translated(test_app, BUSY) in page_text(soup(response))


@pytest.mark.ckan_config(timeouts.OPTION, str(TIMEOUT_MS))
def test_executemany_first_runs_under_the_timeout(test_app):
    assert test_app.get("/_test/timeouts/executemany/0.01").json["timeout"] == f"{TIMEOUT_MS}ms"
    response = test_app.get("/_test/timeouts/executemany/5.0", status=503)
    assert translated(test_app, BUSY) in page_text(soup(response))


@pytest.mark.ckan_config(timeouts.OPTION, str(TIMEOUT_MS))
def test_a_signed_in_request_and_a_post_send_no_timeout(test_app, officer, sent):
    Browser(test_app, officer).get("/_test/timeouts/setting")
    test_app.post("/_test/timeouts/sleep/0.01")
    assert sent and not [s for s in sent if "statement_timeout =" in s], sent


@pytest.mark.ckan_config(timeouts.OPTION, str(TIMEOUT_MS))
def test_pooled_connection_reused_by_a_signed_in_request_has_no_timeout(test_app, officer):
    anonymous_pids = {test_app.get("/_test/timeouts/setting").json["pid"] for _ in range(3)}
    test_app.get("/_test/timeouts/sleep/5.0", status=503)  # a cancelled one too
    browser = Browser(test_app, officer)
    # The pool hands its idle connections out in turn: as many requests as it holds, plus
    # one, reach every one of them.
    seen = [
        browser.get("/_test/timeouts/setting").json for _ in range(model.meta.engine.pool.checkedin() + 1)
    ]
    assert anonymous_pids & {s["pid"] for s in seen}, (anonymous_pids, seen)
    assert {s["timeout"] for s in seen} == {"0"}


@pytest.mark.ckan_config(timeouts.OPTION, str(TIMEOUT_MS))
def test_public_register_waiting_behind_a_lock_answers_busy_and_an_officer_waits(test_app, officer):
    """A real public page of ours: its query waits behind a lock another connection holds (as
    behind a long migration); the wait counts towards the anonymous request's timeout."""
    with model.meta.engine.connect() as holder:
        lock = holder.begin()
        holder.exec_driver_sql("LOCK TABLE layananpublik_request IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        response = test_app.get("/permohonan/", status=503)
        assert time.monotonic() - started < 5
        assert translated(test_app, BUSY) in page_text(soup(response))
        # A signed-in officer's request is not cancelled: it waits until the lock goes.
        release = threading.Timer(1.0, lock.rollback)
        release.start()
        try:
            started = time.monotonic()
            assert Browser(test_app, officer).get("/permohonan/").status_code == 200
            assert time.monotonic() - started > 0.9  # it did wait for the lock, past the timeout
        finally:
            release.join()


@pytest.mark.ckan_config(timeouts.OPTION, str(TIMEOUT_MS))
def test_a_copy_first_runs_under_the_timeout_and_is_cut(test_app):
    assert test_app.get("/_test/timeouts/copy-first/0.0").json == {"csv": f"{TIMEOUT_MS}ms\r\n"}
    response = test_app.get("/_test/timeouts/copy-first/5.0", status=503)
    assert translated(test_app, BUSY) in page_text(soup(response))


@pytest.mark.ckan_config(timeouts.OPTION, str(TIMEOUT_MS))
def test_the_dip_csv_written_by_copy_is_cut_behind_a_lock(test_app):
    """The DIP's CSV is written by PostgreSQL's COPY on the driver's own cursor (no SQLAlchemy
    statement event): the first statement of its transaction, it still runs under the timeout."""
    with model.meta.engine.connect() as holder:
        lock = holder.begin()
        holder.exec_driver_sql("LOCK TABLE package IN ACCESS EXCLUSIVE MODE")
        # Without the timeout the export would wait for the lock: released after 3 s.
        release = threading.Timer(3.0, lock.rollback)
        release.start()
        try:
            started = time.monotonic()
            response = test_app.get("/informasi-publik/dip.csv", status=503)
            assert time.monotonic() - started < 2.5
            assert translated(test_app, BUSY) in page_text(soup(response))
        finally:
            release.join()


@pytest.mark.ckan_config(timeouts.OPTION, "0")
def test_zero_turns_it_off(test_app):
    assert test_app.get("/_test/timeouts/setting").json["timeout"] == "0"
    assert test_app.get("/_test/timeouts/sleep/0.6").json == {"slept": 0.6}


@pytest.mark.ckan_config(timeouts.OPTION, str(TIMEOUT_MS))
def test_a_job_or_command_outside_a_web_request_has_no_timeout(test_app):
    model.Session.remove()
    assert _setting()["timeout"] == "0"
    model.Session.remove()


@pytest.mark.ckan_config(timeouts.OPTION, str(TIMEOUT_MS))
def test_health_page_answers_for_an_anonymous_probe(test_app):
    # The health checks use connections of their own (not the session): the hook leaves them be.
    response = test_app.get("/layananpublik/health?checks=postgresql,redis")
    assert response.json["ok"] is True


@pytest.mark.ckan_config(timeouts.OPTION, str(TIMEOUT_MS))
def test_an_anonymous_submission_is_not_cut_short(test_app):
    # A form sent by POST writes: a 503 would lose what the citizen typed, so only reads
    # run under the public timeout.
    assert test_app.post("/_test/timeouts/sleep/0.6").json == {"slept": 0.6}


@pytest.mark.parametrize(
    ("method", "path", "reads"),
    [
        ("GET", "/dataset/", True),
        ("HEAD", "/permohonan/", True),
        ("POST", "/permohonan/baru", False),
        ("POST", "/api/3/action/package_search", True),
        ("POST", "/api/action/layananpublik_request_stats", True),
        ("POST", "/api/3/action/layananpublik_request_create", False),
        ("POST", "/api/3/action/no_such_action", False),
    ],
)
def test_reads_only_knows_the_action_api_reads(test_app, method, path, reads):
    with test_app.flask_app.test_request_context(path, method=method):
        assert timeouts.reads_only() is reads
