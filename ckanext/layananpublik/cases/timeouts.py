"""A statement timeout on every database query of an anonymous web request (issue 16).

The public pages and the action API answered to anyone (register, objection register,
statistics, DIP/DIK lists, feeds, reports, tracking pages) must not let one visitor keep a
database connection busy for minutes. For a web request by an anonymous user, every
transaction the request's `model.Session` begins runs `SET LOCAL statement_timeout = N`
(ckanext.layananpublik.public_statement_timeout_ms; 0 turns it off):

- a before_request hook marks the request as public once CKAN has identified the user, if it
  only reads: GET and HEAD, and the action API's side-effect-free actions by POST. A citizen's
  form submission is not cut short: a 503 there would lose what they typed;
- an `after_begin` listener on `model.Session` applies the timeout to each transaction the
  session begins, so a commit in the middle of the request does not lose it. The SET LOCAL
  goes with the transaction's first statement ("SET LOCAL ...; <statement>", one simple
  query: psycopg2 returns the last statement's result), not as a round trip of its own;
  before a statement that cannot carry it (a server-side cursor's DECLARE, executemany) it
  is sent alone, as before;
- SET LOCAL ends with its transaction: a pooled connection never carries it to a signed-in
  user's request, a job or a command.

Dataset search reads on a connection of its own under its own timeout (search/store.py).
A query cancelled by the timeout is answered 503 "server busy, try again"
(health/unavailable.py)."""

from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from flask import g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

OPTION = "ckanext.layananpublik.public_statement_timeout_ms"
_FLAG = "layananpublik_public_statement_timeout"
# conn.info key: (the transaction, the timeout in ms, whether it was sent).
_PENDING = "layananpublik_statement_timeout"
_ACTION_PATH = re.compile(r"^/api/(?:\d+/)?action/([A-Za-z0-9_]+)/?$")


def timeout_ms() -> int:
    return max(0, tk.asint(tk.config.get(OPTION)))


def _set_local(connection: Any, ms: int) -> None:
    """The timeout for `connection`'s transaction, sent with its next statement."""
    transaction = connection.get_transaction()
    pending = connection.info.get(_PENDING)
    if pending is not None and pending[0] is transaction and pending[2]:
        return  # sent in this transaction already (a savepoint begins: after_begin again)
    # conn.info outlives the checkout: the entry names its transaction, so it can never
    # reach a later transaction on this connection (an officer's request, a job).
    connection.info[_PENDING] = (transaction, int(ms), False)


def pending_set_local(conn: Any) -> str | None:
    """The SET LOCAL of `conn`'s transaction not sent yet, now counted as sent: the caller
    sends it with its statement. None when there is none to send."""
    pending = conn.info.get(_PENDING)
    if pending is None or pending[2]:
        return None
    transaction, ms = pending[:2]
    if transaction is not conn.get_transaction() or not transaction.is_active:
        del conn.info[_PENDING]  # another transaction's, never sent: it ended
        return None
    conn.info[_PENDING] = (transaction, ms, True)
    if conn.connection.dbapi_connection.autocommit:
        return None  # no transaction to set it for (as SET LOCAL alone)
    return f"SET LOCAL statement_timeout = {ms}"


def _with_first_statement(
    conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
) -> tuple[str, Any]:
    """before_cursor_execute (retval): the pending SET LOCAL, in front of the statement."""
    set_local = pending_set_local(conn)
    if set_local is None:
        return statement, parameters
    if executemany or getattr(cursor, "name", None):
        # psycopg2 wraps a named cursor's query in DECLARE, and executemany sends the
        # statement once per row: the setting goes alone, on the same connection.
        with conn.connection.dbapi_connection.cursor() as alone:
            alone.execute(set_local)
        return statement, parameters
    return f"{set_local}; {statement}", parameters


def _after_begin(session: Any, transaction: Any, connection: Any) -> None:
    if has_request_context() and g.get(_FLAG):
        _set_local(connection, g.get(_FLAG))


def reads_only() -> bool:
    """Whether the current request only reads: GET/HEAD/OPTIONS, or a POST to the action API
    naming a side-effect-free action (package_search, our statistics, ...)."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return True
    match = _ACTION_PATH.match(request.path)
    if not match:
        return False
    try:
        action = tk.get_action(match.group(1))
    except (KeyError, tk.ObjectNotFound):
        return False
    return bool(getattr(action, "side_effect_free", False))


def _mark_public_request() -> None:
    ms = timeout_ms()
    if not ms or tk.current_user.is_authenticated or not reads_only():
        return
    g.setdefault(_FLAG, ms)
    # CKAN may have begun the session's transaction already (identifying the user): it gets
    # the timeout too, with its next statement. No transaction yet: nothing to do here.
    session = model.Session()
    if session.in_transaction():
        _set_local(session.connection(), ms)


def install(app: Any) -> None:
    """Wire the hooks into the Flask app (from plugin.py's IMiddleware)."""
    if not event.contains(model.Session, "after_begin", _after_begin):
        event.listen(model.Session, "after_begin", _after_begin)
    if not event.contains(Engine, "before_cursor_execute", _with_first_statement):
        event.listen(Engine, "before_cursor_execute", _with_first_statement, retval=True)
    app.before_request(_mark_public_request)
