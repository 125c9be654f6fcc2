"""The citizen's pages through the real app: form, receipt, tracking, own requests, public
register and statistics. Indonesian is the site's default language (test.ini)."""

from __future__ import annotations

import io
import re

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action
from werkzeug.datastructures import FileStorage

from ckanext.layananpublik.cases.validators import MAX_LENGTHS
from tests.cases.factories import (
    CONSEQUENCE_TEST,
    GRANT_NOTICE,
    VALID_NIK,
    shared_people_fixtures,
    submit,
    valid_request,
)
from tests.pages import csrf_token, post_form, soup, token_of

# body, other_body, officer, other_officer, sysadmin, requester: built once per set of them
# (tests/cases/snapshots.py).
globals().update(shared_people_fixtures())

# The rate limits count in Redis per hour: every test starts with empty counters.
pytestmark = pytest.mark.usefixtures("clean_redis")

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PERSONAL = ("Siti Rahmawati", VALID_NIK, "Jl. Merdeka", "0812 3456 7890", "081234567890", "siti@example.com")


def translated(app, text: str) -> str:
    """The message as the site's default language (Indonesian) shows it."""
    with app.flask_app.test_request_context("/"):
        return tk._(text)


def form_data(**overrides) -> dict:
    data = valid_request("unused", **overrides)
    data.pop("organization_id")
    return data


def stored(sysadmin: dict) -> list[dict]:
    return call_action(
        "layananpublik_request_list", context={"user": sysadmin["name"]}, scope="inbox", include_spam=True
    )["results"]


def field_error(page, name: str) -> str:
    error = page.select_one(f"#field-{name}-error")
    return error.get_text(" ", strip=True) if error else ""


def by_token(token: str) -> dict:
    return call_action("layananpublik_request_show", context={"user": ""}, tracking_token=token)


def form_url(body: dict) -> str:
    return f"/permohonan/ajukan/{body['name']}"


# --- the form ---------------------------------------------------------------------------------


def test_form_of_a_body_renders_in_indonesian_with_every_legal_field(app, body):
    response = app.get(form_url(body))
    assert response.status_code == 200
    page = soup(response)
    assert page.html["lang"] == "id"
    assert "Kumpulan data" in page.select_one(".masthead").get_text()  # CKAN's own Indonesian
    assert translated(app, "Request public information") in page.h1.get_text()
    assert body["title"] in page.get_text()
    form = page.select_one("form.lp-form")
    assert form["enctype"] == "multipart/form-data"
    assert form.select_one("input[name=_csrf_token]")
    names = {el["name"] for el in form.select("input, textarea, select")}
    assert names >= {
        "requester_type", "name", "nik", "entity_decree_number", "address", "phone", "email", "occupation",
        "information_requested", "purpose", "obtain_method", "delivery_method", "package_id",
        "identity_document", "website",
    }  # fmt: skip
    assert "organization_id" not in names  # the body is in the address


def test_every_input_of_the_form_has_a_label(app, body):
    form = soup(app.get(form_url(body))).select_one("form.lp-form")
    for field in form.select("input:not([type=hidden]), textarea, select"):
        assert form.select_one(f"label[for='{field['id']}']"), field


def test_form_inputs_suit_a_phone_keyboard_and_the_length_limits(app, body):
    form = soup(app.get(form_url(body))).select_one("form.lp-form")
    assert form.select_one("#field-nik")["inputmode"] == "numeric"
    assert form.select_one("#field-phone")["type"] == "tel"
    assert form.select_one("#field-email")["type"] == "email"
    assert form.select_one("#field-identity_document")["accept"] == "image/*,application/pdf"
    for name in ("name", "address", "phone", "email", "occupation", "information_requested", "purpose"):
        assert form.select_one(f"#field-{name}")["maxlength"] == str(MAX_LENGTHS[name]), name
    radios = form.select("input[name=requester_type]")
    assert [r["value"] for r in radios] == ["individual", "legal_entity"]
    assert form.select_one("input[name=requester_type][checked]")["value"] == "individual"
    assert {r["value"] for r in form.select("input[name=obtain_method]")} == {
        "inspect",
        "softcopy",
        "hardcopy",
    }
    assert {r["value"] for r in form.select("input[name=delivery_method]")} == {
        "pick_up", "courier", "post", "fax", "email",
    }  # fmt: skip


