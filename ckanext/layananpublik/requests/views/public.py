"""The citizen's pages: request form, receipt, tracking, own requests, public register,
statistics. URLs in Indonesian under /permohonan.

Every page only calls actions. Pages reached through the secret tracking link (and a
signed-in requester's own pages) carry personal data: they are never cached, never
indexed and never leak their address in a Referer header.
"""

from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint

from ckanext.layananpublik import web
from ckanext.layananpublik.cases import files
from ckanext.layananpublik.cases.clock import today
from ckanext.layananpublik.cases.lookup import looks_like_token
from ckanext.layananpublik.cases.validators import MAX_LENGTHS
from ckanext.layananpublik.requests import workflow as wf

bp = Blueprint("layananpublik_request", __name__, url_prefix="/permohonan")

TEMPLATES = "layananpublik/requests/public/"
# The form's fields, in the order of the legal form (DOMAIN.md, "Request — form fields").
FORM_FIELDS = (
    "requester_type", "name", "nik", "entity_decree_number", "address", "phone", "email", "occupation",
    "information_requested", "purpose", "obtain_method", "delivery_method", "package_id", "principal_name",
    "received_channel", "received_at",
)  # fmt: skip
# What a register entry shows: dictize.public_fields, never more, whoever looks.
PUBLIC_KEYS = (
    "id", "registration_number", "organization", "received_date", "subject", "status", "status_label",
    "due_date", "overdue", "extended", "outcome", "outcome_label", "refusal_grounds", "decision_date",
    "working_days_taken", "on_time", "package_id", "set_aside",
)  # fmt: skip


def _render(template: str, **extra_vars: Any) -> str:
    return tk.render(TEMPLATES + template, extra_vars=extra_vars)


def request_not_found(message: str | None = None) -> Any:
    """The private page of a wrong tracking link (or of a request that is not the reader's)."""
    return web.not_found(
        tk._("Request not found"),
        message or tk._("No request has this tracking link. Check that you copied the whole link from your "
                        "receipt or email."),
        (tk.h.url_for("layananpublik_request.lookup"), tk._("Open a request with its tracking link")),
    )  # fmt: skip


def _dataset(ref: str | None) -> dict | None:
    if not ref:
        return None
    try:
        return tk.get_action("package_show")(web.context(), {"id": ref})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return None


def _dataset_ref(value: str) -> str:
    """A dataset's name from what a citizen pastes: its name or its address in the catalogue."""
    value = value.strip()
    match = re.search(r"/dataset/([^/?#]+)", value)
    return match.group(1) if match else value


# --- the request form -----------------------------------------------------------------------


def new(org: str | None = None) -> Any:
    """The request form: for one body (/ajukan/<org>) or with a body picker (/ajukan)."""
    body = web.form_body(org)
    if tk.request.method == "POST":
        return _submit(body)
    data: dict[str, Any] = {"requester_type": "individual", **web.signed_in_contact()}
    dataset = _dataset(tk.request.args.get("dataset"))
    if dataset:
        data["package_id"] = dataset["name"]
    return _form(body, data, {}, dataset=dataset)


def _submit(body: dict | None) -> Any:
    form = tk.request.form
    data = {field: form.get(field, "") for field in FORM_FIELDS}
    data["package_id"] = _dataset_ref(data["package_id"])
    organization_id = body["id"] if body else form.get("organization_id", "")
    # Empty fields are left out: the schema then reports the required ones as missing.
    data_dict = {k: v for k, v in data.items() if v.strip()}
    data_dict.update(organization_id=organization_id, website=form.get("website", ""))
    for field in ("identity_document", "power_of_attorney"):
        upload = tk.request.files.get(field)
        if upload is not None and upload.filename:
            data_dict[field] = upload
    try:
        created = tk.get_action("layananpublik_request_create")(web.context(), data_dict)
    except tk.ValidationError as exc:
        data["organization_id"] = organization_id
        return _form(
            body, data, web.in_order(web.error_dict(exc), ("organization_id", *FORM_FIELDS, "identity_document", "power_of_attorney")),
            dataset=_dataset(data["package_id"]),
            file_dropped=bool(data_dict.get("identity_document") or data_dict.get("power_of_attorney")),
        )  # fmt: skip
    except tk.NotAuthorized:
        return tk.abort(403, tk._("You may not submit a request"))
    return web.to_tracked("request", created["tracking_token"], "layananpublik_request.tracked_receipt")


