"""Self-assessment: the Komisi Informasi evaluation items (e-Monev, Perki 1/2022) that a
website can evidence, each met only when the data behind it exists, with the link to cite.

The result counts items met; it is not the official e-Monev score (the questionnaire's
weights are not published with the items a website can show), so no grade band is applied.
The rules are honest ones: a page still showing the text shipped with the extension is not
met (it states nothing about this body); "annual report published" means last year's report
was published on the portal; the request register and the statistics are met because the
pages exist, whether or not requests arrived.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

log = logging.getLogger(__name__)
MET, NOT_MET, NOT_APPLICABLE = "met", "not_met", "not_applicable"


def page_items() -> tuple[tuple[str, str], ...]:
    return (
        ("profil-ppid", tk._("PPID profile with service hours and contact")),
        ("standar-layanan", tk._("Service standard (14 components)")),
        ("sop", tk._("The seven standard operating procedures")),
        ("maklumat", tk._("Service pledge (maklumat)")),
        ("biaya", tk._("Fees")),
        ("tata-cara", tk._("How to request, object and complain")),
        ("aksesibilitas", tk._("Disability access: accessibility statement")),
    )


def _url(endpoint: str, **kwargs: Any) -> str | None:
    try:
        return tk.url_for(endpoint, **kwargs)
    except Exception:  # noqa: BLE001 - a page of another part not (yet) routed: no link
        return None


def _item(
    key: str, label: str, status: str, note: str, evidence: str | None, default_text: bool = False
) -> dict:
    return {"key": key, "label": label, "status": status, "met": status == MET, "note": note,
            "evidence": evidence, "default_text": default_text}  # fmt: skip


def _call(name: str, data: dict) -> tuple[Any, str | None]:
    """(result, None), or (None, why not) when the action is missing or fails."""
    try:
        action = tk.get_action(name)
    except KeyError:
        return None, tk._("Not available yet on this portal (action {name} is missing)").format(name=name)
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    try:
        return action({"user": site_user["name"], "ignore_auth": True}, data), None
    except (tk.ValidationError, tk.ObjectNotFound) as error:
        # The action's own message may be in another language or name internal fields.
        log.warning("self-assessment: %s could not be checked: %s", name, error)
        return None, tk._("Could not be checked")


def _count(result: Any) -> int:
    if isinstance(result, dict):
        return int(result.get("count", len(result.get("rows", []))))
    return len(result or [])


def _forms(org: model.Group | None) -> list[dict]:
    where = {"org": org.name} if org else {}
    built_in = tk._("Provided by the portal")
    return [
        _item("request_form", tk._("Information request form online"), MET, built_in,
              _url("layananpublik_request.new_for_body" if org else "layananpublik_request.new", **where)),
        _item("objection_form", tk._("Objection form online"), MET,
              tk._("Filed from the request's tracking link; the objection register is public"),
              _url("layananpublik_objection.register")),
        _item("complaint_form", tk._("Complaint form online"), MET, built_in,
              _url("layananpublik_complaint.new_for_body" if org else "layananpublik_complaint.new", **where)),
    ]  # fmt: skip


def _requests(org: model.Group | None, year: int) -> list[dict]:
    """The register and the statistics are public pages of the portal: met whether or not a
    request arrived (an empty register is still a register)."""
    data = {"organization_id": org.id} if org else {}
    stats, _error = _call("layananpublik_request_stats", {**data, "year": year})
    received = stats["total"]["received"] if stats else 0
    note = tk.ungettext(
        "{n} request registered in {year}", "{n} requests registered in {year}", received
    ).format(n=received, year=year)
    register, statistics = _url("layananpublik_request.register"), _url("layananpublik_request.stats", year=year)
    return [
        _item("request_register", tk._("Public register of requests"), MET if register else NOT_MET, note,
              register),
        _item("statistics", tk._("Statistics of the information service"), MET if statistics else NOT_MET, note,
              statistics),
    ]  # fmt: skip


def _dip(org: model.Group | None) -> list[dict]:
    where = {"organization": org.id} if org else {}
    items = []
    for key, label, action, endpoint in (
        (
            "dip",
            tk._("Public information list (DIP) in the Perki 1/2021 format"),
            "layananpublik_dip_list",
            "dip",
        ),
        (
            "dik",
            tk._("Exempt information list (DIK) with consequence tests"),
            "layananpublik_exempt_item_list",
            "dik",
        ),
    ):
        result, error = _call(action, where)
        link = (
            _url(f"layananpublik_dip.{endpoint}_body", org=org.name)
            if org
            else _url(f"layananpublik_dip.{endpoint}_site")
        )
        if error:
            items.append(_item(key, label, NOT_MET, error, None))
            continue
        n = _count(result)
        note = (
            tk.ungettext("{n} entry", "{n} entries", n).format(n=n)
            if n
            else tk._("The list has no entry yet")
        )
        items.append(_item(key, label, MET if n else NOT_MET, note, link))
    return items


def _categories(org: model.Group | None) -> list[dict]:
    """Serta-merta and setiap-saat information are announced (Pasal 10, 11 UU 14/2008): met
    when the DIP lists at least one entry of the category."""
    result, error = _call("layananpublik_dip_list", {"limit": 1, **({"organization": org.id} if org else {})})
    items = []
    for key, label in (
        ("serta_merta", tk._("Immediate (serta merta) information announced")),
        ("setiap_saat", tk._("Information available at any time (setiap saat) listed")),
    ):
        link = (_url("layananpublik_dip.dip_body", org=org.name, category=key) if org
                else _url("layananpublik_dip.dip_site", category=key))  # fmt: skip
        if error:
            items.append(_item(key, label, NOT_MET, error, None))
            continue
        n = int(result["category_counts"].get(key, 0))
        note = (tk.ungettext("{n} entry in the DIP", "{n} entries in the DIP", n).format(n=n) if n
                else tk._("The DIP has no entry of this category"))  # fmt: skip
        items.append(_item(key, label, MET if n else NOT_MET, note, link))
    return items


def _berkala(org: model.Group | None) -> dict:
    label = tk._("Periodic (berkala) information current (11 items, updated within 6 months)")
    if org is None:
        return _item("berkala", label, NOT_APPLICABLE, tk._("Checked per public body"), None)
    result, error = _call("layananpublik_berkala_checklist", {"organization": org.id})
    if error:
        return _item("berkala", label, NOT_MET, error, None)
    summary = result.get("summary", {})
    missing, outdated = int(summary.get("missing", 0)), int(summary.get("outdated", 0))
    note = tk._("{missing} missing, {outdated} outdated").format(missing=missing, outdated=outdated)
    status = MET if not missing and not outdated else NOT_MET
    return _item("berkala", label, status, note, _url("layananpublik_dip.berkala", org=org.name))


def _page_link(org: model.Group | None, slug: str) -> str | None:
    return (_url("layananpublik_pages.body_page", org=org.name, slug=slug) if org
            else _url("layananpublik_pages.page", slug=slug))  # fmt: skip


def _pages(org: model.Group | None, language: str, page_lookup: Callable) -> list[dict]:
    """A page still on the text shipped with the portal states nothing about this body: not met."""
    items = []
    for slug, label in page_items():
        page = page_lookup(slug, org.id if org else None, language)
        if page["is_default"]:
            status, note = NOT_MET, tk._("Still the default text: adapt it to this body")
        elif page["source"] == "site" and org is not None:
            status, note = MET, tk._("Published (the site-wide text)")
        else:
            status, note = MET, tk._("Published, revision {n}").format(n=page["revision"])
        items.append(_item(f"page_{slug.replace('-', '_')}", label, status, note, _page_link(org, slug),
                           page["is_default"]))  # fmt: skip
    return items


def _service_hours(org: model.Group | None, language: str, page_lookup: Callable) -> dict:
    """Service hours are stated in the body's PPID profile, under a "Jam layanan" heading,
    without a template's blanks."""
    from ckanext.layananpublik.portal import excerpts

    label = tk._("Service hours announced")
    page = page_lookup("profil-ppid", org.id if org else None, language)
    hours = [] if page["is_default"] else excerpts.section(page["html"], excerpts.SERVICE_HOURS)
    if hours:
        return _item("service_hours", label, MET, " ".join(hours), _page_link(org, "profil-ppid"))
    note = tk._("The PPID profile has no service hours section filled in")
    return _item("service_hours", label, NOT_MET, note, _page_link(org, "profil-ppid"))


