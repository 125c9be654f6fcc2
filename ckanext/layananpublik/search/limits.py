"""Length caps on what a dataset search is asked, checked before any parsing.

A search text is parsed character by character (search/query.py); however linear that is,
a megabyte of query text is no search anyone types, and refusing it costs nothing. The same
caps hold for the API (package_search: a validation error, HTTP 409, naming the parameter)
and for the catalogue's search pages (a 400 page saying which parameter is too long), before
any regular expression or query compiler sees the text.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

# Characters. A search text of 500 characters is some 70 words; CKAN's own fq for a page
# (facet filters, dataset type, capacity) stays far below 2,000.
MAX_Q = 500
MAX_FQ = 2000
MAX_SORT = 200
MAX_FACET_FIELDS = 50
MAX_FACET_FIELD = 100
# On the search pages every other query argument becomes a facet filter in fq.
MAX_PAGE_ARG = 500
MAX_PAGE_ARGS = 50
# Room left in fq for what CKAN's view adds (the dataset type).
FQ_RESERVE = 200

# The search pages: CKAN's dataset search (and that of every dataset type) and the body and
# group pages, which search their datasets.
PAGE_ENDPOINTS = ("organization.read", "group.read")


def _too_long(value: Any, limit: int) -> str | None:
    length = sum(len(str(v)) for v in value) if isinstance(value, (list, tuple)) else len(str(value))
    if length <= limit:
        return None
    return tk._("Must be at most {limit} characters (now {length})").format(limit=limit, length=length)


def problems(params: dict) -> dict[str, list[str]]:
    """What is too long in package_search's parameters: {parameter: [message]}."""
    errors: dict[str, list[str]] = {}
    for key, limit in (("q", MAX_Q), ("fq", MAX_FQ), ("sort", MAX_SORT)):
        if params.get(key) is not None:
            message = _too_long(params[key], limit)
            if message:
                errors[key] = [message]
    facets = params.get("facet.field")
    if isinstance(facets, (list, tuple)):
        if len(facets) > MAX_FACET_FIELDS:
            errors["facet.field"] = [
                tk._("At most {limit} facet fields (now {count})").format(limit=MAX_FACET_FIELDS, count=len(facets))
            ]
        elif any(len(str(f)) > MAX_FACET_FIELD for f in facets):
            errors["facet.field"] = [
                tk._("A facet field name has at most {limit} characters").format(limit=MAX_FACET_FIELD)
            ]
    return errors


def check(params: dict) -> dict:
    """package_search's parameters as they are; a ValidationError when one is too long."""
    errors = problems(params)
    if errors:
        raise tk.ValidationError(errors)
    return params


def page_problem(endpoint: str | None, args: Any) -> str | None:
    """The message of a search page whose query arguments are too long, None when they fit."""
    if not endpoint or not (endpoint.endswith(".search") or endpoint in PAGE_ENDPOINTS):
        return None
    if endpoint.startswith("layananpublik_feeds."):  # a feed answers in its own words (feeds/views.py)
        return None
    items = list(args.items(multi=True))
    for key, value in items:
        limit = {"q": MAX_Q, "sort": MAX_SORT}.get(key, MAX_PAGE_ARG)
        if len(key) > MAX_FACET_FIELD or len(value) > limit:
            if key == "q":
                return tk._("The search text is too long: at most {limit} characters (now {length}).").format(
                    limit=limit, length=len(value)
                )
            return tk._("A search filter is too long: at most {limit} characters.").format(limit=limit)
    # Every argument but these becomes `key:"value"` in fq, beside CKAN's own filters.
    filters = sum(len(k) + len(v) + 4 for k, v in items if k not in ("q", "sort", "page"))
    if len(items) > MAX_PAGE_ARGS or filters > MAX_FQ - FQ_RESERVE:
        return tk._("This search has too many filters (at most {limit}).").format(limit=MAX_PAGE_ARGS)
    return None


def install(app: Any) -> None:
    """Refuse over-long search pages before CKAN's search view parses them."""

    @app.before_request
    def layananpublik_search_limits() -> None:
        message = page_problem(tk.request.endpoint, tk.request.args)
        if message:
            tk.abort(400, message)
