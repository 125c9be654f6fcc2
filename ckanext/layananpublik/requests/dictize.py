"""Requests as plain dicts: the public register entry, or everything for those entitled.

The personal-data rule lives here: public_fields() is the only shape anonymous callers
and other bodies' staff ever receive.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.layananpublik import workcalendar
from ckanext.layananpublik.requests import deadlines
from ckanext.layananpublik.requests import workflow as wf
from ckanext.layananpublik.requests.model import InformationRequest, RequestEvent, RequestFile
from ckanext.layananpublik.requests.objection_model import Objection

REQUESTER_FIELDS = (
    "requester_type", "name", "nik", "entity_decree_number", "address", "phone", "email", "occupation",
)  # fmt: skip
REQUEST_FIELDS = ("information_requested", "purpose", "obtain_method", "delivery_method", "package_id")
DECISION_FIELDS = (
    "outcome", "referral_body", "information_given", "redactions", "release_format", "release_delivery",
    "fee", "fee_note", "decision_note", "handed_over_date",
)  # fmt: skip


def _iso(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def original_deadline(row: InformationRequest, calendar: deadlines.WorkingCalendar) -> deadlines.Deadline:
    # A request the superior sent back gets a fresh decision period from that moment.
    start = row.reopened_at or row.received_at
    return deadlines.decision_due_date(start, calendar, workcalendar.timezone())


def deadline_of(row: InformationRequest, calendar: deadlines.WorkingCalendar) -> deadlines.Deadline:
    original = original_deadline(row, calendar)
    if row.extension_days and not row.reopened_at:
        return deadlines.extended_due_date(original, row.extension_days, calendar)
    return original


def current_lang() -> str:
    """The language of the page or API call; the site default outside a web request."""
    try:
        lang = tk.h.lang()
    except RuntimeError:  # no request: a background job or the command line
        lang = tk.config.get("ckan.locale_default")
    return "en" if lang == "en" else "id"


def _organization(org_id: str) -> dict:
    org = model.Group.get(org_id)
    return {"id": org.id, "name": org.name, "title": org.title} if org else {"id": org_id}


def _display_name(user_id: str | None) -> str | None:
    user = model.User.get(user_id) if user_id else None
    return user.display_name if user else None


def public_fields(row: InformationRequest) -> dict:
    today = deadlines.local_date(dt.datetime.now(dt.timezone.utc), workcalendar.timezone())
    return {
        "id": row.id,
        "registration_number": row.registration_number,
        "organization": _organization(row.organization_id),
        "received_date": _iso(row.received_date),
        "subject": row.public_summary or row.information_requested,
        "status": row.status,
        "status_label": wf.status_label(row.status),
        "due_date": _iso(row.due_date),
        "overdue": row.status in wf.OPEN_STATUSES and row.due_date < today,
        "extended": bool(row.extension_days),
        "outcome": row.outcome,
        "outcome_label": wf.outcome_label(row.outcome),
        "refusal_grounds": list(row.refusal_grounds or []),
        "decision_date": _iso(row.decision_date),
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
        "created_at": _iso(f.created_at),
        "has_file": bool(f.storage_key),
    }
    if internal:
        result["storage_key"] = f.storage_key
    return result


def event_dict(e: RequestEvent) -> dict:
    actor = model.User.get(e.actor_id) if e.actor_id else None
    return {
        "at": _iso(e.at),
        "action": e.action,
        "actor_role": e.actor_role,
        # Officers are named (accountability); the requester is not, in their own history.
        "actor": actor.display_name if actor and e.actor_role == "officer" else None,
        "note": e.note,
        "data": e.data,
    }


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
        result[field] = _iso(getattr(row, field))
    result.update(
        {
            "information_status": wf.information_status(row.outcome),
            "public_summary": row.public_summary,
            "received_at": _iso(row.received_at),
            "original_due_date": _iso(row.original_due_date),
            "extension_days": row.extension_days,
            "extension_reason": row.extension_reason,
            "extended_at": _iso(row.extended_at),
            "reopened_at": _iso(row.reopened_at),
            "decided_at": _iso(row.decided_at),
            "decided_by_name": _display_name(row.decided_by),
            "is_spam": row.is_spam,
            "spam_reason": row.spam_reason,
            "user_id": row.user_id,
        }
    )
    if calendar is not None:
        deadline = deadline_of(row, calendar)
        result["deadline_explanation"] = deadline.explain(current_lang())
    if history:
        events = model.Session.query(RequestEvent).filter_by(request_id=row.id).order_by(RequestEvent.id)
        result["history"] = [event_dict(e) for e in events]
        attached = (
            model.Session.query(RequestFile).filter_by(request_id=row.id).order_by(RequestFile.created_at)
        )
        result["files"] = [file_dict(f) for f in attached]
        objections = (
            model.Session.query(Objection).filter_by(request_id=row.id).order_by(Objection.received_at)
        )
        result["objections"] = [
            {"id": o.id, "registration_number": o.registration_number, "status": o.status,
             "grounds": list(o.grounds), "received_date": _iso(o.received_date), "due_date": _iso(o.due_date),
             "superior_decision": o.superior_decision, "decision_date": _iso(o.decision_date)}
            for o in objections
        ]  # fmt: skip
    return result
