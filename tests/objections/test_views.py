"""The objection pages through the real app: the form from a request's tracking link, the
objection's tracking page, the public register with its figures, the superior's and
officers' inbox, the objection page with the answer and dispute forms, the CSV register.

Indonesian is the site's default language; messages are compared as the page shows them."""

from __future__ import annotations

import csv
import io
import re

import pytest
from bs4 import BeautifulSoup
from ckan.plugins import toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action
from werkzeug.datastructures import FileStorage

from tests.cases.factories import (
    CONSEQUENCE_TEST,
    as_user,
    make_officer,
    shared_people_fixtures,
    submit,
)
from tests.pages import Browser, soup, token_of

# body, other_body, officer, other_officer, sysadmin, requester: built once per set of them
# (tests/cases/snapshots.py).
globals().update(shared_people_fixtures())

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_redis")

REASON = "Informasi anggaran bukan rahasia negara; mohon ditinjau kembali"
INSTRUCTION = "Berikan rekap anggaran tanpa nomor rekening penyedia"


def _(app, msgid: str, **kwargs) -> str:
    """A message as the site's default language (Indonesian) shows it."""
    with app.flask_app.test_request_context("/"):
        text = tk._(msgid)
    return text.format(**kwargs) if kwargs else text


def label(app, kind: str, value: str) -> str:
    with app.flask_app.test_request_context("/"):
        return tk.h.layananpublik_label(kind, value)


def text(page: BeautifulSoup) -> str:
    return " ".join(page.get_text(" ").split())


@pytest.fixture
def superior(body):
    return make_officer(body["id"], role="superior")


def refused(body: dict, officer: dict) -> dict:
    """A request refused on Pasal 17 grounds; the result keeps its tracking token."""
    created = submit(body["id"])
    call_action(
        "layananpublik_request_decide", context={"user": officer["name"]}, id=created["id"],
        outcome="refused", refusal_grounds=["a"], decision_note="Menyangkut penyidikan", **CONSEQUENCE_TEST,
    )  # fmt: skip
    return created


def objection_on(created: dict, grounds=("a",)) -> dict:
    """An objection filed by the requester with the request's tracking link."""
    return call_action(
        "layananpublik_objection_create", context=as_user(None),
        request_tracking_token=created["tracking_token"], grounds=list(grounds), reason=REASON,
    )  # fmt: skip


# The tracking page links the objection form without the token (it is in the tracking cookie).
TRACKED_FORM = "/permohonan/dilacak/keberatan"


def form_url(created: dict) -> str:
    return f"/permohonan/lacak/{created['tracking_token']}/keberatan"


def post_objection(app, created: dict, data: dict):
    browser = Browser(app, None)
    return browser.post_form(form_url(created), "form.lp-objection-form", data, content_type="multipart/form-data")


# --- the form -----------------------------------------------------------------------------------


def test_form_after_a_refusal_offers_ground_a_with_its_deadline(app, body, officer):
    created = refused(body, officer)
    response = app.get(form_url(created))
    assert response.status_code == 200
    page = soup(response)
    boxes = {b["value"]: b for b in page.select("input[name=grounds]")}
    assert list(boxes) == list("abcdefg")
    assert boxes["a"].has_attr("checked") and not boxes["a"].has_attr("disabled")
    # c (not answered) and g (answered late) do not apply to a request decided in time.
    assert boxes["c"].has_attr("disabled") and boxes["g"].has_attr("disabled")
    assert not boxes["b"].has_attr("disabled") and not boxes["b"].has_attr("checked")
    options = call_action(
        "layananpublik_objection_options",
        context=as_user(None),
        request_tracking_token=created["tracking_token"],
    )
    hint = text(page.select_one("#field-grounds-a-hint"))
    with app.flask_app.test_request_context("/"):
        assert tk.h.layananpublik_date(options["grounds"]["a"]["deadline"]) in hint
    assert options["grounds"]["a"]["explanation"] in hint
    assert label(app, "objection_ground", "a") in text(page.select_one("label[for=field-grounds-a]"))
    assert _(app, "Only when the answer deadline has passed without a decision.") in text(
        page.select_one("#field-grounds-c-hint")
    )
    # The request summary is there; the page is private like the request's tracking page.
    assert created["registration_number"] in text(page)
    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert page.select_one("meta[name=robots]")["content"].startswith("noindex")


