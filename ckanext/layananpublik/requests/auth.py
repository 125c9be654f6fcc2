"""Who may do what with information requests (the authorisation matrix of the tests).

- anyone: submit a request, read the public register and statistics, see the calendar;
- the requester (signed in as the submitting account, or holding the tracking token):
  their request in full, with personal data, history and files;
- an officer of the request's body (roles.access): everything about that body's requests,
  and every workflow step; an officer of another body is "anyone" here;
- sysadmins: everything (CKAN grants it before these functions run).
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.layananpublik.roles import access


def _user(context: Any) -> str | None:
    return context.get("user") or None


def _officer(context: Any, data_dict: dict) -> dict:
    if access.has_role(_user(context), data_dict.get("organization_id", "")):
        return {"success": True}
    return {"success": False, "msg": tk._("Only an information officer of this public body may do this")}


def _is_requester(context: Any, data_dict: dict) -> bool:
    if data_dict.get("tracking_token_valid"):
        return True
    user = model.User.get(_user(context)) if _user(context) else None
    return user is not None and data_dict.get("user_id") == user.id


@tk.auth_allow_anonymous_access
def layananpublik_request_create(context: Any, data_dict: dict) -> dict:
    return {"success": True}


@tk.auth_allow_anonymous_access
def layananpublik_request_show(context: Any, data_dict: dict) -> dict:
    # A request marked as spam disappears for everyone but its body's officers.
    if data_dict.get("is_spam") and not access.has_role(_user(context), data_dict.get("organization_id", "")):
        return {"success": False, "msg": tk._("Request not found")}
    return {"success": True}


@tk.auth_allow_anonymous_access
def layananpublik_request_show_personal(context: Any, data_dict: dict) -> dict:
    # The superior answers objections about the request: they read it in full too.
    if _is_requester(context, data_dict) or access.has_role(
        _user(context), data_dict.get("organization_id", ""), "superior"
    ):
        return {"success": True}
    return _officer(context, data_dict)


@tk.auth_allow_anonymous_access
def layananpublik_request_list(context: Any, data_dict: dict) -> dict:
    scope = data_dict.get("scope", "public")
    user = _user(context)
    if scope == "mine" and not user:
        return {"success": False, "msg": tk._("Sign in to see your requests")}
    if scope == "inbox":
        if data_dict.get("organization_id"):
            return _officer(context, data_dict)
        if access.bodies_with_role(user) == []:
            return {"success": False, "msg": tk._("Only information officers have an inbox")}
    return {"success": True}


def layananpublik_request_process(context: Any, data_dict: dict) -> dict:
    return _officer(context, data_dict)


def layananpublik_request_extend(context: Any, data_dict: dict) -> dict:
    return _officer(context, data_dict)


def layananpublik_request_decide(context: Any, data_dict: dict) -> dict:
    return _officer(context, data_dict)


def layananpublik_request_attach(context: Any, data_dict: dict) -> dict:
    return _officer(context, data_dict)


def layananpublik_request_mark_spam(context: Any, data_dict: dict) -> dict:
    return _officer(context, data_dict)


def layananpublik_request_summary_update(context: Any, data_dict: dict) -> dict:
    return _officer(context, data_dict)


@tk.auth_allow_anonymous_access
def layananpublik_request_file_show(context: Any, data_dict: dict) -> dict:
    return layananpublik_request_show_personal(context, data_dict)


def layananpublik_request_register(context: Any, data_dict: dict) -> dict:
    if not data_dict.get("organization_id"):
        return {"success": False, "msg": tk._("Choose the public body whose register you want")}
    return _officer(context, data_dict)


@tk.auth_allow_anonymous_access
def layananpublik_request_stats(context: Any, data_dict: dict) -> dict:
    return {"success": True}


def layananpublik_request_send_reminders(context: Any, data_dict: dict) -> dict:
    return {"success": False, "msg": tk._("Only a sysadmin may send reminders")}


@tk.auth_allow_anonymous_access
def layananpublik_calendar_day_list(context: Any, data_dict: dict) -> dict:
    return {"success": True}


def _sysadmin_only(context: Any, data_dict: dict) -> dict:
    return {"success": False, "msg": tk._("Only a sysadmin may change the working-day calendar")}


layananpublik_calendar_day_update = _sysadmin_only
layananpublik_calendar_day_delete = _sysadmin_only
layananpublik_calendar_import = _sysadmin_only
