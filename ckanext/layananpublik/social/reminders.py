"""Reminders of unanswered replies: after `feedback_working_days` working days a reply still
open is overdue; its officer (the one assigned, else every officer of the body) is emailed
once per reply, kind and due date (`ckan layananpublik send-reminders`, with the cases')."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.layananpublik.calendar.store import load_calendar
from ckanext.layananpublik.cases import mail
from ckanext.layananpublik.cases.formatting import date
from ckanext.layananpublik.roles import access
from ckanext.layananpublik.social.model import SocialFeedback, SocialFeedbackReminder


def _recipients(row: SocialFeedback) -> list:
    if row.assigned_to:
        user = model.User.get(row.assigned_to)
        if user is not None and user.email and access.has_role(user.name, row.organization_id or "", "officer"):
            return [user]
    return [u for u in access.holders(row.organization_id, "officer") if u.email] if row.organization_id else []


def send_reminders() -> dict:
    sent = {"feedback_due_soon": 0, "feedback_overdue": 0}
    open_replies = model.Session.query(SocialFeedback).filter(
        SocialFeedback.status == "open", SocialFeedback.deleted_at.is_(None)
    )
    for row, kind in mail.due_for_reminder(open_replies, SocialFeedback.due_date, load_calendar()):
        recipients = _recipients(row)
        if not recipients:
            continue
        org = model.Group.get(row.organization_id)
        subject = (tk._("OVERDUE: a reply on {platform} was due on {due}") if kind == "overdue"
                   else tk._("Reminder: a reply on {platform} is due on {due}"))  # fmt: skip
        values = {"platform": row.platform, "due": date(row.due_date), "received": date(row.received_date),
                  "body": org.title if org else "",
                  "url": tk.url_for("layananpublik_social.feedback_read", id=row.id, _external=True)}  # fmt: skip
        body = tk._("Public body: {body}\nReply received: {received}\nDue: {due}\n\n{url}")
        key = {"feedback_id": row.id, "kind": kind, "due_date": row.due_date}
        if mail.remind_once(SocialFeedbackReminder.__table__, key,
                            mail.to_users(recipients, subject.format(**values), body.format(**values)),
                            f"social reply {row.id}"):  # fmt: skip
            sent["feedback_" + kind] += 1
    return sent
