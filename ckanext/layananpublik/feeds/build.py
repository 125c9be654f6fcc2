"""Write a feed dict (actions.layananpublik_feed_show) as RSS 2.0, Atom 1.0 or JSON Feed 1.1.

RSS and Atom come from feedgen, with a small extension for what feedgen 1.0 leaves out:
RFC 5005 paging links (first/previous/next/last) in RSS, and one enclosure per resource
(feedgen writes a single one in RSS, and writes Atom entry links without their rel, type
and length). JSON Feed is written here: feedgen has none.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import ckan.plugins.toolkit as tk
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import formatRFC2822, xml_elem

from ckanext.layananpublik.cases.memory import ProcessMemory
from ckanext.layananpublik.feeds import cache
from ckanext.layananpublik.feeds.entries import clean

ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
GENERATOR = "ckanext-layananpublik"
GENERATOR_URI = "https://github.com/ckan/ckan"
PAGING_RELS = ("first", "previous", "next", "last")
CONTENT_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}


def _time(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


class _PagingExtension(BaseExtension):
    """RSS channel: <atom:link rel="first|previous|next|last"> (feedgen writes only self)."""

    media_type = "application/rss+xml"

    def __init__(self) -> None:
        self.links: dict[str, str | None] = {}

    def extend_rss(self, feed):
        channel = feed[0]
        for rel in PAGING_RELS:
            if self.links.get(rel):
                xml_elem(f"{{{ATOM_NS}}}link", channel, href=self.links[rel], rel=rel, type=self.media_type)
        return feed


class _EnclosureExtension(BaseEntryExtension):
    """One enclosure per resource: <enclosure> in RSS, <link rel="enclosure"> in Atom."""

    def __init__(self) -> None:
        self.items: list[dict] = []

    def extend_rss(self, item):
        for e in self.items:
            xml_elem("enclosure", item, url=e["url"], length=str(e["length"]), type=e["mime_type"])
        return item

    def extend_atom(self, entry):
        for e in self.items:
            attrs = {"rel": "enclosure", "href": e["url"], "type": e["mime_type"], "length": str(e["length"])}
            if e.get("title"):
                attrs["title"] = clean(e["title"])
            xml_elem("link", entry, **attrs)  # feedgen writes Atom elements unprefixed
        return entry


def _generator(feed: dict, fmt: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.register_extension("paging", _PagingExtension, _EnclosureExtension, atom=True, rss=True)
    fg.load_extension("dc", atom=False, rss=True)
    fg.id(feed["id"])
    fg.title(clean(feed["title"]))
    fg.description(clean(feed["description"]))
    fg.language(feed["language"])
    updated = _time(feed["updated"])
    fg.updated(updated)
    fg.lastBuildDate(updated)
    fg.generator(GENERATOR, uri=GENERATOR_URI)
    for author in feed["authors"]:
        fg.author({"name": clean(author["name"]), **({"uri": author["url"]} if author.get("url") else {})})
    if feed.get("icon"):
        fg.icon(feed["icon"])
    media_type = "application/rss+xml" if fmt == "rss" else "application/atom+xml"
    fg.link(href=feed["feed_url"], rel="self", type=media_type)
    if fmt == "atom":
        for rel in PAGING_RELS:
            if feed["links"].get(rel):
                fg.link(href=feed["links"][rel], rel=rel, type=media_type)
    else:
        fg.paging.links = feed["links"]
    # Last: feedgen takes the RSS <link> from the last link added.
    fg.link(href=feed["home_page_url"], rel="alternate", type="text/html")
    for item in feed["entries"]:
        _entry(fg, item)
    return fg


def _entry(fg: FeedGenerator, item: dict) -> None:
    fe = fg.add_entry(order="append")
    fe.id(item["id"])
    fe.guid(item["id"], permalink=False)
    fe.title(clean(item["title"]))
    fe.link(href=item["url"], rel="alternate", type="text/html")
    fe.updated(_time(item["updated"]))
    if item.get("published"):
        fe.published(_time(item["published"]))
    if item.get("summary"):
        fe.summary(clean(item["summary"]), type="text")
    if item.get("content_html"):
        fe.content(clean(item["content_html"]), type="html")
    for author in item["authors"]:
        fe.author({"name": clean(author["name"]), **({"uri": author["url"]} if author.get("url") else {})})
        fe.dc.dc_creator(clean(author["name"]))
    for category in item["categories"]:
        fe.category(
            term=clean(category["term"]),
            label=clean(category.get("label") or category["term"]),
            **({"scheme": category["scheme"]} if category.get("scheme") else {}),
        )
    fe.paging.items = item["enclosures"]


def rss(feed: dict) -> bytes:
    return _generator(feed, "rss").rss_str(pretty=False)


def atom(feed: dict) -> bytes:
    return _generator(feed, "atom").atom_str(pretty=False)


def _compact(value: dict) -> dict:
    """JSON Feed leaves out what is unknown rather than writing null."""
    return {k: v for k, v in value.items() if v not in (None, "", [])}


def json_feed(feed: dict) -> bytes:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1), paging in `next_url` and, for
    first/previous/last, the extension object `_paging`."""
    items = [
        _compact(
            {
                "id": item["id"],
                "url": item["url"],
                "title": item["title"],
                "content_html": item.get("content_html"),
                # The spec asks for one of the two: a text body even without notes.
                "content_text": item.get("content_text")
                or (None if item.get("content_html") else item["title"]),
                "summary": item.get("summary"),
                "date_published": item.get("published"),
                "date_modified": item.get("updated"),
                "authors": [_compact({"name": a["name"], "url": a.get("url")}) for a in item["authors"]],
                "tags": [c.get("label") or c["term"] for c in item["categories"]],
                "language": item.get("language"),
                "attachments": [
                    _compact(
                        {
                            "url": e["url"],
                            "mime_type": e["mime_type"],
                            "title": e.get("title"),
                            "size_in_bytes": e["length"] or None,
                        }
                    )
                    for e in item["enclosures"]
                ],  # fmt: skip
            }
        )
        for item in feed["entries"]
    ]
    links = feed["links"]
    document = _compact(
        {
            "version": JSON_FEED_VERSION,
            "title": feed["title"],
            "home_page_url": feed["home_page_url"],
            "feed_url": feed["feed_url"],
            "description": feed["description"],
            "next_url": links.get("next"),
            "favicon": feed.get("icon"),
            "authors": [_compact({"name": a["name"], "url": a.get("url")}) for a in feed["authors"]],
            "language": feed["language"],
            "_paging": _compact(
                {
                    "first_url": links.get("first"),
                    "previous_url": links.get("previous"),
                    "last_url": links.get("last"),
                    "page": feed["page"],
                    "pages": feed["pages"],
                    "count": feed["count"],
                }
            ),  # fmt: skip
        }
    )
    document["items"] = items
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


