"""Dataset descriptions rendered once, kept in PostgreSQL (layananpublik_feed_description).

Rendering a description (CKAN's Markdown renderer, then bleach) was most of an entry's
cost, and core's feed renders none: with the Redis caches off (or expired) every entry
was rendered on every request, and right after an update the changed entry was rendered
again even when its text had not changed. A description is kept under a digest of the
renderer's version and the text itself, so a kept one is never stale and a change of
text or renderer is simply another key. Read in one statement for the entries a request
builds; the missing ones are rendered and written in a short transaction of their own
(written at most once: a concurrent writer's row wins, with the same bytes).

Database trouble never fails a feed: a description that cannot be read or written is
rendered, as before.
"""

from __future__ import annotations

import hashlib
import logging
import textwrap

import bleach
import ckan.plugins.toolkit as tk
import markdown
import sqlalchemy as sa
from ckan import model
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError

from ckanext.layananpublik.feeds import entries

log = logging.getLogger(__name__)

TABLE = "layananpublik_feed_description"
# Bump when rendering changes (the HTML, the text or the summary): kept rows are then unused.
# The renderers' versions are part of it: an upgrade of either renders again.
RENDERER = f"1\x1f{entries.SUMMARY_LENGTH}\x1fmarkdown {markdown.__version__}\x1fbleach {bleach.__version__}"

# Descriptions this process read or rendered lately, by digest (with the caches on): right
# after an update the changed entry's description is usually one of them.
RECENT = 4096
_recent: dict[str, dict] = {}


def digest(notes: str) -> str:
    return hashlib.sha256(f"{RENDERER}\x1f{notes}".encode()).hexdigest()


def render(notes: str) -> dict:
    """{"html", "text", "summary"} of a description, rendered now (Markdown and bleach)."""
    html = entries.render_markdown(notes)
    text = html.striptags()
    return {
        "html": str(html),
        "text": text,
        "summary": textwrap.shorten(text, entries.SUMMARY_LENGTH, placeholder="…") if text else "",
    }


def _read(digests: list[str]) -> dict[str, dict]:
    try:
        rows = model.Session.execute(
            sa.text(f"SELECT digest, html, text, summary FROM {TABLE} WHERE digest = ANY(:digests)"),
            {"digests": digests},
        )
        return {row.digest: {"html": row.html, "text": row.text, "summary": row.summary} for row in rows}
    except SQLAlchemyError as exc:
        log.warning("feeds: kept descriptions unreadable, rendered again: %s", exc)
        model.Session.rollback()
        return {}


def _write(rendered: dict[str, dict]) -> None:
    try:
        with model.meta.engine.begin() as conn:
            conn.execute(
                sa.text(
                    f"INSERT INTO {TABLE} (digest, html, text, summary) VALUES (:digest, :html, :text, :summary)"
                    " ON CONFLICT (digest) DO NOTHING"
                ),
                [{"digest": key, **value} for key, value in rendered.items()],
            )
    except SQLAlchemyError as exc:
        log.warning("feeds: could not keep rendered descriptions: %s", exc)


def rendered(texts: list[str]) -> dict[str, dict]:
    """Each non-empty text's {"html" (Markup), "text", "summary"}, by text: with the caches
    on, those this process has read or rendered lately taken as they are (a digest names
    one rendering: never stale); the others read in one statement, and those missing there
    rendered and kept."""
    by_digest = {digest(text): text for text in dict.fromkeys(texts) if text}
    if not by_digest:
        return {}
    remembered = (tk.config.get("ckanext.layananpublik.feeds.cache_ttl") or 0) > 0
    kept = {key: _recent[key] for key in by_digest if remembered and key in _recent}
    if len(kept) < len(by_digest):
        kept.update(_read([key for key in by_digest if key not in kept]))
    missing = {key: render(text) for key, text in by_digest.items() if key not in kept}
    if missing:
        _write(missing)
    if remembered:
        if len(_recent) + len(by_digest) > RECENT:
            _recent.clear()
        _recent.update((key, kept.get(key) or missing[key]) for key in by_digest)
    return {
        text: dict(value, html=Markup(value["html"]))
        for key, text in by_digest.items()
        for value in [kept.get(key) or missing[key]]
    }
