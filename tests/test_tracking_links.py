"""Tracking links leave the address bar (issue 16, finding 6): the link of a request, an
objection or a complaint puts its token in a short-lived, HttpOnly, SameSite=Lax cookie (Secure
over https) and goes on to a token-free address; the link from the email keeps working; a
token-free address without the cookie offers to paste the link."""

from __future__ import annotations

import pytest

from tests.cases.factories import one_case_of_each_kind
from tests.pages import soup, translated


@pytest.fixture
def cases(body, officer) -> dict:
    """kind -> (the tracking link's path, its token, its token-free page, its number)."""
    request, objection, _berkala, complaint, _address = one_case_of_each_kind(body, officer)
    return {
        "request": (f"/permohonan/lacak/{request['tracking_token']}", request["tracking_token"],
                    "/permohonan/dilacak", request["registration_number"]),
        "receipt": (f"/permohonan/lacak/{request['tracking_token']}/tanda-terima", request["tracking_token"],
                    "/permohonan/dilacak/tanda-terima", request["registration_number"]),
        "notice": (f"/permohonan/lacak/{request['tracking_token']}/pemberitahuan", request["tracking_token"],
                   "/permohonan/dilacak/pemberitahuan", request["registration_number"]),
        "objection form": (f"/permohonan/lacak/{request['tracking_token']}/keberatan", request["tracking_token"],
                           "/permohonan/dilacak/keberatan", request["registration_number"]),
        "objection": (f"/keberatan/lacak/{objection['tracking_token']}", objection["tracking_token"],
                      "/keberatan/dilacak", objection["registration_number"]),
        "complaint": (f"/pengaduan/lacak/{complaint['tracking_token']}", complaint["tracking_token"],
                      "/pengaduan/dilacak", complaint["registration_number"]),
    }  # fmt: skip


COOKIE_PATHS = {"/permohonan": "/permohonan/dilacak", "/keberatan": "/keberatan/dilacak",
                "/pengaduan": "/pengaduan/dilacak"}  # fmt: skip


def test_a_tracking_link_moves_its_token_into_a_cookie_and_drops_it_from_the_address(app, cases):
    for kind, (link, token, tracked, number) in cases.items():
        client = app.test_client()
        first = client.get(link, follow_redirects=False)
        assert first.status_code == 302, kind
        assert first.headers["Location"].endswith(tracked) and token not in first.headers["Location"], kind
        assert "no-store" in first.headers["Cache-Control"] and first.headers["Referrer-Policy"] == "no-referrer"
        cookie = first.headers["Set-Cookie"]
        attributes = [a.strip() for a in cookie.split(";")]
        assert attributes[0].endswith("=" + token), kind
        assert "HttpOnly" in attributes and "SameSite=Lax" in attributes, cookie
        assert "Max-Age=3600" in attributes, cookie  # ckanext.layananpublik.tracking_cookie_minutes: 60
        assert f"Path={COOKIE_PATHS['/' + tracked.split('/')[1]]}" in attributes, cookie
        assert "Secure" not in attributes  # plain http (a test); see the https test below
        page = client.get(tracked)
        assert page.status_code == 200, (kind, page.status_code)
        assert number in soup(page).get_text(), kind
        assert token not in page.request.path
        assert "no-store" in page.headers["Cache-Control"]
        # every view extends the cookie's life
        assert "HttpOnly" in page.headers["Set-Cookie"]


def test_over_https_the_cookie_is_secure(app, cases):
    link, *_ = cases["request"]
    first = app.test_client().get(link, follow_redirects=False, base_url="https://localhost")
    assert "Secure" in [a.strip() for a in first.headers["Set-Cookie"].split(";")]


def test_the_link_from_the_email_opens_the_page_again_in_any_browser(app, cases):
    link, token, tracked, number = cases["request"]
    for _ in range(2):
        response = app.test_client().get(link)
        assert response.request.path == tracked and number in soup(response).get_text()


@pytest.mark.parametrize(
    ("tracked", "form"),
    [("/permohonan/dilacak", "/permohonan/lacak"), ("/permohonan/dilacak/tanda-terima", "/permohonan/lacak"),
     ("/permohonan/dilacak/keberatan", "/permohonan/lacak"), ("/keberatan/dilacak", "/keberatan/lacak"),
     ("/pengaduan/dilacak", "/pengaduan/lacak")],
)  # fmt: skip
def test_a_token_free_page_without_the_cookie_offers_to_paste_the_link(app, body, tracked, form):
    response = app.test_client().get(tracked)
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one(f"form[action='{form}'] input[name=tracking]") is not None
    assert translated(app, "Paste the tracking link from your receipt or from the email you received. You can "
                           "also paste only the code at its end.") in page.get_text()  # fmt: skip
    assert "no-store" in response.headers["Cache-Control"]


def test_pasting_the_link_of_an_objection_or_complaint_opens_it(app, cases):
    from tests.pages import post_form

    for kind in ("objection", "complaint"):
        link, token, tracked, number = cases[kind]
        client = app.test_client()
        wrong = post_form(client, tracked.replace("dilacak", "lacak"), {"tracking": "x" * 32})
        assert wrong.status_code == 400 and soup(wrong).select_one("#field-tracking")["value"] == "x" * 32
        response = post_form(client, tracked.replace("dilacak", "lacak"), {"tracking": "http://x" + link})
        assert response.request.path == tracked and number in soup(response).get_text(), kind
        assert soup(response).select_one("#tracking-link")["href"].endswith(link)


def test_a_wrong_tracking_link_sets_no_cookie(app, body):
    for link in ("/permohonan/lacak/" + "x" * 32, "/keberatan/lacak/" + "x" * 32, "/pengaduan/lacak/" + "x" * 32):
        response = app.test_client().get(link, follow_redirects=False)
        assert response.status_code == 404
        assert "lp_track" not in response.headers.get("Set-Cookie", "")
