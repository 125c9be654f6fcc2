"""What every case's dict has in common: ISO values, the body, the history's events, and
the days left before a deadline (computed once, next to the due date)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.layananpublik.calendar.deadlines import WorkingCalendar, working_days_between
from ckanext.layananpublik.cases.events import jsonable as iso

__all__ = ["iso", "organization", "display_name", "event_dict", "history", "current_lang", "days_left"]


def organization(org_id: str) -> dict:
    org = model.Group.get(org_id)
    return {"id": org.id, "name": org.name, "title": org.title} if org else {"id": org_id}


def display_name(user_id: str | None) -> str | None:
    user = model.User.get(user_id) if user_id else None
    return user.display_name if user else None


def event_dict(e: Any) -> dict:
    actor = model.User.get(e.actor_id) if e.actor_id else None
    return {
        "at": iso(e.at),
        "action": e.action,
        "actor_role": e.actor_role,
        # Officers are named (accountability); the requester is not, in their own history.
        "actor": actor.display_name if actor and e.actor_role == "officer" else None,
        "note": e.note,
        "data": e.data,
    }


def history(table: Any, **parent: str) -> list[dict]:
    """A case's history, oldest first (`parent`: request_id=... or parent_id=...)."""
    return [event_dict(e) for e in model.Session.query(table).filter_by(**parent).order_by(table.id)]


def current_lang() -> str:
    """The language of the page or API call; the site default outside a web request."""
    try:
        lang = tk.h.lang()
    except RuntimeError:  # no request: a background job or the command line
        lang = tk.config.get("ckan.locale_default")
    return "en" if lang == "en" else "id"


def days_left(due: dt.date, today: dt.date, calendar: WorkingCalendar) -> int:
    """Working days from today to the due date (0: due today; negative: working days overdue)."""
    if due >= today:
        return working_days_between(today, due, calendar)
    return -working_days_between(due, today, calendar)
