"""Email of every case type: written to the outbox (cases/outbox.py) in the transaction of
the case change it reports, in the requester's language, sent by workers after the commit;
deadline reminders written once.

An email never holds up or endangers a case, and a case never loses its email: the message is a
row committed with the case, and the workers send it whenever the mail relay takes it (retried
with growing intervals). After the commit an RQ job (`drain_mail`) wakes a worker: it carries no
message, so losing it (Redis down, a worker killed) loses nothing; `ckan layananpublik
mail-outbox drain --watch` sends what it left.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import ckan.plugins.toolkit as tk
from ckan import model
from flask import has_app_context, has_request_context
from flask_babel import force_locale
from sqlalchemy.dialects.postgresql import insert as pg_insert

from ckanext.layananpublik.calendar.deadlines import WorkingCalendar, working_days_between
from ckanext.layananpublik.cases import aftercommit, lookup, outbox
from ckanext.layananpublik.cases.clock import now, today

log = logging.getLogger(__name__)

QUEUE = "default"
LANGUAGES = ("id", "en")  # what pages and emails are written in (i18n/)
WAKE_UP_MARK_SECONDS = 60


def enqueue_email(recipient_name: str, recipient_email: str, subject: str, body: str) -> bool:
    """Write one email to the outbox in the current transaction (the caller commits); a worker
    is woken after the commit."""
    outbox.add(recipient_name, recipient_email, subject, body)
    aftercommit.on_commit(outbox.FLAG, enqueue_drain)
    return True


def drain_mail() -> dict:
    """The job: send every due email of the outbox (any number of workers may run it at once).
    The wake-up mark goes first: a commit that sees it still set counts on this run."""
    _wake_up_mark(delete=True)
    return outbox.drain()


def send_email(recipient_name: str, recipient_email: str, subject: str, body: str) -> None:
    """The job of earlier versions (one email each), still queued after an upgrade: now the
    email goes through the outbox like every other."""
    enqueue_email(recipient_name, recipient_email, subject, body)
    model.Session.commit()
    outbox.drain()


def _wake_up_mark(delete: bool = False) -> bool:
    """A Redis key saying "a drain job is queued and has not started": set it (True when this
    call set it, so this commit queues the job) or, in the job, delete it. While it is set,
    commits queue no job: the queued one will see their rows. It expires, in case its job is
    lost (a worker killed); the drainer process sends what is left meanwhile."""
    from ckan.lib.redis import connect_to_redis

    key = f"ckan:{tk.config.get('ckan.site_id')}:layananpublik:mail-drain-queued"
    if delete:
        try:
            connect_to_redis().delete(key)
        except Exception:  # noqa: BLE001 - Redis down: the mark expires by itself
            log.warning("could not clear the mail drain's wake-up mark", exc_info=True)
        return False
    return bool(connect_to_redis().set(key, "1", nx=True, ex=WAKE_UP_MARK_SECONDS))


def enqueue_drain() -> bool:
    """Wake a worker to drain the outbox, unless a drain job is already waiting."""
    try:
        if _wake_up_mark():
            tk.enqueue_job(drain_mail, [], title="layananpublik mail outbox drain", queue=QUEUE)
        return True
    except Exception:  # Redis down: the emails are stored; `mail-outbox drain --watch` sends them
        log.warning("could not queue the mail outbox drain (Redis down?): the drainer will send the mail",
                    exc_info=True)  # fmt: skip
        return False


class Email(NamedTuple):
    """A message written from a case's ids (see enqueue_built): to whom, what, and what to do
    once the outbox holds it."""

    name: str
    email: str
    subject: str
    body: str
    sent: Callable[[], None] | None = None


def enqueue_built(builder: Callable[..., Email | None], *ids: str) -> bool:
    """Write the email `builder` composes from `ids` to the outbox, in the current transaction.
    Redis never holds an address, a text or a tracking link: its job only wakes a drainer. A
    token sealed on the case row for this email is dropped once the outbox row holds it."""
    message = builder(*ids)
    if message is None:
        return False
    enqueue_email(message.name, message.email, message.subject, message.body)
    if message.sent is not None:
        message.sent()
    return True


def first_email(row: Any, endpoint: str, name: str, email: str | None, language: str | None, subject: str,
                body: str, values: Callable[[], dict] = dict) -> Email | None:  # fmt: skip
    """A case's first email (compose), with its tracking link (`endpoint`, from the token
    sealed on `row`), its body's title and its number as {url}, {body} and {number} besides
    `values()`; the sealed token is dropped once the outbox holds it. None once that email was
    written, when the case is gone, or without an address."""
    url = lookup.first_email_link(row, endpoint)
    if url is None:
        return None
    org = model.Group.get(row.organization_id)
    message = compose(name, email, language, subject, body,
                      lambda: {"body": org.title if org else "", "number": row.registration_number, "url": url,
                               **values()})  # fmt: skip
    return message._replace(sent=lookup.mailed(row)) if message else None


def site_title() -> str:
    return tk.config.get("ckan.site_title") or "CKAN"


def requester_language() -> str:
    """The language of the pages the requester is using: stored with the case, so later
    emails (written while an officer acts, in the officer's language) are in theirs."""
    return (tk.h.lang() if has_request_context() else None) or tk.config.get("ckan.locale_default") or "id"


@contextlib.contextmanager
def in_language(language: str | None) -> Iterator[None]:
    """Messages, dates and numbers in `language` (the site's default when unknown), in a web
    request or outside one (a job, a command, a bare action call)."""
    with _app_context(), force_locale(language or tk.config.get("ckan.locale_default") or "id"):
        yield


_site_app: list[Any] = []  # the site's Flask app, once built (install)


def install(app: Any) -> None:
    """Remember the site's Flask app (plugin.py's IMiddleware hands it over as CKAN builds it)."""
    _site_app[:] = [app]


@contextlib.contextmanager
def _app_context() -> Iterator[None]:
    """Outside the web app, Flask-Babel has nowhere to hold a language and translates nothing
    (English): a request context of the site's app (built from the site's config, as the one
    h.url_for uses outside a request) is pushed meanwhile, a new one each time, so threads
    writing emails at once never share one."""
    if has_app_context() or not _site_app:
        yield
        return
    with _site_app[0].test_request_context():
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
    """Write the reminder row (its primary key is the "once") and its emails (`send` writes
    them to the outbox) in one transaction: a rerun or a second cron host skips it; a `send`
    that raises rolls the row back, for the next run."""
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
        log.exception("reminder for %s not written; will retry on the next run", label)
        model.Session.rollback()
        return False
    model.Session.commit()
    return True


def to_users(recipients: list, subject: str, body: str) -> Callable[[], None]:
    """A reminder's sending: the same email to each staff member, through the outbox."""

    def send() -> None:
        for user in recipients:
            enqueue_email(user.display_name, user.email, subject, body)

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
    date (remind_once); True when it was written now."""
    subject, text = reminder_text(row, kind, subjects, body, url)
    key = {f"{case}_id": row.id, "kind": kind, "due_date": row.due_date}
    return remind_once(table, key, to_users(recipients, subject, text), row.registration_number)


def notify(name: str, email: str | None, language: str | None, subject: str, body: str,
           values: Callable[[], dict]) -> bool:  # fmt: skip
    """Write one email to a requester or complainant to the outbox, in the current transaction
    and in their language: `subject` and
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
