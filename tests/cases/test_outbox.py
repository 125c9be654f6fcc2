"""The email outbox's claims, leases, retries and give-up, against the real PostgreSQL and a
real SMTP server (aiosmtpd); a second session stands for a second worker."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from ckan import model
from sqlalchemy.orm import Session

from ckanext.layananpublik.cases import mail, outbox
from ckanext.layananpublik.cases.clock import now

pytestmark = pytest.mark.usefixtures("clean_db", "with_plugins")


def _write(address: str = "siti@example.com") -> str:
    mail.enqueue_email("Siti", address, "Tanda terima", "Isi")
    model.Session.commit()
    return model.Session.query(outbox.MailMessage.id).filter_by(recipient_email=address).scalar()


def _row(message_id: str) -> outbox.MailMessage:
    model.Session.rollback()
    return model.Session.get(outbox.MailMessage, message_id)


def test_a_claimed_email_is_not_taken_by_a_second_worker_while_its_lease_runs(smtp_sink):
    _write()
    first = outbox.claim_one(now())
    assert first is not None
    assert outbox.claim_one(now()) is None  # `sending`, its lease running
    outbox.send(first)
    assert outbox.finish(first, None, now()) == "sent"
    assert [m["Message-ID"] for m in smtp_sink] == [first.message_id]


def test_a_row_another_worker_is_claiming_is_skipped_not_waited_for():
    _write()
    with Session(bind=model.meta.engine) as other:  # another worker, mid-claim: holds the row's lock
        other.execute(sa.text("SELECT id FROM layananpublik_mail FOR UPDATE")).all()
        assert outbox.claim_one(now()) is None
        other.rollback()
    assert outbox.claim_one(now()) is not None


def test_an_email_left_sending_by_a_dead_worker_is_sent_again_with_the_same_message_id(smtp_sink):
    message_id = _write()
    dead = outbox.claim_one(now())  # claimed, then the worker died before the relay answered
    later = now() + dt.timedelta(seconds=301)  # the lease (300 s) ran out
    taken_over = outbox.claim_one(later)
    assert (taken_over.id, taken_over.message_id) == (dead.id, dead.message_id)
    assert taken_over.token != dead.token
    outbox.send(taken_over)
    assert outbox.finish(taken_over, None, later) == "sent"
    # The dead worker's result, should it come after all, changes nothing.
    assert outbox.finish(dead, None, later) == "late"
    row = _row(message_id)
    assert (row.status, row.attempts, row.body) == ("sent", 2, None)
    assert len(smtp_sink) == 1


def test_a_refused_email_is_retried_at_growing_intervals_then_failed(ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "smtp.server", "127.0.0.1:1")  # nothing listens there
    message_id = _write()
    at = now()
    for attempt, wait in enumerate(outbox.RETRY_INTERVALS, start=1):
        claim = outbox.claim_one(at)
        assert claim is not None, attempt
        assert outbox.finish(claim, "refused", at) == "queued"
        row = _row(message_id)
        assert (row.attempts, row.next_attempt_at) == (attempt, at + dt.timedelta(seconds=wait))
        assert outbox.claim_one(row.next_attempt_at - dt.timedelta(seconds=1)) is None  # not before its time
        at = row.next_attempt_at
    assert outbox.finish(outbox.claim_one(at), "refused", at) == "failed"
    row = _row(message_id)
    assert (row.status, row.attempts, row.body) == ("failed", 7, "Isi")  # kept for `mail-outbox retry`
    assert outbox.claim_one(at + dt.timedelta(days=1)) is None
    assert outbox.retry_failed() == 1
    assert _row(message_id).status == "queued"


def test_an_email_written_in_a_rolled_back_transaction_does_not_exist():
    mail.enqueue_email("Siti", "siti@example.com", "Tanda terima", "Isi")
    model.Session.rollback()  # the case change failed: no email about it
    assert model.Session.query(outbox.MailMessage).count() == 0
