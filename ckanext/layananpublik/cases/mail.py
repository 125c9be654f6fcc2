"""Email of every case type: queued as RQ jobs after the case is committed, in the
requester's language, and deadline reminders sent once.

An email never holds up or endangers a case: the case is committed first, then the
message is queued as an RQ job that is retried with growing intervals if the mail server
is down. Job functions take plain strings. A message carrying a tracking link is queued as
ids only (enqueue_built) and written by the job, so the queue never holds a token.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import logging
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import ckan.plugins.toolkit as tk
from ckan import model
from flask import has_request_context
from flask_babel import force_locale
from rq import Retry
from sqlalchemy.dialects.postgresql import insert as pg_insert

from ckanext.layananpublik.calendar.deadlines import WorkingCalendar, working_days_between
from ckanext.layananpublik.cases.clock import now, today

log = logging.getLogger(__name__)

QUEUE = "default"
# 1 min, 5 min, 30 min, 2 h, 6 h, 12 h: a mail server down for most of a day loses nothing.
RETRY_INTERVALS = [60, 300, 1800, 7200, 21600, 43200]


def send_email(recipient_name: str, recipient_email: str, subject: str, body: str) -> None:
    """The job: one email through CKAN's mailer (raises on failure, so RQ retries)."""
    tk.mail_recipient(recipient_name, recipient_email, subject, body)


def enqueue_email(recipient_name: str, recipient_email: str, subject: str, body: str) -> bool:
    try:
        tk.enqueue_job(
            send_email,
            [recipient_name, recipient_email, subject, body],
            title=f"layananpublik email: {subject}"[:200],
            queue=QUEUE,
            rq_kwargs={"retry": Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS)},
        )
        return True
    except Exception:  # Redis down: the case is stored; the tracking page still works
        log.exception("could not queue an email to a requester")
        return False


class Email(NamedTuple):
    """A message a job writes from ids (see enqueue_built): to whom, what, and what to do once sent."""

    name: str
    email: str
    subject: str
    body: str
    sent: Callable[[], None] | None = None


def send_built(builder: str, *ids: str) -> None:
    """The job: the email that `builder` ("module:function") writes from `ids`, sent now (raises
    on failure, so RQ retries). The builder returns None when there is nothing (more) to send."""
    from ckan.lib.helpers import _get_auto_flask_context  # CKAN's context for work outside a request

    module, _, name = builder.partition(":")
    outside = _get_auto_flask_context()
    with outside.app.test_request_context() if outside is not None else contextlib.nullcontext():
        message = getattr(importlib.import_module(module), name)(*ids)
        if message is None:
            return
        tk.mail_recipient(message.name, message.email, message.subject, message.body)
        if message.sent is not None:
            message.sent()


def enqueue_built(builder: Callable[..., Email | None], *ids: str) -> bool:
    """Queue the email `builder` writes from `ids` when the job runs: the queue (Redis) holds the
    builder's name and the ids only, never an address, a text or a tracking link."""
    try:
        tk.enqueue_job(
            send_built,
            [f"{builder.__module__}:{builder.__name__}", *ids],
            title=f"layananpublik email: {builder.__name__}",
            queue=QUEUE,
            rq_kwargs={"retry": Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS)},
        )
        return True
    except Exception:  # Redis down: the case is stored; the tracking page still works
        log.exception("could not queue an email to a requester")
        return False


def site_title() -> str:
    return tk.config.get("ckan.site_title") or "CKAN"


def requester_language() -> str:
    """The language of the pages the requester is using: stored with the case, so later
    emails (written while an officer acts, in the officer's language) are in theirs."""
    return (tk.h.lang() if has_request_context() else None) or tk.config.get("ckan.locale_default") or "id"


@contextlib.contextmanager
def in_language(language: str | None) -> Iterator[None]:
    """Messages, dates and numbers in `language` (the site's default when unknown)."""
    with force_locale(language or tk.config.get("ckan.locale_default") or "id"):
        yield


# --- reminders ---------------------------------------------------------------------------------


