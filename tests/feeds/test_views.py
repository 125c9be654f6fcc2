"""Dataset feeds through the real app, read by feedparser as a feed reader would: formats,
entries, what never appears, paging, errors, languages and CKAN's own feeds."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests.helpers import call_action

from tests.feeds.conftest import (
    FORMATS,
    HIDDEN,
    XML_FORMATS,
    entry_links,
    fetch,
    json_feed,
    names,
    parsed,
    translated,
)

SITE = "Portal Uji Layanan Informasi Publik"  # test.ini's ckan.site_title


def _utc(value: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


# --- formats and entries ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", XML_FORMATS)
def test_site_feed_lists_public_datasets_newest_first(app, catalogue, fmt):
    feed = parsed(app, f"/umpan/dataset.{fmt}")
    assert feed.version == ("rss20" if fmt == "rss" else "atom10")
    assert feed.feed.title == translated(app, "{site}: new and updated datasets").format(site=SITE)
    assert feed.feed.link == "http://test.ckan.net/dataset/"
    assert [e.title for e in feed.entries] == ["Peringatan Banjir", "Jumlah Penduduk", "Anggaran Daerah 2025"]


@pytest.mark.parametrize("fmt", XML_FORMATS)
def test_entry_carries_link_summary_body_author_categories_dates_and_enclosures(app, catalogue, fmt):
    shown = call_action("package_show", id="anggaran-2025")
    entry = parsed(app, f"/umpan/dataset.{fmt}").entries[-1]
    assert entry.link == "http://test.ckan.net/dataset/anggaran-2025"
    assert entry.id == f"urn:uuid:{shown['id']}"
    assert entry.summary == "Ringkasan APBD 2025."
    assert "<strong>APBD</strong>" in entry.content[0].value
    assert "Dinas Komunikasi dan Informatika" in [a.get("name") for a in entry.authors] + [
        entry.get("author")
    ]
    terms = {t.term for t in entry.tags}
    assert {"anggaran"} <= terms
    assert translated(app, "Periodic (berkala)") in {t.term for t in entry.tags} | {
        t.get("label") for t in entry.tags
    }
    assert dt.datetime(*entry.published_parsed[:6], tzinfo=dt.timezone.utc) == _utc(
        shown["metadata_created"]
    ).replace(microsecond=0)
    if fmt == "atom":
        assert dt.datetime(*entry.updated_parsed[:6], tzinfo=dt.timezone.utc) == _utc(
            shown["metadata_modified"]
        ).replace(microsecond=0)
    enclosures = [(e.href, e.type, e.length) for e in entry.enclosures]
    assert enclosures == [
        ("https://data.example.go.id/apbd-2025.csv", "text/csv", "2048"),
        ("https://data.example.go.id/apbd-2025.pdf", "application/pdf", "0"),
    ]


def test_json_feed_has_every_field_the_spec_requires(app, catalogue):
    doc = json_feed(app, "/umpan/dataset.json")
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert doc["title"] == translated(app, "{site}: new and updated datasets").format(site=SITE)
    assert doc["feed_url"] == "http://test.ckan.net/umpan/dataset.json"
    assert doc["home_page_url"] == "http://test.ckan.net/dataset/"
    assert doc["language"] == "id"
    assert doc["items"], "items are required (here: three datasets)"
    for item in doc["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert item.get("content_html") or item.get("content_text")
        assert _utc(item["date_published"]) <= _utc(item["date_modified"])
        for attachment in item.get("attachments", []):
            assert attachment["url"] and attachment["mime_type"]
        assert all(value is not None for value in item.values())
    budget = next(i for i in doc["items"] if i["url"].endswith("/anggaran-2025"))
    assert budget["title"] == "Anggaran Daerah 2025"
    assert [a["name"] for a in budget["authors"]] == ["Dinas Komunikasi dan Informatika", "Bidang Anggaran"]
    assert budget["attachments"][0] == {
        "url": "https://data.example.go.id/apbd-2025.csv", "mime_type": "text/csv", "title": "APBD 2025",
        "size_in_bytes": 2048,
    }  # fmt: skip
    assert "anggaran" in budget["tags"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_entry_link_opens_the_dataset_page(app, catalogue, fmt):
    links = entry_links(app, f"/umpan/dataset.{fmt}")
    assert len(links) == 3
    for link in links:
        page = fetch(app, urlparse(link).path)
        assert "text/html" in page.headers["Content-Type"]
    assert "Anggaran Daerah 2025" in fetch(app, urlparse(links[-1]).path).get_data(as_text=True)


def test_summary_is_plain_text_and_body_is_sanitised(app, body):
    from tests.feeds.conftest import dataset

    dataset(body, name="berbahaya", title="Judul <b>tebal</b>\x07",
            notes='Isi <script>alert("x")</script> [tautan](javascript:alert(1)) \x0b selesai')  # fmt: skip
    feed = parsed(app, "/umpan/dataset.atom")
    entry = feed.entries[0]
    assert entry.title == "Judul <b>tebal</b>"  # text: the reader shows it as written
    assert "<script" not in entry.content[0].value and "javascript:" not in entry.content[0].value
    assert "<" not in entry.summary
    doc = json_feed(app, "/umpan/dataset.json")
    assert "<script" not in doc["items"][0]["content_html"]


# --- what never appears ---------------------------------------------------------------------------

DATASET_FEEDS = (
    "/umpan/dataset",
    "/umpan/organisasi/diskominfo",
    "/umpan/grup/kesehatan",
    "/umpan/tag/anggaran",
    "/umpan/kategori/berkala",
)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("feed", DATASET_FEEDS)
def test_private_draft_deleted_and_exempt_datasets_never_appear(app, catalogue, sysadmin_headers, feed, fmt):
    for headers in ({}, sysadmin_headers):  # not even for a sysadmin: feeds are public
        found = names(entry_links(app, f"{feed}.{fmt}", headers=headers))
        assert found, feed
        assert not set(found) & set(HIDDEN), (feed, found)


@pytest.mark.parametrize("query", ["q=anggaran", "tags=anggaran", "q=Rahasia", "q=Dikecualikan", "q=Draf"])
def test_search_feed_never_shows_hidden_datasets(app, catalogue, query):
    assert not set(names(entry_links(app, f"/umpan/cari.atom?{query}"))) & set(HIDDEN)


def test_a_dataset_made_private_leaves_the_feed(app, catalogue):
    assert "banjir" in names(entry_links(app, "/umpan/dataset.atom"))
    call_action("package_patch", id="banjir", private=True)
    assert "banjir" not in names(entry_links(app, "/umpan/dataset.atom"))


# --- one feed per body, group, tag, category, search ---------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/umpan/organisasi/diskominfo.atom", ["banjir", "penduduk", "anggaran-2025"]),
        ("/umpan/grup/kesehatan.atom", ["anggaran-2025"]),
        ("/umpan/tag/bencana.atom", ["banjir"]),
        ("/umpan/kategori/berkala.atom", ["anggaran-2025"]),
        ("/umpan/kategori/serta-merta.atom", ["banjir"]),
        ("/umpan/kategori/setiap-saat.atom", ["penduduk"]),
        ("/umpan/cari.atom?q=penduduk", ["penduduk"]),
        ("/umpan/cari.atom?tags=anggaran&res_format=CSV", ["anggaran-2025"]),
        ("/umpan/cari.atom?information_category=serta_merta", ["banjir"]),
        ("/umpan/cari.atom?q=tidak-ada-yang-cocok", []),
    ],
)
def test_each_feed_selects_its_datasets(app, catalogue, url, expected):
    assert names(entry_links(app, url)) == expected


def test_feed_of_another_body_is_empty_but_valid(app, catalogue):
    from ckan.tests import factories

    factories.Organization(name="dinkes", title="Dinas Kesehatan")
    feed = parsed(app, "/umpan/organisasi/dinkes.atom")
    assert feed.entries == []
    assert feed.feed.title == translated(app, "{body}: new and updated datasets").format(
        body="Dinas Kesehatan"
    )
    assert json_feed(app, "/umpan/organisasi/dinkes.json")["items"] == []


def test_feeds_sorted_by_creation_on_request(app, catalogue):
    call_action("package_patch", id="anggaran-2025", notes="Diperbarui")
    assert names(entry_links(app, "/umpan/dataset.atom"))[0] == "anggaran-2025"
    newest_first = names(entry_links(app, "/umpan/dataset.atom?sort=metadata_created+desc"))
    assert newest_first == ["banjir", "penduduk", "anggaran-2025"]


# --- errors -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/umpan/organisasi/tidak-ada.atom",
        "/umpan/organisasi/kesehatan.atom",  # a group, not a body
        "/umpan/grup/tidak-ada.rss",
        "/umpan/grup/diskominfo.rss",  # a body, not a group
        "/umpan/tag/tidak-ada.json",
        "/umpan/kategori/lainnya.atom",
        "/umpan/kategori/dikecualikan.atom",  # exempt information has no feed
        "/umpan/permohonan/tidak-ada/baru.atom",
    ],
)
def test_unknown_organisation_group_tag_or_category_gives_404(app, catalogue, url):
    fetch(app, url, status=404)


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/umpan/dataset.atom?page=0", "page"),
        ("/umpan/dataset.atom?page=dua", "page"),
        ("/umpan/dataset.atom?page=2", "page"),  # one page only
        ("/umpan/dataset.atom?page=99999999999999999999", "page"),
        ("/umpan/dataset.atom?limit=101", "limit"),
        ("/umpan/dataset.atom?limit=-5", "limit"),
        ("/umpan/dataset.xml", "format"),
        ("/umpan/organisasi/diskominfo.html", "format"),
        ("/umpan/dataset.atom?sort=title_string+asc", "sort"),
        ("/umpan/cari.atom?a%20b=c", "filters"),
        ("/umpan/cari.atom?q=" + "x" * 600, "q"),
    ],
)
def test_bad_parameter_gives_400_with_a_message(app, catalogue, url, field):
    response = fetch(app, url, status=400)
    assert f"{field}:" in response.get_data(as_text=True)


def test_page_too_large_says_how_many_pages_there_are(app, catalogue):
    text = fetch(app, "/umpan/dataset.atom?page=7", status=400).get_data(as_text=True)
    with app.flask_app.test_request_context("/"):
        message = tk.ungettext(
            "There is no page {page}: this feed has {pages} page",
            "There is no page {page}: this feed has {pages} pages",
            1,
        ).format(page=7, pages=1)
    assert message in text


@pytest.mark.parametrize(
    "query",
    ['q="tanpa+penutup', "q=title:(", "q=*:*+AND+(", "q=%00", "q=metadata_modified:[x+TO+y]", "tags=%22",
     "ext_bbox=abc", "q=%5C"],
)  # fmt: skip
def test_strange_searches_never_give_500(app, catalogue, query):
    response = app.get(f"/umpan/cari.atom?{query}")
    assert response.status_code in (200, 400), (query, response.status_code)


# --- paging -------------------------------------------------------------------------------------


def test_atom_paging_links_follow_rfc_5005(app, catalogue):
    first = parsed(app, "/umpan/dataset.atom?limit=1")
    rels = {link.rel: link.href for link in first.feed.links}
    base = "http://test.ckan.net/umpan/dataset.atom?limit=1"
    assert rels["self"] == base and rels["first"] == base
    assert rels["next"] == base + "&page=2" and rels["last"] == base + "&page=3"
    assert "previous" not in rels
    middle = parsed(app, "/umpan/dataset.atom?limit=1&page=2")
    rels = {link.rel: link.href for link in middle.feed.links}
    assert rels["previous"] == base and rels["next"] == base + "&page=3"
    assert [e.title for e in middle.entries] == ["Jumlah Penduduk"]
    last = parsed(app, rels["next"].replace("http://test.ckan.net", ""))
    assert "next" not in {link.rel for link in last.feed.links}
    assert [e.title for e in last.entries] == ["Anggaran Daerah 2025"]


def test_rss_paging_links(app, catalogue):
    feed = parsed(app, "/umpan/dataset.rss?limit=2")
    rels = {link.rel: link.href for link in feed.feed.links}
    assert rels["next"] == "http://test.ckan.net/umpan/dataset.rss?limit=2&page=2"
    assert rels["first"] == rels["self"] == "http://test.ckan.net/umpan/dataset.rss?limit=2"
    assert len(feed.entries) == 2


def test_json_feed_paging(app, catalogue):
    doc = json_feed(app, "/umpan/dataset.json?limit=2")
    assert doc["next_url"] == "http://test.ckan.net/umpan/dataset.json?limit=2&page=2"
    assert doc["_paging"] == {
        "first_url": "http://test.ckan.net/umpan/dataset.json?limit=2",
        "last_url": "http://test.ckan.net/umpan/dataset.json?limit=2&page=2",
        "page": 1, "pages": 2, "count": 3,
    }  # fmt: skip
    last = json_feed(app, "/umpan/dataset.json?limit=2&page=2")
    assert "next_url" not in last and last["_paging"]["previous_url"] == doc["feed_url"]
    assert [i["title"] for i in last["items"]] == ["Anggaran Daerah 2025"]


def test_search_feed_paging_keeps_the_search(app, catalogue):
    feed = parsed(app, "/umpan/cari.atom?tags=anggaran&limit=1")
    rels = {link.rel: link.href for link in feed.feed.links}
    assert rels["last"] == "http://test.ckan.net/umpan/cari.atom?tags=anggaran&limit=1"
    assert rels["alternate"] == "http://test.ckan.net/dataset/?tags=anggaran"


def test_page_size_comes_from_config(app, catalogue, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.feeds.page_size", 2)
    assert len(parsed(app, "/umpan/dataset.atom").entries) == 2
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.feeds.page_size_max", 1)
    assert len(parsed(app, "/umpan/dataset.atom").entries) == 1  # the bound wins
    fetch(app, "/umpan/dataset.atom?limit=2", status=400)


# --- language ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", XML_FORMATS)
def test_language_follows_the_address(app, catalogue, fmt):
    indonesian = parsed(app, f"/umpan/dataset.{fmt}")
    english = parsed(app, f"/en/umpan/dataset.{fmt}")
    assert indonesian.feed.language == "id" and english.feed.language == "en"
    assert indonesian.feed.title == translated(app, "{site}: new and updated datasets", "id").format(
        site=SITE
    )
    assert english.feed.title == f"{SITE}: new and updated datasets"
    assert english.entries[0].link == "http://test.ckan.net/en/dataset/banjir"
    assert indonesian.entries[0].link == "http://test.ckan.net/dataset/banjir"
    labels = {t.get("label") or t.term for t in english.entries[0].tags}
    assert "Immediate (serta merta)" in labels


def test_english_json_feed(app, catalogue):
    doc = json_feed(app, "/en/umpan/kategori/berkala.json")
    assert doc["language"] == "en"
    assert doc["title"] == "Periodic (berkala) information: new and updated datasets"
    assert doc["feed_url"] == "http://test.ckan.net/en/umpan/kategori/berkala.json"


# --- CKAN's own feeds ----------------------------------------------------------------------------


def test_ckan_core_feeds_keep_working(app, catalogue):
    feed = parsed(app, "/feeds/dataset.atom")
    assert {"Peringatan Banjir", "Jumlah Penduduk", "Anggaran Daerah 2025"} <= {e.title for e in feed.entries}
    assert not set(e.title for e in feed.entries) & {"Data Internal Rahasia", "Konsep Draf", "Sudah Dihapus"}
    assert parsed(app, "/feeds/organization/diskominfo.atom").entries
