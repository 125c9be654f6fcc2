"""Browser journey on a phone: a refused request → the citizen files an objection from the
tracking link → the superior (Atasan PPID) signs in and overturns the refusal with an
instruction → the officer decides again → the citizen's tracking page shows the new decision."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.browser.probe import PASSWORD, sign_in
from tests.cases.factories import CONSEQUENCE_TEST, valid_request

PHONE = {"width": 360, "height": 740}
REASON = "Anggaran jalan bukan informasi yang dikecualikan"
INSTRUCTION = "Berikan rekap anggaran per ruas jalan dalam 10 hari kerja"
GIVEN = "Rekap realisasi anggaran perbaikan jalan per ruas"


def _label(app, msgid: str) -> str:
    with app.flask_app.test_request_context():
        return tk._(msgid)


def _helper_label(app, kind: str, value: str) -> str:
    with app.flask_app.test_request_context():
        return tk.h.layananpublik_label(kind, value)


def _on_portal(url: str, portal: str) -> str:
    return portal + urlsplit(url).path


def _text(page) -> str:
    return re.sub(r"\s+", " ", page.locator("[role=main]").first.inner_text())


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _staff(body: dict, name: str, role: str) -> dict:
    user = factories.User(name=name, fullname=name.replace("-", " ").title(), password=PASSWORD)
    call_action("member_create", id=body["id"], object=user["id"], object_type="user", capacity="editor")
    call_action(
        "layananpublik_officer_create", context={"ignore_auth": True},
        organization_id=body["id"], user_id=user["id"], role=role,
    )  # fmt: skip
    return user


def _sign_in(browser, portal: str, user: dict):
    page = browser.new_page(viewport=PHONE)
    sign_in(page, portal, user["name"])
    return page


@pytest.mark.browser
@pytest.mark.usefixtures("with_plugins", "clean_redis")
def test_objection_overturns_a_refusal_and_the_officer_decides_again(portal, browser, app):
    body = factories.Organization(name="diskominfo", title="Dinas Komunikasi dan Informatika")
    officer = _staff(body, "petugas-ppid", "officer")
    superior = _staff(body, "atasan-ppid", "superior")
    created = call_action(
        "layananpublik_request_create",
        context={"user": "", "ignore_auth": False},
        **valid_request(body["id"]),
    )
    call_action(
        "layananpublik_request_decide", context={"user": officer["name"]}, id=created["id"],
        outcome="refused", refusal_grounds=["a"], decision_note="Menyangkut penyidikan", **CONSEQUENCE_TEST,
    )  # fmt: skip

    # The citizen opens the tracking link, follows the offer and objects on ground a.
    citizen = browser.new_page(viewport=PHONE)
    assert citizen.goto(_on_portal(created["tracking_url"], portal)).status == 200
    citizen.click("#objection-link")
    citizen.wait_for_load_state()
    assert citizen.url.endswith("/keberatan")
    assert citizen.locator("#field-grounds-a").is_checked()
    assert _fits_the_screen(citizen)
    citizen.fill("#field-reason", REASON)
    citizen.click("form.lp-objection-form button[type=submit]")
    citizen.wait_for_load_state()
    assert citizen.url.endswith("/keberatan/dilacak")  # the token is in the tracking cookie
    objection_url = citizen.locator("#tracking-link").get_attribute("href")  # the link to keep
    number = citizen.locator("#objection-number").inner_text().strip()
    assert (
        _helper_label(app, "objection_status", "received")
        in citizen.locator("#objection-status").inner_text()
    )
    assert _fits_the_screen(citizen)

    # The superior signs in, finds it in the objections inbox and overturns the refusal.
    boss = _sign_in(browser, portal, superior)
    boss.goto(portal + "/ppid/keberatan")
    boss.locator("table.lp-objection-inbox").get_by_role("link", name=number).click()
    boss.wait_for_load_state()
    assert REASON in _text(boss)
    answer = boss.locator("#step-putuskan")
    answer.locator("#field-putuskan-decision-overturned").check()
    answer.locator("#field-putuskan-reasons").fill("Tidak ada uji konsekuensi atas penolakan ini")
    answer.locator("#field-putuskan-instruction").fill(INSTRUCTION)
    answer.locator("#field-putuskan-superior").fill("Sekretaris Daerah")
    answer.locator("button[type=submit]").click()
    boss.wait_for_load_state()
    assert _label(app, "The answer was recorded.") in boss.locator(".flash-messages").inner_text()
    assert INSTRUCTION in boss.locator("#superior-answer").inner_text()

    # The request is back in the officer's hands, with the instruction; they grant it in full.
    clerk = _sign_in(browser, portal, officer)
    clerk.goto(f"{portal}/ppid/permohonan/{created['id']}")
    assert INSTRUCTION in _text(clerk)
    decide = clerk.locator("#step-putuskan")
    decide.locator("#field-putuskan-outcome-granted_full").check()
    decide.locator("#field-putuskan-information-given").fill(GIVEN)
    decide.locator("#field-putuskan-release-format").select_option("softcopy")
    decide.locator("#field-putuskan-release-delivery").select_option("email")
    decide.locator("#field-putuskan-provide-by-date").fill("2030-12-31")
    decide.locator("#field-putuskan-fee").fill("0")
    decide.locator("button[type=submit]").click()
    clerk.wait_for_load_state()
    granted = _helper_label(app, "outcome", "granted_full")
    assert granted in clerk.locator(".flash-messages").inner_text()

    # The citizen's tracking page shows the new decision; the objection page the answer.
    citizen.goto(_on_portal(created["tracking_url"], portal))
    status = citizen.locator("#request-status").inner_text()
    assert granted in status and _helper_label(app, "status", "decided") in status
    assert GIVEN in _text(citizen)
    assert number in citizen.locator("#objection-offer").inner_text()
    citizen.goto(objection_url)
    assert citizen.locator("#superior-instruction").inner_text().strip() == INSTRUCTION
    assert "14" in citizen.locator(".lp-dispute-info").inner_text()
    assert _fits_the_screen(citizen)
