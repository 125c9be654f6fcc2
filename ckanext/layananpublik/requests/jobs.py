"""Background work of the request service: emails and deadline reminders.

An email never holds up or endangers a request: the request is committed first, then the
message is queued as an RQ job that is retried with growing intervals if the mail server
is down. Job functions take plain strings, so the worker needs no request context.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from flask import has_request_context
from flask_babel import force_locale
from rq import Retry
from sqlalchemy.dialects.postgresql import insert as pg_insert

from ckanext.layananpublik import workcalendar
from ckanext.layananpublik.requests import deadlines, helpers
from ckanext.layananpublik.requests import workflow as wf
from ckanext.layananpublik.requests.model import InformationRequest, RequestReminder, now
from ckanext.layananpublik.roles import access

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
    except Exception:  # Redis down: the request is stored; the tracking page still works
        log.exception("could not queue an email to a requester")
        return False


def _site() -> str:
    return tk.config.get("ckan.site_title") or "CKAN"


def requester_language() -> str:
    """The language of the pages the requester is using: stored with the request, so later
    emails (written while an officer acts, in the officer's language) are in theirs."""
    return (tk.h.lang() if has_request_context() else None) or tk.config.get("ckan.locale_default") or "id"


@contextlib.contextmanager
def in_language(language: str | None) -> Iterator[None]:
    """Messages, dates and numbers in `language` (the site's default when unknown)."""
    with force_locale(language or tk.config.get("ckan.locale_default") or "id"):
        yield


def notify_requester_submitted(row: InformationRequest, tracking_url: str) -> bool:
    org = model.Group.get(row.organization_id)
    with in_language(row.language):
        subject = tk._("Your information request {number} has been received").format(
            number=row.registration_number
        )
        body = tk._(
            "Dear {name},\n\n"
            "{body} has received your request for public information.\n\n"
            "Registration number: {number}\n"
            "Received: {received}\n"
            "Answer due by: {due}\n\n"
            "Follow your request, read the decision notice and file an objection if needed here "
            "(keep this link private: it shows your personal data):\n{url}\n\n"
            "{site}"
        ).format(
            name=row.name, body=org.title if org else "", number=row.registration_number,
            received=helpers.date(row.received_date), due=helpers.date(row.due_date), url=tracking_url,
            site=_site(),
        )  # fmt: skip
    return enqueue_email(row.name, row.email, subject, body)


def notify_requester_changed(row: InformationRequest, change: str) -> bool:
    """Tell the requester that the deadline was extended or the decision was issued. The
    email carries no tracking link (only its hash is stored); the first email has it."""
    if not row.email:
        return False
    with in_language(row.language):
        if change == "extended":
            subject = tk._("Request {number}: the deadline was extended").format(
                number=row.registration_number
            )
            detail = tk.ungettext(
                "The deadline was extended by {days} working day, to {due}. Reason: {reason}",
                "The deadline was extended by {days} working days, to {due}. Reason: {reason}",
                row.extension_days,
            ).format(days=row.extension_days, due=helpers.date(row.due_date), reason=row.extension_reason)
        else:
            subject = tk._("Request {number}: decision issued").format(number=row.registration_number)
            detail = tk._(
                "The decision is: {outcome}. Open the tracking link from your first email to read the notice."
            ).format(outcome=wf.outcome_label(row.outcome))
        body = tk._("Dear {name},\n\n{detail}\n\n{site}").format(name=row.name, detail=detail, site=_site())
    return enqueue_email(row.name, row.email, subject, body)


def notify_objection_received(objection: Any, request: InformationRequest, body_title: str, url: str) -> bool:
    with in_language(request.language):
        subject = tk._("Your objection {number} has been received").format(
            number=objection.registration_number
        )
        body = tk._(
            "Dear {name},\n\nThe superior of the PPID of {body} has received your objection {number} about "
            "request {request}. The written answer is due by {due}.\n\nFollow it here (keep this link private):\n"
            "{url}\n\n{site}"
        ).format(name=objection.filer_name, body=body_title, number=objection.registration_number,
                 request=request.registration_number, due=helpers.date(objection.due_date), url=url,
                 site=_site())  # fmt: skip
    return enqueue_email(objection.filer_name, request.email, subject, body)


def notify_objection_decided(objection: Any, request: InformationRequest, decision_label: Any) -> bool:
    """decision_label: a function giving the superior's decision in words (called in the
    requester's language)."""
    with in_language(request.language):
        subject = tk._("Objection {number}: the superior has answered").format(
            number=objection.registration_number
        )
        body = tk._(
            "Dear {name},\n\nThe superior of the PPID answered your objection {number}: {decision}.\n\n"
            "Reasons: {reasons}\n\n"
            "If you disagree, you may take the dispute to the Komisi Informasi within 14 working days.\n\n{site}"
        ).format(name=objection.filer_name, number=objection.registration_number,
                 decision=decision_label(objection.superior_decision), reasons=objection.superior_reasons,
                 site=_site())  # fmt: skip
    return enqueue_email(objection.filer_name, request.email, subject, body)


def notify_complaint_received(complaint: Any, body_title: str, url: str) -> bool:
    with in_language(complaint.language):
        subject = tk._("Your complaint {number} has been received").format(
            number=complaint.registration_number
        )
        body = tk._(
            "Dear {name},\n\n{body} has received your complaint {number}. Follow it here:\n{url}\n\n{site}"
        ).format(
            name=complaint.name, body=body_title, number=complaint.registration_number, url=url, site=_site()
        )
    return enqueue_email(complaint.name, complaint.email, subject, body)


def notify_complaint_answered(complaint: Any, body_title: str) -> bool:
    with in_language(complaint.language):
        subject = tk._("Complaint {number}: {status}").format(
            number=complaint.registration_number, status=wf.complaint_status_label(complaint.status).lower()
        )
        body = tk._("Dear {name},\n\n{body} answered your complaint {number}:\n\n{response}\n\n{site}").format(
            name=complaint.name, body=body_title, number=complaint.registration_number, response=complaint.response,
            site=_site(),
        )  # fmt: skip
    return enqueue_email(complaint.name, complaint.email, subject, body)


def _reminder_kind(
    due: dt.date, today: dt.date, calendar: deadlines.WorkingCalendar, days_before: int
) -> str | None:
    if due < today:
        return "overdue"
    if deadlines.working_days_between(today, due, calendar) <= days_before:
        return "due_soon"
    return None


def _horizon(today: dt.date, days_before: int) -> dt.date:
    # Open items due within the next few weeks or already late; the exact working-day
    # distance is computed in Python on this small set.
    return today + dt.timedelta(days=days_before * 3 + 14)


def _remind_once(table: Any, key: dict, recipients: list, subject: str, body: str, label: str) -> bool:
    """Write the reminder row (its primary key is the "once") and send the email in one
    transaction: a rerun or a second cron host skips it; a failed email rolls the row back
    and is tried on the next run."""
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
        for user in recipients:
            tk.mail_recipient(user.display_name, user.email, subject, body)
    except Exception:
        log.exception("reminder for %s not sent; will retry on the next run", label)
        model.Session.rollback()
        return False
    model.Session.commit()
    return True


def _reminder_text(row: Any, kind: str, objection: bool = False) -> tuple[str, str]:
    """Subject and body of a reminder about a request, or (objection=True) an objection."""
    if objection:
        url = tk.url_for("layananpublik_objection.read", id=row.id, _external=True)
        subject = (tk._("OVERDUE: objection {number} was due on {due}") if kind == "overdue"
                   else tk._("Reminder: objection {number} is due on {due}"))  # fmt: skip
        body = tk._("Public body: {body}\nObjection: {number}\nReceived: {received}\nDue: {due}\n\n{url}")
    else:
        url = tk.url_for("layananpublik_officer.request_read", id=row.id, _external=True)
        subject = (tk._("OVERDUE: information request {number} was due on {due}") if kind == "overdue"
                   else tk._("Reminder: information request {number} is due on {due}"))  # fmt: skip
        body = tk._("Public body: {body}\nRequest: {number}\nReceived: {received}\nDue: {due}\n\n{url}")
    org = model.Group.get(row.organization_id)  # the session's identity map: one query per body
    values = {"number": row.registration_number, "due": helpers.date(row.due_date)}
    return subject.format(**values), body.format(
        body=org.title if org else "", received=helpers.date(row.received_date), url=url, **values
    )


def _objection_reminders(
    today: dt.date, calendar: deadlines.WorkingCalendar, days_before: int, sent: dict
) -> None:
    """The superior's 30-working-day answer gets the same reminders, to the superiors."""
    from ckanext.layananpublik.requests.objection_model import Objection, ObjectionReminder

    rows = (
        model.Session.query(Objection)
        .filter(Objection.status == "received", Objection.due_date <= _horizon(today, days_before))
        .order_by(Objection.due_date)
        .all()
    )
    for row in rows:
        kind = _reminder_kind(row.due_date, today, calendar, days_before)
        if kind is None:
            continue
        recipients = [u for u in access.holders(row.organization_id, "superior") if u.email]
        subject, body = _reminder_text(row, kind, objection=True)
        key = {"objection_id": row.id, "kind": kind, "due_date": row.due_date}
        if _remind_once(ObjectionReminder.__table__, key, recipients, subject, body, row.registration_number):
            sent["objection_" + kind] += 1


def send_reminders() -> dict:
    """Email each body's officers once per request, kind (due_soon / overdue) and due date,
    and each body's superiors likewise for objections (`_remind_once`), in the site's
    language whoever triggers the run."""
    with in_language(None):
        return _send_reminders()


def _send_reminders() -> dict:
    calendar = workcalendar.load_calendar()
    today = deadlines.local_date(now(), workcalendar.timezone())
    days_before = tk.config.get("ckanext.layananpublik.request.reminder_working_days")
    sent = {"due_soon": 0, "overdue": 0, "objection_due_soon": 0, "objection_overdue": 0}
    R = InformationRequest
    rows = (
        model.Session.query(R)
        .filter(
            R.status.in_(wf.OPEN_STATUSES), R.is_spam.is_(False), R.due_date <= _horizon(today, days_before)
        )
        .order_by(R.due_date)
        .all()
    )
    sysadmins = None
    for row in rows:
        kind = _reminder_kind(row.due_date, today, calendar, days_before)
        if kind is None:
            continue
        recipients = [u for u in access.holders(row.organization_id) if u.email]
        if not recipients:  # a body without officers: its reminders go to the sysadmins
            if sysadmins is None:
                sysadmins = [u for u in model.Session.query(model.User).filter_by(sysadmin=True, state="active")
                             if u.email]  # fmt: skip
            recipients = sysadmins
        subject, body = _reminder_text(row, kind)
        key = {"request_id": row.id, "kind": kind, "due_date": row.due_date}
        if _remind_once(RequestReminder.__table__, key, recipients, subject, body, row.registration_number):
            sent[kind] += 1
    _objection_reminders(today, calendar, days_before, sent)
    return sent
