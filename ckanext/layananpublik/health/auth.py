"""Anyone may ask whether the site is up (monitoring runs without an account); the action
gives the details (versions, queue lengths, errors) to sysadmins only."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk


@tk.auth_allow_anonymous_access
def layananpublik_health_show(context: Any, data_dict: dict) -> dict:
    return {"success": True}
