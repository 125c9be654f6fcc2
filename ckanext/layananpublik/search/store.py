"""SQL for the search index table: writes join the caller's transaction, reads get a snapshot.

Writes go through CKAN's `model.Session` connection, so a dataset and its index row
commit or roll back together (CKAN 2.11 indexes from the session's before_commit hook;
2.12 just before `model.repo.commit()`). When the session has no transaction open there
is nothing to join, and a write runs in a transaction of its own, committed at once, as
Solr would. Reads use a pooled connection of their own in a REPEATABLE READ, READ ONLY
transaction: count, facets and rows come from one snapshot, and a bad query can never
abort the caller's transaction. Only while the caller's transaction holds index writes
not committed yet do reads run inside it (in a savepoint), so that the caller sees its
own writes, as it would see them in Solr.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
from collections.abc import Iterable, Iterator
from typing import Any

from ckan import model

from ckanext.layananpublik.cases.memory import ProcessMemory
from ckanext.layananpublik.cases.sql import render
from ckanext.layananpublik.search.document import STRING_COLUMNS, is_facet_column_field, to_row
from ckanext.layananpublik.search.query import TIEBREAK

TABLE = "layananpublik_search.package_doc"
GENERATION = "layananpublik_search.generation"
FIELD_NAMES = "layananpublik_search.field_name"
# conn.info key: the generation token a snapshot read as it began.
_SNAPSHOT_TOKEN = "layananpublik_search.snapshot_token"
_TOKEN_SQL = f"SELECT value || '.' || xmin::text FROM {GENERATION}"
# The facet summary (migration c3f18d5a9e62): datasets grouped by the values of
# SUMMARY_FIELDS (plus SUMMARY_ORG_FIELDS at the organisation level), with the number of
# datasets per group and per facet value; triggers on TABLE keep them exact.
SUMMARY_GROUPS = "layananpublik_search.facet_group"
SUMMARY_COUNTS = "layananpublik_search.facet_count"
SUMMARY_FIELDS = frozenset(
    {"site_id", "entity_type", "dataset_type", "state", "capacity", "permission_labels"}
)
SUMMARY_ORG_FIELDS = frozenset({"organization", "owner_org"})
# Facet counts hash every matching value; the default 4MB spills to disk at 100,000 datasets.
WORK_MEM = "64MB"
# Planner settings of a search. A text test on a row decompresses its tsv (1.4 kB of
# pglz at 100,000 datasets), which the default operator cost (0.0025) prices like
# comparing two integers: a search of two common words (7,061 matches of 100,000) read
# and decompressed every row, in a parallel scan, instead of the rows its tsv index
# finds (433 -> 155-214 ms in one A/B run at load 8). No parallel workers: on a portal
# every search is one of many at once, and the workers' share of CPU is another
# search's; the plans they win are the scans a single search should not make.
PLANNER = "SET LOCAL cpu_operator_cost = 0.01; SET LOCAL max_parallel_workers_per_gather = 0"
BASE_CONFIG = "simple"

_COLUMNS = (
    "index_id", "site_id", "id", "name", "entity_type", "dataset_type", "state",
    "capacity", "permission_labels", "metadata_created", "metadata_modified",
    "title_string", "doc", "sdoc", "tdoc", "facet_values", "data_dict", "validated_data_dict",
)  # fmt: skip
_UPDATES = ", ".join(f"{c} = EXCLUDED.{c}" for c in _COLUMNS[1:] + ("tsv",))


# Larger than any table, within PostgreSQL's bigint OFFSET.
MAX_OFFSET = 2**62
# Documents per INSERT statement: one statement (and one run of the summary triggers)
# for many rows, with a bounded number of parameters.
ROWS_PER_STATEMENT = 100


def _tsv_sql(n_configs: int, row: int) -> str:
    """Weighted vector over every stemming config (params cfg0_<row>..), concatenated."""
    parts = [
        f"setweight(to_tsvector(%(cfg{i}_{row})s::regconfig, %(text_{w}_{row})s), '{w.upper()}')"
        for w in "abcd"
        for i in range(n_configs)
    ]
    return " || ".join(parts)


@functools.cache
def _insert_sql(n_configs: int, n_rows: int) -> str:
    """INSERT of n_rows documents that all use n_configs stemming configs."""
    cols = ", ".join(_COLUMNS)
    rows = []
    for row in range(n_rows):
        values = ", ".join(
            f"%({c}_{row})s::jsonb" if c in ("doc", "sdoc", "tdoc") else f"%({c}_{row})s" for c in _COLUMNS
        )
        rows.append(f"({values}, {_tsv_sql(n_configs, row)})")
    return (
        f"INSERT INTO {TABLE} ({cols}, tsv) VALUES {', '.join(rows)} "
        f"ON CONFLICT (index_id) DO UPDATE SET {_UPDATES}, indexed_at = now()"
    )


# session.info key: the ORM transaction holding index writes that are not committed yet.
PENDING_WRITES = "layananpublik_search.pending_writes"


@contextlib.contextmanager
def write_transaction() -> Iterator[Any]:
    """The connection an index write goes through.

    The caller's ORM transaction when one is open (the dataset change being made).
    Otherwise a transaction of our own, committed on leaving: with nothing to join, a
    write left in a transaction that nobody commits would be lost when the process exits
    (`ckan search-index clear <id>` and `clear-orphans` run outside any transaction and
    never commit the session).
    """
    session = model.Session()
    if session.in_transaction():
        yield session.connection()
        # Until this transaction ends, this thread's reads must see what it wrote.
        session.info[PENDING_WRITES] = session.get_transaction()
        return
    with model.meta.engine.begin() as conn:
        yield conn


def pending_writes_connection() -> Any | None:
    """The caller's connection if its open transaction holds index writes, else None."""
    session = model.Session()
    pending = session.info.get(PENDING_WRITES)
    if pending is None:
        return None
    if pending is not session.get_transaction() or not pending.is_active:
        session.info.pop(PENDING_WRITES, None)  # committed or rolled back since
        return None
    return session.connection()


