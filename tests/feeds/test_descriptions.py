"""Dataset descriptions rendered once and kept in the database (feeds/descriptions.py):
the same bytes as rendering them, read back instead of rendered again, never stale."""

from __future__ import annotations

import textwrap

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests.helpers import call_action

from ckanext.layananpublik.cases.memory import ProcessMemory
from ckanext.layananpublik.feeds import descriptions, entries
from tests.cases.factories import refused_inserts
from tests.feeds.conftest import FORMATS, Statements, dataset, fetch
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
    monkeypatch.setattr(descriptions, "_recent", ProcessMemory(descriptions.RECENT))  # as another web process would
    with app.flask_app.test_request_context("/"):
        assert str(descriptions.rendered(["Data **anggaran**"])["Data **anggaran**"]["html"]) == "<p>kept</p>"
    assert descriptions.digest("Data **anggaran**") != descriptions.digest("Data **anggaran** 2")


def test_with_the_caches_on_a_process_reads_a_description_once(
    app, clean_db, with_plugins, ckan_config, monkeypatch
):
    _forget()
    monkeypatch.setattr(descriptions, "_recent", ProcessMemory(descriptions.RECENT))
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
    fetch(app, "/en/umpan/dataset.atom")  # kept per language of the links (test below)
    rendered = []
    original = descriptions.render
    monkeypatch.setattr(descriptions, "render", lambda notes: rendered.append(notes) or original(notes))
    call_action("package_patch", id="banjir", title="Peringatan Banjir Terbaru")
    assert b"Peringatan Banjir Terbaru" in fetch(app, "/umpan/dataset.atom").get_data()
    assert b"Peringatan Banjir Terbaru" in fetch(app, "/en/umpan/dataset.atom").get_data()
    assert rendered == []
    call_action("package_patch", id="banjir", notes="Siaga **dua**.")
    assert rendered == ["Siaga **dua**."]  # at the save, for the site's language
    for path in ("/en/umpan/dataset.atom", "/umpan/dataset.atom"):
        body = fetch(app, path).get_data()
        assert b"&lt;strong&gt;dua&lt;/strong&gt;" in body and b"Siaga satu" not in body
    assert rendered == ["Siaga **dua**."] * 2  # once more for the English links, then kept


# Rendered when a dataset is saved (descriptions.dataset_saved, IPackageController), pruned
# when no dataset uses them any more, and `ckan layananpublik feed-descriptions sync`.


def _uses() -> dict[str, str]:
    rows = model.Session.execute(sa.text(f"SELECT package_id, digest FROM {descriptions.USE}")).all()
    model.Session.rollback()
    return dict(rows)


