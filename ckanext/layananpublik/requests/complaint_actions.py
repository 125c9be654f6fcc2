"""Actions on complaints about the public service (pengaduan, UU 25/2009).

Anyone may complain, with or without an account, and may ask that their identity be kept
from everyone but the body's complaint handlers. The complainant follows the complaint with
a secret link; the body's officers and complaint handlers triage and answer it.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.layananpublik import workcalendar
from ckanext.layananpublik.requests import deadlines, jobs, ratelimit, registry
from ckanext.layananpublik.requests import validators as v
from ckanext.layananpublik.requests import workflow as wf
from ckanext.layananpublik.requests.actions import _actor, _validate, find_by_reference, token_hash
from ckanext.layananpublik.requests.dictize import _iso, _organization, event_dict
from ckanext.layananpublik.requests.model import now
from ckanext.layananpublik.requests.objection_model import Complaint, ComplaintEvent
from ckanext.layananpublik.requests.schema import _text
from ckanext.layananpublik.roles import access

STATUSES = ("received", "in_follow_up", "resolved", "rejected")
# received → in follow-up → resolved / rejected; a closed complaint may be reopened.
TRANSITIONS = {
    "received": ("in_follow_up", "resolved", "rejected"),
    "in_follow_up": ("resolved", "rejected"),
    "resolved": ("in_follow_up",),
    "rejected": ("in_follow_up",),
}


def create_schema() -> dict:
    ignore_missing, unicode_safe = tk.get_validator("ignore_missing"), tk.get_validator("unicode_safe")
    return {
        "organization_id": [
            tk.get_validator("not_empty"),
            unicode_safe,
            tk.get_validator("group_id_or_name_exists"),
        ],
        "service": _text("title", required=True),
        "description": _text("information_requested", required=True),
        "occurred_on": [ignore_missing, v.iso_date],
        "remedy": _text("purpose", required=True),
        "name": _text("name", required=True),
        "email": [
            ignore_missing,
            unicode_safe,
            v.plain_text,
            v.empty_to_none,
            v.max_length("email"),
            v.email,
        ],
        "phone": [ignore_missing, unicode_safe, v.plain_text, v.empty_to_none, v.phone],
        "confidential": [tk.get_validator("default")(False), tk.get_validator("boolean_validator")],
        "website": [v.honeypot],
        "__after": [_contact],
    }


def _contact(key, data, errors, context):
    if (
        not data.get(("email",))
        and not data.get(("phone",))
        and not errors.get(("email",))
        and not errors.get(("phone",))
    ):
        errors[("email",)].append(tk._("Give a phone number or an email address (or both)"))


def ref_schema() -> dict:
    ignore_missing, unicode_safe = tk.get_validator("ignore_missing"), tk.get_validator("unicode_safe")
    return {"id": [ignore_missing, unicode_safe], "tracking_token": [ignore_missing, unicode_safe]}


def update_schema() -> dict:
    schema = ref_schema()
    schema.update(
        {
            "status": [tk.get_validator("not_empty"), tk.get_validator("unicode_safe"), v.choice(STATUSES)],
            "response": _text("decision_note"),
            "spam": [tk.get_validator("ignore_missing"), tk.get_validator("boolean_validator")],
        }
    )
    return schema


def _find(data: dict, lock: bool = False) -> Complaint:
    # Complaints have no public number to look them up by: token or id only.
    data = {"tracking_token": data.get("tracking_token"), "id": data.get("id")}
    return find_by_reference(
        Complaint, data, lock, tk._("Give the complaint's id or tracking token"), tk._("Complaint not found")
    )


def _auth_dict(row: Complaint, data: dict) -> dict:
    return {
        "id": row.id,
        "organization_id": row.organization_id,
        "confidential": row.confidential,
        "tracking_token_valid": bool(data.get("tracking_token"))
        and secrets.compare_digest(token_hash(data["tracking_token"]), row.tracking_token_hash),
    }


def complaint_dict(row: Complaint, identity: bool) -> dict:
    result = {
        "id": row.id,
        "registration_number": row.registration_number,
        "organization": _organization(row.organization_id),
        "service": row.service,
        "description": row.description,
        "occurred_on": _iso(row.occurred_on),
        "remedy": row.remedy,
        "confidential": row.confidential,
        "status": row.status,
        "response": row.response,
        "responded_at": _iso(row.responded_at),
        "received_date": _iso(row.received_date),
        "is_spam": row.is_spam,
    }
    if identity:
        result.update(name=row.name, email=row.email, phone=row.phone)
    events = model.Session.query(ComplaintEvent).filter_by(parent_id=row.id).order_by(ComplaintEvent.id)
    result["history"] = [event_dict(e) for e in events]
    return result


def _sees_identity(context: Any, row: Complaint, data: dict) -> bool:
    try:
        tk.check_access("layananpublik_complaint_show_identity", context, _auth_dict(row, data))
    except tk.NotAuthorized:
        return False
    return True


def _event(
    row: Complaint, context: Any, action: str, note: str | None = None, role: str | None = None, **data
) -> None:
    actor_id, actor_role = _actor(context)
    model.Session.add(
        ComplaintEvent(parent_id=row.id, at=now(), actor_id=actor_id, actor_role=role or actor_role, action=action,
                       note=note, data=data)
    )  # fmt: skip


def layananpublik_complaint_create(context: Any, data_dict: dict) -> dict:
    """Complain about the public service (pengaduan). Works without an account.

    :param organization_id: the body the complaint is about
    :param service: which service
    :param description: what went wrong
    :param occurred_on: when (YYYY-MM-DD)
    :param remedy: what the complainant asks for
    :param name: the complainant's name
    :param email: email address (email and/or phone required)
    :param phone: phone number
    :param confidential: keep the identity from everyone but the complaint handlers
    :returns: the complaint with ``registration_number``, ``tracking_token`` and ``tracking_url``
    """
    tk.check_access("layananpublik_complaint_create", context, data_dict)
    data = _validate(data_dict, create_schema(), context)
    org = model.Group.get(data["organization_id"])
    if org is None or not org.is_organization or org.state != "active":
        raise tk.ValidationError({"organization_id": [tk._("Choose a public body from the list")]})
    if not access.has_role(context.get("user"), org.id):
        ratelimit.check(data.get("email"))
    received_at = now()
    received = deadlines.local_date(received_at, workcalendar.timezone())
    token = secrets.token_urlsafe(24)
    user = model.User.get(context["user"]) if context.get("user") else None
    row = Complaint(
        id=str(uuid.uuid4()), organization_id=org.id, tracking_token_hash=token_hash(token),
        user_id=user.id if user else None, status="received", received_at=received_at, received_date=received,
        is_spam=False, updated_at=received_at, language=jobs.requester_language(),
        **{k: data.get(k) for k in ("service", "description", "occurred_on", "remedy", "name", "email", "phone",
                                    "confidential")},
    )  # fmt: skip
    row.registration_year, row.registration_seq, row.registration_number = registry.next_number(
        org, received, kind="complaint"
    )
    model.Session.add(row)
    model.Session.flush()
    _event(row, context, "submitted", role="complainant")
    model.Session.commit()
    tracking_url = tk.url_for("layananpublik_complaint.track", token=token, _external=True)
    if row.email:
        jobs.notify_complaint_received(row, org.title, tracking_url)
    result = complaint_dict(row, identity=True)
    result["tracking_token"], result["tracking_url"] = token, tracking_url
    return result


@tk.side_effect_free
def layananpublik_complaint_show(context: Any, data_dict: dict) -> dict:
    """One complaint, for its complainant (tracking token) and the body's staff. A
    confidential complainant's name and contact are shown only to complaint handlers.

    :param id: complaint id, or
    :param tracking_token: the secret from the tracking link
    """
    data = _validate(data_dict, ref_schema(), context)
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
    ignore_missing, natural = tk.get_validator("ignore_missing"), tk.get_validator("natural_number_validator")
    schema = {
        "organization_id": [ignore_missing, tk.get_validator("unicode_safe"), tk.get_validator("group_id_or_name_exists")],
        "status": [ignore_missing, v.choice(STATUSES)],
        "limit": [tk.get_validator("default")(20), natural],
        "offset": [tk.get_validator("default")(0), natural],
    }  # fmt: skip
    data = _validate(data_dict, schema, context)
    if data.get("organization_id"):
        data["organization_id"] = model.Group.get(data["organization_id"]).id
    tk.check_access("layananpublik_complaint_list", context, data)
    user = context.get("user")
    query = model.Session.query(Complaint).filter(Complaint.is_spam.is_(False))
    officer_of, handler_of = (
        access.bodies_with_role(user, "officer"),
        access.bodies_with_role(user, "complaints"),
    )
    if officer_of is not None and handler_of is not None:
        query = query.filter(Complaint.organization_id.in_(sorted(set(officer_of) | set(handler_of))))
    if data.get("organization_id"):
        query = query.filter(Complaint.organization_id == data["organization_id"])
    if data.get("status"):
        query = query.filter(Complaint.status == data["status"])
    count = query.order_by(None).count()
    rows = (
        query.order_by(Complaint.received_at.desc())
        .limit(min(data["limit"], 1000))
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
    data = _validate(data_dict, update_schema(), context)
    row = _find(data, lock=True)
    tk.check_access("layananpublik_complaint_update", context, _auth_dict(row, data))
    if data["status"] != row.status and data["status"] not in TRANSITIONS[row.status]:
        model.Session.rollback()
        raise tk.ValidationError({"status": [tk._("A complaint cannot go from {old} to {new}").format(
            old=wf.complaint_status_label(row.status).lower(),
            new=wf.complaint_status_label(data["status"]).lower())]})  # fmt: skip
    if data["status"] in ("resolved", "rejected") and not data.get("response"):
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
    model.Session.commit()
    if row.email and data.get("response"):
        org = model.Group.get(row.organization_id)
        jobs.notify_complaint_answered(row, org.title if org else "")
    return layananpublik_complaint_show(context, {"id": row.id})


@tk.side_effect_free
def layananpublik_complaint_stats(context: Any, data_dict: dict) -> dict:
    """Complaint figures of a year per status (spam not counted).

    :param organization_id: one body (default: all)
    :param year: year received (default: the year of date_from / date_to, else this year)
    :param date_from: only complaints received on or after this day (YYYY-MM-DD, the day in
        the body's time zone; within the year)
    :param date_to: only complaints received on or before this day (YYYY-MM-DD; within the
        year, not before date_from)
    """
    from ckanext.layananpublik.requests.schema import stats_schema

    data = _validate(data_dict, stats_schema(), context)
    if data.get("organization_id"):
        data["organization_id"] = model.Group.get(data["organization_id"]).id
    tk.check_access("layananpublik_complaint_stats", context, data)
    year = data.get("year") or deadlines.local_date(now(), workcalendar.timezone()).year
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
    counts = {status: 0 for status in STATUSES} | {s: int(n) for s, n in query}
    return {"year": year, "organization_id": data.get("organization_id"), "received": sum(counts.values()),
            "by_status": counts}  # fmt: skip