def test_honeypot_is_hidden_by_a_stylesheet_class_not_an_inline_style(app, body):
    page = soup(app.get(form_url(body)))
    trap = page.select_one("input[name=website]")
    wrapper = trap.find_parent(class_="lp-hp")
    assert wrapper is not None and wrapper["aria-hidden"] == "true"
    assert trap["tabindex"] == "-1" and trap["autocomplete"] == "off"
    assert not trap.get("style") and not wrapper.get("style")
    assert not page.select("script:not([src])"), "no inline scripts"


def test_site_wide_form_offers_every_body(app, body, other_body):
    page = soup(app.get("/permohonan/ajukan"))
    options = {o["value"]: o.get_text(strip=True) for o in page.select("select[name=organization_id] option")}
    assert options[body["name"]] == body["title"]
    assert options[other_body["name"]] == other_body["title"]
    assert page.select_one("label[for=field-organization_id]")


def test_form_of_an_unknown_body_is_not_found(app, clean_db):
    assert app.get("/permohonan/ajukan/no-such-body").status_code == 404


def test_signed_in_user_finds_name_and_email_filled_in(app, body, requester):
    page = soup(app.get(form_url(body), extra_environ={"REMOTE_USER": requester["name"]}))
    assert page.select_one("#field-name")["value"] == "Siti Rahmawati"
    assert page.select_one("#field-email")["value"] == "siti@example.com"


def test_form_is_in_english_under_en(app, body):
    page = soup(app.get("/en" + form_url(body)))
    assert page.html["lang"] == "en"
    assert page.h1.get_text(strip=True) == "Request public information"
    assert page.select_one("form.lp-form")["action"] == "/en" + form_url(body)


def test_anonymous_form_starts_empty(app, body):
    page = soup(app.get(form_url(body)))
    assert page.select_one("#field-name")["value"] == ""
    assert page.select_one("#field-email")["value"] == ""


def test_dataset_named_in_the_address_is_filled_in(app, body):
    dataset = factories.Dataset(owner_org=body["id"], name="anggaran-jalan", title="Anggaran Jalan")
    page = soup(app.get(form_url(body) + "?dataset=anggaran-jalan"))
    assert page.select_one("#field-package_id")["value"] == dataset["name"]
    assert "Anggaran Jalan" in page.select_one(".lp-dataset-ref").get_text()


# --- sending the form ---------------------------------------------------------------------------


def test_valid_form_creates_the_request_and_shows_the_receipt(client, body, sysadmin):
    response = post_form(client, form_url(body), form_data())
    assert response.status_code == 200
    assert response.request.path.endswith("/tanda-terima")
    token = token_of(response)
    req = by_token(token)
    assert req["organization"]["id"] == body["id"]
    assert req["nik"] == VALID_NIK and req["phone"] == "081234567890"
    assert req["package_id"] is None
    page = soup(response)
    assert page.select_one("#registration-number").get_text(strip=True) == req["registration_number"]
    assert re.fullmatch(r"001/PPID-DISKOMINFO/[IVX]+/\d{4}", req["registration_number"])
    assert len(stored(sysadmin)) == 1


def test_receipt_shows_body_dates_deadline_request_and_the_private_link(client, body):
    response = post_form(client, form_url(body), form_data())
    token = token_of(response)
    req = by_token(token)
    page = soup(response)
    text = page.get_text(" ", strip=True)
    assert body["title"] in text
    assert req["deadline_explanation"] in text
    assert "10 hari kerja" in req["deadline_explanation"]  # explained in Indonesian
    assert "Rincian realisasi anggaran perbaikan jalan tahun 2025" in text
    link = page.select_one("#tracking-link")
    assert link["href"].endswith(f"/permohonan/lacak/{token}")
    assert page.select_one(".lp-warning")
    assert page.select_one("button[data-module=layananpublik-print]")
    assert response.headers["Cache-Control"].startswith("no-store")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert page.select_one("meta[name=robots]")["content"].startswith("noindex")


def test_site_wide_form_sends_the_request_to_the_chosen_body(client, body, other_body):
    response = post_form(client, "/permohonan/ajukan", {**form_data(), "organization_id": other_body["name"]})
    assert response.request.path.endswith("/tanda-terima")
    assert by_token(token_of(response))["organization"]["id"] == other_body["id"]


