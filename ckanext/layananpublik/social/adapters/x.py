"""X (Twitter): POST /2/tweets of API v2 with an OAuth 2.0 user-context Bearer token.

280 characters, every link counted as 23. No idempotency key: an interrupted send becomes
`unknown`. (X refuses a second post with the very same text with 403, but a post repeated
after hours is allowed, so that is no guarantee to build on.)

Replies: GET /2/tweets/search/recent?query=conversation_id:<post id>, from `since_id` (the
newest reply read), page after page (`meta.next_token`). That endpoint is not in X's Free
tier: it needs the Basic tier or higher (and its monthly read cap), and it covers the last
7 days only, so a post is followed at most that long whatever `listen_max_age_days` says.
An edited post is a new id listing the original first in `edit_history_tweet_ids`: it
updates the reply imported under the original id. Search reports no deletion; a deleted
reply simply stops appearing. So one read in `FULL_EVERY` searches the whole conversation
again (no `since_id`): while the post is younger than `LISTING_DAYS` that lists every reply
still there, and one missing from it was deleted (social/listen.py marks it). The cursor is
JSON: `since_id` and the count of reads (a bare id: the cursor of earlier versions). A reply
through the outbox is POST /2/tweets with `reply.in_reply_to_tweet_id`.
"""

from __future__ import annotations

import json

from ckanext.layananpublik.social.adapters.base import N_, Adapter, Field, Outcome, Request
from ckanext.layananpublik.social.adapters.replies import Harvest, Reply, failed_harvest, timestamp

PAGES = 10
FULL_EVERY = 6  # one read in six searches the whole conversation again: deletions


class XAdapter(Adapter):
    platform = "x"
    label = "X"
    max_length = 280
    url_length = 23
    fields = (Field("api_base", N_("API address"), required=False, default="https://api.x.com"),)
    secret_label = N_("OAuth 2.0 user access token (tweet.write)")
    listens = "post"
    listing_days = 7  # recent search: a full read lists every reply of a post this young

    def build(self, text: str, key: str, payload: dict) -> Request:
        tweet: dict = {"text": text}
        if payload.get("in_reply_to"):
            tweet["reply"] = {"in_reply_to_tweet_id": payload["in_reply_to"]}
        return Request(
            "POST",
            self.settings["api_base"].rstrip("/") + "/2/tweets",
            {"Authorization": f"Bearer {self.secret}"},
            json=tweet,
        )

    def collect(self, remote_id: str | None, cursor: str | None) -> Harvest:
        state = _state(cursor)
        full = state["reads"] % FULL_EVERY == 0
        since = None if full else state["since_id"]
        latest: dict[str, tuple[int, Reply]] = {}  # per reply, its last version (an edit is a new id)
        newest = int(state["since_id"] or 0)
        token = None
        for _page in range(PAGES):
            params = {"query": f"conversation_id:{remote_id}", "max_results": 100, "expansions": "author_id",
                      "tweet.fields": "author_id,created_at,conversation_id,edit_history_tweet_ids",
                      "user.fields": "username,name", **({"since_id": since} if since else {}),
                      **({"pagination_token": token} if token else {})}  # fmt: skip
            body = self.read(self.settings["api_base"].rstrip("/") + "/2/tweets/search/recent", params=params,
                             headers={"Authorization": f"Bearer {self.secret}"})  # fmt: skip
            if isinstance(body, Outcome):
                return failed_harvest(body, cursor)  # since_id paging: read it all again next time
            users = {u["id"]: u for u in (body.get("includes") or {}).get("users") or []}
            for tweet in body.get("data") or []:
                history = tweet.get("edit_history_tweet_ids") or [tweet["id"]]
                user = users.get(tweet.get("author_id")) or {}
                reply = Reply(
                    remote_id=str(history[0]), text=tweet.get("text") or "", reply_ref=str(tweet["id"]),
                    author_handle="@" + user["username"] if user.get("username") else None,
                    author_name=user.get("name"), url=f"https://x.com/i/web/status/{tweet['id']}",
                    created_at=timestamp(tweet.get("created_at")),
                    edited_at=timestamp(tweet.get("created_at")) if len(history) > 1 else None,
                )  # fmt: skip
                if reply.remote_id not in latest or latest[reply.remote_id][0] < int(tweet["id"]):
                    latest[reply.remote_id] = (int(tweet["id"]), reply)
                newest = max(newest, int(tweet["id"]))
            token = (body.get("meta") or {}).get("next_token")
            if not token:
                break
        next_state = {"since_id": str(newest) if newest else None, "reads": state["reads"] + 1}
        return Harvest([r for _, r in latest.values()], json.dumps(next_state), complete=full and not token)

    def published(self, response, body) -> Outcome:
        tweet_id = str(((body or {}).get("data") or {}).get("id") or "")
        url = f"https://x.com/i/web/status/{tweet_id}" if tweet_id else None
        return Outcome(
            "published", response.status_code, response.text[:2000], remote_id=tweet_id, remote_url=url
        )


def _state(cursor: str | None) -> dict:
    if not cursor:
        return {"since_id": None, "reads": 0}
    if cursor.startswith("{"):
        return json.loads(cursor)
    return {"since_id": cursor, "reads": 1}  # earlier versions kept the newest id alone
