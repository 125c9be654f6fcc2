"""One world of rows built once for many tests.

The fixtures of a module build the same people for each of its tests (organisations, users,
memberships, officer roles): about a second a test, most of it hashing passwords. `shared`
builds them once, copies the rows the build left (every table of the model) into a schema of
their own, and for each next test asking for the same world puts those rows back after
clean_db has deleted everything (and again what came since, such as the
site user): each test starts from exactly the rows it had when the
fixtures built them for it, whatever the test before it changed (roles, memberships,
requests, calendar days). Only the ids and creation times are those of the first build.
Outside the database nothing is shared: the search schema, Redis and files are as clean_db
leaves them, as before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa

T = TypeVar("T")

# world key -> (clean_db's rebuild count when taken, its schema, the tables it holds rows of, the build's value)
_worlds: dict[str, tuple[int, str, list[str], object]] = {}


def key_of(request, *parts: str) -> str:
    """A world's key for a test: its module, `parts`, and the time it freezes if it does (a world
    built under a frozen clock has that clock's creation times, as its fixtures would)."""
    frozen = request.node.get_closest_marker("freeze_time")
    return ":".join([request.module.__name__, *parts, repr(frozen.args) if frozen else "now"])


def shared(key: str, build: Callable[[], T]) -> T:
    """The value of `build()` with the database as that build left it. Call it from a
    function-scoped fixture that asks for clean_db (the rows are put back after its delete)."""
    from ckan import model

    from tests import conftest

    engine = model.meta.engine
    known = _worlds.get(key)
    if known is not None and known[0] == conftest._rebuilds[0]:
        _, schema, tables, value = known
        model.Session.remove()
        with engine.begin() as conn:  # what the fixtures since clean_db added (the site user) goes too
            quote = conn.dialect.identifier_preparer.quote
            present = [t.name for t in reversed(conftest.model_tables(conn))]
            conn.exec_driver_sql(";\n".join([*(f"DELETE FROM {quote(t)}" for t in present),
                                             *(f"INSERT INTO {quote(t)} SELECT * FROM {quote(schema)}.{quote(t)}"
                                               for t in tables)]))  # fmt: skip
        return value  # type: ignore[return-value]
    value = build()
    model.Session.commit()
    schema = "lp_test_world_" + hashlib.sha1(key.encode()).hexdigest()[:12]
    with engine.begin() as conn:
        quote = conn.dialect.identifier_preparer.quote
        tables = [t.name for t in conftest.model_tables(conn)
                  if conn.execute(sa.select(sa.exists().select_from(t))).scalar()]  # fmt: skip
        conn.exec_driver_sql(";\n".join([f"DROP SCHEMA IF EXISTS {quote(schema)} CASCADE",
                                         f"CREATE SCHEMA {quote(schema)}",
                                         *(f"CREATE TABLE {quote(schema)}.{quote(t)} AS SELECT * FROM {quote(t)}"
                                           for t in tables)]))  # fmt: skip
    _worlds[key] = (conftest._rebuilds[0], schema, tables, value)
    return value