def _bump_generation(conn: Any) -> None:
    conn.exec_driver_sql(f"UPDATE {GENERATION} SET value = value + 1")


def upsert(conn: Any, docs: list[dict], languages: list[str]) -> None:
    write_rows(conn, rows_of(docs, languages))


@dataclasses.dataclass
class Rows:
    """Index rows ready to write: the INSERT statements with their parameters, and the
    fields the documents use."""

    statements: list[tuple[str, dict]]
    fields: set[str]


def rows_of(docs: list[dict], languages: list[str]) -> Rows:
    """The rows of `docs`, built in Python before write_rows takes any lock (a rebuild
    builds a batch's rows while another batch is written)."""
    fields: set[str] = set()
    # One row per document, the last version of it winning (as in Solr); a statement
    # may not upsert the same row twice.
    rows = {}
    for doc in docs:
        row = to_row(doc, languages)
        rows[row["index_id"]] = row
        fields.update(doc)
    by_configs: dict[int, list[dict]] = {}
    for row in rows.values():
        configs = [BASE_CONFIG] + [c for c in row.pop("languages") if c != BASE_CONFIG]
        row.update({f"cfg{i}": c for i, c in enumerate(configs)})
        by_configs.setdefault(len(configs), []).append(row)
    statements = []
    for n_configs, group in by_configs.items():
        for start in range(0, len(group), ROWS_PER_STATEMENT):
            chunk = group[start : start + ROWS_PER_STATEMENT]
            params = {f"{key}_{i}": value for i, row in enumerate(chunk) for key, value in row.items()}
            statements.append((_insert_sql(n_configs, len(chunk)), params))
    return Rows(statements, fields)


def write_rows(conn: Any, rows: Rows) -> None:
    # The generation row first: every index write takes its locks in the same order
    # (generation, then documents), so two transactions indexing several datasets
    # cannot deadlock.
    _bump_generation(conn)
    for statement, params in rows.statements:
        conn.exec_driver_sql(statement, params)
    if rows.fields:
        conn.exec_driver_sql(
            f"INSERT INTO {FIELD_NAMES} SELECT unnest(%(f)s::text[]) ON CONFLICT DO NOTHING",
            {"f": sorted(rows.fields)},
        )


def field_names(conn: Any) -> set[str]:
    """Every field some document has had (a superset of the fields present now)."""
    return {r[0] for r in conn.exec_driver_sql(f"SELECT name FROM {FIELD_NAMES}")}


def delete_where(conn: Any, where: str, params: dict) -> None:
    _bump_generation(conn)  # first, as in upsert
    conn.exec_driver_sql(f"DELETE FROM {TABLE} AS d WHERE {where}", params)


@contextlib.contextmanager
def snapshot(statement_timeout_ms: int) -> Iterator[Any]:
    """A read-only, repeatable-read transaction on a pooled connection of its own."""
    engine = model.meta.engine
    with engine.connect() as conn:
        with conn.begin():
            # One round trip for the settings (each is a wait of its own on a busy server).
            # The index state this snapshot sees, read in the same round trip (the last
            # statement's rows are the result): generation_token and most_rows_match use it.
            # The isolation level is set here, not through SQLAlchemy's isolation_level
            # option: that one leaves psycopg2's level set explicitly on the pooled
            # connection once reset, and psycopg2 then sends a SET of its own after every
            # pool ping of it (a round trip more per checkout, for every later user).
            conn.info[_SNAPSHOT_TOKEN] = conn.exec_driver_sql(
                "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY; "
                f"SET LOCAL statement_timeout = {int(statement_timeout_ms)}; SET LOCAL work_mem = '{WORK_MEM}';"
                f" {PLANNER}; {_TOKEN_SQL}"
            ).scalar()
            try:
                yield conn
            finally:
                # conn.info outlives the checkout: no later use of this connection may take it.
                conn.info.pop(_SNAPSHOT_TOKEN, None)


@contextlib.contextmanager
def savepoint_snapshot(conn: Any, statement_timeout_ms: int) -> Iterator[Any]:
    """Read inside the caller's open transaction, to see its own uncommitted index writes.

    A savepoint that is always rolled back: a failing or cancelled query leaves the
    caller's transaction usable, and the SET LOCALs end with the savepoint.
    """
    savepoint = conn.begin_nested()
    try:
        conn.exec_driver_sql(f"SET LOCAL statement_timeout = {int(statement_timeout_ms)}")
        conn.exec_driver_sql(f"SET LOCAL work_mem = '{WORK_MEM}'")
        conn.exec_driver_sql(PLANNER)
        yield conn
    finally:
        savepoint.rollback()


def generation(conn: Any) -> int:
    return conn.exec_driver_sql(f"SELECT value FROM {GENERATION}").scalar()


