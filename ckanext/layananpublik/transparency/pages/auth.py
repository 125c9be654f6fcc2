"""Who may do what with the pages, reports and self-assessment.

Everyone reads published pages, reports and the self-assessment. Sysadmins edit site-wide
pages and reports; a body's admins (CKAN organisation admins) edit their body's. Revision
history (which names the staff who edited) is shown to those who may edit.
"""

from __future__ import annotations

from typing import Any

import ckan.authz as authz
import ckan.plugins.toolkit as tk


def may_edit(user: str | None, organization_id: str | None) -> bool:
    """Whether `user` may edit the pages and report narratives of a body (None: site-wide)."""
    if not user:
        return False
    if authz.is_sysadmin(user):
        return True
    if not organization_id:
        return False
    return authz.users_role_for_group_or_org(organization_id, user) == "admin"


def _editor(context: Any, data_dict: dict) -> dict:
    if may_edit(context.get("user"), data_dict.get("organization_id")):
        return {"success": True}
    if data_dict.get("organization_id"):
        return {
            "success": False,
            "msg": tk._("Only the body's administrators may edit its pages and reports"),
        }
    return {"success": False, "msg": tk._("Only a sysadmin may edit the site-wide pages and reports")}


@tk.auth_allow_anonymous_access
def _anyone(context: Any, data_dict: dict) -> dict:
    return {"success": True}


layananpublik_page_show = _anyone
layananpublik_page_list = _anyone
layananpublik_page_change_list = _anyone
layananpublik_report_show = _anyone
layananpublik_selfassessment_show = _anyone

layananpublik_page_update = _editor
layananpublik_page_revision_list = _editor
layananpublik_report_narrative_update = _editor
layananpublik_report_publish = _editor
layananpublik_report_submission_update = _editor


def layananpublik_report_send_reminders(context: Any, data_dict: dict) -> dict:
    # Run by the scheduler or cron as the site user; sysadmins pass before this runs.
    return {"success": False, "msg": tk._("Only a sysadmin may send the reminders")}