def test_every_input_of_the_form_has_a_label_and_a_honeypot(app, body, officer):
    page = soup(app.get(form_url(refused(body, officer))))
    form = page.select_one("form.lp-objection-form")
    for field in form.select("input:not([type=hidden]), textarea"):
        assert form.select_one(f"label[for='{field['id']}']"), field
    assert form.select_one(".lp-hp input[name=website]")
    assert form.select_one("input[name=_csrf_token]")
    assert not page.select("script:not([src])")


@pytest.mark.freeze_time("2026-11-02 03:00:00")  # Monday; the answer is due Mon 16 Nov
def test_form_offers_ground_c_once_the_deadline_passed_without_an_answer(app, body, freezer):
    created = submit(body["id"])
    page = soup(app.get(form_url(created)))
    assert page.select_one("#field-grounds-c").has_attr("disabled")
    freezer.move_to("2026-11-20 03:00:00")
    page = soup(app.get(form_url(created)))
    assert page.select_one("#field-grounds-c").has_attr("checked")
    assert not page.select_one("#field-grounds-c").has_attr("disabled")
    assert page.select_one("#field-grounds-a").has_attr("disabled")
    # The request's tracking page offers the objection too, with a link to this form.
    track = soup(app.get(f"/permohonan/lacak/{created['tracking_token']}"))
    assert track.select_one("#objection-link")["href"] == TRACKED_FORM


def test_tracking_page_of_a_refused_request_links_the_objection_form(app, body, officer):
    created = refused(body, officer)
    track = soup(app.get(f"/permohonan/lacak/{created['tracking_token']}"))
    assert track.select_one("#objection-offer #objection-link")["href"] == TRACKED_FORM


# The tracking page's offer to object follows layananpublik_objection_options: offered while
# a ground's 30-working-day window is open, with its last day; once closed, the day it ended.
OFFER_UNTIL = "You may object to the superior of the information officer (Atasan PPID) until {date}."
OFFER_ENDED = (
    "The period to object ended on {date} (30 working days after the ground arose on {arose}). "
    "An information officer can still record a late objection if there is a valid reason."
)


def options_of(created: dict) -> dict:
    return call_action(
        "layananpublik_objection_options",
        context=as_user(None),
        request_tracking_token=created["tracking_token"],
    )


def track_page(app, created: dict) -> BeautifulSoup:
    return soup(app.get(f"/permohonan/lacak/{created['tracking_token']}"))


def _day_after(iso: str) -> str:
    import datetime as dt

    return (dt.date.fromisoformat(iso) + dt.timedelta(days=1)).isoformat() + " 03:00:00"


@pytest.mark.freeze_time("2026-11-02 03:00:00")  # Monday, 10:00 WIB: refused the same day
def test_tracking_page_offers_the_objection_until_the_last_day_of_its_window(app, body, officer, freezer):
    created = refused(body, officer)
    window = options_of(created)["grounds"]["a"]
    assert window["arose"] == "2026-11-02" and window["open"]
    page = track_page(app, created)
    offer = page.select_one("#objection-offer")
    assert _(app, "Your request was not granted in full.") in text(offer)
    assert text(offer.select_one("#objection-deadline")) == _(
        app, OFFER_UNTIL, date=_page_date(app, window["deadline"])
    )
    assert window["explanation"] in text(offer.select_one(".lp-explanation"))
    assert offer.select_one("#objection-link")["href"] == TRACKED_FORM
    assert offer.select_one("#objection-closed") is None
    # Still offered on its last day.
    freezer.move_to(window["deadline"] + " 03:00:00")
    offer = track_page(app, created).select_one("#objection-offer")
    assert offer.select_one("#objection-link")["href"] == TRACKED_FORM


@pytest.mark.freeze_time("2026-11-02 03:00:00")
def test_tracking_page_says_when_the_period_to_object_ended_and_offers_no_form(app, body, officer, freezer):
    created = refused(body, officer)
    window = options_of(created)["grounds"]["a"]
    freezer.move_to(_day_after(window["deadline"]))
    assert options_of(created)["offered"] == []
    page = track_page(app, created)
    offer = page.select_one("#objection-offer")
    assert _(app, "Your request was not granted in full.") in text(offer)
    assert text(offer.select_one("#objection-closed")) == _(
        app, OFFER_ENDED, date=_page_date(app, window["deadline"]), arose=_page_date(app, window["arose"])
    )
    assert offer.select_one("#objection-deadline") is None
    assert page.select_one("#objection-link") is None
    assert not page.select(f"a[href='{TRACKED_FORM}']")


