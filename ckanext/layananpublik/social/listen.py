"""Listening: the replies to the body's published posts, imported once into its inbox.

Run by the social worker next to the outbox drain (`ckan layananpublik social-outbox drain`,
from cron or with --watch, and the drain job). Every published post of a platform read per
post (Mastodon, Facebook, X), and every Telegram channel (its bot's updates), has a row in
layananpublik_social_listen holding its cursor. Like the outbox:

1. a worker claims one due row with SELECT ... FOR UPDATE SKIP LOCKED, gives it a lease and
   a fresh token, and commits before reading the platform (no transaction held meanwhile);
2. the replies and the new cursor are written in one transaction, only if the row still
   carries that token; a worker killed mid-import wrote nothing, and the row is read again
   from the old cursor once its lease ends;
3. a reply is inserted with ON CONFLICT DO NOTHING on (platform, remote_id): read twice, by
   one worker or two, it is still imported once. An edited reply updates the text (the
   earlier one kept in the history); a reply missing from a complete listing was deleted;
4. 429 and 5xx answers back off exponentially (the platform's Retry-After honoured), like
   the outbox; other refusals wait `retry_max_seconds` and stay visible as `last_error`.

A post is followed until `listen_max_age_days` after it was published: a post read per post
is no longer read then; the comments a channel's read (Telegram) brings about an older post
are neither imported nor updated.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from sqlalchemy.dialects.postgresql import insert as pg_insert

from ckanext.layananpublik.cases import events
from ckanext.layananpublik.cases.clock import local_day
from ckanext.layananpublik.cases.validators import MAX_LENGTHS
from ckanext.layananpublik.social import adapters, credentials, outbox
from ckanext.layananpublik.social.adapters.base import Outcome
from ckanext.layananpublik.social.adapters.replies import Harvest, Reply
from ckanext.layananpublik.social.model import (
    SocialChannel,
    SocialFeedback,
    SocialFeedbackEvent,
    SocialListen,
    SocialPost,
    utcnow,
)

logger = logging.getLogger(__name__)
TEXT_MAX = MAX_LENGTHS["reply_text"]
SYSTEM = {"ignore_auth": True}  # events written by the worker: no user
FOREVER = dt.timedelta(days=365 * 100)


def _opt(name: str):
    return tk.config.get(f"ckanext.layananpublik.social.{name}")


def _platforms(kind: str) -> list[str]:
    return [name for name, cls in adapters.REGISTRY.items() if cls.listens == kind]


def follow(now: dt.datetime) -> None:
    """Add a listen row for each published post still young enough, and for each active
    channel of a platform read per channel (committed)."""
    P, C, L = SocialPost.__table__, SocialChannel.__table__, SocialListen.__table__
    age = dt.timedelta(days=_opt("listen_max_age_days"))
    posts = (
        sa.select(P.c.id, P.c.channel_id, P.c.id, sa.literal(now), P.c.published_at + age)
        .select_from(P.join(C, C.c.id == P.c.channel_id))
        .where(P.c.status == "published", P.c.event != "reply", P.c.remote_id.isnot(None),
               P.c.published_at > now - age, C.c.platform.in_(_platforms("post")), C.c.active.is_(True),
               ~sa.exists().where(L.c.post_id == P.c.id))
    )  # fmt: skip
    columns = ["id", "channel_id", "post_id", "next_poll_at", "stop_at"]
    model.Session.execute(pg_insert(L).from_select(columns, posts).on_conflict_do_nothing())
    channels = (
        sa.select(sa.literal("channel:") + C.c.id, C.c.id, sa.null(), sa.literal(now), sa.literal(now + FOREVER))
        .where(C.c.platform.in_(_platforms("channel")), C.c.active.is_(True))
    )  # fmt: skip
    model.Session.execute(pg_insert(L).from_select(columns, channels).on_conflict_do_nothing())
    model.Session.commit()


@dataclass
class ListenClaim:
    listen_id: str
    token: str
    channel_id: str
    post_id: str | None
    remote_id: str | None
    cursor: str | None


def claim_one(now: dt.datetime) -> ListenClaim | None:
    L = SocialListen
    row = (
        model.Session.query(L)
        .join(SocialChannel, SocialChannel.id == L.channel_id)
        .filter(L.next_poll_at <= now, L.stop_at > now, sa.or_(L.lease_until.is_(None), L.lease_until < now),
                SocialChannel.active.is_(True))
        .order_by(L.next_poll_at)
        .with_for_update(skip_locked=True, of=L)
        .first()
    )  # fmt: skip
    if row is None:
        model.Session.rollback()
        return None
    post = model.Session.get(SocialPost, row.post_id) if row.post_id else None
    row.attempt_token = str(uuid.uuid4())
    row.lease_until = now + dt.timedelta(seconds=_opt("lease_seconds"))
    claim = ListenClaim(row.id, row.attempt_token, row.channel_id, row.post_id,
                        post.remote_id if post else None, row.cursor)  # fmt: skip
    model.Session.commit()
    return claim


class Importer:
    """Writes one harvest's replies (in the caller's transaction)."""

    def __init__(self, channel: SocialChannel, claim: ListenClaim, now: dt.datetime):
        self.channel, self.claim, self.now = channel, claim, now
        self.posts: dict[str, SocialPost | None] = {}
        self.calendar = None
        self.due_dates: dict[dt.date, dt.date] = {}
        self.counts = {"imported": 0, "edited": 0, "deleted": 0}

    def post_for(self, reply: Reply) -> SocialPost | None:
        if self.claim.post_id:
            return model.Session.get(SocialPost, self.claim.post_id)
        if reply.post_ref not in self.posts:
            self.posts[reply.post_ref] = (
                model.Session.query(SocialPost)
                .filter(SocialPost.channel_id == self.channel.id, SocialPost.remote_id == reply.post_ref,
                        SocialPost.event != "reply")
                .first()
            )  # fmt: skip
        return self.posts[reply.post_ref]

    def followed(self, reply: Reply) -> bool:
        """A reply of a post still followed. A post read per post stops being read once it is
        `listen_max_age_days` old (its row's stop_at); a channel's reads (Telegram) go on for
        its new posts, and what they bring about an older post is left out here."""
        if self.claim.post_id:
            return True
        post = self.post_for(reply)
        if post is None:  # a comment on something the outbox did not publish
            return False
        age = dt.timedelta(days=_opt("listen_max_age_days"))
        return post.published_at is not None and post.published_at > self.now - age

    def listed_whole(self) -> bool:
        """A complete read lists every reply still there (X: only of a post younger than
        the 7 days its search covers; older replies drop out of it without being deleted)."""
        days = adapters.REGISTRY[self.channel.platform].listing_days
        if days is None:
            return True
        post = model.Session.get(SocialPost, self.claim.post_id)
        return post.published_at > self.now - dt.timedelta(days=days)

    def due(self, received: dt.date) -> dt.date:
        from ckanext.layananpublik.calendar.deadlines import deadline_after
        from ckanext.layananpublik.calendar.store import load_calendar

        if received not in self.due_dates:
            if self.calendar is None:
                self.calendar = load_calendar()
            self.due_dates[received] = deadline_after(received, _opt("feedback_working_days"), self.calendar).due
        return self.due_dates[received]

    def run(self, harvest: Harvest) -> dict[str, int]:
        # One row per reply, in its last state (Telegram may list a message and its edit).
        replies = [r for r in {r.remote_id: r for r in harvest.replies if r.text}.values() if self.followed(r)]
        refs = {r.reply_ref for r in replies if r.reply_ref}
        ours = {
            ref for (ref,) in model.Session.query(SocialPost.remote_id).filter(
                SocialPost.channel_id == self.channel.id, SocialPost.remote_id.in_(refs))
        } if refs else set()  # fmt: skip
        replies = [r for r in replies if r.reply_ref not in ours]  # the body's own answers
        known = {
            f.remote_id: f
            for f in model.Session.query(SocialFeedback).filter(
                SocialFeedback.platform == self.channel.platform,
                SocialFeedback.remote_id.in_([r.remote_id for r in replies]),
            )
        } if replies else {}  # fmt: skip
        for reply in replies:
            if reply.remote_id in known:
                self.update(known[reply.remote_id], reply)
        self.insert([r for r in replies if r.remote_id not in known])
        if harvest.complete and self.claim.post_id and self.listed_whole():
            self.mark_deleted({r.remote_id for r in replies})
        return self.counts

    def insert(self, replies: list[Reply]) -> None:
        """New replies in one statement; ON CONFLICT DO NOTHING: what another worker imported
        a moment ago is skipped (RETURNING names only the rows inserted here)."""
        values = []
        for reply in replies:
            post = self.post_for(reply)
            if post is None:
                continue
            received = local_day(self.now, post.organization_id)
            values.append({
                "id": str(uuid.uuid4()), "channel_id": self.channel.id, "post_id": post.id,
                "organization_id": post.organization_id, "package_id": post.package_id,
                "platform": self.channel.platform, "remote_id": reply.remote_id, "reply_ref": reply.reply_ref,
                "author_handle": reply.author_handle, "author_name": reply.author_name,
                "text": reply.text[:TEXT_MAX], "url": reply.url, "created_remote_at": reply.created_at,
                "received_at": self.now, "received_date": received, "due_date": self.due(received),
                "edited_at": reply.edited_at, "status": "open", "updated_at": self.now,
            })  # fmt: skip
        if not values:
            return
        F = SocialFeedback.__table__
        inserted = model.Session.execute(
            pg_insert(F).values(values)
            .on_conflict_do_nothing(constraint="layananpublik_social_feedback_once").returning(F.c.id)
        ).scalars().all()  # fmt: skip
        if inserted:
            model.Session.execute(sa.insert(SocialFeedbackEvent.__table__), [
                {"parent_id": new_id, "at": self.now, "actor_id": None, "actor_role": "system", "action": "received",
                 "note": None, "data": {}}
                for new_id in inserted
            ])  # fmt: skip
        self.counts["imported"] += len(inserted)

    def update(self, row: SocialFeedback, reply: Reply) -> None:
        text = reply.text[:TEXT_MAX]
        if row.deleted_at is None and row.text == text:
            return
        previous = row.text
        row.text, row.deleted_at, row.updated_at = text, None, self.now
        row.edited_at = reply.edited_at or self.now
        events.record(SocialFeedbackEvent, {"parent_id": row.id}, SYSTEM, "edited", previous, role="system",
                      at=self.now)  # fmt: skip
        self.counts["edited"] += 1

    def mark_deleted(self, seen: set[str]) -> None:
        gone = model.Session.query(SocialFeedback).filter(
            SocialFeedback.post_id == self.claim.post_id, SocialFeedback.platform == self.channel.platform,
            SocialFeedback.deleted_at.is_(None), SocialFeedback.remote_id.notin_(seen) if seen else sa.true(),
        )  # fmt: skip
        for row in gone:
            row.deleted_at = row.updated_at = self.now
            events.record(SocialFeedbackEvent, {"parent_id": row.id}, SYSTEM, "deleted", role="system", at=self.now)
            self.counts["deleted"] += 1


def store(claim: ListenClaim, harvest: Harvest, now: dt.datetime) -> str:
    """Write a harvest if the claim still holds (one transaction, committed here)."""
    row = model.Session.query(SocialListen).filter_by(id=claim.listen_id).with_for_update().one()
    if row.attempt_token != claim.token:
        model.Session.rollback()
        return "late"
    channel = model.Session.get(SocialChannel, claim.channel_id)
    counts = Importer(channel, claim, now).run(harvest)
    error = harvest.error
    if error is None:
        row.attempts, row.last_error = 0, None
        row.next_poll_at = now + dt.timedelta(seconds=_opt("listen_interval_seconds"))
        result = "polled"
    elif error.kind == "retry" and not harvest.replies:
        row.attempts += 1
        row.next_poll_at = now + dt.timedelta(seconds=outbox.backoff(row.attempts, error.retry_after))
        row.last_error, result = error.error, "retry"
    else:  # refused (a bad token, a post removed): tried again later, the error shown meanwhile
        row.attempts += 1
        wait = outbox.backoff(row.attempts, error.retry_after) if error.kind == "retry" else _opt("retry_max_seconds")
        row.next_poll_at = now + dt.timedelta(seconds=wait)
        row.last_error, result = error.error, "retry" if error.kind == "retry" else "failed"
    row.cursor = harvest.cursor
    row.imported += counts["imported"]
    row.lease_until, row.attempt_token, row.last_polled_at = None, None, now
    model.Session.commit()
    return result


def process(claim: ListenClaim, clock: Callable[[], dt.datetime]) -> str:
    channel = model.Session.get(SocialChannel, claim.channel_id)
    try:
        adapter = outbox.adapter_for(channel, with_secret=True)
    except credentials.CredentialError as exc:
        model.Session.rollback()
        return store(claim, Harvest([], claim.cursor, error=Outcome("failed", error=str(exc))), clock())
    model.Session.rollback()  # no transaction held while the platform answers
    return store(claim, adapter.collect(claim.remote_id, claim.cursor), clock())


def poll(clock: Callable[[], dt.datetime] = utcnow, limit: int | None = None) -> dict[str, int]:
    """Read every due post's replies (safe in any number of processes at once)."""
    if not _opt("listen_enabled"):
        return {}
    follow(clock())
    return outbox.work_through(claim_one, process, clock, limit, "listen")


def next_due() -> dt.datetime | None:
    """When the next read becomes due (its time, or the end of a lease), None if none waits."""
    L = SocialListen
    due = sa.func.greatest(L.next_poll_at, sa.func.coalesce(L.lease_until, L.next_poll_at))
    value = (
        model.Session.query(sa.func.min(due))
        .join(SocialChannel, SocialChannel.id == L.channel_id)
        .filter(L.stop_at > utcnow(), SocialChannel.active.is_(True))
        .scalar()
    )
    model.Session.rollback()
    return value
