"""The email outbox: messages written in the case's transaction, sent by workers.

Why an email is never lost: cases/mail.py adds the row in the same transaction as the case
change it reports (a receipt with the request, a decision with the decision, a reminder with
its "sent once" row), so it exists exactly when the change does. Whatever happens after the
commit (Redis down, a job worker killed, PostgreSQL restarting, the mail relay down) the row
stays `queued` until a worker has handed it to the mail relay; a failed attempt is tried again
later (1 min, 5 min, 30 min, 2 h, 6 h, 12 h), then the row is `failed`, reported by the health
check, and put back by `ckan layananpublik mail-outbox retry`.

Why it is not sent twice:

1. A worker claims one row with SELECT ... FOR UPDATE SKIP LOCKED, marks it `sending` with a
   fresh attempt token and a lease, and commits *before* talking to the mail relay (the
   attempt is recorded first). Other workers skip locked rows and `sending` rows whose lease
   is running.
2. After the relay accepted the message (its 250 answer to the end of DATA) the row becomes
   `sent`, and only if it still carries that worker's token.
3. A `sending` row whose lease ran out belongs to a worker that died mid-send: it is sent
   again, with the same Message-ID. A relay never delivers a message whose DATA did not end,
   so this is a double only when the worker died in the milliseconds between the relay's 250
   and the commit of `sent`; then the recipient gets a second copy with the same Message-ID
   (which mail clients such as Gmail and Thunderbird show once). docs/deployment.md says so.

Drainers: the RQ job `drain_mail` queued after each commit that wrote mail (a wake-up, not
the message: losing it loses nothing), and `ckan layananpublik mail-outbox drain --watch`,
which polls (the rows written while Redis was down, retries and expired leases).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlparse

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.layananpublik.cases import clock

log = logging.getLogger(__name__)
FLAG = "layananpublik_mail_written"
WRITTEN = "layananpublik_mail_ids"  # model.Session.info: ids written by this session (see written())
# After the first attempt: 1 min, 5 min, 30 min, 2 h, 6 h, 12 h; a relay down for most of a
# day loses nothing. Then the row is `failed` (seven attempts in all).
RETRY_INTERVALS = [60, 300, 1800, 7200, 21600, 43200]
UNSENT = ("queued", "sending")


class MailMessage(tk.BaseModel):  # type: ignore[misc]
    """One email: `queued` -> `sending` -> `sent` (body erased) or, after every retry, `failed`."""

    __tablename__ = "layananpublik_mail"

    id = sa.Column(sa.UnicodeText, primary_key=True)
    message_id = sa.Column(sa.UnicodeText, nullable=False, unique=True)
    recipient_name = sa.Column(sa.UnicodeText, nullable=False)
    recipient_email = sa.Column(sa.UnicodeText, nullable=False)
    subject = sa.Column(sa.UnicodeText, nullable=False)
    body = sa.Column(sa.UnicodeText)
    status = sa.Column(sa.UnicodeText, nullable=False)
    attempts = sa.Column(sa.Integer, nullable=False, default=0)
    next_attempt_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    lease_until = sa.Column(sa.DateTime(timezone=True))
    attempt_token = sa.Column(sa.UnicodeText)
    last_attempt_at = sa.Column(sa.DateTime(timezone=True))
    last_error = sa.Column(sa.UnicodeText)
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    sent_at = sa.Column(sa.DateTime(timezone=True))


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=tk.config.get("ckanext.layananpublik.mail.lease_seconds"))


def add(recipient_name: str, recipient_email: str, subject: str, body: str) -> str:
    """Write one message in the caller's transaction (never commits); its id."""
    at = clock.now()
    message_id = str(uuid.uuid4())
    host = urlparse(tk.config.get("ckan.site_url") or "").hostname or "localhost"
    model.Session.add(MailMessage(
        id=message_id, message_id=f"<{message_id}@{host}>", recipient_name=recipient_name or "",
        recipient_email=recipient_email, subject=subject, body=body, status="queued", attempts=0,
        next_attempt_at=at, created_at=at,
    ))  # fmt: skip
    model.Session.info[FLAG] = True
    if WRITTEN in model.Session.info:
        model.Session.info[WRITTEN].append(message_id)
    return message_id


@contextlib.contextmanager
def written() -> Iterator[list[str]]:
    """The ids of the emails this session writes inside the block (those of transactions
    rolled back included: they match no row), e.g. to send a cron run's own emails at once."""
    model.Session.info[WRITTEN] = ids = []
    try:
        yield ids
    finally:
        model.Session.info.pop(WRITTEN, None)


# --- draining -------------------------------------------------------------------------------


@dataclass
class Claim:
    id: str
    token: str
    message_id: str
    recipient_name: str
    recipient_email: str
    subject: str
    body: str


