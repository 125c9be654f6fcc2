"""axe-core (axe-playwright-python) in headless Chromium: no serious or critical violations on
the profile page, a report page and the self-assessment, on a 360 px phone and a desktop."""

from __future__ import annotations

import pytest
from ckan.tests.helpers import call_action

from tests.browser.conftest import browser, portal  # noqa: F401 - fixtures
from tests.cases.factories import submit
from tests.transparency.dip.test_accessibility import VIEWPORTS, serious

pytest.importorskip("axe_playwright_python")


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_no_serious_violations(body, portal, browser, viewport):  # noqa: F811
    submit(body["id"])
    year = call_action("layananpublik_request_stats")["year"]
    page = browser.new_page(viewport=VIEWPORTS[viewport])
    found = {}
    for path in ["/informasi-publik/profil-ppid", "/informasi-publik/diskominfo/standar-layanan",
                 f"/informasi-publik/laporan/{year}?organization_id=diskominfo",
                 f"/informasi-publik/laporan/{year}/q1", "/informasi-publik/penilaian-mandiri"]:  # fmt: skip
        page.goto(portal + path)
        assert page.locator("h1").count() == 1, path
        problems = serious(page)
        if problems:
            found[path] = problems
    assert found == {}


def test_the_report_periods_work_with_the_keyboard(body, portal, browser):  # noqa: F811
    page = browser.new_page(viewport=VIEWPORTS["phone"])
    page.goto(portal + "/informasi-publik/laporan/2026")
    link = page.locator('a[href="/informasi-publik/laporan/2026/q3"]')
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/laporan/2026/q3")
    assert page.locator("a[aria-current=page]", has_text="3").count() == 1
