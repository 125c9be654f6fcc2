"""The satisfaction survey through the action layer: once per decided request, by its
requester only; an anonymous index published from N responses; officers see the anonymous
responses of their body only."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests.helpers import call_action

from tests.cases.factories import as_user, decide, make_officer, shared_people_fixtures, submit
from tests.survey.conftest import answer, answers, decided_request

# body, other_body, officer, other_officer, sysadmin, requester: built once per set of them
# (tests/cases/snapshots.py).
globals().update(shared_people_fixtures())

ANON = {"user": "", "ignore_auth": False}
pytestmark = pytest.mark.ckan_config("ckanext.layananpublik.survey.min_responses", 2)


def index(org_id: str | None = None, **data) -> dict:
    return call_action("layananpublik_survey_index", context=dict(ANON),
                       **({"organization_id": org_id} if org_id else {}), **data)  # fmt: skip


def test_the_requester_answers_once_after_the_decision(decided, body):
    status = call_action("layananpublik_survey_status", context=dict(ANON), tracking_token=decided["tracking_token"])
    assert status["open"] is True and status["answered"] is False
    result = answer(decided)
    assert result["submitted"] is True
    with pytest.raises(tk.ValidationError) as exc:
        answer(decided, 1, 1, 1, 1, 1, 1, 1, 1, 1)
    assert "survey" in exc.value.error_dict
    status = call_action("layananpublik_survey_status", context=dict(ANON), tracking_token=decided["tracking_token"])
    assert status["open"] is False and status["answered"] is True
    assert index(body["id"])["responses"] == 1


def test_there_is_no_survey_before_the_decision(body):
    created = submit(body["id"])
    with pytest.raises(tk.ValidationError) as exc:
        answer(created)
    assert "survey" in exc.value.error_dict
    status = call_action("layananpublik_survey_status", context=dict(ANON), tracking_token=created["tracking_token"])
    assert status["open"] is False and status["answered"] is False


def test_only_the_requester_may_answer(decided, body, officer, other_officer):
    for context in (dict(ANON), as_user(officer), as_user(other_officer)):
        with pytest.raises(tk.NotAuthorized):
            call_action("layananpublik_survey_submit", context=context, request_id=decided["id"], **answers())
    with pytest.raises(tk.ObjectNotFound):
        call_action("layananpublik_survey_submit", context=dict(ANON), tracking_token="x" * 32, **answers())


def test_a_signed_in_requester_answers_from_their_account(body, officer, requester):
    mine = submit(body["id"], user=requester)
    decide(officer, mine["id"], "not_documented")
    result = call_action("layananpublik_survey_submit", context=as_user(requester), request_id=mine["id"], **answers())
    assert result["submitted"] is True


@pytest.mark.parametrize(
    "fields, wrong",
    [({"u3": ""}, "u3"), ({"u1": "5"}, "u1"), ({"u9": "0"}, "u9"), ({"u4": "baik"}, "u4"),
     ({"suggestion": "x" * 2001}, "suggestion")],
)  # fmt: skip
def test_bad_answers_are_refused_on_their_field(decided, fields, wrong):
    data = {**answers(), **fields}
    if data.get("u3") == "":
        del data["u3"]
    with pytest.raises(tk.ValidationError) as exc:
        call_action("layananpublik_survey_submit", context=dict(ANON), tracking_token=decided["tracking_token"], **data)
    assert list(exc.value.error_dict) == [wrong]
    # Nothing was stored: the requester may still answer.
    assert answer(decided)["submitted"] is True


def test_the_index_is_published_from_the_minimum_and_never_shows_a_response(body, officer):
    first = decided_request(body["id"], officer, 1)
    answer(first, 4, 3, 2, 4, 3, 4, 4, 3, 3, suggestion="Loket buka lebih pagi")
    below = index(body["id"])
    assert below["responses"] == 1 and below["published"] is False
    assert below["ikm"] is None and below["unsur"] == []
    answer(decided_request(body["id"], officer, 2), 3, 3, 3, 4, 3, 3, 4, 2, 3)
    shown = index(body["id"])
    assert shown["published"] is True and shown["responses"] == 2
    assert [u["nrr"] for u in shown["unsur"]] == [3.5, 3.0, 2.5, 4.0, 3.0, 3.5, 4.0, 2.5, 3.0]
    assert shown["ikm"] == 80.56 and shown["grade"] == "B"
    assert "Loket" not in repr(shown)


def test_the_all_bodies_total_counts_only_published_bodies(body, other_body, officer, other_officer):
    for n in (1, 2):
        answer(decided_request(body["id"], officer, n), 4, 4, 4, 4, 4, 4, 4, 4, 4)
    answer(decided_request(other_body["id"], other_officer, 3), 1, 1, 1, 1, 1, 1, 1, 1, 1)
    total = index()
    assert total["responses"] == 2 and total["ikm"] == 100.0  # the lone response of dinkes is not in it
    by_name = {b["name"]: b for b in total["bodies"]}
    assert by_name["diskominfo"]["published"] is True
    assert by_name["dinkes"]["published"] is False and by_name["dinkes"]["ikm"] is None


def test_a_response_cannot_be_traced_to_its_request(decided):
    answer(decided, suggestion="Terima kasih")
    columns = {c["name"] for c in sa.inspect(model.Session.get_bind()).get_columns("layananpublik_survey_response")}
    assert columns == {"id", "organization_id", "year", "suggestion", *(f"u{n}" for n in range(1, 10))}
    stored = model.Session.execute(sa.text("SELECT * FROM layananpublik_survey_response")).mappings().one()
    assert decided["id"] not in stored.values() and decided["registration_number"] not in stored.values()


def test_officers_of_the_body_see_the_anonymous_responses(decided, body, officer, other_officer, sysadmin):
    answer(decided, suggestion="Mohon jawaban dikirim juga lewat pos")
    listed = call_action("layananpublik_survey_response_list", context=as_user(officer), organization_id=body["id"])
    (response,) = listed["results"]
    assert response["suggestion"] == "Mohon jawaban dikirim juga lewat pos"
    assert response["answers"] == dict.fromkeys((f"u{n}" for n in range(1, 10)), 4)
    assert set(response) == {"id", "year", "answers", "suggestion"}
    superior = make_officer(body["id"], role="superior")
    assert call_action("layananpublik_survey_response_list", context=as_user(superior),
                       organization_id=body["id"])["count"] == 1  # fmt: skip
    for context in (dict(ANON), as_user(other_officer)):
        with pytest.raises(tk.NotAuthorized):
            call_action("layananpublik_survey_response_list", context=context, organization_id=body["id"])


@pytest.mark.ckan_config("ckanext.layananpublik.survey.enabled", False)
def test_a_survey_turned_off_takes_no_answer_and_publishes_nothing(decided, body):
    with pytest.raises(tk.ValidationError):
        answer(decided)
    shown = index(body["id"])
    assert shown["enabled"] is False and shown["published"] is False
