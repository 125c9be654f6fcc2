"""The officers' pages (/ppid/...) through the real app: inbox, the request and its workflow
forms, the decision notice, the register export, the working-day calendar and PPID roles.

Forms are posted the way a browser does: the page is fetched, its CSRF token read from the
form and sent back with the same session cookie."""

from __future__ import annotations

import csv
import datetime as dt
import html
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
    GRANT_NOTICE,
    make_officer,
    shared_people_fixtures,
    submit,
)
from tests.pages import Browser
from tests.pages import field_error as _field_error
from tests.pages import page_text as _text
from tests.pages import translated as _

# body, other_body, officer, other_officer, sysadmin, requester: built once per set of them
# (tests/cases/snapshots.py).
globals().update(shared_people_fixtures())

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_redis")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Test//Libur//ID
BEGIN:VEVENT
DTSTART;VALUE=DATE:{start}
DTEND;VALUE=DATE:{end}
SUMMARY:Cuti bersama uji
END:VEVENT
END:VCALENDAR
"""


def _request_url(req: dict) -> str:
    return f"/ppid/permohonan/{req['id']}"


@pytest.fixture
def with_request_context():
    """No request context around these tests: the test client's requests would share its
    app context, and with it Flask-Login's cached user (`g._login_user`)."""
    yield


@pytest.fixture
def new_request(body, officer):
    """A request received by the body (registered by its officer, so no rate limit applies)."""

    def make(**overrides) -> dict:
        return submit(body["id"], user=officer, **overrides)

    return make


# --- inbox ------------------------------------------------------------------------------


def test_inbox_sends_anonymous_visitors_to_the_login_page(app, body):
    response = app.get("/ppid/kotak-masuk", follow_redirects=False)
    assert response.status_code == 302
    assert "/user/login" in response.headers["Location"]
    assert "kotak-masuk" in response.headers["Location"]


def test_inbox_refuses_a_signed_in_user_who_is_not_an_officer(app, body):
    stranger = factories.User()
    response = Browser(app, stranger).get("/ppid/kotak-masuk", status=403)
    message = _(
        app,
        "Only information officers (PPID) have an inbox. Ask an administrator of your "
        "public body to give you the officer role.",
    )
    assert (
        message != "Only information officers (PPID) have an inbox. Ask an administrator of your "
        "public body to give you the officer role."
    )  # translated: the page speaks Indonesian
    assert html.escape(message, quote=False) in response.body or message in response.body


def test_inbox_lists_only_the_officer_s_own_body(app, body, other_body, officer, other_officer, sysadmin):
    mine = submit(body["id"], user=officer)
    theirs = submit(other_body["id"], user=other_officer)

    page = _text(Browser(app, officer).page("/ppid/kotak-masuk"))
    assert mine["registration_number"] in page and "Dinas Komunikasi dan Informatika" in page
    assert theirs["registration_number"] not in page

    page = _text(Browser(app, other_officer).page("/ppid/kotak-masuk"))
    assert theirs["registration_number"] in page and mine["registration_number"] not in page

    page = _text(Browser(app, sysadmin).page("/ppid/kotak-masuk"))
    assert mine["registration_number"] in page and theirs["registration_number"] in page


def test_inbox_row_shows_number_body_dates_subject_status_and_days_left(app, new_request, officer):
    req = new_request(information_requested="Data jumlah sekolah dasar per kecamatan")
    soup = Browser(app, officer).page("/ppid/kotak-masuk")
    row = soup.select_one("table.lp-inbox tbody tr")
    cells = [td.get_text(" ", strip=True) for td in row.select("td")]
    assert cells[0] == req["registration_number"]
    assert cells[1] == "Dinas Komunikasi dan Informatika"
    assert cells[3] == "Data jumlah sekolah dasar per kecamatan"
    assert _(app, "Received") in cells[4]
    assert "10" in cells[5] and "lp-overdue" not in row.get("class", [])
    assert row.select_one("a")["href"] == _request_url(req)


