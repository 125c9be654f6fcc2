"""The main menu every PPID site has (Beranda, Informasi Publik, Layanan Informasi, Profil
PPID, Laporan, Data), as data: each entry names a route, so a URL changes in one place.

A menu's "active" flag follows the current route; the profile pages link to the default
body's pages when the portal serves one body (ckanext.layananpublik.portal.body, or the
only body), else to the site-wide pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk

# The transparency pages of "Profil PPID", in menu order (transparency/pages/defaults.py).
PROFILE_PAGES = ("profil-ppid", "standar-layanan", "maklumat", "sop", "biaya", "tata-cara")


def _page_labels() -> dict[str, str]:
    return {
        "profil-ppid": tk._("PPID profile"),
        "standar-layanan": tk._("Service standard"),
        "maklumat": tk._("Service pledge"),
        "sop": tk._("Standard operating procedures"),
        "biaya": tk._("Fees"),
        "tata-cara": tk._("How to request"),
    }


def _item(label: str, endpoint: str, **kwargs: Any) -> dict:
    return {"label": label, "endpoint": endpoint, "url": tk.url_for(endpoint, **kwargs)}


def _menus(body: str | None) -> list[dict]:
    year = dt.date.today().year
    dip = "layananpublik_dip.dip_body" if body else "layananpublik_dip.dip_site"
    dik = "layananpublik_dip.dik_body" if body else "layananpublik_dip.dik_site"
    where = {"org": body} if body else {}
    labels = _page_labels()
    if body:
        pages = [_item(labels[s], "layananpublik_pages.body_page", org=body, slug=s) for s in PROFILE_PAGES]
    else:
        pages = [_item(labels[s], "layananpublik_pages.page", slug=s) for s in PROFILE_PAGES]
    return [
        {"label": tk._("Home"), "blueprints": ["home"], "url": tk.url_for("home.index"), "items": []},
        {"label": tk._("Public information"), "blueprints": ["layananpublik_dip"], "items": [
            _item(tk._("Public information list (DIP)"), dip, **where),
            _item(tk._("Periodic information"), dip, category="berkala", **where),
            _item(tk._("Immediate information"), dip, category="serta_merta", **where),
            _item(tk._("Information available at any time"), dip, category="setiap_saat", **where),
            _item(tk._("Exempt information list (DIK)"), dik, **where),
        ]},
        {"label": tk._("Information services"),
         "blueprints": ["layananpublik_request", "layananpublik_objection", "layananpublik_complaint"], "items": [
            _item(tk._("Request information"), "layananpublik_request.new"),
            _item(tk._("Track a request"), "layananpublik_request.lookup"),
            _item(tk._("Request register"), "layananpublik_request.register"),
            _item(tk._("Objections"), "layananpublik_objection.register"),
            _item(tk._("Complaints"), "layananpublik_complaint.new"),
            _item(tk._("Statistics"), "layananpublik_request.stats"),
        ]},
        {"label": tk._("PPID profile"), "blueprints": ["layananpublik_pages:page", "layananpublik_pages:body_page"], "items": pages},
        {"label": tk._("Reports"), "blueprints": ["layananpublik_pages:report", "layananpublik_pages:selfassessment", "layananpublik_pages:index"], "items": [
            _item(tk._("Service report {year}").format(year=year), "layananpublik_pages.report", year=year),
            _item(tk._("Service report {year}").format(year=year - 1), "layananpublik_pages.report", year=year - 1),
            _item(tk._("Self-assessment"), "layananpublik_pages.selfassessment"),
            _item(tk._("All transparency pages"), "layananpublik_pages.index"),
        ]},
        {"label": tk._("Data"), "blueprints": ["dataset", "resource", "organization", "group"], "items": [
            _item(tk._("Datasets"), "dataset.search"),
            _item(tk._("Public bodies"), "organization.index"),
            _item(tk._("Groups"), "group.index"),
            _item(tk._("About"), "home.about"),
        ]},
    ]  # fmt: skip


def _active(menu: dict, endpoint: str) -> bool:
    blueprint, _, view = endpoint.partition(".")
    for mark in menu["blueprints"]:
        name, _, prefix = mark.partition(":")
        if name == blueprint and view.startswith(prefix):
            return True
    return False


def layananpublik_portal_menu() -> list[dict]:
    """The main menu: [{"label", "url" (a menu without items), "items": [{"label", "url"}],
    "active"}]."""
    from ckanext.layananpublik.portal import front

    body = front.layananpublik_portal_footer()["body"]
    endpoint = tk.request.endpoint or ""
    menus = _menus(body["name"] if body else None)
    for menu in menus:
        menu["active"] = _active(menu, endpoint)
    return menus
