"""The PPID roles page of a body (/ppid/petugas/<body>)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.cases.factories import make_officer, shared_people_fixtures, submit
from tests.pages import Browser
from tests.pages import field_error as _field_error
from tests.pages import page_text as _text
from tests.pages import translated as _

# body, other_body, officer, other_officer, sysadmin, requester: built once per set of them
# (tests/cases/snapshots.py).
globals().update(shared_people_fixtures())

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_redis")


@pytest.fixture
def new_request(body, officer):
    """A request received by the body (registered by its officer, so no rate limit applies)."""

    def make(**overrides) -> dict:
        return submit(body["id"], user=officer, **overrides)

    return make


def test_roles_page_adds_and_removes_an_officer(app, body, officer):
    admin = factories.User(fullname="Admin Diskominfo")
    call_action("member_create", id=body["id"], object=admin["id"], object_type="user", capacity="admin")
    editor = factories.User(fullname="Budi Santoso")
    call_action("member_create", id=body["id"], object=editor["id"], object_type="user", capacity="editor")
    browser = Browser(app, admin)

    soup = browser.page("/ppid/petugas/diskominfo")
    options = [o.get_text(strip=True) for o in soup.select("#field-roles-user option")]
    assert any(o.startswith("Budi Santoso") for o in options)
    soup = BeautifulSoup(
        browser.post_form(
            "/ppid/petugas/diskominfo", "#roles-add", {"user_id": editor["id"], "role": "officer"}
        ).body,
        "html.parser",
    )
    assert _(app, "The role was given.") in _text(soup.select_one(".flash-messages"))
    assert soup.select_one(f"tr[data-user='{editor['name']}'][data-role='officer']") is not None
    # The new officer now has an inbox.
    assert Browser(app, editor).get("/ppid/kotak-masuk").status_code == 200

    soup = BeautifulSoup(
        browser.post_form("/ppid/petugas/diskominfo", f"tr[data-user='{editor['name']}'] form", {}).body,
        "html.parser",
    )
    assert _(app, "The role was taken away.") in _text(soup.select_one(".flash-messages"))
    assert soup.select_one(f"tr[data-user='{editor['name']}']") is None
    assert Browser(app, editor).get("/ppid/kotak-masuk").status_code == 403


def test_roles_page_add_without_a_member_shows_the_error(app, body, sysadmin):
    soup = BeautifulSoup(
        Browser(app, sysadmin).post_form("/ppid/petugas/diskominfo", "#roles-add", {"user_id": ""}).body,
        "html.parser",
    )
    assert _field_error(soup, "roles-add", "field-roles-user") == _(app, "Missing value")


def test_roles_page_is_read_only_for_officers_and_closed_to_others(app, body, officer, other_officer):
    soup = Browser(app, officer).page("/ppid/petugas/diskominfo")
    assert soup.select_one(f"tr[data-user='{officer['name']}']") is not None
    assert soup.select_one("#roles-add") is None and soup.select_one("tr form") is None
    assert Browser(app, other_officer).get("/ppid/petugas/diskominfo").status_code == 403
    assert Browser(app, factories.User()).get("/ppid/petugas/diskominfo").status_code == 403


def test_roles_page_refuses_changes_by_an_officer_who_is_not_an_admin(app, body, officer, new_request):
    colleague = make_officer(body["id"])
    browser = Browser(app, officer)
    token = browser.page(f"/ppid/permohonan/{new_request()['id']}").select_one("input[name=_csrf_token]")["value"]
    response = browser.client.post(
        "/ppid/petugas/diskominfo",
        data={"form": "remove", "user_id": colleague["id"], "role": "officer", "_csrf_token": token},
        extra_environ=browser.environ,
    )
    assert response.status_code == 403
    holders = call_action("layananpublik_officer_list", organization_id=body["id"])
    assert colleague["id"] in [h["user_id"] for h in holders]


def test_a_bad_export_parameter_is_named_by_its_label(app, body, officer):
    page = Browser(app, officer).get("/ppid/register.csv?year=tahun-ini", status=400).get_data(as_text=True)
    assert f"{_(app, 'Year')}: " in page and "year:" not in page
