"""Browser journey: a citizen on a phone opens the portal's home page."""

from __future__ import annotations

import pytest


@pytest.mark.browser
def test_home_page_shows_site_title_on_a_phone(portal, browser):
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(portal + "/")
    assert "Portal Uji Layanan Informasi Publik" in page.title()
    footer = page.locator("footer").inner_text()
    assert "Keterbukaan Informasi Publik" in footer
