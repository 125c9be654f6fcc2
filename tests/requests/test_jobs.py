"""Emails and reminders, through a real RQ worker and a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk
import pytest
from babel.dates import format_date
from ckan import model
from ckan.lib import jobs as ckan_jobs
from ckan.tests.helpers import call_action

from ckanext.layananpublik.calendar.deadlines import WorkingCalendar, deadline_after
from ckanext.layananpublik.cases import outbox
from ckanext.layananpublik.cases.clock import now
from tests.cases.factories import as_user, make_officer, shared_people_fixtures, submit

# body, other_body, officer, other_officer, sysadmin, requester: built once per set of them
# (tests/cases/snapshots.py).
globals().update(shared_people_fixtures())


def _requests_part(sent: dict) -> dict:
    """The request reminders of a reminder run (objections are counted apart)."""
    return {k: sent[k] for k in ("due_soon", "overdue")}


@pytest.fixture
def queue(clean_redis):
    return ckan_jobs.get_queue()


def test_the_receipt_with_the_tracking_link_is_emailed(body, queue, smtp_sink, run_jobs):
    created = submit(body["id"])
    assert smtp_sink == []  # nothing is sent inside the web request
    run_jobs()
    (message,) = smtp_sink
    assert message["To"].endswith("<siti@example.com>") or "siti@example.com" in message["To"]
    assert created["registration_number"] in message["Subject"]
    text = message.get_payload(decode=True).decode() if not message.is_multipart() else str(message)
    assert created["tracking_url"] in text


def test_no_email_without_an_address(body, queue, smtp_sink, run_jobs):
    submit(body["id"], email="")
    run_jobs()
    assert smtp_sink == []
    assert queue.count == 0


def test_a_mail_server_that_is_down_loses_nothing(body, queue, ckan_config, monkeypatch, smtp_sink, run_jobs):
    port = ckan_config["smtp.server"].rsplit(":", 1)[1]
    monkeypatch.setitem(ckan_config, "smtp.server", "127.0.0.1:1")  # nothing listens there
    created = submit(body["id"])
    run_jobs()
    # The request is stored, and its email is kept in the outbox for a retry a minute later.
    shown = call_action("layananpublik_request_show", context={"user": ""}, id=created["id"])
    assert shown["registration_number"] == created["registration_number"]
    model.Session.rollback()
    (row,) = model.Session.query(outbox.MailMessage).all()
    assert (row.status, row.attempts, row.sent_at) == ("queued", 1, None) and row.last_error
    assert row.next_attempt_at > now() + dt.timedelta(seconds=50)
    # The server is back; the retry (moved forward in time) delivers the email, once.
    monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{port}")
    row.next_attempt_at = now()
    model.Session.commit()
    assert outbox.drain() == {"sent": 1}
    assert outbox.drain() == {}
    assert len(smtp_sink) == 1 and created["registration_number"] in smtp_sink[0]["Subject"]


def test_the_receipt_is_committed_with_the_request_and_its_body_erased_once_sent(body, queue, smtp_sink,
                                                                                  run_jobs):  # fmt: skip
    created = submit(body["id"])
    model.Session.rollback()
    (row,) = model.Session.query(outbox.MailMessage).all()
    assert row.status == "queued" and created["tracking_url"] in row.body
    run_jobs()  # the wake-up job queued after the commit
    (message,) = smtp_sink
    assert message["Message-ID"] == row.message_id
    model.Session.rollback()
    row = model.Session.get(outbox.MailMessage, row.id)
    # The tracking link is a secret (only its hash is kept with the request): gone once sent.
    assert (row.status, row.body, row.attempts) == ("sent", None, 1)


def test_the_requester_hears_of_an_extension_and_the_decision(body, officer, queue, smtp_sink, run_jobs):
    created = submit(body["id"])
    call_action(
        "layananpublik_request_extend",
        context=as_user(officer),
        id=created["id"],
        days=4,
        reason="Data banyak",
    )
    call_action(
        "layananpublik_request_decide", context=as_user(officer), id=created["id"], outcome="not_documented"
    )
    run_jobs()
    subjects = sorted(m["Subject"] for m in smtp_sink)
    assert len(subjects) == 3
    assert any("diperpanjang" in s or "extended" in s for s in subjects)


@pytest.mark.freeze_time("2026-11-02 03:00:00")  # Monday; due Mon 16 Nov
def test_reminders_go_out_once_when_due_soon_and_once_when_overdue(body, smtp_sink, freezer):
    officer = make_officer(body["id"])
    created = submit(body["id"])
    sysadmin_ctx = {"ignore_auth": True}
    send = lambda: call_action("layananpublik_request_send_reminders", context=dict(sysadmin_ctx))  # noqa: E731
    assert _requests_part(send()) == {"due_soon": 0, "overdue": 0}

    freezer.move_to("2026-11-11 03:00:00")  # Wed: 3 working days before the deadline
    assert _requests_part(send()) == {"due_soon": 1, "overdue": 0}
    assert _requests_part(send()) == {"due_soon": 0, "overdue": 0}  # not twice
    freezer.move_to("2026-11-17 03:00:00")  # Tue: one day late
    assert _requests_part(send()) == {"due_soon": 0, "overdue": 1}
    assert _requests_part(send()) == {"due_soon": 0, "overdue": 0}

    reminders = [
        m for m in smtp_sink if created["registration_number"] in m["Subject"] and officer["email"] in m["To"]
    ]
    assert len(reminders) == 2
    assert "16 Nov 2026" in _subject(reminders[1])  # the date in words, in the site's language


@pytest.mark.freeze_time("2026-11-02 03:00:00")
def test_an_extension_earns_a_new_reminder_and_decided_requests_get_none(body, smtp_sink, freezer):
    officer = make_officer(body["id"])
    extended = submit(body["id"])
    decided = submit(body["id"])
    call_action(
        "layananpublik_request_decide", context=as_user(officer), id=decided["id"], outcome="not_documented"
    )
    send = lambda: call_action("layananpublik_request_send_reminders", context={"ignore_auth": True})  # noqa: E731
    freezer.move_to("2026-11-12 03:00:00")
    assert _requests_part(send()) == {"due_soon": 1, "overdue": 0}
    call_action(
        "layananpublik_request_extend", context=as_user(officer), id=extended["id"], days=7, reason="x"
    )
    freezer.move_to("2026-11-23 03:00:00")  # due 25 Nov after the extension
    assert _requests_part(send()) == {"due_soon": 1, "overdue": 0}


@pytest.mark.freeze_time("2026-11-02 03:00:00")  # Monday; due Mon 16 Nov
def test_a_missed_deadline_tells_the_requester_of_the_right_to_object_and_the_superior(
    body, queue, smtp_sink, run_jobs, freezer
):
    make_officer(body["id"])
    superior = make_officer(body["id"], role="superior")
    created = submit(body["id"], email="warga@example.com")
    send = lambda: call_action("layananpublik_request_send_reminders", context={"ignore_auth": True})  # noqa: E731
    freezer.move_to("2026-11-13 03:00:00")  # due soon: only the officers hear of it
    assert send()["requester_overdue"] == 0
    freezer.move_to("2026-11-17 03:00:00")  # the day after the due date, no decision
    sent = send()
    assert (sent["requester_overdue"], sent["superior_overdue"]) == (1, 1)
    assert (send()["requester_overdue"], send()["superior_overdue"]) == (0, 0)  # once
    run_jobs()
    # In the requester's language (Indonesian: the request was made in it), though written by a job.
    to_requester = [m for m in smtp_sink if "warga@example.com" in m["To"] and "Pasal 35 ayat (1) huruf c" in _text(m)]
    assert len(to_requester) == 1 and created["registration_number"] in _subject(to_requester[0])
    text = _text(to_requester[0])
    # Until: 30 working days after the due date, as the objection form counts them.
    until = deadline_after(dt.date(2026, 11, 16), 30, WorkingCalendar()).due
    assert "16 Nov 2026" in text and format_date(until, "medium", locale="id") in text
    assert "/permohonan/lacak" in text  # an anonymous requester: the page to paste the tracking link
    assert [m for m in smtp_sink if superior["email"] in m["To"] and created["registration_number"] in _subject(m)]


@pytest.mark.freeze_time("2026-11-02 03:00:00")
def test_a_reminder_the_mail_server_refused_is_kept_and_sent_once_when_it_is_back(
    body, ckan_config, monkeypatch, smtp_sink, freezer
):
    officer = make_officer(body["id"])
    created = submit(body["id"])
    freezer.move_to("2026-11-17 03:00:00")
    port = ckan_config["smtp.server"]
    monkeypatch.setitem(ckan_config, "smtp.server", "127.0.0.1:1")
    send = lambda: call_action("layananpublik_request_send_reminders", context={"ignore_auth": True})  # noqa: E731
    assert _requests_part(send()) == {"due_soon": 0, "overdue": 1}  # written, with its email
    assert _requests_part(send()) == {"due_soon": 0, "overdue": 0}  # not twice
    assert smtp_sink == []
    monkeypatch.setitem(ckan_config, "smtp.server", port)
    freezer.move_to("2026-11-17 03:01:30")  # past the first retry's minute
    outbox.drain()
    outbox.drain()
    to_officer = [m for m in smtp_sink if officer["email"] in m["To"] and created["registration_number"] in m["Subject"]]
    assert len(to_officer) == 1


def test_the_command_line_sends_reminders(body, cli):
    from ckanext.layananpublik.cli import layananpublik

    result = cli.invoke(layananpublik, ["send-reminders"])
    assert result.exit_code == 0, result.output
    assert "reminders sent: 0 due soon, 0 overdue; missed deadlines told to 0 requesters" in result.output
    assert "objections: 0 due soon, 0 overdue, 0 requesters told the superior stayed silent" in result.output


def _text(message) -> str:
    return message.get_payload(decode=True).decode() if not message.is_multipart() else str(message)


def _subject(message) -> str:
    from email.header import decode_header, make_header

    return " ".join(str(make_header(decode_header(message["Subject"]))).split())  # unfolded


def _body(message) -> str:
    return message.get_payload(decode=True).decode()


def _translated(app, language: str, msgid: str, **kwargs) -> str:
    with app.flask_app.test_request_context("/", environ_overrides={"CKAN_LANG": language}):
        return tk._(msgid).format(**kwargs)


@pytest.mark.freeze_time("2026-11-23 03:00:00")  # due in December: "Des" and "Dec" differ
@pytest.mark.parametrize(("requester_language", "officer_language"), [("en", "id"), ("id", "en")])
def test_emails_are_in_the_requester_s_language_not_the_officer_s(
    app, body, officer, queue, smtp_sink, run_jobs, requester_language, officer_language
):
    # The requester uses the pages in one language, the officer in the other.
    with app.flask_app.test_request_context("/", environ_overrides={"CKAN_LANG": requester_language}):
        created = submit(body["id"])
    with app.flask_app.test_request_context("/", environ_overrides={"CKAN_LANG": officer_language}):
        call_action("layananpublik_request_decide", context=as_user(officer), id=created["id"],
                    outcome="not_documented")  # fmt: skip
    run_jobs()
    number = created["registration_number"]
    receipt, decision = sorted(smtp_sink, key=lambda m: "decision" in _subject(m) or "putusan" in _subject(m))
    assert _subject(receipt) == _translated(
        app, requester_language, "Your information request {number} has been received", number=number
    )
    assert _subject(decision) == _translated(app, requester_language, "Request {number}: decision issued",
                                             number=number)  # fmt: skip
    # the due date in the requester's language too
    due = {"en": "Dec 7, 2026", "id": "7 Des 2026"}[requester_language]
    assert created["due_date"] == "2026-12-07" and due in _body(receipt)
