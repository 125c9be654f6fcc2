"""Template helpers of the request pages: translated labels of stored codes."""

from __future__ import annotations

from typing import Any

from ckanext.layananpublik.requests import workflow as wf

_LABELS = {
    "status": wf.status_label,
    "outcome": wf.outcome_label,
    "ground": wf.refusal_ground_label,
    "requester_type": wf.requester_type_label,
    "obtain_method": wf.obtain_method_label,
    "delivery_method": wf.delivery_method_label,
    "release_format": wf.release_format_label,
    "information_status": wf.information_status_label,
    "objection_ground": wf.objection_ground_label,
    "objection_decision": wf.objection_decision_label,
    "objection_status": wf.objection_status_label,
    "dispute_stage": wf.dispute_stage_label,
    "complaint_status": wf.complaint_status_label,
}


def layananpublik_label(kind: str, value: str | None) -> str:
    """`h.layananpublik_label('outcome', req.outcome)` → "Dikabulkan sebagian"."""
    if value is None or value == "":
        return ""
    return _LABELS[kind](value)


def layananpublik_choices(kind: str) -> list[tuple[str, str]]:
    """(value, label) pairs for a form's select or radio buttons."""
    values = {
        "status": wf.STATUSES,
        "outcome": wf.OUTCOMES,
        "ground": wf.REFUSAL_GROUNDS,
        "requester_type": wf.REQUESTER_TYPES,
        "obtain_method": wf.OBTAIN_METHODS,
        "delivery_method": wf.DELIVERY_METHODS,
        "release_format": wf.RELEASE_FORMATS,
        "objection_ground": tuple("abcdefg"),
        "objection_decision": ("upheld", "overturned"),
        "dispute_stage": ("filed", "mediation", "adjudication", "decided", "withdrawn"),
        "complaint_status": ("received", "in_follow_up", "resolved", "rejected"),
    }[kind]
    return [(v, _LABELS[kind](v)) for v in values]


def layananpublik_date(value: str | None) -> str:
    """An ISO date as "25 Nov 2026", a timestamp as "25 Nov 2026, 06:30 WIB" (in the body's
    time zone), in the page's language."""
    from ckanext.layananpublik.requests import helpers

    if not value:
        return ""
    return helpers.when(value) if "T" in value else helpers.date(value)


def layananpublik_money(value: Any) -> str:
    """An amount in rupiah as the page's language writes it: "Rp 5.000", "Rp 5.000,50";
    in English "IDR 5,000"."""
    from decimal import Decimal, InvalidOperation

    from flask_babel import format_currency

    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    pattern = "¤ #,##0" if amount == amount.to_integral_value() else "¤ #,##0.00"
    return format_currency(amount, "IDR", format=pattern, currency_digits=False)


def get_helpers() -> dict:
    return {
        f.__name__: f
        for f in (layananpublik_label, layananpublik_choices, layananpublik_date, layananpublik_money)
    }
