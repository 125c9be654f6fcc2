"""The one place where CKAN's Solr transport is swapped for PostgreSQL.

CKAN 2.11 has no search-backend interface: `ckan.lib.search` talks to Solr only through
`make_connection()`, imported by name into four modules. We rebind that name there, and
the schema check that would otherwise fetch `<solr_url>/schema` at start-up. Everything
above the transport stays CKAN's own code. Installing twice is harmless; it is never
undone on plugin unload, because CKAN's test runner unloads plugins before the tests run
(see ../../../shared/research/pgsearch-spec.md, section 1.7).
"""

from __future__ import annotations

import logging
from typing import Any

import ckan.lib.search as search
import ckan.lib.search.common as search_common
import ckan.lib.search.index as search_index
import ckan.lib.search.query as search_query

from ckanext.layananpublik.search.connection import PostgresSolrConnection

log = logging.getLogger(__name__)

# Where core looks `make_connection` up at call time.
_MODULES = (search_common, search_index, search_query, search)
PLACEHOLDER_SOLR_URL = "http://solr.not.used.layananpublik-search.invalid/solr/ckan"


def make_connection(decode_dates: bool = True) -> PostgresSolrConnection:
    return PostgresSolrConnection(decode_dates=decode_dates)


def check_schema_version(schema_file: str | None = None) -> bool:
    # A schema file given explicitly is Solr's business (CKAN's own tests do that).
    if schema_file:
        return _original_check(schema_file)
    return True


_original_check = search.check_solr_schema_version


def install(config: Any) -> None:
    """Point CKAN's search layer at PostgreSQL (idempotent)."""
    # Core declares solr_url as required; it is never contacted once we are in place.
    if not config.get("solr_url"):
        config["solr_url"] = PLACEHOLDER_SOLR_URL
    if is_installed():
        return
    for module in _MODULES:
        module.make_connection = make_connection
    search.check_solr_schema_version = check_schema_version
    log.info("Dataset search uses PostgreSQL (plugin layananpublik_search)")


def is_installed() -> bool:
    return all(m.make_connection is make_connection for m in _MODULES)
