"""Feeds of the public request register: new and decided requests, per body and site-wide,
with public fields only (never the requester's name, NIK, address, phone or email)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.cases.factories import CONSEQUENCE_TEST, GRANT_NOTICE, VALID_NIK, as_user, make_officer, submit
from tests.feeds.conftest import FORMATS, fetch, json_feed, parsed, translated

PERSONAL = ("Siti Rahmawati", VALID_NIK, "Jl. Merdeka", "0812 3456 7890", "siti", "@example.com",
            "Bahan kajian warga", "Wiraswasta")  # fmt: skip


@pytest.fixture
def register(body, freezer):
    """Three requests to the body, received on three days; the oldest is decided last.
    One more to another body, and one marked as spam."""
    officer = make_officer(body["id"])
    other = factories.Organization(name="dinkes", title="Dinas Kesehatan")
    subjects = ["Realisasi anggaran jalan 2025", "Daftar puskesmas", "Kontrak pengadaan mobil dinas"]
    made = []
    for day, subject in enumerate(subjects, start=1):
        freezer.move_to(f"2026-03-0{day + 1} 03:00:00")  # Monday 2 March 2026 onwards, 10:00 WIB
        made.append(submit(body["id"], information_requested=subject, email=f"warga{day}@example.com"))
        # Published by the officer: the register (and its feed) shows nothing of a request before.
        call_action("layananpublik_request_summary_update", context=as_user(officer), id=made[-1]["id"],
                    public_summary=subject)  # fmt: skip
    freezer.move_to("2026-03-05 03:00:00")
    spam = submit(body["id"], information_requested="Beli obat murah", email="spam@example.com")
    call_action("layananpublik_request_mark_spam", context=as_user(officer), id=spam["id"], reason="iklan")
    elsewhere = submit(other["id"], information_requested="Data vaksinasi", email="warga9@example.com")
    call_action("layananpublik_request_summary_update", context={"ignore_auth": True}, id=elsewhere["id"],
                publish_request_text=True)  # fmt: skip
    freezer.move_to("2026-03-09 03:00:00")
    call_action("layananpublik_request_decide", context=as_user(officer), id=made[1]["id"], outcome="refused",
                refusal_grounds=["h"], **CONSEQUENCE_TEST)  # fmt: skip
    freezer.move_to("2026-03-10 03:00:00")
    call_action("layananpublik_request_decide", context=as_user(officer), id=made[0]["id"],
                outcome="granted_full", information_given="Rekap realisasi", **GRANT_NOTICE)  # fmt: skip
    freezer.move_to("2026-03-11 03:00:00")
    return {"requests": made, "spam": spam, "elsewhere": elsewhere, "officer": officer}


@pytest.mark.parametrize("fmt", ("rss", "atom"))
def test_new_requests_of_a_body_newest_first(app, register, fmt):
    feed = parsed(app, f"/umpan/permohonan/diskominfo/baru.{fmt}")
    # The request set aside as spam keeps its place (its number), never its words.
    numbers = [r["registration_number"] for r in [register["spam"], *reversed(register["requests"])]]
    assert [e.title.split(": ")[0] for e in feed.entries] == numbers
    assert "Beli obat" not in str(feed)
    assert feed.entries[1].title == f"{numbers[1]}: Kontrak pengadaan mobil dinas"
    body = translated(app, "{body}: new information requests").format(body="Dinas Komunikasi dan Informatika")
    assert feed.feed.title == body
    assert feed.feed.link == "http://test.ckan.net/permohonan/badan/diskominfo"


@pytest.mark.parametrize("fmt", FORMATS)
def test_register_entry_link_opens_the_public_register_entry(app, register, fmt):
    url = f"/umpan/permohonan/diskominfo/baru.{fmt}"
    links = [i["url"] for i in json_feed(app, url)["items"]] if fmt == "json" else [
        e.link for e in parsed(app, url).entries
    ]  # fmt: skip
    assert len(links) == 4
    for link, req in zip(links, [register["spam"], *reversed(register["requests"])], strict=True):
        assert urlparse(link).path == f"/permohonan/nomor/{req['registration_number']}"
        page = fetch(app, urlparse(link).path)
        assert req["registration_number"] in page.get_data(as_text=True)


def test_decided_requests_latest_decision_first(app, register):
    feed = parsed(app, "/umpan/permohonan/diskominfo/diputus.atom")
    first, second = register["requests"][0], register["requests"][1]
    assert [e.title.split(": ")[0] for e in feed.entries] == [
        first["registration_number"], second["registration_number"],
    ]  # fmt: skip
    # decided on 10 and 9 March (WIB): the entry's date is that day
    assert feed.entries[0].updated_parsed[:3] == (2026, 3, 9)  # 10 March 00:00 WIB is 9 March 17:00 UTC
    labels = {t.get("label") or t.term for t in feed.entries[0].tags}
    assert translated(app, "Granted in full") in labels or "granted_full" in {
        t.term for t in feed.entries[0].tags
    }
    assert feed.entries[0].id != parsed(app, "/umpan/permohonan/diskominfo/baru.atom").entries[-1].id


def test_site_wide_register_feeds_cover_every_body_and_a_set_aside_request_without_its_text(app, register):
    titles = [e.title for e in parsed(app, "/umpan/permohonan/baru.rss").entries]
    # The spam request keeps its place (its number: the numbering has no gaps), never its words.
    assert len(titles) == 5 and register["spam"]["registration_number"] in titles
    assert any("Data vaksinasi" in t for t in titles)
    assert not any("Beli obat" in t for t in titles)
    assert len(parsed(app, "/umpan/permohonan/diputus.rss").entries) == 2
    assert parsed(app, "/umpan/permohonan/dinkes/diputus.rss").entries == []


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("feed", ["/umpan/permohonan/baru", "/umpan/permohonan/diskominfo/diputus"])
def test_register_feeds_carry_no_personal_data(app, register, feed, fmt):
    text = fetch(app, f"{feed}.{fmt}").get_data(as_text=True)
    for value in PERSONAL:
        assert value not in text, value


def test_register_json_feed(app, register):
    doc = json_feed(app, "/en/umpan/permohonan/diskominfo/diputus.json")
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert doc["title"] == "Dinas Komunikasi dan Informatika: decided information requests"
    assert doc["home_page_url"] == "http://test.ckan.net/en/permohonan/badan/diskominfo?status=decided"
    item = doc["items"][0]
    assert item["content_text"].startswith("Registration number: ")
    assert "Outcome: Granted in full" in item["content_text"]
    assert item["date_modified"] == dt.datetime(2026, 3, 9, 17, 0, tzinfo=dt.timezone.utc).isoformat()


def test_a_decision_changes_the_decided_feed_etag(app, register):
    etag = fetch(app, "/umpan/permohonan/diskominfo/diputus.atom").headers["ETag"]
    fetch(app, "/umpan/permohonan/diskominfo/diputus.atom", status=304, headers={"If-None-Match": etag})
    call_action("layananpublik_request_decide", context=as_user(register["officer"]),
                id=register["requests"][2]["id"], outcome="not_held", referral_body="Dinas Perhubungan")  # fmt: skip
    fetch(app, "/umpan/permohonan/diskominfo/diputus.atom", status=200, headers={"If-None-Match": etag})
