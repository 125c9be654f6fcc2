"""The DIP rows: one SQL statement over package + package_extra (datasets) and
layananpublik_dip_item (other information), filtered, numbered and paged in the database.

Never loads datasets one by one: 10,000 datasets are one indexed query (see
migration e1a2b3c4d5f6 for the partial index on the category extra, and bench/dip.py).
Only public, active datasets are listed; exempt information never appears here. A public
dataset without a category is still public information (Pasal 11(1)a UU 14/2008: the body
provides all of it at any time), so it is listed under the category of
`ckanext.layananpublik.dip.uncategorised` (default setiap_saat) with `category_set` false.
Columns the body has not filled stay empty and are named in `unfilled`: the pages say
"not yet filled" rather than present a creation date, "softcopy" or the maintainer as the
body's legal statement.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.layananpublik import spreadsheet
from ckanext.layananpublik.transparency.dip import fields

SUMMARY_CHARS = 300
# work_mem for the rows statement (this transaction only).
SORT_MEMORY = "32MB"

# Datasets: every public one, its category extra joined (none: listed under the
# `uncategorised` setting's category); the other DIP extras come from one pass over
# package_extra, one row per dataset (a hash join: looking them up dataset by dataset was most
# of the statement's time with every row, bench/dip.py).
_DATASETS = """
SELECT 'dataset' AS source, p.id, p.name, p.title, left(p.notes, {summary}) AS summary,
       coalesce(nullif(c.value, ''), :uncategorised) AS category, nullif(c.value, '') IS NOT NULL AS category_set,
       g.name AS org_name, g.title AS org_title,
       x.berkala_items, x.holding_unit, x.responsible_officer, x.made_time_place, x.forms, x.retention_period,
       p.metadata_created AS created, p.metadata_modified AS modified, NULL::text AS url
FROM package p
LEFT JOIN package_extra c ON c.package_id = p.id AND c.key = 'information_category' AND c.state = 'active'
LEFT JOIN "group" g ON g.id = p.owner_org
LEFT JOIN (
    SELECT e.package_id,
           max(e.value) FILTER (WHERE e.key = 'berkala_items') AS berkala_items,
           max(e.value) FILTER (WHERE e.key = 'holding_unit') AS holding_unit,
           max(e.value) FILTER (WHERE e.key = 'responsible_officer') AS responsible_officer,
           max(e.value) FILTER (WHERE e.key = 'made_time_place') AS made_time_place,
           max(e.value) FILTER (WHERE e.key = 'forms') AS forms,
           max(e.value) FILTER (WHERE e.key = 'retention_period') AS retention_period
    FROM package_extra e
    WHERE e.state = 'active' AND e.key = ANY(:keys)
    GROUP BY e.package_id
) x ON x.package_id = p.id
WHERE coalesce(nullif(c.value, ''), :uncategorised) = ANY(:categories)
  AND p.state = 'active' AND NOT p.private AND p.type = 'dataset' {dataset_filter}
"""

_ITEMS = """
SELECT 'item' AS source, i.id, NULL AS name, i.title, left(i.summary, {summary}) AS summary,
       i.category, TRUE, g.name, g.title, array_to_string(i.berkala_items, ','),
       i.holding_unit, i.responsible_officer, i.made_time_place,
       array_to_string(i.forms, ','), i.retention_period,
       i.created_at AT TIME ZONE 'UTC', i.updated_at AT TIME ZONE 'UTC', i.url
FROM layananpublik_dip_item i JOIN "group" g ON g.id = i.organization_id
WHERE i.category = ANY(:categories) {item_filter}
"""

# The count comes from the category counts (below), not from a window over the rows: with
# every row asked for, the window kept all of them on disk a second time.
# The sort keys are the first columns: PostgreSQL's sort compares rows by reading each key
# out of the sorted tuple, and a key behind the row's text columns is found by walking every
# column before it. With the keys last (as ORDER BY expressions or after the row's 18
# columns), the sort was a third of the statement's time with every row (bench/dip.py);
# the two key-only columns (position, lower title) are dropped by _row.
_PAGE = """
WITH rows AS ({datasets} UNION ALL {items})
SELECT array_position(:order, category) AS sort_category, org_title, lower(title) AS sort_title, id,
       source, name, title, summary, category, category_set, org_name, berkala_items, holding_unit,
       responsible_officer, made_time_place, forms, retention_period, created, modified, url