def _form(body: dict | None, data: dict, errors: dict, **extra: Any) -> str:
    return _render(
        "form.html",
        body=body,
        bodies=[] if body else web.bodies(),
        data=data,
        errors=errors,
        max_lengths=MAX_LENGTHS,
        identity_max_mb=tk.config.get("ckanext.layananpublik.request.identity_max_size_mb"),
        # An officer of the body records requests received offline on the same form.
        officer_of_body=bool(body) and web.allowed("layananpublik_request_process", {"organization_id": body["id"]}),
        **extra,
    )


# --- receipt, tracking, decision notice, released files ------------------------------------------


def request_by_token(token: str) -> dict | None:
    """The request of a tracking link, in full; None for a wrong or unknown token."""
    if not looks_like_token(token):
        return None
    try:
        req = tk.get_action("layananpublik_request_show")(web.context(), {"tracking_token": token})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return None
    return req if "history" in req else None


def _links(req: dict, token: str | None) -> dict:
    """Where this requester's pages are: without the token (it is in the tracking cookie), or
    (signed in) by request id."""
    if token:
        ref, prefix = {}, "layananpublik_request."
        file_endpoint, notice_endpoint = prefix + "tracked_file", prefix + "tracked_notice"
    else:
        ref = {"id": req["id"]}
        file_endpoint, notice_endpoint = (
            "layananpublik_request.mine_file",
            "layananpublik_request.mine_notice",
        )
    released = []
    for f in req.get("files", []):
        if f["kind"] != "release":
            continue
        item = dict(f)
        if f["has_file"]:
            item["download_url"] = tk.h.url_for(file_endpoint, file_id=f["id"], **ref)
        elif f.get("package_id"):
            dataset = _dataset(f["package_id"])
            item["dataset_url"] = tk.h.url_for(
                "dataset.read", id=dataset["name"] if dataset else f["package_id"]
            )
            item["dataset_title"] = (dataset or {}).get("title") or f["title"]
        released.append(item)
    return {
        "notice_url": tk.h.url_for(notice_endpoint, **ref) if req["status"] == "decided" else None,
        "track_url": tk.h.url_for("layananpublik_request.track", token=token, _external=True)
        if token
        else None,
        "objection_url": tk.h.url_for("layananpublik_objection.tracked_new")
        if token
        else tk.h.url_for("layananpublik_objection.new_mine", id=req["id"]),
        "released": released,
        "identity_files": [f for f in req.get("files", []) if f["kind"] == "identity"],
        "dataset": _dataset(req.get("package_id")),
    }


def _tracking_link(token: str, endpoint: str, **kwargs: Any) -> Any:
    """A tracking link (…/lacak/<token>/…): on to the same page without the token."""
    if request_by_token(token) is None:
        return request_not_found()
    return web.to_tracked("request", token, endpoint, **kwargs)


def tracked_request() -> tuple[str | None, dict | None]:
    """The token in this browser's tracking cookie and its request (None, None without)."""
    token = web.remembered_token("request")
    req = request_by_token(token) if token else None
    return (token, req) if req is not None else (None, None)


def receipt(token: str) -> Any:
    return _tracking_link(token, "layananpublik_request.tracked_receipt")


def tracked_receipt() -> Any:
    token, req = tracked_request()
    if req is None:
        return lookup_page()
    return web.tracked("request", _render("receipt.html", req=req, **_links(req, token)), token)


def objection_options(ref: dict) -> dict | None:
    """When and on which grounds the requester may object now (the rule of Pasal 35 lives
    in the action): ``ref`` is the request's tracking token, or its id for a signed-in
    requester. None when the action refuses (the page then offers nothing)."""
    try:
        return tk.get_action("layananpublik_objection_options")(web.context(), ref)
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return None


def track(token: str) -> Any:
    return _tracking_link(token, "layananpublik_request.tracked")