def test_site_wide_form_without_a_body_asks_for_one(client, body, sysadmin):
    response = post_form(client, "/permohonan/ajukan", form_data())
    page = soup(response)
    assert field_error(page, "organization_id")
    assert stored(sysadmin) == []


def test_signed_in_request_belongs_to_the_account(client, body, requester):
    env = {"REMOTE_USER": requester["name"]}
    response = post_form(client, form_url(body), form_data(), extra_environ=env)
    req = by_token(token_of(response))
    assert req["user_id"] == requester["id"]


def test_dataset_given_by_its_address_is_linked(client, body):
    dataset = factories.Dataset(owner_org=body["id"], name="anggaran-jalan")
    response = post_form(
        client, form_url(body), form_data(package_id="http://test.ckan.net/dataset/anggaran-jalan?x=1")
    )
    assert by_token(token_of(response))["package_id"] == dataset["id"]


def test_invalid_form_shows_translated_errors_next_to_fields_and_keeps_what_was_typed(
    app, client, body, sysadmin
):
    data = form_data(nik="1234", email="bukan-email", purpose="", address="Jl. Mawar 3\nRT 02")
    response = post_form(client, form_url(body), data)
    assert response.status_code == 200
    page = soup(response)
    assert translated(app, "A NIK has exactly 16 digits") in field_error(page, "nik")
    assert translated(app, "Enter a valid email address") in field_error(page, "email")
    assert field_error(page, "purpose")
    assert not field_error(page, "name")
    # the error sits next to its field and is announced with it
    assert "field-nik-error" in page.select_one("#field-nik")["aria-describedby"]
    assert page.select_one("#field-nik")["aria-invalid"] == "true"
    summary = page.select_one(".lp-error-summary")
    assert summary["role"] == "alert"
    # listed in the order of the fields on the page
    assert [a["href"] for a in summary.select("a")] == ["#field-nik", "#field-email", "#field-purpose"]
    # everything typed is still there
    assert page.select_one("#field-nik")["value"] == "1234"
    assert page.select_one("#field-email")["value"] == "bukan-email"
    assert page.select_one("#field-name")["value"] == "Siti Rahmawati"
    assert page.select_one("#field-address").get_text() == "Jl. Mawar 3\nRT 02"
    assert page.select_one("input[name=obtain_method][checked]")["value"] == "softcopy"
    assert page.select_one("input[name=delivery_method][checked]")["value"] == "email"
    assert page.select_one("input[name=_csrf_token]")
    assert stored(sysadmin) == []


def test_legal_entity_is_asked_for_its_decree_number(app, client, body):
    response = post_form(client, form_url(body), form_data(requester_type="legal_entity", nik=""))
    page = soup(response)
    assert translated(app, "Enter the decree number of the legal entity") in field_error(
        page, "entity_decree_number"
    )
    assert page.select_one("input[name=requester_type][checked]")["value"] == "legal_entity"


def test_no_phone_and_no_email_is_refused(app, client, body):
    page = soup(post_form(client, form_url(body), form_data(phone="", email="")))
    assert translated(app, "Give a phone number or an email address (or both)") in field_error(page, "email")


def test_text_longer_than_its_limit_is_refused(client, body):
    page = soup(
        post_form(client, form_url(body), form_data(occupation="x" * (MAX_LENGTHS["occupation"] + 1)))
    )
    assert field_error(page, "occupation")


def test_filled_honeypot_is_refused_and_nothing_is_stored(app, client, body, sysadmin):
    response = post_form(client, form_url(body), {**form_data(), "website": "http://spam.example"})
    page = soup(response)
    summary = page.select_one(".lp-error-summary").get_text(" ", strip=True)
    assert translated(app, "The form could not be accepted. Please try again.") in summary
    assert page.select_one("input[name=website]")["value"] == ""
    assert stored(sysadmin) == []


def test_signed_in_users_form_without_its_csrf_token_is_refused(client, body, requester, sysadmin):
    # CKAN checks the token for session-cookie users; anonymous visitors carry no ambient
    # credential a forged form could ride on, and CKAN deliberately does not check theirs.
    response = client.post(form_url(body), data=form_data(), extra_environ={"REMOTE_USER": requester["name"]})
    assert response.status_code == 400
    assert stored(sysadmin) == []


def test_identity_photo_named_pdf_is_accepted_as_the_photo_it_is(client, body):
    files = {"identity_document": (io.BytesIO(PNG), "ktp.pdf")}
    response = post_form(client, form_url(body), form_data(), files)
    req = by_token(token_of(response))
    [identity] = [f for f in req["files"] if f["kind"] == "identity"]
    assert identity["content_type"] == "image/png"
    assert identity["filename"] == "ktp.pdf"