def test_inbox_searches_by_registration_number_and_subject(app, new_request, officer):
    roads = new_request(information_requested="Anggaran perbaikan jalan")
    schools = new_request(information_requested="Daftar sekolah negeri")
    browser = Browser(app, officer)
    page = _text(browser.page("/ppid/kotak-masuk?q=sekolah"))
    assert schools["registration_number"] in page and roads["registration_number"] not in page
    page = _text(browser.page("/ppid/kotak-masuk?q=" + roads["registration_number"]))
    assert roads["registration_number"] in page and schools["registration_number"] not in page


def test_inbox_filters_by_status_body_and_due_date(app, body, other_body, sysadmin):
    first = submit(body["id"], user=sysadmin)
    second = submit(other_body["id"], user=sysadmin)
    call_action("layananpublik_request_process", context={"user": sysadmin["name"]}, id=first["id"])
    browser = Browser(app, sysadmin)

    page = _text(browser.page("/ppid/kotak-masuk?status=in_process"))
    assert first["registration_number"] in page and second["registration_number"] not in page
    page = _text(browser.page(f"/ppid/kotak-masuk?organization_id={other_body['id']}"))
    assert second["registration_number"] in page and first["registration_number"] not in page
    page = _text(browser.page("/ppid/kotak-masuk?due_before=2000-01-01"))
    assert first["registration_number"] not in page and second["registration_number"] not in page
    page = _text(browser.page(f"/ppid/kotak-masuk?due_before={first['due_date']}"))
    assert first["registration_number"] in page


def test_inbox_shows_a_wrong_filter_date_next_to_the_field(app, body, officer):
    soup = Browser(app, officer).page("/ppid/kotak-masuk?due_before=kemarin")
    assert _field_error(soup, "content", "field-filter-due-before") == _(app, "Enter a date as YYYY-MM-DD")
    assert soup.select_one("#field-filter-due-before")["value"] == "kemarin"
    # and in the summary at the top: the field's label, linking to it; no raw key or list
    (item,) = soup.select(".lp-error-summary li")
    link = item.select_one("a")
    assert link["href"] == "#field-filter-due-before"
    assert (
        link.get_text(" ", strip=True)
        == f"{_(app, 'Due on or before')}: {_(app, 'Enter a date as YYYY-MM-DD')}"
    )
    assert "due_before" not in item.get_text() and "[" not in item.get_text()


def test_inbox_highlights_overdue_requests_and_filters_them(app, body, officer, freezer):
    freezer.move_to("2026-10-01 03:00:00")
    late = submit(body["id"], user=officer)
    freezer.move_to("2026-11-20 03:00:00")
    fresh = submit(body["id"], user=officer)
    browser = Browser(app, officer)

    soup = browser.page("/ppid/kotak-masuk")
    rows = soup.select("table.lp-inbox tbody tr")
    # Sorted by due date: the overdue one first, highlighted, with how late it is.
    assert rows[0].select_one("a").get_text(strip=True) == late["registration_number"]
    assert "lp-overdue" in rows[0]["class"]
    assert rows[0].select_one(".lp-days-overdue") is not None
    assert "lp-overdue" not in rows[1].get("class", [])
    assert re.search(r"\b10\b", rows[1].select_one(".lp-days-left").get_text(strip=True))

    page = _text(browser.page("/ppid/kotak-masuk?overdue=1"))
    assert late["registration_number"] in page and fresh["registration_number"] not in page


def test_inbox_pages_through_many_requests(app, new_request, officer):
    numbers = [new_request()["registration_number"] for _ in range(22)]
    browser = Browser(app, officer)
    first = browser.page("/ppid/kotak-masuk?sort=oldest")
    assert len(first.select("table.lp-inbox tbody tr")) == 20
    second = browser.page("/ppid/kotak-masuk?sort=oldest&page=2")
    assert [a.get_text(strip=True) for a in second.select("table.lp-inbox tbody tr td:first-child a")] == (
        numbers[20:]
    )
    assert first.select_one(".pagination a[href*='page=2']") is not None


