"""Emails of objections to the requester, and reminders of the superior's deadline."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.layananpublik.calendar.deadlines import WorkingCalendar
from ckanext.layananpublik.calendar.store import load_calendar
from ckanext.layananpublik.cases import mail
from ckanext.layananpublik.cases.formatting import date
from ckanext.layananpublik.cases.labels import N_, layananpublik_label
from ckanext.layananpublik.objections import rules
from ckanext.layananpublik.objections.model import Objection, ObjectionReminder
from ckanext.layananpublik.requests.model import InformationRequest
from ckanext.layananpublik.roles import access


def _recipient(objection: Objection, request: InformationRequest | None) -> tuple[str | None, str | None]:
    """Whoever filed the objection, in their language: at the request's address, or for an
    objection without a request (ground b) at the filer's own. (email, language)"""
    return (request.email, request.language) if request else (objection.filer_email, objection.language)


def _notify(
    objection: Objection, request: InformationRequest | None, subject: str, body: str, values
) -> bool:
    """An email to whoever filed the objection (_recipient). No address, no email."""
    email, language = _recipient(objection, request)
    if not email:
        return False
    return mail.notify(objection.filer_name, email, language, subject, body, values)


def notify_objection_received(objection: Objection) -> bool:
    """The first email, with the tracking link, written to the outbox from the objection's id."""
    return mail.enqueue_built(received_email, objection.id)


def _loaded(objection_id: str) -> tuple[Objection, InformationRequest | None] | None:
    """The objection and the request it is about (None for periodic information); None if gone."""
    objection = model.Session.get(Objection, objection_id)
    if objection is None:
        return None
    return objection, model.Session.get(
        InformationRequest, objection.request_id
    ) if objection.request_id else None


def received_email(objection_id: str) -> mail.Email | None:
    if (loaded := _loaded(objection_id)) is None:
        return None
    objection, request = loaded
    values = lambda: {"request": request.registration_number if request else "",  # noqa: E731
                      "due": date(objection.due_date)}  # fmt: skip
    if request is None:
        subject, body = (
            N_("Your objection {number} has been received"),
            N_("Dear {name},\n\nThe superior of the PPID of {body} has received your objection {number}: "
               "information the body must publish periodically has not been published (UU 14/2008 Pasal 35(1)b). "
               "The written answer is due by {due}.\n\nFollow it here (keep this link private):\n{url}\n\n{site}"),
        )  # fmt: skip
    else:
        subject, body = (
            N_("Your objection {number} has been received"),
            N_("Dear {name},\n\nThe superior of the PPID of {body} has received your objection {number} about "
               "request {request}. The written answer is due by {due}.\n\nFollow it here (keep this link private):\n"
               "{url}\n\n{site}"),
        )  # fmt: skip
    email, language = _recipient(objection, request)
    return mail.first_email(objection, "layananpublik_objection.track", objection.filer_name, email, language,
                            subject, body, values)  # fmt: skip


def notify_objection_decided(objection: Objection) -> bool:
    """The superior's answer to whoever filed the objection, written to the outbox from its id."""
    return mail.enqueue_built(decided_email, objection.id)


def decided_email(objection_id: str) -> mail.Email | None:
    if (loaded := _loaded(objection_id)) is None:
        return None
    objection, request = loaded
    email, language = _recipient(objection, request)
    return mail.compose(
        objection.filer_name, email, language,
        N_("Objection {number}: the superior has answered"),
        N_("Dear {name},\n\nThe superior of the PPID answered your objection {number}: {decision}.\n\n"
           "Reasons: {reasons}\n\n"
           "If you disagree, you may take the dispute to the Komisi Informasi within 14 working days after "
           "receiving this answer: until {until}.\n\n{site}"),
        lambda: {"number": objection.registration_number, "reasons": objection.superior_reasons,
                 "decision": layananpublik_label("objection_decision", objection.superior_decision),
                 "until": date(rules.dispute_deadline(objection.decision_date, load_calendar()).due)},
    )  # fmt: skip


def send_reminders() -> dict:
    """The superior's 30-working-day answer gets the same reminders as a request, to the
    body's superiors, once per objection, kind and due date (mail.remind_once); when it passes
    without an answer, the requester is told of the way to the Komisi Informasi."""
    calendar = load_calendar()
    sent = {"objection_due_soon": 0, "objection_overdue": 0, "objection_requester_overdue": 0}
    waiting = model.Session.query(Objection).filter(Objection.status == "received")
    for row, kind in mail.due_for_reminder(waiting, Objection.due_date, calendar):
        recipients = [u for u in access.holders(row.organization_id, "superior") if u.email]
        if mail.remind_staff(
            ObjectionReminder.__table__, "objection", row, kind, recipients,
            (tk._("OVERDUE: objection {number} was due on {due}"), tk._("Reminder: objection {number} is due on {due}")),
            tk._("Public body: {body}\nObjection: {number}\nReceived: {received}\nDue: {due}\n\n{url}"),
            tk.url_for("layananpublik_objection.read", id=row.id, _external=True),
        ):  # fmt: skip
            sent["objection_" + kind] += 1
        if kind == "overdue":  # the superior stayed silent: the requester may go to the Komisi Informasi
            key = {"objection_id": row.id, "kind": "requester_overdue", "due_date": row.due_date}
            sent["objection_requester_overdue"] += mail.remind_once(
                ObjectionReminder.__table__, key, _silent_superior(row, calendar), row.registration_number
            )
    return sent


def _silent_superior(objection: Objection, calendar: WorkingCalendar):
    request = model.Session.get(InformationRequest, objection.request_id) if objection.request_id else None
    email = request.email if request else objection.filer_email

    def send() -> None:
        values = lambda: {"number": objection.registration_number, "due": date(objection.due_date),  # noqa: E731
                          "until": date(rules.dispute_deadline(objection.due_date, calendar).due)}  # fmt: skip
        if email and not _notify(objection, request, SILENT_SUBJECT, SILENT_BODY, values):
            raise RuntimeError("the requester's email could not be queued")

    return send


SILENT_SUBJECT = N_("Objection {number}: the superior did not answer in time")
SILENT_BODY = N_(
    "Dear {name},\n\nThe superior of the PPID had to answer your objection {number} in writing by {due} and "
    "has not. You may now take the dispute to the Komisi Informasi, within 14 working days after that date: "
    "until {until} (UU 14/2008 Pasal 37; Perki 1/2013 Pasal 13).\n\n{site}"
)
