"""Every adapter against the fake platform: endpoint, request format, auth, and how each
answer is classified (published, retry with Retry-After, uncertain, failed)."""

from __future__ import annotations

import json
import urllib.parse

import pytest

from ckanext.layananpublik.social import adapters
from ckanext.layananpublik.social.adapters.webhook import signature
from tests.social.fakes import PAGE_ID, TOKENS, settings_for

TEXT = "Dataset baru: Realisasi Anggaran 2025\nhttps://data.example.go.id/dataset/anggaran-2025\n#Anggaran"
PAYLOAD = {"url": "https://data.example.go.id/dataset/anggaran-2025", "language": "id", "event": "created"}
ALL = ("mastodon", "telegram", "facebook", "x", "webhook")


def adapter(fake, platform: str, secret: str | None = None, timeout: float = 2.0, **settings):
    cls = adapters.get(platform)
    return cls(
        {**settings_for(platform, fake.url), **settings},
        TOKENS[platform] if secret is None else secret,
        timeout,
    )


def test_every_platform_is_one_registered_class():
    assert adapters.platforms() == sorted(ALL)
    assert all(issubclass(adapters.get(p), adapters.Adapter) for p in ALL)


@pytest.mark.parametrize("platform", ALL)
def test_a_post_is_published_with_its_remote_address(fake, platform):
    outcome = adapter(fake, platform).send(TEXT, "post-1", PAYLOAD)
    assert outcome.kind == "published", outcome
    assert outcome.remote_id
    assert fake.count(platform) == 1
    assert fake.published[0][1] == TEXT


def test_mastodon_request_format(fake):
    outcome = adapter(fake, "mastodon").send(TEXT, "post-1", PAYLOAD)
    request = fake.requests[-1]
    assert request["path"] == "/api/v1/statuses"
    assert request["headers"]["Authorization"] == f"Bearer {TOKENS['mastodon']}"
    assert request["headers"]["Idempotency-Key"] == "post-1"
    assert json.loads(request["body"]) == {"status": TEXT, "visibility": "public", "language": "id"}
    assert outcome.remote_url == f"{fake.url}/@ppid/{outcome.remote_id}"


def test_mastodon_same_idempotency_key_publishes_once(fake):
    first = adapter(fake, "mastodon").send(TEXT, "post-1", PAYLOAD)
    second = adapter(fake, "mastodon").send(TEXT, "post-1", PAYLOAD)
    assert first.remote_id == second.remote_id
    assert fake.count("mastodon") == 1


def test_telegram_request_format_and_channel_link(fake):
    outcome = adapter(fake, "telegram").send(TEXT, "post-1", PAYLOAD)
    request = fake.requests[-1]
    assert request["path"] == f"/bot{TOKENS['telegram']}/sendMessage"
    assert json.loads(request["body"]) == {"chat_id": "@ppidkota", "text": TEXT}
    assert outcome.remote_url == f"https://t.me/ppidkota/{outcome.remote_id}"


def test_facebook_request_format(fake):
    outcome = adapter(fake, "facebook").send(TEXT, "post-1", PAYLOAD)
    request = fake.requests[-1]
    assert request["path"] == f"/v21.0/{PAGE_ID}/feed"
    form = dict(urllib.parse.parse_qsl(request["body"].decode()))
    assert form == {"message": TEXT, "access_token": TOKENS["facebook"], "link": PAYLOAD["url"]}
    assert outcome.remote_url == f"https://www.facebook.com/{outcome.remote_id}"


def test_x_request_format(fake):
    outcome = adapter(fake, "x").send(TEXT, "post-1", PAYLOAD)
    request = fake.requests[-1]
    assert request["path"] == "/2/tweets"
    assert request["headers"]["Authorization"] == f"Bearer {TOKENS['x']}"
    assert json.loads(request["body"]) == {"text": TEXT}
    assert outcome.http_status == 201
    assert outcome.remote_url == f"https://x.com/i/web/status/{outcome.remote_id}"


def test_webhook_is_signed_over_timestamp_and_body(fake):
    adapter(fake, "webhook").send(TEXT, "post-1", PAYLOAD)
    request = fake.requests[-1]
    headers = request["headers"]
    assert headers["X-LayananPublik-Delivery"] == "post-1"
    assert headers["X-LayananPublik-Signature"] == signature(
        TOKENS["webhook"], headers["X-LayananPublik-Timestamp"], request["body"]
    )
    body = json.loads(request["body"])
    assert body["text"] == TEXT and body["url"] == PAYLOAD["url"] and body["delivery"] == "post-1"


