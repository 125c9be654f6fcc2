"""The DIP's CSV export as the page wrote it before layananpublik_dip_csv (issue 19): every row of
layananpublik_dip_list, labelled and guarded in Python, written by spreadsheet.download. Kept as
the reference the new export is compared with byte for byte (test_csv.py) and timed against
(bench/dip.py)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.layananpublik import spreadsheet
from ckanext.layananpublik.transparency.dip import fields


def previous_csv(user: str, organization: str | None, args: Any) -> tuple[Any, int]:
    """The response and its number of rows, in the current request's language; `args`: the
    page's query (category, q)."""
    category = args.get("category", "")
    params = {"organization": organization, "category": category if category in fields.DIP_CATEGORIES else None,
              "q": args.get("q", "").strip(), "limit": tk.config.get("ckanext.layananpublik.dip.max_rows"),
              "offset": 0}  # fmt: skip
    result = tk.get_action("layananpublik_dip_list")({"user": user}, params)
    body = model.Group.get(organization) if organization else None
    name = f"dip-{body.name if body else 'semua'}.csv"
    names = {"categories": fields.category_labels(), "forms": fields.form_labels()}
    unfilled = tk._("not yet filled")

    def filled(value: str) -> str:
        return value or unfilled

    dataset_url = tk.h.url_for("dataset.read", id="__name__", _external=True)
    lines = []
    for row in result["rows"]:
        url = row["url"] or (dataset_url.replace("__name__", quote(row["name"])) if row["name"] else "")
        lines.append([
            row["no"], names["categories"].get(row["category"], row["category"]), ", ".join(row["berkala_items"]),
            row["title"], row["summary"], (row["organization"] or {}).get("title", ""), filled(row["holding_unit"]),
            filled(row["responsible_officer"]), filled(row["made_time_place"]),
            filled(", ".join(names["forms"].get(f, f) for f in row["forms"])), filled(row["retention_period"]), url,
        ])  # fmt: skip
    return spreadsheet.download(fields.csv_header(), lines, name), len(lines)
