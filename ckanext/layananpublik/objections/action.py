"""Actions on objections (keberatan) and disputes (sengketa informasi), Pasal 35–38.

A requester objects from the request's tracking page (or signed in); the body's superior
(Atasan PPID, role `superior`) answers within 30 working days; an overturned decision
sends the request back to the officer with the superior's instruction. Officers record
disputes before the Komisi Informasi and their outcome.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.layananpublik.calendar import deadlines
from ckanext.layananpublik.calendar.store import load_calendar
from ckanext.layananpublik.cases import events, files, lookup, numbers, ratelimit
from ckanext.layananpublik.cases.auth import allowed, bodies_with_any
from ckanext.layananpublik.cases.clock import local_day, now, timezone, today
from ckanext.layananpublik.cases.dictize import current_lang, iso
from ckanext.layananpublik.cases.formatting import date
from ckanext.layananpublik.cases.mail import requester_language
from ckanext.layananpublik.cases.schema import (
    checked,
    register_schema,
    stats_filter,
    stats_schema,
    validate,
)
from ckanext.layananpublik.objections import jobs, rules
from ckanext.layananpublik.objections import schema as sch
from ckanext.layananpublik.objections.dictize import objection_dict
from ckanext.layananpublik.objections.model import Objection, ObjectionEvent
from ckanext.layananpublik.requests import action as requests
from ckanext.layananpublik.requests.dictize import DECISION_FIELDS
from ckanext.layananpublik.requests.model import InformationRequest, RequestEvent, RequestFile
from ckanext.layananpublik.roles import access


def _event(row: Objection, context: Any, action: str, note: str | None = None, role: str | None = None,
           **data: Any) -> None:  # fmt: skip
    events.record(ObjectionEvent, {"parent_id": row.id}, context, action, note, role, **data)


# --- access helpers ------------------------------------------------------------------------


def _auth_dict(row: Objection, data: dict) -> dict:
    request = model.Session.get(InformationRequest, row.request_id) if row.request_id else None
    return {
        "id": row.id,
        "organization_id": row.organization_id,
        "user_id": row.user_id or (request.user_id if request else None),
        "tracking_token_valid": lookup.token_matches(data.get("tracking_token"), row.tracking_token_hash),
    }


def _find_objection(data: dict, lock: bool = False) -> Objection:
    return lookup.find_by_reference(
        Objection, data, lock,
        tk._("Give the objection's id, registration number or tracking token"), tk._("Objection not found"),
    )  # fmt: skip


def _sees_everything(context: Any, row: Any, data: dict) -> bool:
    return allowed("layananpublik_objection_show_personal", context, _auth_dict(row, data))


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
    data = validate(data_dict, sch.ref_schema("request_id", "request_tracking_token"), context)
    request = requests.find(
        {"id": data.get("request_id"), "tracking_token": data.get("request_tracking_token")}
    )
    tk.check_access("layananpublik_objection_create", context, _request_auth(request, data))
    calendar, day = load_calendar(), today(request.organization_id)
    lang = current_lang()
    found = rules.windows(request, day, calendar)
    pending = _open_objection(request.id)
    return {
        "grounds": {
            g: {
                "arose": iso(w.arose),
                "deadline": iso(w.deadline.due),
                "open": w.open_on(day),
                "explanation": w.deadline.explain(lang),
            }
            for g, w in found.items()
        },  # fmt: skip
        "proposed": [g for g in found if g in rules.proposed(request)],
        "offered": [g for g in found if g in rules.proposed(request) and found[g].open_on(day)],
        "open_objection": pending.registration_number if pending else None,
    }


def _request_auth(request: InformationRequest, data: dict) -> dict:
    """The request's own auth dict: the requester is whoever holds its tracking token."""
    return requests.auth_dict(request, {"tracking_token": data.get("request_tracking_token")})


