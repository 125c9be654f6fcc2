"""Actions on objections (keberatan) and disputes (sengketa informasi), Pasal 35–38.

A requester objects from the request's tracking page (or signed in); the body's superior
(Atasan PPID, role `superior`) answers within 30 working days; an overturned decision
sends the request back to the officer with the superior's instruction. Officers record
disputes before the Komisi Informasi and their outcome.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import uuid
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.lib.navl.dictization_functions import missing

from ckanext.layananpublik import workcalendar
from ckanext.layananpublik.requests import deadlines, helpers, jobs, ratelimit, registry
from ckanext.layananpublik.requests import objection_rules as rules
from ckanext.layananpublik.requests import validators as v
from ckanext.layananpublik.requests.actions import _actor, _find, _validate, find_by_reference, token_hash
from ckanext.layananpublik.requests.actions import _auth_dict as _auth_dict_of_request
from ckanext.layananpublik.requests.dictize import (
    DECISION_FIELDS,
    _iso,
    _organization,
    current_lang,
    event_dict,
)
from ckanext.layananpublik.requests.model import InformationRequest, RequestEvent, now
from ckanext.layananpublik.requests.objection_model import Objection, ObjectionEvent
from ckanext.layananpublik.requests.schema import _text
from ckanext.layananpublik.roles import access


def _today() -> dt.date:
    return deadlines.local_date(now(), workcalendar.timezone())


def _event(
    row: Objection, context: Any, action: str, note: str | None = None, role: str | None = None, **data
) -> None:
    actor_id, actor_role = _actor(context)
    model.Session.add(
        ObjectionEvent(parent_id=row.id, at=now(), actor_id=actor_id, actor_role=role or actor_role, action=action,
                       note=note, data={k: _iso(x) for k, x in data.items()})
    )  # fmt: skip


# --- schemas ------------------------------------------------------------------------------


def _grounds(value: Any) -> Any:
    if value is missing or value in (None, ""):
        raise tk.Invalid(tk._("Choose at least one ground for your objection"))
    raw = value if isinstance(value, list) else [x for x in re.split(r"[\s,]+", str(value)) if x]
    chosen = sorted({str(x).strip().lower() for x in raw})
    if not chosen:
        raise tk.Invalid(tk._("Choose at least one ground for your objection"))
    if any(g not in rules.GROUNDS for g in chosen):
        raise tk.Invalid(tk._("Choose grounds from Pasal 35(1) a to g"))
    return chosen


def create_schema() -> dict:
    ignore_missing, unicode_safe = tk.get_validator("ignore_missing"), tk.get_validator("unicode_safe")
    boolean = tk.get_validator("boolean_validator")
    return {
        "request_id": [ignore_missing, unicode_safe],
        "request_tracking_token": [ignore_missing, unicode_safe],
        "grounds": [_grounds],
        "reason": _text("information_requested", required=True),
        "filer_name": _text("name"),
        "filer_is_proxy": [tk.get_validator("default")(False), boolean],
        "record_late": [tk.get_validator("default")(False), boolean],
        "website": [v.honeypot],
    }


def ref_schema() -> dict:
    ignore_missing, unicode_safe = tk.get_validator("ignore_missing"), tk.get_validator("unicode_safe")
    return {
        "id": [ignore_missing, unicode_safe],
        "registration_number": [ignore_missing, unicode_safe],
        "tracking_token": [ignore_missing, unicode_safe],
    }


def decide_schema() -> dict:
    schema = ref_schema()
    schema.update(
        {
            "decision": [
                tk.get_validator("not_empty"),
                tk.get_validator("unicode_safe"),
                v.choice(rules.DECISIONS),
            ],
            "reasons": _text("decision_note", required=True),
            "instruction": _text("decision_note"),
            "superior_name_position": _text("referral_body", required=True),
            "__after": [_instruction_when_overturned],
        }
    )
    return schema


def _instruction_when_overturned(key, data, errors, context):
    if (
        data.get(("decision",)) == "overturned"
        and not data.get(("instruction",))
        and not errors.get(("instruction",))
    ):
        errors[("instruction",)].append(
            tk._("Tell the officer what to do now that the decision is overturned")
        )


def dispute_schema() -> dict:
    ignore_missing, unicode_safe = tk.get_validator("ignore_missing"), tk.get_validator("unicode_safe")
    schema = ref_schema()
    schema.update(
        {
            "stage": [tk.get_validator("not_empty"), unicode_safe, v.choice(rules.DISPUTE_STAGES)],
            "filed_date": [ignore_missing, v.iso_date],
            "outcome": _text("decision_note"),
            "note": _text("decision_note"),
            "requester_reply": _text("decision_note"),
        }
    )
    return schema


def list_schema() -> dict:
    ignore_missing, unicode_safe = tk.get_validator("ignore_missing"), tk.get_validator("unicode_safe")
    natural = tk.get_validator("natural_number_validator")
    return {
        "scope": [tk.get_validator("default")("public"), unicode_safe, v.choice(("public", "inbox", "mine"))],
        "organization_id": [ignore_missing, unicode_safe, tk.get_validator("group_id_or_name_exists")],
        "year": [ignore_missing, natural],
        "status": [ignore_missing, unicode_safe, v.choice(("received", "decided"))],
        "overdue": [ignore_missing, tk.get_validator("boolean_validator")],
        "limit": [tk.get_validator("default")(20), natural, tk.get_validator("limit_to_configured_maximum")(
            "ckanext.layananpublik.request.list_limit_max", 1000)],
        "offset": [tk.get_validator("default")(0), natural],
    }  # fmt: skip


# --- dicts ---------------------------------------------------------------------------------


def _request_ref(request_id: str) -> dict:
    req = model.Session.get(InformationRequest, request_id)
    return {"id": req.id, "registration_number": req.registration_number} if req else {"id": request_id}


def objection_dict(row: Objection, full: bool, calendar: deadlines.WorkingCalendar | None = None) -> dict:
    result = {
        "id": row.id,
        "registration_number": row.registration_number,
        "organization": _organization(row.organization_id),
        "request": _request_ref(row.request_id),
        "received_date": _iso(row.received_date),
        "grounds": list(row.grounds),
        "status": row.status,
        "due_date": _iso(row.due_date),
        "overdue": row.status == "received" and row.due_date < _today(),
        "superior_decision": row.superior_decision,
        "decision_date": _iso(row.decision_date),
        "dispute_stage": row.dispute_stage,
    }
    if not full:
        return result
    result.update(
        {
            "filer_name": row.filer_name,
            "filer_is_proxy": row.filer_is_proxy,
            "reason": row.reason,
            "ground_arose_date": _iso(row.ground_arose_date),
            "filing_deadline": _iso(row.filing_deadline),
            "late_accepted": row.late_accepted,
            "received_at": _iso(row.received_at),
            "superior_reasons": row.superior_reasons,
            "superior_instruction": row.superior_instruction,
            "superior_name_position": row.superior_name_position,
            "decided_at": _iso(row.decided_at),
            "requester_reply": row.requester_reply,
            "dispute_filed_date": _iso(row.dispute_filed_date),
            "dispute_outcome": row.dispute_outcome,
            "dispute_note": row.dispute_note,
        }
    )
    if calendar is not None:
        lang = current_lang()
        result["answer_deadline_explanation"] = rules.answer_deadline(row.received_date, calendar).explain(
            lang
        )
        if row.decision_date:
            dispute = rules.dispute_deadline(row.decision_date, calendar)
            result["dispute_deadline"] = _iso(dispute.due)
            result["dispute_deadline_explanation"] = dispute.explain(lang)
    events = model.Session.query(ObjectionEvent).filter_by(parent_id=row.id).order_by(ObjectionEvent.id)
    result["history"] = [event_dict(e) for e in events]
    return result


# --- access helpers ------------------------------------------------------------------------


def _auth_dict(row: Objection, data: dict) -> dict:
    request = model.Session.get(InformationRequest, row.request_id)
    return {
        "id": row.id,
        "organization_id": row.organization_id,
        "user_id": row.user_id or (request.user_id if request else None),
        "tracking_token_valid": bool(data.get("tracking_token"))
        and secrets.compare_digest(token_hash(data["tracking_token"]), row.tracking_token_hash),
    }


def _find_objection(data: dict, lock: bool = False) -> Objection:
    return find_by_reference(
        Objection, data, lock,
        tk._("Give the objection's id, registration number or tracking token"), tk._("Objection not found"),
    )  # fmt: skip


def _sees_everything(context: Any, row: Objection, data: dict) -> bool:
    try:
        tk.check_access("layananpublik_objection_show_personal", context, _auth_dict(row, data))
    except tk.NotAuthorized:
        return False
    return True


# --- actions ---------------------------------------------------------------------------------


@tk.side_effect_free
def layananpublik_objection_options(context: Any, data_dict: dict) -> dict:
    """The grounds on which the requester may object now, and until when (30 working days
    after each ground arose). For the requester (tracking token or signed in) and officers.

    :param request_id: the request, or
    :param request_tracking_token: the request's tracking token
    :returns: ``{"grounds": {g: {"arose": date, "deadline": date, "open": bool, "explanation": str}},
        "proposed": [grounds proposed unprompted, open or not], "offered": [those still open],
        "open_objection": number or null}``
    """
    data = _validate(
        data_dict, {k: create_schema()[k] for k in ("request_id", "request_tracking_token")}, context
    )
    request = _find({"id": data.get("request_id"), "tracking_token": data.get("request_tracking_token")})
    tk.check_access("layananpublik_objection_create", context, _request_auth(request, data))
    calendar, today = workcalendar.load_calendar(), _today()
    lang = current_lang()
    found = rules.windows(request, today, calendar)
    pending = _open_objection(request.id)
    return {
        "grounds": {
            g: {
                "arose": _iso(w.arose),
                "deadline": _iso(w.deadline.due),
                "open": w.open_on(today),
                "explanation": w.deadline.explain(lang),
            }
            for g, w in found.items()
        },  # fmt: skip
        "proposed": [g for g in found if g in rules.PROPOSED],
        "offered": [g for g in found if g in rules.PROPOSED and found[g].open_on(today)],
        "open_objection": pending.registration_number if pending else None,
    }


def _request_auth(request: InformationRequest, data: dict) -> dict:
    """The request's own auth dict: the requester is whoever holds its tracking token."""
    return _auth_dict_of_request(request, {"tracking_token": data.get("request_tracking_token")})


