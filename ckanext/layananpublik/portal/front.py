"""What the home page and the footer show, gathered from the other capabilities' actions:
the request statistics (UU 14/2008 Pasal 12 figures), the DIP's category counts, the
newest datasets, and the PPID profile and service pledge pages. Nothing here reads the
model: each figure comes through the action (and auth function) that owns it.
"""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.layananpublik import web
from ckanext.layananpublik.portal import excerpts

log = logging.getLogger(__name__)
CATEGORIES = ("berkala", "serta_merta", "setiap_saat")


def show_schema() -> dict:
    ignore_missing = tk.get_validator("ignore_missing")
    unicode_safe = tk.get_validator("unicode_safe")
    return {"organization": [ignore_missing, unicode_safe]}


@tk.auth_allow_anonymous_access
def auth_portal_show(context: Any, data_dict: dict) -> dict:
    # The parts are public; each is read through its own action, which checks its own access.
    return {"success": True}


def _call(context: Any, name: str, data_dict: dict) -> Any:
    return tk.get_action(name)({"user": context.get("user") or ""}, data_dict)


def _bodies(context: Any) -> list[dict]:
    """Every body, by title (web.bodies pages past organization_list's cap)."""
    return [
        {"name": b["name"], "title": b.get("display_name") or b["title"] or b["name"]}
        for b in web.bodies(context)
    ]


def _body(context: Any, name: str | None) -> dict | None:
    """The body asked for (ObjectNotFound if there is none); else the configured one; else the
    only one; else none (site-wide). A configured body that does not exist is logged and
    passed over: a typo in the ini file must not take every page down."""
    if name:
        return _organization(context, name)
    configured = tk.config.get("ckanext.layananpublik.portal.body") or ""
    if configured:
        try:
            return _organization(context, configured)
        except tk.ObjectNotFound:
            log.warning("ckanext.layananpublik.portal.body: there is no organization %r", configured)
    # Names only, two at most: enough to tell a one-body site (this runs on every page).
    names = _call(context, "organization_list", {"limit": 2})
    return _organization(context, names[0]) if len(names) == 1 else None


def _organization(context: Any, name: str) -> dict:
    org = _call(context, "organization_show", {"id": name, "include_datasets": False,
                                               "include_users": False, "include_extras": False})  # fmt: skip
    return {"id": org["id"], "name": org["name"], "title": org.get("display_name") or org["title"]}


def _figures(context: Any, body: dict | None) -> dict:
    stats = _call(context, "layananpublik_request_stats", {"organization_id": body["id"]} if body else {})
    total = stats["total"]
    return {
        "year": stats["year"],
        "received": total["received"],
        "decided": total["decided"],
        "share_on_time": total["share_on_time"],
        "median_working_days": total["median_working_days"],
    }


def _categories(context: Any, body: dict | None) -> list[dict]:
    data = {"limit": 1, **({"organization": body["id"]} if body else {})}
    counts = _call(context, "layananpublik_dip_list", data)["category_counts"]
    return [{"category": c, "count": counts.get(c, 0)} for c in CATEGORIES]


def _newest(context: Any, body: dict | None) -> list[dict]:
    rows = tk.config.get("ckanext.layananpublik.portal.newest_datasets")
    if rows <= 0:
        return []
    data = {"rows": rows, "sort": "metadata_created desc", "include_private": False}
    if body:
        data["fq"] = f'owner_org:"{body["id"]}"'
    result = _call(context, "package_search", data)
    return [
        {"name": d["name"], "title": d.get("title") or d["name"], "notes": d.get("notes") or "",
         "organization": (d.get("organization") or {}).get("title") or "",
         "metadata_created": d.get("metadata_created")}
        for d in result["results"]
    ]  # fmt: skip


def _page(context: Any, slug: str, body: dict | None) -> dict:
    return _call(
        context,
        "layananpublik_page_show",
        {"slug": slug, **({"organization_id": body["id"]} if body else {})},
    )


def _profile(context: Any, body: dict | None) -> dict:
    html = _page(context, "profil-ppid", body)["html"]
    return {
        "service_hours": excerpts.section(html, excerpts.SERVICE_HOURS),
        "contact": excerpts.section(html, excerpts.CONTACT),
    }


def _pledge(context: Any, body: dict | None) -> str:
    page = _page(context, "maklumat", body)
    return excerpts.first_paragraph(page["html"])


@tk.side_effect_free
@tk.validate_action_data(show_schema)
def layananpublik_portal_show(context: Any, data_dict: dict) -> dict:
    """What the portal's home page shows, for the whole site or for one public body: this
    year's request figures (received, decided, share decided on time, median working days),
    the number of DIP entries per information category (berkala, serta merta, setiap saat),
    the newest public datasets, the body's service hours and contact from its PPID profile
    page, and the first paragraph of its service pledge (maklumat). Parts of a page still
    holding a placeholder in square brackets are left out.

    :param organization: a public body (name or id); default the option
        ckanext.layananpublik.portal.body, else the only body of a one-body site, else the
        whole site
    :returns: body (id, name, title, or null for the whole site), bodies (name, title;
        for a body picker), figures, categories, newest, service_hours, contact, pledge
    """
    tk.check_access("layananpublik_portal_show", context, data_dict)
    body = _body(context, data_dict.get("organization"))
    return {
        "body": body,
        "bodies": _bodies(context),
        "figures": _figures(context, body),
        "categories": _categories(context, body),
        "newest": _newest(context, body),
        **_profile(context, body),
        "pledge": _pledge(context, body),
    }


# --- template helpers ------------------------------------------------------------------------


def layananpublik_portal(organization: str | None = None) -> dict:
    """The home page's parts for the visitor; an unknown body gives the site-wide parts
    with `unknown_body` set."""
    try:
        return tk.get_action("layananpublik_portal_show")(web.context(), {"organization": organization or ""})
    except (tk.ObjectNotFound, tk.ValidationError):
        result = tk.get_action("layananpublik_portal_show")(web.context(), {})
        return {**result, "unknown_body": organization}


def layananpublik_portal_footer() -> dict:
    """The footer's contact and service hours: the default body's PPID profile (or the
    site-wide one), read once per request."""
    cached = getattr(tk.g, "_layananpublik_footer", None)
    if cached is None:
        context = web.context()
        body = _body(context, None)
        cached = {"body": body, **_profile(context, body)}
        tk.g._layananpublik_footer = cached
    return cached