def test_spam_is_hidden_from_the_inbox_unless_asked_for(app, new_request, officer):
    req = new_request()
    call_action(
        "layananpublik_request_mark_spam", context={"user": officer["name"]}, id=req["id"], reason="iklan"
    )
    browser = Browser(app, officer)
    assert req["registration_number"] not in _text(browser.page("/ppid/kotak-masuk"))
    assert req["registration_number"] in _text(browser.page("/ppid/kotak-masuk?include_spam=1"))


def test_inbox_is_served_in_english_on_request(app, new_request, officer):
    req = new_request()
    soup = Browser(app, officer).page("/en/ppid/kotak-masuk")
    assert soup.select_one("h1").get_text(strip=True) == "PPID inbox"
    assert soup.select_one("table.lp-inbox a")["href"] == "/en" + _request_url(req)


def test_dashboard_links_officers_to_their_inbox(app, body, officer):
    soup = Browser(app, officer).page("/dashboard/datasets")
    assert soup.select_one("a[href='/ppid/kotak-masuk']") is not None
    soup = Browser(app, factories.User()).page("/dashboard/datasets")
    assert soup.select_one("a[href='/ppid/kotak-masuk']") is None


# --- one request --------------------------------------------------------------------------


def test_request_page_shows_personal_data_deadline_and_history(app, body, officer):
    identity = FileStorage(io.BytesIO(PDF), filename="ktp.pdf")
    req = submit(body["id"], user=officer, identity_document=identity)
    soup = Browser(app, officer).page(_request_url(req))
    page = _text(soup)
    for value in ("Siti Rahmawati", "3171015507900003", "Jl. Merdeka No. 10, Kota Contoh", "081234567890",
                  "siti@example.com", "Wiraswasta", "Rincian realisasi anggaran perbaikan jalan tahun 2025"):  # fmt: skip
        assert value in page
    assert soup.select_one(".lp-deadline-explanation").get_text(strip=True) == req["deadline_explanation"]
    history = soup.select("table.lp-history tbody tr")
    assert len(history) == 1 and _(app, "Request submitted") in history[0].get_text()
    link = soup.select_one(".lp-personal a.lp-file-link")
    assert link.get_text(strip=True) == "ktp.pdf"
    # Forms for the steps the workflow allows now, and the officer's other tools.
    assert [f["id"] for f in soup.select("form.lp-step")] == [
        "step-proses", "step-perpanjang", "step-putuskan", "step-lampirkan", "step-spam", "step-ringkasan",
    ]  # fmt: skip


def test_identity_document_is_served_privately_to_the_body_s_officer_only(app, body, officer, other_officer):
    req = submit(body["id"], user=officer, identity_document=FileStorage(io.BytesIO(PDF), filename="ktp.pdf"))
    browser = Browser(app, officer)
    href = browser.page(_request_url(req)).select_one("a.lp-file-link")["href"]
    response = browser.get(href)
    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "ktp.pdf" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"] and "private" in response.headers["Cache-Control"]
    assert "public" not in response.headers["Cache-Control"]

    assert Browser(app, other_officer).get(href).status_code == 403
    assert Browser(app, officer).get(href.rsplit("/", 1)[0] + "/tidak-ada").status_code == 404


def test_officer_of_another_body_cannot_open_or_act_on_the_request(
    app, new_request, other_body, other_officer
):
    req = new_request()
    browser = Browser(app, other_officer)
    assert browser.get(_request_url(req)).status_code == 403
    # A valid token of their own session, taken from a request of their own body.
    own = submit(other_body["id"], user=other_officer)
    token = browser.page(_request_url(own)).select_one("#step-proses input[name=_csrf_token]")["value"]
    response = browser.client.post(
        f"{_request_url(req)}/langkah/proses", data={"_csrf_token": token}, extra_environ=browser.environ
    )
    assert response.status_code == 403
    assert call_action("layananpublik_request_show", id=req["id"])["status"] == "received"