def _writes(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")]


def test_a_save_keeps_the_description_and_the_next_feed_writes_nothing(app, catalogue, no_entry_cache):
    public = {pkg["name"]: pkg for pkg in catalogue["public"]}
    expected = {pkg["id"]: descriptions.digest(pkg["notes"]) for pkg in public.values() if pkg["notes"]}
    assert _uses() == expected  # penduduk has no description
    assert set(_kept()) == set(expected.values())
    with Statements() as statements:
        body = fetch(app, "/umpan/dataset.atom").get_data()
    assert b"&lt;strong&gt;APBD&lt;/strong&gt;" in body
    assert [s for s in statements if "SELECT" in s and descriptions.TABLE in s]  # read, with the caches off
    assert _writes(statements) == []


def test_private_draft_deleted_and_exempt_datasets_are_not_rendered(app, catalogue):
    kept, hidden = (
        _kept(),
        [model.Package.get(catalogue[kind]["id"]) for kind in catalogue if kind != "public"],
    )
    assert all(pkg.notes for pkg in hidden)  # each has a description to render
    for pkg in hidden:
        assert descriptions.digest(entries.clean(pkg.notes)) not in kept, pkg.name
        assert pkg.id not in _uses()
    model.Session.rollback()


def test_a_dataset_made_public_is_rendered_and_made_private_again_pruned(app, body):
    pkg = dataset(body, name="nanti-publik", notes="Terbit *nanti*.", private=True)
    key = descriptions.digest("Terbit *nanti*.")
    assert key not in _kept()
    call_action("package_patch", id=pkg["id"], private=False)
    assert _kept()[key] == "<p>Terbit <em>nanti</em>.</p>" and _uses() == {pkg["id"]: key}
    call_action("package_patch", id=pkg["id"], private=True)
    assert key not in _kept() and _uses() == {}


def test_an_update_replaces_the_description_and_prunes_the_old_one(app, body):
    pkg = dataset(body, name="ganti", notes="Versi **satu**.")
    old, new = descriptions.digest("Versi **satu**."), descriptions.digest("Versi **dua**.")
    assert set(_kept()) == {old}
    call_action("package_patch", id=pkg["id"], notes="Versi **dua**.")
    assert _kept() == {new: "<p>Versi <strong>dua</strong>.</p>"} and _uses() == {pkg["id"]: new}
    call_action("package_patch", id=pkg["id"], notes="")
    assert _kept() == {} and _uses() == {}


def test_a_description_two_datasets_share_is_kept_while_one_uses_it(app, body):
    first = dataset(body, name="kembar-1", notes="Teks yang **sama**.")
    second = dataset(body, name="kembar-2", notes="Teks yang **sama**.")
    shared = descriptions.digest("Teks yang **sama**.")
    assert _kept() == {shared: "<p>Teks yang <strong>sama</strong>.</p>"}
    call_action("package_patch", id=first["id"], notes="Teks pertama.")
    assert shared in _kept() and _uses()[second["id"]] == shared
    call_action("package_delete", id=second["id"])
    assert shared not in _kept() and set(_kept()) == {descriptions.digest("Teks pertama.")}
    assert _uses() == {first["id"]: descriptions.digest("Teks pertama.")}


@pytest.fixture
def refused_description():
    """The real database refuses to keep one description (by its HTML)."""
    yield from refused_inserts(descriptions.TABLE, "html")


@pytest.mark.parametrize("failure", ["renderer", "database"])
def test_a_description_that_cannot_be_kept_does_not_fail_the_save(
    app, body, no_entry_cache, monkeypatch, refused_description, failure
):
    pkg = dataset(body, name="gagal-render", title="Judul Lama", notes="Awal.")
    original = descriptions.render
    if failure == "renderer":
        monkeypatch.setattr(
            descriptions, "render", lambda notes: 1 / 0 if "Baru" in notes else original(notes)
        )
    else:
        refused_description("<p><strong>Baru</strong>.</p>")
    saved = call_action("package_patch", id=pkg["id"], title="Judul Baru", notes="**Baru**.")
    assert saved["title"] == "Judul Baru" and saved["notes"] == "**Baru**."
    stored = model.Package.get(pkg["id"])
    assert (stored.title, stored.notes) == ("Judul Baru", "**Baru**.")  # committed with the dataset
    model.Session.rollback()
    assert descriptions.digest("**Baru**.") not in _kept()
    assert _uses() == {pkg["id"]: descriptions.digest("Awal.")}  # our part rolled back, all of it
    monkeypatch.setattr(descriptions, "render", original)
    feed = fetch(app, "/umpan/dataset.atom").get_data()  # the lazy path renders it (and keeps it if it can)
    assert b"Judul Baru" in feed and b"&lt;strong&gt;Baru&lt;/strong&gt;" in feed
    assert (descriptions.digest("**Baru**.") in _kept()) == (failure == "renderer")


def test_sync_renders_what_no_save_kept_and_removes_what_no_dataset_uses(app, catalogue, no_entry_cache):
    public = [pkg for pkg in catalogue["public"] if pkg["notes"]]
    with model.meta.engine.begin() as conn:  # as before this code: nothing recorded at save
        conn.execute(sa.text(f"DELETE FROM {descriptions.USE}; DELETE FROM {descriptions.TABLE}"))
        conn.execute(
            sa.text(
                f"INSERT INTO {descriptions.TABLE} (digest, html, text, summary, rendered_at) VALUES"
                " ('old-renderer', '<p>x</p>', 'x', 'x', now() - interval '1 day')"
            )
        )
        conn.execute(sa.text(f"INSERT INTO {descriptions.USE} VALUES ('purged-dataset', 'old-renderer')"))
    with app.flask_app.test_request_context("/"):
        counts = descriptions.sync(batch=2)  # several batches
    assert counts == {"datasets": 3, "rendered": 2, "failed": 0, "uses_removed": 1, "removed": 1}
    expected = {pkg["id"]: descriptions.digest(pkg["notes"]) for pkg in public}
    assert _uses() == expected and set(_kept()) == set(expected.values())
    with Statements() as statements:
        fetch(app, "/umpan/dataset.atom")
    assert _writes(statements) == []
    with app.flask_app.test_request_context("/"):
        assert descriptions.sync() == {
            "datasets": 3,
            "rendered": 0,
            "failed": 0,
            "uses_removed": 0,
            "removed": 0,
        }


def test_sync_leaves_rows_rendered_after_it_began(app, body):
    with model.meta.engine.begin() as conn:  # a feed's lazy row, written while sync runs
        conn.execute(
            sa.text(
                f"INSERT INTO {descriptions.TABLE} (digest, html, text, summary, rendered_at) VALUES"
                " ('being-written', '<p>x</p>', 'x', 'x', now() + interval '1 minute')"
            )
        )
    with app.flask_app.test_request_context("/"):
        assert descriptions.sync()["removed"] == 0
    assert "being-written" in _kept()


def test_the_sync_command_says_what_it_did(app, catalogue, cli):
    from ckanext.layananpublik.feeds.cli import feed_descriptions

    _forget()
    with app.flask_app.test_request_context("/"):
        result = cli.invoke(feed_descriptions, ["sync", "--batch", "1"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "datasets: 3, rendered: 2, failed: 0, uses_removed: 0, removed: 0"
    assert len(_kept()) == 2


def test_links_in_a_description_kept_in_one_language_are_not_served_in_the_other(
    app, clean_db, with_plugins
):  # clean_db: the table exists
    """CKAN's auto-links carry the request's language (/en/dataset/?tags=...): a description
    rendered for an English page (a save from /en/, an English feed) is not the one the
    Indonesian feed shows, and the other way round."""
    _forget()
    text = "Lihat tag:kesehatan"
    with app.flask_app.test_request_context("/", environ_overrides={"CKAN_LANG": "en", "CKAN_LANG_IS_DEFAULT": False}):
        english = descriptions.rendered([text])[text]["html"]
    with app.flask_app.test_request_context("/"):
        default = descriptions.rendered([text])[text]["html"]
    assert 'href="/en/dataset/?tags=kesehatan"' in english
    assert 'href="/dataset/?tags=kesehatan"' in default
    assert len(_kept()) == 2
