"""Our forms are protected against CSRF with CKAN 2.11's default
ckan.csrf_protection.ignore_extensions = true (which exempts extensions' blueprints)."""

from __future__ import annotations

import pytest

from tests.cases.factories import valid_request
from tests.pages import post_form

FORM = "/permohonan/ajukan"


@pytest.mark.ckan_config("ckan.csrf_protection.ignore_extensions", True)
@pytest.mark.usefixtures("clean_redis")
def test_a_form_posted_without_its_token_is_refused_with_the_option_at_its_default(app, body):
    data = {**valid_request(body["id"]), "organization_id": body["id"]}
    forged = app.test_client().post(FORM, data=data)
    assert forged.status_code == 400
    # The same form from the page, with its token, is accepted.
    client = app.test_client()
    sent = post_form(client, FORM, data, follow_redirects=False)
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/permohonan/dilacak/tanda-terima")


@pytest.mark.ckan_config("ckan.csrf_protection.ignore_extensions", True)
def test_an_officer_step_without_its_token_is_refused(app, body, officer):
    from tests.cases.factories import submit

    req = submit(body["id"], user=officer)
    response = app.test_client().post(
        f"/ppid/permohonan/{req['id']}/langkah/proses", data={"note": "x"},
        extra_environ={"REMOTE_USER": officer["name"]},
    )  # fmt: skip
    assert response.status_code == 400
