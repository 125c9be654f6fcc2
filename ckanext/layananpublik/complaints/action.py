"""Actions on complaints about the public service (pengaduan, UU 25/2009).

Anyone may complain, with or without an account, and may ask that their identity be kept
from everyone but the body's complaint handlers. The complainant follows the complaint with
a secret link; the body's officers and complaint handlers triage and answer it.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.layananpublik.cases import events, lookup, numbers, ratelimit
from ckanext.layananpublik.cases.auth import allowed, bodies_with_any
from ckanext.layananpublik.cases.clock import now, today
from ckanext.layananpublik.cases.dictize import history, iso, organization
from ckanext.layananpublik.cases.labels import layananpublik_label as label
from ckanext.layananpublik.cases.schema import checked, stats_schema, validate
from ckanext.layananpublik.complaints import jobs
from ckanext.layananpublik.complaints import schema as sch
from ckanext.layananpublik.complaints import workflow as wf
from ckanext.layananpublik.complaints.filing import file_complaint
from ckanext.layananpublik.complaints.model import Complaint, ComplaintEvent


def _find(data: dict, lock: bool = False) -> Complaint:
    # Complaints have no public number to look them up by: token or id only.
    data = {"tracking_token": data.get("tracking_token"), "id": data.get("id")}
    return lookup.find_by_reference(
        Complaint, data, lock, tk._("Give the complaint's id or tracking token"), tk._("Complaint not found")
    )


def _auth_dict(row: Complaint, data: dict) -> dict:
    return {
        "id": row.id,
        "organization_id": row.organization_id,
        "confidential": row.confidential,
        "tracking_token_valid": lookup.token_matches(data.get("tracking_token"), row.tracking_token_hash),
    }


def complaint_dict(row: Complaint, identity: bool) -> dict:
    result = {
        "id": row.id,
        "registration_number": row.registration_number,
        "organization": organization(row.organization_id),
        "service": row.service,
        "description": row.description,
        "occurred_on": iso(row.occurred_on),
        "remedy": row.remedy,
        "loss": row.loss,
        "confidential": row.confidential,
        "status": row.status,
        "due_date": iso(row.due_date),
        "response_days": (row.due_date - row.received_date).days,
        # Not answered in time: the complainant may turn to SP4N-LAPOR! or the Ombudsman.
        "overdue": row.status in wf.OPEN and row.due_date < today(row.organization_id),
        "response": row.response,
        "responded_at": iso(row.responded_at),
        "received_date": iso(row.received_date),
        "is_spam": row.is_spam,
        "source": row.source or "form",
    }
    if identity:
        result.update(name=row.name, address=row.address, email=row.email, phone=row.phone)
    result["history"] = history(ComplaintEvent, parent_id=row.id)
    return result


def _sees_identity(context: Any, row: Any, data: dict) -> bool:
    return allowed("layananpublik_complaint_show_identity", context, _auth_dict(row, data))


def _event(
    row: Complaint, context: Any, action: str, note: str | None = None, role: str | None = None, **data: Any
) -> None:
    events.record(ComplaintEvent, {"parent_id": row.id}, context, action, note, role, **data)


def layananpublik_complaint_create(context: Any, data_dict: dict) -> dict:
    """Complain about the public service (pengaduan). Works without an account. The body answers
    within ``ckanext.layananpublik.complaint.response_days`` days (14: UU 25/2009 Pasal 50(1)).

    :param organization_id: the body the complaint is about
    :param service: which service
    :param description: what went wrong
    :param occurred_on: when (YYYY-MM-DD)
    :param remedy: what the complainant asks for
    :param loss: the loss suffered, if any (optional)
    :param name: the complainant's name
    :param address: the complainant's address (optional)
    :param email: email address (email and/or phone required)
    :param phone: phone number
    :param confidential: keep the identity from everyone but the complaint handlers
    :returns: the complaint with ``registration_number``, ``tracking_token`` and ``tracking_url``
        (its ``source`` is ``form``)
    """
    tk.check_access("layananpublik_complaint_create", context, data_dict)
    ratelimit.count_submission(context, data_dict.get("organization_id"), data_dict.get("email"),
                               data_dict.get("phone"))  # fmt: skip
    data = validate(data_dict, sch.create_schema(), context)
    org = numbers.active_body(data["organization_id"])
    row, token = file_complaint(org, data, context)
    tracking_url = tk.url_for("layananpublik_complaint.track", token=token, _external=True)
    if row.email:  # committed with the complaint (cases/outbox.py)
        jobs.notify_complaint_received(row)
    model.Session.commit()
    result = complaint_dict(row, identity=True)
    result["tracking_token"], result["tracking_url"] = token, tracking_url
    return result


def layananpublik_complaint_record(context: Any, data_dict: dict) -> dict:
    """Record a complaint the body received through another channel than the complaint form:
    a citizen's reply to one of the body's social-media posts (``source`` ``social_media``),
    turned into a complaint by an officer (layananpublik_social_feedback_complaint calls this).
    The complainant left no contact and no account; the officer may send them the tracking link.
    No email is sent. With ``defer_commit`` in the context (a caller in the same process) the
    caller commits the complaint with its own change.

    :param organization_id: the body the complaint is about
    :param source: where it came from: social_media
    :param service: which service
    :param description: what the citizen wrote
    :param remedy: what they ask for
    :param name: the complainant's name or handle
    :param language: the language to answer them in, id or en (default: the site's)
    :returns: the complaint with ``registration_number``, ``tracking_token`` and ``tracking_url``
    """
    data = validate(data_dict, sch.record_schema(), context)
    org = numbers.active_body(data["organization_id"])
    tk.check_access("layananpublik_complaint_record", context, {"organization_id": org.id})
    row, token = file_complaint(org, {**data, "confidential": False}, context, source=data["source"])
    if not context.get("defer_commit"):
        model.Session.commit()
    result = complaint_dict(row, identity=True)
    result["tracking_token"] = token
    result["tracking_url"] = tk.url_for("layananpublik_complaint.track", token=token, _external=True)
    return result


@tk.side_effect_free
def layananpublik_complaint_show(context: Any, data_dict: dict) -> dict:
    """One complaint, for its complainant (tracking token) and the body's staff. A
    confidential complainant's name and contact are shown only to complaint handlers.

    :param id: complaint id, or
    :param tracking_token: the secret from the tracking link
    :returns: the complaint; its ``source`` says where it came from: ``form`` (the complaint
        form or layananpublik_complaint_create) or ``social_media`` ("media sosial": a
        citizen's reply to a social-media post of the body, turned into a complaint by an
        officer with layananpublik_social_feedback_complaint)
    """
    data = validate(data_dict, sch.ref_schema(), context)
    row = _find(data)
    tk.check_access("layananpublik_complaint_show", context, _auth_dict(row, data))
    return complaint_dict(row, identity=_sees_identity(context, row, data))


@tk.side_effect_free
def layananpublik_complaint_list(context: Any, data_dict: dict) -> dict:
    """Complaints of the bodies where the caller is an officer or complaint handler.

    :param organization_id: one body
    :param status: received, in_follow_up, resolved or rejected
    :param limit: page size (default 20)
    :param offset: first row
    """
    data = checked(context, data_dict, sch.list_schema(), "layananpublik_complaint_list")
    user = context.get("user")
    query = model.Session.query(Complaint).filter(Complaint.is_spam.is_(False))
    bodies = bodies_with_any(user, "officer", "complaints")
    if bodies is not None:
        query = query.filter(Complaint.organization_id.in_(bodies))
    if data.get("organization_id"):
        query = query.filter(Complaint.organization_id == data["organization_id"])
    if data.get("status"):
        query = query.filter(Complaint.status == data["status"])
    count = query.order_by(None).count()
    rows = (
        query.order_by(Complaint.received_at.desc())
        .limit(data["limit"])
        .offset(data["offset"])
        .all()
    )
    results = [complaint_dict(r, identity=_sees_identity(context, r, {})) for r in rows]
    return {"count": count, "results": results}


def layananpublik_complaint_update(context: Any, data_dict: dict) -> dict:
    """Triage a complaint: move it on (received → in_follow_up → resolved / rejected) with a
    response the complainant reads, or mark it as spam.

    :param id: the complaint
    :param status: the new status
    :param response: what the body tells the complainant (required to resolve or reject)
    :param spam: true to hide it as spam
    """
    data = validate(data_dict, sch.update_schema(), context)
    row = _find(data, lock=True)
    tk.check_access("layananpublik_complaint_update", context, _auth_dict(row, data))
    if data["status"] != row.status and data["status"] not in wf.TRANSITIONS[row.status]:
        model.Session.rollback()
        raise tk.ValidationError({"status": [tk._("A complaint cannot go from {old} to {new}").format(
            old=label("complaint_status", row.status).lower(),
            new=label("complaint_status", data["status"]).lower())]})  # fmt: skip
    if data["status"] in wf.CLOSED and not data.get("response"):
        model.Session.rollback()
        raise tk.ValidationError(
            {"response": [tk._("Tell the complainant how it was resolved, or why it is rejected")]}
        )
    at = now()
    row.status, row.updated_at = data["status"], at
    if data.get("response"):
        row.response, row.responded_at = data["response"], at
    if data.get("spam") is not None:
        row.is_spam = data["spam"]
    _event(row, context, "status_" + data["status"], data.get("response"), spam=data.get("spam"))
    if row.email and data.get("response"):
        jobs.notify_complaint_answered(row)
    model.Session.commit()
    return layananpublik_complaint_show(context, {"id": row.id})


@tk.side_effect_free
def layananpublik_complaint_stats(context: Any, data_dict: dict) -> dict:
    """Complaint figures of a year per status (spam not counted). Parameters as
    layananpublik_objection_stats: ``organization_id`` (default: all bodies), ``year`` (year
    received), ``date_from`` / ``date_to`` (days received in the body's time zone, within the year).
    """
    data = checked(context, data_dict, stats_schema(), "layananpublik_complaint_stats")
    year = data.get("year") or today().year
    query = (
        model.Session.query(Complaint.status, sa.func.count())
        .filter(Complaint.registration_year == year, Complaint.is_spam.is_(False))
        .group_by(Complaint.status)
    )
    if data.get("organization_id"):
        query = query.filter(Complaint.organization_id == data["organization_id"])
    if data.get("date_from"):
        query = query.filter(Complaint.received_date >= data["date_from"])
    if data.get("date_to"):
        query = query.filter(Complaint.received_date <= data["date_to"])
    counts = {status: 0 for status in wf.STATUSES} | {s: int(n) for s, n in query}
    return {"year": year, "organization_id": data.get("organization_id"), "received": sum(counts.values()),
            "by_status": counts}  # fmt: skip
