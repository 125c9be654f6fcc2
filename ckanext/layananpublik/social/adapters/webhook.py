"""Generic signed webhook: a JSON POST for anything else (WhatsApp gateways, n8n, Slack...).

Headers: `X-LayananPublik-Delivery` (the post id, the same on every retry),
`X-LayananPublik-Timestamp` (Unix seconds) and `X-LayananPublik-Signature: sha256=<hex>`,
the HMAC-SHA256 with the channel's secret of `<timestamp>.<raw body>`. A receiver that
deduplicates on the delivery id may say so (`dedupes`), and interrupted sends are then
repeated; otherwise they become `unknown`.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from ckanext.layananpublik.social.adapters.base import N_, Adapter, Field, Outcome, Request, dumps


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


class WebhookAdapter(Adapter):
    platform = "webhook"
    label = N_("Webhook (signed JSON)")
    max_length = 10_000
    idempotency_window = 7 * 24 * 3600
    fields = (
        Field("url", N_("Address (https://...)")),
        Field(
            "dedupes",
            N_("The receiver ignores a repeated delivery id (yes/no)"),
            required=False,
            default="no",
        ),
    )
    secret_label = N_("Signing secret")

    def __init__(self, settings: dict, secret: str, timeout: float = 10.0):
        super().__init__(settings, secret, timeout)
        self.idempotent = str(self.settings.get("dedupes", "")).lower() in ("yes", "true", "1", "ya")

    def build(self, text: str, key: str, payload: dict) -> Request:
        body = dumps({"delivery": key, "text": text, **payload})
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "X-LayananPublik-Delivery": key,
            "X-LayananPublik-Timestamp": timestamp,
            "X-LayananPublik-Signature": signature(self.secret, timestamp, body),
        }
        return Request("POST", self.settings["url"], headers, body=body)

    def published(self, response, body) -> Outcome:
        body = body if isinstance(body, dict) else {}
        return Outcome(
            "published", response.status_code, response.text[:2000],
            remote_id=str(body.get("id") or "") or None, remote_url=body.get("url"),
        )  # fmt: skip
