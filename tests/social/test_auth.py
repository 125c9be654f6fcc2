"""Who may manage channels, review posts and manage the outbox (table-driven)."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.layananpublik.social.model import SocialPost
from tests.social.conftest import make_channel, public_dataset
from tests.social.fakes import TOKENS, settings_for

pytestmark = pytest.mark.usefixtures("clean_redis")


@pytest.fixture
def people(body):
    users = {"sysadmin": factories.Sysadmin(), "stranger": factories.User(), "other_admin": factories.User()}
    for capacity in ("admin", "editor", "member"):
        users[capacity] = factories.User()
        call_action(
            "member_create",
            id=body["id"],
            object=users[capacity]["id"],
            object_type="user",
            capacity=capacity,
        )
    other = factories.Organization()
    call_action(
        "member_create",
        id=other["id"],
        object=users["other_admin"]["id"],
        object_type="user",
        capacity="admin",
    )
    return users


def allowed(user: dict, action: str, **data) -> bool:
    try:
        call_action(action, context={"user": user["name"], "ignore_auth": False}, **data)
    except tk.NotAuthorized:
        return False
    return True


def channel_data(fake, platform="telegram") -> dict:
    return {
        "title": "Kanal",
        "platform": platform,
        "settings": settings_for(platform, fake.url),
        "secret": TOKENS[platform],
    }


@pytest.mark.parametrize(
    ("who", "body_channel", "site_channel"),
    [("sysadmin", True, True), ("admin", True, False), ("editor", False, False), ("member", False, False),
     ("other_admin", False, False), ("stranger", False, False)],
)  # fmt: skip
def test_who_may_add_channels(body, fake, people, who, body_channel, site_channel):
    user = people[who]
    assert (
        allowed(user, "layananpublik_social_channel_create", organization_id=body["id"], **channel_data(fake))
        is body_channel
    )
    assert allowed(user, "layananpublik_social_channel_create", **channel_data(fake)) is site_channel


@pytest.mark.parametrize(
    ("who", "review", "manage"),
    [("sysadmin", True, True), ("admin", True, True), ("editor", True, False), ("member", False, False),
     ("other_admin", False, False), ("stranger", False, False)],
)  # fmt: skip
def test_who_may_review_and_manage_a_bodys_posts(body, fake, people, who, review, manage):
    make_channel(fake, "telegram", body, review=True)
    public_dataset(body)
    post_id = model.Session.query(SocialPost).one().id
    user = people[who]
    assert allowed(user, "layananpublik_social_post_show", id=post_id) is review
    assert allowed(user, "layananpublik_social_post_edit", id=post_id, text="Teks baru") is review
    assert allowed(user, "layananpublik_social_post_cancel", id=post_id) is manage
    listed = call_action(
        "layananpublik_social_post_list", context={"user": user["name"], "ignore_auth": False}
    )
    assert (listed["count"] == 1) is review


def test_credentials_are_never_returned_in_full(body, fake, people):
    created = make_channel(fake, "mastodon", body)
    shown = call_action(
        "layananpublik_social_channel_show", context={"user": people["admin"]["name"]}, id=created["id"]
    )
    listed = call_action("layananpublik_social_channel_list", context={"user": people["admin"]["name"]})
    for channel in (created, shown, *listed):
        assert "secret" not in channel
        assert TOKENS["mastodon"] not in str(channel)
        assert channel["secret_masked"] == "mas…456"


def test_an_empty_secret_on_update_keeps_the_stored_one(body, fake):
    created = make_channel(fake, "telegram", body)
    call_action("layananpublik_social_channel_update", id=created["id"], title="Baru", secret="")
    public_dataset(body)
    from ckanext.layananpublik.social import outbox

    assert outbox.drain() == {"published": 1}
