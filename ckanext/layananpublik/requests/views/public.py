"""The citizen's pages: request form, receipt, tracking, own requests, public register,
statistics. URLs in Indonesian under /permohonan."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint

bp = Blueprint("layananpublik_request", __name__, url_prefix="/permohonan")


def _todo(**kwargs):
    tk.abort(404)


# Route table (filled in by the views below). Endpoint names are used across templates,
# emails and actions: keep them stable.
bp.add_url_rule("/", "register", _todo)
bp.add_url_rule("/badan/<org>", "body_register", _todo)
bp.add_url_rule("/ajukan", "new", _todo, methods=["GET", "POST"])
bp.add_url_rule("/ajukan/<org>", "new_for_body", _todo, methods=["GET", "POST"])
bp.add_url_rule("/lacak", "lookup", _todo, methods=["GET", "POST"])
bp.add_url_rule("/lacak/<token>", "track", _todo)
bp.add_url_rule("/lacak/<token>/tanda-terima", "receipt", _todo)
bp.add_url_rule("/lacak/<token>/pemberitahuan", "notice", _todo)
bp.add_url_rule("/lacak/<token>/berkas/<file_id>", "file", _todo)
bp.add_url_rule("/saya", "mine", _todo)
bp.add_url_rule("/statistik", "stats", _todo)
bp.add_url_rule("/nomor/<path:number>", "read", _todo)
