"""Redis side of the feeds: when each representation last changed, and rendered bodies.

Last-Modified is the moment a page of a feed was first seen with its current ETag
(strictly later, in whole seconds, than the moment of the ETag before it), so a reader
that only sends If-Modified-Since is never told "not modified" after a change: not even
when the newest dataset was deleted, which would move max(metadata_modified) back.
One script call per request, shared by every web worker.

Rendered bodies are kept under their ETag, and dataset entries under the dataset's id,
metadata_modified and language (feeds share most of their entries, and a change
re-renders only the entry that changed), both for `ckanext.layananpublik.feeds.cache_ttl`
seconds; a feed view also keeps its entries, with their written bytes, in the process for
as long as their Redis copy lives. With the PostgreSQL search (plugin layananpublik_search),
what a dataset feed's validator reads from the index (count, the page's ids and times) is
kept in the process under the index's generation: a counter bumped in the transaction of
every index write, so a kept value is never stale. With Solr it is read every time. Redis
trouble never fails a feed: it is logged, and the feed is read and rendered.

Round trips, the larger part of a feed's time once the entries are kept: a dataset feed
view sends one prepared statement to the index (index.listing): its state (generation and
exempt check) and, when the state is not that of the listing the process holds, the
listing; a listing read afresh asks for the entries the process does not hold with the
Last-Modified script and the body's GET (one Redis pipeline before the answer), and what
the view writes to Redis (the new entries and the body) is sent in one pipeline after the
answer, when the response is closed (store_later). Right after a dataset update a feed
makes one SQL statement of its own and one Redis call before answering.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable

import ckan.plugins.toolkit as tk
from ckan import model, plugins
from ckan.lib.redis import connect_to_redis
from flask import g, has_request_context
from redis.exceptions import RedisError

from ckanext.layananpublik.cases.memory import ProcessMemory
from ckanext.layananpublik.feeds import categories

log = logging.getLogger(__name__)

PREFIX = "layananpublik:feeds"
SEEN_TTL = 30 * 24 * 3600
# The same values, in this process too (a dict emptied when full): saves a Redis call.
LOCAL_ENTRIES = 512
FRAGMENT_ENTRIES = 4096  # entries kept in the process with their fragments (a few KB each)
_this_process = ProcessMemory(LOCAL_ENTRIES)
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


def _request_state() -> dict | None:
    """This request's feed state (None outside a request): "writes" waiting for the next
    Redis call of a feed view, "prefetch" (entry keys to read along with it), "kept"
    (entries read that way), "index" (the index state)."""
    return g.setdefault("layananpublik_feeds", {}) if has_request_context() else None


# One Redis client per process: building one costs more than a round trip (it copies its
# table of reply callbacks), and a client is safe to share between threads (CKAN's
# connection pool hands each command a connection).
_client: list = []


def _redis():
    if not _client:
        _client.append(connect_to_redis())
    return _client[0]


def defer_writes() -> None:
    """Called by a feed view: its Redis writes wait for its next Redis call (lookup, or
    store_later once the answer is sent)."""
    state = _request_state()
    if state is not None:
        state.setdefault("writes", [])


def view_memo(name: str) -> dict | None:
    """A dict kept for the rest of this feed view (its stamp and page read one state), or
    None outside a feed view."""
    state = _request_state()
    if state is None or "writes" not in state:
        return None
    return state.setdefault(name, {})


def _write(key: str, value: bytes | str, ttl: int) -> None:
    """SET key value EX ttl: now, or with the view's next call when it defers its writes."""
    state = _request_state()
    if state is not None and "writes" in state:
        state["writes"].append((key, value, ttl))
        return
    try:
        _redis().set(key, value, ex=ttl)
    except RedisError as exc:
        log.warning("feeds: could not write to Redis: %s", exc)


def _flush(pipe) -> None:
    """The writes waiting, added to `pipe` (which the caller sends)."""
    state = _request_state()
    if state is None or "writes" not in state:
        return
    for key, value, ttl in state["writes"]:
        pipe.set(key, value, ex=ttl)
    state["writes"] = []


def lookup(key: str, validator: str) -> tuple[int | None, bytes | None]:
    """(first seen, in Unix seconds; the cached body or None), in one round trip, with the
    writes waiting and the entries to prefetch."""
    state = _request_state() or {}
    prefetch = state.pop("prefetch", []) if _ttl() > 0 else []
    try:
        redis = _redis()
        pipe = redis.pipeline(transaction=False)
        _flush(pipe)
        waiting = len(pipe)
        pipe.eval(_SEEN, 1, f"{PREFIX}:seen:{key}", validator, int(time.time()), SEEN_TTL)
        if _ttl() > 0:
            pipe.get(f"{PREFIX}:body:{validator}")
        if prefetch:
            pipe.mget(prefetch)
        results = pipe.execute()[waiting:]
    except RedisError as exc:
        log.warning("feeds: Redis unavailable, feed rendered without cache: %s", exc)
        return None, None
    if prefetch:
        state["kept"] = dict(zip(prefetch, results[2], strict=True))
    return int(results[0]), (results[1] if len(results) > 1 else None)


