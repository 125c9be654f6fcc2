"""Writing a feed dict as RSS, Atom and JSON Feed (no database: the dict is made here)."""

from __future__ import annotations

import json

import feedparser
import pytest

from ckanext.layananpublik.cases.memory import ProcessMemory
from ckanext.layananpublik.feeds import build


def feed_dict(**overrides) -> dict:
    entry = {
        "id": "urn:uuid:00000000-0000-0000-0000-000000000001",
        "title": "Judul \x08dengan <b>tanda</b> & kontrol",
        "url": "https://data.example.go.id/dataset/a",
        "summary": "Ringkasan\x00 singkat",
        "content_html": "<p>Isi &amp; lengkap</p>",
        "content_text": "Isi & lengkap",
        "authors": [{"name": "Dinas \x1bA", "url": "https://data.example.go.id/organization/a"}],
        "categories": [{"term": "anggaran", "label": "anggaran", "scheme": None}],
        "published": "2026-01-02T03:04:05+00:00",
        "updated": "2026-01-03T03:04:05+00:00",
        "language": "id",
        "enclosures": [
            {"url": "https://data.example.go.id/a.csv", "mime_type": "text/csv", "length": 10, "title": "A"},
            {
                "url": "https://data.example.go.id/a.pdf",
                "mime_type": "application/pdf",
                "length": 0,
                "title": None,
            },
        ],
    }
    feed = {
        "id": "https://data.example.go.id/umpan/dataset.atom",
        "title": "Portal: dataset \x0c baru",
        "description": "Dataset terbaru",
        "language": "id",
        "home_page_url": "https://data.example.go.id/dataset/",
        "feed_url": "https://data.example.go.id/umpan/dataset.atom?page=2",
        "links": {"first": "https://data.example.go.id/umpan/dataset.atom", "previous": None,
                  "next": "https://data.example.go.id/umpan/dataset.atom?page=3",
                  "last": "https://data.example.go.id/umpan/dataset.atom?page=3"},
        "updated": "2026-01-03T03:04:05+00:00",
        "authors": [{"name": "Portal", "url": "https://data.example.go.id/"}],
        "icon": None,
        "count": 41, "page": 2, "pages": 3, "page_size": 20,
        "entries": [entry],
    }  # fmt: skip
    feed.update(overrides)
    return feed


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_control_characters_never_break_the_xml(fmt):
    parsed = feedparser.parse(build.render(feed_dict(), fmt))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title == "Portal: dataset  baru"
    assert parsed.entries[0].title == "Judul dengan <b>tanda</b> & kontrol"


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_same_dict_gives_the_same_bytes(fmt):
    assert build.render(feed_dict(), fmt) == build.render(feed_dict(), fmt)


def test_rss_has_every_enclosure_and_paging_link():
    parsed = feedparser.parse(build.render(feed_dict(), "rss"))
    assert [e.href for e in parsed.entries[0].enclosures] == [
        "https://data.example.go.id/a.csv", "https://data.example.go.id/a.pdf",
    ]  # fmt: skip
    rels = {link.rel for link in parsed.feed.links}
    assert {"self", "first", "next", "last", "alternate"} <= rels and "previous" not in rels
    assert parsed.entries[0].author == "Dinas A"


def test_atom_entry_links_keep_their_rel_type_and_length():
    parsed = feedparser.parse(build.render(feed_dict(), "atom"))
    links = parsed.entries[0].links
    assert [(link.rel, link.get("type")) for link in links] == [
        ("alternate", "text/html"), ("enclosure", "text/csv"), ("enclosure", "application/pdf"),
    ]  # fmt: skip
    assert links[1].length == "10"


def test_empty_feed_is_valid_in_every_format():
    empty = feed_dict(entries=[], updated="1970-01-01T00:00:00+00:00", count=0, pages=1, page=1,
                      links={"first": None, "previous": None, "next": None, "last": None})  # fmt: skip
    for fmt in ("rss", "atom"):
        assert not feedparser.parse(build.render(empty, fmt)).bozo
    doc = json.loads(build.render(empty, "json"))
    assert doc["items"] == [] and "next_url" not in doc


def test_json_feed_omits_unknown_values_and_keeps_text_bodies():
    doc = json.loads(build.render(feed_dict(), "json"))
    item = doc["items"][0]
    assert item["attachments"][1] == {
        "url": "https://data.example.go.id/a.pdf",
        "mime_type": "application/pdf",
    }
    assert item["content_html"] == "<p>Isi &amp; lengkap</p>" and item["content_text"] == "Isi & lengkap"
    assert doc["_paging"]["page"] == 2 and "previous_url" not in doc["_paging"]
    without_body = feed_dict()
    without_body["entries"][0].update(content_html=None, content_text=None)
    (item,) = json.loads(build.render(without_body, "json"))["items"]
    assert item["content_text"] == without_body["entries"][0]["title"]