@pytest.mark.freeze_time("2026-11-02 03:00:00")  # Monday; the answer is due Mon 16 Nov
def test_tracking_page_offers_the_objection_once_the_request_is_overdue(app, body, freezer):
    created = submit(body["id"])
    # Not overdue yet: no offer, only the small link to the form (ground b is always open).
    page = track_page(app, created)
    assert page.select_one("section#objection-offer") is None
    assert page.select_one("p#objection-offer a")["href"] == TRACKED_FORM
    freezer.move_to("2026-11-20 03:00:00")
    window = options_of(created)["grounds"]["c"]
    assert window["arose"] == "2026-11-16"
    offer = track_page(app, created).select_one("section#objection-offer")
    assert _(app, "The deadline to answer your request has passed without a decision.") in text(offer)
    assert text(offer.select_one("#objection-deadline")) == _(
        app, OFFER_UNTIL, date=_page_date(app, window["deadline"])
    )
    assert offer.select_one("#objection-link")["href"] == TRACKED_FORM
    # Unanswered for longer than the window: the period has ended.
    freezer.move_to(_day_after(window["deadline"]))
    offer = track_page(app, created).select_one("section#objection-offer")
    assert text(offer.select_one("#objection-closed")) == _(
        app, OFFER_ENDED, date=_page_date(app, window["deadline"]), arose=_page_date(app, window["arose"])
    )
    assert offer.select_one("#objection-link") is None


@pytest.mark.freeze_time("2026-11-02 03:00:00")
def test_tracking_page_with_an_open_objection_offers_no_new_one(app, body, officer):
    created = refused(body, officer)
    objection = objection_on(created)
    assert options_of(created)["open_objection"] == objection["registration_number"]
    page = track_page(app, created)
    offer = page.select_one("#objection-offer")
    assert offer.select_one(f"[data-objection='{objection['registration_number']}']")
    assert offer.select_one("#objection-deadline") is None and offer.select_one("#objection-closed") is None
    assert page.select_one("#objection-link") is None


@pytest.mark.freeze_time("2026-11-02 03:00:00")
def test_my_request_page_says_until_when_to_object_without_the_tracking_link(app, body, officer, requester):
    created = submit(body["id"], user=requester)
    call_action(
        "layananpublik_request_decide", context={"user": officer["name"]}, id=created["id"],
        outcome="refused", refusal_grounds=["a"], decision_note="Menyangkut penyidikan", **CONSEQUENCE_TEST,
    )  # fmt: skip
    window = options_of(created)["grounds"]["a"]
    page = Browser(app, requester).page(f"/permohonan/saya/{created['id']}")
    offer = page.select_one("#objection-offer")
    assert text(offer.select_one("#objection-deadline")) == _(
        app, OFFER_UNTIL, date=_page_date(app, window["deadline"])
    )
    # the form is reached from "My requests" too, without the tracking link
    link = offer.select_one("#objection-link")["href"]
    assert link == f"/permohonan/saya/{created['id']}/keberatan"
    browser = Browser(app, requester)
    response = browser.post_form(link, "form.lp-objection-form", {"grounds": ["a"], "reason": REASON,
                                                                   "filer_name": "Siti Rahmawati"})  # fmt: skip
    assert response.status_code == 200 and response.request.path == "/keberatan/dilacak"
    (objection,) = call_action("layananpublik_request_show", id=created["id"])["objections"]
    assert objection["grounds"] == ["a"]


def test_another_account_cannot_open_someone_else_s_objection_form(app, body, officer, requester):
    created = submit(body["id"], user=requester)
    call_action(
        "layananpublik_request_decide", context={"user": officer["name"]}, id=created["id"],
        outcome="refused", refusal_grounds=["a"], decision_note="Menyangkut penyidikan", **CONSEQUENCE_TEST,
    )  # fmt: skip
    stranger = factories.User()
    Browser(app, stranger).get(f"/permohonan/saya/{created['id']}/keberatan", status=404)
    Browser(app, officer).get(
        f"/permohonan/saya/{created['id']}/keberatan", status=404
    )  # reads it, may not object
    assert app.get(f"/permohonan/saya/{created['id']}/keberatan", follow_redirects=False).status_code == 302