WRITERS = {"rss": rss, "atom": atom, "json": json_feed}

# RSS and Atom from kept entries: feedgen writes each entry once, as bytes kept in this
# process under a digest of the entry's dict; a feed is then its head, the entries' bytes,
# and its closing tags: the same bytes as rss() and atom(), which write every entry every
# time (feedgen appends entries last, and declares every namespace on the root, so an
# entry's bytes do not depend on the rest of the feed). One feedgen run per feed: the
# feed with only its entries not kept yet, cut at each entry's opening tag (text and
# attributes are escaped, so `<entry>` or `<item>` opens an element: an entry has no
# nested entry).
FRAGMENTS = 4096  # entries kept (about 2 KB each); emptied when full
_fragments: dict[str, bytes] = {}
_CLOSING = {"atom": b"</feed>", "rss": b"</channel></rss>"}
_ENTRY_OPENING = {"atom": b"<entry>", "rss": b"<item>"}


def _document(feed: dict, fmt: str) -> bytes:
    fg = _generator(feed, fmt)
    return fg.atom_str(pretty=False) if fmt == "atom" else fg.rss_str(pretty=False)


def _open(feed: dict, fmt: str) -> bytes:
    """The feed without its closing tags."""
    document = _document(feed, fmt)
    if not document.endswith(_CLOSING[fmt]):
        raise ValueError(f"feedgen wrote a {fmt} feed that does not end as expected")
    return document[: -len(_CLOSING[fmt])]


