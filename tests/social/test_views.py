"""The pages: outbox, review of a post, channel form (credential masked), dataset preview."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.layananpublik.social.model import SocialPost
from tests.social.conftest import make_channel, public_dataset
from tests.social.fakes import TOKENS

pytestmark = pytest.mark.usefixtures("clean_redis")


def signed_in(user: dict) -> dict:
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


@pytest.fixture
def editor(body):
    user = factories.User()
    call_action("member_create", id=body["id"], object=user["id"], object_type="user", capacity="editor")
    return user


def test_the_outbox_page_lists_posts_with_their_status(app, body, fake, editor):
    make_channel(fake, "telegram", body, review=True)
    dataset = public_dataset(body)
    page = app.get("/en/ppid/sosial/", headers=signed_in(editor))
    assert dataset["title"] in page.body
    assert "awaiting review" in page.body


def test_an_editor_approves_with_an_edited_text_from_the_post_page(app, body, fake, editor):
    make_channel(fake, "telegram", body, review=True)
    public_dataset(body)
    post_id = model.Session.query(SocialPost).one().id
    page = app.get(f"/en/ppid/sosial/pos/{post_id}", headers=signed_in(editor))
    assert "Approve and post" in page.body
    response = app.post(
        f"/ppid/sosial/pos/{post_id}/setujui", data={"text": "Teks yang disetujui"}, headers=signed_in(editor),
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 302
    model.Session.expire_all()
    post = model.Session.get(SocialPost, post_id)
    assert (post.status, post.text, post.approved_by) == ("queued", "Teks yang disetujui", editor["name"])


def test_a_too_long_text_is_refused_on_the_page(app, body, fake, editor):
    make_channel(fake, "x", body, review=True)
    public_dataset(body)
    post_id = model.Session.query(SocialPost).one().id
    response = app.post(
        f"/en/ppid/sosial/pos/{post_id}/setujui", data={"text": "a" * 300}, headers=signed_in(editor)
    )
    assert "Too long for X: 300 of 280 characters" in response.body


def test_the_channel_page_never_shows_the_credential(app, body, fake):
    admin = factories.User()
    call_action("member_create", id=body["id"], object=admin["id"], object_type="user", capacity="admin")
    channel = make_channel(fake, "mastodon", body)
    page = app.get(f"/en/ppid/sosial/kanal/{channel['id']}", headers=signed_in(admin))
    assert TOKENS["mastodon"] not in page.body
    assert "mas…456" in page.body


def test_the_dataset_page_shows_the_preview_to_editors_only(app, body, fake, editor):
    make_channel(fake, "telegram", body, review=True)
    dataset = public_dataset(body)
    page = app.get(f"/en/dataset/{dataset['name']}", headers=signed_in(editor))
    assert "Social media preview" in page.body
    assert "#KeuanganDaerah" in page.body
    anonymous = app.get(f"/en/dataset/{dataset['name']}")
    assert "Social media preview" not in anonymous.body


def test_strangers_are_refused(app, body, fake):
    make_channel(fake, "telegram", body, review=True)
    public_dataset(body)
    post_id = model.Session.query(SocialPost).one().id
    app.get(f"/ppid/sosial/pos/{post_id}", headers=signed_in(factories.User()), status=403)


def test_the_channel_form_speaks_the_reader_s_language(app, body, fake):
    """Platform names, setting labels and the credential each platform needs, in Indonesian
    by default and in English under /en/."""
    admin = factories.User()
    call_action("member_create", id=body["id"], object=admin["id"], object_type="user", capacity="admin")
    indonesian = app.get("/ppid/sosial/kanal/baru", headers=signed_in(admin)).body
    for text in ("Halaman Facebook", "Alamat server (https://...)", "Kanal (@namapengguna atau id angka)",
                 "Kredensial yang diisi di bawah: Token bot"):  # fmt: skip
        assert text in indonesian, text
    assert "Server address" not in indonesian
    english = app.get("/en/ppid/sosial/kanal/baru", headers=signed_in(admin)).body
    assert "Facebook Page" in english and "Credential to enter below: Bot token" in english
