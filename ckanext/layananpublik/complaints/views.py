"""Pages of complaints (pengaduan): the citizen's form and tracking page, the handlers' inbox
and answer. URLs in Indonesian under /pengaduan and /ppid/pengaduan. Only calls actions."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import flask
from flask import Blueprint

from ckanext.layananpublik import web
from ckanext.layananpublik.cases.clock import today
from ckanext.layananpublik.cases.lookup import looks_like_token
from ckanext.layananpublik.cases.validators import MAX_LENGTHS

bp = Blueprint("layananpublik_complaint", __name__)

TEMPLATES = "layananpublik/complaints/"
FIELDS = ("service", "description", "occurred_on", "remedy", "loss", "name", "address", "email", "phone")


def _call(action: str, data_dict: dict) -> Any:
    return tk.get_action(action)(web.context(), data_dict)


def _not_found() -> Any:
    return web.not_found(tk._("Complaint not found"), tk._(
        "No complaint has this tracking link. Check that you copied the whole link from the page or email "
        "you received when you sent it."))  # fmt: skip


def complaint_new(org: str | None = None) -> Any:
    body = web.form_body(org)
    if tk.request.method == "POST":
        return _complaint_submit(body)
    return _complaint_form(body, web.signed_in_contact(), {})


def _complaint_submit(body: dict | None) -> Any:
    form = tk.request.form
    data: dict[str, Any] = {f: form.get(f, "") for f in FIELDS}
    data["confidential"] = bool(form.get("confidential"))
    data["organization_id"] = body["id"] if body else form.get("organization_id", "")
    data_dict = {**web.filled(data), "website": form.get("website", "")}
    try:
        created = _call("layananpublik_complaint_create", data_dict)
    except tk.ValidationError as exc:
        return _complaint_form(body, data, web.error_dict(exc), status=400)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("You may not send a complaint"))
    return web.to_tracked("complaint", created["tracking_token"], "layananpublik_complaint.tracked")


def _complaint_form(body: dict | None, data: dict, errors: dict, status: int = 200) -> Any:
    errors = web.in_order(errors, ("organization_id", *FIELDS, "confidential"))
    page = tk.render(
        TEMPLATES + "form.html",
        {"body": body, "bodies": [] if body else web.bodies(), "data": data, "errors": errors,
         "max_lengths": MAX_LENGTHS},
    )  # fmt: skip
    return flask.make_response(page, status)


def _complaint_by_token(token: str | None) -> dict | None:
    if not token or not looks_like_token(token):
        return None
    try:
        return _call("layananpublik_complaint_show", {"tracking_token": token})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return None


# The tracking link, the token-free tracking page and the lookup form (web.tracking_views).
complaint_track, complaint_tracked, complaint_lookup = web.tracking_views(
    "complaint", _complaint_by_token, TEMPLATES + "track.html", "layananpublik_complaint.track", _not_found
)


# --- the handlers' side ---------------------------------------------------------------


def complaint_inbox() -> Any:
    redirect = web.login_redirect()
    if redirect is not None:
        return redirect
    if not web.allowed("layananpublik_complaint_list", {}):
        return tk.abort(
            403, tk._("Only information officers and complaint handlers have a complaints inbox.")
        )
    args = tk.request.args
    filters = {key: args.get(key, "").strip() for key in ("organization_id", "status") if args.get(key, "").strip()}
    page = web.page_number()
    found, errors = web.inbox_rows(
        "layananpublik_complaint_list", {**filters, "limit": web.PAGE_SIZE, "offset": (page - 1) * web.PAGE_SIZE}
    )
    this_year = today().year
    year = args.get("year", "").strip() or str(this_year)
    body = {"organization_id": filters["organization_id"]} if "organization_id" in filters else {}
    figures, stats_errors = web.filtered("layananpublik_complaint_stats", {"year": year, **body})
    years = [str(y) for y in web.recent_years(this_year)]
    response = flask.make_response(
        tk.render(
            TEMPLATES + "inbox.html",
            {
                "complaints": found["results"],
                "count": found["count"],
                "filters": filters,
                "errors": {**stats_errors, **errors},
                "figures": figures,
                "year": year,
                "years": years if year in years else [*years, year],
                "bodies": web.staff_bodies("layananpublik_complaint_list"),
                "paging": web.page_links(found["count"], page, "layananpublik_complaint.inbox"),
            },
        )
    )
    return web.private(response)


def _render_complaint(id: str, errors: dict | None = None, values: dict | None = None) -> Any:
    complaint = web.action("layananpublik_complaint_show", {"id": id})
    can_update = web.allowed(
        "layananpublik_complaint_update", {"organization_id": complaint["organization"]["id"]}
    )
    page = tk.render(
        TEMPLATES + "read.html",
        {
            "complaint": complaint,
            "can_update": can_update,
            "errors": errors or {},
            "values": values or {"status": complaint["status"]},
        },
    )
    return web.private(flask.make_response(page))


def complaint_read(id: str) -> Any:
    redirect = web.login_redirect()
    if redirect is not None:
        return redirect
    if tk.request.method != "POST":
        return _render_complaint(id)
    form = tk.request.form
    data = web.filled({"status": form.get("status", ""), "response": form.get("response", "")})
    if form.get("spam"):
        data["spam"] = True
    try:
        _call("layananpublik_complaint_update", {**data, "id": id})
    except tk.ValidationError as exc:
        return _render_complaint(id, web.error_dict(exc), data)
    except tk.NotAuthorized as exc:
        return tk.abort(403, str(exc))
    except tk.ObjectNotFound as exc:
        return tk.abort(404, str(exc))
    tk.h.flash_success(tk._("The complaint was updated."))
    return tk.redirect_to("layananpublik_complaint.read", id=id)



# Route table. Endpoint names are used across templates, emails and actions: keep them stable.
bp.add_url_rule("/pengaduan/", "new", complaint_new, methods=["GET", "POST"])
bp.add_url_rule("/pengaduan/<org>", "new_for_body", complaint_new, methods=["GET", "POST"])
bp.add_url_rule("/pengaduan/lacak", "lookup", complaint_lookup, methods=["GET", "POST"])
bp.add_url_rule("/pengaduan/lacak/<token>", "track", complaint_track)
# The same page without the token, which the tracking cookie holds (web.TRACKING_COOKIES).
bp.add_url_rule("/pengaduan/dilacak", "tracked", complaint_tracked)
bp.add_url_rule("/ppid/pengaduan", "inbox", complaint_inbox)
bp.add_url_rule("/ppid/pengaduan/<id>", "read", complaint_read, methods=["GET", "POST"])
