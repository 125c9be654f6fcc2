"""Replies from any other source, pushed to the portal: the signed inbound webhook.

POST /ppid/sosial/tanggapan/masuk/<channel id> (a channel of platform `webhook`), signed like
the outbound webhook with the channel's signing secret: `X-LayananPublik-Timestamp` (Unix
seconds) and `X-LayananPublik-Signature: sha256=<hex>`, the HMAC-SHA256 of
`<timestamp>.<raw body>`. A timestamp further than `inbound_replay_seconds` from the
portal's clock is refused (a captured request cannot be replayed later); within the window a
repeated delivery changes nothing, as replies are unique per (platform, id).

Body (JSON): `id` (the reply's id at the source), `event` (`created`, `edited` or `deleted`),
`post` (the outbox post it answers: the `delivery` id the outbound webhook sent), `text`,
`author` (`{"handle": ..., "name": ...}`), `url`, `created_at` (ISO 8601).
"""

from __future__ import annotations

import datetime as dt
import hmac
import json

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.layananpublik.cases import events
from ckanext.layananpublik.social import credentials
from ckanext.layananpublik.social.adapters.replies import Harvest, Reply, timestamp
from ckanext.layananpublik.social.adapters.webhook import signature
from ckanext.layananpublik.social.listen import SYSTEM, Importer, ListenClaim
from ckanext.layananpublik.social.model import SocialChannel, SocialFeedback, SocialFeedbackEvent, SocialPost

EVENTS = ("created", "edited", "deleted")


class Rejected(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def _verified(channel: SocialChannel, stamp: str, given: str, raw: bytes, now: dt.datetime) -> None:
    if not stamp.isdigit():
        raise Rejected(401, tk._("Missing or malformed X-LayananPublik-Timestamp"))
    window = tk.config.get("ckanext.layananpublik.social.inbound_replay_seconds")
    if abs(now.timestamp() - int(stamp)) > window:
        raise Rejected(401, tk._("The timestamp is outside the replay window of {seconds} seconds").format(
            seconds=window))  # fmt: skip
    try:
        secret = credentials.decrypt(channel.secret)
    except credentials.CredentialError:
        raise Rejected(503, tk._("The channel's signing secret cannot be read")) from None
    if not secret or not hmac.compare_digest(signature(secret, stamp, raw), given or ""):
        raise Rejected(401, tk._("Bad signature"))


def _field(body: dict, name: str, required: bool = True) -> str | None:
    value = body.get(name)
    if value is None or value == "":
        if required:
            raise Rejected(400, tk._("Missing field: {name}").format(name=name))
        return None
    if not isinstance(value, (str, int)):
        raise Rejected(400, tk._("Field {name} must be a string").format(name=name))
    return str(value)


def receive(channel_id: str, stamp: str, given: str, raw: bytes, now: dt.datetime) -> dict:
    """Verify and import one pushed reply (committed); Rejected with an HTTP status if not."""
    channel = model.Session.get(SocialChannel, channel_id)
    if channel is None or channel.platform != "webhook" or not channel.active:
        raise Rejected(404, tk._("Social channel not found"))
    _verified(channel, stamp, given, raw, now)
    try:
        body = json.loads(raw)
    except ValueError:
        raise Rejected(400, tk._("The body is not JSON")) from None
    if not isinstance(body, dict):
        raise Rejected(400, tk._("The body must be a JSON object"))
    event = _field(body, "event", required=False) or "created"
    if event not in EVENTS:
        raise Rejected(400, tk._("Unknown event: {event}").format(event=event))
    remote_id = f"{channel.id}:{_field(body, 'id')}"
    post = model.Session.query(SocialPost).filter_by(id=_field(body, "post"), channel_id=channel.id).first()
    if post is None:
        raise Rejected(404, tk._("Social post not found"))
    if event == "deleted":
        row = model.Session.query(SocialFeedback).filter_by(platform="webhook", remote_id=remote_id).first()
        if row is None or row.deleted_at is not None:
            model.Session.rollback()
            return {"status": "unchanged"}
        row.deleted_at = row.updated_at = now
        events.record(SocialFeedbackEvent, {"parent_id": row.id}, SYSTEM, "deleted", role="system", at=now)
        model.Session.commit()
        return {"status": "deleted", "id": row.id}
    author = body.get("author") if isinstance(body.get("author"), dict) else {}
    reply = Reply(
        remote_id=remote_id, text=_field(body, "text"), author_handle=_field(author, "handle", False),
        author_name=_field(author, "name", False), url=_field(body, "url", False),
        created_at=timestamp(body.get("created_at")), edited_at=now if event == "edited" else None,
        reply_ref=None,
    )  # fmt: skip
    claim = ListenClaim("", "", channel.id, post.id, post.remote_id, None)
    counts = Importer(channel, claim, now).run(Harvest([reply]))
    model.Session.commit()
    status = "imported" if counts["imported"] else "updated" if counts["edited"] else "unchanged"
    row = model.Session.query(SocialFeedback).filter_by(platform="webhook", remote_id=remote_id).first()
    return {"status": status, "id": row.id if row else None}
