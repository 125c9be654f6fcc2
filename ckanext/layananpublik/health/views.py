"""GET /layananpublik/health: the health action as JSON, answered 200 when every component is
up and 503 otherwise, so a load balancer or a monitoring probe needs no JSON parsing; and the
site-wide 503 answer to a PostgreSQL or Redis outage (unavailable.py)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, jsonify

from ckanext.layananpublik import web
from ckanext.layananpublik.health import unavailable

bp = Blueprint("layananpublik_health", __name__)
ENDPOINT = "layananpublik_health.health"


def _outage(exc: Exception) -> Any:
    """Site-wide: a database or Redis outage is answered 503 + Retry-After, not 500. The health
    endpoint keeps its JSON: CKAN reads the database before any view runs (its app globals'
    `_check_uptodate`), so with PostgreSQL down the request fails before `health` is called."""
    if tk.request.endpoint != ENDPOINT or not unavailable.is_outage(exc):
        return unavailable.handle(exc)
    unavailable.forget_session()
    # No database, no user to recognise: the probe is answered as to an anonymous one.
    response = _answer({"user": ""}, tk.request.args.get("checks"))
    if response.status_code == 503:
        response.headers["Retry-After"] = str(unavailable.RETRY_AFTER_SECONDS)
    return response


for _exc in unavailable.EXCEPTIONS:
    bp.app_errorhandler(_exc)(_outage)
bp.after_app_request(unavailable.after_request)
unavailable.install()


@bp.route("/layananpublik/health")
def health() -> Any:
    return _answer(web.context(), tk.request.args.get("checks"))


def _answer(context: dict, checks: str | None) -> Any:
    """The health action's result as JSON: 200 when every check is up, 503 otherwise."""
    tk.request.environ["__no_cache__"] = True  # CKAN then marks it private, not public
    try:
        result = tk.get_action("layananpublik_health_show")(context, {"checks": checks} if checks else {})
    except tk.ValidationError as exc:
        result = {"ok": False, "error": web.error_dict(exc)}
        status = 400
    else:
        status = 200 if result["ok"] else 503
    response = jsonify(result)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response
