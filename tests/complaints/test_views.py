"""The complaint pages through the real app: the public form (with and without a body in the
address), the complainant's tracking page, the handlers' inbox with the year's figures, and
one complaint with its triage form. A confidential complainant is named only to the body's
complaint handlers (role `complaints`)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from ckan.plugins import toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.cases.factories import as_user, make_officer, shared_people_fixtures
from tests.pages import Browser, field_error, post_form, soup, token_of

# body, other_body, officer, other_officer, sysadmin, requester: built once per set of them
# (tests/cases/snapshots.py).
globals().update(shared_people_fixtures())

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_redis")

FORM = {
    "service": "Layanan informasi di loket",
    "description": "Petugas loket menolak menerima surat permohonan saya",
    "occurred_on": "2026-11-20",
    "remedy": "Mohon petugas diberi arahan dan surat saya diterima",
    "name": "Rahmat Hidayat",
    "email": "rahmat@example.com",
    "phone": "0813 1111 2222",
}


def _(app, msgid: str, **kwargs) -> str:
    with app.flask_app.test_request_context("/"):
        text = tk._(msgid)
    return text.format(**kwargs) if kwargs else text


def label(app, value: str) -> str:
    with app.flask_app.test_request_context("/"):
        return tk.h.layananpublik_label("complaint_status", value)


def text(page: BeautifulSoup) -> str:
    return " ".join(page.get_text(" ").split())


@pytest.fixture
def handler(body):
    return make_officer(body["id"], role="complaints")


def complain(body: dict, **overrides) -> dict:
    data = {**FORM, "organization_id": body["id"], **overrides}
    return call_action("layananpublik_complaint_create", context=as_user(None), **data)


# --- the form and the tracking page -------------------------------------------------------------------------


def test_form_of_a_body_has_every_field_labelled_and_a_honeypot(app, body):
    response = app.get(f"/pengaduan/{body['name']}")
    assert response.status_code == 200
    page = soup(response)
    form = page.select_one("form.lp-complaint-form")
    names = {el["name"] for el in form.select("input, textarea, select")}
    assert names >= {*FORM, "confidential", "website", "_csrf_token"}
    assert "organization_id" not in names
    for field in form.select("input:not([type=hidden]), textarea, select"):
        assert form.select_one(f"label[for='{field['id']}']"), field
    assert body["title"] in text(page)
    hint = text(form.select_one("#field-confidential-hint"))
    assert hint == _(
        app,
        "Your name, email and phone number will then be seen only by the complaint handlers of the body, "
        "not by its other staff. Your complaint itself is never published.",
    )
    assert not page.select("script:not([src])")


def test_site_wide_form_offers_every_body_and_asks_for_one(client, body, other_body):
    page = soup(client.get("/pengaduan/"))
    assert {o["value"] for o in page.select("select[name=organization_id] option")} == {
        "",
        "diskominfo",
        "dinkes",
    }
    response = post_form(client, "/pengaduan/", FORM)
    assert response.status_code == 400
    assert soup(response).select_one("#field-organization_id-error") is not None
    assert soup(response).select_one("#field-name")["value"] == FORM["name"]


def test_valid_complaint_leads_to_its_private_tracking_page(client, app, body):
    response = post_form(
        client, "/pengaduan/", {**FORM, "organization_id": body["name"], "confidential": "1"}
    )
    assert response.status_code == 200
    assert response.request.path == "/pengaduan/dilacak"  # the token is in the tracking cookie
    token = token_of(response)
    complaint = call_action("layananpublik_complaint_show", context=as_user(None), tracking_token=token)
    assert complaint["confidential"] is True and complaint["organization"]["id"] == body["id"]
    page = soup(response)
    assert page.select_one("#complaint-number").get_text(strip=True) == complaint["registration_number"]
    assert label(app, "received") in text(page.select_one("#complaint-status"))
    assert FORM["description"] in text(page)
    assert len(page.select(".lp-history__step")) == 1
    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert page.select_one("meta[name=robots]")["content"].startswith("noindex")


def test_invalid_complaint_shows_errors_next_to_fields_and_keeps_input(client, app, body):
    data = {**FORM, "email": "bukan-surel", "remedy": ""}
    response = post_form(client, f"/pengaduan/{body['name']}", data)
    assert response.status_code == 400
    page = soup(response)
    assert page.select_one("#field-email-error") is not None
    assert _(app, "Missing value") in text(page.select_one("#field-remedy-error"))
    assert page.select_one("#field-email")["value"] == "bukan-surel"
    assert page.select_one("#field-description").get_text() == FORM["description"]
    assert page.select_one(".lp-error-summary a[href='#field-email']")


def test_complaint_without_phone_or_email_is_refused(client, app, body):
    response = post_form(client, f"/pengaduan/{body['name']}", {**FORM, "email": "", "phone": ""})
    assert _(app, "Give a phone number or an email address (or both)") in text(
        soup(response).select_one("#field-email-error")
    )


def test_filled_honeypot_is_refused(client, app, body, sysadmin):
    response = post_form(client, f"/pengaduan/{body['name']}", {**FORM, "website": "http://spam"})
    assert response.status_code == 400
    assert _(app, "The form could not be accepted. Please try again.") in text(soup(response))
    assert call_action("layananpublik_complaint_list", context={"user": sysadmin["name"]})["count"] == 0


def test_unknown_body_or_token_is_not_found(app, body):
    assert app.get("/pengaduan/tidak-ada").status_code == 404
    response = app.get("/pengaduan/lacak/" + "z" * 32)
    assert response.status_code == 404
    assert "no-store" in response.headers["Cache-Control"]


def test_tracking_page_shows_the_response_once_resolved(app, body, handler):
    created = complain(body)
    call_action(
        "layananpublik_complaint_update", context={"user": handler["name"]}, id=created["id"],
        status="resolved", response="Petugas loket sudah dibina; surat Anda kami terima",
    )  # fmt: skip
    page = soup(app.get(f"/pengaduan/lacak/{created['tracking_token']}"))
    assert label(app, "resolved") in text(page.select_one("#complaint-status"))
    assert (
        page.select_one("#complaint-response").get_text(strip=True)
        == "Petugas loket sudah dibina; surat Anda kami terima"
    )
    assert len(page.select(".lp-history__step")) == 2


@pytest.mark.freeze_time("2026-11-02 03:00:00")
def test_an_unanswered_complaint_points_the_complainant_to_lapor_and_the_ombudsman(app, body, freezer):
    created = complain(body)
    page = soup(app.get(f"/pengaduan/lacak/{created['tracking_token']}"))
    assert "Pasal 50 ayat (1) UU 25/2009" in text(page.select_one("#complaint-due"))
    assert page.select_one("#complaint-next-steps") is None
    freezer.move_to("2026-11-17 03:00:00")  # 15 days later, no answer
    steps = text(soup(app.get(f"/pengaduan/lacak/{created['tracking_token']}")).select_one("#complaint-next-steps"))
    assert "lapor.go.id" in steps and "ombudsman.go.id" in steps and created["registration_number"] in steps


# --- the handlers' side ----------------------------------------------------------------------------------------


def test_inbox_needs_an_officer_or_complaint_handler(app, body, officer, handler):
    created = complain(body)
    response = app.get("/ppid/pengaduan", follow_redirects=False)
    assert response.status_code == 302 and "/user/login" in response.headers["Location"]
    Browser(app, factories.User()).get("/ppid/pengaduan", status=403)
    Browser(app, make_officer(body["id"], role="superior")).get("/ppid/pengaduan", status=403)
    for user in (officer, handler):
        row = Browser(app, user).page("/ppid/pengaduan").select_one("table.lp-complaint-inbox tbody tr")
        assert row.select_one("a")["href"] == f"/ppid/pengaduan/{created['id']}"


def test_inbox_shows_an_unknown_status_next_to_its_field_and_keeps_the_other_filters(app, body, handler):
    complain(body)
    page = Browser(app, handler).page(f"/ppid/pengaduan?status=ditutup&organization_id={body['id']}")
    assert field_error(page, "content", "field-filter-status") == _(app, "Choose one of the options")
    assert page.select_one("#field-filter-body option[selected]")["value"] == body["id"]
    assert page.select_one("table.lp-complaint-inbox") is None
    (item,) = page.select(".lp-error-summary li")
    assert item.select_one("a")["href"] == "#field-filter-status"
    assert text(item) == f"{_(app, 'Status')}: {_(app, 'Choose one of the options')}"


def test_inbox_shows_an_unknown_body_next_to_its_field(app, body, handler):
    page = Browser(app, handler).page("/ppid/pengaduan?organization_id=badan-tak-ada")
    assert field_error(page, "content", "field-filter-body") == _(app, "That group name or ID does not exist.")
    assert [a["href"] for a in page.select(".lp-error-summary li a")] == ["#field-filter-body"]


def test_inbox_shows_a_malformed_year_next_to_its_field_and_keeps_it(app, body, handler):
    complain(body)
    page = Browser(app, handler).page("/ppid/pengaduan?year=20x6")
    message = _(app, "Enter a year as four digits, such as 2026")
    assert field_error(page, "content", "field-filter-year") == message
    assert page.select_one("#field-filter-year option[selected]")["value"] == "20x6"
    assert page.select_one("#complaint-stats") is None
    # The list does not depend on the year of the statistics: the complaint is still listed.
    assert page.select_one("table.lp-complaint-inbox tbody tr") is not None


def test_confidential_identity_is_hidden_from_an_officer_but_shown_to_a_handler(app, body, officer, handler):
    created = complain(body, confidential=True)
    as_officer = Browser(app, officer)
    inbox = as_officer.page("/ppid/pengaduan")
    cell = text(inbox.select_one(".lp-complainant"))
    assert cell == _(app, "Confidential")
    page = as_officer.page(f"/ppid/pengaduan/{created['id']}")
    for secret in ("Rahmat Hidayat", "rahmat@example.com", "081311112222"):
        assert secret not in text(page)
    assert FORM["description"] in text(page)  # the complaint itself, without who sent it

    as_handler = Browser(app, handler)
    assert "Rahmat Hidayat" in text(as_handler.page("/ppid/pengaduan").select_one(".lp-complainant"))
    page = text(as_handler.page(f"/ppid/pengaduan/{created['id']}"))
    assert "Rahmat Hidayat" in page and "rahmat@example.com" in page


def test_an_open_identity_is_shown_to_the_officer(app, body, officer):
    created = complain(body)
    page = text(Browser(app, officer).page(f"/ppid/pengaduan/{created['id']}"))
    assert "Rahmat Hidayat" in page and "rahmat@example.com" in page


def test_staff_of_another_body_cannot_open_the_complaint(app, body, other_body):
    created = complain(body)
    Browser(app, make_officer(other_body["id"], role="complaints")).get(
        f"/ppid/pengaduan/{created['id']}", status=403
    )


def test_triage_through_the_form(app, body, handler):
    created = complain(body)
    url = f"/ppid/pengaduan/{created['id']}"
    browser = Browser(app, handler)
    response = browser.post_form(url, "#complaint-triage", {"status": "in_follow_up", "response": ""})
    page = BeautifulSoup(response.body, "html.parser")
    assert _(app, "The complaint was updated.") in text(page.select_one(".flash-messages"))
    assert label(app, "in_follow_up") in text(page.select_one(".lp-request-status"))
    browser.post_form(url, "#complaint-triage", {"status": "resolved", "response": "Sudah ditindaklanjuti"})
    shown = call_action("layananpublik_complaint_show", context={"user": handler["name"]}, id=created["id"])
    assert shown["status"] == "resolved" and shown["response"] == "Sudah ditindaklanjuti"


def test_resolving_without_a_response_is_refused_next_to_the_field(app, body, handler):
    created = complain(body)
    response = Browser(app, handler).post_form(
        f"/ppid/pengaduan/{created['id']}", "#complaint-triage", {"status": "resolved"}
    )
    assert response.status_code == 200
    page = BeautifulSoup(response.body, "html.parser")
    group = page.select_one("#field-triage-response").find_parent(class_="form-group")
    assert "error" in group["class"]
    assert _(app, "Tell the complainant how it was resolved, or why it is rejected") in text(group)
    assert page.select_one("#field-triage-status option[selected]")["value"] == "resolved"
    shown = call_action("layananpublik_complaint_show", context={"user": handler["name"]}, id=created["id"])
    assert shown["status"] == "received"


def test_a_closed_complaint_cannot_jump_back_to_received(app, body, handler):
    created = complain(body)
    call_action(
        "layananpublik_complaint_update", context={"user": handler["name"]}, id=created["id"],
        status="rejected", response="Bukan wewenang kami",
    )  # fmt: skip
    response = Browser(app, handler).post_form(
        f"/ppid/pengaduan/{created['id']}", "#complaint-triage", {"status": "received"}
    )
    page = BeautifulSoup(response.body, "html.parser")
    errors = text(page.select_one(".lp-step-errors"))
    old, new = label(app, "rejected").lower(), label(app, "received").lower()
    assert _(app, "A complaint cannot go from {old} to {new}", old=old, new=new) in errors


def test_inbox_shows_the_year_s_complaint_figures(app, body, other_body, handler, sysadmin):
    first = complain(body)
    complain(body)
    complain(other_body)
    call_action(
        "layananpublik_complaint_update", context={"user": handler["name"]}, id=first["id"],
        status="resolved", response="Selesai",
    )  # fmt: skip
    stats = (
        Browser(app, handler)
        .page(f"/ppid/pengaduan?organization_id={body['id']}")
        .select_one("#complaint-stats")
    )
    assert stats.select_one("[data-figure=total] td").get_text(strip=True) == "2"
    assert stats.select_one("[data-figure=resolved] td").get_text(strip=True) == "1"
    assert stats.select_one("[data-figure=received] td").get_text(strip=True) == "1"
    everything = Browser(app, sysadmin).page("/ppid/pengaduan").select_one("#complaint-stats")
    assert everything.select_one("[data-figure=total] td").get_text(strip=True) == "3"


def test_inbox_filters_by_status(app, body, handler):
    first = complain(body)
    second = complain(body)
    call_action(
        "layananpublik_complaint_update",
        context={"user": handler["name"]},
        id=first["id"],
        status="in_follow_up",
    )
    page = text(Browser(app, handler).page("/ppid/pengaduan?status=in_follow_up").select_one("table"))
    assert first["registration_number"] in page and second["registration_number"] not in page
