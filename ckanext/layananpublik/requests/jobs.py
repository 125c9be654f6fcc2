"""The request service's emails to the requester and its deadline reminders to officers
(queued and sent once through cases/mail.py)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.layananpublik.calendar.deadlines import (
    OBJECTION_FILING_WORKING_DAYS,
    WorkingCalendar,
    deadline_after,
)
from ckanext.layananpublik.calendar.store import load_calendar
from ckanext.layananpublik.cases import mail
from ckanext.layananpublik.cases.formatting import date
from ckanext.layananpublik.cases.labels import N_, layananpublik_label
from ckanext.layananpublik.requests import workflow as wf
from ckanext.layananpublik.requests.model import InformationRequest, RequestReminder
from ckanext.layananpublik.roles import access
from ckanext.layananpublik.survey import invitation as survey_invitation


def notify_requester_submitted(row: InformationRequest) -> bool:
    """The first email, with the tracking link, written to the outbox from the request's id."""
    return mail.enqueue_built(submitted_email, row.id)


def submitted_email(request_id: str) -> mail.Email | None:
    row = model.Session.get(InformationRequest, request_id)
    return mail.first_email(
        row, "layananpublik_request.track", row.name, row.email, row.language,
        N_("Your information request {number} has been received"),
        N_("Dear {name},\n\n"
           "{body} has received your request for public information.\n\n"
           "Registration number: {number}\n"
           "Received: {received}\n"
           "Answer due by: {due}\n\n"
           "Follow your request, read the decision notice and file an objection if needed here "
           "(keep this link private: it shows your personal data):\n{url}\n\n"
           "{site}"),
        lambda: {"received": date(row.received_date), "due": date(row.due_date)},
    )  # fmt: skip


def notify_requester_changed(row: InformationRequest, change: str) -> bool:
    """Tell the requester that the deadline was extended or the decision was issued. The
    email carries no tracking link (only its hash is stored); the first email has it."""
    if not row.email:
        return False
    return mail.enqueue_built(changed_email, row.id, change)


def changed_email(request_id: str, change: str) -> mail.Email | None:
    row = model.Session.get(InformationRequest, request_id)
    if row is None or not row.email:
        return None
    with mail.in_language(row.language):
        if change == "extended":
            subject = tk._("Request {number}: the deadline was extended").format(
                number=row.registration_number
            )
            detail = tk.ungettext(
                "The deadline was extended by {days} working day, to {due}. Reason: {reason}",
                "The deadline was extended by {days} working days, to {due}. Reason: {reason}",
                row.extension_days,
            ).format(days=row.extension_days, due=date(row.due_date), reason=row.extension_reason)
        else:
            subject = tk._("Request {number}: decision issued").format(number=row.registration_number)
            detail = tk._(
                "The decision is: {outcome}. Open the tracking link from your first email to read the notice."
            ).format(outcome=layananpublik_label("outcome", row.outcome))
            invitation = survey_invitation.email_paragraph(row)
            detail = f"{detail}\n\n{invitation}" if invitation else detail
        body = tk._("Dear {name},\n\n{detail}\n\n{site}").format(name=row.name, detail=detail, site=mail.site_title())
    return mail.Email(row.name, row.email, subject, body)


def send_reminders() -> dict:
    """Email each body's officers once per request, kind (due_soon / overdue) and due date
    (mail.remind_once); a body without officers, the sysadmins. Once a request is overdue, its
    requester and the body's superiors are told too (requester_overdue, superior_overdue)."""
    calendar = load_calendar()
    sent = {"due_soon": 0, "overdue": 0, "requester_overdue": 0, "superior_overdue": 0}
    R = InformationRequest
    open_requests = model.Session.query(R).filter(R.status.in_(wf.OPEN_STATUSES), R.is_spam.is_(False))
    sysadmins = None
    for row, kind in mail.due_for_reminder(open_requests, R.due_date, calendar):
        recipients = [u for u in access.holders(row.organization_id) if u.email]
        if not recipients:  # a body without officers: its reminders go to the sysadmins
            if sysadmins is None:
                sysadmins = [u for u in model.Session.query(model.User).filter_by(sysadmin=True, state="active")
                             if u.email]  # fmt: skip
            recipients = sysadmins
        if mail.remind_staff(
            RequestReminder.__table__, "request", row, kind, recipients,
            (tk._("OVERDUE: information request {number} was due on {due}"),
             tk._("Reminder: information request {number} is due on {due}")),
            tk._("Public body: {body}\nRequest: {number}\nReceived: {received}\nDue: {due}\n\n{url}"),
            tk.url_for("layananpublik_officer.request_read", id=row.id, _external=True),
        ):  # fmt: skip
            sent[kind] += 1
        if kind == "overdue":
            for who, send in _missed_deadline(row, calendar).items():
                key = {"request_id": row.id, "kind": who, "due_date": row.due_date}
                sent[who] += mail.remind_once(RequestReminder.__table__, key, send, row.registration_number)
    return sent


def _missed_deadline(row: InformationRequest, calendar: WorkingCalendar) -> dict:
    """When the due date passed without a decision: the requester is told of the right to
    object (Pasal 35(1) c; g if the answer comes late) and until when, and the body's
    superiors (who answer that objection) hear of it too. Kind -> its sending."""
    until = deadline_after(row.due_date, OBJECTION_FILING_WORKING_DAYS, calendar).due

    def values() -> dict:
        if row.user_id:  # a signed-in requester files it from "My requests"
            where = tk._("File the objection here: {url}").format(
                url=tk.url_for("layananpublik_objection.new_mine", id=row.id, _external=True))
        else:  # only the requester holds the tracking link (its hash is stored)
            where = tk._("File the objection from the tracking link in our first email (or paste that link "
                         "here: {url}).").format(url=tk.url_for("layananpublik_request.lookup", _external=True))
        org = model.Group.get(row.organization_id)
        return {"number": row.registration_number, "due": date(row.due_date), "until": date(until),
                "body": org.title if org else "", "where": where}

    def to_requester() -> None:
        if not mail.notify(row.name, row.email, row.language, MISSED_SUBJECT, MISSED_BODY, values):
            raise RuntimeError("the requester's email could not be queued")

    superiors = [u for u in access.holders(row.organization_id, "superior") if u.email]
    subject, body = mail.reminder_text(
        row, "overdue",
        (tk._("NOT ANSWERED: information request {number} was due on {due}"), ""),
        tk._("Public body: {body}\nRequest: {number}\nReceived: {received}\nDue: {due}\n\nThe requester may now "
             "object to you (Pasal 35(1) c).\n\n{url}"),
        tk.url_for("layananpublik_officer.request_read", id=row.id, _external=True),
    )  # fmt: skip
    sends = {"superior_overdue": mail.to_users(superiors, subject, body)} if superiors else {}
    if row.email:
        sends["requester_overdue"] = to_requester
    return sends


MISSED_SUBJECT = N_("Request {number}: the deadline passed without an answer")
MISSED_BODY = N_(
    "Dear {name},\n\nThe answer to your request {number} was due on {due}, and {body} has not sent it. "
    "You may now file an objection with the superior of the PPID (Atasan PPID) because the request was not "
    "answered (Pasal 35(1) c UU 14/2008), until {until}: 30 working days after the due date. If the answer "
    "comes late, you may also object to its lateness (Pasal 35(1) g).\n\n{where}\n\n{site}"
)
