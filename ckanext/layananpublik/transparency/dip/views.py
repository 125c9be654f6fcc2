"""Pages of the DIP part (Indonesian URLs under /informasi-publik):

- /informasi-publik/dip and /informasi-publik/dip/<org>: the DIP, grouped by category,
  filterable and searchable, paged; `?cetak=1` is the whole list in the A4 print layout;
  /informasi-publik/dip.csv|json and /informasi-publik/dip/<org>.csv|json export it all;
- /informasi-publik/dip/<org>/penetapan: the number and date of the decision fixing the DIP;
- /informasi-publik/dip/<org>/butir/baru, .../butir/<id>/ubah, .../butir/<id>/hapus:
  non-dataset DIP items (body admins, the body's information officers, sysadmins);
- /informasi-publik/dik[/<org>] and its forms .../dik/<org>/baru, .../<id>/ubah, .../<id>/hapus;
- /informasi-publik/berkala/<org>: the berkala checklist.
Every page reads through the actions.
"""

from __future__ import annotations

import contextlib
import gc
import json
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, current_app, make_response
from jinja2.filters import do_truncate
from markupsafe import Markup, escape

from ckanext.layananpublik import spreadsheet, web
from ckanext.layananpublik.transparency.dip import auth, fields
from ckanext.layananpublik.transparency.dip import schema as sch

dip = Blueprint("layananpublik_dip", __name__, url_prefix="/informasi-publik")
TEMPLATES = "layananpublik/transparency/dip/"
EXPORT_FORMATS = ("csv", "json")
# The DIP's columns, as the CSV names them (tests and older imports read them here).
csv_header = fields.csv_header


def _context() -> dict:
    return {"user": tk.current_user.name}


def _render(template: str, **extra: Any) -> str:
    return tk.render(TEMPLATES + template, extra_vars={"labels": labels(), **extra})


def labels() -> dict:
    return {"categories": fields.category_labels(), "berkala": fields.berkala_labels(),
            "forms": fields.form_labels(), "grounds": grounds_labels()}  # fmt: skip


def grounds_labels() -> dict[str, str]:
    """Pasal 17 UU 14/2008, a–j."""
    return {
        "a": tk._("Law enforcement"),
        "b": tk._("Intellectual property and fair competition"),
        "c": tk._("Defence and security of the state"),
        "d": tk._("Natural resources"),
        "e": tk._("National economic resilience"),
        "f": tk._("Foreign relations"),
        "g": tk._("Contents of private authentic deeds and wills"),
        "h": tk._("Personal secrets"),
        "i": tk._("Internal memoranda confidential by nature"),
        "j": tk._("Information barred by another law"),
    }


def _not_found() -> Any:
    return tk.abort(404, tk._("Public body not found"))


def _int_arg(name: str, default: int) -> int:
    value = tk.request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 7 else default


# --- DIP -------------------------------------------------------------------------------------


def _filters() -> dict:
    args = tk.request.args
    category = args.get("category", "")
    return {
        "category": category if category in fields.DIP_CATEGORIES else None,
        "q": args.get("q", "").strip(),
    }


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Every row at once (exports, the print layout) makes tens of thousands of small dicts
    and lists that live until the answer is written: the cyclic garbage collector's runs
    over them were a third of the Python time (bench/dip.py). Nothing here makes cycles;
    the collector runs again afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _all_rows(params: dict) -> dict:
    limit = tk.config.get("ckanext.layananpublik.dip.max_rows")
    return tk.get_action("layananpublik_dip_list")(_context(), {**params, "limit": limit, "offset": 0})


def _by_category(rows: list[dict]) -> dict[str, list]:
    groups: dict[str, list] = {}
    for row in _display(rows, labels()):
        groups.setdefault(row["category"], []).append(row)
    return groups


SUMMARY_SHOWN = 160
# Columns that take a few distinct values (a body's units, officers, places, periods).
REPEATED_COLUMNS = ("holding_unit", "responsible_officer", "made_time_place", "retention_period")