def store_later(validator: str, body: bytes) -> Callable[[], None]:
    """A function keeping the rendered body, with the writes waiting (new entries), in one
    round trip, called later, outside the request (a feed view calls it when its response
    is closed: after the answer is sent). What it writes is taken now: the body under its
    ETag and the new entries under their keys, values that never change under their keys,
    so writing them late serves nothing stale (a reader meanwhile, in any process, finds
    them missing and renders them)."""
    ttl = _ttl()
    state = _request_state()
    writes: list = []
    if state is not None and "writes" in state:  # a feed view: its writes waiting
        writes, state["writes"] = state["writes"], []
    if ttl > 0:
        writes.append((f"{PREFIX}:body:{validator}", body, ttl))

    def send() -> None:
        if not writes:
            return
        try:
            pipe = _redis().pipeline(transaction=False)
            for key, value, seconds in writes:
                pipe.set(key, value, ex=seconds)
            pipe.execute()
        except RedisError as exc:
            log.warning("feeds: could not cache a feed in Redis: %s", exc)

    return send


def index_state() -> tuple[str, bool] | None:
    """(the search index's generation token, whether a public active dataset is marked
    exempt) in one statement, once per feed view (PostgreSQL search only; else None).

    The token identifies the committed state of the index, as search/store.py's
    generation_token: the counter bumped in the transaction of every index write, and its
    row version's xmin (new after a re-created table or a restored backup). Read in the
    same snapshot as the exempt check, on the request's own connection (CKAN's
    before-request hook has already opened it); a feed view's stamp and page see one
    index state (it writes nothing in between), an action called elsewhere reads it each
    time (a write may come before it in the same request). A dataset feed's first read
    (per_index_version's `first_read`, index.listing) reads the same state with its listing."""
    if not plugins.plugin_loaded("layananpublik_search"):
        return None
    from ckanext.layananpublik.search import store

    state = _request_state()
    if state is not None and "index" in state:
        return state["index"]
    value, xmin, exempt = (
        model.Session.connection()
        .exec_driver_sql(f"SELECT value, xmin::text, {categories.EXEMPT_PUBLIC_SQL} FROM {store.GENERATION}")
        .one()
    )
    return _read_state((f"{value}.{xmin}", bool(exempt)))


def _read_state(found: tuple[str, bool]) -> tuple[str, bool]:
    """The index state just read, kept for the rest of a feed view."""
    state = _request_state()
    if state is not None and "writes" in state:
        state["index"] = found
    return found


def per_index_version(
    name: str,
    compute: Callable[[], dict],
    unversioned: dict | None = None,
    first_read: Callable[[dict | None, str | None], tuple[str, bool, dict | None] | None] | None = None,
    reread: bool = False,
) -> dict:
    """compute(), kept in this process for as long as the search index does not change (a
    value read in one or two indexed statements costs about what a Redis call does, and a
    listing read afresh brings the datasets its new entries need). Without an index
    generation (Solr): `unversioned` if given, else compute() every time.

    `first_read(kept value or None, its token or None)`, where the caller can read the
    index state and its value in one statement (index.listing), returns (token, exempt,
    the value; None when the token is the one given: the value kept is current), or None
    where it cannot. It is used when this feed view has not read the index state yet: one
    statement whether the index changed or not. With `reread` it is given no token (the
    caller wants what the value's statement brings along, even unchanged). Its value is
    used only without exempt datasets (else compute() reads it again, with the state
    kept)."""
    if not plugins.plugin_loaded("layananpublik_search"):
        return unversioned if unversioned is not None else compute()
    key = f"{tk.config.get('ckan.site_id')}\x1f{name}"
    kept = _this_process.get(key)  # (token, value): exact, the token names the index's state
    state = _request_state()
    if first_read is not None and not (state is not None and "index" in state):
        read = first_read(kept[1] if kept is not None else None, kept[0] if kept is not None and not reread else None)
        if read is not None:
            token, exempt, value = read
            _read_state((token, exempt))
            if kept is not None and kept[0] == token and (value is None or not reread):
                return kept[1]
            if value is not None and not exempt:
                return _this_process.keep(key, (token, value))[1]
    token = index_state()[0]  # type: ignore[index]
    if kept is not None and kept[0] == token:
        return kept[1]
    return _this_process.keep(key, (token, compute()))[1]


def keeps_entries() -> bool:
    """Whether entries are kept (cache_ttl > 0)."""
    return _ttl() > 0


def held_here(items: list[dict], key_of: Callable[[dict], str]) -> list[dict]:
    """The items whose entry a feed view of this process holds (entries() takes them
    without their dataset); none outside a feed view or with the caches off."""
    state = _request_state()
    if state is None or "writes" not in state or _ttl() <= 0 or not items:
        return []
    now, ttl = time.time(), _ttl()
    # Asked on every request of a feed (the listing's statement carries it): the answer for
    # the same listing (the same list) and language is kept until the first of its entries
    # expires. An entry built since is not in it (its dataset is read again), one pushed
    # out of the process since is (its dataset is read by a search): a hint, never stale
    # data.
    memo_key = (id(items), key_of(items[0]), ttl)
    found = _held_memo.get(memo_key)
    if found is not None and found[0] is items and now < found[2]:
        return found[1]
    kept = [(item, entry) for item, key in zip(items, entry_keys(items, key_of), strict=True)
            if (entry := _here(key, now, ttl))]  # fmt: skip
    held = [item for item, _ in kept]
    _held_memo.keep(memo_key, (items, held, min((entry[0] + ttl for _, entry in kept), default=now)))
    return held


