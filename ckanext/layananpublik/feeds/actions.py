"""Feed actions: the feed of datasets or register entries as a plain dict, and its
validator, cheap enough to answer a conditional request without reading the entries.

Both read as an anonymous visitor (sources.py): a feed never shows a private or draft
dataset, or a requester's personal data, whoever asks for it.
"""

from __future__ import annotations

import hashlib
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.layananpublik.cases.memory import ProcessMemory
from ckanext.layananpublik.feeds import cache, entries, links, sources
from ckanext.layananpublik.feeds import schema as sch

# Bump when the rendered output changes for the same data: every ETag changes with it.
OUTPUT_VERSION = "1"
EPOCH = "1970-01-01T00:00:00+00:00"


def _validate(data_dict: dict, context: Any) -> dict:
    data, errors = tk.navl_validate(data_dict, sch.feed_schema(), context)
    if errors:
        raise tk.ValidationError(errors)
    return data


# Feeds named by configuration alone (no body, group or tag read from the database): their
# validated data and Source depend on nothing but the request's data, the language (titles,
# links) and the options below, so a process keeps them (read-only: no caller changes them).
CONFIG_ONLY = frozenset({"dataset", "category", "search"})
_OPTIONS = ("ckan.site_url", "ckan.site_title", "ckanext.layananpublik.feeds.page_size",
            "ckanext.layananpublik.feeds.page_size_max")  # fmt: skip
_resolved_here = ProcessMemory(256)


def _resolved(data_dict: dict, context: Any) -> tuple[dict, sources.Source]:
    """The validated data and the feed it names: once per feed view (its stamp and its
    page are asked for with the same data), and once per process for CONFIG_ONLY feeds."""
    memo = cache.view_memo("resolved")
    key = repr(sorted(data_dict.items()))
    if memo is not None and key in memo:
        return memo[key]
    here = (key, entries.language(), *(str(tk.config.get(option)) for option in _OPTIONS))
    found = _resolved_here.get(here)
    if found is None:
        data = _validate(data_dict, context)
        found = (data, sources.resolve(data))
        if data["feed"] in CONFIG_ONLY:
            _resolved_here.keep(here, found)
    if memo is not None:
        memo[key] = found
    return found


def _identity(data: dict) -> str:
    """Which representation is asked for, whatever the data: feed, page, format, language."""
    parts = [OUTPUT_VERSION, tk.config.get("ckan.site_url"), entries.language(), data["feed"], data.get("id") or "",
             data["format"], str(data["page"]), str(data["limit"]), data["sort"], data.get("q") or "",
             repr(data.get("filters") or []), repr(sorted((data.get("extras") or {}).items()))]  # fmt: skip
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@tk.side_effect_free
def layananpublik_feed_stamp(context: Any, data_dict: dict) -> dict:
    """The validator of one page of a feed: changes whenever an entry of the feed changes
    (a dataset added, updated, deleted or made private; a request received or decided; a
    transparency page saved).
    Reads one row of the search index for dataset feeds.

    Takes the parameters of ``layananpublik_feed_show``.

    :returns: ``{"key": representation id, "validator": ETag value, "count": n,
        "page": p, "pages": n, "newest": ISO time of the newest entry or null}``
    """
    tk.check_access("layananpublik_feed_show", context, data_dict)
    data, source = _resolved(data_dict, context)
    stamp = source.stamp(data["page"], data["limit"])
    sources.check_page(data["page"], stamp.count, data["limit"])
    key = _identity(data)
    return {
        "key": key,
        "validator": hashlib.sha256(f"{key}\x1f{stamp.basis}".encode()).hexdigest()[:40],
        "count": stamp.count,
        "page": data["page"],
        "pages": sources.pages_of(stamp.count, data["limit"]),
        "newest": entries.iso(stamp.newest),
    }


@tk.side_effect_free
def layananpublik_feed_show(context: Any, data_dict: dict) -> dict:
    """One page of a feed, ready to be written as RSS 2.0, Atom 1.0 or JSON Feed 1.1.

    :param feed: ``dataset`` (site-wide), ``organization``, ``group``, ``tag``,
        ``category`` (berkala, serta-merta, setiap-saat), ``search``, ``requests_new``
        or ``requests_decided`` (register feeds, site-wide or of one body), ``pages``
        (transparency-page updates, site-wide or of one body)
    :param id: the organisation, group, tag or category (register and pages feeds: optional
        body)
    :param format: ``atom`` (default), ``rss`` or ``json``: only for the feed's own links
    :param page: page number, 1 (newest) by default
    :param limit: entries per page (``ckanext.layananpublik.feeds.page_size`` by default,
        at most ``ckanext.layananpublik.feeds.page_size_max``)
    :param sort: dataset feeds: ``metadata_modified desc`` (default) or
        ``metadata_created desc``
    :param q: search feeds: the search words, as on the dataset search page
    :param filters: search feeds: ``[[field, value], ...]``, the search page's filters
    :param extras: search feeds: ``{"ext_...": value}`` passed on to package_search
    :returns: the feed: ``id``, ``title``, ``description``, ``language``,
        ``home_page_url``, ``feed_url``, ``links`` (first, last, previous, next),
        ``updated``, ``authors``, ``count``, ``page``, ``pages``, ``page_size``,
        ``entries`` (see feeds/entries.py)
    """
    tk.check_access("layananpublik_feed_show", context, data_dict)
    data, source = _resolved(data_dict, context)
    count, items = source.page(data["page"], data["limit"])
    sources.check_page(data["page"], count, data["limit"])
    pages = sources.pages_of(count, data["limit"])
    page = data["page"]
    return {
        "id": links.feed_url(data, page=1),
        "title": source.title,
        "description": source.description,
        "language": entries.language(),
        "home_page_url": source.home_page_url,
        "feed_url": links.feed_url(data, page=page),
        "links": {
            "first": links.feed_url(data, page=1),
            "last": links.feed_url(data, page=pages),
            "previous": links.feed_url(data, page=page - 1) if page > 1 else None,
            "next": links.feed_url(data, page=page + 1) if page < pages else None,
        },
        "updated": max((e["updated"] for e in items if e["updated"]), default=EPOCH),
        "authors": [source.author],
        "icon": _favicon(),
        "count": count,
        "page": page,
        "pages": pages,
        "page_size": data["limit"],
        "entries": items,
    }


def _favicon() -> str | None:
    favicon = tk.config.get("ckan.favicon")
    if not favicon:
        return None
    return entries.absolute_url(favicon)
