"""Actions on information requests: the one door to their data (API and views alike).

Every action checks access, validates with a schema from schema.py and returns plain
dicts. Anonymous callers and other bodies' staff get only the public fields
(dictize.public_fields); the requester and the body's officers get everything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import uuid
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.layananpublik import workcalendar
from ckanext.layananpublik.requests import deadlines, dictize, files, jobs, ratelimit, registry
from ckanext.layananpublik.requests import schema as sch
from ckanext.layananpublik.requests import workflow as wf
from ckanext.layananpublik.requests.model import InformationRequest, RequestEvent, RequestFile, now
from ckanext.layananpublik.roles import access

log = logging.getLogger(__name__)


def _validate(data_dict: dict, schema: dict, context: Any) -> dict:
    data, errors = tk.navl_validate(data_dict, schema, context)
    if errors:
        raise tk.ValidationError(errors)
    return data


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_by_reference(table: Any, data: dict, lock: bool, missing: str, not_found: str) -> Any:
    """A request, objection or complaint by its tracking token, id or registration number.
    With `lock`, two officers acting at once: the second waits, then sees the first's change."""
    query = model.Session.query(table)
    if data.get("tracking_token"):
        query = query.filter(table.tracking_token_hash == token_hash(data["tracking_token"]))
    elif data.get("id"):
        query = query.filter(table.id == data["id"])
    elif data.get("registration_number"):
        query = query.filter(table.registration_number == data["registration_number"])
    else:
        raise tk.ValidationError({"id": [missing]})
    row = (query.with_for_update() if lock else query).first()
    if row is None:
        raise tk.ObjectNotFound(not_found)
    return row


def _find(data: dict, lock: bool = False) -> InformationRequest:
    return find_by_reference(
        InformationRequest, data, lock,
        tk._("Give the request's id, registration number or tracking token"), tk._("Request not found"),
    )  # fmt: skip


def _auth_dict(row: InformationRequest, data: dict) -> dict:
    return {
        "id": row.id,
        "organization_id": row.organization_id,
        "user_id": row.user_id,
        "is_spam": row.is_spam,
        "tracking_token_valid": bool(data.get("tracking_token"))
        and secrets.compare_digest(token_hash(data["tracking_token"]), row.tracking_token_hash),
    }


def _can_see_personal_data(context: Any, row: InformationRequest, data: dict) -> bool:
    try:
        tk.check_access("layananpublik_request_show_personal", context, _auth_dict(row, data))
    except tk.NotAuthorized:
        return False
    return True


def _actor(context: Any) -> tuple[str | None, str]:
    user = model.User.get(context.get("user")) if context.get("user") else None
    return (user.id if user else None), (
        "officer" if user and not context.get("as_requester") else "requester"
    )


