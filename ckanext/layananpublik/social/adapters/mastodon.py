"""Mastodon: POST /api/v1/statuses with a Bearer token and an Idempotency-Key header.

Mastodon keeps an Idempotency-Key for one hour and answers a repeated request with the
status it already created, so an interrupted send is repeated with the same key (within
that hour). Every link counts as 23 characters, like on X.
"""

from __future__ import annotations

from ckanext.layananpublik.social.adapters.base import N_, Adapter, Field, Outcome, Request


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

    def build(self, text: str, key: str, payload: dict) -> Request:
        return Request(
            "POST",
            self.settings["instance_url"].rstrip("/") + "/api/v1/statuses",
            {"Authorization": f"Bearer {self.secret}", "Idempotency-Key": key},
            json={
                "status": text,
                "visibility": self.settings.get("visibility") or "public",
                "language": payload.get("language", "id"),
            },
        )

    def published(self, response, body) -> Outcome:
        body = body or {}
        return Outcome(
            "published", response.status_code, response.text[:2000],
            remote_id=str(body.get("id") or ""), remote_url=body.get("url") or body.get("uri"),
        )  # fmt: skip