def generation_token(conn: Any) -> str:
    """Identifies the committed state of the index, for keys of cached counts.

    The counter alone can go back: a re-created table (a downgrade and upgrade of the
    migrations) or a restored backup counts again from an older value, and Redis may
    still hold counts cached under that number for another index. The row version's
    xmin (the transaction that last bumped it) is new in each of those cases. A snapshot
    read it as it began (one round trip less per search).
    """
    token = conn.info.get(_SNAPSHOT_TOKEN)
    return token if token is not None else conn.exec_driver_sql(_TOKEN_SQL).scalar()


def summary_level(fields: Iterable[str] | None) -> bool | None:
    """Which summary groups can answer a search that tests `fields` (None: text search).

    False: the site-level groups; True: the groups per organisation; None: none, the
    search must read the matching datasets. A group row carries the tested columns under
    the same names as package_doc (and `sdoc` with the organisation fields), every dataset
    of a group has those same values, so the search's own WHERE clause run on the group
    rows picks exactly the groups of the matching datasets.
    """
    if fields is None:
        return None
    tested = set(fields)
    if tested <= SUMMARY_FIELDS:
        return False
    if tested <= SUMMARY_FIELDS | SUMMARY_ORG_FIELDS:
        return True
    return None


def _summary_groups(summary: bool, where: str) -> str:
    return f"{SUMMARY_GROUPS} AS d WHERE d.by_org = {'true' if summary else 'false'} AND ({where})"


def count_sql(where: str, summary: bool | None = None) -> str:
    """The statement counting the datasets `where` selects: from the summary groups when
    summary_level() says they can answer it, else from the index's rows."""
    if summary is not None:
        return f"SELECT coalesce(sum(d.n), 0) FROM {_summary_groups(summary, where)}"
    return f"SELECT count(*) FROM {TABLE} AS d WHERE {where}"


def count(conn: Any, where: str, params: dict, summary: bool | None = None) -> int:
    return int(conn.exec_driver_sql(count_sql(where, summary), params).scalar())


def rows(
    conn: Any,
    select: str,
    where: str,
    order_by: str,
    params: dict,
    limit: int,
    offset: int,
    walk: int | None = None,
    total: int | None = None,
) -> list[dict]:
    """The page's rows; with `walk` (walk_budget) and the search's exact `total`, first
    tried on the first `walk` rows of the whole index in the sort's order.

    Those rows come from the sort's btree index, and the filters are tested on them
    only. The first `offset + limit` matches of that prefix are the first of all the
    matches, since both keep the same total order (it ends with the unique tiebreak):
    the page is exact when the prefix held a full page (`limit` rows), or every match
    after `offset` (`total - offset` rows). Otherwise the prefix held too few matches and
    the page is found as without a walk.
    """
    limit, offset = int(limit), int(offset)
    if walk is not None and total is not None:
        prefix = f"(SELECT * FROM {TABLE} AS d ORDER BY {order_by} LIMIT {int(walk)})"
        found = _rows_of(conn, select, _page_keys(prefix, where, order_by, limit, offset), params)
        if len(found) == min(limit, max(total - offset, 0)):
            return found
    # Find the page's keys first, then read the (large, out-of-line) stored columns of
    # those rows only: selecting them in the sorted query would decompress them for
    # every match.
    return _rows_of(conn, select, _page_keys(TABLE, where, order_by, limit, offset), params)


def _page_keys(rows_sql: str, where: str, order_by: str, limit: int, offset: int) -> str:
    return f"ARRAY(SELECT d.index_id FROM {rows_sql} AS d WHERE {where} ORDER BY {order_by} LIMIT {limit} OFFSET {offset})"


# First sort keys (query.compile_sort_keys) that a btree index returns in order
# (migrations 9a1c0e5b7d21, 4c7e2a9f1b30), so that a walk in that order reads rows
# from the top of the order instead of sorting the index.
_INDEX_ORDERED = frozenset(
    {
        (f"d.{column}", direction)
        for column in ("metadata_modified", "metadata_created")
        for direction in ("ASC", "DESC")
    }
    | {(f'd.{column} COLLATE "C"', "ASC NULLS LAST") for column in ("name", "title_string")}
)
# A walk reads at most this many times the rows it is expected to need.
WALK_MARGIN = 4


def walk_budget(
    conn: Any, sort_keys: list[tuple[str, str]], total: int, limit: int, offset: int
) -> int | None:
    """How many rows, in the sort's order, `rows` may read to find a page, or None.

    A search that the summary counts (no text) still had to find its page: every
    matching row, through an index on its filters, then sorted. A filter on the
    organisation rechecks each candidate's `sdoc` out of line (the jsonb_path_ops index
    is lossy): 1,630 TOAST reads for a page of 21 at 10,000 datasets (10 ms of CPU).
    Walking the sort's index instead reads about (offset + limit) x rows / total rows
    when the matches are spread evenly; the budget allows WALK_MARGIN times that, and
    is used only when it is below the number of matches (what the index on the filters
    would read).
    """
    if not sort_keys or sort_keys[0] not in _INDEX_ORDERED or limit <= 0 or total <= offset:
        return None
    indexed = conn.exec_driver_sql(f"SELECT reltuples FROM pg_class WHERE oid = '{TABLE}'::regclass").scalar()
    if not indexed or indexed <= 0:  # never analysed: no estimate to go by
        return None
    budget = WALK_MARGIN * (offset + limit) * max(int(indexed), total) // total
    return budget if budget < total else None


