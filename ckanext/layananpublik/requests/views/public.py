"""The citizen's pages: request form, receipt, tracking, own requests, public register,
statistics. URLs in Indonesian under /permohonan.

Every page only calls actions. Pages reached through the secret tracking link (and a
signed-in requester's own pages) carry personal data: they are never cached, never
indexed and never leak their address in a Referer header.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, make_response, send_file

from ckanext.layananpublik import workcalendar
from ckanext.layananpublik.requests import deadlines, files
from ckanext.layananpublik.requests import helpers as lp
from ckanext.layananpublik.requests import workflow as wf
from ckanext.layananpublik.requests.validators import MAX_LENGTHS

bp = Blueprint("layananpublik_request", __name__, url_prefix="/permohonan")

TEMPLATES = "layananpublik/requests/public/"
PAGE_SIZE = 20
PRIVATE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
}
# The form's fields, in the order of the legal form (DOMAIN.md, "Request — form fields").
FORM_FIELDS = (
    "requester_type", "name", "nik", "entity_decree_number", "address", "phone", "email", "occupation",
    "information_requested", "purpose", "obtain_method", "delivery_method", "package_id",
)  # fmt: skip
# What a register entry shows: dictize.public_fields, never more, whoever looks.
PUBLIC_KEYS = (
    "id", "registration_number", "organization", "received_date", "subject", "status", "status_label",
    "due_date", "overdue", "extended", "outcome", "outcome_label", "refusal_grounds", "decision_date",
    "working_days_taken", "on_time", "package_id",
)  # fmt: skip
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,128}")


# --- plumbing ---------------------------------------------------------------------------


def _context() -> dict:
    return {"user": tk.current_user.name}


def _render(template: str, **extra_vars: Any) -> str:
    return tk.render(TEMPLATES + template, extra_vars={"lp": lp, **extra_vars})


def _private(body: Any, status: int = 200) -> Any:
    """A response that must stay between the requester and the server."""
    # Tells CKAN's after-request hook not to mark the page public and cacheable.
    tk.request.environ["__no_cache__"] = True
    response = make_response(body, status)
    response.headers.update(PRIVATE_HEADERS)
    return response


def _not_found(message: str | None = None) -> Any:
    return _private(_render("not_found.html", message=message), 404)


def _body(org: str) -> dict | None:
    try:
        return tk.get_action("organization_show")(
            _context(),
            {"id": org, "include_datasets": False, "include_users": False, "include_groups": False,
             "include_tags": False, "include_followers": False, "include_extras": False},
        )  # fmt: skip
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None


def _bodies() -> list[dict]:
    """Every public body (organisation), by title, for the pickers."""
    page_size = tk.config.get("ckan.group_and_organization_list_all_fields_max") or 25
    bodies: list[dict] = []
    while True:
        page = tk.get_action("organization_list")(
            _context(), {"all_fields": True, "sort": "title asc", "limit": page_size, "offset": len(bodies)}
        )
        bodies.extend(page)
        if len(page) < page_size:
            return bodies


def _dataset(ref: str | None) -> dict | None:
    if not ref:
        return None
    try:
        return tk.get_action("package_show")(_context(), {"id": ref})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return None


def _dataset_ref(value: str) -> str:
    """A dataset's name from what a citizen pastes: its name or its address in the catalogue."""
    value = value.strip()
    match = re.search(r"/dataset/([^/?#]+)", value)
    return match.group(1) if match else value


def _year_today() -> int:
    """This year in the body's time zone (the registration year of a request sent now)."""
    return deadlines.local_date(dt.datetime.now(dt.timezone.utc), workcalendar.timezone()).year


def _int_arg(name: str, default: int | None = None) -> int | None:
    value = tk.request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 7 else default