def test_valid_objection_leads_to_its_tracking_page(app, body, officer):
    created = refused(body, officer)
    response = post_objection(
        app,
        created,
        {"grounds": ["a", "b"], "reason": REASON, "filer_name": "Budi Santoso", "filer_is_proxy": "1",
         "power_of_attorney": (io.BytesIO(b"%PDF-1.4\n"), "kuasa.pdf")},
    )
    assert response.status_code == 200
    assert response.request.path == "/keberatan/dilacak"  # the token is in the tracking cookie
    token = token_of(response)
    objection = call_action("layananpublik_objection_show", context=as_user(None), tracking_token=token)
    assert objection["grounds"] == ["a", "b"] and objection["reason"] == REASON
    assert objection["filer_name"] == "Budi Santoso" and objection["filer_is_proxy"] is True
    page = soup(response)
    assert page.select_one("#objection-number").get_text(strip=True) == objection["registration_number"]


def test_objection_without_grounds_or_reason_is_refused_next_to_the_fields_keeping_input(app, body, officer):
    created = refused(body, officer)
    response = post_objection(app, created, {"filer_name": "Budi Santoso"})
    assert response.status_code == 400
    page = soup(response)
    assert page.select_one("#field-grounds-error") is not None
    assert _(app, "Missing value") in text(page.select_one("#field-reason-error"))
    assert page.select_one("#field-filer_name")["value"] == "Budi Santoso"
    assert page.select_one(".lp-error-summary a[href='#field-grounds']")
    assert call_action("layananpublik_objection_list", scope="public")["count"] == 0


def test_ground_that_does_not_apply_is_refused(app, body, officer):
    created = refused(body, officer)
    response = post_objection(app, created, {"grounds": ["c"], "reason": REASON})
    page = soup(response)
    assert _(app, "These grounds do not apply to this request now: {grounds}", grounds="c") in text(
        page.select_one("#field-grounds-error")
    )
    # What was typed stays.
    assert page.select_one("#field-reason").get_text() == REASON


def _page_date(app, iso: str) -> str:
    import datetime as dt

    from ckanext.layananpublik.cases.formatting import date

    with app.flask_app.test_request_context():
        return date(dt.date.fromisoformat(iso))


@pytest.mark.freeze_time("2026-11-02 03:00:00")
def test_late_objection_is_refused_with_the_translated_message(app, body, officer, freezer):
    created = refused(body, officer)
    window = call_action(
        "layananpublik_objection_options",
        context=as_user(None),
        request_tracking_token=created["tracking_token"],
    )["grounds"]["a"]
    freezer.move_to("2027-02-01 03:00:00")
    page = soup(app.get(form_url(created)))
    assert "lp-ground--closed" in page.select_one("[data-ground=a]")["class"]
    response = post_objection(app, created, {"grounds": ["a"], "reason": REASON})
    assert response.status_code == 400
    message = _(
        app,
        "The period to object ended on {date} (30 working days after the ground arose on {arose}). "
        "An information officer can still record a late objection if there is a valid reason.",
        date=_page_date(app, window["deadline"]), arose=_page_date(app, window["arose"]),
    )  # fmt: skip
    assert message in text(soup(response).select_one("#field-grounds-error"))
    assert not re.search(r"\d{4}-\d{2}-\d{2}", message)  # dates as the page writes them, not ISO
    assert call_action("layananpublik_objection_list", scope="public")["count"] == 0


def test_filled_honeypot_is_refused(app, body, officer):
    created = refused(body, officer)
    response = post_objection(app, created, {"grounds": ["a"], "reason": REASON, "website": "http://spam"})
    assert response.status_code == 400
    assert _(app, "The form could not be accepted. Please try again.") in text(soup(response))
    assert call_action("layananpublik_objection_list", scope="public")["count"] == 0


def test_form_says_an_objection_is_already_open_and_links_it(app, body, officer):
    created = refused(body, officer)
    objection = objection_on(created)
    page = soup(app.get(form_url(created)))
    assert page.select_one("form.lp-objection-form") is None
    notice = page.select_one(".lp-open-objection")
    assert objection["registration_number"] in text(notice)
    href = notice.select_one("a")["href"]
    assert (
        soup(app.get(href))
        .select_one("h1")
        .get_text(" ", strip=True)
        .endswith(objection["registration_number"])
    )
    # The request's tracking page lists it as waiting, and no longer offers a new one.
    track = soup(app.get(f"/permohonan/lacak/{created['tracking_token']}"))
    assert objection["registration_number"] in text(track.select_one("#objection-offer"))
    assert track.select_one("#objection-link") is None