FROM rows
ORDER BY 1, 2 NULLS FIRST, 3, 4
LIMIT :limit OFFSET :offset
"""

_COUNTS = """
WITH rows AS ({datasets} UNION ALL {items})
SELECT category, count(*) FROM rows GROUP BY category
"""


def _filters(organization_id: str | None, q: str | None, params: dict) -> tuple[str, str]:
    dataset, item = [], []
    if organization_id:
        params["org"] = organization_id
        dataset.append("p.owner_org = :org")
        item.append("i.organization_id = :org")
    if q:
        params["q"] = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        dataset.append(
            "(p.title ILIKE :q OR p.notes ILIKE :q OR x.holding_unit ILIKE :q "
            "OR x.responsible_officer ILIKE :q)"
        )
        item.append(
            "(i.title ILIKE :q OR i.summary ILIKE :q OR i.holding_unit ILIKE :q OR i.responsible_officer ILIKE :q)"
        )
    return "".join(" AND " + f for f in dataset), "".join(" AND " + f for f in item)


def _statement(
    template: str, organization_id: str | None, category: str | None, q: str | None, params: dict
) -> str:
    dataset_filter, item_filter = _filters(organization_id, q, params)
    params["categories"] = [category] if category else list(fields.DIP_CATEGORIES)
    params["uncategorised"] = uncategorised()
    params["keys"] = [f for f in fields.FIELDS if f != "information_category"]
    return template.format(
        datasets=_DATASETS.format(summary=SUMMARY_CHARS, dataset_filter=dataset_filter),
        items=_ITEMS.format(summary=SUMMARY_CHARS, item_filter=item_filter),
    )


def uncategorised() -> str | None:
    """The DIP category of public datasets that have none (None: they are not listed)."""
    value = (tk.config.get("ckanext.layananpublik.dip.uncategorised") or "").strip()
    return value if value in fields.DIP_CATEGORIES else None


def page(organization_id: str | None, category: str | None, q: str | None, limit: int, offset: int) -> dict:
    params: dict[str, Any] = {"limit": limit, "offset": offset, "order": list(fields.DIP_CATEGORIES)}
    sql = _statement(_PAGE, organization_id, category, q, params)
    # Every row sorted in memory (the print layout and exports: a few MB), not on disk.
    model.Session.execute(sa.text("SELECT set_config('work_mem', :mem, true)"), {"mem": SORT_MEMORY})
    # Plain tuples: a mapping per row cost more than the rest of the Python side.
    result = model.Session.execute(sa.text(sql), params).all()
    if category is None and offset == 0 and len(result) < limit:
        # Every row is here (exports, the print layout): count them, rather than run the
        # whole statement a second time.
        counts = dict(Counter(r.category for r in result))
    else:
        count_params: dict[str, Any] = {}
        counts = dict(
            model.Session.execute(
                sa.text(_statement(_COUNTS, organization_id, None, q, count_params)), count_params
            ).all()
        )
    total = counts.get(category, 0) if category else sum(counts.values())
    lists: dict[Any, list[str]] = {}  # berkala items and forms take a few distinct values
    return {
        "count": total,
        "rows": [_row(r, offset + n + 1, lists) for n, r in enumerate(result)],
        "category_counts": {c: counts.get(c, 0) for c in fields.DIP_CATEGORIES},
    }


# The legal columns a body fills (Perki 1/2021); empty ones are shown as "not yet filled".
LEGAL_COLUMNS = ("holding_unit", "responsible_officer", "made_time_place", "forms", "retention_period")


def _list(value: Any, lists: dict) -> list[str]:
    if value not in lists:
        lists[value] = fields.as_list(value)
    return list(lists[value])


def _row(r: Any, number: int, lists: dict) -> dict:
    (_, org_title, _, id_, source, name, title, summary, category, category_set, org_name, berkala_items,
     holding_unit, responsible_officer, made_time_place, forms, retention_period, created, modified, url) = r  # fmt: skip
    row = {
        "no": number,
        "source": source,
        "id": id_,
        "name": name,
        "title": title,
        "summary": summary or "",
        "category": category,
        "category_set": bool(category_set),
        "berkala_items": _list(berkala_items, lists),
        "organization": {"name": org_name, "title": org_title} if org_name else None,
        "holding_unit": (holding_unit or "").strip(),
        "responsible_officer": (responsible_officer or "").strip(),
        "made_time_place": (made_time_place or "").strip(),
        "forms": _list(forms, lists),
        "retention_period": (retention_period or "").strip(),
        "url": url,
        "created": created.isoformat() if created else None,
        "modified": modified.isoformat() if modified else None,
    }
    row["unfilled"] = [c for c in LEGAL_COLUMNS if not row[c]]
    return row


# --- the CSV export, written by PostgreSQL (issue 19) ------------------------------------------
# The export of every row as Python wrote it (views: `_row` dicts, labels, `spreadsheet.cell`,
# the csv module) was two thirds of the page's time (bench/dip.py); here the same cells are
# computed in SQL and COPY writes the file. tests/transparency/dip/test_csv.py compares both
# byte for byte.

# What Python's str.strip() removes (every character whose isspace() is true); btrim()
# alone removes spaces only.
WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"  # fmt: skip
# Characters urllib.parse.quote leaves as they are (with its default safe="/").
_URL_SAFE = "[A-Za-z0-9_.~/-]"


def _as_list_sql(column: str) -> str:
    """fields.as_list of a stored list field, as a text[]: "a,c" split at commas; a JSON list
    (ckanext-scheming) read as JSON, or, when it is not valid JSON, without its brackets and
    quotes, split at commas. Non-string JSON elements: true, false and null as Python writes
    them, numbers and nested lists as JSON writes them (Python's str() of a float or a list
    differs; the validators store codes only)."""
    return f"""CASE WHEN ltrim({column}, :ws) NOT LIKE '[%' THEN string_to_array({column}, ',')
        WHEN pg_input_is_valid({column}, 'json') THEN ARRAY(
            SELECT CASE json_typeof(j) WHEN 'string' THEN j #>> ARRAY[]::text[] WHEN 'null' THEN 'None'
                   WHEN 'boolean' THEN CASE WHEN j::text = 'true' THEN 'True' ELSE 'False' END ELSE j::text END
            FROM json_array_elements({column}::json) j)
        ELSE string_to_array(replace(btrim({column}, '[]'), '"', ''), ',') END"""


def _joined_sql(column: str, labels: dict[str, str], params: dict, prefix: str) -> str:
    """`", ".join(labels.get(v, v) for v in as_list(column))` (None for none). What the
    validators store (codes in their order, without repeats or spaces) is looked up whole
    (without labels: its commas become ", "); a subquery per row was most of the cells' time."""
    if labels:
        codes, whens = list(labels), []
        # Every stored value of the validators: the non-empty subsets of the codes, in order.
        for n in range(1, 2 ** len(codes)):
            chosen = [c for i, c in enumerate(codes) if n >> i & 1]
            params[f"{prefix}{n}_value"], params[f"{prefix}{n}"] = (
                ",".join(chosen),
                ", ".join(labels[c] for c in chosen),
            )
            whens.append(f"WHEN :{prefix}{n}_value THEN :{prefix}{n}")
        for n, code in enumerate(codes):
            params[f"{prefix}_code{n}"], params[f"{prefix}_label{n}"] = code, labels[code]
        mapped = f"CASE t {' '.join(f'WHEN :{prefix}_code{n} THEN :{prefix}_label{n}' for n in range(len(codes)))} ELSE t END"
        known = f"CASE {column} {' '.join(whens)} END"
    else:
        mapped = "t"
        known = (
            f"CASE WHEN {column} ~ '^[A-Za-z0-9_]+(,[A-Za-z0-9_]+)*$' THEN replace({column}, ',', ', ') END"
        )
    return f"""CASE WHEN {column} IS NULL THEN NULL ELSE coalesce({known}, (
            SELECT string_agg({mapped}, ', ' ORDER BY n)
            FROM (SELECT btrim(e, :ws) AS t, n FROM unnest({_as_list_sql(column)}) WITH ORDINALITY u(e, n)) s
            WHERE t <> '')) END"""  # fmt: skip


