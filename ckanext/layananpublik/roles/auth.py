"""Auth of the role actions: a body's admins (and sysadmins) appoint its PPID staff."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.layananpublik.roles import access


def _org_admin(context: Any, data_dict: dict) -> dict:
    if access.is_org_admin(context.get("user"), data_dict.get("organization_id", "")):
        return {"success": True}
    return {
        "success": False,
        "msg": tk._("Only an administrator of this public body may manage its PPID roles"),
    }


def layananpublik_officer_create(context: Any, data_dict: dict) -> dict:
    return _org_admin(context, data_dict)


def layananpublik_officer_delete(context: Any, data_dict: dict) -> dict:
    return _org_admin(context, data_dict)


def layananpublik_officer_list(context: Any, data_dict: dict) -> dict:
    org = data_dict.get("organization_id", "")
    user = context.get("user")
    if access.is_org_admin(user, org) or access.has_role(user, org, "officer"):
        return {"success": True}
    return {"success": False, "msg": tk._("Only the staff of this public body may see its PPID roles")}
