"""Telegram: the Bot API's sendMessage to a channel (the bot is an administrator of it).

The token is part of the address (https://api.telegram.org/bot<token>/sendMessage). Telegram
has no idempotency key and no way for a bot to list what it sent: an interrupted send
becomes `unknown` for an administrator to check.
"""

from __future__ import annotations

from ckanext.layananpublik.social.adapters.base import N_, Adapter, Field, Outcome, Request


class TelegramAdapter(Adapter):
    platform = "telegram"
    label = "Telegram"
    max_length = 4096
    fields = (
        Field("chat_id", N_("Channel (@username or numeric id)")),
        Field("api_base", N_("Bot API server"), required=False, default="https://api.telegram.org"),
    )
    secret_label = N_("Bot token")

    def build(self, text: str, key: str, payload: dict) -> Request:
        return Request(
            "POST",
            f"{self.settings['api_base'].rstrip('/')}/bot{self.secret}/sendMessage",
            {},
            json={"chat_id": self.settings["chat_id"], "text": text},
        )

    def published(self, response, body) -> Outcome:
        body = body or {}
        if not body.get("ok"):
            return Outcome("failed", response.status_code, response.text[:2000], body.get("description", ""))
        result = body.get("result") or {}
        message_id = result.get("message_id")
        username = (result.get("chat") or {}).get("username")
        url = f"https://t.me/{username}/{message_id}" if username and message_id else None
        return Outcome(
            "published", response.status_code, response.text[:2000], remote_id=str(message_id), remote_url=url
        )

    def classify_error(self, response, body) -> Outcome:
        outcome = super().classify_error(response, body)
        if isinstance(body, dict):
            outcome.error = f"HTTP {response.status_code}: {body.get('description', '')}"
            wait = (body.get("parameters") or {}).get("retry_after")
            if wait is not None and outcome.retry_after is None:
                outcome.retry_after = float(wait)
        return outcome
