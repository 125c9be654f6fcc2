"""Actions on the working-day calendar. A change recomputes the deadlines of open cases."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.layananpublik.calendar import ical, store
from ckanext.layananpublik.calendar import schema as sch
from ckanext.layananpublik.cases.clock import today
from ckanext.layananpublik.cases.schema import validate


def _recompute(context: Any) -> int:
    """Open cases whose deadline moved with the change (requests awaiting a decision,
    objections awaiting the superior's answer): new due dates, each in its history."""
    from ckanext.layananpublik.objections import action as objections
    from ckanext.layananpublik.requests import register

    calendar = store.load_calendar()
    return register.recompute_open_deadlines(calendar, context) + objections.recompute_open_deadlines(
        calendar, context
    )


@tk.side_effect_free
def layananpublik_calendar_day_list(context: Any, data_dict: dict) -> dict:
    """Non-working days of a year, as deadlines count them: national holidays and cuti
    bersama from the `holidays` package, and administrators' entries (which win).

    :param year: the year (default: this year)
    """
    tk.check_access("layananpublik_calendar_day_list", context, data_dict)
    data = validate(data_dict, sch.list_schema(), context)
    return store.year_overview(data.get("year") or today().year)


def layananpublik_calendar_day_update(context: Any, data_dict: dict) -> dict:
    """Add or change one calendar day (sysadmins). Open requests' deadlines are recomputed.

    :param day: YYYY-MM-DD
    :param kind: holiday, cuti_bersama or working_day (a day declared working)
    :param name: what it is, e.g. "Cuti bersama Idulfitri"
    """
    tk.check_access("layananpublik_calendar_day_update", context, data_dict)
    data = validate(data_dict, sch.day_schema(), context)
    store.put_day(data["day"], data["kind"], data["name"], "manual")
    recomputed = _recompute(context)
    model.Session.commit()
    return {
        "day": data["day"].isoformat(),
        "kind": data["kind"],
        "name": data["name"],
        "recomputed": recomputed,
    }


def layananpublik_calendar_day_delete(context: Any, data_dict: dict) -> dict:
    """Remove an administrator's calendar entry (sysadmins); the package's default applies again.

    :param day: YYYY-MM-DD
    """
    tk.check_access("layananpublik_calendar_day_delete", context, data_dict)
    data = validate(data_dict, sch.day_delete_schema(), context)
    if not store.delete_day(data["day"]):
        raise tk.ObjectNotFound(tk._("No calendar entry on that day"))
    recomputed = _recompute(context)
    model.Session.commit()
    return {"day": data["day"].isoformat(), "recomputed": recomputed}


def layananpublik_calendar_import(context: Any, data_dict: dict) -> dict:
    """Import whole-day events of an iCalendar file as holidays or cuti bersama (sysadmins).

    :param ical: the file's text (or an upload)
    :param kind: holiday (default) or cuti_bersama, for events whose name does not say
    """
    tk.check_access("layananpublik_calendar_import", context, data_dict)
    data = validate(data_dict, sch.import_schema(), context)
    text = data["ical"]
    if hasattr(text, "read") or hasattr(text, "stream"):
        raw = (getattr(text, "stream", None) or text).read(2_000_000)
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    try:
        days = ical.parse_ical(str(text), data["kind"])
    except ical.ICalError as exc:
        raise tk.ValidationError(
            {"ical": [tk._("This is not a usable iCalendar file: {error}").format(error=exc)]}
        ) from None
    for day in days:
        store.put_day(day.day, day.kind, day.name, "ical")
    recomputed = _recompute(context)
    model.Session.commit()
    return {"imported": len(days), "recomputed": recomputed,
            "days": [{"day": d.day.isoformat(), "kind": d.kind, "name": d.name} for d in days]}  # fmt: skip
