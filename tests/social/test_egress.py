"""Where a channel may send its credential (issue 16, item 3): https servers on public
addresses, checked when the channel is saved and again at every connection; the site's
allow-list (test.ini lists 127.0.0.1, where the fake platforms listen) is the only way to
a private address or plain http; a changed address needs the credential again."""

from __future__ import annotations

import socket

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.layananpublik.social import outbox
from ckanext.layananpublik.social.model import SocialPost
from tests.social.conftest import make_channel, public_dataset
from tests.social.fakes import TOKENS, settings_for

pytestmark = pytest.mark.usefixtures("clean_redis")
NO_ALLOW_LIST = pytest.mark.ckan_config("ckanext.layananpublik.social.allowed_hosts", "")
PUBLIC_IP = "93.184.215.14"  # a public address (example.com's); never connected to here

# What a body's administrator might type, and the words of the refusal.
REFUSED = [
    ("http://{fake}", "private, local or reserved address (127.0.0.1)"),  # the fake platform itself
    (f"http://{PUBLIC_IP}", "only https://"),  # public, but plain http
    ("https://127.0.0.1:8443", "private, local or reserved address (127.0.0.1)"),
    ("https://localhost", "private, local or reserved address"),  # a name resolved to loopback
    ("https://2130706433", "private, local or reserved address (127.0.0.1)"),  # 127.0.0.1 as a number
    ("https://10.1.2.3", "private, local or reserved address (10.1.2.3)"),
    ("https://192.168.1.10", "private, local or reserved address (192.168.1.10)"),
    ("https://169.254.169.254/latest/meta-data", "private, local or reserved address (169.254.169.254)"),
    ("https://100.64.0.1", "private, local or reserved address (100.64.0.1)"),
    ("https://0.0.0.0", "private, local or reserved address (0.0.0.0)"),
    ("https://[::1]", "private, local or reserved address (::1)"),
    ("https://[fe80::1]", "private, local or reserved address (fe80::1)"),
    ("https://[::ffff:127.0.0.1]", "private, local or reserved address"),
    ("https://[2002:a00:1::]", "private, local or reserved address (2002:a00:1::)"),  # 6to4 of 10.0.0.1
    ("https://[64:ff9b::a9fe:a9fe]", "private, local or reserved address"),  # NAT64 of 169.254.169.254
    ("ftp://example.go.id", "is not a web address"),
    ("https://no-such-host.invalid", "could not be found"),
]


def _create(fake, org, platform: str, field: str, url: str) -> tk.ValidationError:
    settings = {**settings_for(platform, fake.url), field: url}
    with pytest.raises(tk.ValidationError) as exc:
        make_channel(fake, platform, org, settings=settings)
    return exc.value


@NO_ALLOW_LIST
@pytest.mark.parametrize(("url", "words"), REFUSED)
def test_by_default_private_local_and_plain_http_addresses_are_refused(body, fake, url, words):
    url = url.format(fake=fake.url.removeprefix("http://"))
    error = _create(fake, body, "mastodon", "instance_url", url)
    [message] = error.error_dict["settings.instance_url"]
    assert words in message
    assert model.Session.query(SocialPost).count() == 0


@NO_ALLOW_LIST
@pytest.mark.parametrize(
    ("platform", "field"), [("telegram", "api_base"), ("facebook", "graph_url"), ("x", "api_base"),
                            ("webhook", "url")],
)  # fmt: skip
def test_every_address_setting_is_checked(body, fake, platform, field):
    error = _create(fake, body, platform, field, "https://169.254.169.254/")
    assert "169.254.169.254" in error.error_dict[f"settings.{field}"][0]


@NO_ALLOW_LIST
def test_the_channel_form_says_why_in_indonesian_and_keeps_what_was_typed(app, body, fake):
    admin = factories.User()
    call_action("member_create", id=body["id"], object=admin["id"], object_type="user", capacity="admin")
    token = factories.APIToken(user=admin["name"])["token"]
    typed = "http://169.254.169.254/latest/meta-data"
    page = app.post(
        "/ppid/sosial/kanal/baru",
        data={"organization_id": body["id"], "platform": "webhook", "title": "Gerbang WA",
              "setting_url": typed, "secret": "rahasia-penandatangan", "language": "id", "active": "on"},
        headers={"Authorization": token},
    )  # fmt: skip
    assert page.status_code == 200
    assert "mengarah ke alamat privat, lokal, atau khusus (169.254.169.254): tidak diizinkan" in page.body
    assert f'value="{typed}"' in page.body
    assert 'value="Gerbang WA"' in page.body