def _page_links(count: int, page: int, endpoint: str, **kwargs: Any) -> dict:
    pages = max(1, -(-count // PAGE_SIZE))
    args = {k: v for k, v in tk.request.args.items() if k != "page" and v}

    def url(n: int) -> str:
        return tk.h.url_for(endpoint, page=n, **kwargs, **args)

    return {
        "page": page,
        "pages": pages,
        "previous": url(page - 1) if page > 1 else None,
        "next": url(page + 1) if page < pages else None,
    }


# --- the request form -----------------------------------------------------------------------


def new(org: str | None = None) -> Any:
    """The request form: for one body (/ajukan/<org>) or with a body picker (/ajukan)."""
    body = None
    if org is not None:
        body = _body(org)
        if body is None:
            return tk.abort(404, tk._("Public body not found"))
    if tk.request.method == "POST":
        return _submit(body)
    data: dict[str, Any] = {"requester_type": "individual"}
    if tk.current_user.is_authenticated:
        data["name"] = tk.current_user.fullname or ""
        data["email"] = tk.current_user.email or ""
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
    upload = tk.request.files.get("identity_document")
    if upload is not None and upload.filename:
        data_dict["identity_document"] = upload
    try:
        created = tk.get_action("layananpublik_request_create")(_context(), data_dict)
    except tk.ValidationError as exc:
        data["organization_id"] = organization_id
        return _form(
            body, data, _in_form_order(exc.error_dict), dataset=_dataset(data["package_id"]),
            file_dropped=bool(data_dict.get("identity_document")),
        )  # fmt: skip
    except tk.NotAuthorized:
        return tk.abort(403, tk._("You may not submit a request"))
    return tk.redirect_to("layananpublik_request.receipt", token=created["tracking_token"])


def _in_form_order(errors: dict) -> dict:
    """Errors in the order of the fields on the page, then those of no field (rate limit)."""
    order = ("organization_id", *FORM_FIELDS, "identity_document")
    ranked = sorted(errors.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))
    return {field: messages for field, messages in ranked if messages}


def _form(body: dict | None, data: dict, errors: dict, **extra: Any) -> str:
    return _render(
        "form.html",
        body=body,
        bodies=[] if body else _bodies(),
        data=data,
        errors=errors,
        max_lengths=MAX_LENGTHS,
        identity_max_mb=tk.config.get("ckanext.layananpublik.request.identity_max_size_mb"),
        **extra,
    )


# --- receipt, tracking, decision notice, released files ------------------------------------------


def _by_token(token: str) -> dict | None:
    if not _TOKEN.fullmatch(token):
        return None
    try:
        req = tk.get_action("layananpublik_request_show")(_context(), {"tracking_token": token})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return None
    return req if "history" in req else None


def _links(req: dict, token: str | None) -> dict:
    """Where this requester's pages are: by tracking token, or (signed in) by request id."""
    if token:
        ref, prefix = {"token": token}, "layananpublik_request."
        file_endpoint, notice_endpoint = prefix + "file", prefix + "notice"
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
        "objection_url": tk.h.url_for("layananpublik_objection.new", token=token)
        if token
        else tk.h.url_for("layananpublik_objection.new_mine", id=req["id"]),
        "released": released,
        "identity_files": [f for f in req.get("files", []) if f["kind"] == "identity"],
        "dataset": _dataset(req.get("package_id")),
    }


def receipt(token: str) -> Any:
    req = _by_token(token)
    if req is None:
        return _not_found()
    return _private(_render("receipt.html", req=req, **_links(req, token)))


def _objection_options(ref: dict) -> dict | None:
    """When and on which grounds the requester may object now (the rule of Pasal 35 lives
    in the action): ``ref`` is the request's tracking token, or its id for a signed-in
    requester. None when the action refuses (the page then offers nothing)."""
    try:
        return tk.get_action("layananpublik_objection_options")(_context(), ref)
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return None


def track(token: str) -> Any:
    req = _by_token(token)
    if req is None:
        return _not_found()
    options = _objection_options({"request_tracking_token": token})
    return _private(
        _render("track.html", req=req, token=token, objection_options=options, **_links(req, token))
    )


def notice(token: str) -> Any:
    req = _by_token(token)
    if req is None or req["status"] != "decided":
        return _not_found(None if req is None else tk._("The decision notice has not been issued yet."))
    return _private(_render("notice.html", req=req, **_links(req, token)))


def _stream(ref: dict, file_id: str) -> Any:
    try:
        attached = tk.get_action("layananpublik_request_file_show")(_context(), {**ref, "file_id": file_id})
        if attached["kind"] != "release" or not attached.get("storage_key"):
            raise tk.ObjectNotFound()
        path = files.path_of(attached["storage_key"])
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return _not_found(tk._("File not found"))
    if not path.is_file():
        return _not_found(tk._("File not found"))
    tk.request.environ["__no_cache__"] = True
    response = send_file(
        path,
        mimetype=attached["content_type"] or "application/octet-stream",
        as_attachment=True,
        download_name=attached["filename"] or path.name,
        max_age=0,
    )
    response.headers.update(PRIVATE_HEADERS)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def file(token: str, file_id: str) -> Any:
    if not _TOKEN.fullmatch(token):
        return _not_found()
    return _stream({"tracking_token": token}, file_id)


def _token_from(text: str) -> str | None:
    """The token in a pasted tracking link (…/permohonan/lacak/<token>/…) or the bare token."""
    text = text.strip()
    match = re.search(r"/lacak/([^/?#\s]+)", text)
    candidate = match.group(1) if match else text
    return candidate if _TOKEN.fullmatch(candidate) else None


