"""Redis side of the feeds: when each representation last changed, and rendered bodies.

Last-Modified is the moment a page of a feed was first seen with its current ETag
(strictly later, in whole seconds, than the moment of the ETag before it), so a reader
that only sends If-Modified-Since is never told "not modified" after a change: not even
when the newest dataset was deleted, which would move max(metadata_modified) back.
One script call per request, shared by every web worker.

Rendered bodies are kept under their ETag for `ckanext.layananpublik.feeds.cache_ttl`
seconds. Redis trouble never fails a feed: it is logged, and the feed is rendered.
"""

from __future__ import annotations

import logging
import time

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

PREFIX = "layananpublik:feeds"
SEEN_TTL = 30 * 24 * 3600
# KEYS[1] = the representation's key; ARGV = validator, now (s), ttl. Returns the time (s)
# the validator was first seen.
_SEEN = """
local current = redis.call('HMGET', KEYS[1], 'validator', 'at')
if current[1] == ARGV[1] then return tonumber(current[2]) end
local at = tonumber(ARGV[2])
if current[2] and tonumber(current[2]) >= at then at = tonumber(current[2]) + 1 end
redis.call('HSET', KEYS[1], 'validator', ARGV[1], 'at', at)
redis.call('EXPIRE', KEYS[1], ARGV[3])
return at
"""


def _ttl() -> int:
    return tk.config.get("ckanext.layananpublik.feeds.cache_ttl")


def lookup(key: str, validator: str) -> tuple[int | None, bytes | None]:
    """(first seen, in Unix seconds; the cached body or None), in one round trip."""
    try:
        redis = connect_to_redis()
        pipe = redis.pipeline(transaction=False)
        pipe.eval(_SEEN, 1, f"{PREFIX}:seen:{key}", validator, int(time.time()), SEEN_TTL)
        if _ttl() > 0:
            pipe.get(f"{PREFIX}:body:{validator}")
        results = pipe.execute()
    except RedisError as exc:
        log.warning("feeds: Redis unavailable, feed rendered without cache: %s", exc)
        return None, None
    return int(results[0]), (results[1] if len(results) > 1 else None)


def store(validator: str, body: bytes) -> None:
    if _ttl() <= 0:
        return
    try:
        connect_to_redis().set(f"{PREFIX}:body:{validator}", body, ex=_ttl())
    except RedisError as exc:
        log.warning("feeds: could not cache a feed in Redis: %s", exc)