# Column every row read for a page carries: its index_id (the keys a cached page keeps).
PAGE_KEY = "_page_key"


def rows_by_key(conn: Any, select: str, keys: list[str], params: dict) -> list[dict]:
    """The rows of these index_ids, in this order."""
    return _rows_of(conn, select, "%(_page)s::text[]", dict(params, _page=keys)) if keys else []


def _rows_sql(select: str, keys_sql: str) -> str:
    # WITH ORDINALITY numbers the keys, to keep their order.
    return (
        f"SELECT {select}, page.index_id AS {PAGE_KEY}, page.position AS {_POSITION}"
        f" FROM unnest({keys_sql}) WITH ORDINALITY AS page(index_id, position)"
        f" JOIN {TABLE} AS d ON d.index_id = page.index_id"
    )


# Column numbering a page's rows (dropped from what the caller gets).
_POSITION = "_page_position"


def _rows_of(conn: Any, select: str, keys_sql: str, params: dict) -> list[dict]:
    result = conn.exec_driver_sql(f"{_rows_sql(select, keys_sql)} ORDER BY page.position", params)
    return [_page_row(dict(r._mapping)) for r in result]


def _page_row(row: dict) -> dict:
    row.pop(_POSITION, None)
    return row


def facets(
    conn: Any,
    where: str,
    params: dict,
    fields: list[str],
    limit: int,
    mincount: int,
    summary: bool | None = None,
) -> dict[str, list[tuple[str, int]]]:
    """Counts per value for each field over all matching rows.

    Order as Solr's: by count then value when a limit is set; by value when unlimited.
    Most fields are read from the facet summary when `summary` says its groups answer
    the search (summary_level), else from the compact facet_values column in one pass;
    the rest (dedicated columns, permission labels, text fields) from their column or
    the jsonb.
    """
    result: dict[str, list[tuple[str, int]]] = {f: [] for f in fields}
    compact = [f for f in fields if is_facet_column_field(f)]
    others = [f for f in fields if not is_facet_column_field(f)]
    params = _facet_params(params, compact, others, limit, mincount)
    counted = []  # subqueries yielding (f, v, n), n >= mincount
    if compact and summary is not None:
        counted.append(f"{_summary_counts(summary, where)} HAVING sum(c.n) >= greatest(%(_fmin)s, 1)")
    elif compact:
        counted.append(_compact_counts(f"{TABLE} AS d WHERE {where}"))
    if others:
        values = (
            "CASE WHEN f = 'permission_labels' THEN to_jsonb(d.permission_labels) "
            + "".join(f"WHEN f = '{c}' THEN jsonb_build_array(d.{c}) " for c in sorted(STRING_COLUMNS))
            + "ELSE d.sdoc -> f END"
        )
        counted.append(
            f"SELECT f, v, count(*) FROM {TABLE} AS d"
            " CROSS JOIN LATERAL unnest(%(_ff)s::text[]) AS f"
            f" CROSS JOIN LATERAL jsonb_array_elements_text(COALESCE({values}, '[]')) AS v"
            f" WHERE v IS NOT NULL AND ({where})"
            " GROUP BY f, v HAVING count(*) >= %(_fmin)s"
        )
    if not counted:
        return result
    for f, v, n, _rank in conn.exec_driver_sql(_ranked_facets(counted, limit) + " ORDER BY f, rk", params):
        result[f].append((v, n))
    return result


def _summary_counts(summary: bool, where: str) -> str:
    """(field, value, n) of the asked compact fields (%(_fc)s) over the summary groups of `where`.

    The groups' ids are found first and their counts read through the primary key
    (group_id, field, value): joined, the planner expected some 20 groups for the public
    label (there is one) and read every group's counts (21,775 rows at 100,000 datasets,
    776 of them the public group's).
    """
    return (
        f"SELECT c.field, c.value, sum(c.n) FROM {SUMMARY_COUNTS} AS c"
        f" WHERE c.group_id = ANY(ARRAY(SELECT d.id FROM {_summary_groups(summary, where)}))"
        " AND c.field = ANY(%(_fc)s) GROUP BY c.field, c.value"
    )


def _facet_params(params: dict, compact: list[str], others: list[str], limit: int, mincount: int) -> dict:
    return dict(params, _fmin=max(int(mincount), 0), _flim=int(limit), _fc=compact, _ff=others)


def _compact_counts(rows_sql: str, mincount: str = "%(_fmin)s") -> str:
    """(field, value, n) of the asked compact fields over `FROM rows_sql` (alias d).

    Every value of the rows is counted on the whole "field<US>value" string (one hash
    aggregate over a plain unnest), then the asked fields kept: testing the field of
    each value before counting costs more than counting them all. OFFSET 0 keeps the
    planner from pushing that test below the aggregate, onto every value (900,069
    values of 80,079 matches at 100,000 datasets, against 735 counted ones).
    """
    return (
        "SELECT split_part(fv, chr(31), 1), substr(fv, strpos(fv, chr(31)) + 1), n FROM ("
        f" SELECT fv, count(*) AS n FROM (SELECT unnest(d.facet_values) AS fv FROM {rows_sql}) AS u"
        f" GROUP BY fv HAVING count(*) >= {mincount} OFFSET 0) g"
        " WHERE split_part(fv, chr(31), 1) = ANY(%(_fc)s)"
    )