def _open_objection(request_id: str) -> Objection | None:
    return model.Session.query(Objection).filter_by(request_id=request_id, status="received").first()


def layananpublik_objection_create(context: Any, data_dict: dict) -> dict:
    """File an objection (keberatan) against the handling of a request.

    The requester files it with the request's tracking token (or signed in as the
    requester); an officer of the body may record one on the requester's behalf, and only an
    officer may record one after the 30-working-day limit (``record_late``).

    :param request_id: the request, or
    :param request_tracking_token: the request's tracking token
    :param grounds: Pasal 35(1) letters a–g (list or comma-separated)
    :param reason: the requester's reasons, in their words
    :param filer_name: who files, if not the requester (a proxy, with power of attorney)
    :param filer_is_proxy: true when filed by a proxy
    :param record_late: officers only: accept it although the filing period has passed
    :returns: the objection with its registration number, ``tracking_token`` and ``tracking_url``
    """
    data = _validate(data_dict, create_schema(), context)
    request = _find(
        {"id": data.get("request_id"), "tracking_token": data.get("request_tracking_token")}, lock=True
    )
    auth = _request_auth(request, data)
    tk.check_access("layananpublik_objection_create", context, auth)
    officer = access.has_role(context.get("user"), request.organization_id)
    if data["record_late"] and not officer:
        raise tk.NotAuthorized(tk._("Only an information officer may record a late objection"))
    if not officer:
        ratelimit.check(request.email)
    if _open_objection(request.id) is not None:
        raise tk.ValidationError(
            {"grounds": [tk._("An objection to this request is already waiting for an answer")]}
        )
    calendar, today = workcalendar.load_calendar(), _today()
    found = rules.windows(request, today, calendar)
    not_applicable = [g for g in data["grounds"] if g not in found]
    if not_applicable:
        raise tk.ValidationError({"grounds": [tk._("These grounds do not apply to this request now: {grounds}").format(
            grounds=", ".join(not_applicable))]})  # fmt: skip
    # The most favourable window of the grounds given decides whether it is in time.
    window = max((found[g] for g in data["grounds"]), key=lambda w: w.deadline.due)
    if not window.open_on(today) and not data["record_late"]:
        raise tk.ValidationError({"grounds": [tk._(
            "The period to object ended on {date} (30 working days after the ground arose on {arose}). "
            "An information officer can still record a late objection if there is a valid reason."
        ).format(date=helpers.date(window.deadline.due), arose=helpers.date(window.arose))]})  # fmt: skip

    org = model.Group.get(request.organization_id)
    received_at = now()
    received = deadlines.local_date(received_at, workcalendar.timezone())
    token = secrets.token_urlsafe(24)
    user = model.User.get(context["user"]) if context.get("user") else None
    row = Objection(
        id=str(uuid.uuid4()), organization_id=org.id, request_id=request.id, tracking_token_hash=token_hash(token),
        user_id=request.user_id, filer_name=data.get("filer_name") or request.name,
        filer_is_proxy=data["filer_is_proxy"], grounds=data["grounds"], reason=data["reason"],
        ground_arose_date=window.arose, filing_deadline=window.deadline.due,
        late_accepted=not window.open_on(today), status="received", received_at=received_at,
        received_date=received, due_date=rules.answer_deadline(received, calendar).due, updated_at=received_at,
    )  # fmt: skip
    row.registration_year, row.registration_seq, row.registration_number = registry.next_number(
        org, received, kind="objection"
    )
    model.Session.add(row)
    model.Session.flush()
    role = "officer" if officer and user and user.id != request.user_id else "requester"
    _event(row, context, "submitted", role=role, due_date=row.due_date, late_accepted=row.late_accepted)
    model.Session.add(
        RequestEvent(request_id=request.id, at=received_at, actor_id=user.id if user else None, actor_role=role,
                     action="objection_filed", note=None, data={"objection": row.registration_number})
    )  # fmt: skip
    model.Session.commit()
    tracking_url = tk.url_for("layananpublik_objection.track", token=token, _external=True)
    if request.email:
        jobs.notify_objection_received(row, request, org.title, tracking_url)
    result = objection_dict(row, full=True, calendar=calendar)
    result["tracking_token"] = token
    result["tracking_url"] = tracking_url
    return result