def test_form_of_an_unknown_token_is_not_found(app, body):
    assert app.get("/permohonan/lacak/" + "x" * 32 + "/keberatan").status_code == 404


# --- the objection's tracking page -------------------------------------------------------------------


def test_tracking_page_shows_the_objection_its_deadline_and_history(app, body, officer):
    created = refused(body, officer)
    objection = objection_on(created, grounds=("a", "b"))
    response = app.get(f"/keberatan/lacak/{objection['tracking_token']}")
    assert response.status_code == 200
    page = soup(response)
    body_text = text(page)
    assert objection["registration_number"] in body_text and created["registration_number"] in body_text
    assert REASON in body_text
    assert (
        label(app, "objection_ground", "a") in body_text and label(app, "objection_ground", "b") in body_text
    )
    assert label(app, "objection_status", "received") in text(page.select_one("#objection-status"))
    assert objection["answer_deadline_explanation"] in body_text
    assert "30" in objection["answer_deadline_explanation"]
    assert len(page.select(".lp-history__step")) == 1
    assert page.select_one("#superior-answer") is None
    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert page.select_one("meta[name=robots]")["content"].startswith("noindex")


def test_tracking_page_after_the_answer_explains_the_dispute(app, body, officer, superior):
    objection = objection_on(refused(body, officer))
    call_action(
        "layananpublik_objection_decide", context={"user": superior["name"]}, id=objection["id"],
        decision="upheld", reasons="Pengecualian sudah diuji konsekuensi", superior_name_position="Sekretaris Daerah",
    )  # fmt: skip
    call_action(
        "layananpublik_objection_dispute_update", context={"user": officer["name"]}, id=objection["id"],
        stage="mediation", filed_date="2026-01-05",
    )  # fmt: skip
    shown = call_action(
        "layananpublik_objection_show", context=as_user(None), tracking_token=objection["tracking_token"]
    )
    page = soup(app.get(f"/keberatan/lacak/{objection['tracking_token']}"))
    answer = text(page.select_one("#superior-answer"))
    assert label(app, "objection_decision", "upheld") in answer
    assert "Pengecualian sudah diuji konsekuensi" in answer and "Sekretaris Daerah" in answer
    dispute = text(page.select_one(".lp-dispute-info"))
    assert "14" in dispute and "Komisi Informasi" in dispute
    assert shown["dispute_deadline_explanation"] in dispute
    assert label(app, "dispute_stage", "mediation") in text(page.select_one("#dispute-stage"))


def test_unknown_objection_token_is_not_found_and_not_cached(app, clean_db):
    response = app.get("/keberatan/lacak/" + "y" * 32)
    assert response.status_code == 404
    assert "no-store" in response.headers["Cache-Control"]


# --- the public register -------------------------------------------------------------------------------


def test_public_register_lists_objections_without_personal_data(app, body, officer):
    created = refused(body, officer)
    objection = call_action(
        "layananpublik_objection_create", context=as_user(None), request_tracking_token=created["tracking_token"],
        grounds=["a"], reason=REASON, filer_name="Budi Santoso",
    )  # fmt: skip
    response = app.get("/keberatan/")
    assert response.status_code == 200
    page = soup(response)
    register = text(page.select_one("table.lp-objection-register"))
    assert objection["registration_number"] in register and created["registration_number"] in register
    whole = text(page)
    for personal in ("Budi Santoso", "Siti Rahmawati", REASON, "siti@example.com", "Jl. Merdeka"):
        assert personal not in whole
    entry = soup(app.get(f"/keberatan/nomor/{objection['registration_number']}"))
    assert objection["registration_number"] in text(entry)
    for personal in ("Budi Santoso", "Siti Rahmawati", REASON):
        assert personal not in text(entry)


