"""Who may do what with social channels and posts.

- channels (create, change, deactivate, see masked settings): sysadmins for site-wide
  channels, the body's admins for the body's channels;
- review of a body's posts (approve, edit, skip): the body's editors and admins; posts of
  site-wide channels: sysadmins;
- outbox management (retry, cancel, mark an unknown post as published): like channels;
- preview of a dataset's posts: whoever may edit the dataset;
- listing: any signed-in user; the action returns only what the user may see.
"""

from __future__ import annotations

from typing import Any

import ckan.authz as authz
import ckan.plugins.toolkit as tk

from ckanext.layananpublik.cases.auth import has_role_somewhere
from ckanext.layananpublik.roles import access

EDITOR_CAPACITIES = ("editor", "admin")


def _user(context: Any) -> str | None:
    return context.get("user") or None


def may_manage(user: str | None, organization_id: str | None) -> bool:
    if not organization_id:
        return access.is_sysadmin(user)
    return access.is_org_admin(user, organization_id)


def may_review(user: str | None, organization_id: str | None) -> bool:
    if not organization_id:
        return access.is_sysadmin(user)
    return access.is_sysadmin(user) or (
        bool(user) and authz.users_role_for_group_or_org(organization_id, user) in EDITOR_CAPACITIES
    )


def _answer(allowed: bool, message: str) -> dict:
    return {"success": True} if allowed else {"success": False, "msg": message}


def layananpublik_social_channel_manage(context: Any, data_dict: dict) -> dict:
    return _answer(
        may_manage(_user(context), data_dict.get("organization_id")),
        tk._("Only an administrator of this public body may manage its social channels"),
    )


def layananpublik_social_post_review(context: Any, data_dict: dict) -> dict:
    return _answer(
        may_review(_user(context), data_dict.get("organization_id")),
        tk._("Only an editor of this public body may review its social posts"),
    )


def layananpublik_social_post_manage(context: Any, data_dict: dict) -> dict:
    return _answer(
        may_manage(_user(context), data_dict.get("organization_id")),
        tk._("Only an administrator of this public body may retry or cancel its social posts"),
    )


def layananpublik_social_list(context: Any, data_dict: dict) -> dict:
    return _answer(bool(_user(context)), tk._("Sign in to see social posts"))


def layananpublik_social_post_preview(context: Any, data_dict: dict) -> dict:
    return authz.is_authorized("package_update", context, {"id": data_dict.get("id")})


def layananpublik_social_outbox_drain(context: Any, data_dict: dict) -> dict:
    return _answer(access.is_sysadmin(_user(context)), tk._("Only a sysadmin may drain the outbox"))


# --- the feedback inbox: citizens' replies are personal data, for the body's officers only ----


def layananpublik_social_feedback_list(context: Any, data_dict: dict) -> dict:
    return _answer(
        has_role_somewhere(context, "officer"),
        tk._("Only a public body's officers may see the replies to its social posts"),
    )


def layananpublik_social_feedback_handle(context: Any, data_dict: dict) -> dict:
    return _answer(
        access.has_role(_user(context), data_dict.get("organization_id") or "", "officer"),
        tk._("Only an officer of this public body may see and answer the replies to its social posts"),
    )


@tk.auth_allow_anonymous_access
def layananpublik_social_feedback_stats(context: Any, data_dict: dict) -> dict:
    return {"success": True}  # counts only