def test_the_allow_list_admits_a_private_host_over_http(body, fake):
    channel = make_channel(fake, "mastodon", body)  # test.ini: allowed_hosts = 127.0.0.1
    public_dataset(body)
    assert outbox.drain() == {"published": 1}
    assert channel["settings"]["instance_url"] == fake.url


@pytest.mark.ckan_config("ckanext.layananpublik.social.allowed_hosts", "platform.test")
def test_an_allow_listed_name_is_matched_after_resolution(body, fake, monkeypatch):
    resolve_as(monkeypatch, {"platform.test": [["127.0.0.1"]]})
    port = fake.url.rsplit(":", 1)[1]
    make_channel(fake, "mastodon", body, settings={"instance_url": f"http://platform.test:{port}"})
    public_dataset(body)
    assert outbox.drain() == {"published": 1}
    assert fake.requests[-1]["headers"]["Host"] == f"platform.test:{port}"


def test_the_address_is_checked_again_when_a_post_is_sent(body, fake, ckan_config, monkeypatch):
    make_channel(fake, "telegram", body)
    public_dataset(body)
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.social.allowed_hosts", "")
    assert outbox.drain() == {"failed": 1}
    [post] = model.Session.query(SocialPost).all()
    assert "private, local or reserved address (127.0.0.1)" in post.last_error
    assert TOKENS["telegram"] not in post.last_error
    assert fake.requests == []


@NO_ALLOW_LIST
def test_a_dns_answer_changed_after_the_check_is_refused_at_the_connection(ckan_config, fake, monkeypatch):
    from ckanext.layananpublik.social import adapters

    # The first answer (the check) is public, the next one (the connection) is loopback.
    resolve_as(monkeypatch, {"rebind.test": [[PUBLIC_IP], ["127.0.0.1"]]})
    port = fake.url.rsplit(":", 1)[1]
    mastodon = adapters.get("mastodon")(
        {"instance_url": f"https://rebind.test:{port}"}, TOKENS["mastodon"], 2
    )
    outcome = mastodon.send("Dataset baru", "post-1", {"language": "id"})
    assert outcome.kind == "failed"
    assert "private, local or reserved address (127.0.0.1)" in outcome.error
    assert fake.requests == []


def test_a_name_that_does_not_resolve_when_sending_is_retried_not_failed(ckan_config, fake):
    from ckanext.layananpublik.social import adapters

    x = adapters.get("x")({"api_base": "https://no-such-host.invalid"}, TOKENS["x"], 2)
    outcome = x.send("Dataset baru", "post-1", {"language": "id"})
    assert (outcome.kind, outcome.error) == ("retry", "the server no-such-host.invalid could not be found")


def test_no_proxy_from_the_environment_is_used(body, fake, monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    make_channel(fake, "x", body)
    public_dataset(body)
    assert outbox.drain() == {"published": 1}


def test_changing_an_address_needs_the_credential_again(body, fake):
    channel = make_channel(fake, "mastodon", body)
    moved = {"instance_url": f"{fake.url}/elsewhere"}
    with pytest.raises(tk.ValidationError) as exc:
        call_action("layananpublik_social_channel_update", id=channel["id"], settings=moved)
    assert "enter the credential again" in exc.value.error_dict["secret"][0]
    assert call_action("layananpublik_social_channel_show", id=channel["id"])["settings"] == {
        "instance_url": fake.url
    }
    saved = call_action(
        "layananpublik_social_channel_update", id=channel["id"], settings=moved, secret="token-for-elsewhere"
    )
    assert saved["settings"] == moved


def test_falling_back_to_the_default_address_is_a_change_too(body, fake):
    channel = make_channel(fake, "telegram", body)
    with pytest.raises(tk.ValidationError) as exc:
        call_action(
            "layananpublik_social_channel_update", id=channel["id"], settings={"chat_id": "@ppidkota"}
        )
    assert "secret" in exc.value.error_dict


def test_other_changes_keep_the_stored_credential(body, fake):
    channel = make_channel(fake, "mastodon", body)
    call_action(
        "layananpublik_social_channel_update", id=channel["id"], title="Akun resmi",
        settings={"instance_url": fake.url + "/", "visibility": "unlisted"},
    )  # fmt: skip
    public_dataset(body)
    assert outbox.drain() == {"published": 1}


def resolve_as(monkeypatch, names: dict[str, list[list[str]]]) -> None:
    """A stand-in for DNS: each name's answers in turn (the last one repeats); other names
    resolve as usual."""
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in names:
            return real(host, port, *args, **kwargs)
        answers = names[host]
        current = answers.pop(0) if len(answers) > 1 else answers[0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in current]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
