"""Listening: the replies to published posts, read from the fake platforms' real reply APIs
(Mastodon context, Facebook comments with paging, Telegram getUpdates, X recent search),
imported once, updated when edited, marked when deleted, backed off on 429/5xx."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from ckan import model
from ckan.tests.helpers import call_action

from ckanext.layananpublik.social import listen, outbox
from ckanext.layananpublik.social.model import (
    SocialFeedback,
    SocialFeedbackEvent,
    SocialListen,
    SocialPost,
    utcnow,
)
from tests.social.conftest import make_channel, public_dataset
from tests.social.fakes import PAGE_ID

pytestmark = pytest.mark.usefixtures("clean_redis")


def published(fake, body, platform: str, **channel) -> SocialPost:
    make_channel(fake, platform, body, **channel)
    public_dataset(body)
    assert outbox.drain() == {"published": 1}
    model.Session.expire_all()
    return model.Session.query(SocialPost).one()


def feedback(**filters) -> list[SocialFeedback]:
    model.Session.expire_all()
    rows = model.Session.query(SocialFeedback).filter_by(**filters).order_by(SocialFeedback.received_at).all()
    model.Session.commit()
    return rows


def history(row: SocialFeedback) -> list[str]:
    events = model.Session.query(SocialFeedbackEvent).filter_by(parent_id=row.id).order_by(SocialFeedbackEvent.id)
    return [e.action for e in events]


def later(**delta):
    return lambda: utcnow() + dt.timedelta(**delta)


def test_mastodon_replies_are_imported_once_with_handle_text_and_link(body, fake):
    post = published(fake, body, "mastodon")
    fake.add_reply("mastodon", post.remote_id, "Datanya kapan diperbarui? <tolong>", author="budi")
    fake.add_reply("mastodon", post.remote_id, "Terima kasih", author="sari@kota.social")
    assert listen.poll() == {"polled": 1}
    rows = feedback()
    assert [(r.author_handle, r.text) for r in rows] == [
        ("@budi", "Datanya kapan diperbarui? <tolong>"), ("@sari@kota.social", "Terima kasih")]  # fmt: skip
    assert rows[0].post_id == post.id and rows[0].package_id == post.package_id
    assert rows[0].organization_id == body["id"] and rows[0].status == "open"
    assert rows[0].url.startswith(fake.url) and rows[0].due_date > rows[0].received_date
    assert history(rows[0]) == ["received"]
    # Read again (the interval over): nothing new, nothing doubled.
    assert listen.poll(later(minutes=6)) == {"polled": 1}
    assert len(feedback()) == 2


def test_an_edited_mastodon_reply_is_updated_and_the_earlier_text_kept(body, fake):
    post = published(fake, body, "mastodon")
    rid = fake.add_reply("mastodon", post.remote_id, "Data salah")
    listen.poll()
    fake.edit_reply("mastodon", post.remote_id, rid, "Data salah di baris 3")
    listen.poll(later(minutes=6))
    [row] = feedback()
    assert row.text == "Data salah di baris 3" and row.edited_at is not None
    assert history(row) == ["received", "edited"]
    earlier = model.Session.query(SocialFeedbackEvent).filter_by(parent_id=row.id, action="edited").one()
    assert earlier.note == "Data salah"


def test_a_deleted_mastodon_reply_is_marked_deleted(body, fake):
    post = published(fake, body, "mastodon")
    keep = fake.add_reply("mastodon", post.remote_id, "Bagus")
    gone = fake.add_reply("mastodon", post.remote_id, "Salah kirim")
    listen.poll()
    fake.delete_reply("mastodon", post.remote_id, gone)
    listen.poll(later(minutes=6))
    rows = {r.reply_ref: r for r in feedback()}
    assert rows[gone].deleted_at is not None and rows[keep].deleted_at is None
    assert history(rows[gone]) == ["received", "deleted"]


def test_facebook_comments_are_read_page_after_page_and_then_from_the_cursor(body, fake):
    fake.page_size = 2
    post = published(fake, body, "facebook")
    for i in range(5):
        fake.add_reply("facebook", post.remote_id, f"Komentar {i}")
    fake.add_reply("facebook", post.remote_id, "Balasan halaman sendiri", from_id=PAGE_ID)
    listen.poll()
    assert sorted(r.text for r in feedback()) == [f"Komentar {i}" for i in range(5)]
    assert fake.reads["facebook"] == 3
    cursor = model.Session.query(SocialListen).one().cursor
    assert cursor
    fake.add_reply("facebook", post.remote_id, "Komentar baru")
    listen.poll(later(minutes=6))
    assert len(feedback()) == 6
    last = [r for r in fake.requests if r["path"].endswith("/comments")][-1]
    assert last["method"] == "GET"
    assert model.Session.query(SocialListen).one().cursor != cursor


def test_telegram_comments_in_the_discussion_group_are_matched_to_the_channel_post(body, fake):
    post = published(fake, body, "telegram")
    thread = fake.forward_to_group(post.remote_id)
    first = fake.add_reply("telegram", str(thread), "Mohon data per kecamatan", author="andi")
    fake.add_reply("telegram", str(thread), "Setuju", author="rina", nested=first.split(":")[1])
    listen.poll()
    rows = feedback()
    assert [(r.author_handle, r.text, r.post_id) for r in rows] == [
        ("@andi", "Mohon data per kecamatan", post.id), ("@rina", "Setuju", post.id)]  # fmt: skip
    assert rows[0].reply_ref == first
    fake.edit_reply("telegram", "", first.split(":")[1], "Mohon data per kecamatan, 2025")
    listen.poll(later(minutes=6))
    assert feedback(reply_ref=first)[0].text == "Mohon data per kecamatan, 2025"
    assert len(feedback()) == 2


def test_x_replies_are_searched_by_conversation_with_paging_and_since_id(body, fake):
    fake.page_size = 2
    post = published(fake, body, "x")
    ids = [fake.add_reply("x", post.remote_id, f"Balasan {i}", author="warga") for i in range(3)]
    listen.poll()
    assert sorted(r.text for r in feedback()) == ["Balasan 0", "Balasan 1", "Balasan 2"]
    assert json.loads(model.Session.query(SocialListen).one().cursor) == {"since_id": ids[-1], "reads": 1}
    fake.edit_reply("x", post.remote_id, ids[0], "Balasan 0 (diperbaiki)")
    listen.poll(later(minutes=6))
    texts = sorted(r.text for r in feedback())
    assert texts == ["Balasan 0 (diperbaiki)", "Balasan 1", "Balasan 2"]


def test_x_deletions_are_found_by_the_periodic_search_of_the_whole_conversation(body, fake):
    post = published(fake, body, "x")
    keep, gone = (fake.add_reply("x", post.remote_id, text, author="warga") for text in ("Tetap", "Dihapus"))
    listen.poll()
    fake.delete_reply("x", post.remote_id, gone)
    fake.edit_reply("x", post.remote_id, keep, "Tetap (diperbaiki)")
    start = utcnow()
    for read in range(1, 6):  # reads from since_id: search does not show the deletion
        assert listen.poll(lambda r=read: start + dt.timedelta(minutes=6 * r)) == {"polled": 1}
        rows = {r.remote_id: r for r in feedback()}
        assert rows[gone].deleted_at is None
    assert rows[keep].text == "Tetap (diperbaiki)"
    last = [r for r in fake.requests if r["path"].startswith("/2/tweets/search/recent")][-1]
    assert "since_id" in last["query"]
    # The sixth read searches the whole conversation: the reply missing from it was deleted.
    assert listen.poll(lambda: start + dt.timedelta(minutes=36)) == {"polled": 1}
    rows = {r.remote_id: r for r in feedback()}
    assert rows[gone].deleted_at is not None and history(rows[gone]) == ["received", "deleted"]
    assert rows[keep].deleted_at is None and rows[keep].text == "Tetap (diperbaiki)"


def test_x_replies_of_a_post_older_than_the_search_window_are_never_marked_deleted(
    body, fake, ckan_config, monkeypatch
):
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.social.listen_max_age_days", 14)
    post = published(fake, body, "x")
    old = fake.add_reply("x", post.remote_id, "Balasan lama")
    listen.poll()
    fake.delete_reply("x", post.remote_id, old)  # as search drops a reply older than 7 days
    start = utcnow() + dt.timedelta(days=8)
    for read in range(6):
        assert listen.poll(lambda r=read: start + dt.timedelta(minutes=6 * r)) == {"polled": 1}
    assert feedback()[0].deleted_at is None


def test_a_rate_limited_read_backs_off_as_the_platform_says_then_imports(body, fake):
    post = published(fake, body, "mastodon")
    fake.add_reply("mastodon", post.remote_id, "Halo")
    fake.read_faults["mastodon"].append("429")  # Retry-After: 7
    start = utcnow()
    assert listen.poll(lambda: start) == {"retry": 1}
    model.Session.expire_all()
    row = model.Session.query(SocialListen).one()
    assert row.attempts == 1 and row.last_error == "HTTP 429"
    assert row.next_poll_at >= start + dt.timedelta(seconds=7)
    assert listen.poll(lambda: start + dt.timedelta(seconds=3)) == {}
    fake.read_faults["mastodon"].append("503")
    assert listen.poll(lambda: start + dt.timedelta(minutes=2)) == {"retry": 1}
    assert listen.poll(lambda: start + dt.timedelta(hours=1)) == {"polled": 1}
    assert [r.text for r in feedback()] == ["Halo"]


def test_a_post_older_than_the_configured_age_is_no_longer_followed(body, fake, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.social.listen_max_age_days", 2)
    post = published(fake, body, "mastodon")
    fake.add_reply("mastodon", post.remote_id, "Terlambat")
    assert listen.poll(later(days=3)) == {}
    assert feedback() == []


def test_telegram_comments_on_a_post_older_than_the_configured_age_are_left_out(
    body, fake, ckan_config, monkeypatch
):
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.social.listen_max_age_days", 2)
    post = published(fake, body, "telegram")
    thread = fake.forward_to_group(post.remote_id)
    first = fake.add_reply("telegram", str(thread), "Masih dibaca", author="andi")
    assert listen.poll() == {"polled": 1}
    fake.add_reply("telegram", str(thread), "Terlambat", author="rina")
    fake.edit_reply("telegram", "", first.split(":")[1], "Masih dibaca, diubah")
    # The channel is still read (for its newer posts), but not this post's comments.
    assert listen.poll(later(days=3)) == {"polled": 1}
    assert [(r.text, r.author_handle) for r in feedback()] == [("Masih dibaca", "@andi")]
    assert history(feedback()[0]) == ["received"]


def test_a_worker_that_died_after_reading_leaves_nothing_and_the_next_imports_once(body, fake):
    post = published(fake, body, "mastodon")
    fake.add_reply("mastodon", post.remote_id, "Sekali saja")
    listen.follow(utcnow())
    claim = listen.claim_one(utcnow())
    assert claim is not None  # ... and the worker is killed here, before storing anything
    assert listen.poll() == {}  # its lease holds
    assert listen.poll(later(seconds=121)) == {"polled": 1}
    assert len(feedback()) == 1
    # A late store by the dead worker's claim is ignored (its token is gone).
    harvest = listen.outbox.adapter_for(post_channel(post), with_secret=True).collect(post.remote_id, None)
    assert listen.store(claim, harvest, utcnow()) == "late"
    assert len(feedback()) == 1


def post_channel(post: SocialPost):
    from ckanext.layananpublik.social.model import SocialChannel

    return model.Session.get(SocialChannel, post.channel_id)


def test_a_telegram_comment_edited_before_the_first_read_is_imported_once_as_edited(body, fake):
    post = published(fake, body, "telegram")
    thread = fake.forward_to_group(post.remote_id)
    first = fake.add_reply("telegram", str(thread), "Versi pertama", author="andi")
    fake.edit_reply("telegram", "", first.split(":")[1], "Versi kedua")
    assert listen.poll() == {"polled": 1}
    assert [(r.text, r.remote_id) for r in feedback()] == [("Versi kedua", first)]


def test_facebook_edits_and_deletions_are_found_by_the_periodic_full_read(body, fake):
    from ckanext.layananpublik.social.adapters.facebook import FULL_EVERY

    post = published(fake, body, "facebook")
    keep = fake.add_reply("facebook", post.remote_id, "Datanya kurang lengkap")
    gone = fake.add_reply("facebook", post.remote_id, "Spam")
    start = utcnow()
    listen.poll(lambda: start)
    fake.edit_reply("facebook", post.remote_id, keep, "Datanya kurang lengkap: kolom 2025 kosong")
    fake.delete_reply("facebook", post.remote_id, gone)
    for n in range(1, FULL_EVERY):  # reads from the cursor: nothing new to see
        listen.poll(lambda n=n: start + dt.timedelta(minutes=6 * n))
        assert {r.text for r in feedback()} == {"Datanya kurang lengkap", "Spam"}
    listen.poll(lambda: start + dt.timedelta(minutes=6 * FULL_EVERY))
    rows = {r.remote_id.rsplit("_", 1)[1]: r for r in feedback()}
    assert rows[keep].text == "Datanya kurang lengkap: kolom 2025 kosong" and rows[keep].deleted_at is None
    assert rows[gone].deleted_at is not None


def test_the_watching_worker_sleeps_until_the_next_read_and_not_for_an_inactive_channel(body, fake):
    post = published(fake, body, "mastodon")
    start = utcnow()
    listen.poll(lambda: start)
    assert listen.next_due() == start + dt.timedelta(seconds=300)
    call_action("layananpublik_social_channel_delete", id=post.channel_id)
    assert listen.next_due() is None
