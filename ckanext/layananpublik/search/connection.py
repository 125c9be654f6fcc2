"""A pysolr.Solr look-alike that answers CKAN's Solr calls from PostgreSQL.

CKAN's search layer (ckan.lib.search) builds Solr documents and Solr query strings
and hands them to `make_connection()`; we return this object instead, so every line
of CKAN's own search code (document building, permission labels, fq assembly, error
mapping, the package_show cache, the CLI) keeps running unchanged. Only add, delete,
commit and search are used by CKAN core.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import json
import logging
from collections.abc import Iterator
from typing import Any

import pysolr
import sqlalchemy.exc as sa_exc
from ckan.common import config

from ckanext.layananpublik.cases.sql import render
from ckanext.layananpublik.search import searched_words, settings, store
from ckanext.layananpublik.search.document import as_list
from ckanext.layananpublik.search.query import (
    Compiled,
    ParamBag,
    QuerySyntaxError,
    SortError,
    compile_dismax,
    compile_sort,
    compile_sort_keys,
    compile_standard,
)

log = logging.getLogger(__name__)

DEFAULT_SORT = "score desc, metadata_modified desc"
MISSING_TABLE_HINT = "The search index table is missing: run `ckan db upgrade -p layananpublik_search`."


# Documents added inside batched_writes(), not written yet.
_held: contextvars.ContextVar[list[dict] | None] = contextvars.ContextVar(
    "layananpublik_search_held", default=None
)


@contextlib.contextmanager
def batched_writes() -> Iterator[None]:
    """Hold back the documents CKAN adds inside, and write them together on leaving.

    A bulk reindex then costs one multi-row upsert (and one run of the summary triggers)
    per batch instead of a few statements per dataset. A delete or a search inside
    writes what is held first, so they see the index as Solr would. Nothing held is
    written when the block fails.
    """
    held: list[dict] = []
    token = _held.set(held)
    try:
        yield
    finally:
        _held.reset(token)
    if held:
        _write(held)


def _write(docs: list[dict]) -> None:
    languages = settings.languages()
    with _solr_errors(), store.write_transaction() as conn:
        store.upsert(conn, docs, languages)


def _write_held() -> None:
    held = _held.get()
    if held:
        docs = list(held)
        held.clear()
        _write(docs)


def _field_list(fl: Any) -> list[str]:
    names: list[str] = []
    for item in as_list(fl):
        names += [n for n in str(item).replace(",", " ").split() if n]
    return names


class PostgresSolrConnection:
    """pysolr.Solr's add/delete/commit/search over the `layananpublik_search` tables."""

    def __init__(self, decode_dates: bool = True) -> None:
        self.decode_dates = decode_dates
        self.url = f"postgresql-search:{model_url()}"

    # -- writes -----------------------------------------------------------------
    def add(self, docs: list[dict], commit: bool | None = None, **kwargs: Any) -> str:
        held = _held.get()
        if held is not None:
            held.extend(docs)
        else:
            _write(list(docs))
        return ""

    def delete(self, id: Any = None, q: str | None = None, commit: bool | None = None, **kw: Any) -> str:
        _write_held()
        bag = ParamBag()
        if id is not None:
            where = f"d.index_id = ANY({bag.add([str(i) for i in as_list(id)])})"
        elif q is not None:
            with _solr_errors():
                where = compile_standard(q, bag).where
        else:
            raise ValueError("You must specify 'id' or 'q'.")
        with _solr_errors(), store.write_transaction() as conn:
            store.delete_where(conn, where, bag.params)
        return ""

    def commit(self, **kwargs: Any) -> str:
        # Writes join the caller's transaction when there is one (store.write_transaction).
        # CKAN asks for an explicit commit only after clearing the index and after bulk
        # (re)indexing, where Solr would make the change visible at once: commit it.
        # Note this commits the caller's whole session, as CKAN's callers expect.
        from ckan import model

        model.Session.commit()
        return ""

    # -- reads ------------------------------------------------------------------
    def search(self, q: str | None = None, **params: Any) -> pysolr.Results:
        _write_held()
        bag = ParamBag()
        with _solr_errors():
            compiled = _compile_q(q or "*:*", params, bag)
            filters = [compile_standard(fq, bag) for fq in as_list(params.get("fq")) if fq and fq.strip()]
            where = [compiled.where] + [f.where for f in filters]
            summary = store.summary_level(_tested_fields([compiled, *filters]))
            sort = params.get("sort") or DEFAULT_SORT
            order_by = compile_sort(sort, compiled.rank)  # a malformed sort fails before any query
        where_sql = " AND ".join(f"({w})" for w in where)
        rows = int(params.get("rows", 10))
        start = int(params.get("start", 0))
        facet_fields = _facet_fields(params)
        # While this thread's transaction holds index writes of its own, read inside it:
        # Solr shows a write as soon as it is made, and CKAN relies on that (e.g. its
        # rebuild/clear helpers and tests index, then search, before any commit).
        own = store.pending_writes_connection()
        if own is not None:
            summary = None  # the summary takes this transaction's writes at its commit
        timeout = settings.statement_timeout_ms()
        reading = store.snapshot(timeout) if own is None else store.savepoint_snapshot(own, timeout)
        with _solr_errors(), reading as conn:
            # Cached counts are keyed to committed generations; uncommitted ones must not enter.
            counts = _Counts(conn, where_sql, bag.params, facet_fields, params, cache=own is None)
            cached = counts.cached()
            select = _select_list(params.get("fl"), compiled.rank, bag)
            ordering = (sort, compiled.rank, rows, start)
            page = counts.cached_page(ordering) if cached is not None else None
            if page is not None:
                # The same search at the same committed index state: its counts and the
                # keys of this page, as ranked and sorted in full when first asked.
                total, facets = cached
                docs = store.rows_by_key(conn, select, page, bag.params)
            elif cached is None and summary is None and store.can_search_once(facet_fields):
                # Text and other searches the summary cannot answer: find the matches once.
                sort_keys = compile_sort_keys(_present_sort_fields(conn, sort), compiled.rank)
                split = _split(compiled, filters) if own is None and counts.fields else None
                word, word_order = None, None
                one_word = split  # kept for _note_searched: split is dropped below when few rows match
                if split is not None and compiled.rank is not None:
                    word_order = store.word_order(sort_keys, compiled.rank)
                    if word_order is not None:
                        word = store.frequent_word(conn, split, compiled.rank, bag.params)
                if word is not None and split is not None and word_order is not None:
                    # A word in most datasets with side tables: no row ranked or tested.
                    total, facets, page, docs = store.search_frequent(
                        conn, word, word_order, bag.params, rows, start, counts.fields,
                        counts.limit, counts.mincount, split, select=select,
                    )  # fmt: skip
                else:
                    if split is not None and not store.most_rows_match(conn, split, bag.params):
                        split = None
                    total, facets, page, docs = store.search_once(
                        conn,
                        where_sql,
                        bag.params,
                        sort_keys,
                        rows,
                        start,
                        counts.fields,
                        counts.limit,
                        counts.mincount,
                        complement=split,
                        select=select,  # the page's rows read in the same statement
                    )
                if one_word is not None and word_order is not None and compiled.rank is not None:
                    _note_searched(conn, q, one_word, compiled.rank, bag.params, word, total)
                counts.keep(total, facets)
                counts.keep_page(ordering, page)
            else:
                if cached is None:
                    total = store.count(conn, where_sql, bag.params, summary)
                    facets = {}
                    if counts.fields:
                        facets = store.facets(
                            conn, where_sql, bag.params, counts.fields, counts.limit, counts.mincount, summary
                        )
                    counts.keep(total, facets)
                else:
                    total, facets = cached
                docs = []
                if rows > 0 and total > start:
                    present = _present_sort_fields(conn, sort)
                    if present != sort:
                        order_by = compile_sort(present, compiled.rank)
                    keys = compile_sort_keys(present, compiled.rank)
                    walk = store.walk_budget(conn, keys, total, rows, start)
                    docs = store.rows(
                        conn, select, where_sql, order_by, bag.params, rows, start, walk=walk, total=total
                    )
                counts.keep_page(ordering, [d[store.PAGE_KEY] for d in docs])
        decoded = {
            "responseHeader": {"status": 0, "QTime": 0},
            "response": {"numFound": total, "start": start, "docs": [self._doc(d) for d in docs]},
        }
        if facet_fields is not None:
            decoded["facet_counts"] = {
                "facet_queries": {},
                "facet_fields": {f: [x for pair in facets[f] for x in pair] for f in facet_fields},
            }
        return pysolr.Results(decoded)

    def _doc(self, row: dict) -> dict:
        row.pop(store.PAGE_KEY, None)
        doc = dict(row.pop("_doc", None) or {}, **{k: v for k, v in row.items() if v is not None})
        if self.decode_dates:
            doc = {k: _decode_date(v) for k, v in doc.items()}
        return doc


