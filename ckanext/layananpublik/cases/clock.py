"""The time of a case: the instant something happened, and "today" as the body sees it.

Dates of receipt, deadlines and registration years are local dates in the body's time
zone (WIB, WITA or WIT); the site's setting is that zone.
"""

from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk

from ckanext.layananpublik.calendar.deadlines import DEFAULT_TZ, local_date


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def timezone() -> str:
    return tk.config.get("ckanext.layananpublik.timezone") or DEFAULT_TZ


def local_day(instant: dt.datetime) -> dt.date:
    """The date of an instant in the body's time zone."""
    return local_date(instant, timezone())


def today() -> dt.date:
    """Today's date in the body's time zone."""
    return local_day(now())
