"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds of datasets and registers (issue 7).

What plugin.py wires from this package: actions(), auth_functions(), blueprints(),
helpers() and commands() (click commands added under `ckan layananpublik`).

    sources.py     what each feed selects (package_search, layananpublik_request_list)
    index.py       a dataset feed's page read straight from the PostgreSQL search index
    descriptions.py  dataset descriptions rendered once (at save), kept in the database
    cli.py         ckan layananpublik feed-descriptions sync (render missing, prune unused)
    entries.py     datasets and register entries as feed entries (one dict shape)
    categories.py  information categories (berkala, serta merta, setiap saat)
    actions.py     layananpublik_feed_show (the feed as a dict) and layananpublik_feed_stamp
                   (its validator: ETag and 304 without reading the entries)
    build.py       the dict written as RSS, Atom (feedgen) or JSON Feed
    views.py       the /umpan/... URLs, conditional GET, cache headers; cache.py: Redis
    links.py       feed addresses; helpers.py: feed links for templates
"""

from __future__ import annotations

from ckanext.layananpublik.feeds import actions as feed_actions
from ckanext.layananpublik.feeds import auth, index, views
from ckanext.layananpublik.feeds import helpers as feed_helpers


def configure(config) -> None:
    """Plugins were loaded or unloaded (update_config): what feeds kept of them is stale."""
    index.forget_plugin_setup()


def actions() -> dict:
    return {
        "layananpublik_feed_show": feed_actions.layananpublik_feed_show,
        "layananpublik_feed_stamp": feed_actions.layananpublik_feed_stamp,
    }


def auth_functions() -> dict:
    return {"layananpublik_feed_show": auth.layananpublik_feed_show}


def blueprints() -> list:
    return [views.blueprint()]


def helpers() -> dict:
    return feed_helpers.get_helpers()


def commands() -> list:
    from ckanext.layananpublik.feeds import cli

    return [cli.feed_descriptions]


def dataset_changed(context: dict, pkg_dict: dict, deleted: bool = False) -> None:
    """Called (IPackageController) after a dataset is created, updated or deleted, inside
    its transaction: its description rendered and kept for the feeds, the old one pruned."""
    from ckanext.layananpublik.feeds import descriptions

    if key := pkg_dict.get("id") or pkg_dict.get("name"):
        descriptions.dataset_saved(key, deleted)