def model_url() -> str:
    from ckan import model

    engine = getattr(model.meta, "engine", None)
    return engine.url.render_as_string(hide_password=True) if engine is not None else "unbound"


# Sort keys every document has (or `score`): no need to look them up.
_ALWAYS_PRESENT = {"score", "metadata_modified", "metadata_created", "name", "title_string", "id", "index_id"}


def _present_sort_fields(conn: Any, sort: str) -> str:
    """The sort without fields no document has ever had.

    Sorting on an absent field is a legal no-op in Solr (CKAN's home page sorts by
    `view_recent`, which exists only with tracking); here it would still cost reading a
    value from every matching row.
    """
    specs = [s.strip() for s in sort.split(",") if s.strip()]
    fields = [spec.split()[0] for spec in specs]
    if all(f in _ALWAYS_PRESENT for f in fields):
        return sort
    known = store.field_names(conn) | _ALWAYS_PRESENT
    kept = [spec for spec, field in zip(specs, fields, strict=True) if field in known]
    return ", ".join(kept) or "score desc"


def _tested_fields(compiled: list[Compiled]) -> set[str] | None:
    """Every field q and fq test, None when one of them searches text."""
    fields: set[str] = set()
    for part in compiled:
        if part.fields is None:
            return None
        fields |= part.fields
    return fields


