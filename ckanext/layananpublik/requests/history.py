"""Template helpers of the request pages: what each step of a request's history changed,
in the reader's words (h.layananpublik_request_event_detail / _event_note)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.layananpublik.cases.formatting import date, layananpublik_working_days
from ckanext.layananpublik.cases.labels import layananpublik_label


def layananpublik_request_event_detail(event: dict) -> str:
    """One line of what a step changed, from its recorded data."""
    data = event.get("data") or {}
    action = event["action"]
    if action == "submitted" and data.get("due_date"):
        return tk._("Answer due by {due}").format(due=date(data["due_date"]))
    if action == "extended" and data.get("due_date"):
        return tk._("Extended by {days}; answer now due by {due}").format(
            days=layananpublik_working_days(data.get("days")), due=date(data["due_date"])
        )
    if action == "decided" and data.get("outcome"):
        return tk._("Outcome: {outcome}").format(outcome=layananpublik_label("outcome", data["outcome"]))
    if action == "deadline_recomputed" and data.get("due_date"):
        return tk._("Due date changed from {old} to {new}").format(
            old=date(data.get("old_due_date")), new=date(data["due_date"])
        )
    return ""


# Notes the requester may read in their history: the officer's words on these steps are
# addressed to them (an extension's reason, a released file's title, a published summary).
_NOTES_SHOWN = ("in_process", "extended", "file_attached", "summary_published", "reopened")


def layananpublik_request_event_note(event: dict) -> str:
    return (event.get("note") or "") if event["action"] in _NOTES_SHOWN else ""


def helpers() -> dict:
    return {f.__name__: f for f in (layananpublik_request_event_detail, layananpublik_request_event_note)}
