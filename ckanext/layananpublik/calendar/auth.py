"""Who may read and change the working-day calendar: anyone reads it; sysadmins change it
(CKAN lets sysadmins pass before these functions run)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.layananpublik.cases.auth import anyone, deny

layananpublik_calendar_day_list = anyone


def _sysadmin_only(context: Any, data_dict: dict) -> dict:
    return deny(tk._("Only a sysadmin may change the working-day calendar"))


layananpublik_calendar_day_update = _sysadmin_only
layananpublik_calendar_day_delete = _sysadmin_only
layananpublik_calendar_import = _sysadmin_only