@tk.side_effect_free
def layananpublik_objection_show(context: Any, data_dict: dict) -> dict:
    """One objection: its register entry for everyone; reasons, names and history for the
    requester (its tracking token, or signed in), the body's officers and superiors.

    :param id: objection id, or
    :param registration_number: its number, or
    :param tracking_token: the secret given when it was filed
    """
    data = _validate(data_dict, ref_schema(), context)
    row = _find_objection(data)
    tk.check_access("layananpublik_objection_show", context, _auth_dict(row, data))
    full = _sees_everything(context, row, data)
    return objection_dict(row, full=full, calendar=workcalendar.load_calendar() if full else None)


@tk.side_effect_free
def layananpublik_objection_list(context: Any, data_dict: dict) -> dict:
    """Objections: ``scope=public`` (register entries), ``inbox`` (officers and superiors of
    their bodies, full fields) or ``mine`` (the signed-in requester's).

    :param scope: public (default), inbox or mine
    :param organization_id: one body
    :param year: registration year
    :param status: received or decided
    :param overdue: only those past the superior's deadline
    :param limit: page size (default 20)
    :param offset: first row
    """
    data = _validate(data_dict, list_schema(), context)
    if data.get("organization_id"):
        data["organization_id"] = model.Group.get(data["organization_id"]).id
    tk.check_access("layananpublik_objection_list", context, data)
    Obj = Objection
    query = model.Session.query(Obj)
    user = context.get("user")
    if data["scope"] == "inbox":
        bodies = access.bodies_with_role(user, "superior")
        officer_bodies = access.bodies_with_role(user, "officer")
        if bodies is not None and officer_bodies is not None:
            query = query.filter(Obj.organization_id.in_(sorted(set(bodies) | set(officer_bodies))))
    elif data["scope"] == "mine":
        account = model.User.get(user)
        query = query.filter(Obj.user_id == account.id)
    for field in ("organization_id", "status"):
        if data.get(field):
            query = query.filter(getattr(Obj, field) == data[field])
    if data.get("year"):
        query = query.filter(Obj.registration_year == data["year"])
    if data.get("overdue"):
        query = query.filter(Obj.status == "received", Obj.due_date < _today())
    count = query.order_by(None).count()
    order = [Obj.status == "decided", Obj.due_date] if data["scope"] == "inbox" else [Obj.received_at.desc()]
    rows = query.order_by(*order, Obj.id).limit(data["limit"]).offset(data["offset"]).all()
    full = data["scope"] != "public"
    return {"count": count, "results": [objection_dict(r, full=full) for r in rows]}


