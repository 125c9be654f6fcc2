"""Who may do what with objections and complaints.

- objections: the requester (tracking token of the request or the objection, or signed in
  as the requester) files and follows them; the body's superior (Atasan PPID) answers;
  officers and superiors of the body see everything, record late objections and disputes;
  the public sees register entries.
- complaints: anyone files one; the complainant follows it with its token; the body's
  officers and complaint handlers triage it; a confidential complainant's identity is
  seen only by complaint handlers (role `complaints`).
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.layananpublik.requests.auth import _is_requester, _user
from ckanext.layananpublik.roles import access


def _staff(context: Any, data_dict: dict, *roles: str) -> bool:
    org = data_dict.get("organization_id", "")
    return any(access.has_role(_user(context), org, role) for role in roles)


def _deny(message: str) -> dict:
    return {"success": False, "msg": message}


@tk.auth_allow_anonymous_access
def layananpublik_objection_create(context: Any, data_dict: dict) -> dict:
    if _is_requester(context, data_dict) or _staff(context, data_dict, "officer"):
        return {"success": True}
    return _deny(tk._("Only the requester (with the tracking link) or an officer of the body may object"))


@tk.auth_allow_anonymous_access
def layananpublik_objection_show(context: Any, data_dict: dict) -> dict:
    return {"success": True}


@tk.auth_allow_anonymous_access
def layananpublik_objection_show_personal(context: Any, data_dict: dict) -> dict:
    if _is_requester(context, data_dict) or _staff(context, data_dict, "officer", "superior"):
        return {"success": True}
    return _deny(tk._("Only the requester and the body's staff may see this objection in full"))


@tk.auth_allow_anonymous_access
def layananpublik_objection_list(context: Any, data_dict: dict) -> dict:
    scope = data_dict.get("scope", "public")
    user = _user(context)
    if scope == "mine" and not user:
        return _deny(tk._("Sign in to see your objections"))
    if scope == "inbox":
        if data_dict.get("organization_id"):
            if not _staff(context, data_dict, "officer", "superior"):
                return _deny(tk._("Only the superior and officers of this body have its objections inbox"))
        elif (
            access.bodies_with_role(user, "superior") == [] and access.bodies_with_role(user, "officer") == []
        ):
            return _deny(tk._("Only superiors and officers have an objections inbox"))
    return {"success": True}


def layananpublik_objection_decide(context: Any, data_dict: dict) -> dict:
    if _staff(context, data_dict, "superior"):
        return {"success": True}
    return _deny(tk._("Only the superior of the PPID (Atasan PPID) of this body may answer an objection"))


def layananpublik_objection_dispute_update(context: Any, data_dict: dict) -> dict:
    if _staff(context, data_dict, "officer", "superior"):
        return {"success": True}
    return _deny(tk._("Only the officers and superior of this body may record a dispute"))


def layananpublik_objection_register(context: Any, data_dict: dict) -> dict:
    if data_dict.get("organization_id") and _staff(context, data_dict, "officer", "superior"):
        return {"success": True}
    return _deny(tk._("Only the officers and superior of this body may export its objection register"))


@tk.auth_allow_anonymous_access
def layananpublik_objection_stats(context: Any, data_dict: dict) -> dict:
    return {"success": True}


@tk.auth_allow_anonymous_access
def layananpublik_complaint_create(context: Any, data_dict: dict) -> dict:
    return {"success": True}


@tk.auth_allow_anonymous_access
def layananpublik_complaint_show(context: Any, data_dict: dict) -> dict:
    # A complaint has no public register: its complainant and the body's staff only.
    if data_dict.get("tracking_token_valid") or _staff(context, data_dict, "officer", "complaints"):
        return {"success": True}
    return _deny(tk._("Only the complainant and the body's complaint handlers may see a complaint"))


@tk.auth_allow_anonymous_access
def layananpublik_complaint_show_identity(context: Any, data_dict: dict) -> dict:
    if data_dict.get("tracking_token_valid") or _staff(context, data_dict, "complaints"):
        return {"success": True}
    if not data_dict.get("confidential") and _staff(context, data_dict, "officer"):
        return {"success": True}
    return _deny(tk._("The complainant asked to keep their identity confidential"))


def layananpublik_complaint_update(context: Any, data_dict: dict) -> dict:
    if _staff(context, data_dict, "officer", "complaints"):
        return {"success": True}
    return _deny(tk._("Only the officers and complaint handlers of this body may handle complaints"))


@tk.auth_allow_anonymous_access
def layananpublik_complaint_list(context: Any, data_dict: dict) -> dict:
    user = _user(context)
    if data_dict.get("organization_id"):
        return {"success": True} if _staff(context, data_dict, "officer", "complaints") else _deny(
            tk._("Only the officers and complaint handlers of this body may list its complaints"))  # fmt: skip
    if access.bodies_with_role(user, "officer") == [] and access.bodies_with_role(user, "complaints") == []:
        return _deny(tk._("Only officers and complaint handlers may list complaints"))
    return {"success": True}


@tk.auth_allow_anonymous_access
def layananpublik_complaint_stats(context: Any, data_dict: dict) -> dict:
    return {"success": True}