def _ranked_facets(counted: list[str], limit: int) -> str:
    """(f, v, n, rk): the first `limit` values of each field, Solr's order."""
    order = 'n DESC, v COLLATE "C"' if limit > 0 else 'v COLLATE "C"'
    return (
        f"SELECT f, v, n, rk FROM (SELECT f, v, n, row_number() OVER (PARTITION BY f ORDER BY {order}) AS rk"
        f" FROM ({' UNION ALL '.join(counted)}) AS c(f, v, n)"
        ") t WHERE %(_flim)s <= 0 OR rk <= %(_flim)s"
    )


def can_search_once(fields: list[str] | None) -> bool:
    """Whether search_once can count these facet fields (the compact ones only)."""
    return all(is_facet_column_field(f) for f in fields or [])


@dataclasses.dataclass(frozen=True)
class Split:
    """A search's WHERE clause as `text AND rest`, where the summary can answer `rest`.

    `text` is q (any test at all), `rest` the filters (fq, with CKAN's permission
    labels, state and site), testing only the fields summary_level accepts; `summary`
    is the level of their groups.
    """

    text: str
    rest: str
    summary: bool


# The answers of most_rows_match per index state and search (a new generation makes
# every kept answer useless anyway).
_SIDES = ProcessMemory(1024)


def most_rows_match(conn: Any, split: Split, params: dict) -> bool:
    """Whether the planner expects `text` to match more than half the rows `rest` matches.

    One EXPLAIN (planning, no execution) of both row sets. Either answer gives the same
    exact counts (search_once); it only picks which side of the text is cheaper to count.
    In a snapshot the answer is kept per index generation (its token) and search: the
    EXPLAIN cost 0.6-0.7 ms of a text search's 20-30 at 10,000 datasets, and a search
    asked again at the same index state gets the same estimates.
    """
    token = conn.info.get(_SNAPSHOT_TOKEN)
    key = None
    if token is not None:
        key = (token, split.text, split.rest, json.dumps(params, sort_keys=True, default=str))
        kept = _SIDES.get(key)
        if kept is not None:
            return kept
    plan = conn.exec_driver_sql(
        f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {TABLE} AS d WHERE ({split.rest}) AND ({split.text})"
        f" UNION ALL SELECT 1 FROM {TABLE} AS d WHERE {split.rest}",
        params,
    ).scalar()
    matches, rest = (node["Plan Rows"] for node in plan[0]["Plan"]["Plans"])
    answer = 2 * matches > rest
    if key is not None:
        _SIDES.keep(key, answer)
    return answer


def search_once(
    conn: Any,
    where: str,
    params: dict,
    sort_keys: list[tuple[str, str]],
    limit: int,
    offset: int,
    fields: list[str],
    facet_limit: int,
    mincount: int,
    complement: Split | None = None,
    sample_pages: int | None = None,
    select: str | None = None,
) -> tuple[int, dict[str, list[tuple[str, int]]], list[str], list[dict] | None]:
    """Count, facet counts and the page's index_ids of a search, reading its matches once.

    For the searches the summary cannot answer (text, tags, ...): the matching rows are
    found once, with their facet values and sort keys, and counted, faceted and sorted
    from that set; count, facets and rows as three statements each found (and tested
    the text of) every matching row again. Facet fields must be compact (can_search_once).

    With `complement` (`where` is its text AND rest; most_rows_match says the text
    matches most of the rest's rows), the rows of `rest` are read once, each marked
    whether the text matches it, and the facets are counted over the rows it does NOT
    match, then subtracted from the summary's exact counts for `rest`: a word in 80% of
    the datasets counts the values of the other 20%, a quarter of the work, to the same
    numbers (the summary is exact per permission label, and read in the same snapshot).
    Only the matches that can reach the page are kept then (page_threshold), and their
    number is the summary's count for `rest` minus the misses; `sample_pages` overrides
    the sample's size (tests).

    With `select` (as for rows_by_key), the page's rows are read in the same statement
    and returned as rows_by_key returns them (else None): a round trip less. They come
    back as JSON (json_agg of each row): what a column holds as text or jsonb, and
    numbers, read back the same.
    """
    params = _facet_params(params, fields, [], facet_limit, mincount)
    # Past every row either way; PostgreSQL refuses an OFFSET beyond bigint (a feed's page=10**20).
    offset = min(int(offset), MAX_OFFSET)
    # The tiebreak (d.index_id) is read from m's own index_id instead of a second copy of
    # it in every kept row.
    kept = [(f"k{i}", expr) for i, (expr, _) in enumerate(sort_keys) if expr != TIEBREAK]
    order = ", ".join(
        f"{'index_id' if expr == TIEBREAK else f'k{i}'} {direction}".rstrip()
        for i, (expr, direction) in enumerate(sort_keys)
    )
    keys = "".join(f", {expr} AS {name}" for name, expr in kept)
    ctes = ""
    total_sql = None
    if complement is not None and fields:
        # The text tested once per row (OFFSET 0 keeps the planner from copying the test
        # into each use of `hit`); sort keys (the rank) kept for the matches only, facet
        # values for the misses only: 10% less CPU than keeping both for every row.
        hit_keys = "".join(f", CASE WHEN h.hit THEN {expr} END AS {name}" for name, expr in kept)
        hit = f"SELECT coalesce(({complement.text}), false) AS hit OFFSET 0"
        keep = ""
        threshold = _page_threshold(complement, sort_keys, limit, offset, sample_pages)
        if threshold is not None:
            # The first sort key computed once per row, beside `hit`, for the test below
            # and the page's sort; the other keys only for the rows kept.
            first = kept[0][1]
            hit_keys = "".join(f", CASE WHEN h.hit THEN {expr} END AS {name}" for name, expr in kept[1:])
            hit = f"SELECT x.hit, CASE WHEN x.hit THEN {first} END AS k0 FROM ({hit}) AS x OFFSET 0"
            hit_keys = ", h.k0" + hit_keys
            ctes = f"t AS MATERIALIZED (SELECT ({threshold}) AS v), "
            keep = f" AND (NOT h.hit OR t.v IS NULL OR {_not_after('h.k0', sort_keys[0][1], 't.v')})"
            # Every row of `rest` is a match or a miss: the matches are the summary's
            # count for `rest` minus the misses, all of which are kept.
            total_sql = (
                f"(SELECT coalesce(sum(d.n), 0) FROM {_summary_groups(complement.summary, complement.rest)})"
                " - (SELECT count(*) FROM m WHERE NOT hit)"
            )
        found = (
            "SELECT d.index_id, CASE WHEN h.hit THEN NULL ELSE d.facet_values END AS facet_values, h.hit"
            f"{hit_keys} FROM {'t, ' if keep else ''}{TABLE} AS d"
            f" CROSS JOIN LATERAL ({hit}) AS h"
            f" WHERE {complement.rest}{keep}"
        )
        matches = "m WHERE hit"
        counted = summary_minus_counts(complement, "m AS d WHERE NOT d.hit")
    else:
        found = f"SELECT d.index_id, d.facet_values{keys} FROM {TABLE} AS d WHERE {where}"
        matches = "m"
        counted = _compact_counts("m AS d")
    sql = (
        f"WITH {ctes}m AS MATERIALIZED ({found}),"
        f" p AS MATERIALIZED (SELECT ARRAY(SELECT index_id FROM {matches} ORDER BY {order}"
        f" LIMIT {int(limit)} OFFSET {int(offset)}) AS keys)"
        f" SELECT {total_sql or f'(SELECT count(*) FROM {matches})'},"
        f" {answer_columns(counted if fields else None, facet_limit, select)} FROM p"
    )
    return read_answer(conn.exec_driver_sql(sql, params).one(), fields)