def _display(rows: list[dict], names: dict) -> list[dict]:
    """What the table shows of each row, computed here once a row or once a distinct value
    (the print layout has every row; bench/dip.py):

    - `summary_text`: the summary as Jinja's `striptags|truncate(160)` gives it; a summary
      without '<' or '&' has no tag or entity to remove, only its whitespace is collapsed, as
      striptags does;
    - `html`: escaped once a distinct value (an escape costs about a microsecond, and these
      columns repeat): the REPEATED_COLUMNS, the body's title (`organization`), the form
      labels joined (`forms`), the berkala items as (label, item, separator after it) (`berkala`,
      a loop without Jinja's `loop`, which made every row's loop a LoopContext) and their
      number (`n_berkala`).
    """
    env = current_app.jinja_env
    escaped: dict[str, Markup] = {}
    forms: dict[tuple, Markup] = {}
    berkala: dict[tuple, list] = {}
    for row in rows:
        summary = row["summary"]
        text = " ".join(summary.split()) if "<" not in summary and "&" not in summary else Markup(summary).striptags()
        row["summary_text"] = do_truncate(env, text, SUMMARY_SHOWN)
        html = {}
        for key in REPEATED_COLUMNS:
            value = row[key]
            if value not in escaped:
                escaped[value] = escape(value)
            html[key] = escaped[value]
        body = row["organization"]
        if body:
            title = body["title"]
            if title not in escaped:
                escaped[title] = escape(title)
            html["organization"] = escaped[title]
        key = tuple(row["forms"])
        if key not in forms:
            forms[key] = Markup(", ").join(names["forms"].get(f, f) for f in key)
        html["forms"] = forms[key]
        key = tuple(row["berkala_items"])
        if key not in berkala:
            last = len(key) - 1
            berkala[key] = [(escape(names["berkala"].get(i, "")), escape(i), ", " if n < last else "")
                            for n, i in enumerate(key)]  # fmt: skip
        html["berkala"] = berkala[key]
        html["n_berkala"] = len(key)
        row["html"] = html
    return rows