@pytest.mark.parametrize("platform", ALL)
def test_a_wrong_credential_fails_for_good(fake, platform):
    outcome = adapter(fake, platform, secret="wrong-token").send(TEXT, "post-1", PAYLOAD)
    assert outcome.kind == "failed"
    assert outcome.http_status in (400, 401)
    assert fake.count() == 0


@pytest.mark.parametrize("platform", ALL)
def test_rate_limit_is_retried_after_the_time_the_platform_asks(fake, platform):
    fake.faults[platform].append("429")
    outcome = adapter(fake, platform).send(TEXT, "post-1", PAYLOAD)
    assert outcome.kind == "retry"
    if platform == "facebook":  # Graph API: HTTP 400 with error code 4, no waiting time given
        assert outcome.retry_after is None
    else:
        assert outcome.retry_after == 7
    assert fake.count() == 0


@pytest.mark.parametrize("platform", ALL)
@pytest.mark.parametrize("status", ["500", "503"])
def test_server_errors_are_retried(fake, platform, status):
    fake.faults[platform].append(status)
    outcome = adapter(fake, platform).send(TEXT, "post-1", PAYLOAD)
    assert outcome.kind == "retry"
    assert outcome.http_status == int(status)


@pytest.mark.parametrize("platform", ALL)
def test_a_timeout_is_uncertain_because_the_post_may_be_out(fake, platform):
    fake.faults[platform].append("timeout")
    outcome = adapter(fake, platform, timeout=0.5).send(TEXT, "post-1", PAYLOAD)
    assert outcome.kind == "uncertain"
    assert fake.count(platform) == 1  # it was published: resending blindly would double it


@pytest.mark.parametrize("platform", ALL)
def test_a_connection_dropped_after_sending_is_uncertain(fake, platform):
    fake.faults[platform].append("drop")
    outcome = adapter(fake, platform).send(TEXT, "post-1", PAYLOAD)
    assert outcome.kind == "uncertain"


def test_a_refused_connection_is_retried(fake):
    url = fake.url
    fake.close()
    outcome = adapters.get("telegram")({"chat_id": "@ppidkota", "api_base": url}, TOKENS["telegram"], 1).send(
        TEXT, "post-1", PAYLOAD
    )
    assert outcome.kind == "retry"


def test_facebook_lookup_finds_an_interrupted_post(fake):
    fb = adapter(fake, "facebook")
    assert fb.lookup(TEXT, "post-1", PAYLOAD).kind == "retry"  # not there yet
    fake.faults["facebook"].append("drop")
    assert fb.send(TEXT, "post-1", PAYLOAD).kind == "uncertain"
    assert fb.lookup(TEXT, "post-1", PAYLOAD).kind == "published"


def test_x_and_mastodon_count_links_as_23_characters():
    text = "a" * 200 + " https://data.example.go.id/dataset/" + "x" * 100
    assert adapters.get("x")({}, "").text_length(text) == 200 + 1 + 23
    assert adapters.get("mastodon")({"instance_url": "https://m"}, "").text_length(text) == 224
    assert adapters.get("telegram")({}, "").text_length(text) == len(text)


def test_credentials_are_masked():
    assert adapters.mask("mastodon-token-123456") == "mas…456"
    assert "token" not in adapters.mask("short")
    assert adapters.mask("") == ""


@pytest.mark.parametrize("fault", ["refused", "drop", "timeout"])
def test_errors_never_carry_the_credential(fake, fault):
    # Telegram's bot token is part of the address, which connection errors quote; editors
    # read these errors and the audit log keeps them.
    token = TOKENS["telegram"]
    if fault == "refused":
        url = fake.url
        fake.close()
        bot = adapters.get("telegram")({"chat_id": "@ppidkota", "api_base": url}, token, 0.5)
    else:
        fake.faults["telegram"].append(fault)
        bot = adapter(fake, "telegram", timeout=0.5)
    outcome = bot.send(TEXT, "post-1", PAYLOAD)
    assert outcome.kind in ("retry", "uncertain")
    assert outcome.error and token not in outcome.error and token not in outcome.response
    assert urllib.parse.quote(token, safe="") not in outcome.error
