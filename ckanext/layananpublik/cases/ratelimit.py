"""Per-address and per-contact limits on submissions (requests, objections, complaints),
counted in Redis so that every web worker sees the same counts. Fixed one-hour windows:
simple, and enough against a script. A submission counts before it is validated (a refused
one too), an IPv6 client by its /64 network (one subscriber's), and a contact by its email
address and by its phone number."""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import re
import time
from typing import Any

import ckan.plugins.toolkit as tk
import flask
from ckan.lib.redis import connect_to_redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
WINDOW_SECONDS = 3600


def _client_ip() -> str | None:
    """The submitter's address; None outside a web request (command line, jobs, tests that
    call actions directly). Behind N trusted reverse proxies (the setting), the address is
    the N-th from the right of X-Forwarded-For: the one the outermost proxy saw."""
    if not flask.has_request_context():
        return None
    hops = tk.config.get("ckanext.layananpublik.request.trusted_proxies")
    address = tk.request.remote_addr or "unknown"
    if hops > 0:
        forwarded = [a.strip() for a in tk.request.headers.get("X-Forwarded-For", "").split(",") if a.strip()]
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    return _network(address)


def _network(address: str) -> str:
    """An IPv6 address counts by its /64: a subscriber gets a whole /64 and may use any of it."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:  # ::ffff:a.b.c.d is an IPv4 client
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False))


def _over(kind: str, value: str, limit: int) -> bool:
    if limit <= 0:
        return False
    window = int(time.time() // WINDOW_SECONDS)
    # Hashed: the Redis keys must not become a list of requesters' addresses.
    key = f"layananpublik:ratelimit:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}:{window}"
    pipe = connect_to_redis().pipeline()
    pipe.incr(key)
    pipe.expire(key, WINDOW_SECONDS)
    try:
        count = pipe.execute()[0]
    except RedisError:  # Redis down: a citizen's request matters more than the limit
        log.warning("rate limit not counted: Redis is unavailable")
        return False
    return count > limit


def _contact_keys(email: Any, phone: Any) -> list[tuple[str, str]]:
    """The contact as given, before validation: an email address in lower case, a phone
    number as its digits (so "0812-3456" and "0812 3456" count as one)."""
    keys = []
    if isinstance(email, str) and email.strip():
        keys.append(("email", email.strip().lower()[:320]))
    if isinstance(phone, str):
        digits = re.sub(r"\D", "", phone[:64])
        if digits:
            keys.append(("phone", digits))
    return keys


def check(email: Any = None, phone: Any = None) -> None:
    """Count this submission and raise a ValidationError when it goes over a limit. Call it
    before validating: a refused submission counts too. Only web requests are limited (the
    command line and tests that call actions directly are not)."""
    ip = _client_ip()
    if ip is None:
        return
    message = tk._("Too many requests have been sent from here in the last hour. Please try again later.")
    if _over("ip", ip, tk.config.get("ckanext.layananpublik.request.rate_limit.per_ip")):
        raise tk.ValidationError({"rate_limit": [message]})
    per_contact = tk.config.get("ckanext.layananpublik.request.rate_limit.per_email")
    for kind, value in _contact_keys(email, phone):
        if _over(kind, value, per_contact):
            raise tk.ValidationError({"rate_limit": [message]})


def count_submission(context: Any, organization_ref: Any, email: Any = None, phone: Any = None) -> None:
    """Count a citizen's submission to a body (before it is validated); the body's officers,
    who record submissions received on paper, are not limited."""
    from ckan import model

    from ckanext.layananpublik.roles import access

    org = model.Group.get(organization_ref) if isinstance(organization_ref, str) and organization_ref else None
    if org is not None and access.has_role(context.get("user"), org.id):
        return
    check(email, phone)
