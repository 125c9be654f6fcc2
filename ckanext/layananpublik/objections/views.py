"""Pages of objections (keberatan) and complaints (pengaduan): the citizen's forms and
tracking pages, the superior's and handlers' inboxes. URLs in Indonesian.

Every page only calls actions. The citizen's pages reached through a secret tracking link
are private (no-store, no-referrer, noindex) like the request tracking page; the plumbing
of both sides is the request pages' own (public.py, officer.py).
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint

from ckanext.layananpublik import spreadsheet, web
from ckanext.layananpublik.cases.clock import today
from ckanext.layananpublik.cases.lookup import looks_like_token
from ckanext.layananpublik.cases.validators import MAX_LENGTHS
from ckanext.layananpublik.objections import workflow as wf
from ckanext.layananpublik.objections.action import REGISTER_COLUMNS
from ckanext.layananpublik.requests.views import public

objection_bp = Blueprint("layananpublik_objection", __name__)

OBJECTIONS = "layananpublik/objections/"
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


def _call(action: str, data_dict: dict) -> Any:
    return tk.get_action(action)(web.context(), data_dict)


def _not_found() -> Any:
    return web.not_found(tk._("Objection not found"), tk._(
        "No objection has this tracking link. Check that you copied the whole link from the page or email "
        "you received when you filed it."))  # fmt: skip


# --- the objection form -------------------------------------------------------------------------


def objection_new(token: str) -> Any:
    """The objection form's tracking link: on to the form without the token (web.to_tracked)."""
    if public.request_by_token(token) is None:
        return public.request_not_found()
    return web.to_tracked("request", token, "layananpublik_objection.tracked_new")


def objection_tracked_new() -> Any:
    """The objection form of a request, reached from its tracking page (the request's token in
    the tracking cookie; the form also carries it, so a cookie that expires while the requester
    writes loses nothing)."""
    token = tk.request.form.get("request_tracking_token") if tk.request.method == "POST" else None
    token = token or web.remembered_token("request")
    req = public.request_by_token(token) if token else None
    if req is None:
        return public.lookup_page()
    pages = {
        "form_url": tk.url_for("layananpublik_objection.tracked_new"),
        "request_url": tk.url_for("layananpublik_request.tracked"),
        "request_tracking_token": token,
    }
    return web.remember_token(_objection_page(req, {"request_tracking_token": token}, pages), "request", token)


def objection_new_mine(id: str) -> Any:
    """The same form for a signed-in requester, from "My requests" (no tracking link needed)."""
    if not tk.current_user.is_authenticated:
        return web.login_redirect()
    req = public.own_request(id)
    # Officers may read the request too; only the account that submitted it objects here.
    if req is None or req.get("user_id") != tk.current_user.id:
        return public.request_not_found()
    pages = {
        "form_url": tk.url_for("layananpublik_objection.new_mine", id=req["id"]),
        "request_url": tk.url_for("layananpublik_request.mine_read", id=req["id"]),
    }
    return _objection_page(req, {"request_id": req["id"]}, pages)


def _objection_page(req: dict, ref: dict, pages: dict) -> Any:
    """ref: how the actions find the request (its tracking token, or its id for the signed-in
    requester); pages: the form's own address and the request's page."""
    options = public.objection_options(ref)
    if options is None:
        return public.request_not_found()
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
    data_dict = web.filled(data)
    if not data["grounds"]:
        data_dict.pop("grounds", None)
    upload = tk.request.files.get("power_of_attorney")
    if upload is not None and upload.filename:
        data_dict["power_of_attorney"] = upload
    data_dict.update(ref, website=form.get("website", ""))
    try:
        created = _call("layananpublik_objection_create", data_dict)
    except tk.ValidationError as exc:
        return _objection_form(req, pages, options, data, web.error_dict(exc), status=400)
    except tk.NotAuthorized:
        return public.request_not_found()
    return web.to_tracked("objection", created["tracking_token"], "layananpublik_objection.tracked")


def _objection_form(req: dict, pages: dict, options: dict, data: dict, errors: dict, status: int = 200):
    errors = web.in_order(errors, ("grounds", "reason", "filer_name", "filer_is_proxy"))
    page = tk.render(
        OBJECTIONS + "form.html",
        extra_vars=dict(req=req, options=options, data=data, errors=errors, max_lengths=MAX_LENGTHS, **pages),
    )
    return web.private(page, status)


# --- the objection without a request (ground b) ----------------------------------------------

BERKALA_FIELDS = ("reason", "filer_name", "email", "phone")


