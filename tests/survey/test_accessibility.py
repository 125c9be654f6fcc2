"""The survey in headless Chromium with axe-core: no serious or critical violations on the form
(empty, and back with its errors), the tracking page's invitation and the published index, on a
360 px phone and a desktop; the form is answered with the keyboard alone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import browser, portal  # noqa: F401 - fixtures
from tests.survey.conftest import answer, decided_request
from tests.transparency.dip.test_accessibility import VIEWPORTS, serious

pytest.importorskip("axe_playwright_python")


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_no_serious_violations(body, officer, portal, browser, viewport):  # noqa: F811
    created = decided_request(body["id"], officer)
    for n in range(1, 6):  # the portal runs with the default minimum (5): the index is published
        answer(decided_request(body["id"], officer, n), 4, 3, 3, 4, 3, 4, 4, 3, 3)
    page = browser.new_page(viewport=VIEWPORTS[viewport])
    found = {}
    for path in (f"/permohonan/lacak/{created['tracking_token']}", f"/survei/lacak/{created['tracking_token']}",
                 "/permohonan/statistik?organization_id=diskominfo"):  # fmt: skip
        page.goto(portal + path)
        if problems := serious(page):
            found[path] = problems
    assert page.locator("#survey-ikm").count() == 1  # the statistics page shows the published index
    page.goto(portal + f"/survei/lacak/{created['tracking_token']}")
    page.click("#survey-form button[type=submit]")
    # The click returns once the answer starts arriving: axe must see the page with its
    # stylesheets (under load it once judged the links' colours before they had loaded).
    page.wait_for_load_state("load")
    assert page.locator(".lp-error-summary").count() == 1
    if problems := serious(page):
        found["form with errors"] = problems
    assert found == {}


def test_the_survey_is_answered_with_the_keyboard(body, officer, portal, browser):  # noqa: F811
    created = decided_request(body["id"], officer)
    page = browser.new_page(viewport=VIEWPORTS["phone"])
    page.goto(portal + f"/survei/lacak/{created['tracking_token']}")
    for n in range(1, 10):
        page.focus(f"#field-u{n}")  # the group's first answer; arrow keys move within the group
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")  # 3: baik
    page.focus("#field-suggestion")
    page.keyboard.type("Terima kasih")
    page.focus("#survey-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#survey-closed")
    page.goto(portal + "/api/3/action/layananpublik_survey_index?organization_id=diskominfo")
    assert '"responses": 1' in page.content()
