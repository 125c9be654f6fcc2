"""Browser journey: an information officer signs in, finds a request in the PPID inbox,
decides it (granted in part), and the citizen sees the decision on the tracking page."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.browser.probe import PASSWORD, sign_in
from tests.cases.factories import valid_request

TEST = "Membuka nama pekerja melanggar rahasia pribadi; kepentingan umum terpenuhi tanpa nama itu."
GIVEN = "Rekap realisasi anggaran perbaikan jalan per ruas"
WITHHELD = "Nomor rekening kontraktor dihitamkan (data pribadi, Pasal 17 h)"


def _on_portal(url: str, portal: str) -> str:
    """A link built for ckan.site_url, pointed at the portal under test."""
    parts = urlsplit(url)
    return portal + parts.path + (f"?{parts.query}" if parts.query else "")


def _label(app, msgid: str) -> str:
    """A message as the portal's default language (Indonesian) shows it."""
    with app.flask_app.test_request_context():
        return tk._(msgid)


@pytest.mark.browser
@pytest.mark.usefixtures("with_plugins")
def test_officer_decides_a_request_and_the_citizen_sees_the_decision(portal, browser, app):
    body = factories.Organization(name="diskominfo", title="Dinas Komunikasi dan Informatika")
    officer = factories.User(name="petugas-ppid", fullname="Petugas PPID", password=PASSWORD)
    call_action("member_create", id=body["id"], object=officer["id"], object_type="user", capacity="editor")
    call_action(
        "layananpublik_officer_create",
        context={"ignore_auth": True},
        organization_id=body["id"],
        user_id=officer["id"],
        role="officer",
    )
    created = call_action(
        "layananpublik_request_create",
        context={"user": "", "ignore_auth": False},
        **valid_request(body["id"]),
    )
    number = created["registration_number"]

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    # Sign in through the real login form; CKAN lands on the dashboard, which links the inbox.
    sign_in(page, portal, officer["name"])
    page.click("a[href='/ppid/kotak-masuk']")
    assert page.url.endswith("/ppid/kotak-masuk")

    row = page.locator("table.lp-inbox tbody tr", has_text=number)
    assert "Dinas Komunikasi dan Informatika" in row.inner_text()
    row.get_by_role("link", name=number).click()
    assert page.locator("h1").inner_text().endswith(number)
    assert "Siti Rahmawati" in page.locator(".lp-personal").inner_text()

    decide = page.locator("#step-putuskan")
    decide.locator("#field-putuskan-outcome-granted_part").check()
    decide.locator("#field-putuskan-ground-h").check()
    decide.locator("#field-putuskan-information-given").fill(GIVEN)
    decide.locator("#field-putuskan-redactions").fill(WITHHELD)
    decide.locator("#field-putuskan-release-format").select_option("softcopy")
    decide.locator("#field-putuskan-release-delivery").select_option("email")
    decide.locator("#field-putuskan-consequence-test").fill(TEST)
    decide.locator("#field-putuskan-provide-by-date").fill("2030-12-31")
    decide.locator("#field-putuskan-fee").fill("0")
    decide.locator("button[type=submit]").click()
    page.wait_for_load_state()

    granted_part = _label(app, "Granted in part")
    assert granted_part in page.locator(".flash-messages").inner_text()
    assert page.locator(".lp-badge-status").inner_text().strip() == _label(app, "Decided")
    assert page.locator("#step-putuskan").count() == 0

    # The officer's printable notice carries the legal contents.
    page.click("a[href$='/pemberitahuan']")
    notice = page.locator("article.lp-notice").inner_text()
    assert number in notice and granted_part in notice and GIVEN in notice and WITHHELD in notice

    # The citizen, not signed in, opens the secret tracking link from the receipt.
    citizen = browser.new_page(viewport={"width": 360, "height": 740})
    response = citizen.goto(_on_portal(created["tracking_url"], portal))
    assert response.status == 200
    text = re.sub(r"\s+", " ", citizen.locator("main, [role=main], body").first.inner_text())
    assert number in text
    assert granted_part in text
    assert WITHHELD in text and GIVEN in text
