"""What the auth functions of every case type ask: who is acting, whether they are the
requester, and whether they hold one of the body's PPID roles (roles.access)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.layananpublik.roles import access

ALLOW = {"success": True}


def user(context: Any) -> str | None:
    return context.get("user") or None


def deny(message: str) -> dict:
    return {"success": False, "msg": message}


def is_requester(context: Any, data_dict: dict) -> bool:
    """The holder of the case's tracking token, or the account that filed it."""
    if data_dict.get("tracking_token_valid"):
        return True
    account = model.User.get(user(context)) if user(context) else None
    return account is not None and data_dict.get("user_id") == account.id


def has_role(context: Any, data_dict: dict, *roles: str) -> bool:
    """Whether the caller holds one of `roles` in the case's body (sysadmins hold every one)."""
    org = data_dict.get("organization_id", "")
    return any(access.has_role(user(context), org, role) for role in roles)


def has_role_somewhere(context: Any, *roles: str) -> bool:
    """Whether the caller holds one of `roles` in any body (an inbox to open)."""
    return any(access.bodies_with_role(user(context), role) != [] for role in roles)


def bodies_with_any(user_name: str | None, *roles: str) -> list[str] | None:
    """The bodies where the user holds one of `roles`; None: every body (sysadmin)."""
    found: set[str] = set()
    for role in roles:
        bodies = access.bodies_with_role(user_name, role)
        if bodies is None:
            return None
        found.update(bodies)
    return sorted(found)


def allowed(auth: str, context: Any, data_dict: dict) -> bool:
    """Whether the auth function lets the caller through (actions decide what to show)."""
    try:
        tk.check_access(auth, context, data_dict)
    except tk.NotAuthorized:
        return False
    return True


@tk.auth_allow_anonymous_access
def anyone(context: Any, data_dict: dict) -> dict:
    """An auth function that lets everyone through, visitors too."""
    return ALLOW


def staff_of(*roles: str, message: str) -> Callable[[Any, dict], dict]:
    """An auth function for holders of one of `roles` in the case's body; `message` (an
    English message id, marked with N_) tells the others why not, in their language."""

    def auth(context: Any, data_dict: dict) -> dict:
        return ALLOW if has_role(context, data_dict, *roles) else deny(tk._(message))

    return auth
