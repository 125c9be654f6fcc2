"""The worker's own words about a post: what it writes in `last_error` and in the audit
log's `error` and `response`, kept in English and translated where a page shows them.

The database, the API and the CLI keep the English text: one of the templates below filled
in (`GAVE_UP.format(attempts=3, error=...)`). A page calls `translate()`: it recognises the
template a stored text was made from, translates that template with `_()` and fills in the
same values. A value named in NESTED is itself such a text (the error a "gave up" wraps)
and is translated in turn; every other value is an exception message or the platform's own
answer, shown as it came. A text made from no template (a platform's answer, the reason an
editor typed) is shown unchanged, and so are rows written before a template existed.

A template changed here no longer recognises the rows written with the old wording: keep
the wording, or keep the old template in TEMPLATES too.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from functools import cache


def N_(message: str) -> str:
    """Marks a message for the catalogue; it is translated where it is shown (the text is
    stored, or read outside any request, before a reader's language is known)."""
    return message


# The outbox (outbox.py).
GAVE_UP = N_("gave up after {attempts} tries: {error}")
MAY_BE_PUBLISHED = N_("{error}; the platform may have published it: check, then mark published or retry")
STOPPED_CHECK = N_("the worker stopped while sending: check the account, then mark published or retry")
STOPPED_NOT_SEARCHABLE = N_("the worker stopped while sending; the platform cannot be searched")
RESENT_SAME_KEY = N_("worker stopped mid-send; resent with the same key")
# Every adapter (adapters/base.py): {detail} is the exception's message.
CONNECTION_FAILED = N_("connection failed: {detail}")
CONNECTION_LOST = N_("connection lost: {detail}")
NO_ANSWER = N_("no answer in {seconds} s: {detail}")
# Facebook's search of the page feed after an interrupted send (adapters/facebook.py).
FOUND_IN_FEED = N_("found in the page feed: {id}")
NOT_IN_FEED = N_("not in the page feed")
NOT_FOUND_ON_PAGE = N_("interrupted send not found on the page")
# Addresses a channel may not reach (egress.py): at save time and at every send.
NOT_A_URL = N_("{url} is not a web address (https://...)")
NOT_HTTPS = N_("{url}: only https:// addresses are allowed")
NOT_FOUND = N_("the server {host} could not be found")
NOT_PUBLIC = N_("{host} leads to a private, local or reserved address ({address}): not allowed")
# Credentials encrypted at rest (credentials.py).
BAD_KEY = N_("key number {number} of ckanext.layananpublik.social.secret_keys is not a Fernet key")
NO_KEY = N_("no key to encrypt credentials: set ckanext.layananpublik.social.secret_keys or SECRET_KEY")
UNREADABLE = N_(
    "the stored credential cannot be decrypted with the keys of ckanext.layananpublik.social.secret_keys:"
    " enter it again"
)

TEMPLATES = (
    GAVE_UP, MAY_BE_PUBLISHED, STOPPED_CHECK, STOPPED_NOT_SEARCHABLE, RESENT_SAME_KEY,
    CONNECTION_FAILED, CONNECTION_LOST, NO_ANSWER, FOUND_IN_FEED, NOT_IN_FEED, NOT_FOUND_ON_PAGE,
    NOT_A_URL, NOT_HTTPS, NOT_FOUND, NOT_PUBLIC, BAD_KEY, NO_KEY, UNREADABLE,
)  # fmt: skip
NESTED = frozenset({"error"})


class Problem(Exception):
    """An error made from one of the templates: str() is the English text (stored in the
    outbox and its log), `translated()` the reader's language (a form's error)."""

    def __init__(self, template: str, **values: object):
        super().__init__(template.format(**values))
        self.template = template
        self.values = values

    def translated(self) -> str:
        import ckan.plugins.toolkit as tk

        return tk._(self.template).format(**self.values)


@cache
def _patterns() -> tuple[tuple[str, re.Pattern], ...]:
    """Each template with the regular expression matching the texts made from it."""
    found = []
    for template in TEMPLATES:
        parts = []
        for literal, name, _spec, _conv in string.Formatter().parse(template):
            parts.append(re.escape(literal))
            if name:
                parts.append(f"(?P<{name}>.*?)")
        found.append((template, re.compile("".join(parts), re.DOTALL)))
    return tuple(found)


def translate(text: str | None, gettext: Callable[[str], str] | None = None) -> str:
    """The stored text in the reader's language (see the module's docstring)."""
    if not text:
        return text or ""
    if gettext is None:
        import ckan.plugins.toolkit as tk

        gettext = tk._
    for template, pattern in _patterns():
        match = pattern.fullmatch(text)
        if match is None:
            continue
        values = {
            name: translate(value, gettext) if name in NESTED else value
            for name, value in match.groupdict().items()
        }
        try:
            return gettext(template).format(**values)
        except (KeyError, IndexError, ValueError):  # a translation with broken placeholders
            return template.format(**values)
    return text
