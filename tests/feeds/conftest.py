"""Fixtures of the feed tests: a public body with public, private, draft, deleted and
exempt datasets, and helpers that fetch and parse feeds through the real app."""

from __future__ import annotations

import json
from urllib.parse import urlparse

import ckan.plugins.toolkit as tk
import feedparser
import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

FORMATS = ("rss", "atom", "json")
XML_FORMATS = ("rss", "atom")
# Datasets that must never be in a feed: private, draft, deleted, exempt (dikecualikan).
HIDDEN = ("rahasia-internal", "konsep-draft", "sudah-dihapus", "dikecualikan-uji")


class Statements(list):
    """Every SQL statement the engine sends while the block runs."""

    def _listen(self, conn, cursor, statement, *args):
        self.append(statement)

    def __enter__(self):
        sa.event.listen(model.meta.engine, "before_cursor_execute", self._listen)
        return self

    def __exit__(self, *exc):
        sa.event.remove(model.meta.engine, "before_cursor_execute", self._listen)


def translated(app, text: str, lang: str = "id") -> str:
    """A message as a page in `lang` shows it (so tests hold before and after translation)."""
    with app.flask_app.test_request_context("/" if lang == "id" else f"/{lang}/"):
        return tk._(text)


def fetch(app, url: str, status: int = 200, **kwargs):
    """The response, read and closed as a WSGI server does once it has sent the last byte
    (a feed view writes to Redis then)."""
    response = app.get(url, **kwargs)
    response.make_sequence()
    response.close()
    assert response.status_code == status, (url, response.status_code, response.get_data(as_text=True)[:800])
    return response


def parsed(app, url: str, **kwargs):
    """A feed through the real app, parsed by feedparser, which must find no error."""
    response = fetch(app, url, **kwargs)
    feed = feedparser.parse(response.get_data())
    assert not feed.bozo, (url, feed.get("bozo_exception"))
    return feed


def json_feed(app, url: str, **kwargs) -> dict:
    response = fetch(app, url, **kwargs)
    assert response.headers["Content-Type"] == "application/feed+json; charset=utf-8"
    return json.loads(response.get_data())


def entry_links(app, url: str, **kwargs) -> list[str]:
    """The entry links of a feed in any format."""
    if url.split("?")[0].endswith(".json"):
        return [item["url"] for item in json_feed(app, url, **kwargs)["items"]]
    return [entry.link for entry in parsed(app, url, **kwargs).entries]


def names(links: list[str]) -> list[str]:
    return [urlparse(link).path.rstrip("/").rsplit("/", 1)[-1] for link in links]


def dataset(org: dict, **fields) -> dict:
    fields.setdefault("resources", [])
    return factories.Dataset(owner_org=org["id"], **fields)


def category(value: str) -> dict:
    """The DIP field of issue 9 (stored as the extra `information_category`)."""
    return {"information_category": value, **({"berkala_items": "a,d"} if value == "berkala" else {})}


def published_by_mistake(dataset_id: str) -> None:
    """Make a dataset public behind the validators' back (the DIP rule keeps exempt
    information private; an old or imported record may not follow it), and reindex it."""
    from ckan import model
    from ckan.lib.search import rebuild

    model.Package.get(dataset_id).private = False
    model.Session.commit()
    rebuild(dataset_id)


@pytest.fixture
def body(clean_db, clean_index, clean_redis, with_plugins):
    return factories.Organization(name="diskominfo", title="Dinas Komunikasi dan Informatika")


@pytest.fixture
def group(body):
    return factories.Group(name="kesehatan", title="Kesehatan")


@pytest.fixture
def catalogue(body, group):
    """Three public datasets (created in this order, so the newest is `banjir`) and one of
    each kind that must stay out of every feed."""
    public = [
        dataset(body, name="anggaran-2025", title="Anggaran Daerah 2025", notes="Ringkasan **APBD** 2025.",
                tags=[{"name": "anggaran"}], groups=[{"name": group["name"]}], **category("berkala"),
                author="Bidang Anggaran",
                resources=[{"url": "https://data.example.go.id/apbd-2025.csv", "format": "CSV", "name": "APBD 2025",
                            "size": 2048},
                           {"url": "https://data.example.go.id/apbd-2025.pdf", "format": "PDF", "name": "Dokumen"}]),
        dataset(body, name="penduduk", title="Jumlah Penduduk", notes="", **category("setiap_saat")),
        dataset(body, name="banjir", title="Peringatan Banjir", notes="Siaga satu.", **category("serta_merta"),
                tags=[{"name": "bencana"}]),
    ]  # fmt: skip
    private = dataset(body, name="rahasia-internal", title="Data Internal Rahasia", private=True,
                      tags=[{"name": "anggaran"}], groups=[{"name": group["name"]}],
                      **category("berkala"))  # fmt: skip
    draft = dataset(body, name="konsep-draft", title="Konsep Draf", state="draft", tags=[{"name": "anggaran"}],
                    **category("berkala"))  # fmt: skip
    deleted = dataset(body, name="sudah-dihapus", title="Sudah Dihapus", tags=[{"name": "anggaran"}],
                      **category("berkala"))  # fmt: skip
    call_action("package_delete", id=deleted["id"])
    exempt = dataset(body, name="dikecualikan-uji", title="Informasi Dikecualikan", tags=[{"name": "anggaran"}],
                     groups=[{"name": group["name"]}], private=True, **category("dikecualikan"))  # fmt: skip
    published_by_mistake(exempt["id"])
    return {"public": public, "private": private, "draft": draft, "deleted": deleted, "exempt": exempt}


@pytest.fixture
def sysadmin_headers(body):
    user = factories.Sysadmin()
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}
