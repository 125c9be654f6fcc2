"""The search plugin's options, read where they are used.

They are declared in config_declaration.yaml beside this file. CKAN types them only
while the plugin is loaded, but the PostgreSQL transport stays installed after a plugin
unload (CKAN's test runner unloads every plugin before the tests run), so values are
read here with the declared defaults and types as a fallback, from that same file.
"""

from __future__ import annotations

import functools
import pathlib
from typing import Any

import yaml
from ckan.common import config

LANGUAGES = "ckanext.layananpublik.search.languages"
FACET_CACHE_TTL = "ckanext.layananpublik.search.facet_cache_ttl"
STATEMENT_TIMEOUT = "ckanext.layananpublik.search.statement_timeout"
SEARCHED_WORDS_MAX = "ckanext.layananpublik.search.searched_words.max"
SEARCHED_WORDS_MIN_PERCENT = "ckanext.layananpublik.search.searched_words.min_percent"
SEARCHED_WORDS_THRESHOLD = "ckanext.layananpublik.search.searched_words.threshold"
SEARCHED_WORDS_WINDOW_DAYS = "ckanext.layananpublik.search.searched_words.window_days"


@functools.cache
def _declared_defaults() -> dict[str, Any]:
    path = pathlib.Path(__file__).with_name("config_declaration.yaml")
    declaration = yaml.safe_load(path.read_text())
    return {o["key"]: o.get("default") for g in declaration["groups"] for o in g["options"]}


def _raw(key: str) -> Any:
    # config.get(key, None) avoids CKAN's "option is not declared" warning when unloaded.
    value = config.get(key, None)
    return _declared_defaults()[key] if value is None or value == "" else value


def languages() -> list[str]:
    value = _raw(LANGUAGES)
    return value.split() if isinstance(value, str) else [str(v) for v in value]


def facet_cache_ttl() -> int:
    return int(_raw(FACET_CACHE_TTL))


def statement_timeout_ms() -> int:
    return int(_raw(STATEMENT_TIMEOUT))


def searched_words_max() -> int:
    return int(_raw(SEARCHED_WORDS_MAX))


def searched_words_min_share() -> float:
    return int(_raw(SEARCHED_WORDS_MIN_PERCENT)) / 100


def searched_words_threshold() -> int:
    return int(_raw(SEARCHED_WORDS_THRESHOLD))


def searched_words_window_days() -> int:
    return max(1, int(_raw(SEARCHED_WORDS_WINDOW_DAYS)))