def _report(org: model.Group | None, year: int, report_status: Callable) -> dict:
    """Met when last year's annual report was published on the portal (layananpublik_report_publish)."""
    from ckanext.layananpublik.cases.formatting import date

    label = tk._("Annual information service report published")
    last = year - 1
    link = _url("layananpublik_pages.report", year=last, **({"organization_id": org.name} if org else {}))
    status = report_status(org.id if org else None, last)
    if status["published_at"]:
        note = tk._("Report {year} published on {date}").format(year=last, date=date(status["published_at"][:10]))
        if status["submitted_date"]:
            note += " · " + tk._("submitted to the Komisi Informasi on {date}").format(
                date=date(status["submitted_date"]))
        return _item("annual_report", label, MET, note, link)
    note = tk._("The report of {year} is not published yet (due by {date})").format(
        year=last, date=date(status["due_date"]))
    return _item("annual_report", label, NOT_MET, note, link)


def _social(org: model.Group | None) -> dict:
    label = tk._("Official social-media channels")
    result, error = _call("layananpublik_social_channel_list", {"organization_id": org.id} if org else {})
    if error:
        return _item("social_media", label, NOT_MET, error, None)
    n = len(result)
    note = (
        tk.ungettext("{n} active channel", "{n} active channels", n).format(n=n)
        if n
        else tk._("No active channel configured")
    )
    return _item("social_media", label, MET if n else NOT_MET, note, None)