def _event(row: InformationRequest, context: Any, action: str, note: str | None = None, **data: Any) -> None:
    actor_id, role = _actor(context)
    if action == "submitted":
        role = "requester"
    model.Session.add(
        RequestEvent(
            request_id=row.id, at=now(), actor_id=actor_id, actor_role=role, action=action, note=note,
            data={k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items()},
        )
    )  # fmt: skip


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
    """
    tk.check_access("layananpublik_request_create", context, data_dict)
    data = _validate(data_dict, sch.request_create_schema(), context)
    org = model.Group.get(data["organization_id"])
    if org is None or not org.is_organization or org.state != "active":
        raise tk.ValidationError({"organization_id": [tk._("Choose a public body from the list")]})
    max_mb = tk.config.get("ckanext.layananpublik.request.identity_max_size_mb")
    identity = files.accept(
        data.get("identity_document"), "identity_document", files.IDENTITY_TYPES, max_mb * 1048576
    )
    if not access.has_role(context.get("user"), org.id):
        ratelimit.check(data.get("email"))

    received_at = now()
    tz = workcalendar.timezone()
    calendar = workcalendar.load_calendar()
    deadline = deadlines.decision_due_date(received_at, calendar, tz)
    token = secrets.token_urlsafe(24)
    user = model.User.get(context["user"]) if context.get("user") else None
    row = InformationRequest(
        id=str(uuid.uuid4()),
        organization_id=org.id,
        tracking_token_hash=token_hash(token),
        user_id=user.id if user else None,
        status="received",
        received_at=received_at,
        received_date=deadline.received,
        original_due_date=deadline.due,
        due_date=deadline.due,
        is_spam=False,
        updated_at=received_at,
        language=jobs.requester_language(),
        **{k: data.get(k) for k in dictize.REQUESTER_FIELDS + dictize.REQUEST_FIELDS},
    )
    if row.package_id:
        row.package_id = model.Package.get(row.package_id).id
    # The file is written before the number is drawn: the body's counter row stays locked
    # from then until commit, and other submissions to the body should not wait on a disk.
    stored_key = files.store(row.id, identity) if identity is not None else None
    try:
        # The number is taken in this transaction: a failed submission gives it back.
        row.registration_year, row.registration_seq, row.registration_number = registry.next_number(
            org, deadline.received
        )
        model.Session.add(row)
        model.Session.flush()
        _event(row, context, "submitted", due_date=deadline.due)
        if identity is not None:
            model.Session.add(
                RequestFile(
                    id=str(uuid.uuid4()), request_id=row.id, kind="identity", title=tk._("Identity document"),
                    filename=identity.filename, content_type=identity.content_type, size=len(identity.content),
                    storage_key=stored_key, created_at=received_at, created_by=user.id if user else None,
                )
            )  # fmt: skip
        model.Session.commit()
    except Exception:
        model.Session.rollback()
        if stored_key:
            files.remove(stored_key)
        raise
    tracking_url = tk.url_for("layananpublik_request.track", token=token, _external=True)
    if row.email:
        jobs.notify_requester_submitted(row, tracking_url)
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
    data = _validate(data_dict, sch.request_ref_schema(), context)
    row = _find(data)
    if (
        row.is_spam
        and not access.has_role(context.get("user"), row.organization_id)
        and not context.get("ignore_auth")
    ):
        # Hidden as if it never existed: "access denied" would confirm that it does.
        raise tk.ObjectNotFound(tk._("Request not found"))
    tk.check_access("layananpublik_request_show", context, _auth_dict(row, data))
    full = _can_see_personal_data(context, row, data)
    result = dictize.request_dict(row, full=full, calendar=workcalendar.load_calendar())
    result["viewer_is_officer"] = access.has_role(context.get("user"), row.organization_id)
    result["allowed_actions"] = wf.allowed_actions(row.status) if result["viewer_is_officer"] else []
    return result


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
    return query.filter(InformationRequest.is_spam.is_(False))


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
    :param include_spam: inbox only: also list requests marked as spam
    :param overdue: only open requests past their due date
    :param due_before: only open requests due on or before this date (YYYY-MM-DD)
    :param q: words of the registration number or subject
    :param sort: newest (default), oldest, due, or decided (latest decision first; requests
        not decided last)
    :param limit: page size (default 20)
    :param offset: first row
    :returns: ``{"count": n, "results": [...]}``
    """
    data = _validate(data_dict, sch.request_list_schema(), context)
    if data.get("organization_id"):
        data["organization_id"] = model.Group.get(data["organization_id"]).id
    tk.check_access("layananpublik_request_list", context, data)
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
    today = deadlines.local_date(now(), workcalendar.timezone())
    if data.get("overdue"):
        query = query.filter(R.status.in_(wf.OPEN_STATUSES), R.due_date < today)
    if data.get("due_before"):
        query = query.filter(R.status.in_(wf.OPEN_STATUSES), R.due_date <= data["due_before"])
    if data.get("q"):
        pattern = "%" + data["q"].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        subject = R.information_requested if data["scope"] != "public" else sa.func.coalesce(
            R.public_summary, R.information_requested
        )  # fmt: skip
        query = query.filter(sa.or_(R.registration_number.ilike(pattern), subject.ilike(pattern),
                                    R.public_summary.ilike(pattern)))  # fmt: skip
    count = query.order_by(None).count()
    order = {
        "newest": [R.received_at.desc(), R.id],
        "oldest": [R.received_at.asc(), R.id],
        "due": [R.status == "decided", R.due_date.asc(), R.received_at.asc()],
        "decided": [R.decided_at.desc().nulls_last(), R.received_at.desc(), R.id],
    }[data["sort"]]
    rows = query.order_by(*order).limit(data["limit"]).offset(data["offset"]).all()
    full = data["scope"] in ("inbox", "mine")
    calendar = workcalendar.load_calendar() if full else None
    return {
        "count": count,
        "results": [dictize.request_dict(r, full=full, calendar=calendar, history=False) for r in rows],
    }


# --- officer workflow ------------------------------------------------------------------------


