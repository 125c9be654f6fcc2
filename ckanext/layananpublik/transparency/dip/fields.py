"""The DIP fields of a dataset, kept as package extras so they work with CKAN's default
schema (plugin.py adds them to the fallback dataset form; ckanext-scheming users get the
same fields from scheming_fields.yaml).

A list field (berkala_items, forms) is stored as one comma-separated extra ("a,c,k"; a
ckanext-scheming multiple-choice field stores a JSON list instead: both are read) and shown
as a list.
"""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import Missing

CATEGORIES = ("berkala", "serta_merta", "setiap_saat", "dikecualikan")
# The DIP lists the first three; exempt information goes to the DIK.
DIP_CATEGORIES = ("berkala", "serta_merta", "setiap_saat")
BERKALA_ITEMS = tuple("abcdefghijk")
FORMS = ("softcopy", "hardcopy")
TEXT_FIELDS = ("holding_unit", "responsible_officer", "made_time_place", "retention_period")
FIELDS = ("information_category", "berkala_items", *TEXT_FIELDS, "forms")
LIST_FIELDS = ("berkala_items", "forms")
MAX_TEXT = 500
# The DIP's search text.
MAX_Q = 200


def category_labels() -> dict[str, str]:
    return {
        "berkala": tk._("Periodic (berkala)"),
        "serta_merta": tk._("Immediate (serta merta)"),
        "setiap_saat": tk._("Available at any time (setiap saat)"),
        "dikecualikan": tk._("Exempt (dikecualikan)"),
    }


def csv_header() -> list[str]:
    """The DIP's columns (Perki 1/2021) as the pages name them."""
    return [tk._("No."), tk._("Information category"), tk._("Berkala items"), tk._("Summary of the information"),
            tk._("Longer description"), tk._("Public body"), tk._("Official or unit holding the information"),
            tk._("Responsible for making or publishing"), tk._("Time and place made"), tk._("Form of the information"),
            tk._("Retention period"), tk._("Address (URL) where it can be read")]  # fmt: skip


def berkala_labels() -> dict[str, str]:
    """The 11 berkala items of Perki 1/2021 (Pasal 9 UU 14/2008), by letter."""
    return {
        "a": tk._("Profile of the public body"),
        "b": tk._("Summary of programmes and activities"),
        "c": tk._("Summary of performance"),
        "d": tk._("Summary of the financial report"),
        "e": tk._("Summary of the information-access report"),
        "f": tk._("Regulations, decisions and policies"),
        "g": tk._("Procedures for requests, objections and disputes"),
        "h": tk._("Procedure for complaints of abuse of authority"),
        "i": tk._("Procurement of goods and services"),
        "j": tk._("Employment and recruitment"),
        "k": tk._("Early-warning and evacuation procedures"),
    }


def form_labels() -> dict[str, str]:
    return {"softcopy": tk._("Softcopy"), "hardcopy": tk._("Hardcopy")}


def as_list(value: Any) -> list[str]:
    """A list field's value as given by the form, the API or the stored extra: "a,d" (the
    fallback form) or '["a", "d"]' (ckanext-scheming's multiple-choice fields)."""
    if value is None or isinstance(value, Missing):
        return []
    if isinstance(value, str) and value.lstrip().startswith("["):
        try:
            value = json.loads(value)
        except ValueError:
            value = value.strip("[]").replace('"', "").split(",")
    if isinstance(value, str):
        value = value.split(",")
    return [str(v).strip() for v in value if str(v).strip()]


def _list_of(choices: tuple[str, ...]):
    def validator(value: Any, context: Any) -> Any:
        items = as_list(value)
        unknown = [i for i in items if i not in choices]
        if unknown:
            raise tk.Invalid(tk._("Unknown value: {values}").format(values=", ".join(unknown)))
        # Stored in the legal order, without repeats.
        return ",".join(c for c in choices if c in items)

    return validator


def _max_length(value: Any, context: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise tk.Invalid(tk._("At most {n} characters").format(n=MAX_TEXT))
    return value


def one_of(choices: tuple[str, ...]):
    """A validator: the value is one of `choices` (the DIP's own code lists)."""

    def validator(value: Any, context: Any) -> Any:
        if value not in choices:
            raise tk.Invalid(tk._("Choose one of: {values}").format(values=", ".join(choices)))
        return value

    return validator


def consistent(key: Any, data: dict, errors: dict, context: Any) -> None:
    """Rules between fields: berkala information names its items (a–k); only berkala
    information has items; exempt information is never public (the dataset is private).
    The fallback form runs it after its fields; ckanext-scheming schemas name it in
    `after_validators` (registered as layananpublik_dip_consistent)."""
    category = data.get(("information_category",))
    items = data.get(("berkala_items",))
    if isinstance(category, Missing):
        category = None
    items = as_list(items)  # a scheming field gives "[]" when nothing is ticked
    if category == "berkala" and not items:
        errors.setdefault(("berkala_items",), []).append(
            tk._("Periodic (berkala) information must name at least one of the items a–k")
        )
    if items and category != "berkala":
        errors.setdefault(("berkala_items",), []).append(
            tk._("Only periodic (berkala) information has berkala items")
        )
    if category == "dikecualikan" and not tk.asbool(data.get(("private",), False)):
        errors.setdefault(("information_category",), []).append(
            tk._("Exempt (dikecualikan) information must not be public: make the dataset private")
        )


def _input_fields() -> dict[str, list]:
    ignore_empty = tk.get_validator("ignore_empty")
    unicode_safe = tk.get_validator("unicode_safe")
    to_extras = tk.get_converter("convert_to_extras")
    strip = tk.get_validator("strip_value")
    fields = {
        "information_category": [ignore_empty, unicode_safe, one_of(CATEGORIES), to_extras],
        "berkala_items": [ignore_empty, _list_of(BERKALA_ITEMS), ignore_empty, to_extras],
        "forms": [ignore_empty, _list_of(FORMS), ignore_empty, to_extras],
    }
    for name in TEXT_FIELDS:
        fields[name] = [ignore_empty, unicode_safe, strip, ignore_empty, _max_length, to_extras]
    return fields


def input_schema(schema: dict) -> dict:
    schema.update(_input_fields())
    schema.setdefault("__after", []).append(consistent)
    return schema


def _split(value: Any, context: Any) -> Any:
    return as_list(value)


def show_schema(schema: dict) -> dict:
    from_extras = tk.get_converter("convert_from_extras")
    ignore_missing = tk.get_validator("ignore_missing")
    for name in FIELDS:
        schema[name] = [from_extras, ignore_missing] + ([_split] if name in LIST_FIELDS else [])
    return schema