def tracked_track() -> Any:
    token, req = tracked_request()
    if req is None:
        return lookup_page()
    options = objection_options({"request_tracking_token": token})
    page = _render("track.html", req=req, token=token, objection_options=options, **_links(req, token))
    return web.tracked("request", page, token)


def notice(token: str) -> Any:
    return _tracking_link(token, "layananpublik_request.tracked_notice")


def tracked_notice() -> Any:
    token, req = tracked_request()
    if req is None:
        return lookup_page()
    if req["status"] != "decided":
        return request_not_found(tk._("The decision notice has not been issued yet."))
    return web.tracked("request", _render("notice.html", req=req, **_links(req, token)), token)


def _stream(ref: dict, file_id: str) -> Any:
    try:
        attached = tk.get_action("layananpublik_request_file_show")(web.context(), {**ref, "file_id": file_id})
        if attached["kind"] != "release" or not attached.get("storage_key"):
            raise tk.ObjectNotFound()
        path = files.path_of(attached["storage_key"])
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return request_not_found(tk._("File not found"))
    if not path.is_file():
        return request_not_found(tk._("File not found"))
    return web.send_private_file(path, attached["content_type"], attached["filename"])


def file(token: str, file_id: str) -> Any:
    if not looks_like_token(token):
        return request_not_found()
    return _tracking_link(token, "layananpublik_request.tracked_file", file_id=file_id)


def tracked_file(file_id: str) -> Any:
    token = web.remembered_token("request")
    if not token or not looks_like_token(token):
        return lookup_page()
    return _stream({"tracking_token": token}, file_id)


def lookup() -> Any:
    """Open a request's tracking page from its pasted link or token."""
    return web.lookup("request", lambda token: request_by_token(token) is not None, lookup_page)


def lookup_page(typed: str = "", errors: dict | None = None) -> Any:
    """The page to open a request with its tracking link; also what a token-free tracking page
    shows to a browser without (or with an expired) tracking cookie."""
    return web.lookup_page("request", typed, errors)


# --- a signed-in requester's own requests ---------------------------------------------------------


def mine() -> Any:
    if not tk.current_user.is_authenticated:
        return web.login_redirect()
    page = web.page_number()
    found = tk.get_action("layananpublik_request_list")(
        web.context(), {"scope": "mine", "limit": web.PAGE_SIZE, "offset": (page - 1) * web.PAGE_SIZE}
    )
    return web.private(
        _render(
            "mine.html", found=found, paging=web.page_links(found["count"], page, "layananpublik_request.mine")
        )
    )


def own_request(id: str) -> dict | None:
    """A signed-in requester's own request, in full; None when it is not theirs."""
    try:
        req = tk.get_action("layananpublik_request_show")(web.context(), {"id": id})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return None
    return req if "history" in req else None


def mine_read(id: str) -> Any:
    if not tk.current_user.is_authenticated:
        return web.login_redirect()
    req = own_request(id)
    if req is None:
        return request_not_found()
    options = objection_options({"request_id": req["id"]})
    return web.private(
        _render("track.html", req=req, token=None, objection_options=options, **_links(req, None))
    )


def mine_notice(id: str) -> Any:
    if not tk.current_user.is_authenticated:
        return web.login_redirect()
    req = own_request(id)
    if req is None or req["status"] != "decided":
        return request_not_found(None if req is None else tk._("The decision notice has not been issued yet."))
    return web.private(_render("notice.html", req=req, **_links(req, None)))


def mine_file(id: str, file_id: str) -> Any:
    if not tk.current_user.is_authenticated:
        return web.login_redirect()
    return _stream({"id": id}, file_id)


# --- the public register and statistics ------------------------------------------------------------


def _filters() -> dict:
    args = tk.request.args
    return {
        "year": web.int_arg("year"),
        "status": args.get("status") if args.get("status") in wf.STATUSES else None,
        "outcome": args.get("outcome") if args.get("outcome") in wf.OUTCOMES else None,
        "q": args.get("q", "").strip()[: MAX_LENGTHS["q"]],
    }


