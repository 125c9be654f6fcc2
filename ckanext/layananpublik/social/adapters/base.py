"""One base class for every platform; a platform is one subclass (registered by its name).

An adapter turns a post's text into one HTTP request and the platform's answer into an
Outcome. What the outbox needs to know about a platform to never post twice:

- `idempotent`: the platform deduplicates a resent request carrying the same key
  (`idempotency_window` seconds long), so a send interrupted mid-way may simply be repeated;
- otherwise an interrupted send is never repeated blindly: the post becomes `unknown` for
  an administrator to check (or the adapter's `lookup` finds it).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
from dataclasses import dataclass
from typing import Any, ClassVar

import requests

from ckanext.layananpublik.social import egress, messages
from ckanext.layananpublik.social.adapters.replies import Harvest
from ckanext.layananpublik.social.messages import N_

REGISTRY: dict[str, type[Adapter]] = {}

URL_RE = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    required: bool = True
    default: str = ""


@dataclass
class Outcome:
    """What happened to one send.

    kind: `published` (remote_id/remote_url set); `retry` (certainly not posted: network
    refused, 429, 5xx; retry_after seconds if the platform said so); `uncertain` (the request
    may have been posted: timeout or connection lost after sending); `failed` (refused for
    good: bad token, bad request).
    """

    kind: str
    http_status: int | None = None
    response: str = ""
    error: str = ""
    remote_id: str | None = None
    remote_url: str | None = None
    retry_after: float | None = None


@dataclass
class Request:
    method: str
    url: str
    headers: dict
    json: Any = None
    data: Any = None
    body: bytes | None = None


class Adapter:
    platform: ClassVar[str] = ""
    label: ClassVar[str] = ""
    max_length: ClassVar[int] = 10_000
    url_length: ClassVar[int | None] = None  # platforms counting every link as N characters
    idempotent: ClassVar[bool] = False
    idempotency_window: ClassVar[int] = 0
    fields: ClassVar[tuple[Field, ...]] = ()
    secret_label: ClassVar[str] = N_("Access token")

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if cls.platform:
            REGISTRY[cls.platform] = cls

    def __init__(self, settings: dict, secret: str, timeout: float = 10.0):
        self.settings = {f.name: settings.get(f.name) or f.default for f in self.fields} | {
            k: v for k, v in settings.items() if k not in {f.name for f in self.fields}
        }
        self.secret = secret
        self.timeout = timeout

    # --- what a subclass writes -----------------------------------------------------------

    def build(self, text: str, key: str, payload: dict) -> Request:
        raise NotImplementedError

    def published(self, response: requests.Response, body: Any) -> Outcome:
        """The Outcome of a 2xx answer."""
        raise NotImplementedError

    def classify_error(self, response: requests.Response, body: Any) -> Outcome:
        """The Outcome of a non-2xx answer: 429 and 5xx are retried, the rest refused."""
        status = response.status_code
        text = response.text[:2000]
        if status == 429 or status >= 500:
            return Outcome("retry", status, text, f"HTTP {status}", retry_after=retry_after(response))
        return Outcome("failed", status, text, f"HTTP {status}: {text[:300]}")

    def lookup(self, text: str, key: str, payload: dict) -> Outcome | None:
        """After an interrupted send: find the post on the platform (published) or say it is
        certainly not there (retry); None when the platform offers no way to tell."""
        return None

    # --- shared -----------------------------------------------------------------------------

    def max_chars(self) -> int:
        return int(self.settings.get("max_characters") or self.max_length)

    def text_length(self, text: str) -> int:
        if self.url_length is None:
            return len(text)
        return len(URL_RE.sub("x" * self.url_length, text))

    def send(self, text: str, key: str, payload: dict) -> Outcome:
        return self._redacted(self._send(text, key, payload))

    def _redacted(self, outcome: Outcome) -> Outcome:
        """Errors and answers are shown to editors and kept in the log: never with the
        credential in them (Telegram's token is part of the URL an error message quotes)."""
        if self.secret:
            from urllib.parse import quote

            for secret in {self.secret, quote(self.secret, safe="")}:
                outcome.error = (outcome.error or "").replace(secret, "***")
                outcome.response = (outcome.response or "").replace(secret, "***")
        return outcome

    def _send(self, text: str, key: str, payload: dict) -> Outcome:
        answer = self.exchange(self.build(text, key, payload))
        if isinstance(answer, Outcome):
            return answer
        response, body = answer
        if 200 <= response.status_code < 300:
            return self.published(response, body)
        return self.classify_error(response, body)

    def exchange(self, req: Request, params: dict | None = None) -> Outcome | tuple[requests.Response, Any]:
        """One HTTP exchange through egress.py: the answer and its JSON body, or the Outcome
        of a request that got no answer (refused, unreachable, timed out)."""
        try:
            response = egress.request(
                req.method, req.url, headers=req.headers, json=req.json, data=req.body or req.data,
                params=params, timeout=(min(self.timeout, 10.0), self.timeout),
            )  # fmt: skip
        except egress.Refused as exc:  # checked before connecting: nothing was sent
            return _refused(exc)
        except (requests.exceptions.ConnectTimeout, requests.exceptions.ConnectionError) as exc:
            if (refused := egress.refusal(exc)) is not None:  # the address changed since the check
                return _refused(refused)
            # ConnectionError also covers a connection dropped after the request was written
            # (urllib3 ProtocolError); only a refused or unreachable server is certainly clean.
            if _never_sent(exc):
                return Outcome("retry", error=messages.CONNECTION_FAILED.format(detail=_short(exc)))
            return Outcome("uncertain", error=messages.CONNECTION_LOST.format(detail=_short(exc)))
        except requests.exceptions.Timeout as exc:
            seconds = f"{self.timeout:g}"
            return Outcome("uncertain", error=messages.NO_ANSWER.format(seconds=seconds, detail=_short(exc)))
        except requests.exceptions.RequestException as exc:
            return Outcome("uncertain", error=_short(exc))
        try:
            body = response.json()
        except ValueError:
            body = None
        return response, body

    # --- listening: the replies to a published post ---------------------------------------

    # "post": replies are read per published post (collect(remote_id, cursor));
    # "channel": one read per channel returns the replies to all its posts (Telegram's bot
    # updates); "": the platform is not polled (the webhook channel receives them, inbound.py).
    listens: ClassVar[str] = ""
    # A complete read (Harvest.complete) lists every reply of a post at most this many days
    # old (None: of any post): a reply missing from it is deleted only while the post is younger.
    listing_days: ClassVar[int | None] = None

    def collect(self, remote_id: str | None, cursor: str | None) -> Harvest:
        """The replies to the post `remote_id` (or, for a "channel" platform, to any post)
        newer than `cursor`, and the cursor to continue from."""
        raise NotImplementedError

    def read(self, url: str, params: dict | None = None, headers: dict | None = None) -> Outcome | Any:
        """GET a JSON document: its body, or the Outcome of the failure (429 and 5xx retried
        with the platform's Retry-After, anything else refused), credential redacted."""
        answer = self.exchange(Request("GET", url, headers or {}), params=params)
        if isinstance(answer, Outcome):
            if answer.kind == "uncertain":  # nothing is changed by a read: simply read again
                answer.kind = "retry"
            return self._redacted(answer)
        response, body = answer
        if 200 <= response.status_code < 300 and body is not None:
            return body
        return self._redacted(self.classify_error(response, body))


def _refused(refused: egress.Refused) -> Outcome:
    """Nothing was sent: refused for good, or retried when the name did not resolve."""
    return Outcome("failed" if refused.permanent else "retry", error=str(refused))


def _short(exc: Exception) -> str:
    return str(exc)[:500]


def _never_sent(exc: Exception) -> bool:
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    text = repr(exc)
    return any(
        s in text
        for s in (
            "Connection refused",
            "NewConnectionError",
            "Name or service not known",
            "NameResolutionError",
        )
    )


def retry_after(response: requests.Response) -> float | None:
    """Seconds to wait from Retry-After (seconds or an HTTP date), X's x-rate-limit-reset
    (epoch seconds) or Mastodon's X-RateLimit-Reset (ISO 8601)."""
    now = dt.datetime.now(dt.timezone.utc)
    value = response.headers.get("Retry-After")
    if value:
        value = value.strip()
        if value.isdigit():
            return float(value)
        try:
            when = email.utils.parsedate_to_datetime(value)
            return max(0.0, (when - now).total_seconds())
        except (TypeError, ValueError):
            pass
    reset = response.headers.get("x-rate-limit-reset")
    if reset and reset.isdigit():
        return max(0.0, int(reset) - now.timestamp())
    reset = response.headers.get("X-RateLimit-Reset")
    if reset:
        try:
            when = dt.datetime.fromisoformat(reset.replace("Z", "+00:00"))
            return max(0.0, (when - now).total_seconds())
        except ValueError:
            pass
    return None


def dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def mask(secret: str) -> str:
    """What a form shows of a credential: enough to recognise it, never enough to use it."""
    if not secret:
        return ""
    if len(secret) <= 8:
        return "•" * 6
    return f"{secret[:3]}…{secret[-3:]}"