def test_public_register_shows_the_year_s_objection_figures_and_filters(
    app, body, other_body, officer, superior
):
    first = objection_on(refused(body, officer), grounds=("a", "b"))
    second = objection_on(refused(body, officer))
    call_action(
        "layananpublik_objection_decide", context={"user": superior["name"]}, id=first["id"],
        decision="overturned", reasons="Tidak diuji konsekuensi", instruction=INSTRUCTION,
        superior_name_position="Sekretaris Daerah",
    )  # fmt: skip
    page = soup(app.get("/keberatan/"))
    stats = page.select_one("#objection-stats")
    assert stats.select_one("[data-figure=received] td").get_text(strip=True) == "2"
    assert stats.select_one("[data-figure=overturned] td").get_text(strip=True) == "1"
    assert stats.select_one("[data-figure=pending] td").get_text(strip=True) == "1"
    assert stats.select_one("[data-ground=a] td").get_text(strip=True) == "2"
    assert stats.select_one("[data-ground=b] td").get_text(strip=True) == "1"

    decided = text(soup(app.get("/keberatan/?status=decided")).select_one("table.lp-objection-register"))
    assert first["registration_number"] in decided and second["registration_number"] not in decided
    other = soup(app.get(f"/keberatan/?organization_id={other_body['name']}"))
    assert other.select_one("table.lp-objection-register") is None
    assert other.select_one("#objection-stats [data-figure=received] td").get_text(strip=True) == "0"
    assert soup(app.get("/keberatan/?year=2001")).select_one("table.lp-objection-register") is None


def test_statistics_page_links_the_objection_figures(app, body):
    page = soup(app.get("/permohonan/statistik"))
    assert page.select_one("a[href*='/keberatan/'][href*='objection-stats']")


# --- the superior's and officers' side --------------------------------------------------------------------


def test_objection_inbox_needs_a_superior_or_officer(app, body, officer, superior):
    objection = objection_on(refused(body, officer))
    response = app.get("/ppid/keberatan", follow_redirects=False)
    assert response.status_code == 302 and "/user/login" in response.headers["Location"]
    Browser(app, factories.User()).get("/ppid/keberatan", status=403)
    for user in (officer, superior):
        page = Browser(app, user).page("/ppid/keberatan")
        row = page.select_one("table.lp-objection-inbox tbody tr")
        assert row.select_one("a")["href"] == f"/ppid/keberatan/{objection['id']}"


def test_officer_inbox_links_the_objection_and_complaint_inboxes(app, body, officer):
    page = Browser(app, officer).page("/ppid/kotak-masuk")
    assert page.select_one(".lp-other-inboxes a[href='/ppid/keberatan']")
    assert page.select_one(".lp-other-inboxes a[href='/ppid/pengaduan']")


@pytest.mark.freeze_time("2026-11-02 03:00:00")
def test_objection_inbox_highlights_overdue_objections(app, body, officer, superior, freezer):
    late = objection_on(refused(body, officer))
    freezer.move_to("2027-01-20 03:00:00")
    fresh = objection_on(submit_and_leave(body), grounds=("b",))
    browser = Browser(app, superior)
    rows = browser.page("/ppid/keberatan").select("table.lp-objection-inbox tbody tr")
    assert rows[0].select_one("a").get_text(strip=True) == late["registration_number"]
    assert "lp-overdue" in rows[0]["class"] and rows[0].select_one(".lp-days-overdue")
    assert "lp-overdue" not in rows[1].get("class", [])
    only = text(browser.page("/ppid/keberatan?overdue=1"))
    assert late["registration_number"] in only and fresh["registration_number"] not in only


def submit_and_leave(body: dict) -> dict:
    return submit(body["id"])


def test_only_the_superior_sees_the_answer_form(app, body, officer, superior):
    objection = objection_on(refused(body, officer))
    url = f"/ppid/keberatan/{objection['id']}"
    as_superior = Browser(app, superior).page(url)
    assert as_superior.select_one("#step-putuskan") is not None
    assert REASON in text(as_superior)
    as_officer = Browser(app, officer).page(url)
    assert as_officer.select_one("#step-putuskan") is None
    assert as_officer.select_one(".lp-awaiting-superior") is not None
    Browser(app, factories.User()).get(url, status=403)
    Browser(app, make_officer(factories.Organization()["id"], role="superior")).get(url, status=403)


