"""SQL text as the driver sends it, for statements whose rendered text is itself used: kept
and compared (search's frequent words), prepared once (feeds' listing), or wrapped in a
statement the driver cannot bind parameters into (COPY)."""

from __future__ import annotations

from typing import Any


def render(conn: Any, sql: str, params: dict) -> str:
    """`sql` (psycopg2's %(name)s style) with its parameters inlined as literals, as psycopg2
    sends it on `conn` (a SQLAlchemy connection)."""
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        return cursor.mogrify(sql, params).decode()
    finally:
        cursor.close()
