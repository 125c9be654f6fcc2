"""The signed inbound webhook: replies pushed by any other source, verified (HMAC-SHA256 of
`<timestamp>.<body>`, replay window), imported once, edited and deleted by later events."""

from __future__ import annotations

import json
import time

import pytest
from ckan import model

from ckanext.layananpublik.social import outbox
from ckanext.layananpublik.social.adapters.webhook import signature
from ckanext.layananpublik.social.model import SocialFeedback, SocialPost
from tests.social.conftest import make_channel, public_dataset
from tests.social.fakes import TOKENS

pytestmark = pytest.mark.usefixtures("clean_redis")


@pytest.fixture
def post(body, fake):
    make_channel(fake, "webhook", body)
    public_dataset(body)
    outbox.drain()
    return model.Session.query(SocialPost).one()


def push(app, post, payload: dict, secret: str = TOKENS["webhook"], stamp: int | None = None, status: int = 202):
    raw = json.dumps(payload).encode()
    stamp = str(int(time.time()) if stamp is None else stamp)
    response = app.post(
        f"/ppid/sosial/tanggapan/masuk/{post.channel_id}", data=raw, content_type="application/json",
        headers={"X-LayananPublik-Timestamp": stamp, "X-LayananPublik-Signature": signature(secret, stamp, raw)},
        status=status,
    )  # fmt: skip
    return response.json


def reply(target, **fields) -> dict:
    return {"id": "wa-1", "post": target.id, "text": "Mohon datanya per desa", "event": "created",
            "author": {"handle": "+62 wa user", "name": "Warga"}, **fields}  # fmt: skip


def rows() -> list[SocialFeedback]:
    model.Session.expire_all()
    found = model.Session.query(SocialFeedback).all()
    model.Session.commit()
    return found


def test_a_signed_reply_is_imported_once_even_when_delivered_again(app, post):
    first = push(app, post, reply(post))
    assert first["status"] == "imported"
    assert push(app, post, reply(post)) == {"status": "unchanged", "id": first["id"]}
    [row] = rows()
    assert (row.platform, row.text, row.author_name, row.post_id) == ("webhook", "Mohon datanya per desa", "Warga", post.id)


def test_a_bad_signature_is_refused_and_nothing_imported(app, post):
    # Messages are in the site's language (Indonesian by default).
    assert push(app, post, reply(post), secret="guessed", status=401)["error"] == "Tanda tangan tidak sah"
    assert rows() == []


def test_a_timestamp_outside_the_replay_window_is_refused(app, post):
    error = push(app, post, reply(post), stamp=int(time.time()) - 301, status=401)["error"]
    assert "300" in error
    assert rows() == []


def test_a_reply_to_a_post_of_another_channel_is_refused(app, post, fake, body):
    other = make_channel(fake, "telegram", body)
    public_dataset(body, name="lain")
    outbox.drain()
    foreign = model.Session.query(SocialPost).filter_by(channel_id=other["id"]).one()
    assert push(app, post, reply(post, post=foreign.id), status=404)["error"]


def test_a_malformed_body_gets_a_clear_error(app, post):
    assert push(app, post, reply(post, text=""), status=400)["error"] == "Kolom tidak ada: text"
    assert push(app, post, reply(post, event="liked"), status=400)["error"] == "Peristiwa tidak dikenal: liked"


def test_edited_then_deleted_events_update_the_imported_reply(app, post):
    push(app, post, reply(post))
    assert push(app, post, reply(post, event="edited", text="Per desa, tahun 2025"))["status"] == "updated"
    assert rows()[0].text == "Per desa, tahun 2025" and rows()[0].edited_at is not None
    assert push(app, post, reply(post, event="deleted", text=None))["status"] == "deleted"
    assert rows()[0].deleted_at is not None