def test_officer_posting_an_answer_is_refused_with_403(app, body, officer, superior):
    created = refused(body, officer)
    objection = objection_on(created)
    browser = Browser(app, officer)
    # A valid CSRF token of the officer's own session, from a form of the request page.
    token = browser.page(f"/ppid/permohonan/{created['id']}").select_one(
        "form.lp-step input[name=_csrf_token]"
    )
    response = browser.client.post(
        f"/ppid/keberatan/{objection['id']}/langkah/putuskan",
        data={"_csrf_token": token["value"], "decision": "overturned", "reasons": "x", "instruction": "y",
              "superior_name_position": "Petugas"},
        extra_environ=browser.environ,
    )  # fmt: skip
    assert response.status_code == 403
    assert call_action("layananpublik_objection_show", id=objection["id"])["status"] == "received"


def test_overturning_without_an_instruction_is_refused_keeping_input(app, body, officer, superior):
    objection = objection_on(refused(body, officer))
    url = f"/ppid/keberatan/{objection['id']}"
    response = Browser(app, superior).post_form(
        url, "#step-putuskan",
        {"decision": "overturned", "reasons": "Tidak diuji konsekuensi", "superior_name_position": "Sekda"},
    )  # fmt: skip
    assert response.status_code == 200
    page = BeautifulSoup(response.body, "html.parser")
    group = page.select_one("#field-putuskan-instruction").find_parent(class_="form-group")
    assert "error" in group["class"]
    assert _(app, "Tell the officer what to do now that the decision is overturned") in text(group)
    assert page.select_one("#field-putuskan-decision-overturned").has_attr("checked")
    assert page.select_one("#field-putuskan-reasons").get_text() == "Tidak diuji konsekuensi"


def test_overturn_reopens_the_request_with_the_instruction(app, body, officer, superior):
    created = refused(body, officer)
    objection = objection_on(created)
    response = Browser(app, superior).post_form(
        f"/ppid/keberatan/{objection['id']}", "#step-putuskan",
        {"decision": "overturned", "reasons": "Tidak diuji konsekuensi", "instruction": INSTRUCTION,
         "superior_name_position": "Sekretaris Daerah"},
    )  # fmt: skip
    page = BeautifulSoup(response.body, "html.parser")
    assert _(app, "The answer was recorded.") in text(page.select_one(".flash-messages"))
    assert page.select_one("#step-putuskan") is None and page.select_one("#step-sengketa") is not None
    assert INSTRUCTION in text(page.select_one("#superior-answer"))

    track = soup(app.get(f"/permohonan/lacak/{created['tracking_token']}"))
    assert label(app, "status", "in_process") in text(track.select_one("#request-status"))
    assert track.select_one("#reopened-instruction").get_text(strip=True) == INSTRUCTION
    # The objection's own page shows the answer and the instruction to the requester.
    mine = soup(app.get(f"/keberatan/lacak/{objection['tracking_token']}"))
    assert mine.select_one("#superior-instruction").get_text(strip=True) == INSTRUCTION
    assert label(app, "objection_decision", "overturned") in text(mine.select_one("#objection-status"))


def test_dispute_is_recorded_through_the_form_once_answered(app, body, officer, superior):
    objection = objection_on(refused(body, officer))
    url = f"/ppid/keberatan/{objection['id']}"
    assert Browser(app, officer).page(url).select_one("#step-sengketa") is None
    call_action(
        "layananpublik_objection_decide", context={"user": superior["name"]}, id=objection["id"],
        decision="upheld", reasons="Tetap dikecualikan", superior_name_position="Sekda",
    )  # fmt: skip
    browser = Browser(app, officer)
    bad = browser.post_form(url, "#step-sengketa", {"stage": "mediation", "filed_date": "kemarin"})
    group = (
        BeautifulSoup(bad.body, "html.parser")
        .select_one("#field-sengketa-filed-date")
        .find_parent(class_="form-group")
    )
    assert "error" in group["class"]
    browser.post_form(
        url, "#step-sengketa",
        {"stage": "adjudication", "filed_date": "2026-03-02", "requester_reply": "Tidak puas dengan jawaban"},
    )  # fmt: skip
    shown = call_action("layananpublik_objection_show", id=objection["id"])
    assert (
        shown["dispute_stage"] == "adjudication" and shown["requester_reply"] == "Tidak puas dengan jawaban"
    )
    assert label(app, "dispute_stage", "adjudication") in text(
        browser.page(url).select_one(".lp-request-status")
    )