def test_unknown_request_is_404(app, body, officer):
    assert Browser(app, officer).get("/ppid/permohonan/tidak-ada").status_code == 404


def test_process_step_through_the_form(app, new_request, officer):
    req = new_request()
    browser = Browser(app, officer)
    response = browser.post_form(_request_url(req), "#step-proses", {"note": "Diteruskan ke bidang anggaran"})
    assert response.status_code == 200
    soup = BeautifulSoup(response.body, "html.parser")
    assert _(app, "The request is now in process.") in _text(soup.select_one(".flash-messages"))
    assert soup.select_one(".lp-badge-status").get_text(strip=True) == _(app, "In process")
    last = soup.select("table.lp-history tbody tr")[-1]
    assert (
        _(app, "Taken into process") in last.get_text() and "Diteruskan ke bidang anggaran" in last.get_text()
    )
    assert soup.select_one("#step-proses") is None  # a step taken is not offered again


def test_extend_step_through_the_form(app, new_request, officer):
    req = new_request()
    response = Browser(app, officer).post_form(
        _request_url(req), "#step-perpanjang", {"days": "3", "reason": "Data tersebar di tiga bidang"}
    )
    shown = call_action("layananpublik_request_show", context={"user": officer["name"]}, id=req["id"])
    assert shown["status"] == "extended" and shown["extension_days"] == 3
    soup = BeautifulSoup(response.body, "html.parser")
    flash = _text(soup.select_one(".flash-messages"))
    with app.flask_app.test_request_context():
        assert (
            _(app, "The deadline was extended to {due}.", due=tk.h.layananpublik_date(shown["due_date"]))
            in flash
        )
    assert "Data tersebar di tiga bidang" in _text(soup.select_one(".lp-deadline"))
    assert soup.select_one(".lp-deadline-explanation").get_text(strip=True) == shown["deadline_explanation"]
    assert soup.select_one("#step-perpanjang") is None


def test_extension_of_nine_days_is_refused_next_to_the_field_keeping_the_input(app, new_request, officer):
    req = new_request()
    response = Browser(app, officer).post_form(
        _request_url(req), "#step-perpanjang", {"days": "9", "reason": "Butuh waktu lebih lama"}
    )
    assert response.status_code == 200
    soup = BeautifulSoup(response.body, "html.parser")
    message = _(app, "An extension is 1 to 7 working days")
    assert _field_error(soup, "step-perpanjang", "field-perpanjang-days") == message
    assert soup.select_one("#field-perpanjang-days")["value"] == "9"
    assert soup.select_one("#field-perpanjang-reason").get_text() == "Butuh waktu lebih lama"
    assert message in _text(soup.select_one(".lp-step-errors"))
    assert call_action("layananpublik_request_show", id=req["id"])["status"] == "received"


def test_extension_without_reason_is_refused(app, new_request, officer):
    req = new_request()
    soup = BeautifulSoup(
        Browser(app, officer).post_form(_request_url(req), "#step-perpanjang", {"days": "2"}).body,
        "html.parser",
    )
    assert _field_error(soup, "step-perpanjang", "field-perpanjang-reason") == _(app, "Missing value")
    assert soup.select_one("#field-perpanjang-days")["value"] == "2"


