"""The feed of transparency-page updates: every saved version of a public-information page
and every written report, site-wide or of one body, in the reader's language, without the
names of the staff who edited them."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

import ckan.plugins.toolkit as tk
import pytest
from bs4 import BeautifulSoup
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.feeds.conftest import FORMATS, fetch, json_feed, parsed, translated
from tests.transparency.pages.conftest import as_user, body_admin


@pytest.fixture
def updates(body, freezer):
    """The site-wide PPID profile saved twice, the body's pledge once, its 2026 report written;
    an English page; a page of another body."""
    sysadmin = factories.Sysadmin(name="admin-situs")
    admin = body_admin(body["id"])
    other = factories.Organization(name="dinkes", title="Dinas Kesehatan")
    other_admin = body_admin(other["id"])

    def save(user, slug, title, text, org=None, language="id", note=None):
        data = {"slug": slug, "language": language, "title": title, "body": text}
        data.update({"organization_id": org["id"]} if org else {})
        data.update({"note": note} if note else {})
        call_action("layananpublik_page_update", context=as_user(user), **data)

    freezer.move_to("2026-05-04 02:00:00")
    save(sysadmin, "profil-ppid", "Profil PPID", "Telepon 021-111")
    freezer.move_to("2026-05-05 02:00:00")
    save(
        admin, "maklumat", "Maklumat Pelayanan", "Kami siap **melayani** <script>alert(1)</script>", org=body
    )
    freezer.move_to("2026-05-06 02:00:00")
    call_action("layananpublik_report_narrative_update", context=as_user(admin), organization_id=body["id"],
                year=2026, language="id", section="obstacles", body="Jaringan internet lambat")  # fmt: skip
    freezer.move_to("2026-05-07 02:00:00")
    save(sysadmin, "profil-ppid", "Profil PPID", "Telepon 021-222", note="nomor telepon baru")
    save(sysadmin, "profil-ppid", "PPID profile", "Phone 021-222", language="en")
    save(other_admin, "biaya", "Biaya Layanan", "Gratis", org=other)
    freezer.move_to("2026-05-08 02:00:00")
    return {"sysadmin": sysadmin, "admin": admin, "other": other}


@pytest.mark.parametrize("fmt", ("rss", "atom"))
def test_site_wide_feed_lists_every_saved_version_newest_first(app, updates, fmt):
    feed = parsed(app, f"/umpan/informasi-publik.{fmt}")
    titles = [e.title for e in feed.entries]
    assert len(titles) == 5
    assert titles[0] == "Biaya Layanan — Dinas Kesehatan"
    assert titles[1] == translated(app, "{title} (updated)").format(title="Profil PPID")
    with app.flask_app.test_request_context("/"):
        report = tk._("Public information service report {year} — {body}").format(
            year=2026, body="Dinas Komunikasi dan Informatika"
        )
    assert titles[2] == report  # its title names the body once
    assert titles[3] == "Maklumat Pelayanan — Dinas Komunikasi dan Informatika"
    assert titles[4] == "Profil PPID"
    assert feed.entries[1].summary == "nomor telepon baru"
    assert feed.feed.title == translated(app, "{body}: public-information page updates").format(
        body=tk.config.get("ckan.site_title")
    )
    assert feed.feed.link == "http://test.ckan.net/informasi-publik/"
    assert len({e.id for e in feed.entries}) == 5


def test_a_body_s_feed_has_only_its_pages_and_reports(app, updates):
    feed = parsed(app, "/umpan/informasi-publik/diskominfo.atom")
    links = [urlparse(e.link) for e in feed.entries]
    assert [(u.path, u.query) for u in links] == [
        ("/informasi-publik/laporan/2026", "organization_id=diskominfo"),
        ("/informasi-publik/diskominfo/maklumat", ""),
    ]  # fmt: skip
    assert feed.feed.link == "http://test.ckan.net/informasi-publik/diskominfo"
    assert feed.entries[0].author == "Dinas Komunikasi dan Informatika"
    assert "Jaringan internet lambat" in feed.entries[0].content[0].value


@pytest.mark.parametrize("fmt", FORMATS)
def test_entry_links_open_the_pages(app, updates, fmt):
    url = f"/umpan/informasi-publik.{fmt}"
    links = [i["url"] for i in json_feed(app, url)["items"]] if fmt == "json" else [
        e.link for e in parsed(app, url).entries
    ]  # fmt: skip
    assert len(links) == 5
    for link in links:
        parts = urlparse(link)
        page = fetch(app, parts.path + (f"?{parts.query}" if parts.query else ""))
        assert page.status_code == 200


def test_english_readers_get_the_english_versions(app, updates):
    doc = json_feed(app, "/en/umpan/informasi-publik.json")
    assert [i["title"] for i in doc["items"]] == ["PPID profile"]
    assert doc["language"] == "en"
    assert doc["items"][0]["url"] == "http://test.ckan.net/en/informasi-publik/profil-ppid"
    assert doc["title"] == f"{tk.config.get('ckan.site_title')}: public-information page updates"


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_editor_name_and_no_script_reaches_the_feed(app, updates, fmt):
    text = fetch(app, f"/umpan/informasi-publik.{fmt}").get_data(as_text=True)
    assert "admin-situs" not in text and updates["admin"]["name"] not in text
    assert "alert(1)" not in text and "<script" not in text


def test_json_feed_dates_and_content(app, updates):
    doc = json_feed(app, "/umpan/informasi-publik/diskominfo.json")
    pledge = doc["items"][1]
    assert pledge["date_published"] == dt.datetime(2026, 5, 5, 2, tzinfo=dt.timezone.utc).isoformat()
    assert "<strong>melayani</strong>" in pledge["content_html"]
    assert pledge["content_text"].startswith("Kami siap melayani")


def test_emptying_a_report_part_changes_the_etag(app, updates, body):
    etag = fetch(app, "/umpan/informasi-publik/diskominfo.atom").headers["ETag"]
    call_action("layananpublik_report_narrative_update", context=as_user(updates["admin"]),
                organization_id=body["id"], year=2026, language="id", section="obstacles", body="")  # fmt: skip
    fetch(app, "/umpan/informasi-publik/diskominfo.atom", status=200, headers={"If-None-Match": etag})


def test_renaming_a_body_changes_the_etag(app, updates, body):
    etag = fetch(app, "/umpan/informasi-publik.atom").headers["ETag"]
    call_action("organization_patch", id=body["id"], title="Diskominfo Kota")
    response = fetch(app, "/umpan/informasi-publik.atom", status=200, headers={"If-None-Match": etag})
    assert "Diskominfo Kota" in response.get_data(as_text=True)


def test_a_new_version_changes_the_etag(app, updates):
    etag = fetch(app, "/umpan/informasi-publik.atom").headers["ETag"]
    fetch(app, "/umpan/informasi-publik.atom", status=304, headers={"If-None-Match": etag})
    call_action("layananpublik_page_update", context=as_user(updates["sysadmin"]), slug="sop", language="id",
                title="SOP", body="Langkah satu")  # fmt: skip
    fetch(app, "/umpan/informasi-publik.atom", status=200, headers={"If-None-Match": etag})


def test_paging_links(app, updates):
    feed = parsed(app, "/umpan/informasi-publik.atom?limit=2")
    assert len(feed.entries) == 2
    rels = {link.rel: link.href for link in feed.feed.links}
    assert rels["next"] == "http://test.ckan.net/umpan/informasi-publik.atom?limit=2&page=2"
    assert len(parsed(app, "/umpan/informasi-publik.atom?limit=2&page=3").entries) == 1
    fetch(app, "/umpan/informasi-publik.atom?limit=2&page=4", status=400)


def test_an_unknown_body_is_404(app, updates):
    fetch(app, "/umpan/informasi-publik/tidak-ada.atom", status=404)
    factories.Group(name="kelompok")
    fetch(app, "/umpan/informasi-publik/kelompok.rss", status=404)  # a group is not a body


@pytest.mark.parametrize("url", ["/informasi-publik/", "/informasi-publik/diskominfo"])
def test_the_transparency_index_pages_announce_their_feed(app, updates, url):
    soup = BeautifulSoup(fetch(app, url).get_data(as_text=True), "html.parser")
    tags = soup.select('link[rel="alternate"][type="application/atom+xml"]')
    feed_path = "/umpan/informasi-publik" + ("/diskominfo" if "diskominfo" in url else "")
    assert [urlparse(t["href"]).path for t in tags] == [f"{feed_path}.atom"]
    visible = [urlparse(a["href"]).path for a in soup.select(".lp-feeds a")]
    assert f"{feed_path}.rss" in visible


def test_a_title_naming_its_body_does_not_name_it_twice(app, body):
    admin = body_admin(body["id"])
    call_action("layananpublik_page_update", context=as_user(admin), slug="sop", language="id",
                organization_id=body["id"], title="SOP Dinas Komunikasi dan Informatika", body="Langkah")  # fmt: skip
    (entry,) = parsed(app, "/umpan/informasi-publik/diskominfo.atom").entries
    assert entry.title == "SOP Dinas Komunikasi dan Informatika"