def _power_of_attorney(data: dict) -> Any:
    """A proxy's power of attorney (surat kuasa) from the requester, checked by its content;
    required when a proxy files the objection for the requester."""
    max_bytes = tk.config.get("ckanext.layananpublik.request.identity_max_size_mb") * 1048576
    upload = files.accept(data.get("power_of_attorney"), "power_of_attorney", files.IDENTITY_TYPES, max_bytes)
    if data["filer_is_proxy"] and upload is None:
        raise tk.ValidationError({"power_of_attorney": [tk._(
            "A proxy attaches the power of attorney (surat kuasa) from the person they act for")]})  # fmt: skip
    return upload


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
    :param filer_is_proxy: true when filed by a proxy, who then attaches
    :param power_of_attorney: the power of attorney (surat kuasa) from the requester (an upload:
        PDF, JPEG, PNG or WebP)
    :param record_late: officers only: accept it although the filing period has passed
    :returns: the objection with its registration number, ``tracking_token`` and ``tracking_url``
    """
    ref = validate(data_dict, sch.ref_schema("request_id", "request_tracking_token"), context)
    request = requests.find({"id": ref.get("request_id"), "tracking_token": ref.get("request_tracking_token")},
                            lock=True)  # fmt: skip
    tk.check_access("layananpublik_objection_create", context, _request_auth(request, ref))
    # Counted before the rest is validated: a refused objection counts too.
    ratelimit.count_submission(context, request.organization_id, request.email, request.phone)
    data = validate(data_dict, sch.create_schema(), context)
    officer = access.has_role(context.get("user"), request.organization_id)
    if data["record_late"] and not officer:
        raise tk.NotAuthorized(tk._("Only an information officer may record a late objection"))
    if _open_objection(request.id) is not None:
        raise tk.ValidationError(
            {"grounds": [tk._("An objection to this request is already waiting for an answer")]}
        )
    calendar, day = load_calendar(), today(request.organization_id)
    found = rules.windows(request, day, calendar)
    not_applicable = [g for g in data["grounds"] if g not in found]
    if not_applicable:
        raise tk.ValidationError({"grounds": [tk._("These grounds do not apply to this request now: {grounds}").format(
            grounds=", ".join(not_applicable))]})  # fmt: skip
    # The most favourable window of the grounds given decides whether it is in time.
    window = max((found[g] for g in data["grounds"]), key=lambda w: w.deadline.due)
    if not window.open_on(day) and not data["record_late"]:
        raise tk.ValidationError({"grounds": [tk._(
            "The period to object ended on {date} (30 working days after the ground arose on {arose}). "
            "An information officer can still record a late objection if there is a valid reason."
        ).format(date=date(window.deadline.due), arose=date(window.arose))]})  # fmt: skip

    attorney = _power_of_attorney(data)
    org = model.Group.get(request.organization_id)
    received_at = now()
    received = local_day(received_at, org.id)
    token = lookup.new_token()
    user = model.User.get(context["user"]) if context.get("user") else None
    row = Objection(
        id=str(uuid.uuid4()), organization_id=org.id, request_id=request.id, tracking_token_hash=lookup.token_hash(token),
        tracking_token_sealed=lookup.sealed_until_mailed(token, request.email),
        user_id=request.user_id, filer_name=data.get("filer_name") or request.name,
        filer_is_proxy=data["filer_is_proxy"], principal_name=request.name if data["filer_is_proxy"] else None,
        grounds=data["grounds"], reason=data["reason"],
        ground_arose_date=window.arose, filing_deadline=window.deadline.due,
        late_accepted=not window.open_on(day), status="received", received_at=received_at,
        received_date=received, due_date=rules.answer_deadline(received, calendar).due, updated_at=received_at,
    )  # fmt: skip
    numbers.assign(row, org, received, "objection")
    model.Session.add(row)
    model.Session.flush()
    role = "officer" if officer and user and user.id != request.user_id else "requester"
    _event(row, context, "submitted", role=role, due_date=row.due_date, late_accepted=row.late_accepted)
    events.record(RequestEvent, {"request_id": request.id}, context, "objection_filed", role=role,
                  at=received_at, objection=row.registration_number)  # fmt: skip
    key = files.store(request.id, attorney) if attorney is not None else None
    if attorney is not None:  # kept with the request's identity papers: officers only
        model.Session.add(RequestFile(
            id=str(uuid.uuid4()), request_id=request.id, kind="power_of_attorney",
            title=tk._("Power of attorney for objection {number}").format(number=row.registration_number),
            filename=attorney.filename, content_type=attorney.content_type, size=len(attorney.content),
            storage_key=key, created_at=received_at, created_by=user.id if user else None))  # fmt: skip
    tracking_url = tk.url_for("layananpublik_objection.track", token=token, _external=True)
    try:
        if request.email:  # committed with the objection (cases/outbox.py)
            jobs.notify_objection_received(row)
        model.Session.commit()
    except Exception:
        model.Session.rollback()
        if key:
            files.remove(key)
        raise
    result = objection_dict(row, full=True, calendar=calendar)
    result["tracking_token"] = token
    result["tracking_url"] = tracking_url
    return result


def layananpublik_objection_berkala_create(context: Any, data_dict: dict) -> dict:
    """Object that information the body must publish periodically (berkala, Pasal 9) was not
    published: ground b of Pasal 35(1), which anyone may raise without a request. The body's
    superior (Atasan PPID) answers within 30 working days, as for every objection.

    :param organization_id: the public body
    :param reason: which information is missing, and what the filer asks
    :param filer_name: the filer's name
    :param email: the filer's email address (email and/or phone required); the tracking link is sent there
    :param phone: the filer's phone number
    :returns: the objection with its registration number, ``tracking_token`` and ``tracking_url``
    """
    tk.check_access("layananpublik_objection_berkala_create", context, data_dict)
    ratelimit.count_submission(context, data_dict.get("organization_id"), data_dict.get("email"),
                               data_dict.get("phone"))  # fmt: skip
    data = validate(data_dict, sch.berkala_schema(), context)
    org = numbers.active_body(data["organization_id"])
    calendar, received_at = load_calendar(), now()
    received = local_day(received_at, org.id)
    token = lookup.new_token()
    user = model.User.get(context["user"]) if context.get("user") else None
    filing = rules.windows_without_request(received, calendar)["b"]
    row = Objection(
        id=str(uuid.uuid4()), organization_id=org.id, request_id=None, tracking_token_hash=lookup.token_hash(token),
        tracking_token_sealed=lookup.sealed_until_mailed(token, data.get("email")),
        user_id=user.id if user else None, filer_name=data["filer_name"], filer_is_proxy=False,
        filer_email=data.get("email"), filer_phone=data.get("phone"), language=requester_language(),
        grounds=["b"], reason=data["reason"], ground_arose_date=filing.arose, filing_deadline=filing.deadline.due,
        late_accepted=False, status="received", received_at=received_at, received_date=received,
        due_date=rules.answer_deadline(received, calendar).due, updated_at=received_at,
    )  # fmt: skip
    numbers.assign(row, org, received, "objection")
    model.Session.add(row)
    model.Session.flush()
    _event(row, context, "submitted", role="requester", due_date=row.due_date)
    tracking_url = tk.url_for("layananpublik_objection.track", token=token, _external=True)
    jobs.notify_objection_received(row)
    model.Session.commit()
    result = objection_dict(row, full=True, calendar=calendar)
    result["tracking_token"], result["tracking_url"] = token, tracking_url
    return result


@tk.side_effect_free
def layananpublik_objection_show(context: Any, data_dict: dict) -> dict:
    """One objection: its register entry for everyone; reasons, names and history for the
    requester (its tracking token, or signed in), the body's officers and superiors.

    :param id: objection id, or
    :param registration_number: its number, or
    :param tracking_token: the secret given when it was filed
    """
    data = validate(data_dict, sch.ref_schema(), context)
    row = _find_objection(data)
    tk.check_access("layananpublik_objection_show", context, _auth_dict(row, data))
    full = _sees_everything(context, row, data)
    return objection_dict(row, full=full, calendar=load_calendar() if full else None)


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
    data = checked(context, data_dict, sch.list_schema(), "layananpublik_objection_list")
    Obj = Objection
    query = model.Session.query(Obj)
    user = context.get("user")
    if data["scope"] == "inbox":
        bodies = bodies_with_any(user, "superior", "officer")
        if bodies is not None:
            query = query.filter(Obj.organization_id.in_(bodies))
    elif data["scope"] == "mine":
        account = model.User.get(user)
        query = query.filter(Obj.user_id == account.id)
    for field in ("organization_id", "status"):
        if data.get(field):
            query = query.filter(getattr(Obj, field) == data[field])
    if data.get("year"):
        query = query.filter(Obj.registration_year == data["year"])
    if data.get("overdue"):
        query = query.filter(Obj.status == "received", Obj.due_date < today())
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
    data = validate(data_dict, sch.decide_schema(), context)
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
    row.decided_at, row.decision_date = decided_at, local_day(decided_at, row.organization_id)
    row.decided_by, row.updated_at = (user.id if user else None), decided_at
    _event(row, context, "decided", data["reasons"], role="superior", decision=data["decision"])
    if data["decision"] == "overturned" and row.request_id:  # ground b has no request to send back
        _send_back(row, context, decided_at)
    jobs.notify_objection_decided(row)
    model.Session.commit()
    return layananpublik_objection_show(context, {"id": row.id})


def _send_back(objection: Objection, context: Any, at: dt.datetime) -> None:
    """Reopen the request: the decision is kept in its history, the officer decides anew."""
    request = (
        model.Session.query(InformationRequest).filter_by(id=objection.request_id).with_for_update().one()
    )
    previous = {f: iso(getattr(request, f)) for f in DECISION_FIELDS}
    previous["refusal_grounds"] = list(request.refusal_grounds or [])
    if request.first_decision_date is None:  # the register and the statistics keep the first one
        request.first_outcome, request.first_decision_date = request.outcome, request.decision_date
        request.first_due_date = request.due_date
    for field in DECISION_FIELDS:
        setattr(request, field, None)
    request.refusal_grounds = None
    request.decided_at = request.decision_date = request.decided_by = request.working_days_taken = None
    request.status, request.reopened_at, request.updated_at = "in_process", at, at
    request.due_date = request.original_due_date = deadlines.decision_due_date(
        at, load_calendar(), timezone(request.organization_id)
    ).due
    events.record(RequestEvent, {"request_id": request.id}, context, "reopened", objection.superior_instruction,
                  "superior", at=at, objection=objection.registration_number, previous_decision=previous,
                  due_date=request.due_date)  # fmt: skip


def layananpublik_objection_dispute_update(context: Any, data_dict: dict) -> dict:
    """Record a dispute before the Komisi Informasi (Pasal 37–38) and its stages and outcome,
    and the requester's reply to the superior's answer. Officers and superiors of the body.
    Possible once the superior has answered, or once the 30 working days to answer have passed
    without an answer (Perki 1/2013 Pasal 13).

    :param id: the objection
    :param stage: filed, mediation, adjudication, decided or withdrawn
    :param filed_date: when the dispute was filed (YYYY-MM-DD)
    :param outcome: the commission's decision, once known
    :param result: what the commission decided: granted, partly_granted, rejected, settled
        (agreement in mediation) or dismissed; only at the mediation or decided stage
    :param court_stage: after the commission's decision, an appeal to court: filed,
        cassation or decided (Pasal 47–50 UU 14/2008)
    :param note: remarks
    :param requester_reply: the requester's reply (tanggapan pemohon) for the register
    """
    data = validate(data_dict, sch.dispute_schema(), context)
    row = _find_objection(data, lock=True)
    tk.check_access("layananpublik_objection_dispute_update", context, _auth_dict(row, data))
    if row.status != "decided" and not rules.superior_silent(row, today(row.organization_id)):
        model.Session.rollback()
        raise tk.ValidationError({"stage": [tk._(
            "A dispute follows the superior's answer, or the end of the 30 working days the superior has to "
            "answer; neither has come yet"
        )]})  # fmt: skip
    result, court = data.get("result"), data.get("court_stage")
    errors = {}
    if result and not (data["stage"] == "decided" or (result == "settled" and data["stage"] == "mediation")):
        errors["result"] = [tk._("Record the commission's result once the dispute is decided (or settled in mediation)")]
    if court and data["stage"] != "decided":
        errors["court_stage"] = [tk._("A court appeal follows the commission's decision: set the stage to decided first")]
    if errors:
        model.Session.rollback()
        raise tk.ValidationError(errors)
    row.dispute_stage = data["stage"]
    row.dispute_filed_date = data.get("filed_date") or row.dispute_filed_date or today(row.organization_id)
    for field, key in (
        ("dispute_outcome", "outcome"),
        ("dispute_result", "result"),
        ("court_stage", "court_stage"),
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
    "dispute_result", "court_stage",
)  # fmt: skip


@tk.side_effect_free
def layananpublik_objection_register(context: Any, data_dict: dict) -> list[dict]:
    """The officers' objection register with its legal columns.

    :param organization_id: the body
    :param year: registration year (default: this year)
    """
    data = checked(context, data_dict, register_schema(), "layananpublik_objection_register")
    year = data.get("year") or today().year
    query = (
        model.Session.query(Objection, InformationRequest)
        .outerjoin(InformationRequest, InformationRequest.id == Objection.request_id)
        .filter(Objection.registration_year == year)
        .order_by(Objection.organization_id, Objection.registration_seq)
    )
    if data.get("organization_id"):  # only sysadmins may leave it out: every body then
        query = query.filter(Objection.organization_id == data["organization_id"])
    rows = []
    for objection, request in query:
        row = {c: getattr(objection, c, None) for c in REGISTER_COLUMNS}
        row.update(request_registration_number=request.registration_number if request else None,
                   information_requested=request.information_requested if request else None,
                   purpose=request.purpose if request else None, grounds=",".join(objection.grounds))  # fmt: skip
        rows.append({k: iso(x) for k, x in row.items()})
    return rows


_STATS_SQL = """
SELECT count(*) AS received,
       count(*) FILTER (WHERE status = 'received') AS pending,
       count(*) FILTER (WHERE status = 'received' AND due_date < :today) AS overdue,
       count(*) FILTER (WHERE superior_decision = 'upheld') AS upheld,
       count(*) FILTER (WHERE superior_decision = 'overturned') AS overturned,
       count(*) FILTER (WHERE late_accepted) AS late_accepted,
       count(*) FILTER (WHERE dispute_stage IS NOT NULL) AS disputes,
       count(*) FILTER (WHERE dispute_stage = 'decided') AS disputes_decided,
       count(*) FILTER (WHERE court_stage IS NOT NULL) AS court_cases