def test_refusal_without_a_ground_is_refused_keeping_every_typed_value(app, new_request, officer):
    req = new_request()
    typed = {"outcome": "refused", "decision_note": "Menyangkut penyidikan yang sedang berjalan",
             "release_delivery": "post", "fee_note": "-"}  # fmt: skip
    response = Browser(app, officer).post_form(_request_url(req), "#step-putuskan", typed)
    soup = BeautifulSoup(response.body, "html.parser")
    grounds = soup.select_one("#step-putuskan fieldset:has(#field-putuskan-ground-a)")
    assert "error" in grounds["class"]
    assert grounds.select_one(".error-block").get_text(strip=True) == _(
        app, "A refusal or partial grant must give its ground under Pasal 17"
    )
    assert soup.select_one("#field-putuskan-outcome-refused").has_attr("checked")
    assert soup.select_one("#field-putuskan-decision-note").get_text() == typed["decision_note"]
    assert soup.select_one("#field-putuskan-release-delivery option[selected]")["value"] == "post"
    assert soup.select_one("#field-putuskan-fee-note")["value"] == "-"
    assert call_action("layananpublik_request_show", id=req["id"])["status"] == "received"


def test_refusal_with_grounds_through_the_form(app, new_request, officer):
    req = new_request()
    browser = Browser(app, officer)
    soup = browser.page(_request_url(req))
    labels = [
        lbl.get_text(strip=True) for lbl in soup.select("#step-putuskan label[for^=field-putuskan-ground-]")
    ]
    assert len(labels) == 10 and labels[0] == _(app, "Pasal 17 a: would obstruct law enforcement")
    browser.post_form(
        _request_url(req), "#step-putuskan", {"outcome": "refused", "refusal_grounds": ["a", "h"], **CONSEQUENCE_TEST}
    )
    shown = call_action("layananpublik_request_show", context={"user": officer["name"]}, id=req["id"])
    assert shown["outcome"] == "refused" and shown["refusal_grounds"] == ["a", "h"]


def test_decide_granted_in_part_through_the_form(app, new_request, officer):
    req = new_request()
    browser = Browser(app, officer)
    response = browser.post_form(
        _request_url(req),
        "#step-putuskan",
        {
            "outcome": "granted_part", "refusal_grounds": ["h"],
            "information_given": "Rekap realisasi anggaran per ruas jalan",
            "redactions": "Nomor rekening kontraktor dihitamkan (Pasal 17 h)",
            **GRANT_NOTICE, **CONSEQUENCE_TEST,
            "decision_note": "Salinan dikirim lewat surel", "handed_over_date": req["received_date"],
        },
    )  # fmt: skip
    soup = BeautifulSoup(response.body, "html.parser")
    assert _(app, "The decision was issued: {outcome}.", outcome=_(app, "Granted in part")) in _text(
        soup.select_one(".flash-messages")
    )
    shown = call_action("layananpublik_request_show", context={"user": officer["name"]}, id=req["id"])
    assert shown["status"] == "decided" and shown["outcome"] == "granted_part"
    assert shown["redactions"] == "Nomor rekening kontraktor dihitamkan (Pasal 17 h)"
    assert shown["handed_over_date"] == req["received_date"]
    assert shown["consequence_test"] == CONSEQUENCE_TEST["consequence_test"]
    assert soup.select_one("#step-putuskan") is None
    assert soup.select_one(f"a[href='{_request_url(req)}/pemberitahuan']") is not None
    assert _(app, "Decision issued") in soup.select("table.lp-history tbody tr")[-1].get_text()


def test_deciding_twice_shows_why_it_is_not_possible(app, new_request, officer):
    req = new_request()
    browser = Browser(app, officer)
    page = browser.page(_request_url(req))
    token = page.select_one("#step-putuskan input[name=_csrf_token]")["value"]
    url = page.select_one("#step-putuskan")["action"]
    decision = {"outcome": "not_documented", "_csrf_token": token}
    assert browser.client.post(url, data=decision, extra_environ=browser.environ).status_code == 200
    # The same form posted again (a second tab, a double click).
    response = browser.client.post(url, data=decision, extra_environ=browser.environ)
    soup = BeautifulSoup(response.body, "html.parser")
    expected = _(
        app, "This step is not possible now: the request is {status}", status=_(app, "Decided").lower()
    )
    assert expected in _text(soup.select_one(".lp-step-errors"))
    history = [row.get_text() for row in soup.select("table.lp-history tbody tr")]
    assert sum(_(app, "Decision issued") in row for row in history) == 1


