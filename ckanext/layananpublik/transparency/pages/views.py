"""Web pages under /informasi-publik: the transparency pages (site-wide and per body) with
their editor and history, the reports, and the self-assessment. Every page only calls actions.
"""

from __future__ import annotations

import difflib
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, make_response

from ckanext.layananpublik import web
from ckanext.layananpublik.transparency.pages import defaults, reports
from ckanext.layananpublik.transparency.pages import schema as sch
from ckanext.layananpublik.transparency.pages.auth import may_edit
from ckanext.layananpublik.transparency.pages.document import report_vars

bp = Blueprint("layananpublik_pages", __name__, url_prefix="/informasi-publik")
TEMPLATES = "layananpublik/transparency/pages/"


_context = web.context


def _render(template: str, **extra_vars: Any) -> str:
    return tk.render(TEMPLATES + template, extra_vars=extra_vars)


def _language() -> str:
    return defaults.language(tk.h.lang())


def _body(org: str) -> dict | None:
    try:
        return tk.get_action("organization_show")(
            _context(), {"id": org, "include_datasets": False, "include_users": False}
        )
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None


def _not_found() -> Any:
    return tk.abort(404, tk._("Page not found"))


# --- pages -----------------------------------------------------------------------------


def index() -> str:
    pages = tk.get_action("layananpublik_page_list")(_context(), {"language": _language()})
    return _render("index.html", pages=pages, body=None, year=tk.h.layananpublik_pages_this_year())


def _show(org: dict | None, slug: str) -> str:
    page = tk.get_action("layananpublik_page_show")(
        _context(), {"slug": slug, "language": _language(), **({"organization_id": org["id"]} if org else {})}
    )
    can_edit = may_edit(_context()["user"], org["id"] if org else None)
    return _render("page.html", page=page, body=org, can_edit=can_edit)


def page(slug: str) -> Any:
    if slug in defaults.PAGES:
        return _show(None, slug)
    org = _body(slug)  # /informasi-publik/<org>: the body's own index
    if org is None or not org.get("is_organization", True):
        return _not_found()
    pages = tk.get_action("layananpublik_page_list")(
        _context(), {"organization_id": org["id"], "language": _language()}
    )
    return _render("index.html", pages=pages, body=org, year=tk.h.layananpublik_pages_this_year())


def body_page(org: str, slug: str) -> Any:
    body = _body(org)
    if body is None or slug not in defaults.PAGES:
        return _not_found()
    return _show(body, slug)


def _page_url(org: dict | None, slug: str, suffix: str = "") -> str:
    if org:
        return tk.url_for(f"layananpublik_pages.body_page{suffix}", org=org["name"], slug=slug)
    return tk.url_for(f"layananpublik_pages.page{suffix}", slug=slug)


def _edit(org: dict | None, slug: str) -> Any:
    where = {"organization_id": org["id"]} if org else {}
    try:
        tk.check_access("layananpublik_page_update", _context(), where)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the body's administrators may edit its pages and reports"))
    shown = {
        lang: tk.get_action("layananpublik_page_show")(_context(), {"slug": slug, "language": lang, **where})
        for lang in defaults.LANGUAGES
    }
    form = {"format": shown["id"]["format"], "note": ""}
    for lang in defaults.LANGUAGES:
        form[f"title_{lang}"], form[f"body_{lang}"] = shown[lang]["title"], shown[lang]["body"]
    errors: dict = {}
    preview = None
    if tk.request.method == "POST":
        posted = tk.request.form
        form = {key: posted.get(key, "") for key in form}
        if "preview" in posted:
            preview = {
                lang: sanitize_preview(form[f"body_{lang}"], form["format"]) for lang in defaults.LANGUAGES
            }
        else:
            errors = _save(slug, where, shown, form)
            if not errors:
                tk.h.flash_success(tk._("The page was saved."))
                return tk.redirect_to(_page_url(org, slug))
    return _render("edit.html", slug=slug, body=org, form=form, errors=errors, preview=preview, shown=shown,
                   languages=defaults.LANGUAGES, formats=defaults.FORMATS)  # fmt: skip


def sanitize_preview(body: str, fmt: str) -> str:
    from ckanext.layananpublik.transparency.pages import sanitize

    return sanitize.render(body, fmt if fmt in defaults.FORMATS else "markdown")