def test_register_csv_has_the_legal_columns_bom_and_formula_guard(app, body, officer, superior):
    created = refused(body, officer)
    call_action(
        "layananpublik_objection_create", context=as_user(None), request_tracking_token=created["tracking_token"],
        grounds=["a"], reason="=HYPERLINK(\"http://evil\")", filer_name="Budi Santoso", filer_is_proxy=True,
        power_of_attorney=FileStorage(io.BytesIO(b"%PDF-1.4\n"), filename="kuasa.pdf"),
    )  # fmt: skip
    year = call_action("layananpublik_objection_list", scope="public")["results"][0]["received_date"][:4]
    response = Browser(app, superior).get(f"/ppid/keberatan.csv?organization_id={body['id']}&year={year}")
    assert response.status_code == 200
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:3] == [_(app, "No."), _(app, "Objection number"), _(app, "Date received")]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row[_(app, "Requester or proxy")] == "Budi Santoso"
    assert row[_(app, "Filed by a proxy")] == _(app, "Yes")
    assert row[_(app, "Request registration number")] == created["registration_number"]
    assert row[_(app, "Reasons of the objection")].startswith("'=")
    assert (
        Browser(app, factories.User()).get(f"/ppid/keberatan.csv?organization_id={body['id']}").status_code
        == 403
    )


def test_register_is_served_in_english_on_request(app, body, officer):
    objection = objection_on(refused(body, officer))
    page = soup(app.get("/en/keberatan/"))
    assert page.select_one("h1").get_text(strip=True) == "Register of objections (keberatan)"
    link = page.select_one("table.lp-objection-register th a")
    assert link["href"] == f"/en/keberatan/nomor/{objection['registration_number']}"


def test_the_tracking_page_says_each_objection_in_one_sentence(app, body, officer, superior):
    created = refused(body, officer)
    objection = objection_on(created)
    track = f"/permohonan/lacak/{created['tracking_token']}"
    item = soup(app.get(track)).select_one(f"[data-objection='{objection['registration_number']}']")
    with app.flask_app.test_request_context("/"):
        filed, due = (
            tk.h.layananpublik_date(objection["received_date"]),
            tk.h.layananpublik_date(objection["due_date"]),
        )
    assert text(item) == _(app, "Objection {number} (filed {filed}): waiting for the superior's answer, due by {due}.",
                           number=objection["registration_number"], filed=filed, due=due)  # fmt: skip
    answered = call_action(
        "layananpublik_objection_decide", context=as_user(superior), id=objection["id"], decision="upheld",
        reasons="Pengecualian sah", superior_name_position="Sekretaris Daerah",
    )  # fmt: skip
    item = soup(app.get(track)).select_one(f"[data-objection='{objection['registration_number']}']")
    with app.flask_app.test_request_context("/"):
        decided = tk.h.layananpublik_date(answered["decision_date"])
    assert text(item) == _(app, "Objection {number} (filed {filed}), answered on {decided}: {decision}.",
                           number=objection["registration_number"], filed=filed, decided=decided,
                           decision=label(app, "objection_decision", "upheld"))  # fmt: skip


# --- the objection without a request (ground b) ------------------------------------------------------


def test_anyone_objects_to_unpublished_periodic_information_from_the_register(app, body):
    browser = Browser(app, None)
    register = browser.page("/keberatan/")
    assert register.select_one("a[href='/keberatan/berkala']") is not None
    response = browser.post_form(
        "/keberatan/berkala", "form.lp-objection-form", {"filer_name": "Rina Kusuma"}
    )
    assert response.status_code == 400  # no body, reason or contact: refused, keeping the name
    page = soup(response)
    assert page.select_one("#field-organization_id-error") and page.select_one("#field-reason-error")
    assert page.select_one("#field-filer_name")["value"] == "Rina Kusuma"
    response = browser.post_form(
        f"/keberatan/berkala/{body['name']}",
        "form.lp-objection-form",
        {
            "filer_name": "Rina Kusuma",
            "phone": "081234567890",
            "reason": "Laporan keuangan 2025 belum diumumkan.",
        },
    )
    assert response.status_code == 200 and response.request.path == "/keberatan/dilacak"
    page = soup(response)
    number = page.select_one("#objection-number").get_text(strip=True)
    assert _(app, "None: periodic information not published (ground b)") in text(page)
    entry = browser.page("/keberatan/nomor/" + number)
    assert "Rina" not in text(entry) and "081234567890" not in text(entry)
