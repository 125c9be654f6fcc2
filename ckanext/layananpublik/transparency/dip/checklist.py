"""The berkala checklist of a body: for each of the 11 legal items (a–k), is it covered
by a public dataset or a DIP item of the body, and was that updated within the legal cycle
(6 months by default, ckanext.layananpublik.dip.berkala_max_age_months)?"""

from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.layananpublik.transparency.dip import fields

CURRENT, OUTDATED, MISSING = "current", "outdated", "missing"

_EVIDENCE = """
SELECT item, source, id, name, title, modified FROM (
    -- "a,d" (the fallback form) or '["a", "d"]' (ckanext-scheming): items are single letters
    SELECT unnest(string_to_array(translate(b.value, '[]" ', ''), ',')) AS item, 'dataset' AS source, p.id, p.name, p.title,
           p.metadata_modified AS modified
    FROM package_extra c
    JOIN package p ON p.id = c.package_id
    JOIN package_extra b ON b.package_id = p.id AND b.key = 'berkala_items' AND b.state = 'active'
    WHERE c.key = 'information_category' AND c.state = 'active' AND c.value = 'berkala'
      AND p.state = 'active' AND NOT p.private AND p.owner_org = :org
    UNION ALL
    SELECT unnest(i.berkala_items), 'item', i.id, NULL, i.title, i.updated_at AT TIME ZONE 'UTC'
    FROM layananpublik_dip_item i WHERE i.organization_id = :org AND i.category = 'berkala'
) AS evidence
ORDER BY item, modified DESC
"""


def months_ago(now: dt.datetime, months: int) -> dt.datetime:
    year, month = divmod(now.month - 1 - months, 12)
    month += 1
    year += now.year
    day = min(now.day, [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30,
                        31, 31, 30, 31, 30, 31][month - 1])  # fmt: skip
    return now.replace(year=year, month=month, day=day)


def checklist(organization_id: str, now: dt.datetime | None = None) -> dict:
    now = now or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    max_age = tk.config.get("ckanext.layananpublik.dip.berkala_max_age_months")
    cutoff = months_ago(now, max_age)
    evidence: dict[str, list[dict]] = {letter: [] for letter in fields.BERKALA_ITEMS}
    for row in model.Session.execute(sa.text(_EVIDENCE), {"org": organization_id}).mappings():
        if row["item"] in evidence:
            evidence[row["item"]].append(dict(row))
    labels = fields.berkala_labels()
    items = []
    for letter in fields.BERKALA_ITEMS:
        found = evidence[letter]
        latest = max((e["modified"] for e in found), default=None)
        if latest is None:
            status = MISSING
        elif latest >= cutoff:
            status = CURRENT
        else:
            status = OUTDATED
        items.append({"item": letter, "label": labels[letter], "status": status,
                      "latest_update": latest.isoformat() if latest else None,
                      "evidence": [_evidence(e) for e in found]})  # fmt: skip
    summary = {s: sum(1 for i in items if i["status"] == s) for s in (CURRENT, OUTDATED, MISSING)}
    return {"max_age_months": max_age, "cutoff": cutoff.isoformat(), "items": items, "summary": summary}


def _evidence(row: Any) -> dict:
    return {"source": row["source"], "id": row["id"], "name": row["name"], "title": row["title"],
            "modified": row["modified"].isoformat()}  # fmt: skip