FROM layananpublik_objection WHERE registration_year = :year {org_filter}
"""
_BY_SQL = """
SELECT {column} AS code, count(*) AS n FROM layananpublik_objection
WHERE registration_year = :year AND {column} IS NOT NULL {org_filter} GROUP BY 1 ORDER BY 1
"""
_GROUNDS_SQL = """
SELECT ground, count(*) AS n FROM layananpublik_objection, unnest(grounds) AS ground
WHERE registration_year = :year {org_filter} GROUP BY ground ORDER BY ground
"""


@tk.side_effect_free
def layananpublik_objection_stats(context: Any, data_dict: dict) -> dict:
    """Objection figures of a year for the statistics and the annual report: received,
    pending, upheld, overturned, by ground, disputes by stage and by the commission's result,
    and court cases (appeals after the commission's decision) by stage.

    :param organization_id: one body (default: all)
    :param year: registration year (default: the year of date_from / date_to, else this year)
    :param date_from: only objections received on or after this day (YYYY-MM-DD, the day in
        the body's time zone; within the year)
    :param date_to: only objections received on or before this day (YYYY-MM-DD; within the
        year, not before date_from)
    """
    data = checked(context, data_dict, stats_schema(), "layananpublik_objection_stats")
    org_filter, params = stats_filter(data.get("organization_id"), data.get("date_from"), data.get("date_to"))
    params.update(year=data.get("year") or today().year, today=today())
    figures = dict(
        model.Session.execute(sa.text(_STATS_SQL.format(org_filter=org_filter)), params).mappings().one()
    )
    grounds = model.Session.execute(sa.text(_GROUNDS_SQL.format(org_filter=org_filter)), params)

    def by(column: str) -> dict:
        found = model.Session.execute(sa.text(_BY_SQL.format(column=column, org_filter=org_filter)), params)
        return {r.code: int(r.n) for r in found}

    return {"year": params["year"], "organization_id": data.get("organization_id"),
            **{k: int(x) for k, x in figures.items()}, "by_ground": {r.ground: int(r.n) for r in grounds},
            "by_dispute_stage": by("dispute_stage"), "by_dispute_result": by("dispute_result"),
            "by_court_stage": by("court_stage")}  # fmt: skip


def recompute_open_deadlines(calendar: deadlines.WorkingCalendar, context: Any) -> int:
    """After a calendar change: the superior's answer deadline of every objection still
    awaiting it, counted again (30 working days after receipt), each move in its history.
    Returns how many moved; the caller commits."""
    changed = 0
    for row in model.Session.query(Objection).filter(Objection.status == "received").with_for_update():
        due = rules.answer_deadline(row.received_date, calendar).due
        if due != row.due_date:
            old, row.due_date = row.due_date, due
            _event(row, context, "deadline_recomputed", old_due_date=old, due_date=due)
            changed += 1
    return changed
