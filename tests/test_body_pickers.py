"""Every body picker and body filter lists every public body, however many there are, by
title. CKAN's organization_list gives at most ckan.group_and_organization_list_all_fields_max
(25) bodies with their titles whatever limit is asked for; web.bodies pages on."""

from __future__ import annotations

import pytest
from ckan.tests import factories

from tests.pages import soup

COUNT = 30  # more than the 25 organization_list gives with all_fields

# The pages with a body picker or filter (every body, for anyone): the home page, the DIP and the DIK, the
# annual and quarterly reports, the self-assessment, the forms (request, periodic-information
# objection, complaint), the request statistics and the objection register.
PICKERS = [
    "/",  # the home page's body picker (portal/)
    "/informasi-publik/dip",
    "/informasi-publik/dik",
    "/informasi-publik/laporan/2026",
    "/informasi-publik/laporan/2026/q1",
    "/informasi-publik/penilaian-mandiri",
    "/permohonan/ajukan",
    "/permohonan/statistik",
    "/keberatan/berkala",
    "/keberatan/",
    "/pengaduan/",
]


@pytest.fixture
def many_bodies(clean_db, with_plugins) -> list[str]:
    """30 bodies, made in the reverse of their titles' order; their names, in that order."""
    for n in reversed(range(COUNT)):
        factories.Organization(name=f"badan-{n:02d}", title=f"Badan {n:02d}")
    return [f"badan-{n:02d}" for n in range(COUNT)]


def picked(page, names: list[str]) -> list[str]:
    """The values of the page's <select> that offers the first of `names`."""
    select = page.find(lambda tag: tag.name == "select" and tag.find("option", value=names[0]))
    assert select is not None, "the page has a body picker"
    return [option["value"] for option in select.find_all("option") if option["value"]]


def test_every_body_picker_lists_every_body_by_title(app, many_bodies):
    # One set of bodies for every page: making 30 organisations is the slow part.
    for url in PICKERS:
        response = app.get(url)
        assert response.status_code == 200, url
        assert picked(soup(response), many_bodies) == many_bodies, url
