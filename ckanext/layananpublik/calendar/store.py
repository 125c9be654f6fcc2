"""The working-day calendar every deadline is counted with: the `holidays` package's
Indonesian national holidays and cuti bersama, with the administrators' entries (table
layananpublik_calendar_day) on top (docs: "Working days")."""

from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk

from ckanext.layananpublik.calendar.deadlines import WorkingCalendar
from ckanext.layananpublik.calendar.model import CalendarDay


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
