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
# Site-wide: a database or Redis outage is answered 503 + Retry-After, not 500.
for _exc in unavailable.EXCEPTIONS:
    bp.app_errorhandler(_exc)(unavailable.handle)
bp.after_app_request(unavailable.after_request)
unavailable.install()


@bp.route("/layananpublik/health")
def health() -> Any:
    tk.request.environ["__no_cache__"] = True  # CKAN then marks it private, not public
    checks = tk.request.args.get("checks") or None
    try:
        result = web.action("layananpublik_health_show", {"checks": checks} if checks else {})
    except tk.ValidationError as exc:
        return jsonify({"ok": False, "error": web.error_dict(exc)}), 400
    response = jsonify(result)
    response.status_code = 200 if result["ok"] else 503
    response.headers["Cache-Control"] = "no-store"
    return response