def test_identity_file_that_is_no_photo_nor_pdf_is_refused_whatever_its_name(app, client, body, sysadmin):
    files = {"identity_document": (io.BytesIO(b"MZ\x90\x00 not a document at all"), "ktp.pdf")}
    response = post_form(client, form_url(body), form_data(), files)
    page = soup(response)
    message = translated(app, "Upload a photo (JPEG, PNG, WebP) or a PDF; this file is neither")
    assert message in field_error(page, "identity_document")
    assert page.select_one(".lp-file-again")
    assert page.select_one("#field-name")["value"] == "Siti Rahmawati"
    assert stored(sysadmin) == []


@pytest.mark.ckan_config("ckanext.layananpublik.request.rate_limit.per_ip", 1)
def test_too_many_requests_from_one_address_are_refused_with_a_message(app, client, body, sysadmin):
    # CKAN's test client sends no REMOTE_ADDR; a web server always does.
    env = {"REMOTE_ADDR": "203.0.113.7"}
    assert post_form(client, form_url(body), form_data(), extra_environ=env).request.path.endswith(
        "/tanda-terima"
    )
    response = post_form(client, form_url(body), form_data(), extra_environ=env)
    page = soup(response)
    summary = page.select_one(".lp-error-summary").get_text(" ", strip=True)
    expected = "Too many requests have been sent from here in the last hour. Please try again later."
    assert translated(app, expected) in summary
    assert page.select_one("#field-name")["value"] == "Siti Rahmawati"
    assert len(stored(sysadmin)) == 1


# --- tracking ----------------------------------------------------------------------------------------


def test_tracking_page_shows_status_history_and_deadline(app, body, officer):
    created = submit(body["id"])
    call_action("layananpublik_request_process", context={"user": officer["name"]}, id=created["id"])
    call_action(
        "layananpublik_request_extend", context={"user": officer["name"]}, id=created["id"], days=5,
        reason="Dokumen harus diambil dari arsip daerah",
    )  # fmt: skip
    response = app.get(f"/permohonan/lacak/{created['tracking_token']}")
    assert response.status_code == 200
    page = soup(response)
    req = by_token(created["tracking_token"])
    status = page.select_one("#request-status").get_text(" ", strip=True)
    assert translated(app, "Extended") in status
    steps = page.select(".lp-history__step")
    assert [s.select_one(".lp-history__what").get_text(strip=True) for s in steps] == [
        translated(app, "Request received"),
        translated(app, "Being processed"),
        translated(app, "Deadline extended"),
    ]
    assert all(s.select_one("time")["datetime"] for s in steps)
    text = page.get_text(" ", strip=True)
    assert "Dokumen harus diambil dari arsip daerah" in text
    assert req["deadline_explanation"] in text
    assert "diperpanjang 5 hari kerja" in req["deadline_explanation"]
    assert officer["fullname"] in text  # the officer who acted is named
    assert "Siti Rahmawati" in text  # the requester sees their own details


def test_tracking_page_is_private(app, body):
    created = submit(body["id"])
    response = app.get(f"/permohonan/lacak/{created['tracking_token']}")
    assert "no-store" in response.headers["Cache-Control"]
    assert "public" not in response.headers["Cache-Control"]
    assert response.headers["Referrer-Policy"] == "no-referrer"
    page = soup(response)
    assert page.select_one("meta[name=robots]")["content"].startswith("noindex")


def test_tracking_page_explains_how_to_object(app, body):
    created = submit(body["id"])
    page = soup(app.get(f"/permohonan/lacak/{created['tracking_token']}"))
    objection = page.select_one(".lp-objection")
    assert len(objection.select(".lp-grounds li")) == 7  # Pasal 35(1) a–g
    text = objection.get_text(" ", strip=True)
    assert created["registration_number"] in text
    assert "30" in text and "14" in text
    assert not objection.select("a[href*=keberatan]")


def test_unknown_tracking_token_is_not_found_and_not_cached(app, clean_db):
    response = app.get("/permohonan/lacak/" + "x" * 32)
    assert response.status_code == 404
    assert "no-store" in response.headers["Cache-Control"]
    assert app.get("/permohonan/lacak/" + "x" * 32 + "/tanda-terima").status_code == 404
    assert app.get("/permohonan/lacak/pendek").status_code == 404