def _split(compiled: Compiled, filters: list[Compiled]) -> store.Split | None:
    """q as the text and the filters as the rest, when the summary can answer the filters."""
    level = store.summary_level(_tested_fields(filters))
    if level is None:
        return None
    rest = " AND ".join(f"({f.where})" for f in filters) or "true"
    return store.Split(text=compiled.where, rest=rest, summary=level)


def word_sql(conn: Any, q: str) -> tuple[str, str]:
    """The text test and rank of `q` searched alone by package_search (dismax with CKAN's
    qf and mm), rendered: what a kept word is matched on (store.frequent_word)."""
    from ckan.lib.search.query import QUERY_FIELDS

    bag = ParamBag()
    compiled = _compile_q(q, {"defType": "dismax", "qf": QUERY_FIELDS, "mm": "2<-1 5<80%"}, bag)
    if compiled.rank is None:
        raise ValueError(f"{q!r} has no text to rank")
    return render(conn, compiled.where, bag.params), render(conn, compiled.rank, bag.params)


def add_frequent_word(q: str) -> int:
    """Keep side tables for `q` searched alone by package_search (store.add_frequent_word),
    as the operator's word.

    Its text test and rank are compiled as CKAN sends such a search and kept rendered
    (word_sql): a search uses the tables only when its own, rendered, are the same SQL, so
    a word kept in another form is never used, never wrong. Written and committed in a
    transaction of its own (it concerns no dataset being changed)."""
    from ckan import model

    with model.meta.engine.begin() as conn:  # its own transaction, committed on leaving
        return store.add_frequent_word(conn, q, *word_sql(conn, q))


def _note_searched(
    conn: Any, q: str | None, split: store.Split, rank: str, params: dict, word: Any, total: int
) -> None:
    """Count a one-word search for searched_words: answered from a kept word's tables, or
    slow (no tables) with matches in at least min_percent % of the site's active documents and
    the very text test and rank a kept `q` would have."""
    q = (q or "").strip()
    if not q or len(q) > searched_words.MAX_CHARS or not searched_words.counting():
        return
    if word is not None:
        searched_words.note(q, slow=False)
        return
    active = store.active_documents(conn, config.get("ckan.site_id"))
    if not active or total < settings.searched_words_min_share() * active:
        return
    try:
        sides = word_sql(conn, q)
    except (ValueError, QuerySyntaxError):
        return
    if sides == (render(conn, split.text, params), render(conn, rank, params)):
        searched_words.note(q, slow=True)


def _compile_q(q: str, params: dict, bag: ParamBag) -> Compiled:
    def_type = params.get("defType")
    if def_type == "dismax":
        return compile_dismax(q, bag, qf=params.get("qf"), mm=params.get("mm"))
    return compile_standard(q, bag, df=params.get("df") or "text")


def _facet_fields(params: dict) -> list[str] | None:
    """Requested facet fields, or None when facets are off (Solr then omits facet_counts)."""
    if str(params.get("facet", "false")).lower() != "true":
        return None
    return [str(f) for f in as_list(params.get("facet.field"))]


