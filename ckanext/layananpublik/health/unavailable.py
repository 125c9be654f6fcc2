"""What the site answers while PostgreSQL or Redis is unreachable: 503 with Retry-After and
a message that says to try again, instead of CKAN's generic 500 "Internal server error".
A query cancelled by a statement timeout (SQLSTATE 57014: an anonymous request's, see
cases/timeouts.py) is answered 503 too, saying the server is busy.

A PostgreSQL restart, failover or a Redis restart makes the requests in flight fail with a
connection error; they are retryable (nothing half-written: the transaction is rolled back),
and the answer says so, to people (an error page) and to API clients (the action API's JSON
error shape, plus Retry-After)."""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk
import psycopg2
from ckan import model
from flask import g, has_request_context, jsonify, make_response
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30
EXCEPTIONS = (OperationalError, DBAPIError, RedisConnectionError, RedisTimeoutError)
QUERY_CANCELED = "57014"


def _is_cancelled(exc: BaseException | None) -> bool:
    """A query cancelled by its statement timeout: the server is busy, not down."""
    return getattr(getattr(exc, "orig", exc), "pgcode", None) == QUERY_CANCELED


def is_outage(exc: Exception) -> bool:
    # Any OperationalError (refused, closed, shutting down); other DBAPI errors only when
    # SQLAlchemy saw the connection die (not a constraint or a syntax error: those stay 500).
    if isinstance(exc, DBAPIError) and not isinstance(exc, OperationalError):
        return bool(exc.connection_invalidated)
    return True


def _flag_outage(context: Any) -> None:
    """SQLAlchemy's handle_error hook: remember that this web request met a database outage,
    also when a view (CKAN's action API) catches the error and answers 500 itself."""
    if not has_request_context():
        return
    if _is_cancelled(context.original_exception):
        g.layananpublik_busy = True
    elif context.is_disconnect or isinstance(context.original_exception, psycopg2.OperationalError):
        g.layananpublik_outage = True


def install() -> None:
    if not event.contains(Engine, "handle_error", _flag_outage):
        event.listen(Engine, "handle_error", _flag_outage)


def after_request(response: Any) -> Any:
    """A 500 of a request that met a database outage (or a cancelled query) becomes the
    503 of `handle`. Any other answer stands, and the request's session is dropped here,
    before CKAN's after-request hook does it: a connection that died after the view's last
    query (a restart at the end of a request) fails the session's rollback, and in CKAN's
    hook that failure turned an answer already made (a request already committed) into a 500."""
    if response.status_code == 500 and g.get("layananpublik_outage"):
        return outage_response("database connection lost during the request")
    if response.status_code == 500 and g.get("layananpublik_busy"):
        return busy_response("a query was cancelled by its statement timeout")
    forget_session()
    return response


def handle(exc: Exception) -> Any:
    if _is_cancelled(exc):
        return busy_response(f"query cancelled: {str(exc).splitlines()[0][:200]}")
    if not is_outage(exc):  # a bug, not an outage: CKAN's own 500 answer
        log.error(exc, exc_info=exc)
        return tk.render(
            "error_document_template.html", {"code": [500], "content": "Internal server error"}
        ), 500
    return outage_response(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")


def busy_response(reason: str) -> Any:
    return unavailable_response(
        reason,
        tk._(
            "The server is busy and this page took too long to prepare. Please try again in a minute; if "
            "you were submitting something, check your email for a receipt before you send it again."
        ),
    )


def outage_response(reason: str) -> Any:
    return unavailable_response(
        reason,
        tk._(
            "The service is briefly unavailable. Please try again in a minute; if you were submitting "
            "something, check your email for a receipt before you send it again."
        ),
    )


def forget_session() -> None:
    """Drop the request's session (its connection may be gone): a later query gets a new one."""
    try:
        model.Session.remove()
    except Exception:  # noqa: BLE001 - the connection is gone already
        log.warning("the database connection was lost at the end of a request", exc_info=True)
        model.Session.registry.clear()  # remove() stops before this when close() raises


def unavailable_response(reason: str, message: str) -> Any:
    log.warning("service unavailable, answered 503: %s", reason)
    forget_session()
    if tk.request.path.startswith("/api/"):
        response = jsonify({"success": False, "error": {"__type": "Service Unavailable", "message": message}})
    else:
        try:
            body = tk.render("error_document_template.html", {"code": [503], "content": message, "name": ""})
        except Exception:  # noqa: BLE001 - the page itself needed what is down: plain text
            body = message
        response = make_response(body)
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
