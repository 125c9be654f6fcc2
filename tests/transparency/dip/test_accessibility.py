"""axe-core (axe-playwright-python) in headless Chromium: no serious or critical violations
on the DIP, DIK and berkala pages, on a 360 px phone and on a desktop."""

from __future__ import annotations

import pytest
from ckan.tests.helpers import call_action

from tests.browser.conftest import browser, portal  # noqa: F401 - fixtures
from tests.transparency.dip.conftest import dip_dataset, exempt_record

pytest.importorskip("axe_playwright_python")

VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 900}}
PAGES = ["/informasi-publik/dip", "/informasi-publik/dip/diskominfo", "/informasi-publik/dik",
         "/informasi-publik/berkala/diskominfo"]  # fmt: skip


def serious(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    response = Axe().run(page).response
    assert response["passes"], "axe-core did not run"
    violations = response["violations"]
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_no_serious_violations(body, portal, browser, viewport):  # noqa: F811
    dip_dataset(body, title="Ringkasan kinerja 2025")
    dip_dataset(body, title="Anggaran 2026", information_category="setiap_saat", berkala_items=[])
    call_action("layananpublik_exempt_item_create", **exempt_record(body))
    page = browser.new_page(viewport=VIEWPORTS[viewport])
    found = {}
    for path in PAGES:
        page.goto(portal + path)
        assert page.locator("h1").count() == 1
        problems = serious(page)
        if problems:
            found[path] = problems
    assert found == {}


def test_the_dip_works_with_the_keyboard(body, portal, browser):  # noqa: F811
    dataset = dip_dataset(body, title="Ringkasan kinerja 2025")
    page = browser.new_page(viewport=VIEWPORTS["phone"])
    page.goto(portal + "/informasi-publik/dip")
    page.focus("#dip-q")
    page.keyboard.type("kinerja")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=kinerja**")
    link = page.locator(f'a[href="/dataset/{dataset["name"]}"]')
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/dataset/{dataset['name']}")