def reminder_kind(due: dt.date, today: dt.date, calendar: WorkingCalendar, days_before: int) -> str | None:
    if due < today:
        return "overdue"
    if working_days_between(today, due, calendar) <= days_before:
        return "due_soon"
    return None


def horizon(today: dt.date, days_before: int) -> dt.date:
    # Open items due within the next few weeks or already late; the exact working-day
    # distance is computed in Python on this small set.
    return today + dt.timedelta(days=days_before * 3 + 14)


def due_for_reminder(query: Any, due_column: Any, calendar: WorkingCalendar) -> Iterator[tuple[Any, str]]:
    """(row, kind) for each open case of the query whose due date is near ("due_soon", within
    the configured working days) or past ("overdue"), earliest first; "today" is each body's."""
    days_before = tk.config.get("ckanext.layananpublik.request.reminder_working_days")
    for row in query.filter(due_column <= horizon(today(), days_before)).order_by(due_column).all():
        kind = reminder_kind(row.due_date, today(row.organization_id), calendar, days_before)
        if kind is not None:
            yield row, kind


def remind_once(table: Any, key: dict, send: Callable[[], Any], label: str) -> bool:
    """Write the reminder row (its primary key is the "once") and send in one transaction: a
    rerun or a second cron host skips it; a failed send (it raises) rolls the row back and is
    tried on the next run."""
    inserted = model.Session.execute(
        pg_insert(table)
        .values(**key, sent_at=now())
        .on_conflict_do_nothing()
        .returning(*table.primary_key.columns)
    ).first()
    if inserted is None:
        model.Session.rollback()
        return False
    try:
        send()
    except Exception:
        log.exception("reminder for %s not sent; will retry on the next run", label)
        model.Session.rollback()
        return False
    model.Session.commit()
    return True


def to_users(recipients: list, subject: str, body: str) -> Callable[[], None]:
    """A reminder's sending: the same email to each staff member, now (raises on failure)."""

    def send() -> None:
        for user in recipients:
            tk.mail_recipient(user.display_name, user.email, subject, body)

    return send


def reminder_text(row: Any, kind: str, subjects: tuple[str, str], body: str, url: str) -> tuple[str, str]:
    """Subject and body of a reminder about a case: `subjects` are the (overdue, due soon)
    templates, `body` the template of its lines; the values are the case's."""
    from ckanext.layananpublik.cases.formatting import date

    org = model.Group.get(row.organization_id)  # the session's identity map: one query per body
    values = {"number": row.registration_number, "due": date(row.due_date)}
    subject = subjects[0] if kind == "overdue" else subjects[1]
    return subject.format(**values), body.format(
        body=org.title if org else "", received=date(row.received_date), url=url, **values
    )


def remind_staff(table: Any, case: str, row: Any, kind: str, recipients: list, subjects: tuple[str, str], body: str,
                 url: str) -> bool:  # fmt: skip
    """A reminder about a case (its `case`_id) to the staff, written once per case, kind and due
    date (remind_once); True when it was sent now."""
    subject, text = reminder_text(row, kind, subjects, body, url)
    key = {f"{case}_id": row.id, "kind": kind, "due_date": row.due_date}
    return remind_once(table, key, to_users(recipients, subject, text), row.registration_number)


def notify(name: str, email: str | None, language: str | None, subject: str, body: str,
           values: Callable[[], dict]) -> bool:  # fmt: skip
    """Queue one email to a requester or complainant, written in their language: `subject` and
    `body` are English message ids (marked with N_) filled with `values()`, which is computed
    in that language (dates, labels), and with their name and the site's title."""
    message = compose(name, email, language, subject, body, values)
    return message is not None and enqueue_email(*message[:4])


def compose(name: str, email: str | None, language: str | None, subject: str, body: str,
            values: Callable[[], dict]) -> Email | None:  # fmt: skip
    """The email of `notify`, written now (in a job: see enqueue_built); None without an address."""
    if not email:
        return None
    with in_language(language):
        filled = {"name": name, "site": site_title(), **values()}
        return Email(name, email, tk._(subject).format(**filled), tk._(body).format(**filled))