def _save(slug: str, where: dict, shown: dict, form: dict) -> dict:
    """Save each language whose text changed; errors keyed `<field>_<language>`."""
    errors: dict = {}
    for lang in defaults.LANGUAGES:
        title, body = form[f"title_{lang}"], form[f"body_{lang}"].replace("\r\n", "\n")
        current = shown[lang]
        if (title, body, form["format"]) == (
            current["title"],
            current["body"].replace("\r\n", "\n"),
            current["format"],
        ):
            continue
        try:
            tk.get_action("layananpublik_page_update")(
                _context(),
                {"slug": slug, "language": lang, "title": title, "body": body, "format": form["format"],
                 "note": form.get("note") or None, **where},
            )  # fmt: skip
        except tk.ValidationError as error:
            errors.update({f"{field}_{lang}": messages for field, messages in error.error_dict.items()})
    return errors


def edit(slug: str) -> Any:
    if slug not in defaults.PAGES:
        return _not_found()
    return _edit(None, slug)


def body_edit(org: str, slug: str) -> Any:
    body = _body(org)
    if body is None or slug not in defaults.PAGES:
        return _not_found()
    return _edit(body, slug)


def _history(org: dict | None, slug: str) -> Any:
    where = {"organization_id": org["id"]} if org else {}
    histories = {}
    try:
        for lang in defaults.LANGUAGES:
            revisions = tk.get_action("layananpublik_page_revision_list")(
                _context(), {"slug": slug, "language": lang, **where}
            )
            for newer, older in zip(revisions, revisions[1:] + [None], strict=False):
                before = (older["body"] if older else "").splitlines()
                newer["diff"] = "\n".join(
                    difflib.unified_diff(before, newer["body"].splitlines(), lineterm="", n=1,
                                         fromfile=f"r{older['revision']}" if older else "-",
                                         tofile=f"r{newer['revision']}")
                )  # fmt: skip
            histories[lang] = revisions
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the body's administrators may edit its pages and reports"))
    title = defaults.PAGES[slug].title[_language()]
    return _render("history.html", slug=slug, body=org, histories=histories, title=title)


def history(slug: str) -> Any:
    if slug not in defaults.PAGES:
        return _not_found()
    return _history(None, slug)


def body_history(org: str, slug: str) -> Any:
    body = _body(org)
    if body is None or slug not in defaults.PAGES:
        return _not_found()
    return _history(body, slug)


# --- reports ---------------------------------------------------------------------------


def _report_data(year: int, quarter: int | None) -> dict:
    data: dict[str, Any] = {"year": year, "language": _language()}
    if quarter:
        data["quarter"] = quarter
    if tk.request.args.get("organization_id"):
        data["organization_id"] = tk.request.args["organization_id"]
    return data


def _report(year: int, quarter: int | None) -> Any:
    data = _report_data(year, quarter)
    try:
        shown = tk.get_action("layananpublik_report_show")(_context(), data)
    except tk.ValidationError:
        return _not_found()
    org_id = shown["organization_id"]
    extra = {
        "can_edit": may_edit(_context()["user"], org_id),
        "query": {"organization_id": shown["organization"]["name"]} if shown["organization"] else {},
        "bodies": web.bodies(),
    }
    return _render("report.html", **report_vars(shown), **extra)


def report(year: int) -> Any:
    return _report(year, None)


def report_quarter(year: int, quarter: int) -> Any:
    return _report(year, quarter)


def _report_csv(year: int, quarter: int | None) -> Any:
    try:
        shown = tk.get_action("layananpublik_report_show")(_context(), _report_data(year, quarter))
    except tk.ValidationError:
        return _not_found()
    response = make_response(reports.csv_text(shown))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    name = f"laporan-{year}-{shown['period']}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def report_csv(year: int) -> Any:
    return _report_csv(year, None)


def report_quarter_csv(year: int, quarter: int) -> Any:
    return _report_csv(year, quarter)


def _report_url(year: int, quarter: int | None, query: dict, suffix: str = "") -> str:
    if quarter:
        return tk.url_for(f"layananpublik_pages.report_quarter{suffix}", year=year, quarter=quarter, **query)
    return tk.url_for(f"layananpublik_pages.report{suffix}", year=year, **query)


