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
    assert ">Facebook Page</option>" not in indonesian and ">Bahasa Indonesia</option>" in indonesian
    english = app.get("/en/ppid/sosial/kanal/baru", headers=signed_in(admin)).body
    assert "Facebook Page" in english and "Credential to enter below: Bot token" in english
    assert ">Indonesian</option>" in english and ">English</option>" in english


def recovered_unknown_post() -> str:
    """A Telegram post whose worker died mid-send: recovered as `unknown` (no way to tell
    whether it went out); its audit log: created, send, lease_expired_unknown."""
    import datetime as dt

    from ckanext.layananpublik.social import outbox
    from ckanext.layananpublik.social.model import utcnow

    assert outbox.claim_one(utcnow()) is not None  # taken, then the worker "dies"
    outbox.drain(lambda: utcnow() + dt.timedelta(hours=1))
    model.Session.expire_all()
    post = model.Session.query(SocialPost).one()
    assert post.status == "unknown"
    return post.id


def test_the_post_page_shows_labels_not_codes(app, body, fake, editor):
    """Platform, audit steps, statuses, the sending process and the worker's messages: in
    the reader's language, never as the stored codes."""
    make_channel(fake, "telegram", body)
    public_dataset(body)
    post_id = recovered_unknown_post()
    english = app.get(f"/en/ppid/sosial/pos/{post_id}", headers=signed_in(editor)).body
    for text in ("Akun telegram (Telegram)", '<td class="lp-social-action">send attempt</td>',
                 "worker stopped mid-send; outcome unknown", "sending process", "unknown: check the account",
                 "the worker stopped while sending: check the account, then mark published or retry"):  # fmt: skip
        assert text in english, text
    indonesian = app.get(f"/ppid/sosial/pos/{post_id}", headers=signed_in(editor)).body
    assert "tidak diketahui: periksa akun" in indonesian  # the status
    for body_ in (english, indonesian):
        for code in ("(telegram)", "lease_expired_unknown", ">send<", ">worker<", ">unknown<"):
            assert code not in body_, code


def test_a_refused_step_names_the_status_in_words(app, body, fake, editor):
    make_channel(fake, "telegram", body)
    public_dataset(body)
    post_id = recovered_unknown_post()
    english = app.post(f"/en/ppid/sosial/pos/{post_id}/setujui", data={}, headers=signed_in(editor)).body
    assert "Not possible for a post that is unknown: check the account" in english
    indonesian = app.post(f"/ppid/sosial/pos/{post_id}/setujui", data={}, headers=signed_in(editor)).body
    assert "berstatus tidak diketahui: periksa akun" in indonesian
    assert "berstatus unknown" not in indonesian


def test_the_outbox_page_names_platforms_and_languages(app, body, fake):
    editor = factories.User()  # an admin of the body: the page lists its channels too
    call_action("member_create", id=body["id"], object=editor["id"], object_type="user", capacity="admin")
    make_channel(fake, "telegram", body)
    make_channel(fake, "webhook", body, language="en")
    public_dataset(body)
    english = app.get("/en/ppid/sosial/", headers=signed_in(editor)).body
    for text in (
        "(Telegram)",
        "(Webhook (signed JSON))",
        "Telegram, Indonesian",
        "Webhook (signed JSON), English",
    ):
        assert text in english, text
    indonesian = app.get("/ppid/sosial/", headers=signed_in(editor)).body
    assert "Telegram, Bahasa Indonesia" in indonesian
    for body_ in (english, indonesian):
        for code in ("(telegram)", "(webhook)", "Telegram, id", "English), en"):
            assert code not in body_, code


def test_the_outbox_page_shows_the_worker_s_message(app, body, fake, editor):
    make_channel(fake, "telegram", body)
    public_dataset(body)
    recovered_unknown_post()
    english = app.get("/en/ppid/sosial/", headers=signed_in(editor)).body
    assert "the worker stopped while sending: check the account" in english


def test_the_preview_says_why_a_dataset_is_not_posted_in_words(app, body, fake, editor):
    make_channel(fake, "telegram", body)
    dataset = public_dataset(body, name="rahasia", private=True)
    english = app.get(f"/en/dataset/{dataset['name']}", headers=signed_in(editor)).body
    assert "Not posted while the dataset is not eligible: the dataset is private" in english
    indonesian = app.get(f"/dataset/{dataset['name']}", headers=signed_in(editor)).body
    assert "Tidak diunggah selama dataset tidak memenuhi syarat:" in indonesian
    assert "memenuhi syarat: private" not in indonesian


@pytest.mark.ckan_config("ckanext.layananpublik.social.min_resources", 2)
def test_the_resource_count_reason_is_a_sentence_with_its_plural(app, body, fake, editor):
    make_channel(fake, "telegram", body)
    dataset = public_dataset(body)
    english = app.get(f"/en/dataset/{dataset['name']}", headers=signed_in(editor)).body
    assert "not eligible: the dataset needs at least 2 resources" in english
    assert "fewer than" not in english


def test_approving_a_post_of_a_deleted_dataset_says_so(app, body, fake, editor):
    make_channel(fake, "telegram", body, review=True)
    dataset = public_dataset(body)
    post_id = model.Session.query(SocialPost).one().id
    call_action("package_delete", id=dataset["id"])
    english = app.post(f"/en/ppid/sosial/pos/{post_id}/setujui", data={}, headers=signed_in(editor)).body
    assert "The dataset can no longer be posted: the dataset was deleted" in english
    model.Session.expire_all()
    assert model.Session.get(SocialPost, post_id).status == "review"


def test_the_channel_form_sends_each_platform_its_own_settings_and_keeps_them_all(app, body, fake):
    """Telegram and X both have an api_base: the new-channel form, as a browser sends it (every
    platform's fields, empty or not), creates an X channel with the address typed in X's fields,
    and a refused form shows again what was typed for every platform."""
    from bs4 import BeautifulSoup

    from tests.pages import csrf_token

    admin = factories.User()
    call_action("member_create", id=body["id"], object=admin["id"], object_type="user", capacity="admin")
    form = {"organization_id": body["id"], "platform": "x", "title": "Akun X", "secret": TOKENS["x"],
            "language": "id", "active": "on", "setting_facebook_page_id": "", "setting_facebook_graph_url": "",
            "setting_telegram_chat_id": "", "setting_telegram_api_base": "", "setting_x_api_base": fake.url}  # fmt: skip
    app.post("/ppid/sosial/kanal/baru", data=form, headers=signed_in(admin))
    [channel] = call_action("layananpublik_social_channel_list", context={"user": admin["name"]})
    assert channel["platform"] == "x" and channel["settings"]["api_base"] == fake.url

    typed = dict(form, title="", setting_telegram_chat_id="@ppidkota", setting_facebook_page_id="1029384756")
    client = app.test_client()
    environ = {"REMOTE_USER": admin["name"]}
    page = client.get("/ppid/sosial/kanal/baru", extra_environ=environ)
    answer = client.post("/ppid/sosial/kanal/baru", data={**typed, "_csrf_token": csrf_token(page)},
                         extra_environ=environ)  # fmt: skip
    shown = BeautifulSoup(answer.get_data(as_text=True), "html.parser")
    assert answer.status_code == 200 and shown.select(".error-block")
    for platform, field in (("telegram", "chat_id"), ("facebook", "page_id"), ("x", "api_base")):
        assert (
            shown.select_one(f"#field-{platform}-{field}")["value"] == typed[f"setting_{platform}_{field}"]
        ), field
