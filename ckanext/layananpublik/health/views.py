"""GET /layananpublik/health: the health action as JSON, answered 200 when every component is
up and 503 otherwise, so a load balancer or a monitoring probe needs no JSON parsing."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, jsonify

from ckanext.layananpublik import web

bp = Blueprint("layananpublik_health", __name__)


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