def _transition(context: Any, data_dict: dict, action: str, schema: dict) -> tuple[InformationRequest, dict]:
    data = _validate(data_dict, schema, context)
    row = _find(data, lock=True)
    tk.check_access(f"layananpublik_request_{action}", context, _auth_dict(row, data))
    try:
        row.status = wf.next_status(action, row.status)
    except wf.TransitionError as exc:
        model.Session.rollback()
        raise tk.ValidationError(
            {"status": [tk._("This step is not possible now: the request is {status}").format(
                status=wf.status_label(exc.status).lower())]}
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
    _event(row, context, "in_process", data.get("note"))
    return _done(row, context)


def layananpublik_request_extend(context: Any, data_dict: dict) -> dict:
    """Extend the deadline once, by 1 to 7 working days, with written reasons (Pasal 22(8)).

    :param id: the request
    :param days: working days (1–7)
    :param reason: the written reason, shown to the requester
    """
    row, data = _transition(context, data_dict, "extend", sch.request_extend_schema())
    if row.extension_days or row.reopened_at:
        # Pasal 22(8) allows one extension; a request sent back by the superior has none.
        model.Session.rollback()
        raise tk.ValidationError({"days": [tk._("The deadline of this request can no longer be extended")]})
    calendar = workcalendar.load_calendar()
    original = dictize.original_deadline(row, calendar)
    extended = deadlines.extended_due_date(original, data["days"], calendar)
    row.extension_days, row.extension_reason, row.extended_at = data["days"], data["reason"], now()
    row.due_date = extended.due
    _event(row, context, "extended", data["reason"], days=data["days"], due_date=extended.due)
    result = _done(row, context)
    jobs.notify_requester_changed(row, "extended")
    return result


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
    :param fee: cost in rupiah (0 or empty when free)
    :param fee_note: how to pay
    :param decision_note: further remarks in the notice
    :param handed_over_date: date the information was handed over (YYYY-MM-DD)
    """
    row, data = _transition(context, data_dict, "decide", sch.request_decide_schema())
    calendar = workcalendar.load_calendar()
    decided_at = now()
    decision_date = deadlines.local_date(decided_at, workcalendar.timezone())
    for field in dictize.DECISION_FIELDS:
        setattr(row, field, data.get(field))
    row.refusal_grounds = data.get("refusal_grounds") or None
    row.decided_at, row.decision_date = decided_at, decision_date
    row.decided_by = model.User.get(context["user"]).id if context.get("user") else None
    row.working_days_taken = deadlines.working_days_between(row.received_date, decision_date, calendar)
    _event(row, context, "decided", data.get("decision_note"), outcome=row.outcome,
           working_days_taken=row.working_days_taken)  # fmt: skip
    result = _done(row, context)
    jobs.notify_requester_changed(row, "decided")
    return result


def _officer_change(
    context: Any, data_dict: dict, action: str, schema: dict
) -> tuple[InformationRequest, dict]:
    data = _validate(data_dict, schema, context)
    row = _find(data, lock=True)
    tk.check_access(f"layananpublik_request_{action}", context, _auth_dict(row, data))
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
    _event(row, context, "file_attached", data["title"], file_id=attached.id)
    try:
        return _done(row, context)
    except Exception:
        if attached.storage_key:
            files.remove(attached.storage_key)
        raise


def layananpublik_request_mark_spam(context: Any, data_dict: dict) -> dict:
    """Mark a request as spam (hidden from the register, the inbox and the statistics) or
    undo that.

    :param id: the request
    :param spam: true (default) or false
    :param reason: why
    """
    row, data = _officer_change(context, data_dict, "mark_spam", sch.request_spam_schema())
    row.is_spam, row.spam_reason = data["spam"], data.get("reason") if data["spam"] else None
    _event(row, context, "marked_spam" if data["spam"] else "unmarked_spam", data.get("reason"))
    return _done(row, context)


def layananpublik_request_summary_update(context: Any, data_dict: dict) -> dict:
    """Publish a cleaned summary in the public register instead of the requester's own words.

    :param id: the request
    :param public_summary: the summary (empty to show the original text again)
    """
    row, data = _officer_change(context, data_dict, "summary_update", sch.request_summary_schema())
    row.public_summary = data.get("public_summary")
    _event(row, context, "summary_published", data.get("public_summary"))
    return _done(row, context)


@tk.side_effect_free
def layananpublik_request_file_show(context: Any, data_dict: dict) -> dict:
    """Metadata of a request's file, for the requester and the body's officers. The view that
    streams it reads ``storage_key``; a file's bytes are never in an API response.

    :param id: the request (or registration_number / tracking_token)
    :param file_id: the file
    """
    data = _validate(data_dict, sch.request_file_schema(), context)
    row = _find(data)
    tk.check_access("layananpublik_request_file_show", context, _auth_dict(row, data))
    attached = model.Session.get(RequestFile, data["file_id"])
    if attached is None or attached.request_id != row.id:
        raise tk.ObjectNotFound(tk._("File not found"))
    return dictize.file_dict(attached, internal=True)


# --- register, statistics, reminders --------------------------------------------------------


@tk.side_effect_free
def layananpublik_request_register(context: Any, data_dict: dict) -> list[dict]:
    """The officers' request register with the full legal columns (DOMAIN.md, "Registers").

    :param organization_id: the body (required unless sysadmin)
    :param year: registration year (default: this year)
    """
    data = _validate(data_dict, sch.register_schema(), context)
    if data.get("organization_id"):
        data["organization_id"] = model.Group.get(data["organization_id"]).id
    tk.check_access("layananpublik_request_register", context, data)
    year = data.get("year") or deadlines.local_date(now(), workcalendar.timezone()).year
    return registry.register_rows(data.get("organization_id"), year)


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
    """
    data = _validate(data_dict, sch.stats_schema(), context)
    if data.get("organization_id"):
        data["organization_id"] = model.Group.get(data["organization_id"]).id
    tk.check_access("layananpublik_request_stats", context, data)
    year = data.get("year") or deadlines.local_date(now(), workcalendar.timezone()).year
    return registry.statistics(year, data.get("organization_id"), data.get("date_from"), data.get("date_to"))


def layananpublik_request_send_reminders(context: Any, data_dict: dict) -> dict:
    """Email officers about open requests near or past their deadline, once per request,
    kind and due date (run by `ckan layananpublik send-reminders` from cron). Sysadmins only.

    :returns: ``{"due_soon": n, "overdue": m}``, reminders sent now
    """
    tk.check_access("layananpublik_request_send_reminders", context, data_dict)
    return jobs.send_reminders()


# --- working-day calendar --------------------------------------------------------------------


def _recompute(context: Any) -> int:
    changed = registry.recompute_open_deadlines(workcalendar.load_calendar())
    for row, old in changed:
        _event(row, context, "deadline_recomputed", None, old_due_date=old, due_date=row.due_date)
    return len(changed)


@tk.side_effect_free
def layananpublik_calendar_day_list(context: Any, data_dict: dict) -> dict:
    """Non-working days of a year, as deadlines count them: national holidays and cuti
    bersama from the `holidays` package, and administrators' entries (which win).

    :param year: the year (default: this year)
    """
    tk.check_access("layananpublik_calendar_day_list", context, data_dict)
    data = _validate(data_dict, sch.calendar_list_schema(), context)
    year = data.get("year") or deadlines.local_date(now(), workcalendar.timezone()).year
    return workcalendar.year_overview(year)


def layananpublik_calendar_day_update(context: Any, data_dict: dict) -> dict:
    """Add or change one calendar day (sysadmins). Open requests' deadlines are recomputed.

    :param day: YYYY-MM-DD
    :param kind: holiday, cuti_bersama or working_day (a day declared working)
    :param name: what it is, e.g. "Cuti bersama Idulfitri"
    """
    tk.check_access("layananpublik_calendar_day_update", context, data_dict)
    data = _validate(data_dict, sch.calendar_day_schema(), context)
    workcalendar.put_day(data["day"], data["kind"], data["name"], "manual")
    recomputed = _recompute(context)
    model.Session.commit()
    return {
        "day": data["day"].isoformat(),
        "kind": data["kind"],
        "name": data["name"],
        "recomputed": recomputed,
    }


def layananpublik_calendar_day_delete(context: Any, data_dict: dict) -> dict:
    """Remove an administrator's calendar entry (sysadmins); the package's default applies again.

    :param day: YYYY-MM-DD
    """
    tk.check_access("layananpublik_calendar_day_delete", context, data_dict)
    data = _validate(data_dict, sch.calendar_day_delete_schema(), context)
    if not workcalendar.delete_day(data["day"]):
        raise tk.ObjectNotFound(tk._("No calendar entry on that day"))
    recomputed = _recompute(context)
    model.Session.commit()
    return {"day": data["day"].isoformat(), "recomputed": recomputed}


def layananpublik_calendar_import(context: Any, data_dict: dict) -> dict:
    """Import whole-day events of an iCalendar file as holidays or cuti bersama (sysadmins).

    :param ical: the file's text (or an upload)
    :param kind: holiday (default) or cuti_bersama, for events whose name does not say
    """
    tk.check_access("layananpublik_calendar_import", context, data_dict)
    data = _validate(data_dict, sch.calendar_import_schema(), context)
    text = data["ical"]
    if hasattr(text, "read") or hasattr(text, "stream"):
        raw = (getattr(text, "stream", None) or text).read(2_000_000)
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    try:
        days = workcalendar.parse_ical(str(text), data["kind"])
    except workcalendar.ICalError as exc:
        raise tk.ValidationError(
            {"ical": [tk._("This is not a usable iCalendar file: {error}").format(error=exc)]}
        ) from None
    for day in days:
        workcalendar.put_day(day.day, day.kind, day.name, "ical")
    recomputed = _recompute(context)
    model.Session.commit()
    return {"imported": len(days), "recomputed": recomputed,
            "days": [{"day": d.day.isoformat(), "kind": d.kind, "name": d.name} for d in days]}  # fmt: skip