def layananpublik_objection_decide(context: Any, data_dict: dict) -> dict:
    """The superior's written answer (Pasal 36). Overturning sends the request back to the
    officer, with the instruction, for a new decision within 10 working days.

    :param id: the objection
    :param decision: ``upheld`` (the officer's decision stands) or ``overturned``
    :param reasons: the written reasons
    :param instruction: what the officer must do (required when overturned)
    :param superior_name_position: name and position of the superior who answers
    """
    data = _validate(data_dict, decide_schema(), context)
    row = _find_objection(data, lock=True)
    tk.check_access("layananpublik_objection_decide", context, _auth_dict(row, data))
    if row.status != "received":
        model.Session.rollback()
        raise tk.ValidationError({"decision": [tk._("This objection has already been answered")]})
    decided_at = now()
    user = model.User.get(context["user"]) if context.get("user") else None
    row.status, row.superior_decision = "decided", data["decision"]
    row.superior_reasons, row.superior_instruction = data["reasons"], data.get("instruction")
    row.superior_name_position = data["superior_name_position"]
    row.decided_at, row.decision_date = decided_at, deadlines.local_date(decided_at, workcalendar.timezone())
    row.decided_by, row.updated_at = (user.id if user else None), decided_at
    _event(row, context, "decided", data["reasons"], role="superior", decision=data["decision"])
    if data["decision"] == "overturned":
        _send_back(row, context, decided_at)
    model.Session.commit()
    request = model.Session.get(InformationRequest, row.request_id)
    if request.email:
        jobs.notify_objection_decided(row, request, rules_label)
    return layananpublik_objection_show(context, {"id": row.id})


