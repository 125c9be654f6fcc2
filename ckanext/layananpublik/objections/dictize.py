"""Objections as plain dicts: the public register entry, or everything for the requester and
the body's staff."""

from __future__ import annotations

from ckan import model

from ckanext.layananpublik.calendar.deadlines import WorkingCalendar
from ckanext.layananpublik.cases.clock import today
from ckanext.layananpublik.cases.dictize import current_lang, history, iso, organization
from ckanext.layananpublik.objections import rules
from ckanext.layananpublik.objections.model import Objection, ObjectionEvent
from ckanext.layananpublik.requests.model import InformationRequest


def _request_ref(request_id: str | None) -> dict | None:
    """The request objected to; None for an objection on ground b, which needs none."""
    if request_id is None:
        return None
    req = model.Session.get(InformationRequest, request_id)
    return {"id": req.id, "registration_number": req.registration_number} if req else {"id": request_id}


def objection_dict(row: Objection, full: bool, calendar: WorkingCalendar | None = None) -> dict:
    result = {
        "id": row.id,
        "registration_number": row.registration_number,
        "organization": organization(row.organization_id),
        "request": _request_ref(row.request_id),
        "received_date": iso(row.received_date),
        "grounds": list(row.grounds),
        "status": row.status,
        "due_date": iso(row.due_date),
        "overdue": rules.superior_silent(row, today(row.organization_id)),
        "superior_decision": row.superior_decision,
        "decision_date": iso(row.decision_date),
        "dispute_stage": row.dispute_stage,
    }
    if not full:
        return result
    result.update(
        {
            "filer_name": row.filer_name,
            "filer_is_proxy": row.filer_is_proxy,
            "principal_name": row.principal_name,
            "filer_email": row.filer_email,
            "filer_phone": row.filer_phone,
            "reason": row.reason,
            "ground_arose_date": iso(row.ground_arose_date),
            "filing_deadline": iso(row.filing_deadline),
            "late_accepted": row.late_accepted,
            "received_at": iso(row.received_at),
            "superior_reasons": row.superior_reasons,
            "superior_instruction": row.superior_instruction,
            "superior_name_position": row.superior_name_position,
            "decided_at": iso(row.decided_at),
            "requester_reply": row.requester_reply,
            "dispute_filed_date": iso(row.dispute_filed_date),
            "dispute_outcome": row.dispute_outcome,
            "dispute_result": row.dispute_result,
            "court_stage": row.court_stage,
            "dispute_note": row.dispute_note,
        }
    )
    if calendar is not None:
        lang = current_lang()
        result["answer_deadline_explanation"] = rules.answer_deadline(row.received_date, calendar).explain(
            lang
        )
        dispute = rules.dispute_window(row, today(row.organization_id), calendar)
        if dispute is not None:
            result["dispute_deadline"] = iso(dispute.due)
            result["dispute_deadline_explanation"] = dispute.explain(lang)
    result["history"] = history(ObjectionEvent, parent_id=row.id)
    return result
