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

from ckanext.layananpublik.transparency.dip import fields

SUMMARY_CHARS = 300

# Datasets: the category extra picks them (partial index), the other DIP extras come as one
# JSON object per dataset through the package_id index.
_DATASETS = """
SELECT 'dataset' AS source, p.id, p.name, p.title, left(p.notes, {summary}) AS summary,
       coalesce(nullif(c.value, ''), :uncategorised) AS category, nullif(c.value, '') IS NOT NULL AS category_set,
       g.name AS org_name, g.title AS org_title,
       x.extras ->> 'berkala_items' AS berkala_items,
       x.extras ->> 'holding_unit' AS holding_unit,
       x.extras ->> 'responsible_officer' AS responsible_officer,
       x.extras ->> 'made_time_place' AS made_time_place,
       x.extras ->> 'forms' AS forms,
       x.extras ->> 'retention_period' AS retention_period,
       p.metadata_created AS created, p.metadata_modified AS modified, NULL::text AS url
FROM package p
LEFT JOIN package_extra c ON c.package_id = p.id AND c.key = 'information_category' AND c.state = 'active'
LEFT JOIN "group" g ON g.id = p.owner_org
LEFT JOIN LATERAL (
    SELECT jsonb_object_agg(e.key, e.value) AS extras FROM package_extra e
    WHERE e.package_id = p.id AND e.state = 'active' AND e.key = ANY(:keys)
) x ON TRUE
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

_PAGE = """
WITH rows AS ({datasets} UNION ALL {items})
SELECT *, count(*) OVER () AS total FROM rows
ORDER BY array_position(:order, category), org_title NULLS FIRST, lower(title), id
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
            "(p.title ILIKE :q OR p.notes ILIKE :q OR x.extras ->> 'holding_unit' ILIKE :q "
            "OR x.extras ->> 'responsible_officer' ILIKE :q)"
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
    result = model.Session.execute(sa.text(sql), params).mappings().all()
    if category is None and offset == 0 and len(result) < limit:
        # Every row is here (exports, the print layout): count them, rather than run the
        # whole statement a second time.
        counts = dict(Counter(r["category"] for r in result))
    else:
        count_params: dict[str, Any] = {}
        counts = dict(
            model.Session.execute(
                sa.text(_statement(_COUNTS, organization_id, None, q, count_params)), count_params
            ).all()
        )
    total = (
        result[0]["total"] if result else (sum(counts.values()) if not category else counts.get(category, 0))
    )
    rows = [_row(r, offset + n + 1) for n, r in enumerate(result)]
    return {
        "count": total,
        "rows": rows,
        "category_counts": {c: counts.get(c, 0) for c in fields.DIP_CATEGORIES},
    }


# The legal columns a body fills (Perki 1/2021); empty ones are shown as "not yet filled".
LEGAL_COLUMNS = ("holding_unit", "responsible_officer", "made_time_place", "forms", "retention_period")


def _row(r: Any, number: int) -> dict:
    row = {
        "no": number,
        "source": r["source"],
        "id": r["id"],
        "name": r["name"],
        "title": r["title"],
        "summary": r["summary"] or "",
        "category": r["category"],
        "category_set": bool(r["category_set"]),
        "berkala_items": fields.as_list(r["berkala_items"]),
        "organization": {"name": r["org_name"], "title": r["org_title"]} if r["org_name"] else None,
        "holding_unit": (r["holding_unit"] or "").strip(),
        "responsible_officer": (r["responsible_officer"] or "").strip(),
        "made_time_place": (r["made_time_place"] or "").strip(),
        "forms": fields.as_list(r["forms"]),
        "retention_period": (r["retention_period"] or "").strip(),
        "url": r["url"],
        "created": r["created"].isoformat() if r["created"] else None,
        "modified": r["modified"].isoformat() if r["modified"] else None,
    }
    row["unfilled"] = [c for c in LEGAL_COLUMNS if not row[c]]
    return row
