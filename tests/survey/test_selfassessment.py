"""The self-assessment's "satisfaction survey" item: met once the index of this year or last
year is published (enough responses), never while the survey is off."""

from __future__ import annotations

import pytest
from ckan.tests.helpers import call_action

from tests.survey.conftest import answer, decided_request

pytestmark = pytest.mark.ckan_config("ckanext.layananpublik.survey.min_responses", 2)


def survey_item(org: str | None = "diskominfo") -> dict:
    result = call_action("layananpublik_selfassessment_show", **({"organization_id": org} if org else {}))
    return {i["key"]: i for i in result["items"]}["satisfaction_survey"]


def test_the_survey_item_is_met_once_the_index_is_published(body, officer):
    answer(decided_request(body["id"], officer, 1))
    assert survey_item()["status"] == "not_met"  # one response: below the minimum
    answer(decided_request(body["id"], officer, 2))
    met = survey_item()
    assert met["met"] is True and met["evidence"].startswith("/permohonan/statistik")
    assert "100.00" in met["note"]
    assert survey_item(None)["met"] is True  # the all-bodies index too


@pytest.mark.ckan_config("ckanext.layananpublik.survey.enabled", False)
def test_the_survey_item_is_not_met_while_the_survey_is_off(body):
    assert survey_item()["status"] == "not_met"