def _digest(item: dict, fmt: str) -> str:
    return hashlib.sha256(f"{fmt}\x1f{json.dumps(item, sort_keys=True)}".encode()).hexdigest()


# The feed's head, kept per process under a digest of everything it is written from but
# `updated` (which changes with every entry), as the bytes before and after that time. A
# feed right after an update differs from the one before only there.
_heads = ProcessMemory(256)
_SENTINEL = dt.datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=dt.timezone.utc)
# A feed holding nothing but entries (any head: an entry's bytes do not depend on it).
_SKELETON = {"id": "urn:layananpublik:entries", "title": "-", "description": "-", "language": "id",
             "updated": _SENTINEL.isoformat(), "authors": [], "feed_url": "urn:layananpublik:entries",
             "links": {}, "home_page_url": "urn:layananpublik:entries"}  # fmt: skip


def _written_time(moment: dt.datetime, fmt: str) -> bytes:
    """`updated` as feedgen writes it: <updated> in Atom, <lastBuildDate> in RSS."""
    return (moment.isoformat() if fmt == "atom" else formatRFC2822(moment)).encode()


def _head(feed: dict, fmt: str) -> bytes:
    """The feed's head (feedgen's bytes up to its first entry), written once per process
    for all but `updated`."""
    shape = {key: value for key, value in feed.items() if key not in ("entries", "updated")}
    key = hashlib.sha256(f"{fmt}\x1f{json.dumps(shape, sort_keys=True)}".encode()).hexdigest()
    parts = _heads.get(key)
    if parts is None:
        document = _open({**shape, "updated": _SENTINEL.isoformat(), "entries": []}, fmt)
        split = document.split(_written_time(_SENTINEL, fmt))
        if len(split) != 2:  # the time written elsewhere too: the head is not kept
            return _open({**feed, "entries": []}, fmt)
        parts = _heads.keep(key, (split[0], split[1]))
    return _written_time(_time(feed["updated"]), fmt).join(parts)


def _from_fragments(feed: dict, fmt: str) -> bytes:
    # An entry a feed view took from the entries kept in its process carries its fragments
    # (cache.fragments_of): no digest. The others are found by the digest of their dict.
    slots = cache.fragments_of(feed["entries"])
    keys = [
        None if slot is not None and fmt in slot else _digest(item, fmt)
        for item, slot in zip(feed["entries"], slots, strict=True)
    ]
    kept = {key: _fragments[key] for key in keys if key is not None and key in _fragments}
    new = {
        key: item
        for key, item in zip(keys, feed["entries"], strict=True)
        if key is not None and key not in kept
    }
    opening = _ENTRY_OPENING[fmt]
    written = []
    if new:  # one feedgen run for the new entries, in a feed of nothing else
        written = _open({**_SKELETON, "entries": list(new.values())}, fmt).split(opening)[1:]
    if len(written) != len(new):
        raise ValueError(f"feedgen wrote {len(written)} {fmt} entries for {len(new)}")
    for key, part in zip(new, written, strict=True):
        kept[key] = opening + part
        if len(_fragments) >= FRAGMENTS:
            _fragments.clear()
        _fragments[key] = kept[key]
    parts = []
    for key, slot in zip(keys, slots, strict=True):
        if key is None:
            parts.append(slot[fmt])
            continue
        parts.append(kept[key])
        if slot is not None:
            slot[fmt] = kept[key]
    return _head(feed, fmt) + b"".join(parts) + _CLOSING[fmt]


def render(feed: dict, fmt: str) -> bytes:
    """The feed in `fmt`. With the caches on (cache_ttl > 0), RSS and Atom entries already
    written are taken as written; off, every entry is written (rss(), atom())."""
    if fmt in _CLOSING and (tk.config.get("ckanext.layananpublik.feeds.cache_ttl") or 0) > 0:
        return _from_fragments(feed, fmt)
    return WRITERS[fmt](feed)
