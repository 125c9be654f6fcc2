"""Addresses shown as links (a post's `remote_url`): only http(s) web addresses.

A platform's answer or an administrator's entry could carry `javascript:` or `data:`
addresses, which a browser would run when the link is clicked: they are never stored as a
post's address, and a page links only what passes `web_link` (rows stored before this
check are shown as plain text).
"""

from __future__ import annotations

from urllib.parse import urlsplit


def web_link(value: str | None) -> str | None:
    """`value` if it is an absolute http(s) address without spaces or control characters."""
    if not value or not isinstance(value, str) or any(ord(c) <= 0x20 or ord(c) == 0x7F for c in value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return value
