"""The feedback inbox: officers answer citizens' replies through the outbox (greeting, plain
text, per-platform length, no NIK or phone number), turn them into complaints, point to the
request form, close, assign; reminders; figures; and nobody else sees the replies."""

from __future__ import annotations

import datetime as dt
import json

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.layananpublik.complaints.model import Complaint
from ckanext.layananpublik.social import listen, outbox
from ckanext.layananpublik.social.model import SocialFeedback, SocialLog, SocialPost, utcnow
from tests.cases.factories import as_user, make_officer
from tests.pages import soup
from tests.social.conftest import make_channel, public_dataset

pytestmark = pytest.mark.usefixtures("clean_redis")


def received(fake, body, platform: str = "mastodon", text: str = "Kapan data 2026 terbit?", **channel) -> dict:
    """A published post with one citizen's reply, imported."""
    make_channel(fake, platform, body, **channel)
    public_dataset(body)
    outbox.drain()
    post = model.Session.query(SocialPost).one()
    if platform == "telegram":
        thread = fake.forward_to_group(post.remote_id)
        fake.add_reply("telegram", str(thread), text, author="budi")
    else:
        fake.add_reply(platform, post.remote_id, text, author="budi")
    listen.poll()
    model.Session.expire_all()
    return {"id": model.Session.query(SocialFeedback).one().id, "post": post}


def act(name: str, who: dict, **data) -> dict:
    return call_action(f"layananpublik_social_feedback_{name}", context=as_user(who), **data)


def test_officers_of_the_body_see_the_reply_and_nobody_else(body, fake, officer):
    reply = received(fake, body)
    found = act("list", officer)
    assert found["count"] == 1 and found["results"][0]["author_handle"] == "@budi"
    assert act("show", officer, id=reply["id"])["text"] == "Kapan data 2026 terbit?"
    other = make_officer(factories.Organization()["id"])
    assert act("list", other)["count"] == 0
    with pytest.raises(tk.NotAuthorized):
        act("show", other, id=reply["id"])
    editor = factories.User()
    call_action("member_create", id=body["id"], object=editor["id"], object_type="user", capacity="editor")
    with pytest.raises(tk.NotAuthorized):
        act("list", editor)
    with pytest.raises(tk.NotAuthorized):
        call_action("layananpublik_social_feedback_list", context=as_user(None))


def test_a_reply_goes_out_through_the_outbox_once_with_a_greeting_and_is_not_imported_back(app, body, fake, officer):
    reply = received(fake, body)
    with app.flask_app.test_request_context():  # as from a page or the API: messages translated
        result = act("reply", officer, id=reply["id"], text="Terima kasih, data 2026 terbit bulan depan.")
    assert result["status"] == "answered" and result["answer_days"] == 0
    answer = model.Session.get(SocialPost, result["reply_post_id"])
    assert answer.event == "reply" and answer.status == "queued"
    assert answer.text == "Halo @budi,\n\nTerima kasih, data 2026 terbit bulan depan."
    assert outbox.drain() == {"published": 1}
    sent = [json.loads(r["body"]) for r in fake.requests if r["method"] == "POST"][-1]
    row = model.Session.query(SocialFeedback).one()
    assert sent["in_reply_to_id"] == row.reply_ref
    actions = [e.action for e in model.Session.query(SocialLog).filter_by(post_id=answer.id).order_by(SocialLog.id)]
    assert actions == ["created", "send", "published"]
    # Our answer now shows among the post's descendants: it is not a citizen's reply.
    listen.poll(lambda: utcnow() + dt.timedelta(minutes=6))
    assert model.Session.query(SocialFeedback).count() == 1
    with pytest.raises(tk.ValidationError, match="answered"):
        act("reply", officer, id=reply["id"], text="Sekali lagi")


def test_the_greeting_follows_the_channel_language(app, body, fake, officer):
    reply = received(fake, body, language="en")
    with app.flask_app.test_request_context("/"):  # an Indonesian page: the English channel's greeting
        result = act("reply", officer, id=reply["id"], text="Thank you.")
    assert result["reply_text"] == "Hello @budi,\n\nThank you."


def test_a_reply_sent_outside_a_web_request_is_greeted_in_the_channel_language(body, fake, officer):
    from flask import has_app_context

    reply = received(fake, body)
    assert not has_app_context()  # as from a job or the command line
    result = act("reply", officer, id=reply["id"], text="Terima kasih.")
    assert result["reply_text"] == "Halo @budi,\n\nTerima kasih."
    assert not has_app_context()  # the language's context is left as it was found


