"""Whole-day events of an iCalendar file (RFC 5545) as calendar entries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import ckan.plugins.toolkit as tk


@dataclass(frozen=True)
class ImportedDay:
    day: dt.date
    kind: str
    name: str


class ICalError(ValueError):
    pass


def _unfold(text: str) -> list[str]:
    # RFC 5545 3.1: a line starting with a space or tab continues the previous one.
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] += raw[1:]
        elif raw.strip():
            lines.append(raw)
    return lines


def _parse_date(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value[:8], "%Y%m%d").date()
    except ValueError as exc:
        raise ICalError(tk._("not an iCalendar date: {value}").format(value=repr(value))) from exc


def _unescape(value: str) -> str:
    return (
        value.replace("\\n", " ")
        .replace("\\N", " ")
        .replace("\\,", ",")
        .replace("\\;", ";")
        .replace("\\\\", "\\")
    )


def parse_ical(text: str, default_kind: str = "holiday") -> list[ImportedDay]:
    """Whole-day events of an iCalendar file (e.g. a government holiday calendar) as
    calendar entries. An event whose summary mentions cuti bersama becomes one; every
    day of a multi-day event is listed (DTEND is exclusive, RFC 5545)."""
    if default_kind not in ("holiday", "cuti_bersama"):
        raise ValueError(default_kind)
    lines = _unfold(text)
    if not lines or lines[0].strip().upper() != "BEGIN:VCALENDAR":
        raise ICalError(tk._("not an iCalendar file (no BEGIN:VCALENDAR)"))
    days: dict[dt.date, ImportedDay] = {}
    event: dict[str, str] | None = None
    for line in lines:
        name, _, value = line.partition(":")
        key = name.split(";", 1)[0].strip().upper()
        if key == "BEGIN" and value.strip().upper() == "VEVENT":
            event = {}
        elif key == "END" and value.strip().upper() == "VEVENT":
            if event is None or "DTSTART" not in event:
                raise ICalError(tk._("an event has no DTSTART"))
            start = _parse_date(event["DTSTART"])
            end = _parse_date(event["DTEND"]) if "DTEND" in event else start + dt.timedelta(days=1)
            if end <= start:
                end = start + dt.timedelta(days=1)
            if (end - start).days > 31:
                raise ICalError(
                    tk._("an event of {days} days is not a holiday").format(days=(end - start).days)
                )
            summary = _unescape(event.get("SUMMARY", "")).strip() or "?"
            kind = "cuti_bersama" if "cuti bersama" in summary.lower() else default_kind
            day = start
            while day < end:
                days[day] = ImportedDay(day, kind, summary[:200])
                day += dt.timedelta(days=1)
            event = None
        elif event is not None and key in ("DTSTART", "DTEND", "SUMMARY"):
            event[key] = value.strip()
    return sorted(days.values(), key=lambda d: d.day)