def _survey(org: model.Group | None) -> dict:
    """Met when the satisfaction survey (PermenPAN-RB 14/2017) is on and the index of last year
    or this year is published (it has enough responses)."""
    from ckanext.layananpublik.cases.clock import today

    label = tk._("Satisfaction survey with a published index")
    if not tk.config.get("ckanext.layananpublik.survey.enabled"):
        return _item("satisfaction_survey", label, NOT_MET, tk._("The satisfaction survey is turned off"), None)
    year = today().year
    for y in (year, year - 1):
        index, error = _call("layananpublik_survey_index", {"year": y, **({"organization_id": org.id} if org else {})})
        if error:
            return _item("satisfaction_survey", label, NOT_MET, error, None)
        if index["published"]:
            note = tk._("Index {year}: {ikm}, grade {grade}").format(year=y, ikm=f"{index['ikm']:.2f}",
                                                                    grade=index["grade"])  # fmt: skip
            return _item("satisfaction_survey", label, MET, note,
                         _url("layananpublik_request.stats", year=y, **({"organization_id": org.name} if org else {})))  # fmt: skip
    note = tk._("No index published for {a} or {b} yet (too few responses)").format(a=year - 1, b=year)
    return _item("satisfaction_survey", label, NOT_MET, note, None)


def assess(
    organization_id: str | None, language: str, page_lookup: Callable, report_status: Callable
) -> dict:
    """`page_lookup` and `report_status` come from actions.py (the pages' data)."""
    from ckanext.layananpublik.cases.clock import today

    org = model.Group.get(organization_id) if organization_id else None
    year = today().year
    items = [
        *_forms(org),
        *_requests(org, year),
        *_dip(org),
        *_categories(org),
        _berkala(org),
        *_pages(org, language, page_lookup),
        _service_hours(org, language, page_lookup),
        _report(org, year, report_status),
        _social(org),
        _survey(org),
    ]
    counted = [i for i in items if i["status"] != NOT_APPLICABLE]
    return {
        "organization": {"id": org.id, "name": org.name, "title": org.title} if org else None,
        "year": year,
        "items": items,
        "met": sum(i["met"] for i in counted),
        "total": len(counted),
        "default_text": sum(i["default_text"] for i in items),
        "official_score": None,
    }