def test_a_reply_outside_a_web_request_to_an_english_channel_is_greeted_in_english(body, fake, officer):
    reply = received(fake, body, language="en")
    result = act("reply", officer, id=reply["id"], text="Thank you.")
    assert result["reply_text"] == "Hello @budi,\n\nThank you."


@pytest.mark.parametrize(
    ("text", "message"),
    [("NIK saya 3201010101010001", "NIK"), ("NIK 3201 0101 0101 0001 ya", "NIK"),
     ("Hubungi 0812-3456-7890", "phone number"), ("atau +62 812 3456 7890", "phone number"),
     ("<b>Penting</b>", "plain text")],
)  # fmt: skip
def test_a_reply_with_a_nik_a_phone_number_or_html_is_refused(body, fake, officer, text, message):
    reply = received(fake, body)
    with pytest.raises(tk.ValidationError, match=message):
        act("reply", officer, id=reply["id"], text=text)
    assert model.Session.query(SocialPost).filter_by(event="reply").count() == 0
    assert act("show", officer, id=reply["id"])["status"] == "open"


def test_numbers_that_are_not_personal_data_may_be_written(body, fake, officer):
    reply = received(fake, body)
    result = act("reply", officer, id=reply["id"], text="Lihat tabel 2025-2026, halaman 12, kode 3201.")
    assert result["status"] == "answered"


def test_a_reply_too_long_for_the_platform_is_refused_with_the_count(body, fake, officer):
    reply = received(fake, body, "x")
    with pytest.raises(tk.ValidationError, match="of 280"):
        act("reply", officer, id=reply["id"], text="a" * 275)


@pytest.mark.parametrize("platform", ["telegram", "facebook", "x"])
def test_replies_use_each_platform_reply_api(body, fake, officer, platform):
    reply = received(fake, body, platform)
    act("reply", officer, id=reply["id"], text="Terima kasih.")
    assert outbox.drain() == {"published": 1}
    last = [r for r in fake.requests if r["method"] == "POST"][-1]
    row = model.Session.query(SocialFeedback).one()
    if platform == "telegram":
        sent = json.loads(last["body"])
        assert f"{sent['chat_id']}:{sent['reply_to_message_id']}" == row.reply_ref
    elif platform == "facebook":
        assert last["path"] == f"/v21.0/{row.reply_ref}/comments"
    else:
        assert json.loads(last["body"])["reply"] == {"in_reply_to_tweet_id": row.reply_ref}


def test_a_reply_turned_into_a_complaint_with_the_tracking_link(body, fake, officer):
    reply = received(fake, body, text="Petugas tidak melayani permohonan saya")
    result = act("complaint", officer, id=reply["id"], send_link=True)
    assert result["status"] == "complaint"
    complaint = model.Session.get(Complaint, result["complaint_id"])
    assert complaint.source == "social_media" and complaint.description == "Petugas tidak melayani permohonan saya"
    assert complaint.organization_id == body["id"] and complaint.name == "Budi"
    assert result["complaint_number"] in result["reply_text"] and "/pengaduan/" in result["reply_text"]
    shown = call_action("layananpublik_complaint_show", context=as_user(officer), id=complaint.id)
    assert shown["source"] == "social_media"


def test_the_complaint_page_says_it_came_from_social_media(app, body, fake, officer):
    reply = received(fake, body, text="Petugas tidak melayani permohonan saya")
    complaint_id = act("complaint", officer, id=reply["id"])["complaint_id"]
    page = app.get(f"/ppid/pengaduan/{complaint_id}", headers=signed_in(officer))
    assert soup(page).select_one("#complaint-source").get_text(strip=True) == "Media sosial"
    page = app.get(f"/en/ppid/pengaduan/{complaint_id}", headers=signed_in(officer))
    assert soup(page).select_one("#complaint-source").get_text(strip=True) == "Social media"


def test_a_complaint_without_the_link_sends_nothing(body, fake, officer):
    reply = received(fake, body)
    result = act("complaint", officer, id=reply["id"], service="Layanan data")
    assert result["reply_post_id"] is None
    assert model.Session.get(Complaint, result["complaint_id"]).service == "Layanan data"


