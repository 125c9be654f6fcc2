"""Actions of the DIP part: the DIP (datasets and other items), the DIK and the berkala
checklist. Each checks access, validates with a navl schema and returns plain dicts."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.layananpublik import spreadsheet
from ckanext.layananpublik.transparency.dip import auth, checklist, fields, rows
from ckanext.layananpublik.transparency.dip import schema as sch
from ckanext.layananpublik.transparency.dip.model import DipDetermination, DipItem, ExemptItem, utcnow


def _validate(data_dict: dict, schema: dict, context: Any) -> dict:
    data, errors = tk.navl_validate(data_dict, schema, context)
    if errors:
        raise tk.ValidationError(errors)
    return data


def _org_id(name_or_id: str | None) -> str | None:
    if not name_or_id:
        return None
    group = model.Group.get(name_or_id)
    if group is None or not group.is_organization:
        raise tk.ObjectNotFound(tk._("Public body not found"))
    return group.id


def _check_berkala(category: str | None, items: list[str]) -> None:
    if category == "berkala" and not items:
        raise tk.ValidationError(
            {
                "berkala_items": [
                    tk._("Periodic (berkala) information must name at least one of the items a–k")
                ]
            }
        )
    if items and category != "berkala":
        raise tk.ValidationError(
            {"berkala_items": [tk._("Only periodic (berkala) information has berkala items")]}
        )


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


# --- DIP -------------------------------------------------------------------------------------


@tk.side_effect_free
def layananpublik_dip_list(context: Any, data_dict: dict) -> dict:
    """The Daftar Informasi Publik: public datasets that have a DIP category and the
    non-dataset DIP items, with the legal columns, ordered by category (berkala, serta
    merta, setiap saat), body and title, numbered, one page at a time. Exempt information
    is never listed (see layananpublik_exempt_item_list).

    :param organization: a public body (organization name or id); default every body
    :param category: berkala, serta_merta or setiap_saat; default all three
    :param q: words to find in the title, summary, holding unit or responsible officer
    :param limit: rows per page (default ckanext.layananpublik.dip.page_size, at most
        ckanext.layananpublik.dip.max_rows)
    :param offset: rows to skip (default 0)
    :returns: count, offset, limit, rows (each: no, source dataset|item, id, name, title,
        summary, category, berkala_items, organization, holding_unit, responsible_officer,
        made_time_place, forms, retention_period, url, created, modified, category_set:
        false for a public dataset without a category, listed under
        ckanext.layananpublik.dip.uncategorised; unfilled: the legal columns the body has
        not filled), category_counts and determination (of one body: the number, date and
        signatory of the decision that fixes its DIP, or null)
    """
    tk.check_access("layananpublik_dip_list", context, data_dict)
    data = _validate(data_dict, sch.dip_list_schema(), context)
    limit = data.get("limit", tk.config.get("ckanext.layananpublik.dip.page_size"))
    limit = min(limit, tk.config.get("ckanext.layananpublik.dip.max_rows"))
    offset = data.get("offset", 0)
    org_id = _org_id(data.get("organization"))
    result = rows.page(org_id, data.get("category"), data.get("q"), limit, offset)
    return {"offset": offset, "limit": limit, **result, "determination": _determination(org_id)}


@tk.side_effect_free
def layananpublik_dip_csv(context: Any, data_dict: dict) -> dict:
    """The DIP as the CSV people open in a spreadsheet (the page's export): the rows of
    layananpublik_dip_list with every row asked for, in its order, as the DIP page names
    them in the current language: the legal columns, categories and forms by their labels,
    "not yet filled" for an empty legal column, a dataset's address; no cell a spreadsheet
    would run as a formula. Written by PostgreSQL in one statement.

    :param organization: a public body (organization name or id); default every body
    :param category: berkala, serta_merta or setiap_saat; default all three
    :param q: words to find in the title, summary, holding unit or responsible officer
    :returns: filename (dip-<body>.csv, dip-semua.csv for every body) and csv (the text,
        header row first, rows ended by CRLF; the page serves it as UTF-8 with a BOM)
    """
    tk.check_access("layananpublik_dip_csv", context, data_dict)
    data = _validate(data_dict, sch.dip_csv_schema(), context)
    org_id = _org_id(data.get("organization"))
    texts = {
        "categories": fields.category_labels(),
        "forms": fields.form_labels(),
        "unfilled": tk._("not yet filled"),
        # One url_for for every row (rows.csv_statement puts each dataset's quoted name in).
        "dataset_url": tk.h.url_for("dataset.read", id="__name__", _external=True),
    }
    limit = tk.config.get("ckanext.layananpublik.dip.max_rows")
    body = rows.csv_rows(org_id, data.get("category"), data.get("q"), limit, texts)
    group = model.Group.get(org_id) if org_id else None
    return {
        "filename": f"dip-{group.name if group else 'semua'}.csv",
        "csv": spreadsheet.csv_text(fields.csv_header(), []) + body,
    }


def _determination(org_id: str | None) -> dict | None:
    row = model.Session.get(DipDetermination, org_id) if org_id else None
    if row is None:
        return None
    return {"number": row.number, "decided_date": _date(row.decided_date), "decided_by": row.decided_by or ""}


@tk.side_effect_free
def layananpublik_dip_determination_show(context: Any, data_dict: dict) -> dict | None:
    """The decision (penetapan) that fixes a body's DIP, or null when none is recorded.

    :param organization_id: the public body (organization name or id)
    :returns: number, decided_date, decided_by
    """
    data = _validate(data_dict, sch.determination_show_schema(), context)
    org_id = _org_id(data["organization_id"])
    tk.check_access("layananpublik_dip_determination_show", context, {"organization_id": org_id})
    return _determination(org_id)


def layananpublik_dip_determination_update(context: Any, data_dict: dict) -> dict:
    """Record the decision (penetapan) that fixes a body's DIP: its number and date are shown
    on the DIP, its print layout and exports. Body admins, the body's information officers
    and sysadmins.

    :param organization_id: the public body (organization name or id)
    :param number: the decision's number
    :param decided_date: the decision's date (YYYY-MM-DD, not in the future)
    :param decided_by: who decided it (e.g. the head of the body as PPID's superior), optional
    """
    org_id = _org_id(data_dict.get("organization_id"))
    tk.check_access("layananpublik_dip_determination_update", context, {"organization_id": org_id})
    data = _validate(data_dict, sch.determination_schema(), context)
    row = model.Session.get(DipDetermination, org_id, with_for_update=True)
    if row is None:
        row = DipDetermination(organization_id=org_id)
        model.Session.add(row)
    row.number, row.decided_date, row.decided_by = data["number"], data["decided_date"], data.get("decided_by")
    row.updated_at, row.updated_by = utcnow(), _user_id(context)
    model.Session.commit()
    return _determination(org_id)


def _dip_item_dict(item: DipItem) -> dict:
    group = model.Group.get(item.organization_id)
    return {
        "id": item.id,
        "organization_id": item.organization_id,
        "organization": {"name": group.name, "title": group.title} if group else None,
        "category": item.category,
        "berkala_items": list(item.berkala_items or []),
        "title": item.title,
        "summary": item.summary or "",
        "url": item.url,
        "holding_unit": item.holding_unit or "",
        "responsible_officer": item.responsible_officer or "",
        "made_time_place": item.made_time_place or "",
        "forms": list(item.forms or []),
        "retention_period": item.retention_period or "",
        "created_at": item.created_at.isoformat(),
        "updated_at": item.updated_at.isoformat(),
    }


def _get_dip_item(item_id: str) -> DipItem:
    item = model.Session.get(DipItem, item_id)
    if item is None:
        raise tk.ObjectNotFound(tk._("DIP item not found"))
    return item


def _user_id(context: Any) -> str | None:
    user = model.User.get(context.get("user")) if context.get("user") else None
    return user.id if user else None


def _checked(context: Any, data_dict: dict, get: Callable[[str], Any], auth: str) -> Any:
    """The row `get` finds by the validated id, if `auth` allows it for the row's body."""
    data = _validate(data_dict, sch.id_schema(), context)
    item = get(data["id"])
    tk.check_access(auth, context, {"organization_id": item.organization_id})
    return item


def _delete(context: Any, data_dict: dict, get: Callable[[str], Any], auth: str) -> dict:
    """Remove the row `get` finds by the validated id, if `auth` allows it for the row's body."""
    item = _checked(context, data_dict, get, auth)
    deleted = {"id": item.id, "deleted": True}
    model.Session.delete(item)
    model.Session.commit()
    return deleted


@tk.side_effect_free
def layananpublik_dip_item_show(context: Any, data_dict: dict) -> dict:
    """One non-dataset DIP item.

    :param id: the item's id
    """
    return _dip_item_dict(_checked(context, data_dict, _get_dip_item, "layananpublik_dip_item_show"))


_DIP_ITEM_FIELDS = ("category", "berkala_items", "title", "summary", "url", "holding_unit",
                    "responsible_officer", "made_time_place", "forms", "retention_period")  # fmt: skip


def layananpublik_dip_item_create(context: Any, data_dict: dict) -> dict:
    """Add to a body's DIP a piece of public information that is not a dataset (a
    document, a page). Body admins, the body's information officers and sysadmins.

    :param organization_id: the public body (organization name or id)
    :param category: berkala, serta_merta or setiap_saat
    :param berkala_items: for berkala: the items a–k it fulfils (list, or "a,c")
    :param title: ringkasan isi informasi: what the information is
    :param summary: a longer summary (optional)
    :param url: where to read it (optional)
    :param holding_unit: the official or unit that holds it
    :param responsible_officer: who is responsible for making or publishing it
    :param made_time_place: when and where it was made
    :param forms: softcopy and/or hardcopy (list, or "softcopy,hardcopy")
    :param retention_period: how long it is kept
    """
    org_id = _org_id(data_dict.get("organization_id"))
    tk.check_access("layananpublik_dip_item_create", context, {"organization_id": org_id})
    data = _validate(data_dict, sch.dip_item_create_schema(), context)
    _check_berkala(data["category"], data.get("berkala_items", []))
    item = DipItem(id=str(uuid.uuid4()), organization_id=org_id, created_by=_user_id(context))
    for key in _DIP_ITEM_FIELDS:
        setattr(item, key, data.get(key, [] if key in fields.LIST_FIELDS else None))
    item.created_at = item.updated_at = utcnow()
    model.Session.add(item)
    model.Session.commit()
    return _dip_item_dict(item)


def layananpublik_dip_item_update(context: Any, data_dict: dict) -> dict:
    """Change a non-dataset DIP item; fields not given keep their value.

    :param id: the item's id
    :param category: berkala, serta_merta or setiap_saat
    :param berkala_items: for berkala: the items a–k it fulfils
    :param title: ringkasan isi informasi
    :param summary: a longer summary
    :param url: where to read it
    :param holding_unit: the official or unit that holds it
    :param responsible_officer: who is responsible for making or publishing it
    :param made_time_place: when and where it was made
    :param forms: softcopy and/or hardcopy
    :param retention_period: how long it is kept
    """
    item = _get_dip_item(data_dict.get("id", ""))
    tk.check_access("layananpublik_dip_item_update", context, {"organization_id": item.organization_id})
    data = _validate(data_dict, sch.dip_item_update_schema(), context)
    category = data.get("category", item.category)
    items = data.get(
        "berkala_items", [] if "category" in data and category != "berkala" else item.berkala_items
    )
    _check_berkala(category, list(items or []))
    for key in _DIP_ITEM_FIELDS:
        if key in data:
            setattr(item, key, data[key])
    item.berkala_items = list(items or [])
    item.updated_at = utcnow()
    model.Session.commit()
    return _dip_item_dict(item)


def layananpublik_dip_item_delete(context: Any, data_dict: dict) -> dict:
    """Remove a non-dataset DIP item.

    :param id: the item's id
    """
    return _delete(context, data_dict, _get_dip_item, "layananpublik_dip_item_delete")


# --- DIK -------------------------------------------------------------------------------------


def _exempt_dict(item: ExemptItem, editor: bool) -> dict:
    group = model.Group.get(item.organization_id)
    result = {
        "id": item.id,
        "organization_id": item.organization_id,
        "organization": {"name": group.name, "title": group.title} if group else None,
        "information_type": item.information_type,
        "grounds": list(item.grounds),
        "legal_basis": item.legal_basis or "",
        "holding_unit": item.holding_unit or (group.title if group else ""),
        "exemption_period": item.exemption_period,
        "exempt_until": _date(item.exempt_until),
        "expired": bool(item.exempt_until and item.exempt_until < utcnow().date()),
        "deciding_officer": item.deciding_officer,
        "reasons": item.reasons,
        "consequence": item.consequence,
        "public_interest": item.public_interest,
        "decided_place": item.decided_place,
        "decided_date": _date(item.decided_date),
        "created_at": item.created_at.isoformat(),
        "updated_at": item.updated_at.isoformat(),
    }
    # Which dataset holds the exempt information is itself not public.
    if editor:
        result["package_id"] = item.package_id
    return result


def _get_exempt(item_id: str) -> ExemptItem:
    item = model.Session.get(ExemptItem, item_id)
    if item is None:
        raise tk.ObjectNotFound(tk._("Exempt information record not found"))
    return item


@tk.side_effect_free
def layananpublik_exempt_item_list(context: Any, data_dict: dict) -> dict:
    """The Daftar Informasi yang Dikecualikan (DIK): for each exemption, the type of
    information, the Pasal 17 ground(s), the exemption period, the deciding officer, the
    reasons, the consequence test (harm of disclosure, public interest weighed), place and
    date. Never the information itself.

    :param organization: a public body (organization name or id); default every body
    :returns: count and rows, ordered by body and decision date (newest first)
    """
    tk.check_access("layananpublik_exempt_item_list", context, data_dict)
    data = _validate(data_dict, sch.exempt_item_list_schema(), context)
    query = model.Session.query(ExemptItem)
    org_id = _org_id(data.get("organization"))
    if org_id:
        query = query.filter(ExemptItem.organization_id == org_id)
    items = query.order_by(ExemptItem.organization_id, ExemptItem.decided_date.desc(), ExemptItem.id).all()
    user = context.get("user")
    editable = {o: auth.can_edit(user, o) for o in {i.organization_id for i in items}}
    result = [_exempt_dict(i, editable[i.organization_id]) for i in items]
    result.sort(key=lambda r: ((r["organization"] or {}).get("title") or "", r["decided_date"] or ""))
    return {"count": len(result), "rows": result}


@tk.side_effect_free
def layananpublik_exempt_item_show(context: Any, data_dict: dict) -> dict:
    """One DIK row with its consequence test (never the exempt information).

    :param id: the record's id
    """
    item = _checked(context, data_dict, _get_exempt, "layananpublik_exempt_item_show")
    return _exempt_dict(item, auth.can_edit(context.get("user"), item.organization_id))


_EXEMPT_FIELDS = ("package_id", "information_type", "grounds", "legal_basis", "holding_unit", "exemption_period",
                  "exempt_until", "deciding_officer", "reasons", "consequence", "public_interest",
                  "decided_place", "decided_date")  # fmt: skip


def _same_body(package_id: str | None, org_id: str) -> str | None:
    if not package_id:
        return None
    package = model.Package.get(package_id)
    if package is None or package.owner_org != org_id:
        raise tk.ValidationError({"package_id": [tk._("The dataset must belong to the same public body")]})
    return package.id


def layananpublik_exempt_item_create(context: Any, data_dict: dict) -> dict:
    """Record an exemption decided by a consequence test (uji konsekuensi, PP 61/2010).
    Body admins, the body's information officers and sysadmins.

    :param organization_id: the public body (organization name or id)
    :param package_id: the (private) dataset that holds the information, if any; never shown publicly
    :param information_type: the type or title of the exempt information (not its content)
    :param grounds: Pasal 17 UU 14/2008 ground(s), letters a–j (list, or "a,h")
    :param legal_basis: the law and article relied on, in words (optional)
    :param holding_unit: the unit that holds the information (default the body)
    :param exemption_period: how long the exemption lasts, in words (e.g. "5 tahun")
    :param exempt_until: the date the exemption ends (YYYY-MM-DD), if known
    :param deciding_officer: the PPID who decided
    :param reasons: the reasons for the exemption
    :param consequence: the consequence (harm) that disclosure would cause
    :param public_interest: the public interest weighed, and why withholding protects a greater one
    :param decided_place: where the decision was made
    :param decided_date: when (YYYY-MM-DD)
    """
    org_id = _org_id(data_dict.get("organization_id"))
    tk.check_access("layananpublik_exempt_item_create", context, {"organization_id": org_id})
    data = _validate(data_dict, sch.exempt_item_create_schema(), context)
    data["package_id"] = _same_body(data.get("package_id"), org_id)
    item = ExemptItem(id=str(uuid.uuid4()), organization_id=org_id, created_by=_user_id(context))
    for key in _EXEMPT_FIELDS:
        setattr(item, key, data.get(key))
    item.created_at = item.updated_at = utcnow()
    model.Session.add(item)
    model.Session.commit()
    return _exempt_dict(item, editor=True)


def layananpublik_exempt_item_update(context: Any, data_dict: dict) -> dict:
    """Change a DIK row; fields not given keep their value.

    :param id: the record's id
    :param package_id: the (private) dataset that holds the information ("" to unlink)
    :param information_type: the type or title of the exempt information
    :param grounds: Pasal 17 ground(s), letters a–j
    :param legal_basis: the law and article relied on
    :param holding_unit: the unit that holds the information
    :param exemption_period: how long the exemption lasts
    :param exempt_until: the date the exemption ends (YYYY-MM-DD)
    :param deciding_officer: the PPID who decided
    :param reasons: the reasons for the exemption
    :param consequence: the consequence (harm) of disclosure
    :param public_interest: the public interest weighed
    :param decided_place: where the decision was made
    :param decided_date: when (YYYY-MM-DD)
    """
    item = _get_exempt(data_dict.get("id", ""))
    tk.check_access("layananpublik_exempt_item_update", context, {"organization_id": item.organization_id})
    unlink = data_dict.get("package_id") == ""
    data = _validate(data_dict, sch.exempt_item_update_schema(), context)
    if "package_id" in data:
        data["package_id"] = _same_body(data["package_id"], item.organization_id)
    for key in _EXEMPT_FIELDS:
        if key in data:
            setattr(item, key, data[key])
    if unlink:
        item.package_id = None
    item.updated_at = utcnow()
    model.Session.commit()
    return _exempt_dict(item, editor=True)


def layananpublik_exempt_item_delete(context: Any, data_dict: dict) -> dict:
    """Remove a DIK row (e.g. the exemption period has ended and the information is public).

    :param id: the record's id
    """
    return _delete(context, data_dict, _get_exempt, "layananpublik_exempt_item_delete")


# --- Berkala checklist -----------------------------------------------------------------------


@tk.side_effect_free
def layananpublik_berkala_checklist(context: Any, data_dict: dict) -> dict:
    """For one body, each of the 11 berkala items (a–k, Perki 1/2021): current (a public
    dataset or DIP item updated within ckanext.layananpublik.dip.berkala_max_age_months),
    outdated (only older ones) or missing, with the evidence.

    :param organization: the public body (organization name or id)
    :returns: organization, max_age_months, cutoff, items (item, label, status,
        latest_update, evidence) and summary (counts per status)
    """
    tk.check_access("layananpublik_berkala_checklist", context, data_dict)
    data = _validate(data_dict, sch.checklist_schema(), context)
    org_id = _org_id(data["organization"])
    group = model.Group.get(org_id)
    return {
        "organization": {"id": group.id, "name": group.name, "title": group.title},
        **checklist.checklist(org_id),
    }
