"""Turn the document CKAN sends to Solr into a row of the search index table.

CKAN builds the document itself (ckan.lib.search.index.PackageSearchIndex); we only
store it the way Solr's schema.xml would: exact strings, analysed text, dates at
millisecond precision. See SCHEMA.md beside this file for the columns.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

# Fields Solr analyses as text (schema.xml "text" and "text_general" types); every
# other field is an exact string, as Solr's catch-all dynamic field `*` is.
TEXT_FIELDS = {
    "title", "notes", "author", "author_email", "maintainer", "maintainer_email",
    "res_name", "res_description", "urls", "text",
    "depends_on", "dependency_of", "derives_from", "has_derivation",
    "links_to", "linked_from", "child_of", "parent_of",
}  # fmt: skip
TEXT_PREFIXES = ("extras_", "res_extras_")
DATE_FIELDS = {"metadata_created", "metadata_modified", "indexed_ts"}
# Values that Solr copies into `urls` (copyField), itself copied into `text`.
URL_FIELDS = ("url", "ckan_url", "download_url", "res_url")
# Not stored in the jsonb copies: they have columns of their own.
BLOB_FIELDS = ("data_dict", "validated_data_dict")

# Field weights of the catch-all `text` vector, mirroring CKAN's
# qf = "name^4 title^4 tags^2 groups^2 text".
WEIGHT_A = ("name", "title")
WEIGHT_B = ("tags", "groups", "organization")
WEIGHT_C = ("notes", "res_name", "res_description")
# Everything else Solr copies into `text` (schema.xml copyField rules).
WEIGHT_D = ("urls", "license", "maintainer", "author", "text")
WEIGHT_D_PREFIXES = ("extras_", "res_extras_", "vocab_")

LANGUAGE_CONFIGS = {
    "id": "indonesian", "ind": "indonesian", "in": "indonesian", "indonesian": "indonesian",
    "bahasa indonesia": "indonesian", "en": "english", "eng": "english", "english": "english",
}  # fmt: skip


def is_text_field(field: str) -> bool:
    return field in TEXT_FIELDS or field.startswith(TEXT_PREFIXES)


def is_date_field(field: str) -> bool:
    return field in DATE_FIELDS or field.endswith("_date")


def fold(text: str) -> str:
    """Drop accents (é -> e) so that searches ignore them, like Solr's ASCII folding."""
    if text.isascii():  # nothing to decompose: most text skips the per-character pass
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_DATE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$")


def solr_date(value: Any) -> str | None:
    """Format a date the way Solr returns it: UTC, milliseconds, 'Z', no '.000'."""
    if isinstance(value, dt.datetime):
        value = value.isoformat()
    m = _DATE_RE.match(str(value))
    if not m:
        return None
    day, time, frac, offset = m.groups()
    if offset and offset != "Z":
        # CKAN adds 'Z' to naive *_date values only; an aware one keeps its offset
        # ("2019-10-10T01:15:00+00:00"). Solr stores the instant, in UTC.
        try:
            moment = dt.datetime.fromisoformat(f"{day}T{time}{offset}").astimezone(dt.timezone.utc)
        except ValueError:
            return None
        day, time = moment.strftime("%Y-%m-%d"), moment.strftime("%H:%M:%S")
    millis = (frac or ".0")[1:4].ljust(3, "0")
    return f"{day}T{time}" + ("" if millis == "000" else f".{millis}") + "Z"


def _is_null(value: Any) -> bool:
    # pysolr drops these before sending a document (pysolr.Solr._is_null_value).
    return value is None or (isinstance(value, str) and not value)


def as_list(value: Any) -> list:
    """A value as a list, without the empty values pysolr would drop."""
    if isinstance(value, (list, tuple, set)):
        return [v for v in value if not _is_null(v)]
    return [] if _is_null(value) else [value]


