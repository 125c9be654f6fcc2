"""Channel credentials encrypted at rest (Fernet: AES-128-CBC with an HMAC-SHA256 tag).

Keys come from `ckanext.layananpublik.social.secret_keys`, a list of Fernet keys (make one
with `ckan layananpublik social new-key`): the first encrypts, every one decrypts. With
none set, a key derived from the site's `SECRET_KEY` (HKDF-SHA256) is used; it also stays
a decryption key after keys are set, so what it encrypted remains readable until
`ckan layananpublik social rotate-keys` re-encrypts everything with the first key.

Stored form: `fernet:<token>`. A value without that prefix is a credential written before
encryption (read as it is; migration 9b1d3f5a7c20 encrypts those rows).
"""

from __future__ import annotations

import base64

import ckan.plugins.toolkit as tk
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ckanext.layananpublik.social.messages import BAD_KEY, NO_KEY, UNREADABLE, Problem

PREFIX = "fernet:"
OPTION = "ckanext.layananpublik.social.secret_keys"


class CredentialError(Problem):
    """A key or a stored credential that cannot be used."""


def new_key() -> str:
    return Fernet.generate_key().decode()


def _derived_key() -> bytes | None:
    site_secret = tk.config.get("SECRET_KEY")
    if not site_secret:
        return None
    hkdf = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"ckanext-layananpublik social credentials"
    )
    return base64.urlsafe_b64encode(hkdf.derive(str(site_secret).encode()))


def _keys() -> MultiFernet:
    keys = []
    for number, key in enumerate(tk.aslist(tk.config.get(OPTION)), start=1):
        try:
            keys.append(Fernet(key.strip()))
        except ValueError:
            raise CredentialError(BAD_KEY, number=number) from None
    derived = _derived_key()
    if derived is not None:
        keys.append(Fernet(derived))
    if not keys:
        raise CredentialError(NO_KEY)
    return MultiFernet(keys)


def is_encrypted(stored: str | None) -> bool:
    return bool(stored) and stored.startswith(PREFIX)


def encrypt(secret: str) -> str:
    """The stored form of a credential ('' stays '')."""
    if not secret:
        return ""
    return PREFIX + _keys().encrypt(secret.encode()).decode()


def decrypt(stored: str | None) -> str:
    """The credential of a stored value; CredentialError if no key opens it."""
    if not is_encrypted(stored):
        return stored or ""
    try:
        return _keys().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise CredentialError(UNREADABLE) from None


def reencrypt(stored: str | None) -> str:
    """The stored value encrypted with the first key (a plaintext one encrypted)."""
    return encrypt(decrypt(stored))
