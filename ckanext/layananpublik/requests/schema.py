"""navl schemas of the request actions (what each action accepts)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.layananpublik.cases import schema as cs
from ckanext.layananpublik.cases import validators as v
from ckanext.layananpublik.requests import validators as rv
from ckanext.layananpublik.requests import workflow as wf

_text = cs.text


def request_create_schema() -> dict:
    ignore_missing = tk.get_validator("ignore_missing")
    unicode_safe = tk.get_validator("unicode_safe")
    return {
        "organization_id": cs.body(),
        "requester_type": cs.choice(wf.REQUESTER_TYPES),
        "name": _text("name", required=True),
        "nik": [ignore_missing, unicode_safe, v.plain_text, v.empty_to_none, v.nik],
        "entity_decree_number": _text("entity_decree_number"),
        "address": _text("address", required=True),
        "phone": cs.phone(),
        "email": cs.email(),
        "occupation": _text("occupation", required=True),
        "information_requested": _text("information_requested", required=True),
        "purpose": _text("purpose", required=True),
        "obtain_method": cs.choice(wf.OBTAIN_METHODS),
        "delivery_method": cs.choice(wf.DELIVERY_METHODS),
        "package_id": [
            v.empty_to_none,
            ignore_missing,
            unicode_safe,
            tk.get_validator("package_id_or_name_exists"),
        ],
        "identity_document": [ignore_missing],
        # A proxy files for a principal, with a power of attorney (surat kuasa).
        "principal_name": _text("principal_name"),
        "power_of_attorney": [ignore_missing],
        # Officers only: a request received on paper, by post or at the desk, and when.
        "received_channel": [ignore_missing, unicode_safe, v.empty_to_none, v.choice(wf.CHANNELS + (None,))],
        "received_at": [ignore_missing, v.past_instant],
        "website": [v.honeypot],  # the honeypot: hidden from people by the form's CSS
        "__after": [rv.requester_identity],
    }


request_ref_schema = cs.ref_schema


def request_list_schema() -> dict:
    ignore_missing = tk.get_validator("ignore_missing")
    unicode_safe = tk.get_validator("unicode_safe")
    boolean = tk.get_validator("boolean_validator")
    natural = tk.get_validator("natural_number_validator")
    return {
        "scope": cs.choice(("public", "inbox", "mine"), "public"),
        "organization_id": [ignore_missing, unicode_safe, tk.get_validator("group_id_or_name_exists")],
        "year": [ignore_missing, natural],
        "status": [ignore_missing, unicode_safe, v.choice(wf.STATUSES)],
        "outcome": [ignore_missing, unicode_safe, v.choice(wf.OUTCOMES)],
        "overdue": [ignore_missing, boolean],
        "due_before": [ignore_missing, v.iso_date],
        "include_spam": [ignore_missing, boolean],
        "q": [ignore_missing, unicode_safe, v.plain_text, v.max_length("q")],
        "sort": cs.choice(("newest", "oldest", "due", "decided"), "newest"),
        **cs.paging(),
    }  # fmt: skip


def request_extend_schema() -> dict:
    days = [tk.get_validator("not_empty"), rv.working_days]
    return {**request_ref_schema(), "days": days, "reason": _text("extension_reason", True)}


def request_note_schema() -> dict:
    return {**request_ref_schema(), "note": _text("decision_note")}


def request_decide_schema() -> dict:
    ignore_missing = tk.get_validator("ignore_missing")
    unicode_safe = tk.get_validator("unicode_safe")
    schema = request_ref_schema()
    schema.update(
        {
            "outcome": cs.choice(wf.OUTCOMES),
            "refusal_grounds": [ignore_missing, rv.grounds],
            "referral_body": _text("referral_body"),
            "information_given": _text("information_given"),
            "redactions": _text("redactions"),
            "release_format": [ignore_missing, unicode_safe, v.empty_to_none, v.choice(wf.RELEASE_FORMATS + (None,))],
            "release_delivery": [ignore_missing, unicode_safe, v.empty_to_none, v.choice(wf.DELIVERY_METHODS + (None,))],
            "fee": [ignore_missing, rv.fee],
            "fee_copying": [ignore_missing, rv.fee],
            "fee_postage": [ignore_missing, rv.fee],
            "fee_note": _text("fee_note"),
            "provide_by_date": [ignore_missing, v.iso_date],
            "exempt_item_id": [ignore_missing, unicode_safe, v.empty_to_none],
            "consequence_test": _text("consequence_test"),
            "decision_note": _text("decision_note"),
            "handed_over_date": [ignore_missing, v.iso_date],
            "__after": [rv.decision_fields],
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
    spam = [tk.get_validator("default")(True), tk.get_validator("boolean_validator")]
    return {**request_ref_schema(), "spam": spam, "reason": _text("spam_reason"), "__after": [rv.spam_reason]}


def request_summary_schema() -> dict:
    publish = [tk.get_validator("default")(False), tk.get_validator("boolean_validator")]
    return {**request_ref_schema(), "public_summary": _text("public_summary"), "publish_request_text": publish}


def request_file_schema() -> dict:
    return {**request_ref_schema(), "file_id": [tk.get_validator("not_empty"), tk.get_validator("unicode_safe")]}


def stats_schema() -> dict:
    """The statistics parameters of every case type, and `breakdown` (per month, per working days)."""
    schema = cs.stats_schema()
    schema["breakdown"] = [tk.get_validator("default")(False), tk.get_validator("boolean_validator")]
    return schema


def request_handover_schema() -> dict:
    return {**request_ref_schema(), "handed_over_date": [tk.get_validator("not_empty"), v.iso_date],
            "note": _text("decision_note")}  # fmt: skip
