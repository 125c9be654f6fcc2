"""A local stand-in for the platforms: their real endpoint paths, request formats, auth
and error answers, in one threaded HTTP server. It counts what each platform *published*
(a repeated Mastodon Idempotency-Key publishes nothing new), which is what the tests and
the benchmark check for doubles and losses.

Faults, queued per platform and consumed one per request: "429" (with Retry-After, or the
platform's own way to say it), "500", "503", "timeout" (publishes, then answers too late),
"hold" (publishes, then waits until `release()`), "drop" (publishes, then closes the
connection without an answer). `down` platforms answer 503 to everything.

Replies (what the listening side reads): `add_reply(platform, post_remote_id, text, ...)`
puts a citizen's reply where the platform shows it (Mastodon's context descendants,
Facebook's comments with cursor paging, Telegram's getUpdates from the discussion group, X's
recent search); `edit_reply` / `delete_reply` change them. `read_faults[platform]` are
consumed one per read (GET), like `faults` for posts.
"""

from __future__ import annotations

import base64
import collections
import hashlib
import hmac
import html
import itertools
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKENS = {
    "mastodon": "mastodon-token-123456",
    "telegram": "123456:telegram-bot-token",
    "facebook": "facebook-page-token-123456",
    "x": "x-user-token-123456",
    "webhook": "webhook-signing-secret",
}
PAGE_ID = "1029384756"
# Telegram: our channel and its linked discussion group (where comments are).
CHANNEL_CHAT = {"id": -1001234567890, "type": "channel", "username": "ppidkota"}
GROUP_CHAT = {"id": -1009876543210, "type": "supergroup", "username": "ppidkota_diskusi"}
TELEGRAM_GROUP = GROUP_CHAT["id"]


