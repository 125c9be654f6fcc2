"""Emails of complaints: to the complainant, and reminders of the response date to the body's staff."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.layananpublik.calendar.store import load_calendar
from ckanext.layananpublik.cases import mail
from ckanext.layananpublik.cases.clock import today
from ckanext.layananpublik.cases.labels import N_, layananpublik_label
from ckanext.layananpublik.complaints import workflow as wf
from ckanext.layananpublik.complaints.model import Complaint, ComplaintReminder
from ckanext.layananpublik.roles import access


def notify_complaint_received(complaint: Complaint, body_title: str, url: str) -> bool:
    return mail.notify(
        complaint.name, complaint.email, complaint.language,
        N_("Your complaint {number} has been received"),
        N_("Dear {name},\n\n{body} has received your complaint {number}. Follow it here:\n{url}\n\n{site}"),
        lambda: {"body": body_title, "number": complaint.registration_number, "url": url},
    )  # fmt: skip


def notify_complaint_answered(complaint: Complaint, body_title: str) -> bool:
    return mail.notify(
        complaint.name, complaint.email, complaint.language,
        N_("Complaint {number}: {status}"),
        N_("Dear {name},\n\n{body} answered your complaint {number}:\n\n{response}\n\n{site}"),
        lambda: {"body": body_title, "number": complaint.registration_number, "response": complaint.response,
                 "status": layananpublik_label("complaint_status", complaint.status).lower()},
    )  # fmt: skip


def send_reminders() -> dict:
    """The body's officers and complaint handlers are reminded of complaints near or past their
    response date, once per complaint, kind and due date (mail.remind_once)."""
    calendar, day = load_calendar(), today()
    days_before = tk.config.get("ckanext.layananpublik.request.reminder_working_days")
    sent = {"complaint_due_soon": 0, "complaint_overdue": 0}
    rows = (
        model.Session.query(Complaint)
        .filter(Complaint.status.in_(wf.OPEN), Complaint.is_spam.is_(False),
                Complaint.due_date <= mail.horizon(day, days_before))  # fmt: skip
        .order_by(Complaint.due_date)
        .all()
    )
    for row in rows:
        kind = mail.reminder_kind(row.due_date, today(row.organization_id), calendar, days_before)
        if kind is None:
            continue
        staff = {u.id: u for role in ("complaints", "officer") for u in access.holders(row.organization_id, role)}
        recipients = [u for u in staff.values() if u.email]
        subject, body = mail.reminder_text(
            row, kind,
            (tk._("OVERDUE: complaint {number} was due on {due}"), tk._("Reminder: complaint {number} is due on {due}")),
            tk._("Public body: {body}\nComplaint: {number}\nReceived: {received}\nDue: {due}\n\n{url}"),
            tk.url_for("layananpublik_complaint.read", id=row.id, _external=True),
        )  # fmt: skip
        key = {"complaint_id": row.id, "kind": kind, "due_date": row.due_date}
        if recipients and mail.remind_once(ComplaintReminder.__table__, key, mail.to_users(recipients, subject, body),
                                           row.registration_number):  # fmt: skip
            sent["complaint_" + kind] += 1
    return sent
