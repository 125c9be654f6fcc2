"""Cache-friendly feeds: ETag and Last-Modified on every feed, 304 without rendering,
Cache-Control for reverse proxies, and the rendered feed kept in Redis under its ETag."""

from __future__ import annotations

import time
import types

import pytest
from ckan.tests.helpers import call_action

from ckanext.layananpublik.feeds import build, cache
from tests.feeds.conftest import FORMATS, XML_FORMATS, fetch, json_feed

FEEDS = (
    "/umpan/dataset",
    "/umpan/organisasi/diskominfo",
    "/umpan/grup/kesehatan",
    "/umpan/tag/anggaran",
    "/umpan/kategori/berkala",
    "/umpan/permohonan/baru",
    "/umpan/permohonan/diskominfo/diputus",
    "/umpan/informasi-publik",
    "/umpan/informasi-publik/diskominfo",
)


@pytest.fixture
def renders(monkeypatch):
    """Counts how often a feed is written (build.render), the step a 304 must skip."""
    calls = []
    original = build.render

    def counting(feed, fmt):
        calls.append(feed["feed_url"])
        return original(feed, fmt)

    monkeypatch.setattr(build, "render", counting)
    return calls


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("feed", FEEDS)
def test_every_feed_has_etag_last_modified_and_public_cache_control(app, catalogue, feed, fmt):
    response = fetch(app, f"{feed}.{fmt}")
    assert response.headers["ETag"].startswith('"') and response.headers["ETag"].endswith('"')
    assert response.headers["Last-Modified"].endswith(" GMT")
    assert response.headers["Cache-Control"] == "public, max-age=300"


def test_if_none_match_gives_304_without_rendering(app, catalogue, renders):
    first = fetch(app, "/umpan/dataset.atom")
    assert len(renders) == 1
    again = fetch(app, "/umpan/dataset.atom", status=304, headers={"If-None-Match": first.headers["ETag"]})
    assert again.get_data() == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    # (RFC 9110 15.4.5: a 304 carries ETag and Cache-Control; Werkzeug drops Last-Modified)
    assert again.headers["Cache-Control"] == "public, max-age=300"
    assert len(renders) == 1


def test_weak_and_listed_etags_match_too(app, catalogue):
    etag = fetch(app, "/umpan/dataset.rss").headers["ETag"]
    for header in (f"W/{etag}", f'"other", {etag}', "*"):
        fetch(app, "/umpan/dataset.rss", status=304, headers={"If-None-Match": header})
    fetch(app, "/umpan/dataset.rss", status=200, headers={"If-None-Match": '"other"'})


def test_if_modified_since_gives_304_until_a_dataset_changes(app, catalogue):
    first = fetch(app, "/umpan/dataset.json")
    since = {"If-Modified-Since": first.headers["Last-Modified"]}
    fetch(app, "/umpan/dataset.json", status=304, headers=since)
    call_action("package_patch", id="penduduk", notes="Data 2026 ditambahkan")
    changed = fetch(app, "/umpan/dataset.json", status=200, headers=since)
    assert changed.headers["ETag"] != first.headers["ETag"]
    assert changed.headers["Last-Modified"] != first.headers["Last-Modified"]
    fetch(
        app,
        "/umpan/dataset.json",
        status=304,
        headers={"If-Modified-Since": changed.headers["Last-Modified"]},
    )