def _as_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    return str(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    return value


def _text_of(doc: dict, fields: Iterable[str], prefixes: tuple[str, ...] = ()) -> str:
    keys = [f for f in fields if f in doc]
    keys += sorted(k for k in doc if prefixes and k.startswith(prefixes))
    parts = [_as_string(v) for k in keys for v in as_list(doc[k])]
    return fold("\n".join(parts))


# Frequent function words: enough to tell Indonesian from English metadata apart.
STOPWORDS = {
    "indonesian": set(
        "yang dan di ke dari untuk dengan pada dalam oleh ini itu atau adalah serta tahun per".split()
    ),
    "english": set("the and of to in for with on by from this that or is are be as at an".split()),
}


def detect_language(text: str) -> str | None:
    """The stemming config whose function words clearly dominate the text, if any."""
    words = re.findall(r"[a-z]+", text.lower())
    counts = {config: sum(w in stop for w in words) for config, stop in STOPWORDS.items()}
    (best, top), (_, second) = sorted(counts.items(), key=lambda kv: -kv[1])
    return best if top >= 2 and top >= 3 * second else None


def languages_for(doc: dict, default: list[str]) -> list[str]:
    """Stemming configs for a dataset: the language it declares, else the one its title and
    description are clearly written in, else all the site's. One stemmer instead of two
    halves the text vector of most datasets, and stemming Indonesian with the English
    stemmer (or the reverse) only adds false matches."""
    for key in ("language", "extras_language"):
        for value in as_list(doc.get(key)):
            config = LANGUAGE_CONFIGS.get(str(value).strip().lower())
            if config:
                return [config]
    detected = detect_language(
        " ".join(_as_string(v) for k in ("title", "notes") for v in as_list(doc.get(k)))
    )
    return [detected] if detected in default else list(default)


# Exact-string fields with a column of their own in the index table (see SCHEMA.md).
STRING_COLUMNS = frozenset(
    {"index_id", "id", "name", "site_id", "entity_type", "dataset_type", "state", "capacity", "title_string"}
)
# Fields that never feed the facet column: unique per dataset, long, or with a column of
# their own (store.facets reads those from the column).
NOT_FACETED = STRING_COLUMNS | {
    "url", "ckan_url", "download_url", "res_url", "permission_labels",
    "metadata_created", "metadata_modified", "indexed_ts",
}  # fmt: skip
FACET_SEPARATOR = "\x1f"
MAX_FACET_VALUE = 200


def is_facet_column_field(field: str) -> bool:
    """Whether `field`'s values are in the compact facet_values column."""
    return field not in NOT_FACETED and not is_text_field(field)


def facet_values(sdoc: dict[str, list[str]]) -> list[str]:
    """ "field<US>value" pairs: a small array facet counts can read without opening the
    (large, compressed) jsonb of the whole document. Each pair once: Solr counts a
    dataset once per value, however many of its resources are CSV."""
    pairs = (
        f"{field}{FACET_SEPARATOR}{value}"
        for field, values in sdoc.items()
        if is_facet_column_field(field)
        for value in values
        if len(value) <= MAX_FACET_VALUE
    )
    return list(dict.fromkeys(pairs))


def to_row(solr_doc: dict, languages: list[str]) -> dict:
    """Return the column values for one Solr document (see SCHEMA.md)."""
    doc = {k: v for k, v in solr_doc.items() if not _is_null(v)}
    for field in list(doc):
        if is_date_field(field):
            values = [solr_date(v) for v in as_list(doc[field])]
            values = [v for v in values if v]
            if not values:
                del doc[field]
            else:
                doc[field] = values if isinstance(doc[field], list) else values[0]
    urls = [v for f in URL_FIELDS for v in as_list(doc.get(f))]
    stored = {k: _jsonable(v) for k, v in doc.items() if k not in BLOB_FIELDS}
    sdoc = {k: [_as_string(v) for v in as_list(val)] for k, val in stored.items()}
    tdoc_source = dict(stored, urls=urls) if urls else stored
    tdoc = {
        k: fold("\n".join(_as_string(v) for v in as_list(val)))
        for k, val in tdoc_source.items()
        if is_text_field(k)
    }
    weighted = dict(tdoc_source, urls=urls)
    return {
        "index_id": doc["index_id"],
        "site_id": doc.get("site_id", ""),
        "id": doc.get("id", ""),
        "name": doc.get("name"),
        "entity_type": doc.get("entity_type"),
        "dataset_type": doc.get("dataset_type"),
        "state": doc.get("state"),
        "capacity": doc.get("capacity"),
        "permission_labels": [str(v) for v in as_list(doc.get("permission_labels"))],
        "metadata_created": doc.get("metadata_created"),
        "metadata_modified": doc.get("metadata_modified"),
        "title_string": doc.get("title_string"),
        "doc": json.dumps(stored),
        "sdoc": json.dumps(sdoc),
        "facet_values": facet_values(sdoc),
        "tdoc": json.dumps(tdoc),
        "data_dict": doc.get("data_dict"),
        "validated_data_dict": doc.get("validated_data_dict"),
        "text_a": _text_of(weighted, WEIGHT_A),
        "text_b": _text_of(weighted, WEIGHT_B),
        "text_c": _text_of(weighted, WEIGHT_C),
        "text_d": _text_of(weighted, WEIGHT_D, WEIGHT_D_PREFIXES),
        "languages": languages_for(doc, languages),
    }
