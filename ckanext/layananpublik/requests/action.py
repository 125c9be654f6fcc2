"""Actions on information requests: the one door to their data (API and views alike).

Every action checks access, validates with a schema from schema.py and returns plain
dicts. Anonymous callers and other bodies' staff get only the public fields
(dictize.public_fields); the requester and the body's officers get everything.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.layananpublik.calendar import deadlines
from ckanext.layananpublik.calendar.store import load_calendar
from ckanext.layananpublik.cases import events, files, lookup, numbers, outbox, ratelimit
from ckanext.layananpublik.cases.auth import allowed
from ckanext.layananpublik.cases.clock import local_day, now, timezone, today
from ckanext.layananpublik.cases.formatting import date
from ckanext.layananpublik.cases.labels import layananpublik_label as label
from ckanext.layananpublik.cases.mail import in_language, requester_language
from ckanext.layananpublik.cases.schema import checked, register_schema, validate
from ckanext.layananpublik.objections.model import Objection
from ckanext.layananpublik.requests import dictize, jobs, register
from ckanext.layananpublik.requests import schema as sch
from ckanext.layananpublik.requests import workflow as wf
from ckanext.layananpublik.requests.model import InformationRequest, RequestEvent, RequestFile
from ckanext.layananpublik.roles import access


def _identity_uploads(data: dict) -> dict:
    """The identity document and, when a proxy files, the power of attorney: kind -> (title,
    upload), each checked by its content and size."""
    max_bytes = tk.config.get("ckanext.layananpublik.request.identity_max_size_mb") * 1048576
    uploads = {}
    for kind, field, title in (("identity", "identity_document", tk._("Identity document")),
                               ("power_of_attorney", "power_of_attorney", tk._("Power of attorney (surat kuasa)"))):  # fmt: skip
        upload = files.accept(data.get(field), field, files.IDENTITY_TYPES, max_bytes)
        if upload is not None:
            uploads[kind] = (title, upload)
    if data.get("principal_name") and "power_of_attorney" not in uploads:
        raise tk.ValidationError({"power_of_attorney": [tk._(
            "A proxy attaches the power of attorney (surat kuasa) from the person they act for")]})  # fmt: skip
    if "power_of_attorney" in uploads and not data.get("principal_name"):
        raise tk.ValidationError({"principal_name": [tk._("Name the person you act for")]})
    return uploads


def _received_at(context: Any, data: dict, organization_id: str) -> dt.datetime:
    """Now, for a request sent online; for one an officer records (received at the desk, by post
    or otherwise), the real time of receipt: in the past, within a year, read in the body's time
    zone when typed without an offset."""
    channel, typed = data.get("received_channel"), data.get("received_at")
    if (channel in (None, "online")) and typed is None:
        return now()
    if not access.has_role(context.get("user"), organization_id):
        raise tk.NotAuthorized(tk._("Only an information officer of this body records a request received offline"))
    if typed is None:
        return now()
    if typed.tzinfo is None:
        typed = typed.replace(tzinfo=ZoneInfo(timezone(organization_id)))
    if typed > now():
        raise tk.ValidationError({"received_at": [tk._("The time of receipt cannot be in the future")]})
    if typed < now() - dt.timedelta(days=366):
        raise tk.ValidationError({"received_at": [tk._("The time of receipt is more than a year ago")]})
    return typed


def find(data: dict, lock: bool = False) -> InformationRequest:
    """A request by id, registration number or tracking token (objections find theirs so too)."""
    return lookup.find_by_reference(        InformationRequest, data, lock,
        tk._("Give the request's id, registration number or tracking token"), tk._("Request not found"),
    )  # fmt: skip


def auth_dict(row: InformationRequest, data: dict) -> dict:
    """What the auth functions are told of a request: its body, its account, whether the
    caller holds its tracking token, and whether it is under objection (the superior's business)."""
    return {
        "id": row.id,
        "organization_id": row.organization_id,
        "user_id": row.user_id,
        "is_spam": row.is_spam,
        "tracking_token_valid": lookup.token_matches(data.get("tracking_token"), row.tracking_token_hash),
        "under_objection": model.Session.query(Objection.id).filter_by(request_id=row.id).first() is not None,
    }


def _can_see_personal_data(context: Any, row: Any, data: dict) -> bool:
    return allowed("layananpublik_request_show_personal", context, auth_dict(row, data))


def event(row: InformationRequest, context: Any, action: str, note: str | None = None, role: str | None = None,
          **data: Any) -> None:  # fmt: skip
    """One step of the request's history."""
    role = role or "requester" if action == "submitted" else role  # an officer may record it (offline)
    events.record(RequestEvent, {"request_id": row.id}, context, action, note, role, **data)


# --- create -----------------------------------------------------------------------------


def layananpublik_request_create(context: Any, data_dict: dict) -> dict:
    """Submit a request for public information (permohonan informasi publik).

    Works without an account. Returns the request with its registration number and a
    secret ``tracking_token`` (shown once; only its hash is stored) and ``tracking_url``.

    :param organization_id: the public body (organisation id or name)
    :param requester_type: ``individual`` or ``legal_entity``
    :param name: full name of the requester (or of the proxy)
    :param nik: 16-digit NIK (individuals)
    :param entity_decree_number: decree number of a legal entity
    :param address: postal address
    :param phone: phone number (phone and/or email required)
    :param email: email address; the receipt and tracking link are sent there
    :param occupation: occupation
    :param information_requested: the information asked for
    :param purpose: what it will be used for
    :param obtain_method: ``inspect`` (see/read/listen/take notes), ``softcopy`` or ``hardcopy``
    :param delivery_method: ``pick_up``, ``courier``, ``post``, ``fax`` or ``email``
    :param package_id: optional dataset the request concerns
    :param identity_document: optional upload (JPEG, PNG, WebP or PDF; checked by content)
    :param principal_name: the person a proxy files for (``name`` is then the proxy's); needs
    :param power_of_attorney: the power of attorney (surat kuasa): an upload like the identity document
    :param received_channel: officers of the body: how a request recorded by them was received
        (``desk``, ``post``, ``email``, ``fax``; default ``online``)
    :param received_at: officers of the body: when it was received (``YYYY-MM-DDTHH:MM``, the body's
        time zone unless an offset is given; not in the future, within a year): its deadline counts
        from there; the recording is kept in its history
    """
    tk.check_access("layananpublik_request_create", context, data_dict)
    ratelimit.count_submission(context, data_dict.get("organization_id"), data_dict.get("email"),
                               data_dict.get("phone"))  # fmt: skip
    data = validate(data_dict, sch.request_create_schema(), context)
    org = numbers.active_body(data["organization_id"])
    uploads = _identity_uploads(data)
    received_at = _received_at(context, data, org.id)
    calendar = load_calendar()
    deadline = deadlines.decision_due_date(received_at, calendar, timezone(org.id))
    token = lookup.new_token()
    user = model.User.get(context["user"]) if context.get("user") else None
    row = InformationRequest(
        id=str(uuid.uuid4()),
        organization_id=org.id,
        tracking_token_hash=lookup.token_hash(token),
        tracking_token_sealed=lookup.sealed_until_mailed(token, data.get("email")),
        user_id=user.id if user else None,
        status="received",
        received_at=received_at,
        received_date=deadline.received,
        original_due_date=deadline.due,
        due_date=deadline.due,
        is_spam=False,
        updated_at=received_at,
        language=requester_language(),
        received_channel=data.get("received_channel") if data.get("received_channel") != "online" else None,
        **{k: data.get(k) for k in dictize.REQUESTER_FIELDS + dictize.REQUEST_FIELDS},
    )
    if row.package_id:
        row.package_id = model.Package.get(row.package_id).id
    # The file is written before the number is drawn: the body's counter row stays locked
    # from then until commit, and other submissions to the body should not wait on a disk.
    stored = {kind: (title, upload, files.store(row.id, upload)) for kind, (title, upload) in uploads.items()}
    try:
        # The number is taken in this transaction: a failed submission gives it back.
        numbers.assign(row, org, deadline.received, "request")
        model.Session.add(row)
        model.Session.flush()
        if row.received_channel or data.get("received_at"):  # recorded by an officer: audited
            event(row, context, "submitted", role="officer", due_date=deadline.due, received_at=received_at,
                  channel=row.received_channel or "online", recorded_at=now())  # fmt: skip
        else:
            event(row, context, "submitted", due_date=deadline.due)
        for kind, (title, upload, key) in stored.items():
            model.Session.add(
                RequestFile(
                    id=str(uuid.uuid4()), request_id=row.id, kind=kind, title=title, filename=upload.filename,
                    content_type=upload.content_type, size=len(upload.content), storage_key=key,
                    created_at=now(), created_by=user.id if user else None,
                )
            )  # fmt: skip
        tracking_url = tk.url_for("layananpublik_request.track", token=token, _external=True)
        if row.email:  # the receipt is committed with the request (cases/outbox.py)
            jobs.notify_requester_submitted(row)
        model.Session.commit()
    except Exception:
        model.Session.rollback()
        for _title, _upload, key in stored.values():
            files.remove(key)
        raise
    result = dictize.request_dict(row, full=True, calendar=calendar)
    result["tracking_token"] = token
    result["tracking_url"] = tracking_url
    return result


# --- read -------------------------------------------------------------------------------


@tk.side_effect_free
def layananpublik_request_show(context: Any, data_dict: dict) -> dict:
    """One request. The public sees its register entry; the requester (signed in, or with
    the tracking token) and the body's officers also see personal data, history and files.

    :param id: request id, or
    :param registration_number: its registration number, or
    :param tracking_token: the secret from the tracking link
    """
    data = validate(data_dict, sch.request_ref_schema(), context)
    row = find(data)
    tk.check_access("layananpublik_request_show", context, auth_dict(row, data))
    full = _can_see_personal_data(context, row, data)
    result = dictize.request_dict(row, full=full, calendar=load_calendar())
    result["viewer_is_officer"] = access.has_role(context.get("user"), row.organization_id)
    result["allowed_actions"] = _steps_now(row) if result["viewer_is_officer"] else []
    return result


def _steps_now(row: InformationRequest) -> list[str]:
    """The workflow's steps from the request's status, less an extension that is no longer
    possible (one only, within the 10 working days, none after a superior sent it back)."""
    steps = wf.allowed_actions(row.status)
    if row.extension_days or row.reopened_at or today(row.organization_id) > row.original_due_date:
        steps = [s for s in steps if s != "extend"]
    return steps


def _scope_filter(context: Any, data: dict, query: Any) -> Any:
    user = context.get("user")
    if data["scope"] == "mine":
        account = model.User.get(user) if user else None
        return query.filter(InformationRequest.user_id == account.id)
    if data["scope"] == "inbox":
        bodies = access.bodies_with_role(user)
        if bodies is not None:
            query = query.filter(InformationRequest.organization_id.in_(bodies))
        if not data.get("include_spam"):
            query = query.filter(InformationRequest.is_spam.is_(False))
        return query
    # The public register lists set-aside requests too (number, body, dates, status): the
    # numbers run without gaps, and each can be explained.
    return query


@tk.side_effect_free
def layananpublik_request_list(context: Any, data_dict: dict) -> dict:
    """Search requests. ``scope=public`` (default) is the public register: public fields
    only, spam hidden. ``scope=inbox`` is an officer's inbox across their bodies (full
    fields); ``scope=mine`` the signed-in requester's own requests.

    :param organization_id: one body
    :param year: registration year
    :param status: received, in_process, extended or decided
    :param outcome: granted_full, granted_part, refused, not_held or not_documented
    :param scope: ``public`` (default), ``inbox`` (officers) or ``mine`` (signed-in requester)
    :param include_spam: inbox only: also list requests set aside as spam (the public register
        lists them, without their text)
    :param overdue: only open requests past their due date
    :param due_before: only open requests due on or before this date (YYYY-MM-DD)
    :param q: words of the registration number or subject
    :param sort: newest (default), oldest, due, or decided (latest decision first; requests
        not decided last)
    :param limit: page size (default 20)
    :param offset: first row
    :returns: ``{"count": n, "results": [...]}``
    """
    data = checked(context, data_dict, sch.request_list_schema(), "layananpublik_request_list")
    R = InformationRequest
    query = _scope_filter(context, data, model.Session.query(R))
    if data.get("organization_id"):
        query = query.filter(R.organization_id == data["organization_id"])
    if data.get("year"):
        query = query.filter(R.registration_year == data["year"])
    if data.get("status"):
        query = query.filter(R.status == data["status"])
    if data.get("outcome"):
        query = query.filter(R.outcome == data["outcome"])
    if data.get("overdue"):
        query = query.filter(R.status.in_(wf.OPEN_STATUSES), R.due_date < today())
    if data.get("due_before"):
        query = query.filter(R.status.in_(wf.OPEN_STATUSES), R.due_date <= data["due_before"])
    if data.get("q"):
        pattern = "%" + data["q"].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        # The public finds requests only by what is published of them (never the requester's words).
        texts = [R.public_summary] if data["scope"] == "public" else [R.information_requested, R.public_summary]
        query = query.filter(sa.or_(R.registration_number.ilike(pattern), *(t.ilike(pattern) for t in texts)))
    count = query.order_by(None).count()
    order = {
        "newest": [R.received_at.desc(), R.id],
        "oldest": [R.received_at.asc(), R.id],
        "due": [R.status == "decided", R.due_date.asc(), R.received_at.asc()],
        "decided": [R.decided_at.desc().nulls_last(), R.received_at.desc(), R.id],
    }[data["sort"]]
    rows = query.order_by(*order).limit(data["limit"]).offset(data["offset"]).all()
    full = data["scope"] in ("inbox", "mine")
    calendar = load_calendar() if full else None
    return {
        "count": count,
        "results": [dictize.request_dict(r, full=full, calendar=calendar, history=False) for r in rows],
    }


# --- officer workflow ------------------------------------------------------------------------


def _transition(context: Any, data_dict: dict, action: str, schema: dict) -> tuple[InformationRequest, dict]:
    data = validate(data_dict, schema, context)
    row = find(data, lock=True)
    tk.check_access(f"layananpublik_request_{action}", context, auth_dict(row, data))
    try:
        row.status = wf.next_status(action, row.status)
    except wf.TransitionError as exc:
        model.Session.rollback()
        raise tk.ValidationError(
            {"status": [tk._("This step is not possible now: the request is {status}").format(
                status=label("status", exc.status).lower())]}
        ) from None  # fmt: skip
    row.updated_at = now()
    return row, data


def _done(row: InformationRequest, context: Any) -> dict:
    model.Session.commit()
    return layananpublik_request_show(context, {"id": row.id})


def layananpublik_request_process(context: Any, data_dict: dict) -> dict:
    """Mark a received request as in process (officer of its body).

    :param id: the request
    :param note: optional note for the history
    """
    row, data = _transition(context, data_dict, "process", sch.request_note_schema())
    event(row, context, "in_process", data.get("note"))
    return _done(row, context)


def layananpublik_request_extend(context: Any, data_dict: dict) -> dict:
    """Extend the deadline once, by 1 to 7 working days, with written reasons (Pasal 22(8)),
    while the 10-working-day period runs: on its last day at the latest. After it the request
    is overdue, and an extension would erase that (and the requester's objection ground c).

    :param id: the request
    :param days: working days (1–7)
    :param reason: the written reason, shown to the requester
    """
    row, data = _transition(context, data_dict, "extend", sch.request_extend_schema())
    if row.extension_days or row.reopened_at:
        # Pasal 22(8) allows one extension; a request sent back by the superior has none.
        model.Session.rollback()
        raise tk.ValidationError({"days": [tk._("The deadline of this request can no longer be extended")]})
    if today(row.organization_id) > row.original_due_date:
        model.Session.rollback()
        raise tk.ValidationError({"days": [tk._(
            "The period to extend ended on {date}: an extension must be notified within the 10 working days "
            "(Pasal 22(8)). Decide the request now; it is overdue."
        ).format(date=date(row.original_due_date))]})  # fmt: skip
    calendar = load_calendar()
    original = dictize.original_deadline(row, calendar)
    extended = deadlines.extended_due_date(original, data["days"], calendar)
    row.extension_days, row.extension_reason, row.extended_at = data["days"], data["reason"], now()
    row.due_date = extended.due
    event(row, context, "extended", data["reason"], days=data["days"], due_date=extended.due)
    jobs.notify_requester_changed(row, "extended")
    return _done(row, context)


def layananpublik_request_decide(context: Any, data_dict: dict) -> dict:
    """Issue the written decision notice (pemberitahuan tertulis, Pasal 22(7)).

    :param id: the request
    :param outcome: granted_full, granted_part, refused, not_held or not_documented
    :param refusal_grounds: Pasal 17 letters (a–j), required for a refusal
    :param referral_body: the body that holds the information (not_held)
    :param information_given: what will be given (grants)
    :param redactions: which parts are withheld and why (granted_part)
    :param release_format: softcopy, hardcopy or both
    :param release_delivery: pick_up, courier, post, fax or email
    :param fee: cost in rupiah (grants: required, 0 when free), or
    :param fee_copying: its copying part, and
    :param fee_postage: its postage part (the fee is then their sum)
    :param fee_note: how to pay (required when the fee is not 0)
    :param provide_by_date: grants: by when the information is provided (YYYY-MM-DD)
    :param exempt_item_id: refusals and partial grants: the DIK entry with the consequence test, or
    :param consequence_test: the consequence test (Pasal 19) written in the decision
    :param decision_note: further remarks in the notice
    :param handed_over_date: date the information was handed over (YYYY-MM-DD; may be recorded later)
    """
    row, data = _transition(context, data_dict, "decide", sch.request_decide_schema())
    calendar = load_calendar()
    decided_at = now()
    decision_date = local_day(decided_at, row.organization_id)
    _check_notice_dates(row, data, decision_date)
    if data.get("exempt_item_id") and not _exempt_item_of(row, data["exempt_item_id"]):
        model.Session.rollback()
        raise tk.ValidationError({"exempt_item_id": [tk._("Choose an exemption entry (DIK) of this public body")]})
    for field in dictize.DECISION_FIELDS:
        setattr(row, field, data.get(field))
    row.refusal_grounds = data.get("refusal_grounds") or None
    row.decided_at, row.decision_date = decided_at, decision_date
    row.decided_by = model.User.get(context["user"]).id if context.get("user") else None
    row.working_days_taken = deadlines.working_days_between(row.received_date, decision_date, calendar)
    event(row, context, "decided", data.get("decision_note"), outcome=row.outcome,
           working_days_taken=row.working_days_taken)  # fmt: skip
    jobs.notify_requester_changed(row, "decided")
    return _done(row, context)


def _check_notice_dates(row: InformationRequest, data: dict, decision_date: dt.date) -> None:
    """The information is provided on or after the notice, and handed over on or after receipt,
    never in the future."""
    errors: dict[str, list[str]] = {}
    if data.get("provide_by_date") and data["provide_by_date"] < decision_date:
        errors["provide_by_date"] = [tk._("The date to provide the information cannot be before the notice")]
    handed = data.get("handed_over_date")
    if handed and not row.received_date <= handed <= today(row.organization_id):
        errors["handed_over_date"] = [tk._("The handover date lies between the day of receipt and today")]
    if errors:
        model.Session.rollback()
        raise tk.ValidationError(errors)


def _exempt_item_of(row: InformationRequest, item_id: str) -> bool:
    from ckanext.layananpublik.transparency.dip.model import ExemptItem

    item = model.Session.get(ExemptItem, item_id)
    return item is not None and item.organization_id == row.organization_id


def _officer_change(
    context: Any, data_dict: dict, action: str, schema: dict
) -> tuple[InformationRequest, dict]:
    data = validate(data_dict, schema, context)
    row = find(data, lock=True)
    tk.check_access(f"layananpublik_request_{action}", context, auth_dict(row, data))
    row.updated_at = now()
    return row, data


def layananpublik_request_attach(context: Any, data_dict: dict) -> dict:
    """Attach released information: an uploaded file, a link, or a dataset of the catalogue.

    :param id: the request
    :param title: what it is
    :param upload: a file (multipart), or
    :param url: a link, or
    :param package_id: a dataset
    """
    row, data = _officer_change(context, data_dict, "attach", sch.request_attach_schema())
    max_mb = tk.config.get("ckanext.layananpublik.request.release_max_size_mb")
    upload = files.accept(data.get("upload"), "upload", None, max_mb * 1048576)
    if sum(x is not None for x in (upload, data.get("url"), data.get("package_id"))) != 1:
        model.Session.rollback()
        raise tk.ValidationError({"upload": [tk._("Give exactly one of: a file, a link or a dataset")]})
    user = model.User.get(context["user"]) if context.get("user") else None
    attached = RequestFile(
        id=str(uuid.uuid4()), request_id=row.id, kind="release", title=data["title"], url=data.get("url"),
        package_id=model.Package.get(data["package_id"]).id if data.get("package_id") else None,
        created_at=now(), created_by=user.id if user else None,
    )  # fmt: skip
    if upload is not None:
        attached.filename, attached.content_type, attached.size = (
            upload.filename,
            upload.content_type,
            len(upload.content),
        )
        attached.storage_key = files.store(row.id, upload)
    model.Session.add(attached)
    event(row, context, "file_attached", data["title"], file_id=attached.id)
    try:
        return _done(row, context)
    except Exception:
        if attached.storage_key:
            files.remove(attached.storage_key)
        raise


def layananpublik_request_mark_spam(context: Any, data_dict: dict) -> dict:
    """Set a request aside as spam, with the reason, or (the superior) take that back. A set-aside
    request stays in the public register with its number, body, dates and status (never its
    text), in the officers' register, and on its requester's tracking page with the reason and
    the right to object; the statistics leave it out.

    :param id: the request
    :param spam: true (default): set aside (an officer of the body); false: take it back (the
        body's superior)
    :param reason: why it is set aside (required), shown to the requester
    """
    data = validate(data_dict, sch.request_spam_schema(), context)
    row = find(data, lock=True)
    auth = "layananpublik_request_mark_spam" if data["spam"] else "layananpublik_request_unmark_spam"
    tk.check_access(auth, context, auth_dict(row, data))
    if data["spam"] == row.is_spam:
        model.Session.rollback()
        raise tk.ValidationError({"spam": [
            tk._("The request is already set aside") if row.is_spam else tk._("The request is not set aside")]})
    at = now()
    row.is_spam, row.updated_at = data["spam"], at
    row.spam_reason = data.get("reason") if data["spam"] else None
    row.spam_marked_at = at if data["spam"] else None
    event(row, context, "marked_spam" if data["spam"] else "unmarked_spam", data.get("reason"),
          role="superior" if not data["spam"] else None)  # fmt: skip
    return _done(row, context)


def layananpublik_request_summary_update(context: Any, data_dict: dict) -> dict:
    """Publish what the public register says the request asks for. Until an officer does, the
    register shows the number, body, dates and status only: the requester's own words may name
    people or hold a NIK.

    :param id: the request
    :param public_summary: the officer's summary (empty: nothing published), or
    :param publish_request_text: true: publish the requester's own words, read and found to
        hold no personal data
    """
    row, data = _officer_change(context, data_dict, "summary_update", sch.request_summary_schema())
    row.public_summary = row.information_requested if data["publish_request_text"] else data.get("public_summary")
    event(row, context, "summary_published", row.public_summary, requester_text=data["publish_request_text"])
    return _done(row, context)


def layananpublik_request_handover(context: Any, data_dict: dict) -> dict:
    """Record the day the information was handed over, after the decision (the register's
    column "date information handed over").

    :param id: the request (decided, with a grant)
    :param handed_over_date: YYYY-MM-DD, between the day of receipt and today
    :param note: optional note for the history
    """
    row, data = _officer_change(context, data_dict, "handover", sch.request_handover_schema())
    if row.status != "decided" or row.outcome not in ("granted_full", "granted_part"):
        model.Session.rollback()
        raise tk.ValidationError({"handed_over_date": [tk._("Only granted information is handed over")]})
    _check_notice_dates(row, data, row.decision_date)
    row.handed_over_date = data["handed_over_date"]
    event(row, context, "handed_over", data.get("note"), handed_over_date=row.handed_over_date)
    return _done(row, context)


@tk.side_effect_free
def layananpublik_request_file_show(context: Any, data_dict: dict) -> dict:
    """Metadata of a request's file: released information for the requester and the body's
    officers; an identity document for the body's officers only. The view that streams it reads
    ``storage_key``; a file's bytes are never in an API response.

    :param id: the request (or registration_number / tracking_token)
    :param file_id: the file
    """
    data = validate(data_dict, sch.request_file_schema(), context)
    row = find(data)
    tk.check_access("layananpublik_request_file_show", context, auth_dict(row, data))
    attached = model.Session.get(RequestFile, data["file_id"])
    if attached is None or attached.request_id != row.id:
        raise tk.ObjectNotFound(tk._("File not found"))
    if attached.kind in ("identity", "power_of_attorney"):  # identity papers: the body's officers only
        tk.check_access("layananpublik_request_identity_show", context, auth_dict(row, data))
    return dictize.file_dict(attached, internal=True)


# --- register, statistics, reminders --------------------------------------------------------


@tk.side_effect_free
def layananpublik_request_register(context: Any, data_dict: dict) -> list[dict]:
    """The officers' request register with the full legal columns (DOMAIN.md, "Registers").

    :param organization_id: the body (required unless sysadmin)
    :param year: registration year (default: this year)
    """
    data = checked(context, data_dict, register_schema(), "layananpublik_request_register")
    return register.register_rows(data.get("organization_id"), data.get("year") or today().year)


@tk.side_effect_free
def layananpublik_request_stats(context: Any, data_dict: dict) -> dict:
    """Statistics of one year, per body and in total, computed in the database: requests
    received, decided, by outcome, refused by Pasal 17 ground, median and 90th percentile of
    working days to decide, share decided on time. Spam is not counted.

    :param organization_id: one body (default: every body, with a per-body breakdown)
    :param year: registration year (default: the year of date_from / date_to, else this year)
    :param date_from: only requests received on or after this day (YYYY-MM-DD, the day in the
        body's time zone; within the year)
    :param date_to: only requests received on or before this day (YYYY-MM-DD; within the year,
        not before date_from)
    :param breakdown: true: the total also has ``by_month`` (received and decided per month
        received) and ``by_working_days`` (decided requests by working days taken)
    """
    data = checked(context, data_dict, sch.stats_schema(), "layananpublik_request_stats")
    year = data.get("year") or today().year
    return register.statistics(
        year, data.get("organization_id"), data.get("date_from"), data.get("date_to"), data["breakdown"]
    )


def layananpublik_request_send_reminders(context: Any, data_dict: dict) -> dict:
    """Email officers about open requests (and superiors about objections) near or past their
    deadline, once per case, kind and due date, and body admins about the annual report due by
    31 March (run by `ckan layananpublik send-reminders` from cron). Sysadmins only.

    :returns: ``{"due_soon": n, "overdue": m}``, reminders sent now
    """
    from ckanext.layananpublik.complaints import jobs as complaint_jobs
    from ckanext.layananpublik.objections import jobs as objection_jobs
    from ckanext.layananpublik.social import reminders as feedback_reminders

    tk.check_access("layananpublik_request_send_reminders", context, data_dict)
    # In the site's language whoever triggers the run; objections' reminders go to the superiors.
    with in_language(None), outbox.written() as ids:
        sent = {**jobs.send_reminders(), **objection_jobs.send_reminders(), **complaint_jobs.send_reminders(),
                **feedback_reminders.send_reminders(),
                **tk.get_action("layananpublik_report_send_reminders")({**context, "ignore_auth": True}, {})}
        # Each reminder's emails were committed with it: sent now (this run's only), and what
        # the mail relay refuses is tried again by the outbox's drainers.
        outbox.drain(ids=list(ids))
    return sent