def dip_page(org: str | None = None) -> Any:
    body = web.body(org) if org else None
    if org and body is None:
        return _not_found()
    filters = _filters()
    params = {"organization": body["id"] if body else None, **filters}
    page_size = tk.config.get("ckanext.layananpublik.dip.page_size")
    page = max(1, _int_arg("page", 1))
    errors: dict = {}
    args = {k: v for k, v in tk.request.args.items() if k not in ("page", "cetak") and v}

    def url(**kw: Any) -> str:
        endpoint = "layananpublik_dip.dip_body" if body else "layananpublik_dip.dip_site"
        return tk.h.url_for(endpoint, **({"org": body["name"]} if body else {}), **args, **kw)

    try:
        if tk.request.args.get("cetak") == "1":
            # The print layout: every row, without the page's body picker and links.
            with _collector_paused():
                result = _all_rows(params)
                return _render("print.html", body=body, filters=filters, result=result,
                               groups=_by_category(result["rows"]), url=url)  # fmt: skip
        result = tk.get_action("layananpublik_dip_list")(
            _context(), {**params, "limit": page_size, "offset": (page - 1) * page_size}
        )
    except tk.ValidationError as exc:  # a search text too long: said next to it, kept in the box
        errors = web.error_dict(exc)
        result = {"count": 0, "rows": [], "category_counts": {}, "offset": 0, "limit": page_size,
                  "determination": None}  # fmt: skip
    pages = max(1, -(-result["count"] // page_size))

    def export(fmt: str) -> str:
        if body:
            return tk.h.url_for("layananpublik_dip.export_body", org=body["name"], fmt=fmt, **args)
        return tk.h.url_for("layananpublik_dip.export_site", fmt=fmt, **args)

    return _render(
        "dip.html",
        body=body, bodies=web.bodies(), filters=filters, result=result, groups=_by_category(result["rows"]), page=page,
        pages=pages, url=url, export=export, can_edit=bool(body) and auth.can_edit(tk.current_user.name, body["id"]),
        errors=errors,
    )  # fmt: skip


def dip_site() -> Any:
    org = tk.request.args.get("organization")
    if org:
        # The body picker of the filter form: the body's own address.
        args = {k: v for k, v in tk.request.args.items() if k != "organization" and v}
        return tk.redirect_to("layananpublik_dip.dip_body", org=org, **args)
    return dip_page()


def dip_body(org: str) -> Any:
    return dip_page(org)


def _export(org: str | None, fmt: str) -> Any:
    if fmt not in EXPORT_FORMATS:
        return tk.abort(404)
    body = web.body(org) if org else None
    if org and body is None:
        return _not_found()
    params = {"organization": body["id"] if body else None, **_filters()}
    try:
        if fmt == "csv":
            # The list as people read it (the JSON keeps the codes for programs).
            result = tk.get_action("layananpublik_dip_csv")(_context(), params)
            return spreadsheet.attachment(result["csv"], result["filename"])
        with _collector_paused():
            return _json_export(body, _all_rows(params))
    except tk.ValidationError as exc:
        return tk.abort(400, web.error_text(exc))


def _json_export(body: dict | None, result: dict) -> Any:
    payload = json.dumps({"organization": body["name"] if body else None, **result}, ensure_ascii=False)
    response = make_response(payload)
    response.headers["Content-Type"] = "application/json; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="dip-{body["name"] if body else "semua"}.json"'
    return response


def export_site(fmt: str) -> Any:
    return _export(None, fmt)


def export_body(org: str, fmt: str) -> Any:
    return _export(org, fmt)


# --- forms (DIP items and DIK rows) ----------------------------------------------------------


def _form_data(list_fields: tuple[str, ...]) -> dict:
    form = tk.request.form
    data = {k: v for k, v in form.items() if k != "_csrf_token"}
    for name in list_fields:
        data[name] = form.getlist(name)
    return data


def _edit(
    org: str, action: str, template: str, list_fields: tuple[str, ...], back: str, item_id: str | None
) -> Any:
    body = web.body(org)
    if body is None:
        return _not_found()
    context = _context()
    show = action.replace("_create", "_show").replace("_update", "_show")
    data: dict = {}
    if item_id:
        try:
            data = tk.get_action(show)(context, {"id": item_id})
        except tk.ObjectNotFound:
            return _not_found()
        if data["organization_id"] != body["id"]:
            return _not_found()
    try:
        tk.check_access(action, context, {"organization_id": body["id"]})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only an admin or information officer of this public body may do this"))
    errors: dict = {}
    if tk.request.method == "POST":
        data = _form_data(list_fields)
        data.update({"id": item_id} if item_id else {"organization_id": body["id"]})
        try:
            tk.get_action(action)(context, data)
        except tk.ValidationError as e:
            errors = e.error_dict
        else:
            tk.h.flash_success(tk._("Saved"))
            return tk.redirect_to(back, org=body["name"])
    return _render(template, body=body, data=data, errors=errors, item_id=item_id)


def _delete(org: str, action: str, back: str, item_id: str) -> Any:
    body = web.body(org)
    if body is None:
        return _not_found()
    try:
        tk.get_action(action)(_context(), {"id": item_id})
    except tk.ObjectNotFound:
        return _not_found()
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only an admin or information officer of this public body may do this"))
    tk.h.flash_success(tk._("Deleted"))
    return tk.redirect_to(back, org=body["name"])


def determination(org: str) -> Any:
    """The decision (penetapan) that fixes the body's DIP: its number and date."""
    body = web.body(org)
    if body is None:
        return _not_found()
    context = _context()
    try:
        tk.check_access("layananpublik_dip_determination_update", context, {"organization_id": body["id"]})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only an admin or information officer of this public body may do this"))
    data = tk.get_action("layananpublik_dip_determination_show")(context, {"organization_id": body["id"]}) or {}
    errors: dict = {}
    if tk.request.method == "POST":
        data = {k: v for k, v in _form_data(()).items() if k in ("number", "decided_date", "decided_by")}
        try:
            tk.get_action("layananpublik_dip_determination_update")(context, {**data, "organization_id": body["id"]})
        except tk.ValidationError as e:
            errors = e.error_dict
        else:
            tk.h.flash_success(tk._("Saved"))
            return tk.redirect_to("layananpublik_dip.dip_body", org=body["name"])
    return _render("determination_form.html", body=body, data=data, errors=errors)


def dip_item_new(org: str) -> Any:
    return _edit(org, "layananpublik_dip_item_create", "item_form.html", fields.LIST_FIELDS,
                 "layananpublik_dip.dip_body", None)  # fmt: skip


def dip_item_edit(org: str, id: str) -> Any:
    return _edit(org, "layananpublik_dip_item_update", "item_form.html", fields.LIST_FIELDS,
                 "layananpublik_dip.dip_body", id)  # fmt: skip


def dip_item_delete(org: str, id: str) -> Any:
    return _delete(org, "layananpublik_dip_item_delete", "layananpublik_dip.dip_body", id)


# --- DIK -------------------------------------------------------------------------------------


def dik_page(org: str | None = None) -> Any:
    body = web.body(org) if org else None
    if org and body is None:
        return _not_found()
    result = tk.get_action("layananpublik_exempt_item_list")(
        _context(), {"organization": body["id"] if body else None}
    )
    return _render("dik.html", body=body, bodies=web.bodies(), result=result,
                   can_edit=bool(body) and auth.can_edit(tk.current_user.name, body["id"]))  # fmt: skip


def dik_site() -> Any:
    org = tk.request.args.get("organization")
    if org:
        return tk.redirect_to("layananpublik_dip.dik_body", org=org)
    return dik_page()


def dik_body(org: str) -> Any:
    return dik_page(org)


def dik_new(org: str) -> Any:
    return _edit(org, "layananpublik_exempt_item_create", "dik_form.html", ("grounds",),
                 "layananpublik_dip.dik_body", None)  # fmt: skip


def dik_edit(org: str, id: str) -> Any:
    return _edit(org, "layananpublik_exempt_item_update", "dik_form.html", ("grounds",),
                 "layananpublik_dip.dik_body", id)  # fmt: skip


def dik_delete(org: str, id: str) -> Any:
    return _delete(org, "layananpublik_exempt_item_delete", "layananpublik_dip.dik_body", id)


# --- berkala checklist -----------------------------------------------------------------------


def berkala(org: str) -> Any:
    body = web.body(org)
    if body is None:
        return _not_found()
    result = tk.get_action("layananpublik_berkala_checklist")(_context(), {"organization": body["id"]})
    return _render("berkala.html", body=body, result=result,
                   can_edit=auth.can_edit(tk.current_user.name, body["id"]))  # fmt: skip


def helpers() -> dict:
    return {"layananpublik_dip_labels": labels, "layananpublik_dip_pasal17": lambda: sch.PASAL_17}


_RULES = (
    ("/dip", dip_site, ["GET"]),
    ("/dip.<fmt>", export_site, ["GET"]),
    ("/dip/<org>", dip_body, ["GET"]),
    ("/dip/<org>.<fmt>", export_body, ["GET"]),
    ("/dip/<org>/penetapan", determination, ["GET", "POST"]),
    ("/dip/<org>/butir/baru", dip_item_new, ["GET", "POST"]),
    ("/dip/<org>/butir/<id>/ubah", dip_item_edit, ["GET", "POST"]),
    ("/dip/<org>/butir/<id>/hapus", dip_item_delete, ["POST"]),
    ("/dik", dik_site, ["GET"]),
    ("/dik/<org>", dik_body, ["GET"]),
    ("/dik/<org>/baru", dik_new, ["GET", "POST"]),
    ("/dik/<org>/<id>/ubah", dik_edit, ["GET", "POST"]),
    ("/dik/<org>/<id>/hapus", dik_delete, ["POST"]),
    ("/berkala/<org>", berkala, ["GET"]),
)
for _rule, _view, _methods in _RULES:
    dip.add_url_rule(_rule, view_func=_view, methods=_methods)