def entry_keys(items: list[dict], key_of: Callable[[dict], str]) -> list[str]:
    """The Redis keys of the items' entries (in a feed view, each digest computed once: the
    listing held before and the one read share most items)."""
    memo = view_memo("entry_keys_of")
    if memo is None:
        return [f"{PREFIX}:entry:{hashlib.sha256(key_of(item).encode()).hexdigest()}" for item in items]
    keys = []
    for item in items:
        raw = key_of(item)
        key = memo.get(raw)
        if key is None:
            key = memo[raw] = f"{PREFIX}:entry:{hashlib.sha256(raw.encode()).hexdigest()}"
        keys.append(key)
    return keys


# Entries a feed view of this process built or read lately, by key: (time the entry was
# built, the entry, its written fragments by format: build.py), used until built + cache_ttl,
# as long as their Redis copy. Only feed views use them: their entries go to build.render
# alone, which reads them and never changes them (an action's caller might).
_entries_here = ProcessMemory(FRAGMENT_ENTRIES)


_held_memo = ProcessMemory(256)  # held_here's answers: (the items, held, until)


def _here(key: str, now: float, ttl: int) -> tuple[float, dict, dict] | None:
    found = _entries_here.get(key)
    return found if found is not None and found[0] + ttl > now else None


def _keep_here(key: str, built_at: float, entry: dict) -> tuple[float, dict, dict]:
    return _entries_here.keep(key, (built_at, entry, {}))


def prefetch_entries(items: list[dict], key_of: Callable[[dict], str]) -> None:
    """The entries of a listing just read and not kept in this process: asked for with the
    view's next Redis call."""
    state = _request_state()
    if state is not None and "writes" in state and _ttl() > 0:
        now, ttl = time.time(), _ttl()
        keys = state["entry_keys"] = (items, entry_keys(items, key_of))  # for entries(), same listing
        state["prefetch"] = [key for key in keys[1] if _here(key, now, ttl) is None]


def entries(
    items: list[dict], key_of: Callable[[dict], str], build_many: Callable[[list[dict]], list[dict | None]]
) -> list[dict]:
    """The entries of `items`: those kept under key_of(item) (in a feed view, first those
    kept in this process), the others from build_many(missing items) (None for an item
    gone since it was listed: left out). In Redis an entry is kept as {"at": time built,
    "entry": the entry}."""
    ttl, now = _ttl(), time.time()
    listed = (_request_state() or {}).get("entry_keys")
    keys = listed[1] if listed is not None and listed[0] is items else entry_keys(items, key_of)
    cached = ttl > 0 and bool(items)
    fragments = view_memo("fragments") if cached else None  # a feed view: entries kept here too
    here = {
        i: found for i, key in enumerate(keys) if fragments is not None and (found := _here(key, now, ttl))
    }
    wanted = [key for i, key in enumerate(keys) if i not in here]
    kept: dict[int, bytes | None] = {}
    prefetched = (_request_state() or {}).pop("kept", {})
    if cached and wanted and all(key in prefetched for key in wanted):
        kept = {i: prefetched[key] for i, key in enumerate(keys) if i not in here}
    elif cached and wanted:
        try:
            kept = dict(
                zip([i for i in range(len(keys)) if i not in here], _redis().mget(wanted), strict=True)
            )
        except RedisError as exc:
            log.warning("feeds: Redis unavailable, entries rendered without cache: %s", exc)
            cached = False
    missing = [i for i in range(len(items)) if i not in here and kept.get(i) is None]
    built = dict(zip(missing, build_many([items[i] for i in missing]) if missing else [], strict=True))
    result: list[dict | None] = []
    for i, key in enumerate(keys):
        if i in here:
            found: tuple[float, dict, dict] | None = here[i]
        elif kept.get(i) is not None:
            value = json.loads(kept[i])
            found = (value["at"], value["entry"], {})
            if fragments is not None:
                found = _keep_here(key, value["at"], value["entry"])
        elif built[i] is None:
            found = None
        else:
            found = (now, built[i], {})
            if cached:
                _write(key, json.dumps({"at": now, "entry": built[i]}), ttl)
                if fragments is not None:
                    found = _keep_here(key, now, built[i])
        if found is not None:
            result.append(found[1])
            if fragments is not None:
                fragments[id(found[1])] = found
    return [entry for entry in result if entry is not None]


def fragments_of(entries: list[dict]) -> list[dict | None]:
    """The fragments kept with each entry this feed view took from cache.entries (format
    -> bytes: build.py reads and adds them), or None."""
    memo = view_memo("fragments") or {}
    return [found[2] if (found := memo.get(id(entry))) is not None and found[1] is entry else None
            for entry in entries]  # fmt: skip