def test_not_held_names_the_body_that_holds_it_only_if_known(app, new_request, officer):
    """Pasal 22(7) b: the notice names the body that holds the information if it is known."""
    req = new_request()
    soup = BeautifulSoup(
        Browser(app, officer).post_form(_request_url(req), "#step-putuskan", {"outcome": "not_held"}).body,
        "html.parser",
    )
    assert soup.select_one("#field-putuskan-referral-body-error") is None
    shown = call_action("layananpublik_request_show", context={"user": officer["name"]}, id=req["id"])
    assert (shown["status"], shown["outcome"], shown["referral_body"]) == ("decided", "not_held", None)


def test_attach_a_file_and_download_it(app, new_request, officer):
    req = new_request()
    browser = Browser(app, officer)
    content = b"ruas,anggaran\nJl. Merdeka,150000000\n"
    response = browser.post_form(
        _request_url(req),
        "#step-lampirkan",
        {"title": "Rekap anggaran", "upload": (io.BytesIO(content), "rekap.csv")},
        content_type="multipart/form-data",
    )
    soup = BeautifulSoup(response.body, "html.parser")
    assert _(app, "The file was attached.") in _text(soup.select_one(".flash-messages"))
    link = soup.select_one("ul.lp-files a")
    assert link.get_text(strip=True) == "Rekap anggaran"
    download = browser.get(link["href"])
    assert download.data == content
    assert download.headers["Content-Type"].startswith("text/csv")
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "private" in download.headers["Cache-Control"] and "no-store" in download.headers["Cache-Control"]


def test_attach_a_link_or_a_dataset(app, body, new_request, officer):
    req = new_request()
    dataset = factories.Dataset(owner_org=body["id"], name="apbd-2025", title="APBD 2025")
    browser = Browser(app, officer)
    browser.post_form(
        _request_url(req),
        "#step-lampirkan",
        {"title": "Portal APBD", "url": "https://apbd.example.go.id/2025"},
    )
    soup = BeautifulSoup(
        browser.post_form(
            _request_url(req), "#step-lampirkan", {"title": "Dataset APBD", "package_id": "apbd-2025"}
        ).body,
        "html.parser",
    )
    links = {a.get_text(strip=True): a["href"] for a in soup.select("ul.lp-files a")}
    assert links["Portal APBD"] == "https://apbd.example.go.id/2025"
    assert links["Dataset APBD"].endswith("/dataset/" + dataset["id"])


def test_attach_without_file_link_or_dataset_is_refused(app, new_request, officer):
    req = new_request()
    soup = BeautifulSoup(
        Browser(app, officer).post_form(_request_url(req), "#step-lampirkan", {"title": "Kosong"}).body,
        "html.parser",
    )
    assert _field_error(soup, "step-lampirkan", "field-lampirkan-upload") == _(
        app, "Give exactly one of: a file, a link or a dataset"
    )
    assert soup.select_one("#field-lampirkan-title")["value"] == "Kosong"


def test_mark_and_unmark_spam_through_the_form(app, new_request, officer):
    req = new_request()
    browser = Browser(app, officer)
    soup = BeautifulSoup(
        browser.post_form(_request_url(req), "#step-spam", {"spam": "true", "reason": "Iklan judi"}).body,
        "html.parser",
    )
    assert _(app, "The request was marked as spam.") in _text(soup.select_one(".flash-messages"))
    assert soup.select_one(".lp-request-status .lp-badge-spam") is not None
    assert "Iklan judi" in _text(soup)
    # The officer cannot take it back; the superior can (a review of the officer's decision).
    assert soup.select_one("#step-spam input[name=spam]") is None
    # The superior opens the same page (in the shape the action gives them) with only this step.
    superior = Browser(app, make_officer(req["organization"]["id"], role="superior"))
    soup = BeautifulSoup(
        superior.post_form(_request_url(req), "#step-spam", {"spam": "false"}).body, "html.parser"
    )
    assert _(app, "The request is no longer marked as spam.") in _text(soup.select_one(".flash-messages"))
    # Taken back, it is no longer the superior's to see: they land on its public register entry.
    assert req["registration_number"] in _text(soup) and soup.select_one(".lp-badge-spam") is None
    officer_view = BeautifulSoup(browser.get(_request_url(req)).body, "html.parser")
    assert officer_view.select_one(".lp-request-status .lp-badge-spam") is None
    # The history says who took it back: the superior (it said "Officer" before the request page
    # shared the objection and complaint pages' history table).
    taken_back = officer_view.select("table.lp-history tbody tr.lp-event-unmarked_spam td")
    assert _text(taken_back[1]) == _(app, "Superior")


