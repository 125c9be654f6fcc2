"""The outbox end to end: rows written with the dataset, drained to the fake platforms,
retried with backoff, never doubled, never lost."""

from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.layananpublik.social import outbox
from ckanext.layananpublik.social.model import SocialLog, SocialPost, utcnow
from tests.social.conftest import make_channel, public_dataset

pytestmark = pytest.mark.usefixtures("clean_redis")


def posts(**filters) -> list[SocialPost]:
    model.Session.expire_all()
    return model.Session.query(SocialPost).filter_by(**filters).order_by(SocialPost.created_at).all()


class Clock:
    """Simulated time for the drain (retries are scheduled in it)."""

    def __init__(self):
        self.now = utcnow()

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += dt.timedelta(**delta)


def test_a_new_public_dataset_is_queued_in_its_own_transaction_and_published(body, fake):
    make_channel(fake, "mastodon", body)
    dataset = public_dataset(body)
    [post] = posts(package_id=dataset["id"])
    assert post.status == "queued" and post.event == "created"
    assert f"/dataset/{dataset['name']}" in post.text
    assert outbox.drain() == {"published": 1}
    [post] = posts(package_id=dataset["id"])
    assert post.status == "published"
    assert post.remote_url.startswith(f"{fake.url}/@ppid/")
    assert fake.count("mastodon") == 1


def test_the_drain_runs_as_a_background_job_after_the_commit(body, fake, run_jobs):
    make_channel(fake, "telegram", body)
    dataset = public_dataset(body)
    run_jobs()
    assert [p.status for p in posts(package_id=dataset["id"])] == ["published"]
    assert fake.count("telegram") == 1


def test_site_wide_and_body_channels_each_get_one_post(body, fake):
    make_channel(fake, "webhook")  # site-wide
    make_channel(fake, "telegram", body)
    other = factories.Organization()
    make_channel(fake, "x", other)
    public_dataset(body)
    outbox.drain()
    assert (fake.count("webhook"), fake.count("telegram"), fake.count("x")) == (1, 1, 0)


@pytest.mark.parametrize(
    "fields",
    [{"private": True}, {"state": "draft"}, {"resources": []}],
    ids=["private", "draft", "no-resource"],
)
def test_ineligible_datasets_are_never_posted(body, fake, fields):
    make_channel(fake, "telegram", body)
    public_dataset(body, **fields)
    assert posts() == []


@pytest.mark.ckan_config("ckanext.layananpublik.social.review", True)
@pytest.mark.ckan_config("ckanext.layananpublik.social.min_resources", 2)
def test_serta_merta_information_is_posted_at_once_without_review_or_resources(body, fake):
    # Pasal 10 UU 14/2008: announced immediately, so neither the review nor the
    # minimum-resources rule may hold it back; other datasets still wait for both.
    make_channel(fake, "telegram", body)
    warning = public_dataset(body, title="Peringatan Dini Banjir", resources=[], information_category="serta_merta")
    ordinary = public_dataset(body, resources=[{"url": "https://example.go.id/a.csv"}] * 2)
    [post] = posts(package_id=warning["id"])
    assert (post.status, post.event) == ("queued", "serta_merta")
    assert [p.status for p in posts(package_id=ordinary["id"])] == ["review"]
    assert outbox.drain() == {"published": 1}
    assert fake.count("telegram") == 1


def test_a_deleted_dataset_is_not_posted_even_if_queued_for_review(body, fake):
    make_channel(fake, "telegram", body, review=True)
    dataset = public_dataset(body)
    call_action("package_delete", id=dataset["id"])
    [post] = posts()
    with pytest.raises(Exception, match="no longer be posted"):
        call_action("layananpublik_social_post_approve", id=post.id)


def test_a_draft_made_public_later_is_posted_once(body, fake):
    make_channel(fake, "telegram", body)
    dataset = public_dataset(body, private=True)
    call_action("package_patch", id=dataset["id"], notes="Diperbarui")
    assert posts() == []
    call_action("package_patch", id=dataset["id"], private=False)
    call_action("package_patch", id=dataset["id"], notes="Diperbarui lagi")
    outbox.drain()
    assert [p.event for p in posts()] == ["created"]
    assert fake.count("telegram") == 1


def test_the_web_form_flow_posts_when_the_first_resource_makes_it_eligible(body, fake):
    make_channel(fake, "telegram", body)
    dataset = public_dataset(body, resources=[])
    assert posts() == []
    call_action("resource_create", package_id=dataset["id"], url="https://example.go.id/a.csv")
    call_action("resource_create", package_id=dataset["id"], url="https://example.go.id/b.csv")
    assert len(posts()) == 1


def test_datasets_older_than_the_channel_are_not_announced(body, fake):
    dataset = public_dataset(body)
    model.Session.query(model.Package).filter_by(id=dataset["id"]).update(
        {"metadata_created": dt.datetime.utcnow() - dt.timedelta(days=3)}
    )
    model.Session.commit()
    make_channel(fake, "telegram", body)
    call_action("package_patch", id=dataset["id"], notes="Diperbarui")
    assert posts() == []