class FakePlatforms:
    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.lock = threading.Lock()
        self.published: list[tuple[str, str]] = []  # (platform, text)
        self.requests: list[dict] = []
        self.faults: dict[str, collections.deque] = collections.defaultdict(collections.deque)
        self.down: set[str] = set()
        self.remote_urls: dict[str, str] = {}  # a platform answering with this post address
        self.idempotency: dict[str, dict] = {}
        self.read_faults: dict[str, collections.deque] = collections.defaultdict(collections.deque)
        self.replies: dict[tuple[str, str], list[dict]] = collections.defaultdict(list)
        self.updates: list[dict] = []  # Telegram's update queue (getUpdates)
        self.reads: collections.Counter = collections.Counter()
        self.page_size = 100  # Facebook and X pages hold at most this many
        self.arrived = threading.Event()
        self._release = threading.Event()
        self._ids = itertools.count(1000)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):  # noqa: N802
                fake.handle(self, "GET")

            def do_POST(self):  # noqa: N802
                fake.handle(self, "POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self._release.set()
        self.server.shutdown()
        self.server.server_close()

    def release(self) -> None:
        self._release.set()

    def count(self, platform: str | None = None, containing: str = "") -> int:
        with self.lock:
            return sum(
                1 for p, t in self.published if (platform is None or p == platform) and containing in t
            )

    # --- the platforms ------------------------------------------------------------------------

    def handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length) if length else b""
        path = urllib.parse.urlsplit(h.path).path
        with self.lock:
            self.requests.append({"method": method, "path": path, "query": urllib.parse.urlsplit(h.path).query,
                                  "headers": dict(h.headers), "body": raw})  # fmt: skip
        platform = _platform(path)
        if platform is None:
            return _send(h, 404, {"error": "not found"})
        if self.delay:
            time.sleep(self.delay)
        if platform in self.down:
            return _send(h, 503, {"error": "Service Unavailable"})
        fault = None
        with self.lock:
            if self.faults[platform] and method == "POST":
                fault = self.faults[platform].popleft()
            elif self.read_faults[platform] and method == "GET":
                fault = self.read_faults[platform].popleft()
            if method == "GET":
                self.reads[platform] += 1
        if fault == "429":
            return self.too_many(h, platform)
        if fault in ("500", "503"):
            return _send(h, int(fault), {"error": "upstream trouble"})
        getattr(self, platform)(h, method, path, raw, fault)

    def too_many(self, h, platform: str) -> None:
        if platform == "telegram":
            body = {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 7",
                    "parameters": {"retry_after": 7}}  # fmt: skip
            return _send(h, 429, body)
        if platform == "facebook":
            body = {"error": {"message": "(#4) Application request limit reached", "type": "OAuthException",
                              "is_transient": True, "code": 4}}  # fmt: skip
            return _send(h, 400, body)
        return _send(h, 429, {"error": "Too many requests"}, {"Retry-After": "7"})

    def publish(self, h, platform: str, text: str, answer: tuple[int, dict], fault: str | None) -> None:
        with self.lock:
            self.published.append((platform, text))
        self.arrived.set()
        if fault == "hold":
            self._release.wait(60)
        elif fault == "timeout":
            time.sleep(3)
        elif fault == "drop":
            h.close_connection = True
            h.connection.shutdown(2)
            return
        _send(h, *answer)

    def _bearer(self, h, platform: str) -> bool:
        return h.headers.get("Authorization") == f"Bearer {TOKENS[platform]}"

    # --- replies ------------------------------------------------------------------------------

    def add_reply(self, platform: str, post: str, text: str, author: str = "warga", **extra) -> str:
        """A citizen's reply to our post `post` (its remote id); returns the reply's id."""
        with self.lock:
            rid = str(next(self._ids))
            now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            if platform == "mastodon":
                reply = {"id": rid, "uri": f"{self.url}/users/{author}/statuses/{rid}", "url": f"{self.url}/@{author}/{rid}",
                         "content": f"<p>{html.escape(text)}</p>", "created_at": now, "edited_at": None,
                         "in_reply_to_id": post, "account": {"id": "7", "acct": author, "display_name": author.title()}}  # fmt: skip
            elif platform == "facebook":
                reply = {"id": f"{post}_{rid}", "message": text, "created_time": now.replace("Z", "+0000"),
                         "from": {"id": extra.get("from_id", "55" + rid), "name": author.title()},
                         "permalink_url": f"https://www.facebook.com/{post}?comment_id={rid}"}  # fmt: skip
            elif platform == "x":
                reply = {"id": rid, "text": text, "author_id": "u" + author, "created_at": now,
                         "conversation_id": post, "edit_history_tweet_ids": [rid], "_user": author}  # fmt: skip
            elif platform == "telegram":
                self._telegram_comment(post, rid, text, author, extra.get("thread"))
                return f"{TELEGRAM_GROUP}:{rid}"
            else:
                raise ValueError(platform)
            self.replies[(platform, post)].append(reply)
        return rid

    def forward_to_group(self, channel_message_id: str) -> int:
        """Telegram copies a channel post into the linked discussion group (automatic forward)."""
        with self.lock:
            mid = next(self._ids)
            self._update("message", {"message_id": mid, "chat": GROUP_CHAT, "date": int(time.time()),
                         "is_automatic_forward": True, "forward_from_chat": CHANNEL_CHAT,
                         "forward_from_message_id": int(channel_message_id), "text": "post"})  # fmt: skip
        return mid

    def _update(self, kind: str, message: dict) -> None:
        self.updates.append({"update_id": 500000 + len(self.updates), kind: message})

    def _telegram_comment(self, thread: str, rid: str, text: str, author: str, nested: str | None) -> None:
        message = {"message_id": int(rid), "chat": GROUP_CHAT, "date": int(time.time()), "text": text,
                   "from": {"id": 9, "is_bot": False, "first_name": author.title(), "username": author},
                   "message_thread_id": int(thread),
                   "reply_to_message": {"message_id": int(nested or thread), "chat": GROUP_CHAT}}  # fmt: skip
        self._update("message", message)

    def edit_reply(self, platform: str, post: str, rid: str, text: str) -> None:
        with self.lock:
            if platform == "telegram":
                message = next(u["message"] for u in self.updates if u.get("message", {}).get("message_id") == int(rid))
                edited = {**message, "text": text, "edit_date": int(time.time())}
                return self._update("edited_message", edited)
            for reply in self.replies[(platform, post)]:
                if reply["id"].endswith(rid):
                    if platform == "mastodon":
                        reply["content"], reply["edited_at"] = f"<p>{html.escape(text)}</p>", reply["created_at"]
                    elif platform == "x":
                        new = str(next(self._ids))
                        reply.update(id=new, text=text, edit_history_tweet_ids=[*reply["edit_history_tweet_ids"], new])
                    else:
                        reply["message"] = text

    def delete_reply(self, platform: str, post: str, rid: str) -> None:
        with self.lock:
            self.replies[(platform, post)] = [r for r in self.replies[(platform, post)] if not r["id"].endswith(rid)]

    def _read_fault(self, h, platform: str, fault: str | None) -> bool:
        if fault == "hold":  # the reader waits (and may be killed meanwhile); then the answer
            self.arrived.set()
            self._release.wait(60)
            return False
        if fault == "429":
            self.too_many(h, platform)
        elif fault in ("500", "503"):
            _send(h, int(fault), {"error": "upstream trouble"})
        else:
            return False
        return True

    def mastodon(self, h, method, path, raw, fault) -> None:
        if method == "GET" and path.startswith("/api/v1/statuses/") and path.endswith("/context"):
            if not self._bearer(h, "mastodon"):
                return _send(h, 401, {"error": "The access token is invalid"})
            if self._read_fault(h, "mastodon", fault):
                return None
            sid = path.split("/")[4]
            with self.lock:
                descendants = [dict(r) for r in self.replies[("mastodon", sid)]]
            return _send(h, 200, {"ancestors": [], "descendants": descendants})
        if path != "/api/v1/statuses" or method != "POST":
            return _send(h, 404, {"error": "Record not found"})
        if not self._bearer(h, "mastodon"):
            return _send(h, 401, {"error": "The access token is invalid"})
        body = json.loads(raw or b"{}")
        status = body.get("status", "")
        if not status or len(status) > 500 + 200:  # links count 23; a rough upper bound
            return _send(h, 422, {"error": "Validation failed: Text character limit of 500 exceeded"})
        key = h.headers.get("Idempotency-Key")
        with self.lock:
            known = self.idempotency.get(key) if key else None
        if known is not None:
            return _send(h, 200, known)
        sid = str(next(self._ids))
        url = self.remote_urls.get("mastodon", f"{self.url}/@ppid/{sid}")
        answer = {"id": sid, "url": url, "uri": f"{self.url}/users/ppid/statuses/{sid}",
                  "content": status, "visibility": body.get("visibility")}  # fmt: skip
        if body.get("in_reply_to_id"):
            answer["in_reply_to_id"] = body["in_reply_to_id"]
            with self.lock:  # our answer shows among the post's descendants, as on Mastodon
                for (platform, _post), replies in list(self.replies.items()):
                    if platform == "mastodon" and any(r["id"] == body["in_reply_to_id"] for r in replies):
                        replies.append({**answer, "content": f"<p>{html.escape(status)}</p>", "created_at": None,
                                        "account": {"id": "1", "acct": "ppid", "display_name": "PPID"}})  # fmt: skip
        if key:
            with self.lock:
                self.idempotency[key] = answer
        self.publish(h, "mastodon", status, (200, answer), fault)

    def telegram(self, h, method, path, raw, fault) -> None:
        token = path[len("/bot") :].rsplit("/", 1)[0]
        if token != TOKENS["telegram"]:
            return _send(h, 401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        if path.endswith("/getUpdates"):
            if self._read_fault(h, "telegram", fault):
                return None
            query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(h.path).query))
            offset, limit = int(query.get("offset", 0)), int(query.get("limit", 100))
            with self.lock:
                result = [u for u in self.updates if u["update_id"] >= offset][:limit]
            return _send(h, 200, {"ok": True, "result": result})
        body = json.loads(raw or b"{}")
        if body.get("reply_to_message_id") and body.get("chat_id") == GROUP_CHAT["id"]:
            answer = {"ok": True, "result": {"message_id": next(self._ids), "chat": GROUP_CHAT, "text": body["text"],
                                             "date": int(time.time())}}  # fmt: skip
            return self.publish(h, "telegram", body["text"], (200, answer), fault)
        text = body.get("text", "")
        if len(text) > 4096:
            return _send(
                h, 400, {"ok": False, "error_code": 400, "description": "Bad Request: message is too long"}
            )
        if not str(body.get("chat_id", "")).startswith("@"):
            return _send(
                h, 400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
            )
        mid = next(self._ids)
        answer = {"ok": True, "result": {"message_id": mid, "date": int(time.time()), "text": text,
                  "chat": {"id": -1001234567890, "type": "channel", "username": body["chat_id"][1:]}}}  # fmt: skip
        self.publish(h, "telegram", text, (200, answer), fault)

    def facebook_comments(self, h, method, path, raw, fault) -> None:
        target = path.split("/")[2]
        if method == "GET":
            if not self._bearer(h, "facebook"):
                return _send(h, 400, {"error": {"message": "Invalid OAuth access token.", "code": 190}})
            if self._read_fault(h, "facebook", fault):
                return None
            query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(h.path).query))
            start = int(base64.b64decode(query["after"]).decode()) if query.get("after") else 0
            limit = min(int(query.get("limit", 25)), self.page_size)
            with self.lock:
                everything = list(self.replies[("facebook", target)])
            page = everything[start : start + limit]
            paging: dict = {}
            if page:
                paging["cursors"] = {"before": base64.b64encode(str(start).encode()).decode(),
                                     "after": base64.b64encode(str(start + len(page)).encode()).decode()}  # fmt: skip
                if start + len(page) < len(everything):
                    paging["next"] = f"{self.url}/v21.0/{target}/comments?after={paging['cursors']['after']}"
            return _send(h, 200, {"data": page, "paging": paging})
        form = dict(urllib.parse.parse_qsl(raw.decode()))
        if form.get("access_token") != TOKENS["facebook"]:
            return _send(h, 400, {"error": {"message": "Invalid OAuth access token.", "code": 190}})
        answer = {"id": f"{target}_{next(self._ids)}"}
        self.publish(h, "facebook", form.get("message", ""), (200, answer), fault)

    def facebook(self, h, method, path, raw, fault) -> None:
        if path.endswith("/comments"):
            return self.facebook_comments(h, method, path, raw, fault)
        if path != f"/v21.0/{PAGE_ID}/feed":
            return _send(h, 404, {"error": {"message": "Unknown path", "code": 803}})
        if method == "GET":
            if not self._bearer(h, "facebook"):
                return _send(h, 400, {"error": {"message": "Invalid OAuth access token.", "code": 190}})
            with self.lock:
                data = [
                    {"id": f"{PAGE_ID}_{i}", "message": t}
                    for i, (p, t) in enumerate(self.published)
                    if p == "facebook"
                ]
            return _send(h, 200, {"data": list(reversed(data))[:25]})
        form = dict(urllib.parse.parse_qsl(raw.decode()))
        if form.get("access_token") != TOKENS["facebook"]:
            return _send(
                h,
                400,
                {"error": {"message": "Invalid OAuth access token.", "type": "OAuthException", "code": 190}},
            )
        answer = {"id": f"{PAGE_ID}_{next(self._ids)}"}
        self.publish(h, "facebook", form.get("message", ""), (200, answer), fault)

    def x_search(self, h, fault) -> None:
        if not self._bearer(h, "x"):
            return _send(h, 401, {"title": "Unauthorized", "status": 401, "detail": "Unauthorized"})
        if self._read_fault(h, "x", fault):
            return None
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(h.path).query))
        conversation = query["query"].split("conversation_id:", 1)[1]
        since = int(query.get("since_id") or 0)
        start = int(query.get("pagination_token") or 0)
        size = min(int(query.get("max_results", 10)), self.page_size)
        with self.lock:
            found = sorted((r for r in self.replies[("x", conversation)] if int(r["id"]) > since),
                           key=lambda r: -int(r["id"]))  # fmt: skip
        page = found[start : start + size]
        meta: dict = {"result_count": len(page)}
        if page:
            meta["newest_id"], meta["oldest_id"] = page[0]["id"], page[-1]["id"]
        if start + size < len(found):
            meta["next_token"] = str(start + size)
        users = [{"id": r["author_id"], "username": r["_user"], "name": r["_user"].title()} for r in page]
        data = [{k: v for k, v in r.items() if k != "_user"} for r in page]
        return _send(h, 200, {"data": data, "includes": {"users": users}, "meta": meta} if page else {"meta": meta})

    def x(self, h, method, path, raw, fault) -> None:
        if path == "/2/tweets/search/recent" and method == "GET":
            return self.x_search(h, fault)
        if path != "/2/tweets":
            return _send(h, 404, {"title": "Not Found"})
        if not self._bearer(h, "x"):
            return _send(
                h,
                401,
                {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"},
            )
        text = json.loads(raw or b"{}").get("text", "")
        tid = str(next(self._ids))
        self.publish(
            h, "x", text, (201, {"data": {"id": tid, "text": text, "edit_history_tweet_ids": [tid]}}), fault
        )

    def webhook(self, h, method, path, raw, fault) -> None:
        timestamp = h.headers.get("X-LayananPublik-Timestamp", "")
        expected = (
            "sha256="
            + hmac.new(
                TOKENS["webhook"].encode(), timestamp.encode() + b"." + raw, hashlib.sha256
            ).hexdigest()
        )
        if not hmac.compare_digest(expected, h.headers.get("X-LayananPublik-Signature", "")):
            return _send(h, 401, {"error": "bad signature"})
        body = json.loads(raw)
        self.publish(
            h,
            "webhook",
            body["text"],
            (
                200,
                {
                    "id": body["delivery"],
                    "url": self.remote_urls.get("webhook", f"{self.url}/hook/{body['delivery']}"),
                },
            ),
            fault,
        )


def _platform(path: str) -> str | None:
    if path.startswith("/api/v1/"):
        return "mastodon"
    if path.startswith("/bot") and path.endswith(("/sendMessage", "/getUpdates")):
        return "telegram"
    if path.startswith("/v21.0/"):
        return "facebook"
    if path.startswith("/2/"):
        return "x"
    if path.startswith("/hook"):
        return "webhook"
    return None


def _send(h: BaseHTTPRequestHandler, status: int, body: dict, headers: dict | None = None) -> None:
    data = json.dumps(body).encode()
    try:
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(data)
    except (BrokenPipeError, ConnectionResetError):
        pass


def settings_for(platform: str, base: str) -> dict:
    """Channel settings pointing an adapter at the fake server."""
    return {
        "mastodon": {"instance_url": base},
        "telegram": {"chat_id": "@ppidkota", "api_base": base},
        "facebook": {"page_id": PAGE_ID, "graph_url": f"{base}/v21.0"},
        "x": {"api_base": base},
        "webhook": {"url": f"{base}/hook"},
    }[platform]
