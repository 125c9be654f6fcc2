"""X (Twitter): POST /2/tweets of API v2 with an OAuth 2.0 user-context Bearer token.

280 characters, every link counted as 23. No idempotency key: an interrupted send becomes
`unknown`. (X refuses a second post with the very same text with 403, but a post repeated
after hours is allowed, so that is no guarantee to build on.)
"""

from __future__ import annotations

from ckanext.layananpublik.social.adapters.base import N_, Adapter, Field, Outcome, Request


class XAdapter(Adapter):
    platform = "x"
    label = "X"
    max_length = 280
    url_length = 23
    fields = (Field("api_base", N_("API address"), required=False, default="https://api.x.com"),)
    secret_label = N_("OAuth 2.0 user access token (tweet.write)")

    def build(self, text: str, key: str, payload: dict) -> Request:
        return Request(
            "POST",
            self.settings["api_base"].rstrip("/") + "/2/tweets",
            {"Authorization": f"Bearer {self.secret}"},
            json={"text": text},
        )

    def published(self, response, body) -> Outcome:
        tweet_id = str(((body or {}).get("data") or {}).get("id") or "")
        url = f"https://x.com/i/web/status/{tweet_id}" if tweet_id else None
        return Outcome(
            "published", response.status_code, response.text[:2000], remote_id=tweet_id, remote_url=url
        )