def rules_label(decision: str) -> str:
    from ckanext.layananpublik.requests.workflow import objection_decision_label

    return objection_decision_label(decision)


def _send_back(objection: Objection, context: Any, at: dt.datetime) -> None:
    """Reopen the request: the decision is kept in its history, the officer decides anew."""
    request = (
        model.Session.query(InformationRequest).filter_by(id=objection.request_id).with_for_update().one()
    )
    previous = {f: _iso(getattr(request, f)) for f in DECISION_FIELDS}
    previous["refusal_grounds"] = list(request.refusal_grounds or [])
    for field in DECISION_FIELDS:
        setattr(request, field, None)
    request.refusal_grounds = None
    request.decided_at = request.decision_date = request.decided_by = request.working_days_taken = None
    request.status, request.reopened_at, request.updated_at = "in_process", at, at
    calendar = workcalendar.load_calendar()
    request.due_date = request.original_due_date = deadlines.decision_due_date(
        at, calendar, workcalendar.timezone()
    ).due
    actor_id, _role = _actor(context)
    model.Session.add(
        RequestEvent(request_id=request.id, at=at, actor_id=actor_id, actor_role="superior", action="reopened",
                     note=objection.superior_instruction,
                     data={"objection": objection.registration_number, "previous_decision": previous,
                           "due_date": request.due_date.isoformat()})
    )  # fmt: skip


def layananpublik_objection_dispute_update(context: Any, data_dict: dict) -> dict:
    """Record a dispute before the Komisi Informasi (Pasal 37–38) and its stages and outcome,
    and the requester's reply to the superior's answer. Officers and superiors of the body.

    :param id: the objection
    :param stage: filed, mediation, adjudication, decided or withdrawn
    :param filed_date: when the dispute was filed (YYYY-MM-DD)
    :param outcome: the commission's decision, once known
    :param note: remarks
    :param requester_reply: the requester's reply (tanggapan pemohon) for the register
    """
    data = _validate(data_dict, dispute_schema(), context)
    row = _find_objection(data, lock=True)
    tk.check_access("layananpublik_objection_dispute_update", context, _auth_dict(row, data))
    if row.status != "decided":
        model.Session.rollback()
        raise tk.ValidationError(
            {"stage": [tk._("A dispute follows the superior's answer, which is not given yet")]}
        )
    row.dispute_stage = data["stage"]
    row.dispute_filed_date = data.get("filed_date") or row.dispute_filed_date or _today()
    for field, key in (
        ("dispute_outcome", "outcome"),
        ("dispute_note", "note"),
        ("requester_reply", "requester_reply"),
    ):
        if data.get(key) is not None:
            setattr(row, field, data[key])
    row.updated_at = now()
    _event(
        row, context, "dispute_" + data["stage"], data.get("note") or data.get("outcome"), stage=data["stage"]
    )
    model.Session.commit()
    return layananpublik_objection_show(context, {"id": row.id})


