"""Presentation of the citizen's request pages: translated labels of stored codes, dates in
the page's language and the body's time zone, and the words of each history step.

The views hand this module to the templates as ``lp`` (``lp.date(req.due_date)``);
get_helpers() offers the functions of its own as ``h.layananpublik_request_*`` helpers.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import ckan.plugins.toolkit as tk
from babel.dates import format_date as babel_format_date
from flask import has_app_context
from flask_babel import format_date as flask_format_date

from ckanext.layananpublik import workcalendar
from ckanext.layananpublik.requests import template_helpers
from ckanext.layananpublik.requests import workflow as wf

# Indonesia's three zones have legal abbreviations; other zones use their own.
_ZONE_NAMES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def format_date(day: dt.date, format: str = "medium") -> str:
    """In the page's (or forced) language; outside the web app (a script, a bare action
    call) in the site's default language."""
    if has_app_context():
        return flask_format_date(day, format=format)
    return babel_format_date(day, format=format, locale=tk.config.get("ckan.locale_default") or "id")


# The labels of stored codes are the shared template helpers' (h.layananpublik_label).
label = template_helpers.layananpublik_label
choices = template_helpers.layananpublik_choices


def date(value: str | dt.date | None) -> str:
    """A stored local date ("2026-11-25") as "25 Nov 2026" in the page's language."""
    if not value:
        return ""
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return format_date(day, format="medium")


def when(value: str | None) -> str:
    """A stored instant as date and time in the body's time zone: "25 Nov 2026, 14:05 WIB"."""
    if not value:
        return ""
    instant = dt.datetime.fromisoformat(value)
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=dt.timezone.utc)
    zone = workcalendar.timezone()
    local = instant.astimezone(ZoneInfo(zone))
    return "{date}, {time} {zone}".format(
        date=format_date(local.date(), format="medium"),
        time=local.strftime("%H:%M"),
        zone=_ZONE_NAMES.get(zone, local.tzname() or zone),
    )


def working_days(n: int | None) -> str:
    if n is None:
        return ""
    return tk.ungettext("{n} working day", "{n} working days", n).format(n=n)


def percent(share: float | None) -> str:
    if share is None:
        return "–"
    return f"{round(share * 100)}%"


def event_label(action: str) -> str:
    """The name of a history step, as the requester reads it."""
    return {
        "submitted": tk._("Request received"),
        "in_process": tk._("Being processed"),
        "extended": tk._("Deadline extended"),
        "decided": tk._("Decision notice issued"),
        "file_attached": tk._("Information released"),
        "summary_published": tk._("Summary published in the public register"),
        "deadline_recomputed": tk._("Deadline recomputed after a calendar change"),
        "marked_spam": tk._("Marked as spam"),
        "unmarked_spam": tk._("No longer marked as spam"),
        "objection_filed": tk._("Objection filed"),
        "reopened": tk._("Sent back by the superior after an objection"),
    }.get(action, action)


def event_detail(event: dict) -> str:
    """One line of what a step changed, from its recorded data."""
    data = event.get("data") or {}
    action = event["action"]
    if action == "submitted" and data.get("due_date"):
        return tk._("Answer due by {due}").format(due=date(data["due_date"]))
    if action == "extended" and data.get("due_date"):
        return tk._("Extended by {days}; answer now due by {due}").format(
            days=working_days(data.get("days")), due=date(data["due_date"])
        )
    if action == "decided" and data.get("outcome"):
        return tk._("Outcome: {outcome}").format(outcome=wf.outcome_label(data["outcome"]))
    if action == "deadline_recomputed" and data.get("due_date"):
        return tk._("Due date changed from {old} to {new}").format(
            old=date(data.get("old_due_date")), new=date(data["due_date"])
        )
    return ""


# Notes the requester may read in their history: the officer's words on these steps are
# addressed to them (an extension's reason, a released file's title, a published summary).
_NOTES_SHOWN = ("in_process", "extended", "file_attached", "summary_published", "reopened")


def event_note(event: dict) -> str:
    return (event.get("note") or "") if event["action"] in _NOTES_SHOWN else ""


def get_helpers() -> dict:
    return {
        f"layananpublik_request_{f.__name__}": f
        for f in (date, when, working_days, percent, event_label, event_detail, event_note)
    }
