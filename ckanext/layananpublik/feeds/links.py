"""Addresses of feeds: the feed's own links (self, paging) and the links pages show."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

import ckan.plugins.toolkit as tk

from ckanext.layananpublik.feeds import categories, entries
from ckanext.layananpublik.feeds import schema as sch

BLUEPRINT = "layananpublik_feeds"
CONTENT_TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}
LABELS = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}
# Query parameters of the dataset search page that are not filters.
NOT_FILTERS = ("q", "page", "sort", "limit")


def endpoint(kind: str, key: str | None) -> tuple[str, dict]:
    if kind.startswith("requests_") or kind == "pages":  # site-wide, or of one body
        return (f"{BLUEPRINT}.body_{kind}", {"id": key}) if key else (f"{BLUEPRINT}.{kind}", {})
    if kind in ("dataset", "search"):
        return f"{BLUEPRINT}.{kind}", {}
    if kind == "category":
        key = categories.slug(categories.value_of(key))
    return f"{BLUEPRINT}.{kind}", {"id": key}


def default_page_size() -> int:
    return min(tk.config.get("ckanext.layananpublik.feeds.page_size"),
               tk.config.get("ckanext.layananpublik.feeds.page_size_max"))  # fmt: skip


def query_args(data: dict) -> list[tuple[str, str]]:
    """The query string that selects the same feed (search, sort, page size; no page)."""
    args: list[tuple[str, str]] = []
    if data["feed"] == "search":
        if data.get("q"):
            args.append(("q", data["q"]))
        args += [(field, value) for field, value in data.get("filters") or []]
        args += sorted((data.get("extras") or {}).items())
    if data.get("sort") and data["sort"] != sch.SORTS[0]:
        args.append(("sort", data["sort"]))
    if data.get("limit") and data["limit"] != default_page_size():
        args.append(("limit", str(data["limit"])))
    return args


def feed_url(data: dict, page: int = 1) -> str:
    name, kwargs = endpoint(data["feed"], data.get("id"))
    args = query_args(data) + ([("page", str(page))] if page > 1 else [])
    # A feed names its own address up to five times (id, self, paging): url_for once.
    return entries.external_url(name, fmt=data["format"], **kwargs) + ("?" + urlencode(args) if args else "")


def feed_links(kind: str, key: str | None = None, args: Iterable[tuple[str, str]] = ()) -> list[dict]:
    """The feed in each format, for <link rel="alternate"> tags and visible links."""
    name, kwargs = endpoint(kind, key)
    query = urlencode(list(args))
    return [
        {"format": fmt, "type": CONTENT_TYPES[fmt], "label": LABELS[fmt],
         "url": tk.url_for(name, fmt=fmt, **kwargs) + ("?" + query if query else "")}
        for fmt in sch.FORMATS
    ]  # fmt: skip


def search_feed(args: Iterable[tuple[str, str]]) -> tuple[str, str | None, list[tuple[str, str]]]:
    """The feed that follows a dataset search page (its query arguments): the site-wide,
    organisation, group, tag or category feed when the search is just that, else a
    search feed with the same words and filters."""
    q = ""
    sort = None
    filters: list[tuple[str, str]] = []
    for name, value in args:
        if not value or name.startswith("_") or name == "page":
            continue
        if name == "q":
            q = value.strip()
        elif name == "sort":
            sort = value if value in sch.SORTS[1:] else None
        elif name not in NOT_FILTERS:
            filters.append((name, value))
    extra = [("sort", sort)] if sort else []
    if not q and not filters:
        return "dataset", None, extra
    if not q and len(filters) == 1:
        field, value = filters[0]
        if field == "organization":
            return "organization", value, extra
        if field == "groups":
            return "group", value, extra
        if field == "tags":
            return "tag", value, extra
        if field == categories.FIELD and value in categories.PUBLISHED:
            return "category", value, extra
    return "search", None, ([("q", q)] if q else []) + filters + extra
