"""Emails of complaints: to the complainant, and reminders of the response date to the body's staff."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.layananpublik.calendar.store import load_calendar
from ckanext.layananpublik.cases import mail
from ckanext.layananpublik.cases.labels import N_, layananpublik_label
from ckanext.layananpublik.complaints import workflow as wf
from ckanext.layananpublik.complaints.model import Complaint, ComplaintReminder
from ckanext.layananpublik.roles import access


def notify_complaint_received(complaint: Complaint) -> bool:
    """The first email, with the tracking link, written to the outbox from the complaint's id."""
    return mail.enqueue_built(received_email, complaint.id)


def received_email(complaint_id: str) -> mail.Email | None:
    complaint = model.Session.get(Complaint, complaint_id)
    return mail.first_email(
        complaint, "layananpublik_complaint.track", complaint.name, complaint.email, complaint.language,
        N_("Your complaint {number} has been received"),
        N_("Dear {name},\n\n{body} has received your complaint {number}. Follow it here:\n{url}\n\n{site}"),
    )  # fmt: skip


def notify_complaint_answered(complaint: Complaint) -> bool:
    """The body's answer to the complainant, written to the outbox from the complaint's id."""
    return bool(complaint.email) and mail.enqueue_built(answered_email, complaint.id)


def answered_email(complaint_id: str) -> mail.Email | None:
    complaint = model.Session.get(Complaint, complaint_id)
    if complaint is None:
        return None
    org = model.Group.get(complaint.organization_id)
    return mail.compose(
        complaint.name, complaint.email, complaint.language,
        N_("Complaint {number}: {status}"),
        N_("Dear {name},\n\n{body} answered your complaint {number}:\n\n{response}\n\n{site}"),
        lambda: {"body": org.title if org else "", "number": complaint.registration_number,
                 "response": complaint.response,
                 "status": layananpublik_label("complaint_status", complaint.status).lower()},
    )  # fmt: skip


def send_reminders() -> dict:
    """The body's officers and complaint handlers are reminded of complaints near or past their
    response date, once per complaint, kind and due date (mail.remind_once)."""
    sent = {"complaint_due_soon": 0, "complaint_overdue": 0}
    open_complaints = model.Session.query(Complaint).filter(Complaint.status.in_(wf.OPEN), Complaint.is_spam.is_(False))
    for row, kind in mail.due_for_reminder(open_complaints, Complaint.due_date, load_calendar()):
        staff = {u.id: u for role in ("complaints", "officer") for u in access.holders(row.organization_id, role)}
        recipients = [u for u in staff.values() if u.email]
        if recipients and mail.remind_staff(
            ComplaintReminder.__table__, "complaint", row, kind, recipients,
            (tk._("OVERDUE: complaint {number} was due on {due}"), tk._("Reminder: complaint {number} is due on {due}")),
            tk._("Public body: {body}\nComplaint: {number}\nReceived: {received}\nDue: {due}\n\n{url}"),
            tk.url_for("layananpublik_complaint.read", id=row.id, _external=True),
        ):  # fmt: skip
            sent["complaint_" + kind] += 1
    return sent