def test_pointing_to_the_request_form_answers_with_its_address(body, fake, officer):
    reply = received(fake, body)
    result = act("refer", officer, id=reply["id"], text="Silakan ajukan permohonan.")
    assert result["status"] == "referred"
    assert "/permohonan/ajukan/diskominfo" in result["reply_text"]


def test_closing_needs_a_reason_and_a_dismissed_reply_can_be_opened_again(body, fake, officer):
    reply = received(fake, body)
    with pytest.raises(tk.ValidationError) as error:
        act("close", officer, id=reply["id"], status="dismissed", reason=" ")
    assert "reason" in error.value.error_dict
    result = act("close", officer, id=reply["id"], status="dismissed", reason="Spam")
    assert (result["status"], result["reason"], result["answered_at"]) == ("dismissed", "Spam", None)
    assert act("reopen", officer, id=reply["id"])["status"] == "open"
    assert act("close", officer, id=reply["id"], status="answered", reason="Dijawab lewat telepon")["answer_days"] == 0


def test_a_reply_is_assigned_to_an_officer_of_the_body_only(body, fake, officer):
    reply = received(fake, body)
    colleague = make_officer(body["id"])
    assert act("assign", officer, id=reply["id"], user=colleague["name"])["assigned_to"] == colleague["id"]
    assert act("list", colleague, assigned_to_me=True)["count"] == 1
    assert act("list", officer, assigned_to_me=True)["count"] == 0
    stranger = factories.User()
    with pytest.raises(tk.ValidationError, match="officer"):
        act("assign", officer, id=reply["id"], user=stranger["name"])


def test_an_unanswered_reply_reminds_its_officer_once(body, fake, officer, smtp_sink):
    reply = received(fake, body)
    colleague = make_officer(body["id"])
    act("assign", officer, id=reply["id"], user=colleague["name"])
    row = model.Session.get(SocialFeedback, reply["id"])
    row.due_date = row.received_date - dt.timedelta(days=1)
    model.Session.commit()
    send = lambda: call_action("layananpublik_request_send_reminders")  # noqa: E731
    assert send()["feedback_overdue"] == 1
    assert send()["feedback_overdue"] == 0
    [mail] = smtp_sink
    assert mail["To"].endswith(colleague["email"] + ">") or colleague["email"] in mail["To"]
    assert f"/ppid/sosial/tanggapan/{reply['id']}" in mail.get_payload(decode=True).decode()


def test_the_figures_count_per_month_and_are_public_counts_only(body, fake, officer):
    reply = received(fake, body)
    act("complaint", officer, id=reply["id"])
    figures = call_action("layananpublik_social_feedback_stats", context=as_user(None), organization_id=body["id"])
    month = figures["months"][utcnow().month - 1]
    assert (month["received"], month["answered"], month["complaints"], month["median_working_days"]) == (1, 1, 1, 0.0)
    assert (figures["received"], figures["answered"], figures["complaints"]) == (1, 1, 1)
    assert "budi" not in json.dumps(figures) and "Kapan" not in json.dumps(figures)


# --- the pages ----------------------------------------------------------------------------------


def signed_in(user: dict) -> dict:
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def test_the_inbox_page_shows_replies_to_the_body_officers_only_and_privately(app, body, fake, officer):
    received(fake, body)
    page = app.get("/en/ppid/sosial/tanggapan", headers=signed_in(officer))
    assert "Kapan data 2026 terbit?" in page.body and "@budi" in page.body
    assert page.headers["Cache-Control"] == "no-store, private"
    editor = factories.User()
    call_action("member_create", id=body["id"], object=editor["id"], object_type="user", capacity="editor")
    refused = app.get("/en/ppid/sosial/tanggapan", headers=signed_in(editor), status=403)
    assert "Kapan data" not in refused.body


def test_a_refused_answer_keeps_what_the_officer_typed_with_a_translated_message(app, body, fake, officer):
    reply = received(fake, body)
    typed = "Silakan hubungi 0812 3456 7890"
    page = app.post(f"/en/ppid/sosial/tanggapan/{reply['id']}/balas", data={"text": typed, "greeting": "on"},
                    headers=signed_in(officer))  # fmt: skip
    assert "contains a phone number" in page.body and typed in page.body
    indonesian = app.post(f"/ppid/sosial/tanggapan/{reply['id']}/balas", data={"text": typed},
                          headers=signed_in(officer))  # fmt: skip
    assert "berisi nomor telepon" in indonesian.body
    assert model.Session.query(SocialPost).filter_by(event="reply").count() == 0


