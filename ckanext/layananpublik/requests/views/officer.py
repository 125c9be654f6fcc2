"""The officers' pages: inbox, request workflow, decision notice, register export,
working-day calendar and PPID roles. URLs in Indonesian under /ppid."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint

bp = Blueprint("layananpublik_officer", __name__, url_prefix="/ppid")


def _todo(**kwargs):
    tk.abort(404)


# Route table. Endpoint names are used across templates, emails and actions: keep them stable.
bp.add_url_rule("/kotak-masuk", "inbox", _todo)
bp.add_url_rule("/permohonan/<id>", "request_read", _todo)
bp.add_url_rule("/permohonan/<id>/langkah/<step>", "request_step", _todo, methods=["POST"])
bp.add_url_rule("/permohonan/<id>/pemberitahuan", "notice", _todo)
bp.add_url_rule("/permohonan/<id>/berkas/<file_id>", "file", _todo)
bp.add_url_rule("/register.csv", "register_csv", _todo)
bp.add_url_rule("/kalender", "calendar", _todo, methods=["GET", "POST"])
bp.add_url_rule("/petugas/<org>", "roles", _todo, methods=["GET", "POST"])