def test_public_summary_through_the_form(app, new_request, officer):
    req = new_request()
    soup = BeautifulSoup(
        Browser(app, officer)
        .post_form(_request_url(req), "#step-ringkasan", {"public_summary": "Realisasi anggaran jalan 2025"})
        .body,
        "html.parser",
    )
    assert _(app, "The public summary was saved.") in _text(soup.select_one(".flash-messages"))
    assert soup.select_one("#field-ringkasan-public-summary").get_text() == "Realisasi anggaran jalan 2025"
    public = call_action("layananpublik_request_show", context={"user": ""}, id=req["id"])
    assert public["subject"] == "Realisasi anggaran jalan 2025"


def test_too_long_summary_is_refused_keeping_the_text(app, new_request, officer):
    req = new_request()
    text = "x" * 1001
    soup = BeautifulSoup(
        Browser(app, officer).post_form(_request_url(req), "#step-ringkasan", {"public_summary": text}).body,
        "html.parser",
    )
    assert _field_error(soup, "step-ringkasan", "field-ringkasan-public-summary") == _(
        app, "Must be at most {limit} characters (now {length})", limit=1000, length=1001
    )
    assert soup.select_one("#field-ringkasan-public-summary").get_text() == text


def test_form_without_csrf_token_is_refused(app, new_request, officer):
    req = new_request()
    browser = Browser(app, officer)
    response = browser.client.post(
        f"{_request_url(req)}/langkah/proses", data={}, extra_environ=browser.environ
    )
    assert response.status_code == 400
    assert call_action("layananpublik_request_show", id=req["id"])["status"] == "received"


def test_unknown_step_is_404(app, new_request, officer):
    req = new_request()
    browser = Browser(app, officer)
    token = browser.page(_request_url(req)).select_one("input[name=_csrf_token]")["value"]
    response = browser.client.post(
        f"{_request_url(req)}/langkah/hapus", data={"_csrf_token": token}, extra_environ=browser.environ
    )
    assert response.status_code == 404


# --- decision notice ----------------------------------------------------------------------


def test_notice_page_has_the_legal_contents(app, new_request, officer):
    req = new_request()
    call_action(
        "layananpublik_request_decide", context={"user": officer["name"]}, id=req["id"], outcome="granted_part",
        refusal_grounds=["h"], information_given="Rekap realisasi per ruas",
        redactions="Data pribadi pekerja dihitamkan", release_format="softcopy", release_delivery="email",
        fee="5000", fee_note="Transfer ke rekening kas daerah", provide_by_date="2030-12-31", **CONSEQUENCE_TEST,
    )  # fmt: skip
    soup = Browser(app, officer).page(f"{_request_url(req)}/pemberitahuan")
    notice = _text(soup.select_one("article.lp-notice"))
    for expected in (
        req["registration_number"], "Siti Rahmawati", "Dinas Komunikasi dan Informatika",
        _(app, "Held by this body"), _(app, "Granted in part"),
        _(app, "Pasal 17 h: would reveal personal secrets"), "Rekap realisasi per ruas",
        "Data pribadi pekerja dihitamkan", _(app, "Softcopy"), _(app, "Email"), "Rp 5.000",
        "Transfer ke rekening kas daerah",
    ):  # fmt: skip
        assert expected in notice, expected
    assert soup.select_one("link[href*='print']") is not None


