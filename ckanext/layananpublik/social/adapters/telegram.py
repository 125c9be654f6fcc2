"""Telegram: the Bot API's sendMessage to a channel (the bot is an administrator of it).

The token is part of the address (https://api.telegram.org/bot<token>/sendMessage). Telegram
has no idempotency key and no way for a bot to list what it sent: an interrupted send
becomes `unknown` for an administrator to check.

Replies: comments on a channel post are messages in the channel's linked discussion group,
answering the copy Telegram forwards there (`is_automatic_forward`). The bot must be a
member of that group with privacy mode off (or an administrator of it) to receive them;
getUpdates then returns them to it, for every post at once, from an offset: the channel's
cursor (JSON: the offset, and which discussion thread belongs to which channel post).
Edited comments arrive as `edited_message`; the Bot API says nothing of deleted ones. The
bot must not have a webhook set (getUpdates is refused then). A reply through the outbox is
sendMessage to the group with `reply_to_message_id`.
"""

from __future__ import annotations

import json

from ckanext.layananpublik.social.adapters.base import N_, Adapter, Field, Outcome, Request
from ckanext.layananpublik.social.adapters.replies import Harvest, Reply, failed_harvest, timestamp

THREADS_KEPT = 2000  # discussion threads remembered in the cursor (the newest)


class TelegramAdapter(Adapter):
    platform = "telegram"
    label = "Telegram"
    max_length = 4096
    fields = (
        Field("chat_id", N_("Channel (@username or numeric id)")),
        Field("api_base", N_("Bot API server"), required=False, default="https://api.telegram.org"),
    )
    secret_label = N_("Bot token")
    listens = "channel"

    def _bot(self, method: str) -> str:
        return f"{self.settings['api_base'].rstrip('/')}/bot{self.secret}/{method}"

    def build(self, text: str, key: str, payload: dict) -> Request:
        message: dict = {"chat_id": self.settings["chat_id"], "text": text}
        if payload.get("in_reply_to"):
            chat_id, _, message_id = str(payload["in_reply_to"]).rpartition(":")
            message = {"chat_id": int(chat_id), "text": text, "reply_to_message_id": int(message_id)}
        return Request("POST", self._bot("sendMessage"), {}, json=message)

    def _ours(self, chat: dict) -> bool:
        wanted = str(self.settings["chat_id"])
        return wanted in (f"@{chat.get('username')}", str(chat.get("id")))

    def collect(self, remote_id: str | None, cursor: str | None) -> Harvest:
        state = json.loads(cursor) if cursor else {"offset": 0, "threads": {}}
        params = {"offset": state["offset"], "timeout": 0, "limit": 100,
                  "allowed_updates": json.dumps(["message", "edited_message"])}  # fmt: skip
        body = self.read(self._bot("getUpdates"), params=params)
        if isinstance(body, Outcome):
            return failed_harvest(body, cursor)
        if not isinstance(body, dict) or not body.get("ok"):
            return failed_harvest(Outcome("failed", error=str(body)[:300]), cursor)
        threads: dict = state["threads"]
        replies = []
        for update in body.get("result") or []:
            state["offset"] = max(state["offset"], int(update["update_id"]) + 1)
            message = update.get("message") or update.get("edited_message") or {}
            chat = message.get("chat") or {}
            if chat.get("type") not in ("group", "supergroup"):
                continue
            where = f"{chat['id']}:"
            if message.get("is_automatic_forward"):  # our channel post, copied into the group
                origin = message.get("forward_origin") or {}
                source = message.get("forward_from_chat") or origin.get("chat") or {}
                post = message.get("forward_from_message_id") or origin.get("message_id")
                if post and self._ours(source):
                    threads[where + str(message["message_id"])] = str(post)
                continue
            parent = message.get("reply_to_message") or {}
            thread = message.get("message_thread_id") or parent.get("message_id")
            post_ref = threads.get(where + str(thread))
            if post_ref is None and parent.get("is_automatic_forward") and self._ours(
                parent.get("forward_from_chat") or {}
            ):
                post_ref = str(parent.get("forward_from_message_id"))
            text = message.get("text") or message.get("caption")
            if post_ref is None or not text:
                continue
            author = message.get("from") or {}
            ref = where + str(message["message_id"])
            replies.append(Reply(
                remote_id=ref, text=text, reply_ref=ref, post_ref=post_ref,
                author_handle="@" + author["username"] if author.get("username") else None,
                author_name=" ".join(filter(None, (author.get("first_name"), author.get("last_name")))) or None,
                url=f"https://t.me/{chat['username']}/{message['message_id']}" if chat.get("username") else None,
                created_at=timestamp(message.get("date")), edited_at=timestamp(message.get("edit_date")),
            ))  # fmt: skip
        state["threads"] = dict(list(threads.items())[-THREADS_KEPT:])
        return Harvest(replies, json.dumps(state))

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
