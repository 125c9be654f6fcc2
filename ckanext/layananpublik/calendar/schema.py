"""navl schemas of the calendar actions."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.layananpublik.calendar.model import KINDS
from ckanext.layananpublik.cases import schema as cs
from ckanext.layananpublik.cases import validators as v


def day_schema() -> dict:
    return {"day": [tk.get_validator("not_empty"), v.iso_date], "kind": cs.choice(KINDS),
            "name": cs.text("title", required=True)}  # fmt: skip


def day_delete_schema() -> dict:
    return {"day": [tk.get_validator("not_empty"), v.iso_date]}


def list_schema() -> dict:
    return {"year": [tk.get_validator("ignore_missing"), tk.get_validator("natural_number_validator")]}


def import_schema() -> dict:
    return {"ical": [tk.get_validator("not_empty")], "kind": cs.choice(("holiday", "cuti_bersama"), "holiday")}