def test_a_request_set_aside_as_spam_tells_its_requester_why_and_how_to_object(app, body, officer):
    created = submit(body["id"])
    call_action("layananpublik_request_mark_spam", context={"user": officer["name"]}, id=created["id"],
                reason="Isinya iklan, bukan permohonan informasi")  # fmt: skip
    page = soup(app.get(f"/permohonan/lacak/{created['tracking_token']}"))
    notice = page.select_one("#set-aside").get_text(" ", strip=True)
    assert "Isinya iklan, bukan permohonan informasi" in notice and "Pasal 35 ayat (1) huruf e" in notice
    assert page.select_one("#objection-offer a[href*='/keberatan']") is not None


def test_notice_page_waits_for_the_decision(app, body):
    created = submit(body["id"])
    assert app.get(f"/permohonan/lacak/{created['tracking_token']}/pemberitahuan").status_code == 404


def _decide_and_release(created: dict, officer: dict) -> dict:
    context = {"user": officer["name"]}
    call_action(
        "layananpublik_request_decide", context=context, id=created["id"], outcome="granted_part",
        information_given="Rekap realisasi anggaran 2025", redactions="Nomor rekening penyedia",
        refusal_grounds=["h"], **GRANT_NOTICE, **CONSEQUENCE_TEST,
    )  # fmt: skip
    upload = FileStorage(stream=io.BytesIO(PDF), filename="realisasi-2025.pdf")
    call_action(
        "layananpublik_request_attach", context=context, id=created["id"], title="Rekap 2025", upload=upload
    )
    call_action(
        "layananpublik_request_attach", context=context, id=created["id"], title="Portal anggaran",
        url="https://anggaran.example.go.id/2025",
    )  # fmt: skip
    return by_token(created["tracking_token"])


def test_decided_request_shows_the_notice_and_the_released_information(app, body, officer):
    created = submit(body["id"])
    req = _decide_and_release(created, officer)
    response = app.get(f"/permohonan/lacak/{created['tracking_token']}")
    page = soup(response)
    text = page.get_text(" ", strip=True)
    assert translated(app, "Granted in part") in text
    assert "Rekap realisasi anggaran 2025" in text
    notice = page.select_one("a[href$='/permohonan/dilacak/pemberitahuan']")
    assert notice is not None
    [file_id] = [f["id"] for f in req["files"] if f["kind"] == "release" and f["has_file"]]
    assert page.select_one(f"a[href$='/berkas/{file_id}']")
    assert page.select_one("a[href='https://anggaran.example.go.id/2025']")
    steps = [s.get_text(strip=True) for s in page.select(".lp-history__what")]
    assert translated(app, "Decision notice issued") in steps
    assert translated(app, "Information released") in steps


def test_printable_notice_page_of_a_decided_request(app, body, officer):
    created = submit(body["id"])
    _decide_and_release(created, officer)
    response = app.get(f"/permohonan/lacak/{created['tracking_token']}/pemberitahuan")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    page = soup(response)
    assert created["registration_number"] in page.get_text()
    assert page.select_one("button[data-module=layananpublik-print]")


def test_released_file_downloads_as_an_attachment(app, body, officer):
    created = submit(body["id"])
    req = _decide_and_release(created, officer)
    [file_id] = [f["id"] for f in req["files"] if f["kind"] == "release" and f["has_file"]]
    response = app.get(f"/permohonan/lacak/{created['tracking_token']}/berkas/{file_id}")
    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "realisasi-2025.pdf" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_files_are_served_only_with_their_own_requests_token(app, body, officer):
    first, second = submit(body["id"]), submit(body["id"])
    req = _decide_and_release(first, officer)
    [file_id] = [f["id"] for f in req["files"] if f["kind"] == "release" and f["has_file"]]
    assert app.get(f"/permohonan/lacak/{second['tracking_token']}/berkas/{file_id}").status_code == 404
    assert app.get(f"/permohonan/lacak/{'y' * 32}/berkas/{file_id}").status_code == 404


def test_identity_document_is_not_downloadable_from_the_tracking_link(client, body):
    files = {"identity_document": (io.BytesIO(PNG), "ktp.png")}
    token = token_of(post_form(client, form_url(body), form_data(), files))
    [identity] = [f for f in by_token(token)["files"] if f["kind"] == "identity"]
    assert client.get(f"/permohonan/lacak/{token}/berkas/{identity['id']}").status_code == 404


