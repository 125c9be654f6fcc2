"""Both catalogues translate every message, the compiled .mo files match the .po files, and
the Indonesian translations we ship for CKAN core's messages cover the pages of issue 17."""

from __future__ import annotations

import pathlib
import re

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

I18N = pathlib.Path(__file__).resolve().parents[1] / "ckanext/layananpublik/i18n"
CORE_PO = (
    pathlib.Path(__file__).resolve().parents[1] / "ckanext/layananpublik/i18n-core/id/LC_MESSAGES/ckan.po"
)
DOMAIN = "ckanext-layananpublik"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sdr]|\{[a-z_0-9!r]*\}")


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


def _core_catalogue():
    with open(CORE_PO, "rb") as f:
        return read_po(f, locale="id")


@pytest.mark.parametrize("locale", ["id", "en"])
def test_compiled_catalogue_is_up_to_date(locale):
    """The .mo file is our catalogue, plus (Indonesian) the core translations we ship; ours
    win on a msgid both have."""
    with open(I18N / locale / "LC_MESSAGES" / f"{DOMAIN}.mo", "rb") as f:
        compiled = {_key(m.id): _key(m.string) for m in read_mo(f) if m.id}
    source = {_key(m.id): _key(m.string) for m in _catalogue(locale) if m.id}
    core = {_key(m.id): _key(m.string) for m in _core_catalogue() if m.id} if locale == "id" else {}
    assert compiled == {**core, **source}


def test_core_translations_are_complete_and_keep_placeholders():
    catalogue = _core_catalogue()
    ours = _catalogue("id")
    assert len(catalogue) > 100
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings) and not message.fuzzy, message.id
        if isinstance(message.id, tuple):
            # flask-babel keeps the plural rule of the last catalogue merged, ours (one form)
            assert len(strings) == ours.num_plurals, message.id
        for string in strings:
            assert sorted(PLACEHOLDER.findall(string)) == sorted(PLACEHOLDER.findall(ids[0])), message.id


def test_core_messages_of_the_citizens_and_officers_pages_are_translated():
    from devstack import core_strings

    missing = core_strings.missing(list(core_strings.PAGES))
    assert {page: msgids for page, msgids in missing.items() if msgids} == {}
    assert len(core_strings.page_messages("login")) > 50


def test_indonesian_has_one_plural_form_like_cldr_and_core():
    # CLDR and CKAN core's own id catalogue: nplurals=1. Our catalogue's rule wins when
    # flask-babel merges them, so a rule of two forms would look up a second form core never
    # has and show English for any count but 1.
    from babel import Locale

    assert Locale("id").plural_form.rules == {}  # one form, "other"
    assert _catalogue("id").num_plurals == 1
    with open(CORE_PO, "rb") as f:
        assert read_po(f, locale="id").num_plurals == 1


def test_a_core_plural_message_is_indonesian_for_any_count(app):
    import ckan.plugins.toolkit as tk

    with app.flask_app.test_request_context("/"):
        from flask_babel import force_locale

        with force_locale("id"):
            shown = {n: tk.ungettext("{num} Dataset", "{num} Datasets", n).format(num=n) for n in (1, 2, 5)}
    assert shown == {1: "1 Kumpulan data", 2: "2 Kumpulan data", 5: "5 Kumpulan data"}
