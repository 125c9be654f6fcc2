"""The front door (issue 17): the home page, the main navigation, the footer and the
site's branding.

What plugin.py wires from this package: actions(), auth_functions(), blueprints(),
helpers(), commands() and configure() (called from IConfigurer.update_config).

    front.py       layananpublik_portal_show: what the home page shows, from the other
                   capabilities' actions (statistics, DIP, pages, dataset search)
    excerpts.py    sections of a transparency page (service hours, contact, pledge)
    navigation.py  the main menu every PPID site has, as data; footer links
    activity_types.py  the activity streams' filter in words (CKAN shows internal names)
    branding.py    colours (a small stylesheet), logo and favicon defaults, local avatars
    views.py       /tampilan/warna.css
"""

from __future__ import annotations

from typing import Any

from ckanext.layananpublik.portal import activity_types, branding, front, navigation, views


def actions() -> dict:
    return {"layananpublik_portal_show": front.layananpublik_portal_show}


def auth_functions() -> dict:
    return {"layananpublik_portal_show": front.auth_portal_show}


def blueprints() -> list:
    return [views.bp]


def helpers() -> dict:
    return {
        "layananpublik_portal": front.layananpublik_portal,
        "layananpublik_portal_footer": front.layananpublik_portal_footer,
        "layananpublik_portal_menu": navigation.layananpublik_portal_menu,
        "layananpublik_portal_logo": branding.layananpublik_portal_logo,
        "layananpublik_portal_colours": branding.colours,
        "layananpublik_activity_type_label": activity_types.layananpublik_activity_type_label,
    }


def commands() -> list:
    return []


def configure(config: Any) -> None:
    branding.configure(config)