# --- opening a request by its link ---------------------------------------------------------------------


def test_lookup_with_a_pasted_link_opens_the_tracking_page(client, body):
    created = submit(body["id"])
    response = post_form(client, "/permohonan/lacak", {"tracking": f"  {created['tracking_url']}  "})
    assert response.request.path == "/permohonan/dilacak"  # the token is in the tracking cookie
    assert response.status_code == 200
    assert created["registration_number"] in soup(response).get_text()


def test_lookup_with_the_bare_token_opens_the_tracking_page(client, body):
    created = submit(body["id"])
    response = post_form(client, "/permohonan/lacak", {"tracking": created["tracking_token"]})
    assert response.request.path == "/permohonan/dilacak"
    assert created["registration_number"] in soup(response).get_text()


def test_lookup_with_an_unknown_link_says_so_next_to_the_field(client, clean_db):
    response = post_form(
        client, "/permohonan/lacak", {"tracking": "http://test.ckan.net/permohonan/lacak/" + "z" * 32}
    )
    assert response.status_code == 400
    page = soup(response)
    assert field_error(page, "tracking")
    assert page.select_one("#field-tracking")["value"].endswith("z" * 32)


# --- my requests --------------------------------------------------------------------------------------


def test_my_requests_needs_signing_in(app, clean_db):
    response = app.get("/permohonan/saya", follow_redirects=False)
    assert response.status_code == 302
    assert "/user/login" in response.headers["Location"]


def test_my_requests_lists_only_my_own(app, body, requester):
    mine = submit(body["id"], user=requester)
    submit(body["id"], name="Orang Lain", information_requested="Permohonan orang lain")
    other = factories.User()
    submit(body["id"], user=other, information_requested="Permohonan pengguna lain")
    response = app.get("/permohonan/saya", extra_environ={"REMOTE_USER": requester["name"]})
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    page = soup(response)
    numbers = [a.get_text(strip=True) for a in page.select(".lp-card__number a")]
    assert numbers == [mine["registration_number"]]


def test_my_request_opens_in_full_for_me_only(app, body, requester):
    mine = submit(body["id"], user=requester)
    response = app.get(f"/permohonan/saya/{mine['id']}", extra_environ={"REMOTE_USER": requester["name"]})
    assert response.status_code == 200
    assert VALID_NIK in response.get_data(as_text=True)
    stranger = factories.User()
    assert (
        app.get(f"/permohonan/saya/{mine['id']}", extra_environ={"REMOTE_USER": stranger["name"]}).status_code
        == 404
    )


def test_my_decided_request_offers_its_notice_and_files_without_the_tracking_link(
    app, body, requester, officer
):
    mine = submit(body["id"], user=requester)
    req = _decide_and_release(mine, officer)
    [file_id] = [f["id"] for f in req["files"] if f["kind"] == "release" and f["has_file"]]
    me = {"REMOTE_USER": requester["name"]}
    page = soup(app.get(f"/permohonan/saya/{mine['id']}", extra_environ=me))
    assert page.select_one(f"a[href='/permohonan/saya/{mine['id']}/pemberitahuan']")
    assert page.select_one(f"a[href='/permohonan/saya/{mine['id']}/berkas/{file_id}']")
    assert app.get(f"/permohonan/saya/{mine['id']}/pemberitahuan", extra_environ=me).status_code == 200
    download = app.get(f"/permohonan/saya/{mine['id']}/berkas/{file_id}", extra_environ=me)
    assert download.status_code == 200 and download.data == PDF
    stranger = {"REMOTE_USER": factories.User()["name"]}
    assert (
        app.get(f"/permohonan/saya/{mine['id']}/berkas/{file_id}", extra_environ=stranger).status_code == 404
    )


# --- the public register ---------------------------------------------------------------------------------


def _assert_no_personal_data(response) -> None:
    text = response.get_data(as_text=True)
    for value in PERSONAL:
        assert value not in text, value


