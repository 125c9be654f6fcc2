"""The site's look from configuration: CKAN's own options where they exist (ckan.site_title,
ckan.site_description, ckan.site_logo, ckan.favicon, ckan.site_intro_text), ours for the
colours; and no request to an outside host (Gravatar is off unless asked for).
"""

from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.common import config_declaration

CKAN_LOGO = "/base/images/ckan-logo.png"
CKAN_FAVICON = "/base/images/ckan.ico"
FAVICON = "/layananpublik/favicon.svg"
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
COLOUR_OPTIONS = ("primary", "accent")


def configure(config: Any) -> None:
    """Called from IConfigurer.update_config: our public files (favicon, demo logo), a
    neutral favicon instead of CKAN's, and local avatars instead of Gravatar's."""
    tk.add_public_directory(config, "public")
    if config.get("ckan.favicon") == CKAN_FAVICON:
        config["ckan.favicon"] = FAVICON
    if not config.get("ckanext.layananpublik.portal.gravatar"):
        # user_image() then renders user/snippets/placeholder.html: no request to
        # gravatar.com, which fails offline and tells it the users' email hashes.
        config["ckan.gravatar_default"] = "disabled"


def colours() -> dict[str, str]:
    """The configured colours; a malformed one falls back to its declared default."""
    result = {}
    for name in COLOUR_OPTIONS:
        key = f"ckanext.layananpublik.portal.colour.{name}"
        value = (tk.config.get(key) or "").strip()
        if not COLOUR.match(value):
            value = str(config_declaration.get(key).default)
        result[name] = value
    return result


def layananpublik_portal_logo() -> str | None:
    """The logo to show, or None for the site title as text (CKAN's own logo is not a
    public body's)."""
    logo = tk.config.get("ckan.site_logo") or ""
    return None if not logo or logo == CKAN_LOGO else logo
