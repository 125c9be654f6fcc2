"""The outbox: rows written with the dataset event, claimed and sent by workers.

Why a post is never sent twice:

1. A worker claims one row with SELECT ... FOR UPDATE SKIP LOCKED, marks it `sending`
   with a fresh attempt token and a lease, writes the audit row and commits *before* the
   HTTP call. Another worker skips locked rows and never takes a `sending` row whose lease
   is running.
2. The result is written only if the row still carries that worker's token.
3. A `sending` row whose lease ran out belongs to a worker that died mid-send: on a
   platform with idempotency keys (Mastodon, a deduplicating webhook) it is sent again
   with the same key inside the key's lifetime; where the platform can be searched
   (Facebook) it is looked up; otherwise it becomes `unknown` and waits for a person.
   A timeout or a connection lost after the request was written is treated the same way.

Why a post is never lost: the row is committed with the dataset; every failure either
schedules the row again (network errors, 429, 5xx: exponential backoff, Retry-After
honoured) or leaves it visibly `failed` / `unknown` with the error, for retry by an admin.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import ckan.plugins.toolkit as tk
from ckan import model
from sqlalchemy.dialects.postgresql import insert as pg_insert

from ckanext.layananpublik.cases import outbox as mail_outbox
from ckanext.layananpublik.social import adapters, credentials, eligibility, links, messages, texts
from ckanext.layananpublik.social.adapters.base import Adapter, Outcome
from ckanext.layananpublik.social.labels import WORKER
from ckanext.layananpublik.social.model import ONCE_EVENTS, SocialChannel, SocialPost, log, utcnow

logger = logging.getLogger(__name__)
FLAG = "layananpublik_social_drain"


def _opt(name: str):
    return tk.config.get(f"ckanext.layananpublik.social.{name}")


def adapter_for(channel: SocialChannel, with_secret: bool = False) -> Adapter:
    """The channel's adapter; its credential decrypted only for sending (CredentialError)."""
    secret = credentials.decrypt(channel.secret) if with_secret else ""
    return adapters.get(channel.platform)(channel.settings or {}, secret, timeout=_opt("timeout"))


def dataset_url(pkg: model.Package) -> str:
    return f"{tk.config.get('ckan.site_url', '').rstrip('/')}/dataset/{pkg.name}"


def text_for(pkg: model.Package, event: str, channel: SocialChannel, adapter: Adapter | None = None) -> str:
    adapter = adapter or adapter_for(channel)
    org = model.Group.get(pkg.owner_org) if pkg.owner_org else None
    values = {
        "title": pkg.title or pkg.name,
        "summary": texts.plain_summary(pkg.notes),
        "organization": org.title if org else tk.config.get("ckan.site_title", ""),
        "url": dataset_url(pkg),
        "resource_count": eligibility.resource_count(pkg),
        "site_title": tk.config.get("ckan.site_title", ""),
    }
    tags = texts.hashtags([t.name for t in pkg.get_tags()], _opt("hashtags_max"))
    return texts.compose(event, channel.language, values, tags, adapter.text_length, adapter.max_chars())


# --- writing rows (in the caller's transaction) --------------------------------------------


def record_dataset_event(pkg: model.Package, actor: str | None, now: dt.datetime | None = None) -> list[str]:
    """Add outbox rows for every channel the dataset's current state should be posted to.
    Runs inside the dataset's transaction and never commits; returns the new post ids."""
    if not _opt("enabled") or eligibility.ineligibility(pkg):
        return []
    now = now or utcnow()
    created = []
    for channel in eligibility.channels_for(pkg):
        event = eligibility.event_for(pkg, channel, now)
        if event is None:
            continue
        post_id = add_post(channel, pkg, event, actor, now)
        if post_id:
            created.append(post_id)
    if created:
        model.Session.info[FLAG] = True
    return created


def add_post(
    channel: SocialChannel, pkg: model.Package, event: str, actor: str | None, now: dt.datetime
) -> str | None:
    table = SocialPost.__table__
    # Serta-merta information is announced without delay (Pasal 10 UU 14/2008): no review.
    status = "review" if channel.needs_review() and event != "serta_merta" else "queued"
    stmt = pg_insert(table).values(
        id=str(uuid.uuid4()), channel_id=channel.id, organization_id=channel.organization_id,
        package_id=pkg.id, event=event, text=text_for(pkg, event, channel), status=status,
        resource_count=eligibility.resource_count(pkg), attempts=0, next_attempt_at=now,
        created_at=now, created_by=actor, updated_at=now,
    )  # fmt: skip
    if event in ONCE_EVENTS:
        stmt = stmt.on_conflict_do_nothing(
            index_elements=["channel_id", "package_id"],
            index_where=table.c.event.in_(ONCE_EVENTS),
        )
    post_id = model.Session.execute(stmt.returning(table.c.id)).scalar()
    if post_id:
        post = model.Session.get(SocialPost, post_id)
        log(post, "created", actor, now)
    return post_id


