"""Mastodon: POST /api/v1/statuses with a Bearer token and an Idempotency-Key header.

Mastodon keeps an Idempotency-Key for one hour and answers a repeated request with the
status it already created, so an interrupted send is repeated with the same key (within
that hour). Every link counts as 23 characters, like on X.

Replies: GET /api/v1/statuses/:id/context lists every descendant of the post (no paging);
each is imported once by its `uri` (global across servers); a status whose `edited_at`
changed is updated; a descendant seen before and missing now was deleted. The token needs
the scope read:statuses as well. A reply through the outbox is a status with `in_reply_to_id`.
"""

from __future__ import annotations

from ckanext.layananpublik.social.adapters.base import N_, Adapter, Field, Outcome, Request
from ckanext.layananpublik.social.adapters.replies import (
    Harvest,
    Reply,
    failed_harvest,
    plain_text,
    timestamp,
)


class MastodonAdapter(Adapter):
    platform = "mastodon"
    label = "Mastodon"
    max_length = 500
    url_length = 23
    idempotent = True
    idempotency_window = 3000  # Mastodon keeps keys 3,600 s; leave a margin
    fields = (
        Field("instance_url", N_("Server address (https://...)")),
        Field("visibility", N_("Visibility (public, unlisted)"), required=False, default="public"),
        Field("max_characters", N_("Character limit of the server"), required=False, default="500"),
    )
    secret_label = N_("Access token (scope write:statuses)")
    listens = "post"

    def _base(self) -> str:
        return self.settings["instance_url"].rstrip("/")

    def build(self, text: str, key: str, payload: dict) -> Request:
        status = {
            "status": text,
            "visibility": self.settings.get("visibility") or "public",
            "language": payload.get("language", "id"),
        }
        if payload.get("in_reply_to"):
            status["in_reply_to_id"] = payload["in_reply_to"]
        return Request(
            "POST",
            self._base() + "/api/v1/statuses",
            {"Authorization": f"Bearer {self.secret}", "Idempotency-Key": key},
            json=status,
        )

    def collect(self, remote_id: str | None, cursor: str | None) -> Harvest:
        body = self.read(
            f"{self._base()}/api/v1/statuses/{remote_id}/context",
            headers={"Authorization": f"Bearer {self.secret}"},
        )
        if isinstance(body, Outcome):
            return failed_harvest(body, cursor)
        replies = []
        for status in body.get("descendants") or []:
            account = status.get("account") or {}
            replies.append(Reply(
                remote_id=str(status.get("uri") or status.get("url") or status["id"]),
                text=plain_text(status.get("content")), author_handle="@" + str(account.get("acct") or ""),
                author_name=account.get("display_name") or None, url=status.get("url"),
                created_at=timestamp(status.get("created_at")), edited_at=timestamp(status.get("edited_at")),
                reply_ref=str(status["id"]),
            ))  # fmt: skip
        newest = max((int(r.reply_ref) for r in replies if r.reply_ref.isdigit()), default=None)
        return Harvest(replies, str(newest) if newest is not None else cursor, complete=True)

    def published(self, response, body) -> Outcome:
        body = body or {}
        return Outcome(
            "published", response.status_code, response.text[:2000],
            remote_id=str(body.get("id") or ""), remote_url=body.get("url") or body.get("uri"),
        )  # fmt: skip