def _age_posts(hours: int) -> None:
    model.Session.query(SocialPost).update({"created_at": SocialPost.created_at - dt.timedelta(hours=hours)})
    model.Session.commit()


@pytest.mark.ckan_config("ckanext.layananpublik.social.post_on_update", True)
def test_significant_updates_are_posted_after_the_cooldown_only(body, fake):
    make_channel(fake, "telegram", body)
    dataset = public_dataset(body)
    call_action("resource_create", package_id=dataset["id"], url="https://example.go.id/b.csv")
    assert [p.event for p in posts()] == ["created"]  # within 24 h: cool-down
    _age_posts(25)
    # The resource added during the cool-down is announced with the next change.
    call_action("package_patch", id=dataset["id"], notes="Hanya teks")
    assert [p.event for p in posts()] == ["created", "updated"]
    assert "kini memiliki 2 berkas" in posts()[1].text
    _age_posts(25)
    call_action("package_patch", id=dataset["id"], notes="Teks lagi")  # no new resource: not significant
    assert len(posts()) == 2


def test_updates_are_not_posted_unless_switched_on(body, fake):
    make_channel(fake, "telegram", body)
    dataset = public_dataset(body)
    _age_posts(25)
    call_action("resource_create", package_id=dataset["id"], url="https://example.go.id/b.csv")
    assert [p.event for p in posts()] == ["created"]


@pytest.mark.ckan_config("ckanext.layananpublik.social.enabled", False)
def test_nothing_is_queued_when_switched_off(body, fake):
    make_channel(fake, "telegram", body)
    public_dataset(body)
    assert posts() == []


def test_retries_back_off_exponentially_and_honour_retry_after(body, fake):
    make_channel(fake, "telegram", body)
    public_dataset(body)
    clock = Clock()
    fake.faults["telegram"].extend(["503", "429"])
    outbox.drain(clock)
    [post] = posts()
    assert post.status == "queued" and post.attempts == 1
    assert post.next_attempt_at == clock.now + dt.timedelta(seconds=60)
    assert outbox.drain(clock) == {}  # not yet due
    clock.advance(seconds=60)
    outbox.drain(clock)
    [post] = posts()
    assert post.attempts == 2
    assert post.next_attempt_at == clock.now + dt.timedelta(seconds=120)  # 2 × 60 > Retry-After 7
    clock.advance(seconds=120)
    assert outbox.drain(clock) == {"published": 1}
    assert fake.count("telegram") == 1


