"""A local stand-in for the platforms: their real endpoint paths, request formats, auth
and error answers, in one threaded HTTP server. It counts what each platform *published*
(a repeated Mastodon Idempotency-Key publishes nothing new), which is what the tests and
the benchmark check for doubles and losses.

Faults, queued per platform and consumed one per request: "429" (with Retry-After, or the
platform's own way to say it), "500", "503", "timeout" (publishes, then answers too late),
"hold" (publishes, then waits until `release()`), "drop" (publishes, then closes the
connection without an answer). `down` platforms answer 503 to everything.
"""

from __future__ import annotations

import collections
import hashlib
import hmac
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
            self.requests.append({"method": method, "path": path, "headers": dict(h.headers), "body": raw})
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

    def mastodon(self, h, method, path, raw, fault) -> None:
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
        if key:
            with self.lock:
                self.idempotency[key] = answer
        self.publish(h, "mastodon", status, (200, answer), fault)

    def telegram(self, h, method, path, raw, fault) -> None:
        token = path[len("/bot") : -len("/sendMessage")]
        if token != TOKENS["telegram"]:
            return _send(h, 401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        body = json.loads(raw or b"{}")
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

    def facebook(self, h, method, path, raw, fault) -> None:
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

    def x(self, h, method, path, raw, fault) -> None:
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
    if path.startswith("/bot") and path.endswith("/sendMessage"):
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
