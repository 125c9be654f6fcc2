"""navl schemas of the objection actions."""

from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import missing

from ckanext.layananpublik.cases import schema as cs
from ckanext.layananpublik.cases import validators as v
from ckanext.layananpublik.objections import workflow as wf


def grounds(value: Any) -> Any:
    if value is missing or value in (None, ""):
        raise tk.Invalid(tk._("Choose at least one ground for your objection"))
    raw = value if isinstance(value, list) else [x for x in re.split(r"[\s,]+", str(value)) if x]
    chosen = sorted({str(x).strip().lower() for x in raw})
    if not chosen:
        raise tk.Invalid(tk._("Choose at least one ground for your objection"))
    if any(g not in wf.GROUNDS for g in chosen):
        raise tk.Invalid(tk._("Choose grounds from Pasal 35(1) a to g"))
    return chosen


def create_schema() -> dict:
    boolean = tk.get_validator("boolean_validator")
    return {
        **cs.ref_schema("request_id", "request_tracking_token"),
        "grounds": [grounds],
        "reason": cs.text("information_requested", required=True),
        "filer_name": cs.text("name"),
        "filer_is_proxy": [tk.get_validator("default")(False), boolean],
        "power_of_attorney": [tk.get_validator("ignore_missing")],
        "record_late": [tk.get_validator("default")(False), boolean],
        "website": [v.honeypot],
    }


ref_schema = cs.ref_schema


def decide_schema() -> dict:
    schema = ref_schema()
    schema.update(
        {
            "decision": cs.choice(wf.DECISIONS),
            "reasons": cs.text("decision_note", required=True),
            "instruction": cs.text("decision_note"),
            "superior_name_position": cs.text("referral_body", required=True),
            "__after": [instruction_when_overturned],
        }
    )
    return schema


def instruction_when_overturned(key, data, errors, context):
    if (
        data.get(("decision",)) == "overturned"
        and not data.get(("instruction",))
        and not errors.get(("instruction",))
    ):
        errors[("instruction",)].append(
            tk._("Tell the officer what to do now that the decision is overturned")
        )


def dispute_schema() -> dict:
    schema = ref_schema()
    schema.update(
        {
            "stage": cs.choice(wf.DISPUTE_STAGES),
            "filed_date": [tk.get_validator("ignore_missing"), v.iso_date],
            "outcome": cs.text("decision_note"),
            "result": [tk.get_validator("ignore_empty"), tk.get_validator("unicode_safe"), v.choice(wf.DISPUTE_RESULTS)],
            "court_stage": [tk.get_validator("ignore_empty"), tk.get_validator("unicode_safe"),
                            v.choice(wf.COURT_STAGES)],
            "note": cs.text("decision_note"),
            "requester_reply": cs.text("decision_note"),
        }
    )
    return schema


def list_schema() -> dict:
    ignore_missing, unicode_safe = tk.get_validator("ignore_missing"), tk.get_validator("unicode_safe")
    return {
        "scope": cs.choice(("public", "inbox", "mine"), "public"),
        "organization_id": [ignore_missing, unicode_safe, tk.get_validator("group_id_or_name_exists")],
        "year": [ignore_missing, tk.get_validator("natural_number_validator")],
        "status": [ignore_missing, unicode_safe, v.choice(wf.STATUSES)],
        "overdue": [ignore_missing, tk.get_validator("boolean_validator")],
        **cs.paging(),
    }  # fmt: skip


def berkala_schema() -> dict:
    """An objection on ground b, without a request: the filer's name and contact, the reason."""
    return {
        "organization_id": cs.body(),
        "reason": cs.text("information_requested", required=True),
        "filer_name": cs.text("name", required=True),
        "email": cs.email(),
        "phone": cs.phone(),
        "website": [v.honeypot],
        "__after": [v.contact],
    }
