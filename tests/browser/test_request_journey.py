"""Browser journey: a citizen on a phone asks a public body for information, gets the
registration number on the receipt and follows the request with the private tracking link."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories

from tests.cases.factories import VALID_NIK

PHONE = {"width": 360, "height": 740}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


def _label(app, msgid: str) -> str:
    """A message as the portal's default language (Indonesian) shows it."""
    with app.flask_app.test_request_context():
        return tk._(msgid)


def _on_portal(url: str, portal: str) -> str:
    parts = urlsplit(url)
    return portal + parts.path


def _fits_the_screen(page) -> bool:
    """Nothing wider than the phone: the page does not scroll sideways."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
@pytest.mark.usefixtures("with_plugins", "clean_redis")
def test_citizen_sends_a_request_from_a_phone_and_follows_it(portal, browser, app):
    factories.Organization(name="diskominfo", title="Dinas Komunikasi dan Informatika")
    page = browser.new_page(viewport=PHONE)

    # From the body's page to its request form.
    page.goto(portal + "/organization/diskominfo")
    page.click("a[href='/permohonan/ajukan/diskominfo']")
    # A click waits for the navigation, not for the stylesheets: under load the layout checks
    # below would otherwise measure the unstyled page.
    page.wait_for_load_state()
    assert page.url.endswith("/permohonan/ajukan/diskominfo")
    assert page.locator("html").get_attribute("lang") == "id"
    assert _fits_the_screen(page)
    # The honeypot is in the form but off the screen.
    box = page.locator("#field-website").bounding_box()
    assert box is None or box["x"] + box["width"] <= 0

    page.fill("#field-name", "Siti Rahmawati")
    page.fill("#field-nik", "1234")  # a mistake, corrected below
    page.fill("#field-address", "Jl. Merdeka No. 10\nKota Contoh")
    page.fill("#field-phone", "0812 3456 7890")
    page.fill("#field-email", "siti@example.com")
    page.fill("#field-occupation", "Wiraswasta")
    page.fill("#field-information_requested", "Rincian realisasi anggaran perbaikan jalan tahun 2025")
    page.fill("#field-purpose", "Bahan kajian warga")
    page.check("#field-obtain_method-softcopy")
    page.check("#field-delivery_method-email")
    page.set_input_files(
        "#field-identity_document", files=[{"name": "ktp.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.click("form.lp-form button[type=submit]")
    page.wait_for_load_state()

    # The wrong NIK is pointed out next to its field; everything typed is still there.
    assert _label(app, "A NIK has exactly 16 digits") in page.locator("#field-nik-error").inner_text()
    assert page.locator(".lp-error-summary a[href='#field-nik']").is_visible()
    assert page.input_value("#field-name") == "Siti Rahmawati"
    assert page.input_value("#field-address") == "Jl. Merdeka No. 10\nKota Contoh"
    assert page.is_checked("#field-delivery_method-email")
    assert _fits_the_screen(page)

    page.fill("#field-nik", VALID_NIK)
    page.set_input_files(
        "#field-identity_document", files=[{"name": "ktp.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.click("form.lp-form button[type=submit]")
    page.wait_for_url("**/tanda-terima")

    # The receipt: registration number, deadline and the private tracking link.
    number = page.locator("#registration-number").inner_text().strip()
    assert re.fullmatch(r"001/PPID-DISKOMINFO/[IVX]+/\d{4}", number), number
    receipt = page.locator("main, [role=main]").first.inner_text()
    assert "Dinas Komunikasi dan Informatika" in receipt
    assert "10 hari kerja" in receipt
    assert _fits_the_screen(page)
    # The print button appears once its script runs, and opens the browser's print dialog
    # (replaced here by a counter: headless Chromium has no dialog).
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    button = page.locator("[data-module=layananpublik-print]")
    button.wait_for(state="visible")
    button.click()
    assert page.evaluate("() => window.__printed") == 1
    tracking = page.locator("#tracking-link").get_attribute("href")
    assert re.search(r"/permohonan/lacak/[A-Za-z0-9_-]+$", tracking)

    # The tracking link shows the request and its status.
    page.goto(_on_portal(tracking, portal))
    assert number in page.locator("h1").inner_text()
    assert _label(app, "Received") in page.locator("#request-status").inner_text()
    steps = page.locator(".lp-history__what").all_inner_texts()
    assert steps == [_label(app, "Request received")]
    assert _fits_the_screen(page)
