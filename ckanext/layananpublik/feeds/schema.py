"""navl schema of the feed actions: which feed, which page, which search."""

from __future__ import annotations

import json
import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import missing

KINDS = (
    "dataset", "organization", "group", "tag", "category", "search", "requests_new", "requests_decided", "pages",
)  # fmt: skip
FORMATS = ("rss", "atom", "json")
SORTS = ("metadata_modified desc", "metadata_created desc")
# A filter's field becomes `field:"value"` in the search: only plain field names.
FIELD_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,99}$")
MAX_QUERY = 500
MAX_FILTERS = 20


def _one_of(choices: tuple[str, ...], message: str):
    def validator(value: Any) -> str:
        if value not in choices:
            raise tk.Invalid(message.format(value=value, choices=", ".join(choices)))
        return value

    return validator


def positive_int(value: Any) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise tk.Invalid(tk._("Must be a whole number of 1 or more")) from None
    if number < 1:
        raise tk.Invalid(tk._("Must be a whole number of 1 or more"))
    return number


def page_size(value: Any) -> int:
    number = positive_int(value)
    largest = tk.config.get("ckanext.layananpublik.feeds.page_size_max")
    if number > largest:
        raise tk.Invalid(tk._("At most {largest} entries per page").format(largest=largest))
    return number


def default_page_size(key: Any, data: dict, errors: dict, context: Any) -> None:
    if data.get(key) in (None, "", missing):
        data[key] = min(
            tk.config.get("ckanext.layananpublik.feeds.page_size"),
            tk.config.get("ckanext.layananpublik.feeds.page_size_max"),
        )


def short_text(value: Any) -> str:
    text = str(value)
    if len(text) > MAX_QUERY:
        raise tk.Invalid(tk._("At most {length} characters").format(length=MAX_QUERY))
    return text


def _json(value: Any) -> Any:
    """Lists and mappings may come as JSON text (a GET of the action API)."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def filter_pairs(value: Any) -> list[list[str]]:
    """Search filters as [field, value] pairs (the dataset search page's facet parameters)."""
    value = _json(value)
    if not isinstance(value, (list, tuple)):
        raise tk.Invalid(tk._("Filters must be a list of [field, value] pairs"))
    if len(value) > MAX_FILTERS:
        raise tk.Invalid(tk._("At most {count} filters").format(count=MAX_FILTERS))
    pairs = []
    for pair in value:
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise tk.Invalid(tk._("Filters must be a list of [field, value] pairs"))
        field, text = (str(part) for part in pair)
        if not FIELD_NAME.match(field):
            raise tk.Invalid(tk._("Not a field that can be filtered on: {field}").format(field=field[:100]))
        pairs.append([field, short_text(text)])
    return pairs


def string_dict(value: Any) -> dict[str, str]:
    value = _json(value)
    if not isinstance(value, dict):
        raise tk.Invalid(tk._("Must be a mapping of names to values"))
    if len(value) > MAX_FILTERS:
        raise tk.Invalid(tk._("At most {count} filters").format(count=MAX_FILTERS))
    return {str(k): short_text(v) for k, v in value.items() if str(k).startswith("ext_")}


def feed_schema() -> dict:
    ignore_missing = tk.get_validator("ignore_missing")
    unicode_safe = tk.get_validator("unicode_safe")
    default = tk.get_validator("default")
    return {
        "feed": [
            tk.get_validator("not_empty"),
            unicode_safe,
            _one_of(KINDS, tk._("Unknown feed {value}; choose one of {choices}")),
        ],
        "id": [ignore_missing, unicode_safe, short_text],
        "format": [
            default("atom"),
            unicode_safe,
            _one_of(FORMATS, tk._("Unknown feed format {value}; choose one of {choices}")),
        ],
        "page": [default(1), positive_int],
        "limit": [default_page_size, page_size],
        "q": [ignore_missing, unicode_safe, short_text],
        "sort": [
            default(SORTS[0]),
            unicode_safe,
            _one_of(SORTS, tk._("Feeds are sorted by {choices}; {value} is not possible")),
        ],
        "filters": [ignore_missing, filter_pairs],
        "extras": [ignore_missing, string_dict],
    }
