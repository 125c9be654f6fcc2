"""Pages of objections (keberatan) and complaints (pengaduan): the citizen's forms and
tracking pages, the superior's and handlers' inboxes. URLs in Indonesian.

Every page only calls actions. The citizen's pages reached through a secret tracking link
are private (no-store, no-referrer, noindex) like the request tracking page; the plumbing
of both sides is the request pages' own (public.py, officer.py).
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import flask
from flask import Blueprint

from ckanext.layananpublik import spreadsheet
from ckanext.layananpublik.requests import helpers as lp
from ckanext.layananpublik.requests.objection_actions import REGISTER_COLUMNS
from ckanext.layananpublik.requests.validators import MAX_LENGTHS
from ckanext.layananpublik.requests.views import officer as staff
from ckanext.layananpublik.requests.views import public

objection_bp = Blueprint("layananpublik_objection", __name__)
complaint_bp = Blueprint("layananpublik_complaint", __name__)

OBJECTIONS = "layananpublik/objections/"
COMPLAINTS = "layananpublik/complaints/"
PAGE_SIZE = 20
OBJECTION_STATUSES = ("received", "decided")
COMPLAINT_STATUSES = ("received", "in_follow_up", "resolved", "rejected")
# The officers' forms on one objection: URL step -> (action, the form's fields).
STEPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "putuskan": (
        "layananpublik_objection_decide",
        ("decision", "reasons", "instruction", "superior_name_position"),
    ),
    "sengketa": (
        "layananpublik_objection_dispute_update",
        ("stage", "filed_date", "outcome", "note", "requester_reply"),
    ),
}
COMPLAINT_FIELDS = ("service", "description", "occurred_on", "remedy", "name", "email", "phone")


# --- plumbing --------------------------------------------------------------------------------


def _render(template: str, **extra_vars: Any) -> str:
    return tk.render(template, extra_vars={"lp": lp, **extra_vars})


def _call(action: str, data_dict: dict) -> Any:
    return tk.get_action(action)(staff._context(), data_dict)


def _filled(data: dict) -> dict:
    """The form's values as a data dict: empty fields left out, so the schema reports the
    required ones as missing."""
    return {k: v for k, v in data.items() if not (isinstance(v, str) and not v.strip())}


def _arg(name: str, allowed: tuple[str, ...]) -> str | None:
    value = tk.request.args.get(name, "")
    return value if value in allowed else None


def _page() -> int:
    return public._int_arg("page", 1) or 1


def _years() -> list[int]:
    return list(range(public._year_today(), public._year_today() - 6, -1))


def _staff_bodies(auth: str) -> list[dict]:
    """The bodies (organisations the user edits) for which `auth` allows an inbox."""
    orgs = tk.get_action("organization_list_for_user")(
        staff._context(), {"id": tk.current_user.id, "permission": "create_dataset"}
    )
    return [
        {"id": o["id"], "name": o["name"], "title": o.get("title") or o["name"]}
        for o in orgs
        if staff._allowed(auth, {"scope": "inbox", "organization_id": o["id"]})
    ]


def _history_labels() -> dict[str, str]:
    return {
        "submitted": tk._("Received"),
        "decided": tk._("Answered by the superior"),
        "dispute_filed": tk._("Dispute filed with the Komisi Informasi"),
        "dispute_mediation": tk._("Dispute in mediation"),
        "dispute_adjudication": tk._("Dispute in adjudication"),
        "dispute_decided": tk._("Dispute decided by the Komisi Informasi"),
        "dispute_withdrawn": tk._("Dispute withdrawn"),
        "status_received": tk._("Received"),
        "status_in_follow_up": tk._("In follow-up"),
        "status_resolved": tk._("Resolved"),
        "status_rejected": tk._("Rejected"),
    }


# --- the objection form -------------------------------------------------------------------------


def objection_new(token: str) -> Any:
    """The objection form of a request, reached from its tracking page."""
    req = public._by_token(token)
    if req is None:
        return public._not_found()
    pages = {
        "form_url": tk.url_for("layananpublik_objection.new", token=token),
        "request_url": tk.url_for("layananpublik_request.track", token=token),
    }
    return _objection_page(req, {"request_tracking_token": token}, pages)


def objection_new_mine(id: str) -> Any:
    """The same form for a signed-in requester, from "My requests" (no tracking link needed)."""
    if not tk.current_user.is_authenticated:
        return public._login_first()
    req = public._mine_request(id)
    # Officers may read the request too; only the account that submitted it objects here.
    if req is None or req.get("user_id") != tk.current_user.id:
        return public._not_found()
    pages = {
        "form_url": tk.url_for("layananpublik_objection.new_mine", id=req["id"]),
        "request_url": tk.url_for("layananpublik_request.mine_read", id=req["id"]),
    }
    return _objection_page(req, {"request_id": req["id"]}, pages)


def _objection_page(req: dict, ref: dict, pages: dict) -> Any:
    """ref: how the actions find the request (its tracking token, or its id for the signed-in
    requester); pages: the form's own address and the request's page."""
    options = public._objection_options(ref)
    if options is None:
        return public._not_found()
    if tk.request.method == "POST" and not options["open_objection"]:
        return _objection_submit(req, ref, options, pages)
    data = {"grounds": options["offered"], "filer_name": "", "reason": ""}
    return _objection_form(req, pages, options, data, {})


def _objection_submit(req: dict, ref: dict, options: dict, pages: dict) -> Any:
    form = tk.request.form
    data = {
        "grounds": form.getlist("grounds"),
        "reason": form.get("reason", ""),
        "filer_name": form.get("filer_name", ""),
        "filer_is_proxy": bool(form.get("filer_is_proxy")),
    }
    data_dict = _filled(data)
    if not data["grounds"]:
        data_dict.pop("grounds", None)
    data_dict.update(ref, website=form.get("website", ""))
    try:
        created = _call("layananpublik_objection_create", data_dict)
    except tk.ValidationError as exc:
        return _objection_form(req, pages, options, data, staff._error_dict(exc), status=400)
    except tk.NotAuthorized:
        return public._not_found()
    return tk.redirect_to("layananpublik_objection.track", token=created["tracking_token"])


def _objection_form(req: dict, pages: dict, options: dict, data: dict, errors: dict, status: int = 200):
    ordered = ("grounds", "reason", "filer_name", "filer_is_proxy")
    errors = dict(sorted(errors.items(), key=lambda e: ordered.index(e[0]) if e[0] in ordered else 9))
    page = _render(
        OBJECTIONS + "form.html",
        req=req,
        options=options,
        data=data,
        errors=errors,
        max_lengths=MAX_LENGTHS,
        **pages,
    )
    return public._private(page, status)


# --- the objection's tracking page and the public register --------------------------------------


def objection_track(token: str) -> Any:
    if not public._TOKEN.fullmatch(token):
        return public._not_found()
    try:
        objection = _call("layananpublik_objection_show", {"tracking_token": token})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        objection = None
    if objection is None or "history" not in objection:
        return public._private(_render(OBJECTIONS + "not_found.html"), 404)
    page = _render(OBJECTIONS + "track.html", objection=objection, history_labels=_history_labels())
    return public._private(page)


def _register_filters() -> dict:
    return {
        "organization_id": tk.request.args.get("organization_id", "").strip()[:100] or None,
        "year": public._int_arg("year"),
        "status": _arg("status", OBJECTION_STATUSES),
    }


def objection_register() -> Any:
    """Every objection with its public fields, and the year's objection figures."""
    filters = _register_filters()
    page = _page()
    query = {k: v for k, v in filters.items() if v}
    try:
        found = _call(
            "layananpublik_objection_list",
            {**query, "scope": "public", "limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE},
        )
        year = filters["year"] or public._year_today()
        stats_query = {
            "year": year,
            **({"organization_id": query["organization_id"]} if "organization_id" in query else {}),
        }
        figures = _call("layananpublik_objection_stats", stats_query)
    except tk.ValidationError:
        return tk.abort(404, tk._("Public body not found"))
    return _render(
        OBJECTIONS + "register.html",
        rows=found["results"],
        count=found["count"],
        filters=filters,
        figures=figures,
        bodies=public._bodies(),
        years=_years(),
        paging=public._page_links(found["count"], page, "layananpublik_objection.register"),
    )


def objection_read_public(number: str) -> Any:
    """One entry of the public register (no personal data), by registration number."""
    try:
        objection = _call("layananpublik_objection_show", {"registration_number": number})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return tk.abort(404, tk._("Objection not found"))
    public_keys = ("registration_number", "organization", "request", "received_date", "grounds", "status",
                   "due_date", "overdue", "superior_decision", "decision_date", "dispute_stage")  # fmt: skip
    return _render(OBJECTIONS + "read.html", objection={k: objection.get(k) for k in public_keys})


# --- the superior's and officers' side ------------------------------------------------------------


def objection_inbox() -> Any:
    redirect = staff._login_redirect()
    if redirect is not None:
        return redirect
    if not staff._allowed("layananpublik_objection_list", {"scope": "inbox"}):
        tk.abort(
            403,
            tk._(
                "Only the superior of the PPID (Atasan PPID) and information officers have an objections inbox."
            ),
        )
    filters = {
        "organization_id": tk.request.args.get("organization_id", "").strip() or None,
        "status": _arg("status", OBJECTION_STATUSES),
        "overdue": bool(tk.request.args.get("overdue")),
    }
    page = _page()
    query = {k: v for k, v in filters.items() if v}
    errors: dict = {}
    try:
        found = _call(
            "layananpublik_objection_list",
            {**query, "scope": "inbox", "limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE},
        )
    except tk.ValidationError as exc:
        errors, found = staff._error_dict(exc), {"count": 0, "results": []}
    except tk.NotAuthorized as exc:
        return tk.abort(403, str(exc))
    return tk.render(
        OBJECTIONS + "inbox.html",
        {
            "objections": found["results"],
            "count": found["count"],
            "filters": filters,
            "errors": errors,
            "bodies": _staff_bodies("layananpublik_objection_list"),
            "year": staff._today().year,
            "paging": public._page_links(found["count"], page, "layananpublik_objection.inbox"),
        },
    )


def _request_of(objection: dict) -> dict | None:
    try:
        return _call("layananpublik_request_show", {"id": objection["request"]["id"]})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return None


def _render_objection(
    id: str, step: str | None = None, errors: dict | None = None, values: dict | None = None
):
    objection = staff._action("layananpublik_objection_show", {"id": id})
    if "history" not in objection or not staff._allowed(
        "layananpublik_objection_dispute_update", {"organization_id": objection["organization"]["id"]}
    ):
        tk.abort(
            403, tk._("Only the superior and the information officers of this public body may see this page")
        )
    org = {"organization_id": objection["organization"]["id"]}
    steps = []
    if objection["status"] == "received" and staff._allowed("layananpublik_objection_decide", org):
        steps.append("putuskan")
    if objection["status"] == "decided":
        steps.append("sengketa")
    return tk.render(
        OBJECTIONS + "read_officer.html",
        {
            "objection": objection,
            "req": _request_of(objection),
            "steps": steps,
            "step": step,
            "errors": errors or {},
            "values": values or {},
            "history_labels": _history_labels(),
        },
    )


def objection_read(id: str) -> Any:
    redirect = staff._login_redirect()
    if redirect is not None:
        return redirect
    if tk.request.method == "POST":
        return objection_step(id, tk.request.form.get("step", ""))
    return _render_objection(id)


def objection_step(id: str, step: str) -> Any:
    redirect = staff._login_redirect()
    if redirect is not None:
        return redirect
    if step not in STEPS:
        return tk.abort(404, tk._("There is no such step"))
    action, fields = STEPS[step]
    data = _filled({f: tk.request.form.get(f, "") for f in fields})
    try:
        _call(action, {**data, "id": id})
    except tk.ValidationError as exc:
        return _render_objection(id, step, staff._error_dict(exc), data)
    except tk.NotAuthorized as exc:
        return tk.abort(403, str(exc))
    except tk.ObjectNotFound as exc:
        return tk.abort(404, str(exc))
    tk.h.flash_success(
        tk._("The answer was recorded.") if step == "putuskan" else tk._("The dispute was recorded.")
    )
    return tk.redirect_to("layananpublik_objection.read", id=id)


def _objection_headers() -> dict[str, str]:
    """Column headers of the objection register (DOMAIN.md, "Registers and reports")."""
    return {
        "no": tk._("No."),
        "registration_number": tk._("Objection number"),
        "received_date": tk._("Date received"),
        "filer_name": tk._("Requester or proxy"),
        "filer_is_proxy": tk._("Filed by a proxy"),
        "request_registration_number": tk._("Request registration number"),
        "information_requested": tk._("Information requested"),
        "purpose": tk._("Purpose of use"),
        "grounds": tk._("Grounds (Pasal 35(1))"),
        "reason": tk._("Reasons of the objection"),
        "superior_decision": tk._("Superior's decision"),
        "decision_date": tk._("Date of the answer"),
        "superior_name_position": tk._("Superior's name and position"),
        "superior_reasons": tk._("Superior's reasons"),
        "requester_reply": tk._("Requester's reply"),
        "dispute_stage": tk._("Dispute"),
        "dispute_outcome": tk._("Outcome of the dispute"),
    }


def objection_register_csv() -> Any:
    redirect = staff._login_redirect()
    if redirect is not None:
        return redirect
    data = {k: tk.request.args[k] for k in ("organization_id", "year") if tk.request.args.get(k)}
    try:
        rows = _call("layananpublik_objection_register", data)
    except tk.ValidationError as exc:
        return tk.abort(400, staff._error_text(exc))
    except tk.NotAuthorized as exc:
        return tk.abort(403, str(exc))
    headers, columns = _objection_headers(), ["no", *REGISTER_COLUMNS]
    yes, no = tk._("Yes"), tk._("No")
    lines = []
    for number, row in enumerate(rows, start=1):
        row = dict(row, no=number, filer_is_proxy=yes if row.get("filer_is_proxy") else no)
        row["superior_decision"] = tk.h.layananpublik_label(
            "objection_decision", row.get("superior_decision")
        )
        row["dispute_stage"] = tk.h.layananpublik_label("dispute_stage", row.get("dispute_stage"))
        lines.append([row.get(c) for c in columns])
    body = staff._action("organization_show", {"id": data["organization_id"], "include_datasets": False})
    year = data.get("year") or staff._today().year
    header = [headers.get(c, c) for c in columns]
    return staff._private(spreadsheet.download(header, lines, f"keberatan-{body['name']}-{year}.csv"))


# --- complaints: the public form and tracking page ------------------------------------------------


def complaint_new(org: str | None = None) -> Any:
    body = None
    if org is not None:
        body = public._body(org)
        if body is None:
            return tk.abort(404, tk._("Public body not found"))
    if tk.request.method == "POST":
        return _complaint_submit(body)
    data: dict[str, Any] = {}
    if tk.current_user.is_authenticated:
        data = {"name": tk.current_user.fullname or "", "email": tk.current_user.email or ""}
    return _complaint_form(body, data, {})


def _complaint_submit(body: dict | None) -> Any:
    form = tk.request.form
    data: dict[str, Any] = {f: form.get(f, "") for f in COMPLAINT_FIELDS}
    data["confidential"] = bool(form.get("confidential"))
    data["organization_id"] = body["id"] if body else form.get("organization_id", "")
    data_dict = {**_filled(data), "website": form.get("website", "")}
    try:
        created = _call("layananpublik_complaint_create", data_dict)
    except tk.ValidationError as exc:
        return _complaint_form(body, data, staff._error_dict(exc), status=400)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("You may not send a complaint"))
    return tk.redirect_to("layananpublik_complaint.track", token=created["tracking_token"])


def _complaint_form(body: dict | None, data: dict, errors: dict, status: int = 200) -> Any:
    ordered = ("organization_id", *COMPLAINT_FIELDS, "confidential")
    errors = dict(sorted(errors.items(), key=lambda e: ordered.index(e[0]) if e[0] in ordered else 99))
    page = _render(
        COMPLAINTS + "form.html",
        body=body,
        bodies=[] if body else public._bodies(),
        data=data,
        errors=errors,
        max_lengths=MAX_LENGTHS,
    )
    return flask.make_response(page, status)


def complaint_track(token: str) -> Any:
    if not public._TOKEN.fullmatch(token):
        return public._private(_render(COMPLAINTS + "not_found.html"), 404)
    try:
        complaint = _call("layananpublik_complaint_show", {"tracking_token": token})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return public._private(_render(COMPLAINTS + "not_found.html"), 404)
    page = _render(COMPLAINTS + "track.html", complaint=complaint, history_labels=_history_labels())
    return public._private(page)


# --- complaints: the handlers' side ---------------------------------------------------------------


def complaint_inbox() -> Any:
    redirect = staff._login_redirect()
    if redirect is not None:
        return redirect
    if not staff._allowed("layananpublik_complaint_list", {}):
        return tk.abort(
            403, tk._("Only information officers and complaint handlers have a complaints inbox.")
        )
    filters = {
        "organization_id": tk.request.args.get("organization_id", "").strip() or None,
        "status": _arg("status", COMPLAINT_STATUSES),
    }
    query = {k: v for k, v in filters.items() if v}
    page = _page()
    year = public._int_arg("year") or staff._today().year
    try:
        found = _call(
            "layananpublik_complaint_list", {**query, "limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE}
        )
        stats_query = {
            "year": year,
            **({"organization_id": query["organization_id"]} if "organization_id" in query else {}),
        }
        figures = _call("layananpublik_complaint_stats", stats_query)
    except tk.ValidationError as exc:
        return tk.abort(400, staff._error_text(exc))
    except tk.NotAuthorized as exc:
        return tk.abort(403, str(exc))
    response = flask.make_response(
        tk.render(
            COMPLAINTS + "inbox.html",
            {
                "complaints": found["results"],
                "count": found["count"],
                "filters": filters,
                "figures": figures,
                "year": year,
                "years": _years(),
                "bodies": _staff_bodies("layananpublik_complaint_list"),
                "paging": public._page_links(found["count"], page, "layananpublik_complaint.inbox"),
            },
        )
    )
    return staff._private(response)


def _render_complaint(id: str, errors: dict | None = None, values: dict | None = None) -> Any:
    complaint = staff._action("layananpublik_complaint_show", {"id": id})
    can_update = staff._allowed(
        "layananpublik_complaint_update", {"organization_id": complaint["organization"]["id"]}
    )
    page = tk.render(
        COMPLAINTS + "read.html",
        {
            "complaint": complaint,
            "can_update": can_update,
            "errors": errors or {},
            "values": values or {"status": complaint["status"]},
            "history_labels": _history_labels(),
        },
    )
    return staff._private(flask.make_response(page))


def complaint_read(id: str) -> Any:
    redirect = staff._login_redirect()
    if redirect is not None:
        return redirect
    if tk.request.method != "POST":
        return _render_complaint(id)
    form = tk.request.form
    data = _filled({"status": form.get("status", ""), "response": form.get("response", "")})
    if form.get("spam"):
        data["spam"] = True
    try:
        _call("layananpublik_complaint_update", {**data, "id": id})
    except tk.ValidationError as exc:
        return _render_complaint(id, staff._error_dict(exc), data)
    except tk.NotAuthorized as exc:
        return tk.abort(403, str(exc))
    except tk.ObjectNotFound as exc:
        return tk.abort(404, str(exc))
    tk.h.flash_success(tk._("The complaint was updated."))
    return tk.redirect_to("layananpublik_complaint.read", id=id)


# Route tables. Endpoint names are used across templates, emails and actions: keep them stable.
objection_bp.add_url_rule(
    "/permohonan/lacak/<token>/keberatan", "new", objection_new, methods=["GET", "POST"]
)
objection_bp.add_url_rule(
    "/permohonan/saya/<id>/keberatan", "new_mine", objection_new_mine, methods=["GET", "POST"]
)
objection_bp.add_url_rule("/keberatan/lacak/<token>", "track", objection_track)
objection_bp.add_url_rule("/keberatan/", "register", objection_register)
objection_bp.add_url_rule("/keberatan/nomor/<path:number>", "read_public", objection_read_public)
objection_bp.add_url_rule("/ppid/keberatan", "inbox", objection_inbox)
objection_bp.add_url_rule("/ppid/keberatan/<id>", "read", objection_read, methods=["GET", "POST"])
objection_bp.add_url_rule("/ppid/keberatan/<id>/langkah/<step>", "step", objection_step, methods=["POST"])
objection_bp.add_url_rule("/ppid/keberatan.csv", "register_csv", objection_register_csv)

complaint_bp.add_url_rule("/pengaduan/", "new", complaint_new, methods=["GET", "POST"])
complaint_bp.add_url_rule("/pengaduan/<org>", "new_for_body", complaint_new, methods=["GET", "POST"])
complaint_bp.add_url_rule("/pengaduan/lacak/<token>", "track", complaint_track)
complaint_bp.add_url_rule("/ppid/pengaduan", "inbox", complaint_inbox)
complaint_bp.add_url_rule("/ppid/pengaduan/<id>", "read", complaint_read, methods=["GET", "POST"])
