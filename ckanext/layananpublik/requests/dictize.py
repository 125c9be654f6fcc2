"""Requests as plain dicts: the public register entry, or everything for those entitled.

The personal-data rule lives here: public_fields() is the only shape anonymous callers
and other bodies' staff ever receive.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.layananpublik.calendar import deadlines
from ckanext.layananpublik.cases.clock import timezone, today
from ckanext.layananpublik.cases.dictize import current_lang, days_left, display_name, iso, organization
from ckanext.layananpublik.cases.dictize import history as case_history
from ckanext.layananpublik.cases.labels import layananpublik_label
from ckanext.layananpublik.objections.model import Objection
from ckanext.layananpublik.requests import workflow as wf
from ckanext.layananpublik.requests.model import InformationRequest, RequestEvent, RequestFile

REQUESTER_FIELDS = (
    "requester_type", "name", "nik", "entity_decree_number", "address", "phone", "email", "occupation",
)  # fmt: skip
REQUEST_FIELDS = ("information_requested", "purpose", "obtain_method", "delivery_method", "package_id",
                  "principal_name")
DECISION_FIELDS = (
    "outcome", "referral_body", "information_given", "redactions", "release_format", "release_delivery",
    "fee", "fee_copying", "fee_postage", "fee_note", "provide_by_date", "exempt_item_id", "consequence_test",
    "decision_note", "handed_over_date",
)  # fmt: skip


def original_deadline(row: InformationRequest, calendar: deadlines.WorkingCalendar) -> deadlines.Deadline:
    # A request the superior sent back gets a fresh decision period from that moment.
    start = row.reopened_at or row.received_at
    return deadlines.decision_due_date(start, calendar, timezone(row.organization_id))


def deadline_of(row: InformationRequest, calendar: deadlines.WorkingCalendar) -> deadlines.Deadline:
    original = original_deadline(row, calendar)
    if row.extension_days and not row.reopened_at:
        return deadlines.extended_due_date(original, row.extension_days, calendar)
    return original


def public_fields(row: InformationRequest) -> dict:
    return {
        "id": row.id,
        "registration_number": row.registration_number,
        "organization": organization(row.organization_id),
        "received_date": iso(row.received_date),
        # The requester's own words may name people or hold a NIK: only an officer's summary (or
        # the words once an officer has read and published them) reaches the public.
        "subject": None if row.is_spam else row.public_summary,
        "set_aside": row.is_spam,
        "status": row.status,
        "status_label": tk._("Set aside as spam") if row.is_spam else layananpublik_label("status", row.status),
        "due_date": iso(row.due_date),
        "overdue": row.status in wf.OPEN_STATUSES and row.due_date < today(row.organization_id),
        "extended": bool(row.extension_days),
        "outcome": row.outcome,
        "outcome_label": layananpublik_label("outcome", row.outcome),
        "refusal_grounds": list(row.refusal_grounds or []),
        "decision_date": iso(row.decision_date),
        "working_days_taken": row.working_days_taken,
        "on_time": None if row.decision_date is None else row.decision_date <= row.due_date,
        "package_id": row.package_id,
    }


def file_dict(f: RequestFile, internal: bool = False) -> dict:
    result = {
        "id": f.id,
        "kind": f.kind,
        "title": f.title,
        "filename": f.filename,
        "content_type": f.content_type,
        "size": f.size,
        "url": f.url,
        "package_id": f.package_id,
        "created_at": iso(f.created_at),
        "has_file": bool(f.storage_key),
    }
    if internal:
        result["storage_key"] = f.storage_key
    return result


def request_dict(
    row: InformationRequest,
    full: bool,
    calendar: deadlines.WorkingCalendar | None = None,
    history: bool = True,
) -> dict:
    result = public_fields(row)
    if not full:
        return result
    for field in REQUESTER_FIELDS + REQUEST_FIELDS + DECISION_FIELDS:
        result[field] = iso(getattr(row, field))
    result.update(
        {
            "information_status": wf.information_status(row.outcome),
            "public_summary": row.public_summary,
            "received_at": iso(row.received_at),
            "received_channel": row.received_channel or "online",
            "original_due_date": iso(row.original_due_date),
            "extension_days": row.extension_days,
            "extension_reason": row.extension_reason,
            "extended_at": iso(row.extended_at),
            "reopened_at": iso(row.reopened_at),
            "decided_at": iso(row.decided_at),
            "decided_by_name": display_name(row.decided_by),
            "is_spam": row.is_spam,
            "spam_reason": row.spam_reason,
            "spam_marked_at": iso(row.spam_marked_at),
            "user_id": row.user_id,
        }
    )
    if calendar is not None:
        deadline = deadline_of(row, calendar)
        result["deadline_explanation"] = deadline.explain(current_lang())
        if row.status in wf.OPEN_STATUSES:
            result["days_left"] = days_left(row.due_date, today(row.organization_id), calendar)
    if history:
        result["history"] = case_history(RequestEvent, request_id=row.id)
        attached = (
            model.Session.query(RequestFile).filter_by(request_id=row.id).order_by(RequestFile.created_at)
        )
        result["files"] = [file_dict(f) for f in attached]
        result["objections"] = objections_of(row.id)
    return result


def objections_of(request_id: str) -> list[dict]:
    """The objections to a request, for its tracking page and the officer's page."""
    rows = model.Session.query(Objection).filter_by(request_id=request_id).order_by(Objection.received_at)
    return [
        {"id": o.id, "registration_number": o.registration_number, "status": o.status,
         "grounds": list(o.grounds), "received_date": iso(o.received_date), "due_date": iso(o.due_date),
         "superior_decision": o.superior_decision, "decision_date": iso(o.decision_date)}
        for o in rows
    ]  # fmt: skip
