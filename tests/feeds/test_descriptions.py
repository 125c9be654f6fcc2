"""Dataset descriptions rendered once and kept in the database (feeds/descriptions.py):
the same bytes as rendering them, read back instead of rendered again, never stale."""

from __future__ import annotations

import textwrap

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests.helpers import call_action

from ckanext.layananpublik.feeds import descriptions, entries
from tests.feeds.conftest import FORMATS, fetch
from tests.feeds.test_entries import NOTES


def _kept() -> dict[str, str]:
    rows = model.Session.execute(sa.text(f"SELECT digest, html FROM {descriptions.TABLE}")).all()
    model.Session.rollback()
    return dict(rows)


def _forget() -> None:
    with model.meta.engine.begin() as conn:
        conn.execute(sa.text(f"DELETE FROM {descriptions.TABLE}"))


@pytest.fixture
def no_entry_cache(ckan_config, monkeypatch):
    """Redis caches off: every entry is built on every request."""
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.feeds.cache_ttl", 0)


def test_a_kept_description_is_what_rendering_gives(
    app, clean_db, with_plugins
):  # clean_db: the table exists
    _forget()
    texts = [entries.clean(n) for n in NOTES]
    with app.flask_app.test_request_context("/"):
        first = descriptions.rendered(texts)
        again = descriptions.rendered(texts)
        for text in texts:
            if not text:
                assert text not in first
                continue
            html = entries.render_markdown(text)
            expected = {"html": html, "text": html.striptags(),
                        "summary": textwrap.shorten(html.striptags(), 300, placeholder="…")
                        if html.striptags() else ""}  # fmt: skip
            assert first[text] == expected and again[text] == expected
            assert isinstance(again[text]["html"], type(html))
    assert len(_kept()) == len([t for t in set(texts) if t])


def test_a_kept_description_is_read_not_rendered_again(app, clean_db, with_plugins, monkeypatch):
    _forget()  # clean_db: the table exists
    with app.flask_app.test_request_context("/"):
        descriptions.rendered(["Data **anggaran**"])
    key = descriptions.digest("Data **anggaran**")
    assert _kept() == {key: "<p>Data <strong>anggaran</strong></p>"}
    with model.meta.engine.begin() as conn:  # the row is what is served, not a new rendering
        conn.execute(
            sa.text(f"UPDATE {descriptions.TABLE} SET html = '<p>kept</p>' WHERE digest = :d"), {"d": key}
        )
    monkeypatch.setattr(descriptions, "_recent", {})  # as another web process would
    with app.flask_app.test_request_context("/"):
        assert str(descriptions.rendered(["Data **anggaran**"])["Data **anggaran**"]["html"]) == "<p>kept</p>"
    assert descriptions.digest("Data **anggaran**") != descriptions.digest("Data **anggaran** 2")


def test_with_the_caches_on_a_process_reads_a_description_once(
    app, clean_db, with_plugins, ckan_config, monkeypatch
):
    _forget()
    monkeypatch.setattr(descriptions, "_recent", {})
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.feeds.cache_ttl", 600)
    texts = ["Data **anggaran**", "Data *penduduk*"]
    with app.flask_app.test_request_context("/"):
        first = descriptions.rendered(texts)
    statements = []
    listen = lambda conn, cursor, statement, *args: statements.append(statement)  # noqa: E731
    sa.event.listen(model.meta.engine, "before_cursor_execute", listen)
    try:
        with app.flask_app.test_request_context("/"):
            assert descriptions.rendered(texts) == first
            assert statements == []
            both = descriptions.rendered([texts[0], "Data **baru**"])  # one remembered, one new
            assert both["Data **baru**"]["html"] == "<p>Data <strong>baru</strong></p>"
            assert both[texts[0]] == first[texts[0]]
            assert len([s for s in statements if "SELECT" in s and descriptions.TABLE in s]) == 1
        monkeypatch.setitem(ckan_config, "ckanext.layananpublik.feeds.cache_ttl", 0)
        statements.clear()
        with app.flask_app.test_request_context("/"):
            assert descriptions.rendered(texts) == first
        assert len(statements) == 1  # caches off: read from the table
    finally:
        sa.event.remove(model.meta.engine, "before_cursor_execute", listen)


@pytest.mark.parametrize("fmt", FORMATS)
def test_caches_off_feeds_are_the_same_bytes_with_and_without_kept_descriptions(
    app, catalogue, no_entry_cache, fmt
):
    _forget()
    url = f"/umpan/dataset.{fmt}"
    first = fetch(app, url).get_data()  # renders, and keeps
    assert len(_kept()) == 2  # two of the three public datasets have a description
    assert fetch(app, url).get_data() == first  # read back
    _forget()
    assert fetch(app, url).get_data() == first


def test_an_update_that_keeps_the_text_renders_nothing_and_a_new_text_shows(
    app, catalogue, no_entry_cache, monkeypatch
):
    fetch(app, "/umpan/dataset.atom")
    rendered = []
    original = descriptions.render
    monkeypatch.setattr(descriptions, "render", lambda notes: rendered.append(notes) or original(notes))
    call_action("package_patch", id="banjir", title="Peringatan Banjir Terbaru")
    assert b"Peringatan Banjir Terbaru" in fetch(app, "/umpan/dataset.atom").get_data()
    assert rendered == []
    call_action("package_patch", id="banjir", notes="Siaga **dua**.")
    body = fetch(app, "/en/umpan/dataset.atom").get_data()
    assert b"&lt;strong&gt;dua&lt;/strong&gt;" in body and b"Siaga satu" not in body
    assert rendered == ["Siaga **dua**."]