def summary_minus_counts(split: Split, misses_sql: str) -> str:
    """(f, v, n) of the asked compact fields: the summary's counts for `split.rest` minus
    those of the rows `FROM misses_sql` (alias d), values left with n >= 1 and mincount."""
    return (
        "SELECT f, v, n FROM (SELECT s.f, s.v, s.n - coalesce(x.n, 0)"
        f" FROM ({_summary_counts(split.summary, split.rest)}) AS s(f, v, n)"
        f" LEFT JOIN ({_compact_counts(misses_sql, mincount='1')}) AS x(f, v, n)"
        " ON x.f = s.f AND x.v = s.v) AS c(f, v, n) WHERE n >= greatest(%(_fmin)s, 1)"
    )


def answer_columns(counted: str | None, facet_limit: int, select: str | None) -> str:
    """The facets (of the `counted` subquery, or none) and the page's rows (of `select`,
    or NULL) of a statement whose CTE `p` holds the page's keys: p.keys and both, as
    read_answer reads them after the count."""
    facets_sql = "'[]'::json"
    if counted is not None:
        facets_sql = (
            "(SELECT coalesce(json_agg(json_build_array(f, v, n) ORDER BY f, rk), '[]'::json)"
            f" FROM ({_ranked_facets([counted], facet_limit)}) AS r)"
        )
    page_rows = "NULL::json"
    if select is not None:
        page_rows = (
            f"(SELECT coalesce(json_agg(r ORDER BY r.{_POSITION}), '[]'::json)"
            f" FROM ({_rows_sql(select, 'p.keys')}) AS r)"
        )
    return f"p.keys, {facets_sql}, {page_rows}"


def read_answer(
    row: Any, fields: list[str]
) -> tuple[int, dict[str, list[tuple[str, int]]], list[str], list[dict] | None]:
    """(count, facets, page keys, page rows) from a row of count, answer_columns."""
    total, page, counted_rows, docs = row
    result: dict[str, list[tuple[str, int]]] = {f: [] for f in fields}
    for f, v, n in counted_rows:
        result[f].append((v, int(n)))
    return int(total), result, list(page), None if docs is None else [_page_row(d) for d in docs]


# Pages a text search samples for its page threshold, per row of the page (offset +
# limit), and the deepest page it is tried for.
SAMPLE_PAGES_PER_ROW = 4
SAMPLE_PAGES_MIN = 64
THRESHOLD_MAX_ROWS = 1000


