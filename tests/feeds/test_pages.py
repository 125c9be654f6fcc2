"""Pages announce their feeds: <link rel="alternate"> discovery tags in the head, and
visible links on the dataset search, organisation and group pages."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from bs4 import BeautifulSoup

from tests.feeds.conftest import fetch, parsed

TYPES = {"application/rss+xml", "application/atom+xml", "application/feed+json"}


def page(app, url: str) -> BeautifulSoup:
    return BeautifulSoup(fetch(app, url).get_data(as_text=True), "html.parser")


def discovered(soup: BeautifulSoup) -> list[str]:
    return [
        link["href"]
        for link in soup.head.select('link[rel="alternate"]')
        if link.get("type") in TYPES and "/umpan/" in link["href"]
    ]


def visible(soup: BeautifulSoup) -> list[str]:
    return [a["href"] for a in soup.select(".lp-feeds a.lp-feed-link")]


@pytest.mark.parametrize(
    ("url", "feed"),
    [
        ("/dataset/", "/umpan/dataset"),
        ("/dataset/?tags=anggaran", "/umpan/tag/anggaran"),
        ("/dataset/?organization=diskominfo", "/umpan/organisasi/diskominfo"),
        ("/dataset/?groups=kesehatan", "/umpan/grup/kesehatan"),
        ("/dataset/?information_category=berkala", "/umpan/kategori/berkala"),
        ("/dataset/?q=anggaran&res_format=CSV", "/umpan/cari"),
        ("/group/kesehatan", "/umpan/grup/kesehatan"),
    ],
)
def test_page_announces_its_feed_in_three_formats_and_shows_links(app, catalogue, url, feed):
    soup = page(app, url)
    found = discovered(soup)
    assert [urlparse(h).path for h in found] == [f"{feed}.rss", f"{feed}.atom", f"{feed}.json"]
    assert visible(soup) == found
    for href in found:
        fetch(app, href)  # every announced feed answers


def test_search_page_feed_follows_the_same_search(app, catalogue):
    (rss, atom, _json) = discovered(page(app, "/dataset/?q=anggaran&res_format=CSV&page=1"))
    assert atom == "/umpan/cari.atom?q=anggaran&res_format=CSV"
    assert [e.title for e in parsed(app, atom).entries] == ["Anggaran Daerah 2025"]


def test_organisation_page_announces_its_datasets_register_and_pages_feeds(app, catalogue):
    soup = page(app, "/organization/diskominfo")
    paths = [urlparse(h).path for h in discovered(soup)]
    assert paths == [
        "/umpan/organisasi/diskominfo.rss", "/umpan/organisasi/diskominfo.atom", "/umpan/organisasi/diskominfo.json",
        "/umpan/permohonan/diskominfo/baru.rss", "/umpan/permohonan/diskominfo/baru.atom",
        "/umpan/permohonan/diskominfo/baru.json",
        "/umpan/permohonan/diskominfo/diputus.rss", "/umpan/permohonan/diskominfo/diputus.atom",
        "/umpan/permohonan/diskominfo/diputus.json",
        "/umpan/informasi-publik/diskominfo.rss", "/umpan/informasi-publik/diskominfo.atom",
        "/umpan/informasi-publik/diskominfo.json",
    ]  # fmt: skip
    assert [urlparse(h).path for h in visible(soup)] == paths
    # CKAN's own organisation feed is still announced
    assert soup.head.select_one('link[href="/feeds/organization/diskominfo.atom"]')


def test_dataset_page_announces_its_body_feed(app, catalogue):
    paths = [urlparse(h).path for h in discovered(page(app, "/dataset/anggaran-2025"))]
    assert "/umpan/organisasi/diskominfo.atom" in paths


def test_english_pages_announce_english_feeds(app, catalogue):
    assert discovered(page(app, "/en/dataset/"))[1] == "/en/umpan/dataset.atom"


def test_visible_links_can_be_turned_off(app, catalogue, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.feeds.show_links", False)
    soup = page(app, "/dataset/")
    assert visible(soup) == []
    assert discovered(soup)  # discovery stays


@pytest.mark.parametrize(
    ("url", "feeds"),
    [
        ("/permohonan/", ["/umpan/permohonan/baru", "/umpan/permohonan/diputus"]),
        (
            "/permohonan/badan/diskominfo",
            ["/umpan/permohonan/diskominfo/baru", "/umpan/permohonan/diskominfo/diputus"],
        ),
        ("/informasi-publik/", ["/umpan/informasi-publik"]),
        ("/informasi-publik/diskominfo", ["/umpan/informasi-publik/diskominfo"]),
    ],
)
def test_register_and_transparency_pages_announce_and_show_their_feeds(app, catalogue, url, feeds):
    soup = page(app, url)
    paths = [urlparse(h).path for h in discovered(soup)]
    assert paths == [f"{feed}.{fmt}" for feed in feeds for fmt in ("rss", "atom", "json")]
    assert [urlparse(h).path for h in visible(soup)] == paths
    for href in discovered(soup):
        fetch(app, href)