def _entries_of_every_shape() -> list[dict]:
    first = feed_dict()["entries"][0]
    bare = {**first, "id": "urn:uuid:00000000-0000-0000-0000-000000000002", "summary": "", "content_html": None,
            "published": None, "authors": [], "enclosures": [],
            "categories": [{"term": "berkala", "label": "Berkala", "scheme": "https://data.example.go.id/k.atom"}]}  # fmt: skip
    renamed = {**first, "authors": [{"name": "Dinas B", "url": None}]}  # only the author differs
    return [first, bare, renamed]


@pytest.mark.parametrize("fmt", ["rss", "atom"])
@pytest.mark.parametrize("count", [0, 1, 3])
def test_feeds_from_kept_entries_are_the_bytes_feedgen_writes(fmt, count, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.feeds.cache_ttl", 600)
    monkeypatch.setattr(build, "_fragments", {})
    feed = feed_dict(entries=_entries_of_every_shape()[:count])
    expected = build.WRITERS[fmt](feed)
    assert build.render(feed, fmt) == expected  # entries written and kept
    assert len(build._fragments) == count  # an entry that differs only by its author is kept apart
    assert build.render(feed, fmt) == expected  # entries taken as kept
    reordered = feed_dict(entries=list(reversed(feed["entries"])), title="Lain")
    assert build.render(reordered, fmt) == build.WRITERS[fmt](reordered)


def test_with_the_caches_off_every_entry_is_written(ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.feeds.cache_ttl", 0)
    monkeypatch.setattr(build, "_fragments", {})
    assert build.render(feed_dict(), "atom") == build.atom(feed_dict())
    assert build._fragments == {}


def _tricky_entries() -> list[dict]:
    """Entries whose text holds what the cut looks for (escaped in the XML), and no body."""
    first = feed_dict()["entries"][0]
    return [
        {**first, "id": "urn:uuid:00000000-0000-0000-0000-00000000000a", "title": "<entry> & <item> </feed>",
         "summary": "<item>x</item>", "content_html": "<entry><item>CDATA ]]> </channel></rss>",
         "categories": [{"term": "<entry>", "label": "<item>", "scheme": None}]},
        {**first, "id": "urn:uuid:00000000-0000-0000-0000-00000000000b", "summary": "", "content_html": None,
         "content_text": None, "authors": [], "categories": [], "enclosures": [], "language": "en"},
    ]  # fmt: skip


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_new_and_kept_entries_mixed_give_feedgen_s_bytes(fmt, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.feeds.cache_ttl", 600)
    monkeypatch.setattr(build, "_fragments", {})
    every = _entries_of_every_shape() + _tricky_entries()
    title = feed_dict(title="<entry>Judul</entry> <item>", description="<item> & </channel>")
    for entries in (every[:2], every, [every[4], every[0], every[3], every[1]], every[3:], []):
        feed = {**title, "entries": entries}
        assert build.render(feed, fmt) == build.WRITERS[fmt](feed)
    assert len(build._fragments) == len(every)
    # One feedgen run for a feed of kept and new entries: the new ones (the head is kept).
    changed = {**every[2], "title": "Diubah"}
    feed = {**title, "entries": [changed, every[0], every[1]]}
    expected = build.WRITERS[fmt](feed)
    runs = []
    real = build._generator
    monkeypatch.setattr(
        build, "_generator", lambda feed, f: runs.append(len(feed["entries"])) or real(feed, f)
    )
    assert build.render(feed, fmt) == expected
    assert runs == [1]


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_a_kept_head_takes_each_feed_s_updated_time(fmt, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.feeds.cache_ttl", 600)
    monkeypatch.setattr(build, "_fragments", {})
    monkeypatch.setattr(build, "_heads", ProcessMemory(256))
    for updated in (
        "2026-01-03T03:04:05+00:00",
        "2026-02-01T10:00:00.123456+00:00",
        "2026-02-01T17:00:00+07:00",
    ):
        feed = feed_dict(updated=updated)
        assert build.render(feed, fmt) == build.WRITERS[fmt](feed)
    assert len(build._heads) == 1
    runs = []
    real = build._generator
    monkeypatch.setattr(
        build, "_generator", lambda feed, f: runs.append(len(feed["entries"])) or real(feed, f)
    )
    again = feed_dict(updated="2026-03-01T00:00:00+00:00")
    assert build.render(again, fmt) == build.WRITERS[fmt](again)
    assert runs == [1]  # feedgen's own, above: the head and the entry were kept
    # A head that holds the placeholder time's text is written every time, never cut there.
    odd = feed_dict(title=build._written_time(build._SENTINEL, fmt).decode(), entries=[])
    assert build.render(odd, fmt) == build.WRITERS[fmt](odd)
    assert build.render(odd, fmt) == build.WRITERS[fmt](odd)
    assert len(build._heads) == 1