def claim_one(now: dt.datetime, ids: list[str] | None = None) -> Claim | None:
    """Take one due row (or one a dead worker left `sending`), of `ids` if given, in a
    transaction of its own."""
    M = MailMessage
    query = model.Session.query(M).filter(
        sa.or_(sa.and_(M.status == "queued", M.next_attempt_at <= now), sa.and_(M.status == "sending", M.lease_until < now))
    )
    if ids is not None:
        query = query.filter(M.id.in_(ids))
    row = (
        query.order_by(M.next_attempt_at, M.created_at)
        .with_for_update(skip_locked=True)
        .first()
    )
    if row is None:
        model.Session.rollback()
        return None
    if row.status == "sending":
        log.warning("mail %s to %s: its worker stopped mid-send (lease over); sending again with Message-ID %s",
                    row.id, row.recipient_email, row.message_id)  # fmt: skip
    token = str(uuid.uuid4())
    row.status, row.attempt_token = "sending", token
    row.attempts += 1
    row.last_attempt_at, row.lease_until = now, now + _lease()
    claim = Claim(row.id, token, row.message_id, row.recipient_name, row.recipient_email, row.subject, row.body)
    model.Session.commit()
    return claim


def send(claim: Claim) -> None:
    """Through CKAN's mailer (smtp.* options); raises when the relay did not accept it."""
    tk.mail_recipient(claim.recipient_name, claim.recipient_email, claim.subject, claim.body,
                      headers={"Message-ID": claim.message_id})  # fmt: skip


def finish(claim: Claim, error: str | None, now: dt.datetime) -> str:
    """Record the attempt's result, if the row is still this worker's; its status."""
    row = model.Session.query(MailMessage).filter_by(id=claim.id).with_for_update().one()
    if row.status != "sending" or row.attempt_token != claim.token:
        # The lease ran out while this worker waited for the relay: another one took it.
        log.warning("mail %s: result of a late attempt ignored (%s)", claim.id, error or "accepted")
        model.Session.rollback()
        return "late"
    row.lease_until, row.attempt_token = None, None
    if error is None:
        row.status, row.sent_at, row.body, row.last_error = "sent", now, None, None
    elif row.attempts > len(RETRY_INTERVALS):
        row.status, row.last_error = "failed", error
        log.error("mail %s to %s: given up after %d attempts: %s", row.id, row.recipient_email, row.attempts, error)
    else:
        row.status, row.last_error = "queued", error
        row.next_attempt_at = now + dt.timedelta(seconds=RETRY_INTERVALS[row.attempts - 1])
        log.warning("mail %s to %s not sent (attempt %d), tried again at %s: %s", row.id, row.recipient_email,
                    row.attempts, row.next_attempt_at.isoformat(timespec="seconds"), error)  # fmt: skip
    status = row.status
    model.Session.commit()
    return status


def record(claim: Claim, error: str | None) -> str:
    """finish(), tried again while PostgreSQL cannot be reached (a restart, a failover): the
    row is this worker's until its lease ends, and a result not recorded by then means the
    message is sent again. Tries until 4/5 of the lease has passed, then raises."""
    deadline = time.monotonic() + _lease().total_seconds() * 0.8
    while True:
        try:
            return finish(claim, error, clock.now())
        except sa.exc.DBAPIError:
            model.Session.remove()
            if time.monotonic() > deadline:
                raise
            log.warning("mail %s: result not recorded (database unreachable), trying again", claim.id, exc_info=True)
            time.sleep(1)


def drain(limit: int | None = None, ids: list[str] | None = None) -> dict[str, int]:
    """Send every due message (of `ids` if given; until none is left, or `limit` were handled);
    safe to run in any number of processes at once. Returns how many ended in each status."""
    counts: dict[str, int] = {}
    handled = 0
    while limit is None or handled < limit:
        if ids == []:
            break
        claim = claim_one(clock.now(), ids)
        if claim is None:
            break
        try:
            send(claim)
            error = None
        except Exception as exc:  # noqa: BLE001 - any failure: not accepted, tried again later
            error = f"{type(exc).__name__}: {exc}"[:500]
        status = record(claim, error)
        counts[status] = counts.get(status, 0) + 1
        handled += 1
    return counts


def next_due(table: type = MailMessage) -> dt.datetime | None:
    """When the next row of an outbox (this one, or the social one) becomes due (a retry time or
    a lease ending), None if none waits."""
    due = sa.case((table.status == "sending", table.lease_until), else_=table.next_attempt_at)
    value = model.Session.query(sa.func.min(due)).filter(table.status.in_(UNSENT)).scalar()
    model.Session.rollback()
    return value


def retry_failed() -> int:
    """Put every `failed` message back in the queue, with a fresh series of retries."""
    count = (
        model.Session.query(MailMessage)
        .filter_by(status="failed")
        .update({"status": "queued", "attempts": 0, "next_attempt_at": clock.now()}, synchronize_session=False)
    )
    model.Session.commit()
    return count


def backlog(stall_seconds: int) -> dict:
    """For the health check: unsent messages, the oldest one's age, those overdue by more than
    `stall_seconds` (no drainer running), and those given up (`failed`)."""
    now = clock.now()
    late = now - dt.timedelta(seconds=stall_seconds)
    M = MailMessage
    row = model.Session.query(
        sa.func.count().filter(M.status.in_(UNSENT)),
        sa.func.min(M.created_at).filter(M.status.in_(UNSENT)),
        sa.func.count().filter(sa.or_(sa.and_(M.status == "queued", M.next_attempt_at < late),
                                      sa.and_(M.status == "sending", M.lease_until < late))),  # fmt: skip
        sa.func.count().filter(M.status == "failed"),
    ).one()
    model.Session.rollback()
    unsent, oldest, overdue, failed = row
    return {"unsent": unsent, "oldest_seconds": (now - oldest).total_seconds() if oldest else 0.0,
            "overdue": overdue, "failed": failed}  # fmt: skip
