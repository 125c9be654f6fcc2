"""Who may do what with complaints (pengaduan): anyone files one; the complainant follows it
with its token; the body's officers and complaint handlers (role `complaints`) triage it; a
confidential complainant's identity is seen only by complaint handlers.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.layananpublik.cases.auth import ALLOW, anyone, deny, has_role, has_role_somewhere, staff_of
from ckanext.layananpublik.cases.labels import N_

layananpublik_complaint_create = anyone


@tk.auth_allow_anonymous_access
def layananpublik_complaint_show(context: Any, data_dict: dict) -> dict:
    # A complaint has no public register: its complainant and the body's staff only.
    if data_dict.get("tracking_token_valid") or has_role(context, data_dict, "officer", "complaints"):
        return ALLOW
    return deny(tk._("Only the complainant and the body's complaint handlers may see a complaint"))


@tk.auth_allow_anonymous_access
def layananpublik_complaint_show_identity(context: Any, data_dict: dict) -> dict:
    if data_dict.get("tracking_token_valid") or has_role(context, data_dict, "complaints"):
        return ALLOW
    if not data_dict.get("confidential") and has_role(context, data_dict, "officer"):
        return ALLOW
    return deny(tk._("The complainant asked to keep their identity confidential"))


layananpublik_complaint_update = staff_of(
    "officer", "complaints", message=N_("Only the officers and complaint handlers of this body may handle complaints")
)
layananpublik_complaint_record = layananpublik_complaint_update


@tk.auth_allow_anonymous_access
def layananpublik_complaint_list(context: Any, data_dict: dict) -> dict:
    if data_dict.get("organization_id"):
        return ALLOW if has_role(context, data_dict, "officer", "complaints") else deny(
            tk._("Only the officers and complaint handlers of this body may list its complaints"))  # fmt: skip
    if not has_role_somewhere(context, "officer", "complaints"):
        return deny(tk._("Only officers and complaint handlers may list complaints"))
    return ALLOW


layananpublik_complaint_stats = anyone
