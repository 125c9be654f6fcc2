"""Facebook Page: POST /{page-id}/feed of the Graph API with a Page access token.

No idempotency key; an interrupted send becomes `unknown` unless `lookup` finds the post
in the page's recent feed (by the dataset link it carries).

Replies: GET /{post-id}/comments (filter=stream: replies to comments too; chronological),
read page after page (`paging.cursors.after`, at most `PAGES` pages of 100 per poll); the
post's cursor (JSON) holds the last `after` read, so a poll reads only what is new; one poll in
`FULL_EVERY` reads every comment again from the start, which finds the comments edited (their
message changed) or deleted (missing) since. The page's own comments are skipped. The Page
token needs pages_read_user_content. A reply through the outbox is POST /{comment-id}/comments.
"""

from __future__ import annotations

import json

import requests

from ckanext.layananpublik.social import egress, messages
from ckanext.layananpublik.social.adapters.base import N_, Adapter, Field, Outcome, Request
from ckanext.layananpublik.social.adapters.replies import Harvest, Reply, failed_harvest, timestamp

# Graph API error codes meaning "slow down" (application, user, page and custom limits).
RATE_LIMIT_CODES = {4, 17, 32, 613}
PAGES = 20
FULL_EVERY = 6  # one poll in six reads every comment again (at 300 s: every 30 minutes)


class FacebookAdapter(Adapter):
    platform = "facebook"
    label = N_("Facebook Page")
    max_length = 63_206
    fields = (
        Field("page_id", N_("Page id")),
        Field(
            "graph_url", N_("Graph API address"), required=False, default="https://graph.facebook.com/v21.0"
        ),
    )
    secret_label = N_("Page access token")
    listens = "post"

    def _base(self) -> str:
        return self.settings["graph_url"].rstrip("/")

    def build(self, text: str, key: str, payload: dict) -> Request:
        data = {"message": text, "access_token": self.secret}
        if payload.get("in_reply_to"):
            return Request("POST", f"{self._base()}/{payload['in_reply_to']}/comments", {}, data=data)
        if payload.get("url"):
            data["link"] = payload["url"]
        return Request("POST", f"{self._base()}/{self.settings['page_id']}/feed", {}, data=data)

    def published(self, response, body) -> Outcome:
        post_id = str((body or {}).get("id") or "")
        url = f"https://www.facebook.com/{post_id}" if post_id else None
        return Outcome(
            "published", response.status_code, response.text[:2000], remote_id=post_id, remote_url=url
        )

    def classify_error(self, response, body) -> Outcome:
        error = (body or {}).get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict):
            return super().classify_error(response, body)
        text = response.text[:2000]
        message = f"HTTP {response.status_code}: {error.get('message', '')} (code {error.get('code')})"
        if error.get("code") in RATE_LIMIT_CODES or error.get("is_transient") or response.status_code >= 500:
            return Outcome("retry", response.status_code, text, message)
        return Outcome("failed", response.status_code, text, message)

    def collect(self, remote_id: str | None, cursor: str | None) -> Harvest:
        state = json.loads(cursor) if cursor else {"after": None, "reads": 0}
        full = state["reads"] % FULL_EVERY == 0  # now and then from the start: edits, deletions
        after = None if full else state["after"]
        replies: list[Reply] = []
        complete = False
        for _page in range(PAGES):
            params = {"fields": "id,message,from{id,name},created_time,permalink_url", "filter": "stream",
                      "order": "chronological", "limit": 100, **({"after": after} if after else {})}  # fmt: skip
            body = self.read(f"{self._base()}/{remote_id}/comments", params=params,
                             headers={"Authorization": f"Bearer {self.secret}"})  # fmt: skip
            if isinstance(body, Outcome):  # what was read is kept; the next poll reads it again
                return Harvest(replies, cursor, error=body) if replies else failed_harvest(body, cursor)
            for comment in body.get("data") or []:
                author = comment.get("from") or {}
                if str(author.get("id")) == str(self.settings["page_id"]) or not comment.get("message"):
                    continue
                replies.append(Reply(
                    remote_id=str(comment["id"]), text=comment["message"], author_name=author.get("name"),
                    author_handle=author.get("name"), url=comment.get("permalink_url"),
                    created_at=timestamp(comment.get("created_time")), reply_ref=str(comment["id"]),
                ))  # fmt: skip
            paging = body.get("paging") or {}
            if body.get("data"):
                after = (paging.get("cursors") or {}).get("after") or after
            if not paging.get("next"):
                complete = full
                break
        next_state = {"after": after or state["after"], "reads": state["reads"] + 1}
        return Harvest(replies, json.dumps(next_state), complete=complete)

    def lookup(self, text: str, key: str, payload: dict) -> Outcome | None:
        if not payload.get("url"):
            return None
        try:
            response = egress.request(
                "GET",
                f"{self._base()}/{self.settings['page_id']}/feed",
                params={"fields": "id,message,link", "limit": 25},
                headers={"Authorization": f"Bearer {self.secret}"},
                timeout=self.timeout,
            )
            if response.status_code != 200:
                return None
            posts = response.json().get("data", [])
        except (requests.RequestException, ValueError, egress.Refused):
            return None
        for post in posts:
            if post.get("link") == payload["url"] or payload["url"] in (post.get("message") or ""):
                return Outcome(
                    "published", 200, messages.FOUND_IN_FEED.format(id=post.get("id")),
                    remote_id=post.get("id"), remote_url=f"https://www.facebook.com/{post.get('id')}",
                )  # fmt: skip
        # The newest 25 posts hold everything of the last minutes on a body's page.
        return Outcome("retry", 200, messages.NOT_IN_FEED, messages.NOT_FOUND_ON_PAGE)
