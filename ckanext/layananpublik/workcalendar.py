"""Working-day calendar entries (table layananpublik_calendar_day).

The deadline logic of requests and objections counts working days against these
entries: Indonesian national holidays and cuti bersama, seeded from the `holidays`
package and editable by administrators (DOMAIN.md, "Working days").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from sqlalchemy.orm import Mapped

from ckanext.layananpublik.requests.deadlines import DEFAULT_TZ, WorkingCalendar

KINDS = ("holiday", "cuti_bersama", "working_day")


class CalendarDay(tk.BaseModel):  # type: ignore[misc]
    __tablename__ = "layananpublik_calendar_day"

    day: Mapped[dt.date] = sa.Column(sa.Date, primary_key=True)  # type: ignore[assignment]
    kind: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False)  # type: ignore[assignment]
    name: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False)  # type: ignore[assignment]
    source: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False)  # type: ignore[assignment]
    updated_at: Mapped[dt.datetime] = sa.Column(  # type: ignore[assignment]
        sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    )


def load_calendar(count_cuti_bersama: bool | None = None) -> WorkingCalendar:
    """The calendar every deadline is counted with: the `holidays` package, the
    administrators' entries on top, and the site's cuti bersama setting."""
    from ckan import model

    holidays_: dict[dt.date, str] = {}
    cuti: dict[dt.date, str] = {}
    working: dict[dt.date, str] = {}
    by_kind = {"holiday": holidays_, "cuti_bersama": cuti, "working_day": working}
    for row in model.Session.query(CalendarDay):
        by_kind[row.kind][row.day] = row.name
    return WorkingCalendar(
        count_cuti_bersama=tk.asbool(tk.config.get("ckanext.layananpublik.calendar.count_cuti_bersama"))
        if count_cuti_bersama is None
        else count_cuti_bersama,
        extra_holidays=holidays_,
        extra_cuti_bersama=cuti,
        working_days=working,
    )


def timezone() -> str:
    return tk.config.get("ckanext.layananpublik.timezone") or DEFAULT_TZ


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


def put_day(day: dt.date, kind: str, name: str, source: str) -> None:
    from ckan import model

    row = model.Session.get(CalendarDay, day)
    if row is None:
        row = CalendarDay(day=day)
        model.Session.add(row)
    row.kind, row.name, row.source, row.updated_at = kind, name, source, dt.datetime.now(dt.timezone.utc)
    model.Session.flush()  # CKAN's session does not autoflush; deadlines are recomputed next


def delete_day(day: dt.date) -> bool:
    from ckan import model

    row = model.Session.get(CalendarDay, day)
    if row is None:
        return False
    model.Session.delete(row)
    model.Session.flush()
    return True


def year_overview(year: int) -> dict:
    """Every non-working weekday of the year and every administrator entry, with why."""
    from ckan import model

    calendar = load_calendar()
    # Cuti bersama are listed even where the site counts them as working days.
    listing = load_calendar(count_cuti_bersama=True)
    entries = {r.day: r for r in model.Session.query(CalendarDay).filter(
        CalendarDay.day >= dt.date(year, 1, 1), CalendarDay.day <= dt.date(year, 12, 31))}  # fmt: skip
    days = []
    day = dt.date(year, 1, 1)
    while day.year == year:
        nwd = listing.non_working(day)
        entry = entries.get(day)
        if entry is not None or (nwd is not None and nwd.kind != "weekend"):
            days.append({
                "day": day.isoformat(),
                "kind": entry.kind if entry else nwd.kind,
                "name": entry.name if entry else nwd.name("id"),
                "name_en": entry.name if entry else nwd.name("en"),
                "source": entry.source if entry else "holidays-package",
                "counts_as_working_day": calendar.is_working_day(day),
            })  # fmt: skip
        day += dt.timedelta(days=1)
    return {
        "year": year,
        "count_cuti_bersama": calendar.count_cuti_bersama,
        "working_days": sum(
            1 for n in range((dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days)
            if calendar.is_working_day(dt.date(year, 1, 1) + dt.timedelta(days=n))
        ),
        "days": days,
    }  # fmt: skip