def _quoted_sql(column: str) -> str:
    """urllib.parse.quote(column): other characters than _URL_SAFE as %XX of their UTF-8 bytes."""
    return f"""CASE WHEN {column} ~ '^{_URL_SAFE}*$' THEN {column} ELSE (
        SELECT string_agg(CASE WHEN ch ~ '^{_URL_SAFE}$' THEN ch
                          ELSE upper(regexp_replace(encode(convert_to(ch, 'UTF8'), 'hex'), '(..)', '%\\1', 'g')) END,
                          '' ORDER BY n)
        FROM unnest(string_to_array({column}, NULL)) WITH ORDINALITY u(ch, n)) END"""


def _filled_sql(text: str) -> str:
    return f"coalesce(nullif({text}, ''), :unfilled)"


# The cells of a row before the formula guard, in the CSV's column order (views.csv_header).
_CSV_COLUMNS = ("category", "berkala", "title", "summary", "body", "holding_unit", "responsible_officer",
                "made_time_place", "forms", "retention_period", "url")  # fmt: skip

# Sorted as _PAGE sorts (keys first, see there) and numbered by the same window; the cells are
# computed after the sort and the limit, then guarded by the outer SELECT.
_CSV = """
WITH rows AS ({datasets} UNION ALL {items})
SELECT no, {guarded}
FROM (
    SELECT sort_category, org_title, sort_title, id, row_number() OVER w AS no, {cells}
    FROM (SELECT array_position(:order, category) AS sort_category, org_title, lower(title) AS sort_title, id,
                 name, title, summary, category, org_name, berkala_items, holding_unit, responsible_officer,
                 made_time_place, forms, retention_period, url
          FROM rows) k
    WINDOW w AS (ORDER BY sort_category, org_title NULLS FIRST, sort_title, id)
    ORDER BY sort_category, org_title NULLS FIRST, sort_title, id
    LIMIT :limit
) c
ORDER BY sort_category, org_title NULLS FIRST, sort_title, id
"""