def _report_edit(year: int, quarter: int | None) -> Any:
    data = _report_data(year, quarter)
    where = {"organization_id": data["organization_id"]} if data.get("organization_id") else {}
    try:
        shown = tk.get_action("layananpublik_report_show")(_context(), data)
        tk.check_access(
            "layananpublik_report_narrative_update", _context(), {"organization_id": shown["organization_id"]}
        )
    except tk.ValidationError:
        return _not_found()
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the body's administrators may edit its pages and reports"))
    errors: dict = {}
    query = {"organization_id": shown["organization"]["name"]} if shown["organization"] else {}
    if tk.request.method == "POST":
        action = tk.request.form.get("action", "save")
        try:
            if action == "publish":
                tk.get_action("layananpublik_report_publish")(
                    _context(), {**data, **where, "package_id": tk.request.form.get("package_id", ""),
                                 "format": tk.request.form.get("format", "html")},
                )  # fmt: skip
                tk.h.flash_success(tk._("The report was published as a resource of the dataset."))
            elif action == "submitted":
                tk.get_action("layananpublik_report_submission_update")(
                    _context(), {"year": year, **where, "submitted_date": tk.request.form.get("submitted_date", ""),
                                 "reference": tk.request.form.get("reference", "")},
                )  # fmt: skip
                tk.h.flash_success(tk._("The submission to the Komisi Informasi was recorded."))
            else:
                for section in sch.SECTIONS:
                    tk.get_action("layananpublik_report_narrative_update")(
                        _context(), {**data, **where, "section": section,
                                     "body": tk.request.form.get(section, "")},
                    )  # fmt: skip
                tk.h.flash_success(tk._("The report's narrative parts were saved."))
            return tk.redirect_to(_report_url(year, quarter, query))
        except tk.ValidationError as error:
            errors = error.error_dict
        except tk.NotAuthorized as error:
            errors = {"package_id": [str(error) or tk._("You may not edit this dataset")]}
    return _render("report_edit.html", **report_vars(shown), errors=errors, query=query,
                   form=tk.request.form if tk.request.method == "POST" else None)  # fmt: skip


def report_edit(year: int) -> Any:
    return _report_edit(year, None)


def report_quarter_edit(year: int, quarter: int) -> Any:
    return _report_edit(year, quarter)


# --- self-assessment -------------------------------------------------------------------


def selfassessment() -> Any:
    data = {}
    if tk.request.args.get("organization_id"):
        data["organization_id"] = tk.request.args["organization_id"]
    try:
        result = tk.get_action("layananpublik_selfassessment_show")(_context(), data)
    except tk.ValidationError:
        return _not_found()
    return _render("selfassessment.html", result=result, bodies=web.bodies())


_RULES = (
    ("/", "index", index, ["GET"]),
    ("/laporan/<int:year>", "report", report, ["GET"]),
    ("/laporan/<int:year>/csv", "report_csv", report_csv, ["GET"]),
    ("/laporan/<int:year>/ubah", "report_edit", report_edit, ["GET", "POST"]),
    ("/laporan/<int:year>/q<int:quarter>", "report_quarter", report_quarter, ["GET"]),
    ("/laporan/<int:year>/q<int:quarter>/csv", "report_quarter_csv", report_quarter_csv, ["GET"]),
    ("/laporan/<int:year>/q<int:quarter>/ubah", "report_quarter_edit", report_quarter_edit, ["GET", "POST"]),
    ("/penilaian-mandiri", "selfassessment", selfassessment, ["GET"]),
    ("/<slug>", "page", page, ["GET"]),
    ("/<slug>/ubah", "page_edit", edit, ["GET", "POST"]),
    ("/<slug>/riwayat", "page_history", history, ["GET"]),
    ("/<org>/<slug>", "body_page", body_page, ["GET"]),
    ("/<org>/<slug>/ubah", "body_page_edit", body_edit, ["GET", "POST"]),
    ("/<org>/<slug>/riwayat", "body_page_history", body_history, ["GET"]),
)
for _rule, _endpoint, _view, _methods in _RULES:
    bp.add_url_rule(_rule, _endpoint, _view, methods=_methods)