def test_deleting_the_newest_dataset_is_not_hidden_by_if_modified_since(app, catalogue):
    first = fetch(app, "/umpan/dataset.atom")
    call_action("package_delete", id="banjir")
    # max(metadata_modified) of the feed moved back; Last-Modified must still move on
    changed = fetch(app, "/umpan/dataset.atom", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert b"Peringatan Banjir" not in changed.get_data()


@pytest.mark.parametrize(
    "change",
    [
        lambda: call_action("package_patch", id="anggaran-2025", title="Anggaran Daerah 2025 (revisi)"),
        lambda: call_action("package_patch", id="rahasia-internal", private=False),
        lambda: call_action("package_patch", id="banjir", private=True),
        lambda: call_action("package_delete", id="penduduk"),
        lambda: call_action("resource_create", package_id="penduduk", url="https://data.example.go.id/p.csv"),
    ],
)
def test_any_change_of_an_entry_changes_the_etag(app, catalogue, change):
    etag = fetch(app, "/umpan/dataset.atom").headers["ETag"]
    change()
    fetch(app, "/umpan/dataset.atom", status=200, headers={"If-None-Match": etag})


def test_each_format_page_and_language_has_its_own_etag(app, catalogue):
    etags = {
        fetch(app, url).headers["ETag"]
        for url in ("/umpan/dataset.atom", "/umpan/dataset.rss", "/umpan/dataset.json", "/en/umpan/dataset.atom",
                    "/umpan/dataset.atom?limit=1", "/umpan/dataset.atom?limit=1&page=2")
    }  # fmt: skip
    assert len(etags) == 6


def test_a_second_reader_gets_the_cached_feed_without_rendering(app, catalogue, renders):
    first = fetch(app, "/umpan/dataset.rss")
    second = fetch(app, "/umpan/dataset.rss")
    assert second.get_data() == first.get_data()
    assert len(renders) == 1
    call_action("package_patch", id="banjir", notes="Siaga dua.")
    assert b"Siaga dua." in fetch(app, "/umpan/dataset.rss").get_data()
    assert len(renders) == 2


def test_the_rendered_feed_is_written_to_redis_once_the_answer_is_sent(app, catalogue, renders):
    """Write-behind: the reader does not wait for the body's SET (nor the new entries'),
    sent when the WSGI server closes the response after its last byte."""
    response = app.get("/umpan/dataset.rss")
    body = response.get_data()
    key = f"{cache.PREFIX}:body:{response.headers['ETag'].strip(chr(34))}"
    assert cache._redis().get(key) is None
    response.close()
    assert cache._redis().get(key) == body
    assert fetch(app, "/umpan/dataset.rss").get_data() == body
    assert len(renders) == 1


def test_cache_can_be_turned_off(app, catalogue, renders, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.feeds.cache_ttl", 0)
    fetch(app, "/umpan/dataset.rss")
    fetch(app, "/umpan/dataset.rss")
    assert len(renders) == 2


def test_max_age_comes_from_config_not_from_ckan_cache_expires(app, catalogue, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.feeds.max_age", 60)
    monkeypatch.setitem(ckan_config, "ckan.cache_expires", 7)
    assert fetch(app, "/umpan/dataset.atom").headers["Cache-Control"] == "public, max-age=60"
    # pages other than feeds keep CKAN's own rule
    assert "max-age=7" in fetch(app, "/api/3/action/status_show").headers.get("Cache-Control", "max-age=7")


def test_signed_in_reader_gets_the_same_public_feed(app, catalogue, sysadmin_headers):
    anonymous = fetch(app, "/umpan/dataset.atom")
    signed_in = fetch(app, "/umpan/dataset.atom", headers=sysadmin_headers)
    assert signed_in.headers["ETag"] == anonymous.headers["ETag"]
    assert signed_in.get_data() == anonymous.get_data()


def test_feeds_may_be_read_from_other_sites(app, catalogue):
    assert fetch(app, "/umpan/dataset.json").headers["Access-Control-Allow-Origin"] == "*"


def test_last_modified_never_goes_back(app, catalogue):
    seen = []
    for notes in ("a", "b", "c"):
        call_action("package_patch", id="banjir", notes=notes)
        seen.append(time.mktime(time.strptime(fetch(app, "/umpan/dataset.atom").headers["Last-Modified"],
                                              "%a, %d %b %Y %H:%M:%S GMT")))  # fmt: skip
    assert seen == sorted(set(seen)), "strictly later after each change, even within one second"


def test_a_change_renders_only_the_entry_that_changed(app, catalogue, monkeypatch):
    from ckanext.layananpublik.feeds import entries

    rendered = []
    original = entries.dataset_entry
    monkeypatch.setattr(
        entries, "dataset_entry", lambda pkg, *rest: rendered.append(pkg["name"]) or original(pkg, *rest)
    )
    fetch(app, "/umpan/dataset.atom")
    assert sorted(rendered) == ["anggaran-2025", "banjir", "penduduk"]
    rendered.clear()
    call_action("package_patch", id="penduduk", notes="Data 2026")
    assert b"Data 2026" in fetch(app, "/umpan/dataset.atom").get_data()
    fetch(app, "/umpan/organisasi/diskominfo.atom")  # another feed, the same entries
    assert rendered == ["penduduk"]


def test_renaming_the_body_changes_its_feed_etag(app, catalogue):
    etag = fetch(app, "/umpan/organisasi/diskominfo.atom").headers["ETag"]
    call_action("organization_patch", id="diskominfo", title="Dinas Kominfo Kota Contoh")
    changed = fetch(app, "/umpan/organisasi/diskominfo.atom", headers={"If-None-Match": etag})
    assert b"Dinas Kominfo Kota Contoh" in changed.get_data()


def test_the_serta_merta_feed_is_always_revalidated_so_readers_get_it_at_once(app, catalogue):
    # Pasal 10 UU 14/2008: serta-merta information is announced immediately; a cache
    # may keep it only with a revalidation (a cheap 304 when nothing changed).
    response = fetch(app, "/umpan/kategori/serta-merta.atom")
    assert response.headers["Cache-Control"] == "public, max-age=0"
    assert fetch(app, "/umpan/kategori/berkala.atom").headers["Cache-Control"] == "public, max-age=300"


@pytest.fixture
def rendered(monkeypatch):
    """The datasets whose entries are rendered (not taken from the entry cache)."""
    from ckanext.layananpublik.feeds import entries

    names = []
    original = entries.dataset_entry
    monkeypatch.setattr(
        entries, "dataset_entry", lambda pkg, *rest: names.append(pkg["name"]) or original(pkg, *rest)
    )
    return names


def test_entries_are_kept_per_language_and_a_change_shows_in_both(app, catalogue, rendered):
    # Each entry says its language: an entry kept for one language is never served in the other.
    for prefix, lang in (("", "id"), ("/en", "en")):
        items = json_feed(app, f"{prefix}/umpan/kategori/berkala.json")["items"]
        assert [item["language"] for item in items] == [lang]
    assert sorted(rendered) == ["anggaran-2025", "anggaran-2025"]  # once per language
    fetch(app, "/umpan/dataset.json")
    assert sorted(rendered) == ["anggaran-2025", "anggaran-2025", "banjir", "penduduk"]
    rendered.clear()
    call_action("package_patch", id="anggaran-2025", notes="Revisi kedua")
    for url in ("/umpan/kategori/berkala.json", "/en/umpan/kategori/berkala.json", "/umpan/dataset.json"):
        assert b"Revisi kedua" in fetch(app, url).get_data()
    assert rendered == ["anggaran-2025", "anggaran-2025"]


@pytest.mark.parametrize("lang", ["", "/en"])
@pytest.mark.parametrize(
    "hide",
    [
        lambda: call_action("package_patch", id="penduduk", private=True),
        lambda: call_action("package_delete", id="penduduk"),
    ],
)
def test_a_kept_entry_is_never_shown_once_its_dataset_is_private_or_deleted(app, catalogue, lang, hide):
    assert b"/dataset/penduduk" in fetch(app, f"{lang}/umpan/dataset.json").get_data()
    hide()
    for fmt in FORMATS:
        assert b"penduduk" not in fetch(app, f"{lang}/umpan/dataset.{fmt}").get_data()


def test_entries_read_through_the_api_are_kept_for_the_feed_pages(app, catalogue, rendered):
    """The action writes what it renders at once (the views send their writes in one call
    at the end): the feed page then renders nothing again."""
    with app.flask_app.test_request_context("/"):
        shown = call_action("layananpublik_feed_show", feed="dataset")
    assert len(shown["entries"]) == 3 and len(rendered) == 3
    rendered.clear()
    assert b"Jumlah Penduduk" in fetch(app, "/umpan/dataset.atom").get_data()
    assert rendered == []


@pytest.fixture
def digests(monkeypatch):
    """The entries whose bytes a feed view looks up by digest (not kept with the entry)."""
    titles = []
    original = build._digest
    monkeypatch.setattr(
        build, "_digest", lambda item, fmt: titles.append((item["title"], fmt)) or original(item, fmt)
    )
    return titles


def test_right_after_an_update_a_feed_view_writes_the_changed_entry_alone(
    app, catalogue, digests, rendered, monkeypatch
):
    """Entries and their written bytes are kept in the web process: after an update the
    feed view takes the others as they are, and the feed is the bytes feedgen writes."""
    for lang in ("", "/en"):
        for fmt in XML_FORMATS:
            fetch(app, f"{lang}/umpan/dataset.{fmt}")
    digests.clear()
    rendered.clear()
    call_action("package_patch", id="penduduk", title="Jumlah Penduduk 2026")
    written = []
    original = build.render
    # What the view writes, and what feedgen writes from the same dict, every entry anew.
    monkeypatch.setattr(
        build,
        "render",
        lambda feed, fmt: written.append((original(feed, fmt), build.WRITERS[fmt](feed))) or written[-1][0],
    )
    for lang in ("", "/en"):
        for fmt in XML_FORMATS:
            body = fetch(app, f"{lang}/umpan/dataset.{fmt}").get_data()
            assert b"Jumlah Penduduk 2026" in body
            assert written[-1][0] == body and body == written[-1][1]
    assert len(written) == 4 and b"new and updated datasets" in written[-1][0]
    # Per language one new entry, written once per format; the others taken as kept.
    assert rendered == ["penduduk", "penduduk"]
    assert digests == [("Jumlah Penduduk 2026", fmt) for _ in ("id", "en") for fmt in XML_FORMATS]


def test_entries_kept_in_the_process_last_no_longer_than_in_redis(
    app, catalogue, digests, ckan_config, monkeypatch
):
    fetch(app, "/umpan/dataset.atom")
    assert len(digests) == 3  # each entry written once
    fetch(app, "/umpan/organisasi/diskominfo.atom")  # the same three entries, kept with their bytes
    assert len(digests) == 3
    digests.clear()
    later = time.time() + ckan_config["ckanext.layananpublik.feeds.cache_ttl"] + 1
    monkeypatch.setattr(cache, "time", types.SimpleNamespace(time=lambda: later))
    body = fetch(app, "/umpan/kategori/berkala.atom").get_data()  # read from Redis again
    assert b"Anggaran Daerah 2025" in body
    assert digests == [("Anggaran Daerah 2025", "atom")]
