"""Who may do what with information requests (the authorisation matrix of the tests).

- anyone: submit a request, read the public register and statistics;
- the requester (signed in as the submitting account, or holding the tracking token):
  their request in full, with personal data, history and files;
- an officer of the request's body (roles.access): everything about that body's requests,
  and every workflow step; an officer of another body is "anyone" here;
- sysadmins: everything (CKAN grants it before these functions run).
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

_officer = staff_of("officer", message=N_("Only an information officer of this public body may do this"))


layananpublik_request_create = anyone


# Anyone sees a request's register entry (a set-aside one too); personal data: see below.
layananpublik_request_show = anyone


@tk.auth_allow_anonymous_access
def layananpublik_request_show_personal(context: Any, data_dict: dict) -> dict:
    # The superior reads a request in full only when it is under objection (least privilege):
    # answering the objection is their part.
    if is_requester(context, data_dict) or (data_dict.get("under_objection") and has_role(context, data_dict, "superior")):
        return ALLOW
    return _officer(context, data_dict)


@tk.auth_allow_anonymous_access
def layananpublik_request_list(context: Any, data_dict: dict) -> dict:
    scope = data_dict.get("scope", "public")
    if scope == "mine" and not context.get("user"):
        return deny(tk._("Sign in to see your requests"))
    if scope == "inbox":
        if data_dict.get("organization_id"):
            return _officer(context, data_dict)
        if not has_role_somewhere(context, "officer"):
            return deny(tk._("Only information officers have an inbox"))
    return ALLOW


# Every workflow step: an officer of the request's body.
layananpublik_request_process = _officer
layananpublik_request_extend = _officer
layananpublik_request_decide = _officer
layananpublik_request_attach = _officer
layananpublik_request_mark_spam = _officer
layananpublik_request_summary_update = _officer
layananpublik_request_handover = _officer
# An identity document (KTP scan, decree): the body's officers only, not even the superior.
layananpublik_request_identity_show = _officer
# Taking back a set-aside (spam) request is the superior's review of the officer's decision.
layananpublik_request_unmark_spam = staff_of(
    "superior", message=N_("Only the superior of the PPID (Atasan PPID) of this body may take this back")
)


@tk.auth_allow_anonymous_access
def layananpublik_request_file_show(context: Any, data_dict: dict) -> dict:
    return layananpublik_request_show_personal(context, data_dict)


def layananpublik_request_register(context: Any, data_dict: dict) -> dict:
    if not data_dict.get("organization_id"):
        return deny(tk._("Choose the public body whose register you want"))
    return _officer(context, data_dict)


layananpublik_request_stats = anyone


def layananpublik_request_send_reminders(context: Any, data_dict: dict) -> dict:
    return deny(tk._("Only a sysadmin may send reminders"))