def test_notice_page_before_a_decision_is_404_with_a_message(app, new_request, officer):
    req = new_request()
    response = Browser(app, officer).get(f"{_request_url(req)}/pemberitahuan", status=404)
    assert _(app, "No decision has been issued for this request yet") in response.body


def test_notice_page_is_for_the_body_s_officers(app, new_request, officer, other_officer):
    req = new_request()
    call_action("layananpublik_request_decide", context={"user": officer["name"]}, id=req["id"],
                outcome="not_documented")  # fmt: skip
    assert Browser(app, other_officer).get(f"{_request_url(req)}/pemberitahuan").status_code == 403


# --- register export ----------------------------------------------------------------------


def _csv(response) -> list[list[str]]:
    assert response.data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_register_csv_has_the_legal_columns_in_indonesian_with_bom(app, body, officer):
    req = submit(body["id"], user=officer)
    call_action("layananpublik_request_decide", context={"user": officer["name"]}, id=req["id"],
                outcome="refused", refusal_grounds=["a", "c"], **CONSEQUENCE_TEST)  # fmt: skip
    browser = Browser(app, officer)
    link = browser.page("/ppid/kotak-masuk").select_one(".lp-register-export form")
    assert link["action"] == "/ppid/register.csv"
    year = dt.date.fromisoformat(req["received_date"]).year
    response = browser.get(f"/ppid/register.csv?organization_id={body['name']}&year={year}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="register-diskominfo-{year}.csv"'
    assert "no-store" in response.headers["Cache-Control"]
    header, row = _csv(response)
    for column in ("No.", "Registration number", "Date received", "Name", "Address", "Phone", "Email",
                   "Occupation", "Information requested", "Purpose of use", "Status of the information",
                   "Form of the information", "How the information is obtained", "Decision",
                   "Refusal grounds (Pasal 17)", "Date of written notice", "Date information handed over",
                   "Fee (Rp)", "Remarks"):  # fmt: skip
        assert _(app, column) in header, column
    record = dict(zip(header, row, strict=True))
    assert record[_(app, "Registration number")] == req["registration_number"]
    assert record[_(app, "Name")] == "Siti Rahmawati"
    assert record[_(app, "Decision")] == _(app, "Refused")
    assert record[_(app, "Refusal grounds (Pasal 17)")] == "a,c"
    assert record[_(app, "Public body")] == "Dinas Komunikasi dan Informatika"


def test_register_csv_guards_against_spreadsheet_formulas(app, body, officer):
    submit(body["id"], user=officer, name="=HYPERLINK(\"http://jahat.example\",\"klik\")", occupation="@SUM(A1)",
           address="-2+3 Jl. Contoh", information_requested="+62 data")  # fmt: skip
    response = Browser(app, officer).get(f"/ppid/register.csv?organization_id={body['id']}")
    header, row = _csv(response)
    record = dict(zip(header, row, strict=True))
    assert record[_(app, "Name")] == '\'=HYPERLINK("http://jahat.example","klik")'
    assert record[_(app, "Occupation")] == "'@SUM(A1)"
    assert record[_(app, "Address")] == "'-2+3 Jl. Contoh"
    assert record[_(app, "Information requested")] == "'+62 data"
    assert record[_(app, "Email")] == "siti@example.com"


def test_register_csv_is_refused_to_non_officers(app, body, other_body, other_officer):
    assert (
        Browser(app, factories.User()).get(f"/ppid/register.csv?organization_id={body['id']}").status_code
        == 403
    )
    assert (
        Browser(app, other_officer).get(f"/ppid/register.csv?organization_id={body['id']}").status_code == 403
    )
    response = app.get(f"/ppid/register.csv?organization_id={body['id']}", follow_redirects=False)
    assert response.status_code == 302 and "/user/login" in response.headers["Location"]
