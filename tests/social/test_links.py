"""A post's address on the platform is shown as a link: only http(s) addresses (issue 16,
item 4), whether a platform answered it or an administrator typed it."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.layananpublik.social import links, outbox
from ckanext.layananpublik.social.model import SocialPost
from tests.social.conftest import make_channel, public_dataset

pytestmark = pytest.mark.usefixtures("clean_redis")
EVIL = "javascript:alert(1)"


@pytest.fixture
def admin(body):
    user = factories.User()
    call_action("member_create", id=body["id"], object=user["id"], object_type="user", capacity="admin")
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def unknown_post(fake, body) -> str:
    make_channel(fake, "telegram", body)
    public_dataset(body)
    post = model.Session.query(SocialPost).one()
    post.status = "unknown"
    model.Session.commit()
    return post.id


@pytest.mark.parametrize("platform", ["mastodon", "webhook"])
def test_a_javascript_address_from_the_platform_is_neither_stored_nor_linked(
    app, body, fake, admin, platform
):
    fake.remote_urls[platform] = EVIL
    make_channel(fake, platform, body)
    public_dataset(body)
    assert outbox.drain() == {"published": 1}
    post = model.Session.query(SocialPost).one()
    assert (post.status, post.remote_url) == ("published", None)
    assert post.remote_id
    for page in (f"/ppid/sosial/pos/{post.id}", "/ppid/sosial/"):
        # The platform's raw answer stays in the audit log, as escaped text.
        assert 'href="javascript:' not in app.get(page, headers=admin).body.lower()


def test_an_address_stored_before_the_check_is_shown_as_text_not_as_a_link(app, body, fake, admin):
    make_channel(fake, "mastodon", body)
    public_dataset(body)
    outbox.drain()
    post = model.Session.query(SocialPost).one()
    post.remote_url = EVIL
    model.Session.commit()
    for page in (f"/ppid/sosial/pos/{post.id}", "/ppid/sosial/"):
        body_text = app.get(page, headers=admin).body
        assert EVIL in body_text
        assert f'href="{EVIL}"' not in body_text


def test_marking_published_refuses_a_javascript_address(body, fake):
    post_id = unknown_post(fake, body)
    with pytest.raises(tk.ValidationError) as exc:
        call_action("layananpublik_social_post_resolve", id=post_id, remote_url=EVIL)
    assert exc.value.error_dict["remote_url"] == ["Enter a web address starting with https:// or http://"]
    post = model.Session.get(SocialPost, post_id)
    assert (post.status, post.remote_url) == ("unknown", None)


def test_the_page_says_why_in_indonesian_and_keeps_the_typed_address(app, body, fake, admin):
    post_id = unknown_post(fake, body)
    page = app.post(f"/ppid/sosial/pos/{post_id}/terbit", data={"remote_url": EVIL}, headers=admin)
    assert "Masukkan alamat web yang diawali https:// atau http://" in page.body
    assert f'value="{EVIL}"' in page.body
    assert f'href="{EVIL}"' not in page.body


def test_marking_published_keeps_a_web_address(body, fake):
    post_id = unknown_post(fake, body)
    post = call_action("layananpublik_social_post_resolve", id=post_id, remote_url="https://t.me/ppidkota/7")
    assert (post["status"], post["remote_url"]) == ("published", "https://t.me/ppidkota/7")


@pytest.mark.parametrize(
    "value",
    [EVIL, "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)", "data:text/html,<b>x</b>",
     "vbscript:msgbox(1)", "//evil.example/x", "https://", "http://ex ample.com"],
)  # fmt: skip
def test_only_absolute_http_addresses_are_links(value):
    assert links.web_link(value) is None