# --- draining -------------------------------------------------------------------------------


@dataclass
class Claim:
    post_id: str
    token: str
    mode: str  # "send" or "lookup"
    text: str
    key: str
    channel_id: str
    payload: dict


def _payload(post: SocialPost, channel: SocialChannel) -> dict:
    pkg = model.Package.get(post.package_id) if post.package_id else None
    org = model.Group.get(post.organization_id) if post.organization_id else None
    return {
        "event": post.event,
        "language": channel.language,
        "channel": channel.title,
        "url": dataset_url(pkg) if pkg else None,
        "dataset": {"id": pkg.id, "name": pkg.name, "title": pkg.title} if pkg else None,
        "organization": {"id": org.id, "name": org.name, "title": org.title} if org else None,
        **({"in_reply_to": post.in_reply_to} if post.in_reply_to else {}),
    }


def backoff(attempts: int, retry_after: float | None) -> float:
    """Seconds before the next try: doubling from retry_base_seconds up to retry_max_seconds,
    or longer if the platform asked (Retry-After)."""
    delay = min(_opt("retry_base_seconds") * 2 ** max(0, attempts - 1), _opt("retry_max_seconds"))
    return max(delay, retry_after or 0)


def _recover(post: SocialPost, channel: SocialChannel, adapter: Adapter, now: dt.datetime) -> str:
    """A `sending` row whose worker died (lease over): what to do, without risking a double."""
    started = post.sending_started_at or post.updated_at
    if adapter.idempotent and (now - started).total_seconds() < adapter.idempotency_window:
        post.status = "queued"
        post.next_attempt_at = now
        log(post, "lease_expired_resend", WORKER, now, error=messages.RESENT_SAME_KEY)
        return "send"
    if type(adapter).lookup is not Adapter.lookup:
        return "lookup"
    post.status = "unknown"
    post.last_error = messages.STOPPED_CHECK
    post.lease_until = None
    post.updated_at = now
    log(post, "lease_expired_unknown", WORKER, now, error=post.last_error)
    return "none"


def _claim_row(now: dt.datetime) -> tuple[SocialPost, SocialChannel, str] | None:
    P = SocialPost
    while True:
        expired = (
            model.Session.query(P)
            .filter(P.status == "sending", P.lease_until < now)
            .order_by(P.lease_until)
            .with_for_update(skip_locked=True)
            .first()
        )
        if expired is None:
            break
        channel = model.Session.get(SocialChannel, expired.channel_id)
        mode = _recover(expired, channel, adapter_for(channel), now)
        if mode != "none":
            return expired, channel, mode
        model.Session.commit()
    post = (
        model.Session.query(P)
        # A deactivated channel's queued posts wait (they go out if it is reactivated).
        .join(SocialChannel, SocialChannel.id == P.channel_id)
        .filter(P.status == "queued", P.next_attempt_at <= now, SocialChannel.active.is_(True))
        .order_by(P.next_attempt_at, P.created_at)
        .with_for_update(skip_locked=True, of=P)  # lock the post only, not its channel
        .first()
    )
    if post is None:
        return None
    return post, model.Session.get(SocialChannel, post.channel_id), "send"


def claim_one(now: dt.datetime) -> Claim | None:
    """Take one row to work on, in a transaction of its own (committed here)."""
    found = _claim_row(now)
    if found is None:
        model.Session.rollback()
        return None
    post, channel, mode = found
    token = str(uuid.uuid4())
    post.status = "sending"
    post.attempt_token = token
    post.lease_until = now + dt.timedelta(seconds=_opt("lease_seconds"))
    post.updated_at = now
    if mode == "send":
        post.attempts += 1
        post.sending_started_at = post.sending_started_at or now
    log(post, mode, WORKER, now)
    claim = Claim(post.id, token, mode, post.text, post.id, channel.id, _payload(post, channel))
    model.Session.commit()
    return claim


