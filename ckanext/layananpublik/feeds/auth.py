"""Who may read feeds: everyone. What a feed holds is public by construction (the
actions read as an anonymous visitor), so there is nothing to refuse."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk


@tk.auth_allow_anonymous_access
def layananpublik_feed_show(context: Any, data_dict: dict) -> dict:
    return {"success": True}
