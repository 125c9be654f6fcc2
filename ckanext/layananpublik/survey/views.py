"""The survey's pages: the requester's form (by tracking link, or signed in) and the body's
officers' list of anonymous responses. Every page only calls actions."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint

from ckanext.layananpublik import web
from ckanext.layananpublik.cases.clock import today
from ckanext.layananpublik.cases.lookup import looks_like_token
from ckanext.layananpublik.cases.validators import MAX_LENGTHS
from ckanext.layananpublik.requests.views.public import request_not_found
from ckanext.layananpublik.survey.rules import CODES

bp = Blueprint("layananpublik_survey", __name__, url_prefix="/survei")

TEMPLATES = "layananpublik/survey/"
FIELDS = (*CODES, "suggestion")


def _status(ref: dict) -> dict | None:
    try:
        return tk.get_action("layananpublik_survey_status")(web.context(), ref)
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return None


def _survey(ref: dict, back_url: str, action_url: str) -> Any:
    """The form (GET), or its answer (POST): errors keep what was typed; once answered, thanks."""
    status = _status(ref)
    if status is None:
        return request_not_found()
    data: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    if tk.request.method == "POST" and status["open"]:
        data = {field: tk.request.form.get(field, "") for field in FIELDS}
        try:
            tk.get_action("layananpublik_survey_submit")(web.context(), {**ref, **web.filled(data)})
        except tk.ValidationError as exc:
            errors = web.in_order(web.error_dict(exc), FIELDS)
        else:
            return tk.redirect_to(action_url)
    page = tk.render(TEMPLATES + "form.html", extra_vars={
        "status": status, "data": data, "errors": errors, "back_url": back_url, "action_url": action_url,
        "max_lengths": MAX_LENGTHS,
    })  # fmt: skip
    return web.private(page, 400 if errors else 200)


def track(token: str) -> Any:
    if not looks_like_token(token):
        return request_not_found()
    return _survey({"tracking_token": token}, tk.h.url_for("layananpublik_request.track", token=token),
                   tk.h.url_for("layananpublik_survey.track", token=token))  # fmt: skip


def mine(id: str) -> Any:
    if not tk.current_user.is_authenticated:
        return web.login_redirect()
    return _survey({"request_id": id}, tk.h.url_for("layananpublik_request.mine_read", id=id),
                   tk.h.url_for("layananpublik_survey.mine", id=id))  # fmt: skip


def responses() -> Any:
    """The anonymous responses of a body the officer serves, for a year."""
    if not tk.current_user.is_authenticated:
        return web.login_redirect()
    bodies = web.staff_bodies("layananpublik_survey_response_list")
    if not bodies:
        return tk.abort(
            403, tk._("Only the information officers of this public body see its survey responses")
        )
    chosen = tk.request.args.get("organization_id")
    body = next((b for b in bodies if chosen in (b["id"], b["name"])), None) if chosen else bodies[0]
    if body is None:
        return tk.abort(403, tk._("Only the information officers of this public body see its survey responses"))
    year = web.int_arg("year", today().year)
    page = web.page_number()
    found = web.action("layananpublik_survey_response_list", {
        "organization_id": body["id"], "year": year, "limit": web.PAGE_SIZE, "offset": (page - 1) * web.PAGE_SIZE,
    })  # fmt: skip
    index = web.action("layananpublik_survey_index", {"organization_id": body["id"], "year": year})
    return web.private(tk.render(TEMPLATES + "responses.html", extra_vars={
        "found": found, "index": index, "body": body, "bodies": bodies, "year": year,
        "years": web.recent_years(today().year),
        "paging": web.page_links(found["count"], page, "layananpublik_survey.responses"),
    }))  # fmt: skip


bp.add_url_rule("/lacak/<token>", "track", track, methods=["GET", "POST"])
bp.add_url_rule("/saya/<id>", "mine", mine, methods=["GET", "POST"])
bp.add_url_rule("/tanggapan", "responses", responses)