def _page_threshold(
    split: Split, sort_keys: list[tuple[str, str]], limit: int, offset: int, sample_pages: int | None
) -> str | None:
    """SQL of a value of the first sort key that no row of the page sorts after, or None.

    A word in most datasets ranks (and kept the sort keys of) every match, 80,079 of
    100,000 datasets, to sort out a page of 20. The matches among the first table pages
    are real matches: when `offset + limit` of them are found, the page's rows sort no
    later than the last of those on the first key (the page is the first `offset +
    limit` of all matches, which include these), so every match sorting after it on
    that key can be dropped before the page is sorted; ties with it are kept, and the
    page, sorted on the full key down to the unique index_id, is the one of all matches.
    Found fewer (a sample of few matches, a deep page), the value is NULL and every
    match is kept. None when the first key is the tiebreak or the page is empty or deep.
    """
    rows = offset + limit
    if not sort_keys or sort_keys[0][0] == TIEBREAK or limit <= 0 or rows > THRESHOLD_MAX_ROWS:
        return None
    pages = max(SAMPLE_PAGES_MIN, SAMPLE_PAGES_PER_ROW * rows) if sample_pages is None else int(sample_pages)
    expr, direction = sort_keys[0]
    return (
        f"SELECT s.k FROM (SELECT {expr} AS k FROM {TABLE} AS d WHERE d.ctid < '({pages},0)'::tid"
        f" AND ({split.rest}) AND ({split.text}) ORDER BY k {direction} LIMIT {rows}) AS s OFFSET {rows - 1}"
    )


def _not_after(key: str, direction: str, bound: str) -> str:
    """SQL true when `key` sorts before `bound` or ties with it, in the order `direction`.

    A non-NULL bound: NULL keys sort last (ASC, and DESC NULLS LAST) or first (DESC).
    """
    words = direction.upper().split()
    if words and words[0] == "DESC":
        test = f"{key} >= {bound}"
        return test if words[-2:] == ["NULLS", "LAST"] else f"({key} IS NULL OR {test})"
    if words[-2:] == ["NULLS", "FIRST"]:
        return f"({key} IS NULL OR {key} <= {bound})"
    return f"{key} <= {bound}"


# Frequent words (migration a6d2f8b4c0e1): one-word text searches whose word is in most
# datasets, kept as the SQL the query translator writes for them; for each, a narrow row
# per match (its rank computed by that SQL at each index write) and a row per miss.
FREQUENT_WORDS = "layananpublik_search.frequent_word"
WORD_HITS = "layananpublik_search.word_hit"
WORD_MISSES = "layananpublik_search.word_miss"
# Who kept a word (migration f2c4e6a8b0d1), and the searches the operator removed.
REFUSED_WORDS = "layananpublik_search.refused_word"
OPERATOR = "operator"
SEARCHES = "searches"
# Sort keys a word's hit rows can sort on: the rank (stored as k), and these columns.
_WORD_SORT_COLUMNS = frozenset({"d.metadata_modified", TIEBREAK})


def add_frequent_word(conn: Any, q: str, text_sql: str, rank_sql: str, chosen_by: str = OPERATOR) -> int:
    """Keep side tables for the search whose text test and rank are these (rendered) SQL;
    its rows for every indexed document are written now, in the caller's transaction.
    The operator adding a word lifts its refusal (refused_word)."""
    _bump_generation(conn)
    sides = {"q": q, "t": text_sql, "r": rank_sql, "by": chosen_by}
    if chosen_by == OPERATOR:
        conn.exec_driver_sql(
            f"DELETE FROM {REFUSED_WORDS} WHERE text_sql = %(t)s AND rank_sql = %(r)s", sides
        )
    word_id = conn.exec_driver_sql(
        f"INSERT INTO {FREQUENT_WORDS} (q, text_sql, rank_sql, chosen_by) VALUES (%(q)s, %(t)s, %(r)s, %(by)s)"
        " RETURNING id",
        sides,
    ).scalar()
    fill = conn.exec_driver_sql(
        f"SELECT layananpublik_search.word_fill_sql(%(id)s, %(t)s, %(r)s, '{TABLE}')",
        {"id": word_id, "t": text_sql, "r": rank_sql},
    ).scalar()
    conn.exec_driver_sql(fill)
    return int(word_id)


def remove_frequent_word(conn: Any, word_id: int, refuse: bool = False) -> None:
    """Drop a word's side tables; `refuse` (the operator removing it) records it so that
    searches never keep it again automatically."""
    _bump_generation(conn)
    if refuse:
        conn.exec_driver_sql(
            f"INSERT INTO {REFUSED_WORDS} (text_sql, rank_sql, q) SELECT text_sql, rank_sql, q"
            f" FROM {FREQUENT_WORDS} WHERE id = %(id)s ON CONFLICT DO NOTHING",
            {"id": int(word_id)},
        )
    for table in (WORD_HITS, WORD_MISSES):
        conn.exec_driver_sql(f"DELETE FROM {table} WHERE word_id = %(id)s", {"id": int(word_id)})
    conn.exec_driver_sql(f"DELETE FROM {FREQUENT_WORDS} WHERE id = %(id)s", {"id": int(word_id)})


@dataclasses.dataclass(frozen=True)
class KeptWord:
    id: int
    q: str
    text_sql: str
    rank_sql: str
    chosen_by: str


def kept_words(conn: Any) -> list[KeptWord]:
    return [
        KeptWord(int(i), q, t, r, by)
        for i, q, t, r, by in conn.exec_driver_sql(
            f"SELECT id, q, text_sql, rank_sql, chosen_by FROM {FREQUENT_WORDS} ORDER BY id"
        )
    ]


def refused_words(conn: Any) -> set[tuple[str, str]]:
    """(text_sql, rank_sql) of the searches the operator removed."""
    return {(t, r) for t, r in conn.exec_driver_sql(f"SELECT text_sql, rank_sql FROM {REFUSED_WORDS}")}


