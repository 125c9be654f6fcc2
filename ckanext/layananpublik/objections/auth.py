"""Who may do what with objections (keberatan) and disputes: the requester (tracking token of
the request or the objection, or signed in as the requester) files and follows them; the
body's superior (Atasan PPID) answers; officers and superiors of the body see everything,
record late objections and disputes; the public sees register entries.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.layananpublik.cases.auth import (
    ALLOW,
    anyone,
    deny,
    has_role,
    has_role_somewhere,
    is_requester,
    staff_of,
)
from ckanext.layananpublik.cases.labels import N_


@tk.auth_allow_anonymous_access
def layananpublik_objection_create(context: Any, data_dict: dict) -> dict:
    if is_requester(context, data_dict) or has_role(context, data_dict, "officer"):
        return ALLOW
    return deny(tk._("Only the requester (with the tracking link) or an officer of the body may object"))


layananpublik_objection_show = anyone
# Ground b (berkala information not published) needs no request: anyone may raise it.
layananpublik_objection_berkala_create = anyone


@tk.auth_allow_anonymous_access
def layananpublik_objection_show_personal(context: Any, data_dict: dict) -> dict:
    if is_requester(context, data_dict) or has_role(context, data_dict, "officer", "superior"):
        return ALLOW
    return deny(tk._("Only the requester and the body's staff may see this objection in full"))


@tk.auth_allow_anonymous_access
def layananpublik_objection_list(context: Any, data_dict: dict) -> dict:
    scope = data_dict.get("scope", "public")
    if scope == "mine" and not context.get("user"):
        return deny(tk._("Sign in to see your objections"))
    if scope == "inbox":
        if data_dict.get("organization_id"):
            if not has_role(context, data_dict, "officer", "superior"):
                return deny(tk._("Only the superior and officers of this body have its objections inbox"))
        elif not has_role_somewhere(context, "superior", "officer"):
            return deny(tk._("Only superiors and officers have an objections inbox"))
    return ALLOW


layananpublik_objection_decide = staff_of(
    "superior", message=N_("Only the superior of the PPID (Atasan PPID) of this body may answer an objection")
)


layananpublik_objection_dispute_update = staff_of(
    "officer", "superior", message=N_("Only the officers and superior of this body may record a dispute")
)


def layananpublik_objection_register(context: Any, data_dict: dict) -> dict:
    if data_dict.get("organization_id") and has_role(context, data_dict, "officer", "superior"):
        return ALLOW
    return deny(tk._("Only the officers and superior of this body may export its objection register"))


layananpublik_objection_stats = anyone
