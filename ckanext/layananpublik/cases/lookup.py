"""How a case (request, objection, complaint) is found: by its secret tracking token, its
id or its registration number. Only a token's hash is stored."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
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


# --- the tracking link of the first email -------------------------------------------------------
#
# The email that gives a requester their tracking link is written from the case's id into the
# email outbox, in the case's transaction (Redis carries no message). Until then the case row keeps
# its token encrypted (Fernet, key derived from the site's SECRET_KEY); it is dropped once the
# outbox row holds the email.


def _fernet() -> Any:
    import base64

    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    secret = str(tk.config.get("SECRET_KEY") or tk.config.get("beaker.session.secret") or "")
    if not secret:
        raise RuntimeError("SECRET_KEY is not set: tracking links cannot be sealed for the first email")
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"ckanext-layananpublik tracking link")
    return Fernet(base64.urlsafe_b64encode(hkdf.derive(secret.encode())))


def seal_token(token: str) -> str:
    return _fernet().encrypt(token.encode()).decode()


def sealed_until_mailed(token: str, address: str | None) -> str | None:
    """What a new case row keeps of its token for its first email: sealed when an email will
    carry the link (there is an address), else nothing."""
    return seal_token(token) if address else None


def mailed(row: Any) -> Callable[[], None]:
    """What is done once the outbox holds the first email: the sealed token is dropped (in the
    case's transaction, which the caller commits)."""

    def forget() -> None:
        row.tracking_token_sealed = None

    return forget


def first_email_link(row: Any, endpoint: str) -> str | None:
    """The tracking link for a case's first email, from the token sealed on its row; None once
    that email was written (or the case is gone)."""
    token = unseal_token(row.tracking_token_sealed) if row is not None else None
    return tk.url_for(endpoint, token=token, _external=True) if token else None


def unseal_token(sealed: str | None) -> str | None:
    """The token sealed with seal_token; None when there is none (or the key changed)."""
    from cryptography.fernet import InvalidToken

    if not sealed:
        return None
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken:
        return None
