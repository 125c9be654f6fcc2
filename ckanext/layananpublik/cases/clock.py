"""The time of a case: the instant something happened, and "today" as the body sees it.

Dates of receipt, deadlines and registration years are local dates in the body's time zone:
WIB, WITA or WIT, set per body (organisation extra `ppid_timezone`), the site's setting
otherwise."""

from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk

from ckanext.layananpublik.calendar.deadlines import DEFAULT_TZ, local_date

# Indonesia's three zones, by their legal abbreviation (a body may also name the zone itself).
ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
KNOWN = frozenset(ZONES.values()) | {"Asia/Pontianak"}


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def body_zone(value: str | None) -> str | None:
    """A body's `ppid_timezone` as a zone name: "WITA" → "Asia/Makassar"; None if not one."""
    if not value:
        return None
    zone = ZONES.get(value.strip().upper(), value.strip())
    return zone if zone in KNOWN else None


def timezone(organization_id: str | None = None) -> str:
    """The body's time zone (its `ppid_timezone` extra), else the site's."""
    if organization_id:
        from ckan import model

        org = model.Group.get(organization_id)  # the session's identity map: one query per body
        zone = body_zone(org.extras.get("ppid_timezone")) if org is not None else None
        if zone:
            return zone
    return tk.config.get("ckanext.layananpublik.timezone") or DEFAULT_TZ


def local_day(instant: dt.datetime, organization_id: str | None = None) -> dt.date:
    """The date of an instant in the body's time zone."""
    return local_date(instant, timezone(organization_id))


def today(organization_id: str | None = None) -> dt.date:
    """Today's date in the body's time zone (the site's when no body is named)."""
    return local_day(now(), organization_id)
