"""SQL for the search index table: writes join the caller's transaction, reads get a snapshot.

Writes go through CKAN's `model.Session` connection, so a dataset and its index row
commit or roll back together (CKAN 2.11 indexes from the session's before_commit hook;
2.12 just before `model.repo.commit()`). Reads use a pooled connection of their own in
a REPEATABLE READ, READ ONLY transaction: count, facets and rows come from one snapshot,
and a bad query can never abort the caller's transaction.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from ckan import model

from ckanext.layananpublik.search.document import to_row

TABLE = "layananpublik_search.package_doc"
GENERATION = "layananpublik_search.generation"
BASE_CONFIG = "simple"

_COLUMNS = (
    "index_id", "site_id", "id", "name", "entity_type", "dataset_type", "state",
    "capacity", "permission_labels", "metadata_created", "metadata_modified",
    "title_string", "doc", "sdoc", "tdoc", "data_dict", "validated_data_dict",
)  # fmt: skip
_UPDATES = ", ".join(f"{c} = EXCLUDED.{c}" for c in _COLUMNS[1:] + ("tsv",))


def _tsv_sql(n_configs: int) -> str:
    """Weighted vector over every stemming config (params cfg0..cfgN), concatenated."""
    parts = [
        f"setweight(to_tsvector(%(cfg{i})s::regconfig, %(text_{w})s), '{w.upper()}')"
        for w in "abcd"
        for i in range(n_configs)
    ]
    return " || ".join(parts)


def _insert_sql(n_configs: int) -> str:
    cols = ", ".join(_COLUMNS)
    values = ", ".join(f"%({c})s::jsonb" if c in ("doc", "sdoc", "tdoc") else f"%({c})s" for c in _COLUMNS)
    return (
        f"INSERT INTO {TABLE} ({cols}, tsv) VALUES ({values}, {_tsv_sql(n_configs)}) "
        f"ON CONFLICT (index_id) DO UPDATE SET {_UPDATES}, indexed_at = now()"
    )


def write_connection() -> Any:
    """The connection of the caller's ORM transaction (the dataset change being made)."""
    return model.Session.connection()


def _bump_generation(conn: Any) -> None:
    conn.exec_driver_sql(f"UPDATE {GENERATION} SET value = value + 1")


def upsert(conn: Any, docs: list[dict], languages: list[str]) -> None:
    for doc in docs:
        row = to_row(doc, languages)
        configs = [BASE_CONFIG] + [c for c in row.pop("languages") if c != BASE_CONFIG]
        params = dict(row, **{f"cfg{i}": c for i, c in enumerate(configs)})
        conn.exec_driver_sql(_insert_sql(len(configs)), params)
    _bump_generation(conn)


def delete_where(conn: Any, where: str, params: dict) -> int:
    result = conn.exec_driver_sql(f"DELETE FROM {TABLE} AS d WHERE {where}", params)
    _bump_generation(conn)
    return result.rowcount


@contextlib.contextmanager
def snapshot(statement_timeout_ms: int, work_mem: str = "64MB") -> Iterator[Any]:
    """A read-only, repeatable-read transaction on a pooled connection of its own."""
    engine = model.meta.engine
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")
            conn.exec_driver_sql(f"SET LOCAL statement_timeout = {int(statement_timeout_ms)}")
            conn.exec_driver_sql(f"SET LOCAL work_mem = '{work_mem}'")
            yield conn


def generation(conn: Any) -> int:
    return conn.exec_driver_sql(f"SELECT value FROM {GENERATION}").scalar()


def count(conn: Any, where: str, params: dict) -> int:
    return conn.exec_driver_sql(f"SELECT count(*) FROM {TABLE} AS d WHERE {where}", params).scalar()


def rows(
    conn: Any, select: str, where: str, order_by: str, params: dict, limit: int, offset: int
) -> list[dict]:
    sql = (
        f"SELECT {select} FROM {TABLE} AS d WHERE {where} "
        f"ORDER BY {order_by} LIMIT {int(limit)} OFFSET {int(offset)}"
    )
    result = conn.exec_driver_sql(sql, params)
    return [dict(r._mapping) for r in result]


# Values of a facet field: the dedicated column where there is one, else the string view.
_FACET_COLUMNS = {"id", "name", "site_id", "entity_type", "dataset_type", "state", "capacity"}


def facets(
    conn: Any, where: str, params: dict, fields: list[str], limit: int, mincount: int
) -> dict[str, list[tuple[str, int]]]:
    """Counts per value for each field over all matching rows, in one pass.

    Order as Solr's: by count then value when a limit is set; by value when unlimited.
    """
    result: dict[str, list[tuple[str, int]]] = {f: [] for f in fields}
    if not fields:
        return result
    params = dict(params, _ff=list(fields), _fmin=max(int(mincount), 0), _flim=int(limit))
    values = (
        "CASE WHEN f = 'permission_labels' THEN to_jsonb(d.permission_labels) "
        + "".join(f"WHEN f = '{c}' THEN jsonb_build_array(d.{c}) " for c in _FACET_COLUMNS)
        + "ELSE d.sdoc -> f END"
    )
    order = 'count(*) DESC, v COLLATE "C"' if limit > 0 else 'v COLLATE "C"'
    sql = (
        "SELECT f, v, n FROM ("
        f" SELECT f, v, count(*) AS n, row_number() OVER (PARTITION BY f ORDER BY {order}) AS rk"
        f" FROM {TABLE} AS d"
        " CROSS JOIN LATERAL unnest(%(_ff)s::text[]) AS f"
        f" CROSS JOIN LATERAL jsonb_array_elements_text(COALESCE({values}, '[]')) AS v"
        f" WHERE v IS NOT NULL AND ({where})"
        " GROUP BY f, v HAVING count(*) >= %(_fmin)s"
        ") t WHERE %(_flim)s <= 0 OR rk <= %(_flim)s ORDER BY f, rk"
    )
    for f, v, n in conn.exec_driver_sql(sql, params):
        result[f].append((v, n))
    return result