# The objection register of DOMAIN.md, "Registers and reports", in its order.
REGISTER_COLUMNS = (
    "registration_number", "received_date", "filer_name", "filer_is_proxy", "request_registration_number",
    "information_requested", "purpose", "grounds", "reason", "superior_decision", "decision_date",
    "superior_name_position", "superior_reasons", "requester_reply", "dispute_stage", "dispute_outcome",
)  # fmt: skip


@tk.side_effect_free
def layananpublik_objection_register(context: Any, data_dict: dict) -> list[dict]:
    """The officers' objection register with its legal columns.

    :param organization_id: the body
    :param year: registration year (default: this year)
    """
    from ckanext.layananpublik.requests.schema import register_schema

    data = _validate(data_dict, register_schema(), context)
    if data.get("organization_id"):
        data["organization_id"] = model.Group.get(data["organization_id"]).id
    tk.check_access("layananpublik_objection_register", context, data)
    year = data.get("year") or _today().year
    query = (
        model.Session.query(Objection, InformationRequest)
        .join(InformationRequest, InformationRequest.id == Objection.request_id)
        .filter(Objection.registration_year == year)
        .order_by(Objection.organization_id, Objection.registration_seq)
    )
    if data.get("organization_id"):  # only sysadmins may leave it out: every body then
        query = query.filter(Objection.organization_id == data["organization_id"])
    rows = []
    for objection, request in query:
        row = {c: getattr(objection, c, None) for c in REGISTER_COLUMNS}
        row.update(request_registration_number=request.registration_number,
                   information_requested=request.information_requested, purpose=request.purpose,
                   grounds=",".join(objection.grounds))  # fmt: skip
        rows.append({k: _iso(x) for k, x in row.items()})
    return rows


_STATS_SQL = """
SELECT count(*) AS received,
       count(*) FILTER (WHERE status = 'received') AS pending,
       count(*) FILTER (WHERE status = 'received' AND due_date < :today) AS overdue,
       count(*) FILTER (WHERE superior_decision = 'upheld') AS upheld,
       count(*) FILTER (WHERE superior_decision = 'overturned') AS overturned,
       count(*) FILTER (WHERE late_accepted) AS late_accepted,
       count(*) FILTER (WHERE dispute_stage IS NOT NULL) AS disputes,
       count(*) FILTER (WHERE dispute_stage = 'decided') AS disputes_decided
FROM layananpublik_objection WHERE registration_year = :year {org_filter}
"""
_GROUNDS_SQL = """
SELECT ground, count(*) AS n FROM layananpublik_objection, unnest(grounds) AS ground
WHERE registration_year = :year {org_filter} GROUP BY ground ORDER BY ground
"""


@tk.side_effect_free
def layananpublik_objection_stats(context: Any, data_dict: dict) -> dict:
    """Objection figures of a year for the statistics and the annual report: received,
    pending, upheld, overturned, by ground, disputes.

    :param organization_id: one body (default: all)
    :param year: registration year (default: the year of date_from / date_to, else this year)
    :param date_from: only objections received on or after this day (YYYY-MM-DD, the day in
        the body's time zone; within the year)
    :param date_to: only objections received on or before this day (YYYY-MM-DD; within the
        year, not before date_from)
    """
    from ckanext.layananpublik.requests.schema import stats_schema

    data = _validate(data_dict, stats_schema(), context)
    if data.get("organization_id"):
        data["organization_id"] = model.Group.get(data["organization_id"]).id
    tk.check_access("layananpublik_objection_stats", context, data)
    org_filter, params = registry.stats_filter(
        data.get("organization_id"), data.get("date_from"), data.get("date_to")
    )
    params.update(year=data.get("year") or _today().year, today=_today())
    figures = dict(
        model.Session.execute(sa.text(_STATS_SQL.format(org_filter=org_filter)), params).mappings().one()
    )
    grounds = model.Session.execute(sa.text(_GROUNDS_SQL.format(org_filter=org_filter)), params)
    return {"year": params["year"], "organization_id": data.get("organization_id"),
            **{k: int(x) for k, x in figures.items()}, "by_ground": {r.ground: int(r.n) for r in grounds}}  # fmt: skip
