"""A dataset feed's page read straight from the PostgreSQL search index (layananpublik_search).

`package_search` answers a feed with the same rows, but around them it validates its
parameters, asks Redis for cached counts and page keys and writes them back (a client
built for each call), reads through a snapshot transaction of its own and decodes every
stored field of every row: right after a dataset update that was two thirds of a feed's
time. A feed without search words needs none of it: its filters are fixed strings, it
asks for no facets and its listing is already kept per index generation (cache.py).
So it sends the very filters `package_search` would send for an anonymous visitor
(`+capacity:public ... +state:(active)`, `+site_id:...`, `+permission_labels:(...)`),
compiled by the search index's own query translator, and reads the count (from the
facet summary, as the search does) and the page's stored dataset dicts (as
`package_search` returns them) on the request's connection: two statements, no Redis.

Used only where it gives the same answer as `package_search`: with the PostgreSQL search,
for feeds without search words or ext_ parameters, while this transaction holds no index
writes of its own, and while no plugin but ours changes searches or their results
(before_dataset_search, after_dataset_search). Elsewhere, and with Solr, `package_search`.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, NamedTuple

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model, plugins
from ckan.lib import plugins as lib_plugins
from ckan.lib.search.query import solr_literal
from psycopg2.extensions import AsIs

from ckanext.layananpublik.cases.memory import ProcessMemory
from ckanext.layananpublik.cases.sql import render
from ckanext.layananpublik.feeds import categories
from ckanext.layananpublik.search import query, store

# Plugins whose search hooks leave a feed's search alone: layananpublik_search's checks
# the length of search parameters (a feed's are short), layananpublik has none.
OURS = frozenset({"layananpublik", "layananpublik_search"})
_HOOKS = ("before_dataset_search", "after_dataset_search")


def _foreign_search_hooks() -> bool:
    for plugin in plugins.PluginImplementations(plugins.IPackageController):
        if plugin.name in OURS:
            continue
        if any(
            getattr(type(plugin), hook) is not getattr(plugins.IPackageController, hook) for hook in _HOOKS
        ):
            return True
    return False


# What the loaded plugins decide for every feed (asked on every feed request, and walking
# the plugins costs more than the rest of the listing's preparation): whether one changes
# searches, and the anonymous visitor's permission labels. Forgotten whenever CKAN loads or
# unloads plugins (its plugins_update runs every IConfigurer's update_config: configure()).
_setup_here: list[tuple[bool, list[str]]] = []


def forget_plugin_setup() -> None:
    _setup_here.clear()


def _plugin_setup() -> tuple[bool, list[str]]:
    if not _setup_here:
        labels = lib_plugins.get_permission_labels().get_user_dataset_labels(None)
        _setup_here.append((_foreign_search_hooks(), list(labels)))
    return _setup_here[0]


def usable(q: str, extras: dict) -> bool:
    """Whether a feed can read the index directly (see the module's note)."""
    if q or extras or not plugins.plugin_loaded("layananpublik_search"):
        return False
    return store.pending_writes_connection() is None and not _plugin_setup()[0]


def _filters(fq: str) -> list[str]:
    """The fq list package_search and CKAN's query layer send for an anonymous visitor
    without private datasets and drafts (ckan.logic.action.get.package_search,
    ckan.lib.search.query.PackageSearchQuery.run)."""
    labels = _plugin_setup()[1]
    return [
        f"+capacity:public {fq} +state:(active)",
        f"+site_id:{solr_literal(tk.config.get('ckan.site_id'))}",
        "+permission_labels:({})".format(" OR ".join(solr_literal(label) for label in labels)),
    ]


class Row(NamedTuple):
    """A dataset of the page, not decoded: its id and metadata_modified (read from the
    stored dict by PostgreSQL) and the stored dict's JSON text, decoded only if its entry
    is built (right after an update, one of a page's 20)."""

    id: str
    metadata_modified: str | None
    text: str | None
    version: str | None = None  # the index row's version (xmin), from listing()
    data: dict | None = None  # the text decoded already (listing())

    def decoded(self) -> dict:
        return self.data if self.data is not None else json.loads(self.text)


# Compiled searches, by their filter strings and sort (the translation of a string never
# changes); a feed asks for a few dozen.
_compiled_here = ProcessMemory(256)


def _compiled(filters: list[str], sort: str) -> tuple[str, dict, set[str] | None, str]:
    """(WHERE clause, its parameters, the fields it tests or None, ORDER BY) of "*:*"
    with these filters, as the index's query translator writes them."""
    key = (*filters, sort)
    if key in _compiled_here:
        return _compiled_here[key]
    bag = query.ParamBag()
    compiled = [query.compile_standard("*:*", bag, df="text")]
    compiled += [query.compile_standard(f, bag) for f in filters]
    where = " AND ".join(f"({c.where})" for c in compiled)
    fields: set[str] | None = set()
    for part in compiled:
        fields = None if fields is None or part.fields is None else fields | part.fields
    return _compiled_here.keep(key, (where, bag.params, fields, query.compile_sort(sort, compiled[0].rank)))


def search(fq: str, sort: str, rows: int, start: int, with_count: bool = True, decode: bool = True) -> dict:
    """{"count": n (None without with_count), "results": the datasets of the page, as
    package_search gives them (Row tuples without `decode`)}. Raises the search's
    QuerySyntaxError or SortError for a filter it cannot translate (the caller's fq strings
    are its own)."""
    where, params, fields, order_by = _compiled(_filters(fq), sort)
    conn: Any = model.Session.connection()
    count = store.count(conn, where, dict(params), store.summary_level(fields)) if with_count else None
    select = "d.validated_data_dict" if decode else f"d.validated_data_dict, {_ROW_FIELDS}"
    found = []
    if rows > 0 and (count is None or count > start):
        found = store.rows(conn, select, where, order_by, dict(params), rows, start)
    if not decode:
        page = [Row(r["id"], r["_metadata_modified"], r["validated_data_dict"]) for r in found]
        return {"count": count, "results": page}
    return {"count": count, "results": [json.loads(row["validated_data_dict"]) for row in found]}


# The dataset's id, and the stored dict's own metadata_modified (the index's column is a
# timestamp: written back as text it could differ from the dict's).
_ROW_FIELDS = "d.id, d.validated_data_dict::json->>'metadata_modified' AS _metadata_modified"


class Listing(NamedTuple):
    """What listing() read: the index's generation token, whether a public active dataset
    is marked exempt, and the page ({"count", "results": Row tuples}; None when the token
    is the one the caller holds a listing of)."""

    token: str
    exempt: bool
    page: dict | None


def listing(
    fq: str, sort: str, rows: int, start: int, held: dict[str, tuple[str, str]], held_token: str | None = None
) -> Listing:
    """The index's state and the page of `search` (not decoded) in one statement, one
    snapshot: what a dataset feed sends on every request instead of three statements
    (cache.index_state, the count, the rows).

    The generation row (the token, as search/store.py's generation_token, and the exempt
    check of cache.index_state), and unless the token is `held_token` (the caller holds
    the listing of that state: a feed asked again, nothing changed) the count (as search()
    counts) and the page's rows, whose keys are read only when the page is not past the
    last (CASE: an uncorrelated subquery runs only when the CASE reaches it). Each row
    comes with its version (the index row's xmin: every index write of a dataset makes a
    new row version). For the rows in `held` ({id: (the stored dict's metadata_modified,
    the row's version)}: entries the caller already holds) whose version is still the one
    held, the stored dict is not read: no text, and held's metadata_modified. The others
    are decoded here, their metadata_modified read from the dict (the caller builds their
    entries from it; parsed by PostgreSQL instead, the dicts of 20 rows were most of the
    statement's time, and the index's own column keeps milliseconds only: two versions may
    share one). The page is read without the exempt clause (sources.ALWAYS): with `exempt`
    true the caller reads it again with that clause.

    The statement is a prepared one (_execute): sent on every request, it is planned once
    per connection, not every time."""
    where, params, fields, order_by = _compiled(_filters(fq), sort)
    summary = store.summary_level(fields)
    start = min(int(start), store.MAX_OFFSET)  # ?page=99999999999999999999: past the last, not an error
    counted = store.count_sql(where, summary)
    keys = (
        f"ARRAY(SELECT d.index_id FROM {store.TABLE} AS d WHERE {where}"
        f" ORDER BY {order_by} LIMIT {int(rows)} OFFSET {int(start)})"
    )
    is_held = "(d.id, d.xmin::text) IN (SELECT * FROM unnest($2::text[], $3::text[]))"
    token = "g.value::text || '.' || g.xmin::text"
    # OFFSET 0 keeps the count's subquery from being flattened: c.n is used twice (the count
    # and the page's test), and flattened it would be counted twice.
    sql = (
        f"SELECT {token} AS token, {categories.EXEMPT_PUBLIC_SQL} AS exempt, c.n, d.id,"
        " d.xmin::text AS version, CASE WHEN {is_held} THEN NULL ELSE d.validated_data_dict END AS text"
        f" FROM {store.GENERATION} AS g"
        f" CROSS JOIN LATERAL (SELECT CASE WHEN {token} IS DISTINCT FROM $1 THEN ({counted}) END OFFSET 0) AS c(n)"
        f" LEFT JOIN LATERAL unnest(CASE WHEN c.n > {int(start)} THEN {keys} END)"
        " WITH ORDINALITY AS page(index_id, position) ON true"
        f" LEFT JOIN {store.TABLE} AS d ON d.index_id = page.index_id ORDER BY page.position"
    ).replace("{is_held}", is_held)
    found = _execute(sql, params, (held_token, *_held_arrays(held)))
    token_read, exempt, count = found[0][:3]
    if count is None:  # the state held: nothing else was read
        return Listing(token_read, bool(exempt), None)
    page = [
        Row(id_, held[id_][0], None, version)
        if text is None and id_ in held
        else Row(id_, (data := json.loads(text)).get("metadata_modified"), text, version, data)
        for _, _, _, id_, version, text in found
        if id_ is not None
    ]
    return Listing(token_read, bool(exempt), {"count": int(count), "results": page})


# Prepared statements of this module per database connection (the pool's record of it:
# emptied when the connection is replaced), at most PREPARED: then all are deallocated.
PREPARED = 64
_PREPARED_KEY = "layananpublik_feeds_prepared"
# (name, PREPARE text) by statement text and parameters: a few dozen feeds.
_prepared_here = ProcessMemory(256)


def _prepare(sql: str, params: dict, conn: Any) -> tuple[str, str]:
    """The statement's name and its PREPARE, with the translator's parameters written into
    it (they belong to the filters, fixed strings: one prepared statement per filter set,
    which PostgreSQL plans as it would the statement itself)."""
    key = (sql, *sorted(params.items()))
    found = _prepared_here.get(key)
    if found is None:
        body = render(conn, sql, params)
        name = "layananpublik_feeds_" + hashlib.sha256(body.encode()).hexdigest()[:24]
        found = _prepared_here.keep(key, (name, f"PREPARE {name}(text, text[], text[]) AS {body.replace('%', '%%')}"))
    return found


# The held entries' ids and versions as SQL arrays, by their dict (the same dict, kept by
# the caller for as long as its listing and entries are, is sent on every request).
_held_here = ProcessMemory(256)
_NONE_HELD = AsIs("'{}'::text[]")


def _held_arrays(held: dict[str, tuple[str, str]]) -> tuple[Any, Any]:
    if not held:
        return _NONE_HELD, _NONE_HELD
    found = _held_here.get(id(held))
    if found is None or found[0] is not held:
        ids, conn = list(held), model.Session.connection()
        arrays = [AsIs(render(conn, "%(v)s::text[]", {"v": values})) for values in
                  (ids, [held[i][1] for i in ids])]  # fmt: skip
        found = _held_here.keep(id(held), (held, *arrays))
    return found[1], found[2]


# What PostgreSQL says when a connection's prepared statements are not the ones this
# process recorded: one missing (26000: dropped behind our back, e.g. DISCARD ALL) or one
# already there (42P05: e.g. a pooler in transaction mode hands each transaction another
# server connection). The listing is then prepared again instead of failing the request.
_NOT_AS_RECORDED = frozenset({"26000", "42P05"})
_SAVEPOINT = "layananpublik_feeds_listing"


def _execute(sql: str, params: dict, args: tuple) -> list:
    """The rows of `sql` (parameters: `params` by name, as the query translator writes them,
    and `args` as $1, $2, $3) as a statement prepared on the request's connection: the
    first time on a connection it is prepared in the same round trip (PREPARE; EXECUTE),
    then only executed, planned once per connection. After a failure on a connection (the
    statement may or may not have been prepared) the next one starts over (DEALLOCATE ALL,
    which only this module uses: CKAN and psycopg2 prepare nothing). When the connection's
    statements are not the ones recorded (_NOT_AS_RECORDED), it starts over at once: the
    statement is sent after a savepoint (in the same round trip), rolled back to on that
    error, so the request's transaction goes on."""
    conn: Any = model.Session.connection()
    name, prepare = _prepare(sql, params, conn)
    info = conn.connection.info
    prepared = info.get(_PREPARED_KEY)
    execute = f"EXECUTE {name}(%s, %s, %s)"
    info[_PREPARED_KEY] = None  # until it went through: the connection's state is unknown
    if prepared is None or len(prepared) >= PREPARED:
        found, prepared = conn.exec_driver_sql(f"DEALLOCATE ALL; {prepare}; {execute}", args).all(), set()
    else:
        statement = execute if name in prepared else f"{prepare}; {execute}"
        try:
            found = conn.exec_driver_sql(f"SAVEPOINT {_SAVEPOINT}; {statement}", args).all()
        except sa.exc.DBAPIError as exc:
            if getattr(exc.orig, "pgcode", None) not in _NOT_AS_RECORDED:
                raise
            again = f"ROLLBACK TO SAVEPOINT {_SAVEPOINT}; DEALLOCATE ALL; {prepare}; {execute}"
            found, prepared = conn.exec_driver_sql(again, args).all(), set()
    prepared.add(name)
    info[_PREPARED_KEY] = prepared
    return found
