"""Information categories of UU 14/2008 (berkala, serta merta, setiap saat) as feeds.

The category is the DIP field `information_category` of a dataset (transparency/dip,
issue 9), kept as a package extra. CKAN's indexer stores an extra under its own name as an
exact string (and as `extras_<key>`, analysed text), so `information_category:"berkala"`
selects it with the PostgreSQL search as with Solr. Exempt information (dikecualikan) has
no feed and is left out of every feed.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.layananpublik.transparency.dip import fields

FIELD = "information_category"
PUBLISHED = fields.DIP_CATEGORIES
EXEMPT = "dikecualikan"
# Whether a public, active dataset is marked exempt (which should never be): an SQL
# expression over two small tables, with literal key, value and state so the DIP
# migration's partial index on package_extra serves it (an exact-string search term would
# read every matching document of the search index).
EXEMPT_PUBLIC_SQL = (
    "EXISTS (SELECT 1 FROM package_extra e JOIN package p ON p.id = e.package_id"
    f" WHERE e.key = '{FIELD}' AND e.state = 'active' AND e.value = '{EXEMPT}'"
    " AND p.state = 'active' AND NOT p.private)"
)
# URL slug -> stored value: /umpan/kategori/serta-merta.atom
SLUGS = {value.replace("_", "-"): value for value in PUBLISHED}


def label(value: str) -> str:
    return fields.category_labels()[value]


def slug(value: str) -> str:
    return value.replace("_", "-")


def value_of(slug_or_value: str | None) -> str:
    """The stored value of a published category, from its slug (or its value);
    ObjectNotFound otherwise, `dikecualikan` included."""
    text = slug_or_value or ""
    value = SLUGS.get(text) or (text if text in PUBLISHED else None)
    if value is None:
        raise tk.ObjectNotFound(tk._("Information category not found"))
    return value
