"""Both catalogues translate every message, and the compiled .mo files match the .po files."""

from __future__ import annotations

import pathlib

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

I18N = pathlib.Path(__file__).resolve().parents[1] / "ckanext/layananpublik/i18n"
DOMAIN = "ckanext-layananpublik"


def _catalogue(locale: str):
    with open(I18N / locale / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as f:
        return read_po(f, locale=locale)


@pytest.mark.parametrize("locale", ["id", "en"])
def test_every_message_is_translated(locale):
    with open(I18N / f"{DOMAIN}.pot", "rb") as f:
        template = {m.id for m in read_po(f) if m.id}
    catalogue = {m.id: m.string for m in _catalogue(locale) if m.id}
    assert template, "the template lists the extension's messages"
    assert sorted(template - set(catalogue), key=str) == []
    assert sorted((k for k in template if not _translated(catalogue[k])), key=str) == []


def _translated(string) -> bool:
    """A message, or every form of a plural message, has a translation."""
    return all(string) if isinstance(string, (list, tuple)) else bool(string)


def _key(value):
    # Plural messages: a tuple in .po catalogues, a list when read back from .mo files.
    return tuple(value) if isinstance(value, (list, tuple)) else value


@pytest.mark.parametrize("locale", ["id", "en"])
def test_compiled_catalogue_is_up_to_date(locale):
    with open(I18N / locale / "LC_MESSAGES" / f"{DOMAIN}.mo", "rb") as f:
        compiled = {_key(m.id): _key(m.string) for m in read_mo(f) if m.id}
    source = {_key(m.id): _key(m.string) for m in _catalogue(locale) if m.id}
    assert compiled == source
