"""What the listening side of an adapter returns: the replies to a post (Reply), one read's
harvest (Harvest), and the helpers the adapters share to build them."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ckanext.layananpublik.social.adapters.base import Outcome


@dataclass
class Reply:
    """One reply as the platform shows it. `remote_id` is unique on the platform (what makes
    an import happen once); `reply_ref` is what a reply through the outbox answers; `post_ref`
    (channel platforms) the remote id of our post it belongs to."""

    remote_id: str
    text: str
    author_handle: str | None = None
    author_name: str | None = None
    url: str | None = None
    created_at: dt.datetime | None = None
    edited_at: dt.datetime | None = None
    deleted: bool = False
    reply_ref: str | None = None
    post_ref: str | None = None


@dataclass
class Harvest:
    """What one read of a post's replies gave: `error` (an Outcome, retry or failed) or the
    replies and the next cursor; `complete` when every current reply was listed (a reply seen
    before and missing now was deleted)."""

    replies: list[Reply]
    cursor: str | None = None
    complete: bool = False
    error: Outcome | None = None


def plain_text(markup: str | None) -> str:
    """The text of a platform's HTML (Mastodon's status content): line breaks kept, tags
    dropped, entities decoded. Shown to officers as text, never as HTML."""
    text = re.sub(r"<br\s*/?>|</p>\s*<p[^>]*>", "\n", markup or "", flags=re.I)
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def failed_harvest(outcome: Outcome, cursor: str | None) -> Harvest:
    return Harvest([], cursor, error=outcome)


def timestamp(value: Any) -> dt.datetime | None:
    """An ISO 8601 date-time (Z or an offset) or Unix seconds, as an aware datetime."""
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)):
        return dt.datetime.fromtimestamp(value, dt.timezone.utc)
    try:
        parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = dt.datetime.strptime(str(value), "%Y-%m-%dT%H:%M:%S%z")
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)