def test_public_register_lists_requests_without_personal_data(app, body, other_body):
    first = submit(body["id"])
    second = submit(other_body["id"])
    response = app.get("/permohonan/")
    assert response.status_code == 200
    page = soup(response)
    numbers = {a.get_text(strip=True) for a in page.select(".lp-register tbody th a")}
    assert numbers == {first["registration_number"], second["registration_number"]}
    assert page.select_one(".lp-register td[data-label]")  # labels for the phone cards
    assert page.select_one("a[href='/permohonan/ajukan']")
    assert page.select_one("a[href='/permohonan/statistik']")
    _assert_no_personal_data(response)


def test_register_shows_the_published_summary_instead_of_the_citizens_words(app, body, officer):
    created = submit(body["id"], information_requested="Data anggaran, NIK saya 3171015507900003")
    call_action(
        "layananpublik_request_summary_update", context={"user": officer["name"]}, id=created["id"],
        public_summary="Data anggaran jalan",
    )  # fmt: skip
    text = app.get("/permohonan/").get_data(as_text=True)
    assert "Data anggaran jalan" in text and VALID_NIK not in text


def test_register_filters_by_status_outcome_year_and_words(app, body, officer):
    open_one = submit(body["id"], information_requested="Peta banjir kecamatan")
    decided = submit(body["id"], information_requested="Anggaran sekolah")
    call_action(
        "layananpublik_request_decide", context={"user": officer["name"]}, id=decided["id"], outcome="refused",
        refusal_grounds=["a"], **CONSEQUENCE_TEST,
    )  # fmt: skip

    def numbers(query: str) -> set[str]:
        page = soup(app.get("/permohonan/?" + query))
        return {a.get_text(strip=True) for a in page.select(".lp-register tbody th a")}

    assert numbers("status=decided") == {decided["registration_number"]}
    assert numbers("status=received") == {open_one["registration_number"]}
    assert numbers("outcome=refused") == {decided["registration_number"]}
    assert numbers("q=banjir") == set()  # the requester's words are searchable once an officer publishes them
    call_action("layananpublik_request_summary_update", context={"user": officer["name"]}, id=open_one["id"],
                public_summary="Peta rawan banjir per kecamatan")  # fmt: skip
    assert numbers("q=banjir") == {open_one["registration_number"]}
    year = decided["received_date"][:4]
    assert len(numbers(f"year={year}")) == 2
    assert numbers(f"year={int(year) - 1}") == set()
    assert len(numbers("status=nonsense")) == 2  # an unknown filter value is ignored


def test_register_of_one_body(app, body, other_body):
    mine = submit(body["id"])
    submit(other_body["id"])
    page = soup(app.get(f"/permohonan/badan/{body['name']}"))
    numbers = {a.get_text(strip=True) for a in page.select(".lp-register tbody th a")}
    assert numbers == {mine["registration_number"]}
    assert page.select_one(f"a[href='/permohonan/ajukan/{body['name']}']")
    assert app.get("/permohonan/badan/no-such-body").status_code == 404


def test_register_pages_through_many_requests(app, body):
    for _ in range(21):
        submit(body["id"])
    first = soup(app.get("/permohonan/"))
    assert len(first.select(".lp-register tbody tr")) == 20
    next_link = first.select_one(".lp-paging a[rel=next]")["href"]
    second = soup(app.get(next_link))
    assert len(second.select(".lp-register tbody tr")) == 1
    assert second.select_one(".lp-paging a[rel=prev]")


def test_register_entry_shows_public_fields_only(app, body, officer):
    created = submit(body["id"])
    call_action(
        "layananpublik_request_decide", context={"user": officer["name"]}, id=created["id"], outcome="refused",
        refusal_grounds=["h"], **CONSEQUENCE_TEST,
    )  # fmt: skip
    response = app.get(f"/permohonan/nomor/{created['registration_number']}")
    assert response.status_code == 200
    text = soup(response).get_text(" ", strip=True)
    assert created["registration_number"] in text
    assert translated(app, "Refused") in text
    assert translated(app, "Pasal 17 h: would reveal personal secrets") in text
    _assert_no_personal_data(response)


def test_register_entry_hides_personal_data_even_from_the_bodys_officer(app, body, officer):
    created = submit(body["id"])
    response = app.get(
        f"/permohonan/nomor/{created['registration_number']}", extra_environ={"REMOTE_USER": officer["name"]}
    )
    _assert_no_personal_data(response)
    assert soup(response).select_one(f"a[href='/ppid/permohonan/{created['id']}']")