def test_retry_after_longer_than_the_backoff_wins(body, fake, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.social.retry_base_seconds", 1)
    make_channel(fake, "x", body)
    public_dataset(body)
    clock = Clock()
    fake.faults["x"].append("429")
    outbox.drain(clock)
    [post] = posts()
    assert post.next_attempt_at == clock.now + dt.timedelta(seconds=7)


@pytest.mark.ckan_config("ckanext.layananpublik.social.max_attempts", 3)
def test_a_post_fails_for_good_after_max_attempts_with_the_error_kept(body, fake):
    make_channel(fake, "webhook", body)
    public_dataset(body)
    fake.down.add("webhook")
    clock = Clock()
    for _ in range(5):
        outbox.drain(clock)
        clock.advance(hours=2)
    [post] = posts()
    assert post.status == "failed" and post.attempts == 3
    assert "HTTP 503" in post.last_error
    fake.down.clear()
    call_action("layananpublik_social_post_retry", id=post.id)
    outbox.drain(clock)
    assert posts()[0].status == "published"
    assert fake.count("webhook") == 1


def test_platforms_down_for_an_hour_of_simulated_time_post_each_dataset_once(body, fake):
    for platform in ("mastodon", "telegram", "facebook", "x", "webhook"):
        make_channel(fake, platform, body)
    datasets = [public_dataset(body, name=f"data-{i}", title=f"Data {i}") for i in range(4)]
    fake.down.update({"mastodon", "telegram", "facebook", "x", "webhook"})
    clock = Clock()
    start = clock.now
    while clock.now < start + dt.timedelta(hours=1):
        outbox.drain(clock)
        clock.advance(minutes=1)
    assert fake.count() == 0
    assert {p.status for p in posts()} == {"queued"}
    fake.down.clear()
    while outbox.next_due() is not None and clock.now < start + dt.timedelta(hours=4):
        outbox.drain(clock)
        clock.advance(minutes=1)
    assert {p.status for p in posts()} == {"published"}
    for dataset in datasets:
        for platform in ("mastodon", "telegram", "facebook", "x", "webhook"):
            assert fake.count(platform, f"/dataset/{dataset['name']}\n") == 1, (platform, dataset["name"])


def test_a_timeout_on_a_platform_without_idempotency_becomes_unknown_not_a_resend(
    body, fake, ckan_config, monkeypatch
):
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.social.timeout", 1)
    make_channel(fake, "telegram", body)
    public_dataset(body)
    fake.faults["telegram"].append("timeout")
    assert outbox.drain() == {"unknown": 1}
    assert outbox.drain() == {}
    [post] = posts()
    assert "may have published" in post.last_error
    assert fake.count("telegram") == 1
    call_action("layananpublik_social_post_resolve", id=post.id, remote_url="https://t.me/ppidkota/1")
    assert posts()[0].status == "published"


def test_a_timeout_on_mastodon_is_resent_with_the_same_idempotency_key(body, fake, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.social.timeout", 1)
    make_channel(fake, "mastodon", body)
    public_dataset(body)
    fake.faults["mastodon"].append("timeout")
    clock = Clock()
    assert outbox.drain(clock) == {"queued": 1}
    clock.advance(minutes=5)
    assert outbox.drain(clock) == {"published": 1}
    keys = {r["headers"]["Idempotency-Key"] for r in fake.requests}
    assert keys == {posts()[0].id}
    assert fake.count("mastodon") == 1


def test_every_step_is_in_the_audit_log_with_the_exact_text_and_answer(body, fake):
    make_channel(fake, "telegram", body, review=True)
    reviewer = factories.User()
    call_action("member_create", id=body["id"], object=reviewer["id"], object_type="user", capacity="editor")
    public_dataset(body)
    [post] = posts()
    assert post.status == "review"
    call_action(
        "layananpublik_social_post_approve", context={"user": reviewer["name"]}, id=post.id, text="Teks akhir"
    )
    outbox.drain()
    entries = model.Session.query(SocialLog).filter_by(post_id=post.id).order_by(SocialLog.id).all()
    assert [e.action for e in entries] == ["created", "approved", "send", "published"]
    assert entries[1].actor == reviewer["name"] and entries[1].text == "Teks akhir"
    assert entries[3].http_status == 200 and '"ok": true' in entries[3].response.replace(
        '"ok":true', '"ok": true'
    )
    assert fake.published == [("telegram", "Teks akhir")]
    shown = call_action("layananpublik_social_post_show", id=post.id)
    assert shown["approved_by"] == reviewer["name"] and len(shown["log"]) == 4


def test_a_skipped_post_is_never_sent(body, fake):
    make_channel(fake, "telegram", body, review=True)
    public_dataset(body)
    [post] = posts()
    call_action("layananpublik_social_post_skip", id=post.id, reason="Belum final")
    assert outbox.drain() == {}
    assert posts()[0].status == "skipped" and fake.count() == 0


@pytest.mark.ckan_config("ckanext.layananpublik.social.review", True)
def test_review_follows_the_site_setting_unless_the_channel_overrides_it(body, fake):
    make_channel(fake, "telegram", body)
    make_channel(fake, "x", body, review=False)
    public_dataset(body)
    statuses = {p.channel_id: p.status for p in posts()}
    assert sorted(statuses.values()) == ["queued", "review"]


def test_cancel_stops_a_queued_post(body, fake):
    make_channel(fake, "telegram", body)
    public_dataset(body)
    [post] = posts()
    call_action("layananpublik_social_post_cancel", id=post.id)
    assert outbox.drain() == {}
    assert fake.count() == 0


def test_the_outbox_lists_status_and_remote_url(body, fake):
    make_channel(fake, "mastodon", body)
    public_dataset(body)
    outbox.drain()
    result = call_action("layananpublik_social_post_list", status="published")
    assert result["count"] == 1
    assert result["results"][0]["remote_url"].startswith(fake.url)


def test_a_deactivated_channel_sends_nothing_more_until_reactivated(body, fake):
    channel = make_channel(fake, "mastodon", body)
    public_dataset(body)
    call_action("layananpublik_social_channel_update", id=channel["id"], active=False)
    assert outbox.drain() == {}
    assert fake.count("mastodon") == 0
    call_action("layananpublik_social_channel_update", id=channel["id"], active=True)
    assert outbox.drain() == {"published": 1}


def test_a_review_setting_that_is_not_yes_or_no_is_a_validation_error(body, fake):
    import ckan.plugins.toolkit as tk

    channel = make_channel(fake, "mastodon", body)
    with pytest.raises(tk.ValidationError) as exc:
        call_action("layananpublik_social_channel_update", id=channel["id"], review="maybe")
    assert "review" in exc.value.error_dict


def test_post_list_refuses_a_page_above_the_cap(body, fake):
    with pytest.raises(tk.ValidationError) as exc:
        call_action("layananpublik_social_post_list", limit=101)
    assert exc.value.error_dict["limit"] == ["Must be at most 100"]
    assert call_action("layananpublik_social_post_list", limit=100)["count"] == 0


@pytest.mark.ckan_config("ckanext.layananpublik.social.list_max", 5)
def test_the_cap_is_a_site_setting(body, fake):
    with pytest.raises(tk.ValidationError):
        call_action("layananpublik_social_post_list", limit=6)
    assert call_action("layananpublik_social_post_list", limit=5)["results"] == []


def test_the_cli_list_says_the_cap_instead_of_a_traceback(body, fake, cli):
    from ckanext.layananpublik.social.cli import social_outbox

    result = cli.invoke(social_outbox, ["list", "--limit", "101"])
    assert result.exit_code == 2
    assert "limit: Must be at most 100" in result.output
    assert cli.invoke(social_outbox, ["list", "--limit", "100"]).exit_code == 0