def csv_statement(
    organization_id: str | None, category: str | None, q: str | None, limit: int, texts: dict
) -> tuple[str, dict]:
    """The statement of the CSV rows (after the header) and its parameters. `texts`: the
    translated words: categories (code: label), forms (code: label), unfilled (what an empty
    legal column says) and dataset_url (a dataset's address with "__name__" for its name)."""
    params: dict[str, Any] = {"limit": limit, "order": list(fields.DIP_CATEGORIES), "ws": WHITESPACE,
                              "unfilled": texts["unfilled"], "url_parts": texts["dataset_url"].split("__name__"),
                              **spreadsheet.FORMULA_PARAMS}  # fmt: skip
    category_whens = []
    for n, (code, label) in enumerate(texts["categories"].items()):
        params[f"category{n}"], params[f"category{n}_code"] = label, code
        category_whens.append(f"WHEN :category{n}_code THEN :category{n}")
    cells = {
        "category": f"CASE category {' '.join(category_whens)} ELSE category END",
        "berkala": _joined_sql("berkala_items", {}, params, "berkala"),
        "title": "title",
        "summary": "summary",
        "body": "CASE WHEN org_name <> '' THEN org_title END",
        **{c: _filled_sql(f"btrim({c}, :ws)") for c in ("holding_unit", "responsible_officer", "made_time_place")},
        "forms": _filled_sql(_joined_sql("forms", texts["forms"], params, "form")),
        "retention_period": _filled_sql("btrim(retention_period, :ws)"),
        "url": f"coalesce(nullif(url, ''), CASE WHEN name <> '' THEN array_to_string(:url_parts, {_quoted_sql('name')}) END)",
    }  # fmt: skip
    template = _CSV.format(
        datasets="{datasets}", items="{items}",
        cells=", ".join(f"{cells[c]} AS {c}" for c in _CSV_COLUMNS),
        guarded=", ".join(spreadsheet.guarded_sql(c) for c in _CSV_COLUMNS),
    )  # fmt: skip
    return _statement(template, organization_id, category, q, params), params


def csv_rows(
    organization_id: str | None, category: str | None, q: str | None, limit: int, texts: dict
) -> str:
    """The CSV's rows (after the header) as spreadsheet.csv_text writes them."""
    sql, params = csv_statement(organization_id, category, q, limit, texts)
    # Every row sorted in memory, as page() does.
    model.Session.execute(sa.text("SELECT set_config('work_mem', :mem, true)"), {"mem": SORT_MEMORY})
    return spreadsheet.copy_csv(model.Session.connection(), sql, params)