def test_register_entry_leads_its_signed_in_requester_to_the_full_request(app, body, requester):
    created = submit(body["id"], user=requester)
    url = f"/permohonan/nomor/{created['registration_number']}"
    page = soup(app.get(url, extra_environ={"REMOTE_USER": requester["name"]}))
    assert page.select_one(f"a[href='/permohonan/saya/{created['id']}']")
    assert not soup(app.get(url)).select_one(f"a[href='/permohonan/saya/{created['id']}']")


def test_register_entry_of_an_unknown_request_is_not_found_and_of_a_spam_one_has_no_text(app, body, officer):
    assert app.get("/permohonan/nomor/999/PPID-X/I/2020").status_code == 404
    created = submit(body["id"], information_requested="Jual pulsa murah")
    call_action("layananpublik_request_mark_spam", context={"user": officer["name"]}, id=created["id"],
                reason="iklan")  # fmt: skip
    entry = app.get(f"/permohonan/nomor/{created['registration_number']}")
    assert entry.status_code == 200 and "Jual pulsa" not in entry.get_data(as_text=True)
    register = app.get("/permohonan/").get_data(as_text=True)
    assert created["registration_number"] in register and "Jual pulsa" not in register


# --- statistics ------------------------------------------------------------------------------------------


def test_statistics_page_shows_the_years_figures(app, body, other_body, officer):
    granted = submit(body["id"])
    refused = submit(body["id"])
    submit(body["id"])
    submit(other_body["id"])
    context = {"user": officer["name"]}
    call_action(
        "layananpublik_request_decide", context=context, id=granted["id"], outcome="granted_full",
        information_given="Semua", **GRANT_NOTICE,
    )  # fmt: skip
    call_action(
        "layananpublik_request_decide",
        context=context,
        id=refused["id"],
        outcome="refused",
        refusal_grounds=["h"],
        **CONSEQUENCE_TEST,
    )
    year = granted["received_date"][:4]
    response = app.get(f"/permohonan/statistik?year={year}")
    assert response.status_code == 200
    page = soup(response)

    def total(figure: str) -> str:
        return page.select_one(f"#stats-total tr[data-figure={figure}] td").get_text(strip=True)

    assert total("received") == "4"
    assert total("decided") == "2"
    assert total("granted_full") == "1"
    assert total("refused") == "1"
    assert total("open") == "2"
    assert total("median_working_days") == "0"  # as the site's language writes a number
    assert total("share_on_time") == "100%"
    ground = page.select_one("#stats-grounds tr[data-ground=h]")
    assert ground.select_one("td").get_text(strip=True) == "1"
    assert translated(app, "Pasal 17 h: would reveal personal secrets") in ground.get_text()
    rows = {tr["data-body"]: tr for tr in page.select("#stats-bodies tbody tr")}
    assert set(rows) == {body["name"], other_body["name"]}
    assert rows[body["name"]].select("td")[0].get_text(strip=True) == "3"


def test_statistics_of_one_body(app, body, other_body):
    submit(body["id"])
    submit(other_body["id"])
    page = soup(app.get(f"/permohonan/statistik?organization_id={body['name']}"))
    assert page.select_one("#stats-total tr[data-figure=received] td").get_text(strip=True) == "1"
    assert not page.select_one("#stats-bodies")
    assert app.get("/permohonan/statistik?organization_id=no-such-body").status_code == 404


def test_statistics_of_a_year_without_requests(app, clean_db):
    page = soup(app.get("/permohonan/statistik?year=2001"))
    assert page.select_one("#stats-total tr[data-figure=received] td").get_text(strip=True) == "0"
    assert page.select_one("#stats-total tr[data-figure=share_on_time] td").get_text(strip=True) == "–"


# --- links from the rest of the portal ---------------------------------------------------------------


def test_organisation_page_links_to_its_request_form_and_register(app, body):
    page = soup(app.get(f"/organization/{body['name']}"))
    assert page.select_one(f"a[href='/permohonan/ajukan/{body['name']}']")
    assert page.select_one(f"a[href='/permohonan/badan/{body['name']}']")


def test_site_navigation_links_to_the_requests(app, clean_db):
    page = soup(app.get("/"))
    assert page.select_one(".masthead a[href='/permohonan/']")


def test_csrf_token_of_the_page_is_the_one_posted(client, body):
    """The helper the form tests rely on finds the form's own token."""
    page = client.get(form_url(body))
    assert csrf_token(page) == soup(page).select_one("form.lp-form input[name=_csrf_token]")["value"]
