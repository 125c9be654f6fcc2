"""Per-IP and per-email limits on request submission, counted in Redis so that every web
worker sees the same counts. Fixed one-hour windows: simple, and enough against a script."""

from __future__ import annotations

import hashlib
import time

import ckan.plugins.toolkit as tk
import flask
from ckan.lib.redis import connect_to_redis

WINDOW_SECONDS = 3600


def _client_ip() -> str | None:
    """The submitter's address; None outside a web request (command line, jobs, tests that
    call actions directly). Behind N trusted reverse proxies (the setting), the address is
    the N-th from the right of X-Forwarded-For: the one the outermost proxy saw."""
    if not flask.has_request_context():
        return None
    hops = tk.config.get("ckanext.layananpublik.request.trusted_proxies")
    if hops > 0:
        forwarded = [a.strip() for a in tk.request.headers.get("X-Forwarded-For", "").split(",") if a.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return tk.request.remote_addr or "unknown"


def _over(kind: str, value: str, limit: int) -> bool:
    if limit <= 0:
        return False
    window = int(time.time() // WINDOW_SECONDS)
    # Hashed: the Redis keys must not become a list of requesters' addresses.
    key = f"layananpublik:ratelimit:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}:{window}"
    redis = connect_to_redis()
    pipe = redis.pipeline()
    pipe.incr(key)
    pipe.expire(key, WINDOW_SECONDS)
    count = pipe.execute()[0]
    return count > limit


def check(email: str | None) -> None:
    """Raise a ValidationError when this submission goes over a limit. Only web requests are
    limited (the command line and tests that call actions directly are not)."""
    ip = _client_ip()
    if ip is None:
        return
    message = tk._("Too many requests have been sent from here in the last hour. Please try again later.")
    if _over("ip", ip, tk.config.get("ckanext.layananpublik.request.rate_limit.per_ip")):
        raise tk.ValidationError({"rate_limit": [message]})
    if email and _over(
        "email", email.lower(), tk.config.get("ckanext.layananpublik.request.rate_limit.per_email")
    ):
        raise tk.ValidationError({"rate_limit": [message]})