def register(org: str | None = None) -> Any:
    """The public register of requests: site-wide, or one body's (/badan/<org>)."""
    body = web.form_body(org)
    filters = _filters()
    page = web.page_number()
    data_dict = {k: v for k, v in filters.items() if v}
    data_dict.update(scope="public", limit=web.PAGE_SIZE, offset=(page - 1) * web.PAGE_SIZE)
    if body:
        data_dict["organization_id"] = body["id"]
    found = tk.get_action("layananpublik_request_list")(web.context(), data_dict)
    rows = [{k: r.get(k) for k in PUBLIC_KEYS} for r in found["results"]]
    endpoint, kwargs = (
        ("layananpublik_request.body_register", {"org": body["name"]}) if body else ("layananpublik_request.register", {})
    )  # fmt: skip
    return _render(
        "register.html",
        body=body,
        rows=rows,
        count=found["count"],
        filters=filters,
        years=web.recent_years(today().year),
        paging=web.page_links(found["count"], page, endpoint, **kwargs),
        form_action=tk.h.url_for(endpoint, **kwargs),
    )


def read(number: str) -> Any:
    """One entry of the public register, by registration number."""
    try:
        req = tk.get_action("layananpublik_request_show")(web.context(), {"registration_number": number})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return tk.abort(404, tk._("Request not found"))
    own = tk.current_user.is_authenticated and req.get("user_id") == tk.current_user.id
    return _render(
        "read.html",
        req={k: req.get(k) for k in PUBLIC_KEYS},
        own_url=tk.h.url_for("layananpublik_request.mine_read", id=req["id"]) if own else None,
        officer_url=tk.h.url_for("layananpublik_officer.request_read", id=req["id"])
        if req.get("viewer_is_officer")
        else None,
        dataset=_dataset(req.get("package_id")),
    )


def stats() -> Any:
    """Statistics of a year, per body and in total (UU KIP Pasal 12 access report)."""
    year = web.int_arg("year", today().year)
    organization_id = tk.request.args.get("organization_id") or None
    data_dict = {"year": year}
    if organization_id:
        data_dict["organization_id"] = organization_id
    try:
        figures = tk.get_action("layananpublik_request_stats")(web.context(), data_dict)
    except tk.ValidationError:
        return tk.abort(404, tk._("Public body not found"))
    body = web.body(organization_id) if organization_id else None
    social = tk.get_action("layananpublik_social_feedback_stats")(web.context(), data_dict)
    return _render(
        "stats.html",
        figures=figures,
        social=social,
        year=year,
        body=body,
        bodies=web.bodies(),
        years=web.recent_years(today().year),
        grounds=wf.REFUSAL_GROUNDS,
    )


# Route table. Endpoint names are used across templates, emails and actions: keep them stable.
bp.add_url_rule("/", "register", register)
bp.add_url_rule("/badan/<org>", "body_register", register)
bp.add_url_rule("/ajukan", "new", new, methods=["GET", "POST"])
bp.add_url_rule("/ajukan/<org>", "new_for_body", new, methods=["GET", "POST"])
bp.add_url_rule("/lacak", "lookup", lookup, methods=["GET", "POST"])
bp.add_url_rule("/lacak/<token>", "track", track)
bp.add_url_rule("/lacak/<token>/tanda-terima", "receipt", receipt)
bp.add_url_rule("/lacak/<token>/pemberitahuan", "notice", notice)
bp.add_url_rule("/lacak/<token>/berkas/<file_id>", "file", file)
# The same pages without the token, which the tracking cookie holds (web.TRACKING_COOKIES).
bp.add_url_rule("/dilacak", "tracked", tracked_track)
bp.add_url_rule("/dilacak/tanda-terima", "tracked_receipt", tracked_receipt)
bp.add_url_rule("/dilacak/pemberitahuan", "tracked_notice", tracked_notice)
bp.add_url_rule("/dilacak/berkas/<file_id>", "tracked_file", tracked_file)
bp.add_url_rule("/saya", "mine", mine)
bp.add_url_rule("/saya/<id>", "mine_read", mine_read)
bp.add_url_rule("/saya/<id>/pemberitahuan", "mine_notice", mine_notice)
bp.add_url_rule("/saya/<id>/berkas/<file_id>", "mine_file", mine_file)
bp.add_url_rule("/statistik", "stats", stats)
bp.add_url_rule("/nomor/<path:number>", "read", read)
