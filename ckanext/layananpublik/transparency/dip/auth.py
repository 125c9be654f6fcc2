"""Who may do what with the DIP, the DIK and the berkala checklist.

- anyone: read the DIP, the DIK (never the exempt information itself) and the checklist;
- an admin of the body's organisation, or an information officer (PPID) of the body
  (roles.access): add, change and remove the body's non-dataset DIP items and DIK rows;
- sysadmins: everything (CKAN grants it before these functions run).
DIP fields of datasets follow CKAN's own dataset permissions.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.layananpublik.cases.auth import anyone
from ckanext.layananpublik.roles import access


def can_edit(user: str | None, organization_id: str | None) -> bool:
    return bool(organization_id) and (
        access.is_org_admin(user, organization_id) or access.has_role(user, organization_id)
    )


def _editor(context: Any, data_dict: dict) -> dict:
    if can_edit(context.get("user"), data_dict.get("organization_id")):
        return {"success": True}
    return {
        "success": False,
        "msg": tk._("Only an admin or information officer of this public body may do this"),
    }


layananpublik_dip_list = anyone


layananpublik_dip_csv = anyone


layananpublik_dip_item_show = anyone


layananpublik_dip_item_create = _editor


layananpublik_dip_item_update = _editor


layananpublik_dip_item_delete = _editor


layananpublik_exempt_item_list = anyone


layananpublik_exempt_item_show = anyone


layananpublik_exempt_item_create = _editor


layananpublik_exempt_item_update = _editor


layananpublik_exempt_item_delete = _editor


layananpublik_berkala_checklist = anyone


layananpublik_dip_determination_show = anyone


layananpublik_dip_determination_update = _editor