def lookup() -> Any:
    """Open a request's tracking page from its pasted link or token."""
    typed, errors = "", {}
    if tk.request.method == "POST":
        typed = tk.request.form.get("tracking", "")[:500]
        token = _token_from(typed)
        if token and _by_token(token):
            return tk.redirect_to("layananpublik_request.track", token=token)
        errors["tracking"] = [
            tk._("No request has this tracking link. Paste the whole link from your receipt or email.")
            if typed.strip()
            else tk._("Paste the tracking link from your receipt or email")
        ]
    return _private(_render("lookup.html", typed=typed, errors=errors), 400 if errors else 200)


# --- a signed-in requester's own requests ---------------------------------------------------------


def _login_first() -> Any:
    return tk.redirect_to("user.login", next=tk.request.full_path)


def mine() -> Any:
    if not tk.current_user.is_authenticated:
        return _login_first()
    page = _int_arg("page", 1) or 1
    found = tk.get_action("layananpublik_request_list")(
        _context(), {"scope": "mine", "limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE}
    )
    return _private(
        _render(
            "mine.html", found=found, paging=_page_links(found["count"], page, "layananpublik_request.mine")
        )
    )


def _mine_request(id: str) -> dict | None:
    try:
        req = tk.get_action("layananpublik_request_show")(_context(), {"id": id})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return None
    return req if "history" in req else None


def mine_read(id: str) -> Any:
    if not tk.current_user.is_authenticated:
        return _login_first()
    req = _mine_request(id)
    if req is None:
        return _not_found()
    options = _objection_options({"request_id": req["id"]})
    return _private(
        _render("track.html", req=req, token=None, objection_options=options, **_links(req, None))
    )


def mine_notice(id: str) -> Any:
    if not tk.current_user.is_authenticated:
        return _login_first()
    req = _mine_request(id)
    if req is None or req["status"] != "decided":
        return _not_found(None if req is None else tk._("The decision notice has not been issued yet."))
    return _private(_render("notice.html", req=req, **_links(req, None)))


def mine_file(id: str, file_id: str) -> Any:
    if not tk.current_user.is_authenticated:
        return _login_first()
    return _stream({"id": id}, file_id)


# --- the public register and statistics ------------------------------------------------------------


def _filters() -> dict:
    args = tk.request.args
    return {
        "year": _int_arg("year"),
        "status": args.get("status") if args.get("status") in wf.STATUSES else None,
        "outcome": args.get("outcome") if args.get("outcome") in wf.OUTCOMES else None,
        "q": args.get("q", "").strip()[: MAX_LENGTHS["q"]],
    }


def register(org: str | None = None) -> Any:
    """The public register of requests: site-wide, or one body's (/badan/<org>)."""
    body = None
    if org is not None:
        body = _body(org)
        if body is None:
            return tk.abort(404, tk._("Public body not found"))
    filters = _filters()
    page = _int_arg("page", 1) or 1
    data_dict = {k: v for k, v in filters.items() if v}
    data_dict.update(scope="public", limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    if body:
        data_dict["organization_id"] = body["id"]
    found = tk.get_action("layananpublik_request_list")(_context(), data_dict)
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
        years=list(range(_year_today(), _year_today() - 6, -1)),
        paging=_page_links(found["count"], page, endpoint, **kwargs),
        form_action=tk.h.url_for(endpoint, **kwargs),
    )


def read(number: str) -> Any:
    """One entry of the public register, by registration number."""
    try:
        req = tk.get_action("layananpublik_request_show")(_context(), {"registration_number": number})
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
    year = _int_arg("year", _year_today())
    organization_id = tk.request.args.get("organization_id") or None
    data_dict = {"year": year}
    if organization_id:
        data_dict["organization_id"] = organization_id
    try:
        figures = tk.get_action("layananpublik_request_stats")(_context(), data_dict)
    except tk.ValidationError:
        return tk.abort(404, tk._("Public body not found"))
    body = _body(organization_id) if organization_id else None
    return _render(
        "stats.html",
        figures=figures,
        year=year,
        body=body,
        bodies=_bodies(),
        years=list(range(_year_today(), _year_today() - 6, -1)),
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
bp.add_url_rule("/saya", "mine", mine)
bp.add_url_rule("/saya/<id>", "mine_read", mine_read)
bp.add_url_rule("/saya/<id>/pemberitahuan", "mine_notice", mine_notice)
bp.add_url_rule("/saya/<id>/berkas/<file_id>", "mine_file", mine_file)
bp.add_url_rule("/statistik", "stats", stats)
bp.add_url_rule("/nomor/<path:number>", "read", read)
