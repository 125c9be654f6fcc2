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

Rendered when a dataset is saved (dataset_saved, wired in plugin.py to IPackageController's
after_dataset_create/update/delete): inside the dataset's own transaction, in a savepoint, so
the description is kept exactly when the dataset is, and a failure here (rendering or the
database) only rolls back to the savepoint and is logged: the save goes on and the feed renders
the description lazily, as it does for a dataset saved before this code or after a change of
RENDERER. Each feedable dataset's digest is recorded (layananpublik_feed_description_use):
a save that changes the text deletes the old row when no other dataset uses it; `ckan
layananpublik feed-descriptions sync` (cron) renders what is missing and removes every row
that no current dataset uses (rows the lazy path wrote, a renderer's old rows).
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
from flask import has_request_context, request
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError

from ckanext.layananpublik.cases.memory import ProcessMemory
from ckanext.layananpublik.feeds import categories, entries
from ckanext.layananpublik.feeds.model import FeedDescription, FeedDescriptionUse

log = logging.getLogger(__name__)

TABLE = FeedDescription.__tablename__
USE = FeedDescriptionUse.__tablename__
# Bump when rendering changes (the HTML, the text or the summary): kept rows are then unused.
# The renderers' versions are part of it: an upgrade of either renders again.
RENDERER = f"1\x1f{entries.SUMMARY_LENGTH}\x1fmarkdown {markdown.__version__}\x1fbleach {bleach.__version__}"

# Descriptions this process read or rendered lately, by digest (with the caches on): right
# after an update the changed entry's description is usually one of them.
RECENT = 4096
_recent = ProcessMemory(RECENT)


def digest(notes: str) -> str:
    return hashlib.sha256(f"{RENDERER}\x1f{_links_language()}\x1f{notes}".encode()).hexdigest()


def _links_language() -> str:
    """The language CKAN's auto-links in a description point to: url_for puts the request's
    language in them (/en/dataset/?tags=...) unless it is the site's default, so a
    description rendered for one language is kept apart from the other's."""
    if not has_request_context():
        return ""
    environ = request.environ
    return "" if environ.get("CKAN_LANG_IS_DEFAULT", True) else environ.get("CKAN_LANG") or ""


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


_INSERT = sa.text(
    f"INSERT INTO {TABLE} (digest, html, text, summary) VALUES (:digest, :html, :text, :summary)"
    " ON CONFLICT (digest) DO NOTHING"
)


def _write(rendered: dict[str, dict]) -> None:
    """The lazy path (a GET): descriptions no save rendered (a dataset saved before this
    code, a new RENDERER), in a short transaction of their own."""
    try:
        with model.meta.engine.begin() as conn:
            conn.execute(
                _INSERT,
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
        _recent.keep_all({key: kept.get(key) or missing[key] for key in by_digest})
    return {
        text: dict(value, html=Markup(value["html"]))
        for key, text in by_digest.items()
        for value in [kept.get(key) or missing[key]]
    }


def feedable(pkg: model.Package) -> bool:
    """Whether a feed can show the dataset: public, active and not exempt (as every feed reads)."""
    return pkg.state == "active" and not pkg.private and pkg.extras.get(categories.FIELD) != categories.EXEMPT


def dataset_saved(package_id: str, deleted: bool = False) -> None:
    """After a dataset is created, updated or deleted (CKAN calls after_dataset_delete
    before it marks the dataset deleted), in its transaction: its description rendered and
    kept if a feed can show it, its old one deleted when no dataset uses it. Never fails
    the save: trouble is logged and rolled back to a savepoint."""
    pkg = model.Package.get(package_id)
    if pkg is None:
        return
    text = entries.clean(pkg.notes) if feedable(pkg) and not deleted else ""
    # A savepoint of the connection, not of the ORM session: a session's savepoint runs
    # CKAN's before-commit hook when it is released (the dataset is indexed there, before
    # the hooks that follow ours), and its rollback drops CKAN's list of the objects the
    # save changed (the dataset would not be indexed at all).
    conn = model.Session.connection()
    try:
        with conn.begin_nested():
            _keep(conn, pkg.id, text)
    except Exception:  # noqa: BLE001 - a feed renders it lazily; the dataset is saved
        log.exception("feeds: description of dataset %s not kept at save (a feed will render it)", pkg.id)


def _keep(conn: sa.engine.Connection, package_id: str, text: str) -> None:
    new = digest(text) if text else None
    old, kept = conn.execute(
        sa.text(
            f"SELECT (SELECT digest FROM {USE} WHERE package_id = :id),"
            f" EXISTS (SELECT 1 FROM {TABLE} WHERE digest = :new)"
        ),
        {"id": package_id, "new": new},
    ).one()
    if new and not kept:
        conn.execute(_INSERT, {"digest": new, **render(text)})
    if new == old:
        return
    if new:
        conn.execute(
            sa.text(
                f"INSERT INTO {USE} (package_id, digest) VALUES (:id, :new)"
                " ON CONFLICT (package_id) DO UPDATE SET digest = excluded.digest"
            ),
            {"id": package_id, "new": new},
        )
    else:
        conn.execute(sa.text(f"DELETE FROM {USE} WHERE package_id = :id"), {"id": package_id})
    if old:
        conn.execute(
            sa.text(f"DELETE FROM {TABLE} WHERE digest = :old AND NOT EXISTS (SELECT 1 FROM {USE} WHERE digest = :old)"),
            {"old": old},
        )


_FEEDABLE = (
    "p.state = 'active' AND NOT p.private AND NOT EXISTS (SELECT 1 FROM package_extra e"
    f" WHERE e.package_id = p.id AND e.key = '{categories.FIELD}' AND e.state = 'active'"
    f" AND e.value = '{categories.EXEMPT}')"
)


def sync(batch: int = 500) -> dict[str, int]:
    """Every feedable dataset's description rendered and recorded (datasets saved before
    this code, or before a change of RENDERER), then every row no such dataset uses
    deleted: descriptions of texts changed, datasets made private or deleted, rows the lazy
    path wrote. Rows rendered after the run began are left for the next run (a save or a
    feed may be writing them). Commits once per batch of datasets."""
    counts = {"datasets": 0, "rendered": 0, "failed": 0, "uses_removed": 0, "removed": 0}
    start = model.Session.execute(sa.text("SELECT clock_timestamp()")).scalar()
    after = ""
    while True:
        rows = model.Session.execute(
            sa.text(f"SELECT p.id, p.notes FROM package p WHERE {_FEEDABLE} AND p.id > :after ORDER BY p.id LIMIT :n"),
            {"after": after, "n": batch},
        ).all()
        if not rows:
            break
        after = rows[-1].id
        counts["datasets"] += len(rows)
        texts = {row.id: entries.clean(row.notes) for row in rows}
        digests = {key: digest(text) for key, text in texts.items() if text}
        kept = set(
            model.Session.execute(
                sa.text(f"SELECT digest FROM {TABLE} WHERE digest = ANY(:d)"), {"d": list(set(digests.values()))}
            ).scalars()
        )
        for key, value in digests.items():
            if value in kept:
                continue
            try:
                model.Session.execute(_INSERT, {"digest": value, **render(texts[key])})
                kept.add(value)
                counts["rendered"] += 1
            except Exception:  # noqa: BLE001 - left to the lazy path; the others go on
                log.exception("feeds: description of dataset %s not rendered", key)
                counts["failed"] += 1
        if digests:
            model.Session.execute(
                sa.text(
                    f"INSERT INTO {USE} (package_id, digest) VALUES (:id, :digest)"
                    f" ON CONFLICT (package_id) DO UPDATE SET digest = excluded.digest"
                    f" WHERE {USE}.digest <> excluded.digest"
                ),
                [{"id": key, "digest": value} for key, value in digests.items()],
            )
        if empty := [key for key in texts if key not in digests]:
            model.Session.execute(sa.text(f"DELETE FROM {USE} WHERE package_id = ANY(:ids)"), {"ids": empty})
        model.Session.commit()
    counts["uses_removed"] = model.Session.execute(
        sa.text(f"DELETE FROM {USE} u WHERE NOT EXISTS (SELECT 1 FROM package p WHERE p.id = u.package_id AND {_FEEDABLE})")
    ).rowcount
    counts["removed"] = model.Session.execute(
        sa.text(
            f"DELETE FROM {TABLE} d WHERE d.rendered_at < :start"
            f" AND NOT EXISTS (SELECT 1 FROM {USE} u WHERE u.digest = d.digest)"
        ),
        {"start": start},
    ).rowcount
    model.Session.commit()
    return counts