def objection_berkala(org: str | None = None) -> Any:
    """Anyone objects that the body did not publish its periodic information (Pasal 35(1)b)."""
    body = web.form_body(org)
    if tk.request.method != "POST":
        contact = web.signed_in_contact()
        return _berkala_form(
            body, {"filer_name": contact.get("name", ""), "email": contact.get("email", "")}, {}
        )
    form = tk.request.form
    data = {f: form.get(f, "") for f in BERKALA_FIELDS}
    data["organization_id"] = body["id"] if body else form.get("organization_id", "")
    try:
        created = _call(
            "layananpublik_objection_berkala_create", {**web.filled(data), "website": form.get("website", "")}
        )
    except tk.ValidationError as exc:
        return _berkala_form(body, data, web.error_dict(exc), status=400)
    return web.to_tracked("objection", created["tracking_token"], "layananpublik_objection.tracked")


def _berkala_form(body: dict | None, data: dict, errors: dict, status: int = 200) -> Any:
    errors = web.in_order(errors, ("organization_id", *BERKALA_FIELDS))
    url = tk.url_for("layananpublik_objection.berkala_for_body", org=body["name"]) if body else tk.url_for(
        "layananpublik_objection.berkala")  # fmt: skip
    page = tk.render(OBJECTIONS + "berkala.html", {"body": body, "bodies": [] if body else web.bodies(), "data": data,
                                                   "errors": errors, "max_lengths": MAX_LENGTHS, "form_url": url})  # fmt: skip
    return web.private(page, status)


# --- the objection's tracking page and the public register --------------------------------------


def _objection_by_token(token: str | None) -> dict | None:
    if not token or not looks_like_token(token):
        return None
    try:
        objection = _call("layananpublik_objection_show", {"tracking_token": token})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return None
    return objection if "history" in objection else None


# The tracking link, the token-free tracking page and the lookup form (web.tracking_views).
objection_track, objection_tracked, objection_lookup = web.tracking_views(
    "objection", _objection_by_token, OBJECTIONS + "track.html", "layananpublik_objection.track", _not_found
)


def _register_filters() -> dict:
    return {
        "organization_id": tk.request.args.get("organization_id", "").strip()[:100] or None,
        "year": web.int_arg("year"),
        "status": web.choice_arg("status", wf.STATUSES),
    }


def objection_register() -> Any:
    """Every objection with its public fields, and the year's objection figures."""
    filters = _register_filters()
    page = web.page_number()
    query = {k: v for k, v in filters.items() if v}
    try:
        found = _call(
            "layananpublik_objection_list",
            {**query, "scope": "public", "limit": web.PAGE_SIZE, "offset": (page - 1) * web.PAGE_SIZE},
        )
        year = filters["year"] or today().year
        stats_query = {
            "year": year,
            **({"organization_id": query["organization_id"]} if "organization_id" in query else {}),
        }
        figures = _call("layananpublik_objection_stats", stats_query)
    except tk.ValidationError:
        return tk.abort(404, tk._("Public body not found"))
    return tk.render(
        OBJECTIONS + "register.html",
        {
            "rows": found["results"],
            "count": found["count"],
            "filters": filters,
            "figures": figures,
            "bodies": web.bodies(),
            "years": web.recent_years(today().year),
            "paging": web.page_links(found["count"], page, "layananpublik_objection.register"),
        },
    )


def objection_read_public(number: str) -> Any:
    """One entry of the public register (no personal data), by registration number."""
    try:
        objection = _call("layananpublik_objection_show", {"registration_number": number})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return tk.abort(404, tk._("Objection not found"))
    public_keys = ("registration_number", "organization", "request", "received_date", "grounds", "status",
                   "due_date", "overdue", "superior_decision", "decision_date", "dispute_stage")  # fmt: skip
    return tk.render(OBJECTIONS + "read.html", {"objection": {k: objection.get(k) for k in public_keys}})


# --- the superior's and officers' side ------------------------------------------------------------


def objection_inbox() -> Any:
    redirect = web.login_redirect()
    if redirect is not None:
        return redirect
    if not web.allowed("layananpublik_objection_list", {"scope": "inbox"}):
        tk.abort(
            403,
            tk._(
                "Only the superior of the PPID (Atasan PPID) and information officers have an objections inbox."
            ),
        )
    filters = {
        "organization_id": tk.request.args.get("organization_id", "").strip() or None,
        "status": web.choice_arg("status", wf.STATUSES),
        "overdue": bool(tk.request.args.get("overdue")),
    }
    page = web.page_number()
    query = {k: v for k, v in filters.items() if v}
    found, errors = web.inbox_rows(
        "layananpublik_objection_list",
        {**query, "scope": "inbox", "limit": web.PAGE_SIZE, "offset": (page - 1) * web.PAGE_SIZE},
    )
    return tk.render(
        OBJECTIONS + "inbox.html",
        {
            "objections": found["results"],
            "count": found["count"],
            "filters": filters,
            "errors": errors,
            "bodies": web.staff_bodies("layananpublik_objection_list"),
            "year": today().year,
            "paging": web.page_links(found["count"], page, "layananpublik_objection.inbox"),
        },
    )


