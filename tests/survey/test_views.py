"""The survey's pages through the real app: the invitation on the tracking page, the form
(errors keep what was typed; once answered, thanks), the index on the statistics page and in
the annual report, and the officers' list. Indonesian is the site's default language."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests.helpers import call_action

from ckanext.layananpublik.cases.clock import today
from ckanext.layananpublik.cases.mail import in_language
from ckanext.layananpublik.requests.model import InformationRequest
from tests.cases.factories import as_user, submit
from tests.pages import Browser, post_form, soup
from tests.survey.conftest import answer, answers, decided_request

pytestmark = pytest.mark.ckan_config("ckanext.layananpublik.survey.min_responses", 2)


def survey_url(created: dict) -> str:
    return f"/survei/lacak/{created['tracking_token']}"


def test_the_tracking_page_of_a_decided_request_invites_to_the_survey(app, decided, body):
    page = soup(app.get(f"/permohonan/lacak/{decided['tracking_token']}"))
    invite = page.select_one("#survey-invite")
    assert invite is not None and invite.select_one("a")["href"] == survey_url(decided)
    undecided = submit(body["id"], email="lain@example.com", phone="0813 1111 2222")
    assert soup(app.get(f"/permohonan/lacak/{undecided['tracking_token']}")).select_one("#survey-invite") is None


def test_a_form_with_missing_answers_comes_back_with_what_was_typed(client, decided):
    typed = {**answers(4, 3, 2, 1, 4, 3), "suggestion": "Jam layanan diperpanjang"}  # u7–u9 left out
    response = post_form(client, survey_url(decided), typed)
    assert response.status_code == 400
    page = soup(response)
    for name in ("u7", "u8", "u9"):
        assert page.select_one(f"#field-{name}-error"), name
        assert page.select_one(f"#field-{name}-group")["aria-describedby"] == f"field-{name}-error"
    assert page.select_one("#field-u1")["value"] == "1" and page.select_one("#field-u1").has_attr("checked") is False
    assert page.select_one("#field-u1-4").has_attr("checked")
    assert page.select_one("#field-u4").has_attr("checked")  # 1 is the first option
    assert page.select_one("#field-suggestion").get_text() == "Jam layanan diperpanjang"
    assert page.select_one(".lp-error-summary a[href='#field-u7']")


def test_an_answered_survey_thanks_and_is_not_offered_again(app, client, decided):
    response = post_form(client, survey_url(decided), answers(3, 3, 3, 3, 3, 3, 3, 3, 3))
    assert response.request.path == survey_url(decided)  # back to the survey's address (redirected)
    page = soup(response)
    assert page.select_one("#survey-form") is None and page.select_one("#survey-closed")
    assert call_action("layananpublik_survey_index", organization_id="diskominfo")["responses"] == 1
    tracking = soup(app.get(f"/permohonan/lacak/{decided['tracking_token']}"))
    assert tracking.select_one("#survey-invite a") is None  # thanks instead of the button
    assert tracking.select_one("#survey-invite")


def test_a_wrong_tracking_link_finds_no_survey(app):
    assert app.get("/survei/lacak/" + "A" * 32, status=404)


def test_the_statistics_page_and_the_annual_report_show_the_published_index(app, body, officer):
    year = today().year
    page = soup(app.get(f"/permohonan/statistik?organization_id=diskominfo&year={year}"))
    assert page.select_one("#survey-unpublished") and page.select_one("#survey-ikm") is None
    answer(decided_request(body["id"], officer, 1), 4, 3, 2, 4, 3, 4, 4, 3, 3, suggestion="Rahasia warga")
    answer(decided_request(body["id"], officer, 2), 3, 3, 3, 4, 3, 3, 4, 2, 3)
    for url in (f"/permohonan/statistik?organization_id=diskominfo&year={year}",
                f"/informasi-publik/laporan/{year}?organization_id=diskominfo",
                f"/permohonan/statistik?year={year}"):  # fmt: skip
        response = app.get(url)
        page = soup(response)
        # the index as the Indonesian site writes a decimal (80.56 on /en/)
        assert "80,56" in page.select_one("#survey-ikm").get_text(), url
        assert len(page.select("#survey-unsur tbody tr")) == 9
        assert "Rahasia warga" not in response.get_data(as_text=True)


def test_officers_see_their_body_s_responses_and_others_do_not(app, decided, body, officer, other_officer):
    answer(decided, suggestion="Formulir di loket kurang jelas")
    stats = Browser(app, officer).page("/permohonan/statistik?organization_id=diskominfo")
    link = stats.select_one("#survey-responses-link a")["href"]
    assert link.startswith("/survei/tanggapan?") and soup(app.get("/permohonan/statistik?organization_id=diskominfo")
                                                          ).select_one("#survey-responses-link") is None  # fmt: skip
    page = Browser(app, officer).page(link)
    assert "Formulir di loket kurang jelas" in page.select_one("#survey-responses").get_text()
    theirs = Browser(app, other_officer)
    assert theirs.page("/survei/tanggapan").select_one("#survey-no-responses")  # their own body's: none
    theirs.get("/survei/tanggapan?organization_id=diskominfo", status=403)
    assert app.get("/survei/tanggapan", follow_redirects=False).status_code == 302  # to the login page


def test_the_decision_email_invites_to_the_survey(body, officer, requester, smtp_sink, run_jobs):
    mine = submit(body["id"], user=requester)
    run_jobs()
    smtp_sink.clear()
    call_action("layananpublik_request_decide", context=as_user(officer), id=mine["id"], outcome="not_documented")
    run_jobs()
    (message,) = smtp_sink
    text = message.get_payload(decode=True).decode()
    assert f"/survei/saya/{mine['id']}" in text


def test_an_anonymous_requester_s_decision_email_points_to_the_tracking_link(app, body, officer, smtp_sink, run_jobs):
    created = submit(body["id"])
    run_jobs()
    smtp_sink.clear()
    with app.flask_app.test_request_context():  # decided through the web or the API: in a request
        call_action("layananpublik_request_decide", context=as_user(officer), id=created["id"],
                    outcome="not_documented")  # fmt: skip
    run_jobs()
    (message,) = smtp_sink
    text = " ".join(message.get_payload(decode=True).decode().split())
    language = model.Session.get(InformationRequest, created["id"]).language  # the email is in the requester's
    with app.flask_app.test_request_context(), in_language(language):
        expected = tk._('open the tracking link from your first email and choose "Answer the survey"')
    assert expected in text
    assert created["tracking_token"] not in text  # only its hash is stored: the email cannot carry it


@pytest.mark.ckan_config("ckanext.layananpublik.survey.enabled", False)
def test_no_invitation_when_the_survey_is_off(app, decided):
    page = soup(app.get(f"/permohonan/lacak/{decided['tracking_token']}"))
    assert page.select_one("#survey-invite") is None
