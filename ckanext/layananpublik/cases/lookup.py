"""How a case (request, objection, complaint) is found: by its secret tracking token, its
id or its registration number. Only a token's hash is stored."""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_matches(token: str | None, stored_hash: str) -> bool:
    """Whether `token` is the case's tracking token (compared in constant time)."""
    return bool(token) and secrets.compare_digest(token_hash(token), stored_hash)


def find_by_reference(table: Any, data: dict, lock: bool, missing: str, not_found: str) -> Any:
    """A request, objection or complaint by its tracking token, id or registration number.
    With `lock`, two officers acting at once: the second waits, then sees the first's change."""
    query = model.Session.query(table)
    if data.get("tracking_token"):
        query = query.filter(table.tracking_token_hash == token_hash(data["tracking_token"]))
    elif data.get("id"):
        query = query.filter(table.id == data["id"])
    elif data.get("registration_number"):
        query = query.filter(table.registration_number == data["registration_number"])
    else:
        raise tk.ValidationError({"id": [missing]})
    row = (query.with_for_update() if lock else query).first()
    if row is None:
        raise tk.ObjectNotFound(not_found)
    return row


_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,128}")


def looks_like_token(text: str) -> bool:
    """Whether `text` has a tracking token's shape (checked before any lookup)."""
    return bool(_TOKEN.fullmatch(text))