def test_an_answer_from_the_page_is_queued_and_shown(app, body, fake, officer):
    reply = received(fake, body)
    app.post(f"/en/ppid/sosial/tanggapan/{reply['id']}/balas", data={"text": "Terima kasih.", "greeting": "on"},
             headers=signed_in(officer))  # fmt: skip
    page = app.get(f"/en/ppid/sosial/tanggapan/{reply['id']}", headers=signed_in(officer))
    assert "Halo @budi," in page.body and "answered through the outbox" in page.body


def test_public_pages_and_actions_never_show_a_reply(app, body, fake, officer):
    reply = received(fake, body, text="Rahasia warga: keluhan soal pelayanan")
    act("complaint", officer, id=reply["id"])
    dataset = model.Session.get(SocialPost, reply["post"].id).package_id
    pages = [app.get(f"/dataset/{dataset}").body, app.get("/en/permohonan/statistik").body,
             json.dumps(call_action("package_show", id=dataset))]  # fmt: skip
    assert all("Rahasia warga" not in p and "@budi" not in p for p in pages)
    stats = app.get("/en/permohonan/statistik").body
    assert "Replies from citizens on social media" in stats


def test_the_annual_report_counts_the_replies(body, fake, officer):
    reply = received(fake, body)
    act("close", officer, id=reply["id"], status="answered", reason="Dijawab lewat telepon")
    year = utcnow().year
    shown = call_action("layananpublik_report_show", context=as_user(None), language="id", year=year,
                        organization_id=body["id"])  # fmt: skip
    assert shown["social"] == {"received": 1, "answered": 1, "complaints": 0, "median_working_days": 0.0}


def test_a_quarterly_report_has_the_median_of_its_own_quarter(body, fake, officer):
    import sqlalchemy as sa

    reply = received(fake, body)
    act("close", officer, id=reply["id"], status="answered", reason="Dijawab lewat telepon")
    today = model.Session.query(SocialFeedback).one().received_date  # the body's day
    quarter = (today.month - 1) // 3 + 1
    other = dt.date(today.year, 2 if quarter != 1 else 11, 10)  # a day in another quarter
    model.Session.execute(sa.text("UPDATE layananpublik_social_feedback SET answer_days = 4"))
    model.Session.execute(sa.text(
        "INSERT INTO layananpublik_social_feedback (id, channel_id, post_id, organization_id, package_id, platform, "
        "remote_id, text, received_at, received_date, due_date, status, answer_days, updated_at) "
        "SELECT 'other', channel_id, post_id, organization_id, package_id, platform, 'other', text, received_at, "
        ":day, :day, 'answered', 10, updated_at FROM layananpublik_social_feedback"), {"day": other})  # fmt: skip
    model.Session.commit()

    def social(**period) -> dict:
        return call_action("layananpublik_report_show", context=as_user(None), language="id", year=today.year,
                           organization_id=body["id"], **period)["social"]  # fmt: skip

    assert social(quarter=quarter) == {"received": 1, "answered": 1, "complaints": 0, "median_working_days": 4.0}
    assert social(quarter=(other.month - 1) // 3 + 1)["median_working_days"] == 10.0
    assert social()["median_working_days"] == 7.0  # the year's: the median of 4 and 10
    figures = call_action("layananpublik_social_feedback_stats", context=as_user(None), year=today.year,
                          date_from=str(other), date_to=str(other))  # fmt: skip
    assert (figures["received"], figures["median_working_days"]) == (1, 10.0)


def test_the_migration_goes_down_and_up_again_with_replies_and_answers(body, fake, officer):
    import sqlalchemy as sa
    from ckan.cli.db import _run_migrations

    from tests.conftest import migrate

    reply = received(fake, body)
    act("reply", officer, id=reply["id"], text="Terima kasih.")  # an outbox row of event 'reply'
    model.Session.remove()
    _run_migrations("layananpublik", "c7d9e1f3a5b7", forward=False)
    tables = sa.inspect(model.Session.get_bind()).get_table_names()
    assert "layananpublik_social_feedback" not in tables and "layananpublik_social_listen" not in tables
    assert model.Session.execute(sa.text("SELECT count(*) FROM layananpublik_social_post")).scalar() == 1
    model.Session.remove()
    migrate("layananpublik")
    assert "layananpublik_social_feedback" in sa.inspect(model.Session.get_bind()).get_table_names()