def make_operators_word(conn: Any, word_id: int) -> None:
    conn.exec_driver_sql(
        f"UPDATE {FREQUENT_WORDS} SET chosen_by = %(by)s WHERE id = %(id)s",
        {"by": OPERATOR, "id": int(word_id)},
    )


# The frequent word of a search's text test and rank per index state (a word added or
# removed moves the generation), and the kept words themselves per index state: one
# statement per state, not one per search.
_WORDS = ProcessMemory(1024)
_KEPT = ProcessMemory(64)


def frequent_word(conn: Any, split: Split, rank: str, params: dict) -> int | None:
    """The frequent word whose side tables answer this search's text, or None."""
    token = conn.info.get(_SNAPSHOT_TOKEN)
    key = (token, split.text, rank, json.dumps(params, sort_keys=True, default=str))
    if token is not None and (known := _WORDS.get(key)) is not None:
        return known or None
    kept = _KEPT.get(token) if token is not None else None
    if kept is None:
        kept = {(w.text_sql, w.rank_sql): w.id for w in kept_words(conn)}
        if token is not None:
            _KEPT.keep(token, kept)
    found = kept.get((render(conn, split.text, params), render(conn, rank, params))) if kept else None
    if token is not None:
        _WORDS.keep(key, found or 0)
    return found


# The site's active documents per index state (searched_words' share of a search).
_ACTIVE = ProcessMemory(64)


def active_documents(conn: Any, site_id: str) -> int:
    """The site's active documents, from the summary: one statement per index state."""
    token = conn.info.get(_SNAPSHOT_TOKEN)
    key = (token, site_id)
    if token is not None and (known := _ACTIVE.get(key)) is not None:
        return known
    n = int(
        conn.exec_driver_sql(
            f"SELECT coalesce(sum(n), 0) FROM {SUMMARY_GROUPS} WHERE NOT by_org AND site_id = %(site)s"
            " AND state = 'active'",
            {"site": site_id},
        ).scalar()
    )
    if token is not None:
        _ACTIVE.keep(key, n)
    return n


def word_order(sort_keys: list[tuple[str, str]], rank: str) -> str | None:
    """The ORDER BY of these sort keys over a word's hit rows, None when they sort on
    something else. The relevance order (rank, metadata_modified, both descending) is
    the order of the hit rows' btree."""
    order = []
    for expr, direction in sort_keys:
        if expr != rank and expr not in _WORD_SORT_COLUMNS:
            return None
        order.append(f"{'d.k' if expr == rank else expr} {direction}".rstrip())
    return ", ".join(order)


def search_frequent(
    conn: Any,
    word_id: int,
    order: str,
    params: dict,
    limit: int,
    offset: int,
    fields: list[str],
    facet_limit: int,
    mincount: int,
    split: Split,
    select: str | None = None,
) -> tuple[int, dict[str, list[tuple[str, int]]], list[str], list[dict] | None]:
    """search_once's answer for a frequent word's search, from its side tables.

    The page is the first hit rows, in the sort's `order` (word_order), that pass the
    filters (`split.rest`, on the same columns); every row of `rest` is a hit or a miss,
    so the count is the summary's for `rest` minus the misses in `rest`, and the facets
    the summary's counts minus the misses' (as with a Split): no row is ranked or has
    its text tested.
    """
    params = dict(_facet_params(params, fields, [], facet_limit, mincount), _word=int(word_id))
    offset = min(int(offset), MAX_OFFSET)
    counted = summary_minus_counts(split, "miss AS d") if fields else None
    sql = (
        f"WITH miss AS MATERIALIZED (SELECT d.facet_values FROM {WORD_MISSES} AS d"
        f" WHERE d.word_id = %(_word)s AND ({split.rest})),"
        f" p AS MATERIALIZED (SELECT ARRAY(SELECT d.index_id FROM {WORD_HITS} AS d"
        f" WHERE d.word_id = %(_word)s AND ({split.rest}) ORDER BY {order}"
        f" LIMIT {int(limit)} OFFSET {offset}) AS keys)"
        f" SELECT (SELECT coalesce(sum(d.n), 0) FROM {_summary_groups(split.summary, split.rest)})"
        f" - (SELECT count(*) FROM miss), {answer_columns(counted, facet_limit, select)} FROM p"
    )
    return read_answer(conn.exec_driver_sql(sql, params).one(), fields)


def common_lexemes(conn: Any, site_id: str) -> list[tuple[str, int, float]]:
    """(lexeme, documents, share) of the lexemes in more than half of the site's active
    documents, most common first: candidates for frequent words (each stemming config's
    lexemes, the `simple` one being the word as typed, accent-folded and lower-cased)."""
    rows = f"SELECT tsv FROM {TABLE} WHERE site_id = %(site)s AND state = 'active'"
    params = {"site": site_id}
    total = conn.exec_driver_sql(f"SELECT count(*) FROM ({rows}) AS r", params).scalar()
    if not total:
        return []
    found = conn.exec_driver_sql(
        "SELECT word, ndoc FROM ts_stat(%(rows)s) WHERE 2 * ndoc > %(n)s ORDER BY ndoc DESC, word",
        {"rows": render(conn, rows, params), "n": total},
    )
    return [(word, int(n), n / total) for word, n in found]
