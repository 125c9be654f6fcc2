"""CSV files people open in a spreadsheet: UTF-8 with a BOM (so Excel reads it as UTF-8),
and no cell a spreadsheet would run as a formula (CSV injection, OWASP).

Two writers give the same bytes: `download` (Python's csv module over rows built in Python)
and `copy_csv` (PostgreSQL's COPY ... FORMAT csv over a statement whose cells are wrapped in
`guarded_sql`), for exports of thousands of rows (the DIP's, bench/dip.py)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

import flask
import psycopg2
import sqlalchemy as sa

from ckanext.layananpublik.cases import sql as sql_text
from ckanext.layananpublik.cases import timeouts

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(FORMULA_START)  # one character each: a set lookup of the first


def cell(value: Any) -> str:
    # Called for every cell of an export (110,000 for the DIP of 10,000 datasets).
    text = "" if value is None else value if type(value) is str else str(value)
    return "'" + text if text[:1] in _FORMULA_FIRST else text


def csv_text(header: list[str], rows: Iterable[Iterable[Any]]) -> str:
    """The header row, then every row, each cell guarded, as Python's csv module writes them."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([cell(h) for h in header])
    writer.writerows([cell(value) for value in row] for row in rows)
    return out.getvalue()


def attachment(text: str, filename: str) -> flask.Response:
    """`text` as a CSV attachment, UTF-8 with a BOM."""
    response = flask.Response(text.encode("utf-8-sig"), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def download(header: list[str], rows: Iterable[Iterable[Any]], filename: str) -> flask.Response:
    """A CSV attachment: the header row, then every row, each cell guarded."""
    return attachment(csv_text(header, rows), filename)


# The parameter `guarded_sql` reads: pass FORMULA_PARAMS with the statement's own.
FORMULA_PARAMS = {"formula_start": [ord(c) for c in FORMULA_START]}


def guarded_sql(column: str) -> str:
    """SQL for `cell` of a text column: NULL for an empty cell (COPY writes an empty string
    as "", Python's csv module as nothing; NULL is nothing in both), a quote before a
    formula's first character. `column` is read twice: give it a column, not a computation."""
    # ascii(): the first character's code point (0 for ''), compared as integers.
    return (
        f"CASE WHEN ascii({column}) = ANY(:formula_start) THEN '''' || {column} ELSE nullif({column}, '') END"
    )


def copy_csv(connection: Any, sql: str, params: dict) -> str:
    """The rows of `sql` (SQLAlchemy text with :named parameters) as `csv_text` writes them
    (without the header): written by PostgreSQL with COPY in one statement, in the caller's
    transaction. COPY ends rows with \\n, Python's csv module with \\r\\n: outside quoted
    cells (an even number of quote characters before it) every \\n ends a row."""
    compiled = sa.text(sql).bindparams(**params).compile(dialect=connection.dialect)
    copy = f"COPY ({sql_text.render(connection, str(compiled), compiled.params)}) TO STDOUT WITH (FORMAT csv)"
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        # The driver's own cursor passes no SQLAlchemy event: the public statement timeout
        # goes with it here, and its errors are raised as SQLAlchemy raises a statement's
        # (a cancelled COPY is then the busy page, not a 500).
        set_local = timeouts.pending_set_local(connection)
        out = io.BytesIO()
        try:
            cursor.copy_expert(f"{set_local}; {copy}" if set_local else copy, out)
        except psycopg2.Error as exc:
            raise sa.exc.DBAPIError.instance(copy, None, exc, psycopg2.Error) from exc
    finally:
        cursor.close()
    parts = out.getvalue().split(b'"')
    parts[::2] = [part.replace(b"\n", b"\r\n") for part in parts[::2]]
    return b'"'.join(parts).decode("utf-8")
