"""Schema parts every case type uses: validation, text fields, how a case is named, the
register's and the statistics' parameters, paging."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.layananpublik.cases import validators as v


def validate(data_dict: dict, schema: dict, context: Any) -> dict:
    """navl validation that raises the errors (tk.validate_action_data would not let an
    action validate before its own access check, which needs the case found first)."""
    data, errors = tk.navl_validate(data_dict, schema, context)
    if errors:
        raise tk.ValidationError(errors)
    return data


def text(field: str, required: bool = False) -> list:
    """A plain-text field, bounded by its MAX_LENGTHS entry."""
    ignore_missing = tk.get_validator("ignore_missing")
    not_empty = tk.get_validator("not_empty")
    return (
        [not_empty if required else ignore_missing, tk.get_validator("unicode_safe"), v.plain_text]
        + ([not_empty] if required else [v.empty_to_none])
        + [v.max_length(field)]
    )


def email() -> list:
    return [tk.get_validator("ignore_missing"), tk.get_validator("unicode_safe"), v.plain_text,
            v.empty_to_none, v.max_length("email"), v.email]  # fmt: skip


def phone() -> list:
    return [tk.get_validator("ignore_missing"), tk.get_validator("unicode_safe"), v.plain_text,
            v.empty_to_none, v.phone]  # fmt: skip


def body() -> list:
    return [tk.get_validator("not_empty"), tk.get_validator("unicode_safe"),
            tk.get_validator("group_id_or_name_exists")]  # fmt: skip


def choice(options: tuple[str, ...], default: str | None = None) -> list:
    first = tk.get_validator("default")(default) if default else tk.get_validator("not_empty")
    return [first, tk.get_validator("unicode_safe"), v.choice(options)]


def ref_schema(*keys: str) -> dict:
    """How a case is named: its id, its registration number or its tracking token."""
    ignore_missing = tk.get_validator("ignore_missing")
    unicode_safe = tk.get_validator("unicode_safe")
    return {k: [ignore_missing, unicode_safe] for k in keys or ("id", "registration_number", "tracking_token")}


def paging() -> dict:
    natural = tk.get_validator("natural_number_validator")
    return {
        "limit": [tk.get_validator("default")(20), natural, tk.get_validator("limit_to_configured_maximum")(
            "ckanext.layananpublik.request.list_limit_max", 1000)],
        "offset": [tk.get_validator("default")(0), natural],
    }  # fmt: skip


def register_schema() -> dict:
    return {
        "organization_id": [tk.get_validator("ignore_missing"), tk.get_validator("unicode_safe"),
                            tk.get_validator("group_id_or_name_exists")],
        "year": [tk.get_validator("ignore_missing"), v.year],
    }  # fmt: skip


def stats_schema() -> dict:
    """The statistics actions': a year, a body, and optionally the days received within it."""
    schema = register_schema()
    schema.update(
        {
            "date_from": [tk.get_validator("ignore_missing"), v.iso_date],
            "date_to": [tk.get_validator("ignore_missing"), v.iso_date],
            "__after": [stats_period],
        }
    )
    return schema


def stats_period(key: Any, data: dict, errors: dict, context: Any) -> None:
    """date_from and date_to lie in one registration year (`year`; if not given, theirs,
    which becomes `year`), and date_from is not after date_to. navl has run every validator
    of a field even after one refused it: a field that already has an error is left alone."""
    days = {}
    for field in ("date_from", "date_to"):
        value = data.get((field,))
        if isinstance(value, dt.datetime):  # in-process callers: the day of a time
            value = data[(field,)] = value.date()
        if isinstance(value, dt.date) and not errors.get((field,)):
            days[field] = value
    if not days:
        return
    year = data.get(("year",))
    if not errors.get(("year",)):  # a refused year has its own error; nothing to hold days to
        if not isinstance(year, int):
            year = data[("year",)] = next(iter(days.values())).year
        for field, day in days.items():
            if day.year != year:
                errors[(field,)].append(
                    tk._("Statistics cover one year: choose a date in {year}").format(year=year)
                )
    first, last = days.get("date_from"), days.get("date_to")
    if first and last and first > last and not errors[("date_from",)] and not errors[("date_to",)]:
        errors[("date_to",)].append(tk._("The end date must not be before the start date"))


def checked(context: Any, data_dict: dict, schema: dict, auth: str) -> dict:
    """The start of every list, register and statistics action: validate, name the body by its
    id, check access with what was validated."""
    data = validate(data_dict, schema, context)
    body_id(data)
    tk.check_access(auth, context, data)
    return data


def body_id(data: dict) -> None:
    """Replace a validated organization_id (id or name) by the organisation's id."""
    from ckan import model

    if data.get("organization_id"):
        data["organization_id"] = model.Group.get(data["organization_id"]).id


def stats_filter(
    organization_id: str | None, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> tuple[str, dict]:
    """The conditions of the statistics queries beyond their year (for `{org_filter}`), with
    their parameters: one body, and the days received (received_date, the day in the body's
    time zone), both ends included."""
    conditions: list[str] = []
    params: dict[str, Any] = {}
    for condition, name, value in (("organization_id = :org", "org", organization_id),
                                   ("received_date >= :date_from", "date_from", date_from),
                                   ("received_date <= :date_to", "date_to", date_to)):  # fmt: skip
        if value:
            conditions.append("AND " + condition)
            params[name] = value
    return " ".join(conditions), params
