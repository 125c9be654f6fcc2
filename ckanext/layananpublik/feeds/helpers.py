"""Template helpers: the feeds of a page, for discovery tags and visible links."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.layananpublik.feeds import categories, links


def layananpublik_feed_links(kind: str, key: str | None = None) -> list[dict]:
    """The feed in RSS, Atom and JSON Feed: [{"format", "type", "label", "url"}]."""
    return links.feed_links(kind, key)


def layananpublik_search_feed(args: Any) -> dict:
    """The feed following a dataset search page with these query arguments:
    {"kind", "key", "title", "links"}."""
    pairs = list(args.items(multi=True)) if hasattr(args, "items") else list(args or [])
    kind, key, query = links.search_feed(pairs)
    titles = {
        "dataset": tk._("New and updated datasets"),
        "organization": tk._("New and updated datasets of this public body"),
        "group": tk._("New and updated datasets of this group"),
        "tag": tk._("New and updated datasets tagged “{tag}”").format(tag=key),
        "search": tk._("New and updated datasets of this search"),
    }
    title = categories.label(key) if kind == "category" else titles[kind]
    return {"kind": kind, "key": key, "title": title, "links": links.feed_links(kind, key, query)}


def layananpublik_pages_feed(organization: dict | None = None) -> dict:
    """The feed of transparency-page updates, site-wide or of one body: {"title", "links"}."""
    if not organization:
        return {"title": tk._("Public-information page updates"), "links": links.feed_links("pages")}
    body = organization.get("display_name") or organization.get("title") or organization["name"]
    return {"title": tk._("Public-information page updates of {body}").format(body=body),
            "links": links.feed_links("pages", organization["name"])}  # fmt: skip


def layananpublik_register_feeds(organization: dict | None = None) -> list[dict]:
    """The request register's feeds (new, decided), site-wide or of one body."""
    if not organization:
        return [{"title": tk._("New information requests"), "links": links.feed_links("requests_new")},
                {"title": tk._("Decided information requests"), "links": links.feed_links("requests_decided")}]  # fmt: skip
    body = organization.get("display_name") or organization.get("title") or organization["name"]
    name = organization["name"]
    return [
        {"title": tk._("New information requests to {body}").format(body=body),
         "links": links.feed_links("requests_new", name)},
        {"title": tk._("Decided information requests of {body}").format(body=body),
         "links": links.feed_links("requests_decided", name)},
    ]  # fmt: skip


def layananpublik_body_feeds(organization: dict) -> list[dict]:
    """A public body's feeds: its datasets, its register's new and decided requests, and its
    transparency-page updates."""
    body = organization.get("display_name") or organization.get("title") or organization["name"]
    return [
        {"title": tk._("New and updated datasets of {body}").format(body=body),
         "links": links.feed_links("organization", organization["name"])},
        *layananpublik_register_feeds(organization),
        layananpublik_pages_feed(organization),
    ]  # fmt: skip


def layananpublik_feeds_shown() -> bool:
    return bool(tk.config.get("ckanext.layananpublik.feeds.show_links"))


def get_helpers() -> dict:
    return {
        f.__name__: f
        for f in (
            layananpublik_feed_links,
            layananpublik_search_feed,
            layananpublik_body_feeds,
            layananpublik_register_feeds,
            layananpublik_pages_feed,
            layananpublik_feeds_shown,
        )
    }