def _request_of(objection: dict) -> dict | None:
    if not objection.get("request"):  # ground b: no request
        return None
    try:
        return _call("layananpublik_request_show", {"id": objection["request"]["id"]})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return None


def _render_objection(
    id: str, step: str | None = None, errors: dict | None = None, values: dict | None = None
):
    objection = web.action("layananpublik_objection_show", {"id": id})
    if "history" not in objection or not web.allowed(
        "layananpublik_objection_dispute_update", {"organization_id": objection["organization"]["id"]}
    ):
        tk.abort(
            403, tk._("Only the superior and the information officers of this public body may see this page")
        )
    org = {"organization_id": objection["organization"]["id"]}
    steps = []
    if objection["status"] == "received" and web.allowed("layananpublik_objection_decide", org):
        steps.append("putuskan")
    if objection["status"] == "decided" or objection["overdue"]:  # answered, or the superior stayed silent
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
        },
    )


def objection_read(id: str) -> Any:
    redirect = web.login_redirect()
    if redirect is not None:
        return redirect
    if tk.request.method == "POST":
        return objection_step(id, tk.request.form.get("step", ""))
    return _render_objection(id)


def objection_step(id: str, step: str) -> Any:
    redirect = web.login_redirect()
    if redirect is not None:
        return redirect
    if step not in STEPS:
        return tk.abort(404, tk._("There is no such step"))
    action, fields = STEPS[step]
    data = web.filled({f: tk.request.form.get(f, "") for f in fields})
    try:
        _call(action, {**data, "id": id})
    except tk.ValidationError as exc:
        return _render_objection(id, step, web.error_dict(exc), data)
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
        "dispute_result": tk._("Result of the dispute"),
        "court_stage": tk._("Court appeal"),
    }


def objection_register_csv() -> Any:
    redirect = web.login_redirect()
    if redirect is not None:
        return redirect
    data = {k: tk.request.args[k] for k in ("organization_id", "year") if tk.request.args.get(k)}
    try:
        rows = _call("layananpublik_objection_register", data)
    except tk.ValidationError as exc:
        return tk.abort(400, web.error_text(exc))
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
        for code in ("dispute_stage", "dispute_result", "court_stage"):
            row[code] = tk.h.layananpublik_label(code, row.get(code))
        lines.append([row.get(c) for c in columns])
    body = web.action("organization_show", {"id": data["organization_id"], "include_datasets": False})
    year = data.get("year") or today().year
    header = [headers.get(c, c) for c in columns]
    return web.private(spreadsheet.download(header, lines, f"keberatan-{body['name']}-{year}.csv"))


# Route tables. Endpoint names are used across templates, emails and actions: keep them stable.
objection_bp.add_url_rule(
    "/permohonan/lacak/<token>/keberatan", "new", objection_new, methods=["GET", "POST"]
)
objection_bp.add_url_rule(
    "/permohonan/saya/<id>/keberatan", "new_mine", objection_new_mine, methods=["GET", "POST"]
)
objection_bp.add_url_rule("/keberatan/berkala", "berkala", objection_berkala, methods=["GET", "POST"])
objection_bp.add_url_rule(
    "/keberatan/berkala/<org>", "berkala_for_body", objection_berkala, methods=["GET", "POST"]
)
objection_bp.add_url_rule("/keberatan/lacak", "lookup", objection_lookup, methods=["GET", "POST"])
objection_bp.add_url_rule("/keberatan/lacak/<token>", "track", objection_track)
# The same pages without the token, which the tracking cookie holds (web.TRACKING_COOKIES).
objection_bp.add_url_rule("/keberatan/dilacak", "tracked", objection_tracked)
objection_bp.add_url_rule(
    "/permohonan/dilacak/keberatan", "tracked_new", objection_tracked_new, methods=["GET", "POST"]
)
objection_bp.add_url_rule("/keberatan/", "register", objection_register)
objection_bp.add_url_rule("/keberatan/nomor/<path:number>", "read_public", objection_read_public)
objection_bp.add_url_rule("/ppid/keberatan", "inbox", objection_inbox)
objection_bp.add_url_rule("/ppid/keberatan/<id>", "read", objection_read, methods=["GET", "POST"])
objection_bp.add_url_rule("/ppid/keberatan/<id>/langkah/<step>", "step", objection_step, methods=["POST"])
objection_bp.add_url_rule("/ppid/keberatan.csv", "register_csv", objection_register_csv)