def _apply(post: SocialPost, outcome: Outcome, adapter: Adapter, now: dt.datetime) -> str:
    fields = {
        "http_status": outcome.http_status,
        "response": outcome.response or None,
        "error": outcome.error or None,
    }
    kind = outcome.kind
    if kind == "uncertain" and adapter.idempotent:
        kind = "retry"
    if kind == "published":
        # Shown as a link: a platform answering `javascript:...` gets no address stored.
        post.status, post.remote_id = "published", outcome.remote_id
        post.remote_url = links.web_link(outcome.remote_url)
        post.published_at, post.last_error = now, None
    elif kind == "retry" and post.attempts >= _opt("max_attempts"):
        post.status = "failed"
        post.last_error = messages.GAVE_UP.format(attempts=post.attempts, error=outcome.error)
        fields["error"] = post.last_error
    elif kind == "retry":
        post.status, post.last_error = "queued", outcome.error
        post.next_attempt_at = now + dt.timedelta(seconds=backoff(post.attempts, outcome.retry_after))
    elif kind == "uncertain":
        post.status = "unknown"
        post.last_error = messages.MAY_BE_PUBLISHED.format(error=outcome.error)
        fields["error"] = post.last_error
    else:
        post.status, post.last_error = "failed", outcome.error
    post.lease_until = None
    post.updated_at = now
    log(post, kind, WORKER, now, **fields)
    return post.status


def finish(claim: Claim, outcome: Outcome, adapter: Adapter, now: dt.datetime) -> str:
    post = model.Session.query(SocialPost).filter_by(id=claim.post_id).with_for_update().one()
    if post.status == "sending" and post.attempt_token == claim.token:
        status = _apply(post, outcome, adapter, now)
    elif outcome.kind == "published" and post.status != "published":
        # The lease ran out while this worker waited, but the platform did publish it.
        status = _apply(post, outcome, adapter, now)
    else:
        log(
            post,
            "late_result_ignored",
            WORKER,
            now,
            http_status=outcome.http_status,
            error=outcome.error or None,
        )
        status = post.status
    model.Session.commit()
    return status


def process(claim: Claim, clock: Callable[[], dt.datetime]) -> str:
    channel = model.Session.get(SocialChannel, claim.channel_id)
    try:
        adapter = adapter_for(channel, with_secret=True)
    except credentials.CredentialError as exc:  # nothing was sent: failed, for an admin to fix
        adapter = adapter_for(channel)
        model.Session.rollback()
        return finish(claim, Outcome("failed", error=str(exc)), adapter, clock())
    model.Session.rollback()  # no transaction (nor connection) held during the HTTP call
    if claim.mode == "lookup":
        outcome = adapter.lookup(claim.text, claim.key, claim.payload)
        if outcome is None:
            outcome = Outcome("uncertain", error=messages.STOPPED_NOT_SEARCHABLE)
        elif outcome.kind == "retry":
            outcome = adapter.send(claim.text, claim.key, claim.payload)
    else:
        outcome = adapter.send(claim.text, claim.key, claim.payload)
        if outcome.kind == "uncertain" and not adapter.idempotent:
            found = adapter.lookup(claim.text, claim.key, claim.payload)
            if found is not None and found.kind == "published":
                outcome = found
    return finish(claim, outcome, adapter, clock())


def work_through(claim_one: Callable, process: Callable, clock: Callable[[], dt.datetime], limit: int | None,
                 what: str) -> dict[str, int]:  # fmt: skip
    """Claim and process rows until none is due (or `limit` were handled): how many ended in
    each result. An unexpected error leaves its row claimed; its lease runs out and the next
    worker takes it up (sending: recovery decides, without a double; reading: read again)."""
    counts: dict[str, int] = {}
    handled = 0
    while limit is None or handled < limit:
        claim = claim_one(clock())
        if claim is None:
            break
        try:
            result = process(claim, clock)
        except Exception:
            logger.exception("social %s %s: unexpected error", what, claim)
            model.Session.rollback()
            result = "error"
        counts[result] = counts.get(result, 0) + 1
        handled += 1
    return counts


def drain(clock: Callable[[], dt.datetime] = utcnow, limit: int | None = None) -> dict[str, int]:
    """Send every due post (until none is left, or `limit` were handled); safe to run in
    any number of processes at once. Returns how many ended in each status."""
    return work_through(claim_one, process, clock, limit, "post")


def next_due() -> dt.datetime | None:
    """When the next post becomes due (a retry time or a lease ending), None if none waits."""
    return mail_outbox.next_due(SocialPost)
