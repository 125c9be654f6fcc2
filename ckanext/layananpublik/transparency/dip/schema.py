"""navl schemas of the DIP actions (what each action accepts)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.layananpublik.transparency.dip import fields

PASAL_17 = tuple("abcdefghij")


def _list_of(choices: tuple[str, ...], required: bool = False):
    def validator(value: Any, context: Any) -> list[str]:
        items = fields.as_list(value)
        unknown = [i for i in items if i not in choices]
        if unknown:
            raise tk.Invalid(tk._("Unknown value: {values}").format(values=", ".join(unknown)))
        if required and not items:
            raise tk.Invalid(tk._("Missing value"))
        return [c for c in choices if c in items]

    return validator


def _date(value: Any, context: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise tk.Invalid(tk._("Date format incorrect (use YYYY-MM-DD)")) from None


def _at_most(max_length: int):
    def length(value: Any, context: Any) -> Any:
        if isinstance(value, str) and len(value) > max_length:
            raise tk.Invalid(tk._("At most {n} characters").format(n=max_length))
        return value

    return length


def _text(required: bool = False, max_length: int = 2000) -> list:
    length = _at_most(max_length)
    v = tk.get_validator
    if required:
        return [v("not_empty"), v("unicode_safe"), v("strip_value"), v("not_empty"), length]
    return [v("ignore_missing"), v("unicode_safe"), v("strip_value"), length]


def _url(value: Any, context: Any) -> Any:
    if value and not str(value).startswith(("http://", "https://", "/")):
        raise tk.Invalid(tk._("Please provide a valid URL"))
    return value or None


def _org() -> list:
    return [
        tk.get_validator("not_empty"),
        tk.get_validator("unicode_safe"),
        tk.get_validator("group_id_or_name_exists"),
    ]


def _id() -> list:
    return [tk.get_validator("not_empty"), tk.get_validator("unicode_safe")]


def dip_list_schema() -> dict:
    v = tk.get_validator
    return {
        "organization": [v("ignore_empty"), v("unicode_safe"), v("group_id_or_name_exists")],
        "category": [v("ignore_empty"), v("unicode_safe"), fields.one_of(fields.DIP_CATEGORIES)],
        # Capped before anything else reads it (the search runs ILIKE over four columns).
        "q": [v("ignore_empty"), v("unicode_safe"), _at_most(fields.MAX_Q), v("strip_value")],
        "limit": [v("ignore_empty"), v("natural_number_validator"), v("int_validator")],
        "offset": [v("ignore_empty"), v("natural_number_validator"), v("int_validator")],
    }


def dip_csv_schema() -> dict:
    """The DIP list's filters (the CSV has every row)."""
    schema = dip_list_schema()
    del schema["limit"], schema["offset"]
    return schema


def dip_item_create_schema() -> dict:
    v = tk.get_validator
    return {
        "organization_id": _org(),
        "category": [v("not_empty"), v("unicode_safe"), fields.one_of(fields.DIP_CATEGORIES)],
        "berkala_items": [v("ignore_missing"), _list_of(fields.BERKALA_ITEMS)],
        "title": _text(required=True, max_length=500),
        "summary": _text(),
        "url": [v("ignore_missing"), v("unicode_safe"), v("strip_value"), _url],
        "holding_unit": _text(max_length=fields.MAX_TEXT),
        "responsible_officer": _text(max_length=fields.MAX_TEXT),
        "made_time_place": _text(max_length=fields.MAX_TEXT),
        "forms": [v("ignore_missing"), _list_of(fields.FORMS)],
        "retention_period": _text(max_length=fields.MAX_TEXT),
    }


def dip_item_update_schema() -> dict:
    schema = dip_item_create_schema()
    schema["id"] = _id()
    schema.pop("organization_id")
    for key in ("category", "title"):
        schema[key] = [tk.get_validator("ignore_missing")] + schema[key][1:]
    return schema


def id_schema() -> dict:
    return {"id": _id()}


def exempt_item_create_schema() -> dict:
    v = tk.get_validator
    return {
        "organization_id": _org(),
        "package_id": [v("ignore_empty"), v("unicode_safe"), v("package_id_or_name_exists")],
        "information_type": _text(required=True, max_length=500),
        "grounds": [v("not_empty"), _list_of(PASAL_17, required=True)],
        "legal_basis": _text(max_length=1000),
        "holding_unit": _text(max_length=fields.MAX_TEXT),
        "exemption_period": _text(required=True, max_length=200),
        "exempt_until": [v("ignore_missing"), _date],
        "deciding_officer": _text(required=True, max_length=fields.MAX_TEXT),
        "reasons": _text(required=True),
        "consequence": _text(required=True),
        "public_interest": _text(required=True),
        "decided_place": _text(required=True, max_length=200),
        "decided_date": [v("not_empty"), _date, v("not_empty")],
    }


def exempt_item_update_schema() -> dict:
    schema = exempt_item_create_schema()
    schema["id"] = _id()
    schema.pop("organization_id")
    ignore_missing = tk.get_validator("ignore_missing")
    for key, chain in schema.items():
        if key != "id" and chain and chain[0] is tk.get_validator("not_empty"):
            schema[key] = [ignore_missing] + [c for c in chain[1:] if c is not tk.get_validator("not_empty")]
    return schema


def exempt_item_list_schema() -> dict:
    v = tk.get_validator
    return {"organization": [v("ignore_empty"), v("unicode_safe"), v("group_id_or_name_exists")]}


def checklist_schema() -> dict:
    return {"organization": _org()}


def _not_future(value: Any, context: Any) -> Any:
    from ckanext.layananpublik.cases.clock import today

    if isinstance(value, dt.date) and value > today():
        raise tk.Invalid(tk._("The date cannot be in the future"))
    return value


def determination_schema() -> dict:
    v = tk.get_validator
    return {
        "organization_id": _org(),
        "number": _text(required=True, max_length=200),
        "decided_date": [v("not_empty"), _date, v("not_empty"), _not_future],
        "decided_by": _text(max_length=fields.MAX_TEXT),
    }


def determination_show_schema() -> dict:
    return {"organization_id": _org()}
