"""Dates, times, working days, counts, shares and money as the reader's language writes them, in
pages and emails alike (h.layananpublik_date, h.layananpublik_money, ...)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

import ckan.plugins.toolkit as tk
from babel.dates import format_date as babel_format_date
from flask import has_app_context
from flask_babel import format_currency, format_decimal, format_percent
from flask_babel import format_date as flask_format_date
from flask_babel import format_time as flask_format_time

from ckanext.layananpublik.cases.clock import timezone

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
    zone = timezone()
    local = instant.astimezone(ZoneInfo(zone))
    return "{date}, {time} {zone}".format(
        date=format_date(local.date(), format="medium"),
        time=local.strftime("%H:%M"),
        zone=_ZONE_NAMES.get(zone, local.tzname() or zone),
    )


def layananpublik_date(value: str | None) -> str:
    """An ISO date as "25 Nov 2026", a timestamp as "25 Nov 2026, 06:30 WIB" (in the body's
    time zone), in the page's language."""
    if not value:
        return ""
    return when(value) if "T" in value else date(value)


def layananpublik_working_days(n: int | None) -> str:
    if n is None:
        return ""
    return tk.ungettext("{n} working day", "{n} working days", n).format(n=n)


def layananpublik_percent(share: float | None) -> str:
    """A share 0–1 as the page's language writes a percentage ("88%"); "–" when there is none."""
    if share is None:
        return "–"
    return format_percent(share)


def layananpublik_number(value: Any, places: int | None = None) -> str:
    """A count or a figure as the page's language writes it: "1.234.567" and "2,5" in
    Indonesian, "1,234,567" and "2.5" in English; with `places`, that many decimals
    ("81,25"); "–" when there is none."""
    if value is None or value == "":
        return "–"
    if places is None:
        return format_decimal(value)
    return format_decimal(value, format="#,##0." + "0" * places if places else "#,##0")


def layananpublik_money(value: Any) -> str:
    """An amount in rupiah as the page's language writes it: "Rp 5.000", "Rp 5.000,50";
    in English "IDR 5,000"."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    pattern = "¤ #,##0" if amount == amount.to_integral_value() else "¤ #,##0.00"
    return format_currency(amount, "IDR", format=pattern, currency_digits=False)


@tk.chained_helper
def render_datetime(
    next_helper: Any,
    datetime_: Any,
    date_format: str | None = None,
    with_hours: bool = False,
    with_seconds: bool = False,
) -> str:
    """CKAN's h.render_datetime, with the date of a date and time in the page's language's
    order: core writes it with an English pattern in every language ("Desember 5, 2026, 18:24
    (UTC)" on the Indonesian site); here "5 Desember 2026, 18:24 (UTC)" and "December 5, 2026,
    18:24 (UTC)". Everything else is core's (the time zone shown is CKAN's display zone)."""
    if date_format or with_seconds or not with_hours:
        return next_helper(datetime_, date_format, with_hours, with_seconds)
    value = datetime_
    if isinstance(value, str):
        try:
            value = tk.h.date_str_to_datetime(value)
        except (TypeError, ValueError):
            return ""
    if not isinstance(value, dt.datetime):
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)  # CKAN keeps UTC
    return "{date}, {time}".format(
        date=flask_format_date(value, format="long"), time=flask_format_time(value, format="HH:mm (z)")
    )


def helpers() -> dict:
    return {
        f.__name__: f
        for f in (layananpublik_date, layananpublik_working_days, layananpublik_percent, layananpublik_number,
                  layananpublik_money, render_datetime)
    }