class _Counts:
    """Total, facet counts and page keys of one search, kept in Redis per committed index state.

    A page is kept as the index_ids its full ranking and sort gave, under the counts'
    key (the search's WHERE clause and parameters, so its permission labels, and the
    index generation) plus its sort, rank, rows and start: a repeated search reads those
    rows by key instead of ranking every match again (a word in 80% of 100,000 datasets
    ranks 80,000 rows for each page), and gets the very page full ranking gives, since
    any index write moves the generation first.
    """

    def __init__(
        self, conn: Any, where: str, params: dict, fields: list[str] | None, solr_params: dict, cache: bool
    ):
        self.fields = fields or []
        self.limit = int(solr_params.get("facet.limit", 50))
        self.mincount = int(solr_params.get("facet.mincount", 1))
        self.ttl = settings.facet_cache_ttl() if cache else 0
        self.key = None
        if self.ttl:
            identity = json.dumps(
                [where, params, fields, self.limit, self.mincount], sort_keys=True, default=str
            )
            digest = hashlib.sha1(identity.encode()).hexdigest()
            self.key = (
                f"layananpublik:search:{config.get('ckan.site_id')}:{store.generation_token(conn)}:{digest}"
            )

    def cached(self) -> tuple[int, dict] | None:
        found = _cache_get(self.key) if self.key else None
        if found is None:
            return None
        return found["count"], {f: [tuple(p) for p in v] for f, v in found["facets"].items()}

    def keep(self, total: int, facets: dict) -> None:
        if self.key:
            _cache_set(self.key, {"count": total, "facets": facets}, self.ttl)

    def _page_key(self, ordering: tuple) -> str:
        digest = hashlib.sha1(json.dumps(list(ordering), default=str).encode()).hexdigest()
        return f"{self.key}:page:{digest}"

    def cached_page(self, ordering: tuple) -> list[str] | None:
        found = _cache_get(self._page_key(ordering)) if self.key else None
        return found.get("keys") if isinstance(found, dict) else None

    def keep_page(self, ordering: tuple, keys: list[str]) -> None:
        if self.key:
            _cache_set(self._page_key(ordering), {"keys": keys}, self.ttl)


def _cache_get(key: str) -> dict | None:
    from ckan.lib.redis import connect_to_redis

    try:
        raw = connect_to_redis().get(key)
        return json.loads(raw) if raw else None
    except Exception:  # a cache that is down (or a damaged entry) must not take search down
        log.warning("search cache unavailable", exc_info=True)
        return None


def _cache_set(key: str, value: dict, ttl: int) -> None:
    from ckan.lib.redis import connect_to_redis

    try:
        connect_to_redis().set(key, json.dumps(value), ex=ttl)
    except Exception:
        log.warning("search cache unavailable", exc_info=True)


# Columns holding what Solr stores; everything else comes from the `doc` jsonb.
_BLOBS = ("data_dict", "validated_data_dict")


def _select_list(fl: Any, rank: str | None, bag: ParamBag) -> str:
    names = _field_list(fl) or ["*"]
    cols = ["d.doc AS _doc"]
    for blob in _BLOBS:
        if blob in names or "*" in names:
            cols.append(f"d.{blob}")
    if "score" in names:
        cols.append(f"({rank or '1.0'})::float8 AS score")
    if "*" not in names:
        # Keep only the requested stored fields of the doc.
        keys = [n for n in names if n not in _BLOBS and n != "score"]
        cols[0] = (
            "jsonb_strip_nulls(jsonb_build_object("
            # Field names come from the user's `fl`: bind them, never paste them.
            + ", ".join(f"{bag.add(k)}::text, d.doc -> {bag.add(k)}::text" for k in keys)
            + ")) AS _doc"
            if keys
            else "'{}'::jsonb AS _doc"
        )
    return ", ".join(cols)


def _decode_date(value: Any) -> Any:
    # What pysolr's decoder does for CKAN (ckan.lib.search.common.solr_datetime_decoder).
    if isinstance(value, str) and pysolr.DATETIME_REGEX.search(value):
        from ckan.lib.search.common import solr_datetime_decoder

        return solr_datetime_decoder({"v": value})["v"]
    return value


class _solr_errors:
    """Map our failures onto the pysolr errors whose text CKAN's search layer reads."""

    def __enter__(self) -> _solr_errors:
        return self

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> bool:
        if exc is None or isinstance(exc, pysolr.SolrError):
            return False
        if isinstance(exc, SortError):
            raise pysolr.SolrError(f"Can't determine a Sort Order: {exc}") from exc
        if isinstance(exc, QuerySyntaxError):
            raise pysolr.SolrError(f"org.apache.solr.search.SyntaxError: {exc}") from exc
        pgcode = getattr(getattr(exc, "orig", None), "pgcode", None)
        if isinstance(exc, sa_exc.OperationalError) and pgcode == "57014":
            raise pysolr.SolrError("Search took too long and was cancelled") from exc
        # No SQLSTATE (the server never answered) or class 08: the database is unreachable,
        # which CKAN reports as a connection error. Deadlocks and the like are not.
        if isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError)) and (
            pgcode is None or pgcode.startswith("08")
        ):
            raise pysolr.SolrError(f"Failed to connect to server: {exc}") from exc
        if isinstance(exc, sa_exc.ProgrammingError) and "package_doc" in str(exc):
            raise pysolr.SolrError(MISSING_TABLE_HINT) from exc
        if isinstance(exc, sa_exc.DBAPIError):
            raise pysolr.SolrError(f"Search failed: {exc.orig}") from exc
        return False
