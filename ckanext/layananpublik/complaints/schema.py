"""navl schemas of the complaint actions."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.layananpublik.cases import schema as cs
from ckanext.layananpublik.cases import validators as v
from ckanext.layananpublik.cases.mail import LANGUAGES
from ckanext.layananpublik.complaints import workflow as wf


def create_schema() -> dict:
    return {
        "organization_id": cs.body(),
        "service": cs.text("title", required=True),
        "description": cs.text("information_requested", required=True),
        "occurred_on": [tk.get_validator("ignore_missing"), v.iso_date],
        "remedy": cs.text("purpose", required=True),
        "loss": cs.text("loss"),
        "name": cs.text("name", required=True),
        "address": cs.text("address"),
        "email": cs.email(),
        "phone": cs.phone(),
        "confidential": [tk.get_validator("default")(False), tk.get_validator("boolean_validator")],
        "website": [v.honeypot],
        "__after": [v.contact],
    }


def record_schema() -> dict:
    """A complaint received through another channel (wf.RECORDED_SOURCES): no contact; the
    complainant follows it through the tracking link the officer may send them there."""
    return {
        "organization_id": cs.body(),
        "source": cs.choice(wf.RECORDED_SOURCES),
        "service": cs.text("title", required=True),
        "description": cs.text("reply_text", required=True),
        "remedy": cs.text("purpose", required=True),
        "name": cs.text("name", required=True),
        "language": [tk.get_validator("ignore_missing"), v.choice(LANGUAGES)],
    }


def ref_schema() -> dict:
    # Complaints have no public number to look them up by: token or id only.
    return cs.ref_schema("id", "tracking_token")


def update_schema() -> dict:
    schema = ref_schema()
    schema.update(
        {
            "status": cs.choice(wf.STATUSES),
            "response": cs.text("decision_note"),
            "spam": [tk.get_validator("ignore_missing"), tk.get_validator("boolean_validator")],
        }
    )
    return schema


def list_schema() -> dict:
    ignore_missing = tk.get_validator("ignore_missing")
    return {
        "organization_id": [ignore_missing, tk.get_validator("unicode_safe"),
                            tk.get_validator("group_id_or_name_exists")],
        "status": [ignore_missing, v.choice(wf.STATUSES)],
        **cs.paging(),
    }  # fmt: skip
