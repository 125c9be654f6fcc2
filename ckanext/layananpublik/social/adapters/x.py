"""X (Twitter): POST /2/tweets of API v2 with an OAuth 2.0 user-context Bearer token.

280 characters, every link counted as 23. No idempotency key: an interrupted send becomes
`unknown`. (X refuses a second post with the very same text with 403, but a post repeated
after hours is allowed, so that is no guarantee to build on.)

Replies: GET /2/tweets/search/recent?query=conversation_id:<post id>, from `since_id` (the
cursor: the newest reply read), page after page (`meta.next_token`). That endpoint is not
in X's Free tier: it needs the Basic tier or higher (and its monthly read cap), and it
covers the last 7 days only, so a post is followed at most that long whatever
`listen_max_age_days` says. An edited post is a new id listing the original first in
`edit_history_tweet_ids`: it updates the reply imported under the original id. Deleted
posts simply stop appearing (search shows no deletions). A reply through the outbox is
POST /2/tweets with `reply.in_reply_to_tweet_id`.
"""

from __future__ import annotations

from ckanext.layananpublik.social.adapters.base import N_, Adapter, Field, Outcome, Request
from ckanext.layananpublik.social.adapters.replies import Harvest, Reply, failed_harvest, timestamp

PAGES = 10


class XAdapter(Adapter):
    platform = "x"
    label = "X"
    max_length = 280
    url_length = 23
    fields = (Field("api_base", N_("API address"), required=False, default="https://api.x.com"),)
    secret_label = N_("OAuth 2.0 user access token (tweet.write)")
    listens = "post"

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
        replies: list[Reply] = []
        newest = int(cursor) if cursor else 0
        token = None
        for _page in range(PAGES):
            params = {"query": f"conversation_id:{remote_id}", "max_results": 100, "expansions": "author_id",
                      "tweet.fields": "author_id,created_at,conversation_id,edit_history_tweet_ids",
                      "user.fields": "username,name", **({"since_id": cursor} if cursor else {}),
                      **({"pagination_token": token} if token else {})}  # fmt: skip
            body = self.read(self.settings["api_base"].rstrip("/") + "/2/tweets/search/recent", params=params,
                             headers={"Authorization": f"Bearer {self.secret}"})  # fmt: skip
            if isinstance(body, Outcome):
                return failed_harvest(body, cursor)  # since_id paging: read it all again next time
            users = {u["id"]: u for u in (body.get("includes") or {}).get("users") or []}
            for tweet in body.get("data") or []:
                history = tweet.get("edit_history_tweet_ids") or [tweet["id"]]
                user = users.get(tweet.get("author_id")) or {}
                replies.append(Reply(
                    remote_id=str(history[0]), text=tweet.get("text") or "", reply_ref=str(tweet["id"]),
                    author_handle="@" + user["username"] if user.get("username") else None,
                    author_name=user.get("name"), url=f"https://x.com/i/web/status/{tweet['id']}",
                    created_at=timestamp(tweet.get("created_at")),
                    edited_at=timestamp(tweet.get("created_at")) if len(history) > 1 else None,
                ))  # fmt: skip
                newest = max(newest, int(tweet["id"]))
            token = (body.get("meta") or {}).get("next_token")
            if not token:
                break
        return Harvest(replies, str(newest) if newest else cursor)

    def published(self, response, body) -> Outcome:
        tweet_id = str(((body or {}).get("data") or {}).get("id") or "")
        url = f"https://x.com/i/web/status/{tweet_id}" if tweet_id else None
        return Outcome(
            "published", response.status_code, response.text[:2000], remote_id=tweet_id, remote_url=url
        )
