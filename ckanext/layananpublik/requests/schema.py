"""navl schemas of the request actions (what each action accepts)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.layananpublik.requests import validators as v
from ckanext.layananpublik.requests import workflow as wf


def _text(field: str, required: bool = False) -> list:
    ignore_missing = tk.get_validator("ignore_missing")
    not_empty = tk.get_validator("not_empty")
    return (
        [not_empty if required else ignore_missing, tk.get_validator("unicode_safe"), v.plain_text]
        + ([not_empty] if required else [v.empty_to_none])
        + [v.max_length(field)]
    )


def request_create_schema() -> dict:
    not_empty = tk.get_validator("not_empty")
    ignore_missing = tk.get_validator("ignore_missing")
    unicode_safe = tk.get_validator("unicode_safe")
    return {
        "organization_id": [not_empty, unicode_safe, tk.get_validator("group_id_or_name_exists")],
        "requester_type": [not_empty, unicode_safe, v.choice(wf.REQUESTER_TYPES)],
        "name": _text("name", required=True),
        "nik": [ignore_missing, unicode_safe, v.plain_text, v.empty_to_none, v.nik],
        "entity_decree_number": _text("entity_decree_number"),
        "address": _text("address", required=True),
        "phone": [ignore_missing, unicode_safe, v.plain_text, v.empty_to_none, v.phone],
        "email": [
            ignore_missing,
            unicode_safe,
            v.plain_text,
            v.empty_to_none,
            v.max_length("email"),
            v.email,
        ],
        "occupation": _text("occupation", required=True),
        "information_requested": _text("information_requested", required=True),
        "purpose": _text("purpose", required=True),
        "obtain_method": [not_empty, unicode_safe, v.choice(wf.OBTAIN_METHODS)],
        "delivery_method": [not_empty, unicode_safe, v.choice(wf.DELIVERY_METHODS)],
        "package_id": [
            v.empty_to_none,
            ignore_missing,
            unicode_safe,
            tk.get_validator("package_id_or_name_exists"),
        ],
        "identity_document": [ignore_missing],
        "website": [v.honeypot],  # the honeypot: hidden from people by the form's CSS
        "__after": [v.requester_identity],
    }


def request_ref_schema() -> dict:
    """How a request is named: its id, its registration number or its tracking token."""
    ignore_missing = tk.get_validator("ignore_missing")
    unicode_safe = tk.get_validator("unicode_safe")
    return {
        "id": [ignore_missing, unicode_safe],
        "registration_number": [ignore_missing, unicode_safe],
        "tracking_token": [ignore_missing, unicode_safe],
    }


def request_list_schema() -> dict:
    ignore_missing = tk.get_validator("ignore_missing")
    unicode_safe = tk.get_validator("unicode_safe")
    boolean = tk.get_validator("boolean_validator")
    natural = tk.get_validator("natural_number_validator")
    return {
        "scope": [tk.get_validator("default")("public"), unicode_safe, v.choice(("public", "inbox", "mine"))],
        "organization_id": [ignore_missing, unicode_safe, tk.get_validator("group_id_or_name_exists")],
        "year": [ignore_missing, natural],
        "status": [ignore_missing, unicode_safe, v.choice(wf.STATUSES)],
        "outcome": [ignore_missing, unicode_safe, v.choice(wf.OUTCOMES)],
        "overdue": [ignore_missing, boolean],
        "due_before": [ignore_missing, v.iso_date],
        "include_spam": [ignore_missing, boolean],
        "q": [ignore_missing, unicode_safe, v.plain_text, v.max_length("q")],
        "sort": [tk.get_validator("default")("newest"), unicode_safe, v.choice(("newest", "oldest", "due", "decided"))],
        "limit": [tk.get_validator("default")(20), natural, tk.get_validator("limit_to_configured_maximum")(
            "ckanext.layananpublik.request.list_limit_max", 1000)],
        "offset": [tk.get_validator("default")(0), natural],
    }  # fmt: skip


def request_extend_schema() -> dict:
    schema = request_ref_schema()
    schema.update(
        {"days": [tk.get_validator("not_empty"), v.working_days], "reason": _text("extension_reason", True)}
    )
    return schema


def request_note_schema() -> dict:
    schema = request_ref_schema()
    schema["note"] = _text("decision_note")
    return schema


def request_decide_schema() -> dict:
    ignore_missing = tk.get_validator("ignore_missing")
    unicode_safe = tk.get_validator("unicode_safe")
    schema = request_ref_schema()
    schema.update(
        {
            "outcome": [tk.get_validator("not_empty"), unicode_safe, v.choice(wf.OUTCOMES)],
            "refusal_grounds": [ignore_missing, v.grounds],
            "referral_body": _text("referral_body"),
            "information_given": _text("information_given"),
            "redactions": _text("redactions"),
            "release_format": [ignore_missing, unicode_safe, v.empty_to_none, v.choice(wf.RELEASE_FORMATS + (None,))],
            "release_delivery": [ignore_missing, unicode_safe, v.empty_to_none, v.choice(wf.DELIVERY_METHODS + (None,))],
            "fee": [ignore_missing, v.fee],
            "fee_note": _text("fee_note"),
            "decision_note": _text("decision_note"),
            "handed_over_date": [ignore_missing, v.iso_date],
            "__after": [v.decision_fields],
        }
    )  # fmt: skip
    return schema


def request_attach_schema() -> dict:
    ignore_missing = tk.get_validator("ignore_missing")
    unicode_safe = tk.get_validator("unicode_safe")
    schema = request_ref_schema()
    schema.update(
        {
            "title": _text("title", required=True),
            "upload": [ignore_missing],
            "url": [v.empty_to_none, ignore_missing, unicode_safe, v.plain_text, tk.get_validator("url_validator")],
            "package_id": [v.empty_to_none, ignore_missing, unicode_safe, tk.get_validator("package_id_or_name_exists")],
        }
    )  # fmt: skip
    return schema


def request_spam_schema() -> dict:
    schema = request_ref_schema()
    schema.update({"spam": [tk.get_validator("default")(True), tk.get_validator("boolean_validator")],
                   "reason": _text("spam_reason")})  # fmt: skip
    return schema


def request_summary_schema() -> dict:
    schema = request_ref_schema()
    schema["public_summary"] = _text("public_summary")
    return schema


def request_file_schema() -> dict:
    schema = request_ref_schema()
    schema["file_id"] = [tk.get_validator("not_empty"), tk.get_validator("unicode_safe")]
    return schema


def register_schema() -> dict:
    return {
        "organization_id": [tk.get_validator("ignore_missing"), tk.get_validator("unicode_safe"),
                            tk.get_validator("group_id_or_name_exists")],
        "year": [tk.get_validator("ignore_missing"), tk.get_validator("natural_number_validator")],
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


def calendar_day_schema() -> dict:
    return {
        "day": [tk.get_validator("not_empty"), v.iso_date],
        "kind": [tk.get_validator("not_empty"), tk.get_validator("unicode_safe"),
                 v.choice(("holiday", "cuti_bersama", "working_day"))],
        "name": _text("title", required=True),
    }  # fmt: skip


def calendar_day_delete_schema() -> dict:
    return {"day": [tk.get_validator("not_empty"), v.iso_date]}


def calendar_list_schema() -> dict:
    return {"year": [tk.get_validator("ignore_missing"), tk.get_validator("natural_number_validator")]}


def calendar_import_schema() -> dict:
    return {
        "ical": [tk.get_validator("not_empty")],
        "kind": [tk.get_validator("default")("holiday"), tk.get_validator("unicode_safe"),
                 v.choice(("holiday", "cuti_bersama"))],
    }  # fmt: skip
