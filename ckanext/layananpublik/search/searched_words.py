"""Frequent words chosen from what people search, not from document frequency.

Choosing from document frequency kept a host name, stopwords and stems nobody types, and
each kept word costs every index write a row and a rank. So the words kept are the ones
people search and that are slow: a one-word search (the shape store.frequent_word
recognises) answered without side tables that matched at least `min_percent` % of the site's
active documents is counted in a Redis sorted set per day (ZINCRBY), sent after the
response (one pipelined round trip, never while the user waits; at once outside a
request). A search answered from a kept word's tables is counted too, so that automatic
words can be compared when the cap is reached. When a word's slow searches over the
window reach `threshold`, an RQ job (one per word at a time: a Redis mark set with NX)
keeps it with store.add_frequent_word, `chosen_by` 'searches', up to `max` such words; when
full, the least-searched automatic word gives way only to a word searched CLEARLY_MORE
times as often. The operator's words are never removed here, and a word the operator
removed (refused_word) is never kept again here. Redis down: nothing is counted, search
answers as before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.common import config

from ckanext.layananpublik.search import settings, store

log = logging.getLogger(__name__)

# A new word displaces the least-searched automatic one only when searched this many times
# as often over the window: two words searched about as much would otherwise swap (and
# refill a word's side tables, a pass over every document) at every job.
CLEARLY_MORE = 2
# While this mark lives no other job is queued for the word: the job that decides not to
# keep it (cap full, not searched clearly more) is not queued again at every slow search.
JOB_MARK_SECONDS = 3600
# Longer searches are not counted: a word people type is short, and anyone can send long
# ones, each a member of the day's set.
MAX_CHARS = 64
# One choice at a time across workers (pg_advisory_xact_lock's key): the cap holds.
_LOCK = 0x6C7073776F7264  # "lpsword"
_PENDING = "layananpublik_searched_words"


def _day_keys(today: dt.date | None = None) -> list[str]:
    """The window's sorted sets, today's first."""
    today = today or dt.datetime.now(dt.timezone.utc).date()
    site = config.get("ckan.site_id")
    return [
        f"layananpublik:search:searched:{site}:{(today - dt.timedelta(days=i)).isoformat()}"
        for i in range(settings.searched_words_window_days())
    ]


def counting() -> bool:
    return settings.searched_words_max() > 0


def note(q: str, slow: bool) -> None:
    """Count one search of `q` (slow: answered without side tables) once the response is
    sent; outside a request (the CLI, a job, the tests' call_action) at once."""
    from flask import after_this_request, g, has_request_context

    if not has_request_context():
        send([(q, slow)])
        return
    pending = g.get(_PENDING)
    if pending is None:
        pending = []
        setattr(g, _PENDING, pending)

        @after_this_request
        def _after(response: Any) -> Any:
            response.call_on_close(lambda: send(pending))
            return response

    pending.append((q, slow))


def send(entries: list[tuple[str, bool]]) -> None:
    """One pipelined round trip: each search counted in today's set, and for a slow one
    its count over the window; a job queued for a word that reached the threshold."""
    from ckan.lib.redis import connect_to_redis

    if not entries:
        return
    keys = _day_keys()
    try:
        redis = connect_to_redis()
        pipe = redis.pipeline(transaction=False)
        for q, slow in entries:
            pipe.zincrby(keys[0], 1, q)
            if slow:
                for key in keys[1:]:
                    pipe.zscore(key, q)
        # The last day of the window must still be there at its end.
        pipe.expire(keys[0], (len(keys) + 1) * 86400)
        replies = iter(pipe.execute())
        due = []
        for q, slow in entries:
            total = float(next(replies))
            if slow:
                total += sum(float(next(replies) or 0) for _ in keys[1:])
                if total >= settings.searched_words_threshold():
                    due.append(q)
        for q in due:
            mark = f"layananpublik:search:searched-job:{config.get('ckan.site_id')}:{_digest(q)}"
            if redis.set(mark, "1", nx=True, ex=JOB_MARK_SECONDS):
                tk.enqueue_job(keep_searched_word, [q], title=f"layananpublik keep searched word {q!r}")
    except Exception:  # Redis down: nothing counted, the search has answered already
        log.warning("searched words not counted", exc_info=True)


def _digest(q: str) -> str:
    return hashlib.sha1(q.encode()).hexdigest()


def searched_counts() -> dict[str, float]:
    """Searches of each counted word over the window."""
    from ckan.lib.redis import connect_to_redis

    pipe = connect_to_redis().pipeline(transaction=False)
    for key in _day_keys():
        pipe.zrange(key, 0, -1, withscores=True)
    counts: dict[str, float] = {}
    for day in pipe.execute():
        for word, n in day:
            word = word.decode() if isinstance(word, bytes) else word
            counts[word] = counts.get(word, 0) + float(n)
    return counts


def keep_searched_word(q: str) -> str:
    """The job: keep side tables for `q` if it is (still) searched enough, not kept, not
    refused by the operator, and the cap allows it. Returns what it decided."""
    from ckan import model

    from ckanext.layananpublik.search import connection

    cap = settings.searched_words_max()
    if cap <= 0:
        return "off"
    counts = searched_counts()
    wanted = counts.get(q, 0)
    if wanted < settings.searched_words_threshold():
        return "not searched enough"
    with model.meta.engine.begin() as conn:
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%(k)s)", {"k": _LOCK})
        sides = connection.word_sql(conn, q)
        kept = store.kept_words(conn)
        if any((w.text_sql, w.rank_sql) == sides for w in kept):
            return "kept already"
        if sides in store.refused_words(conn):
            return "removed by the operator"
        automatic = sorted(
            (w for w in kept if w.chosen_by == store.SEARCHES), key=lambda w: counts.get(w.q, 0)
        )
        leaving = automatic[: max(0, len(automatic) - cap + 1)]
        if leaving and wanted < CLEARLY_MORE * counts.get(leaving[-1].q, 0):
            return f"not searched clearly more than {leaving[-1].q!r}"
        for word in leaving:
            store.remove_frequent_word(conn, word.id)
        store.add_frequent_word(conn, q, *sides, chosen_by=store.SEARCHES)
    log.info("frequent word %r kept from searches (%d over the window)", q, wanted)
    return "kept"
