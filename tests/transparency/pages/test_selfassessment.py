"""The self-assessment is honest: an item is met only when the data behind it exists, and
then links to the evidence; a page on its default text is not met; the annual report is met
when last year's was published; no official score is claimed."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from ckan.tests.helpers import call_action

from tests.cases.factories import shared_people_fixtures, submit
from tests.transparency.dip.conftest import dip_dataset
from tests.transparency.pages.conftest import as_user

# body, other_body, officer, other_officer, sysadmin, requester: built once per set of them
# (tests/cases/snapshots.py).
globals().update(shared_people_fixtures())


def items(org: str | None = "diskominfo") -> dict:
    result = call_action("layananpublik_selfassessment_show", **({"organization_id": org} if org else {}))
    return {i["key"]: i for i in result["items"]}


def test_the_register_and_statistics_are_met_because_the_pages_exist_even_without_requests(body):
    before = items()
    assert before["request_register"]["met"] is True and before["request_register"]["evidence"] == "/permohonan/"
    assert before["statistics"]["met"] is True and before["statistics"]["evidence"].startswith(
        "/permohonan/statistik"
    )
    assert before["request_register"]["note"].startswith("0 ")
    submit(body["id"])
    assert items()["request_register"]["note"].startswith("1 ")


def test_the_dip_is_met_once_it_has_a_row(body):
    assert items()["dip"]["status"] == "not_met"
    dip_dataset(body)
    dip = items()["dip"]
    assert dip["met"] is True and dip["evidence"] == "/informasi-publik/dip/diskominfo"


def test_the_dik_is_not_met_while_empty(body):
    dik = items()["dik"]
    assert dik["status"] == "not_met" and dik["evidence"] == "/informasi-publik/dik/diskominfo"


def test_a_page_still_on_its_default_text_is_not_met(body, admin):
    page = items()["page_maklumat"]
    assert page["met"] is False and page["default_text"] is True
    assert page["evidence"] == "/informasi-publik/diskominfo/maklumat"
    call_action("layananpublik_page_update", context=as_user(admin), slug="maklumat", language="id",
                organization_id=body["id"], title="Maklumat", body="Kami sanggup ...")  # fmt: skip
    page = items()["page_maklumat"]
    assert page["met"] is True and page["default_text"] is False


def test_service_hours_are_met_once_the_ppid_profile_states_them(body, admin):
    assert items()["service_hours"]["met"] is False  # the default profile holds only blanks
    call_action("layananpublik_page_update", context=as_user(admin), slug="profil-ppid", language="id",
                organization_id=body["id"], title="Profil PPID",
                body="## Jam layanan\n\nSenin–Jumat 08.00–16.00 WIB\n")  # fmt: skip
    hours = items()["service_hours"]
    assert hours["met"] is True and "08.00" in hours["note"]


def test_serta_merta_and_setiap_saat_are_met_when_the_dip_lists_them(body):
    before = items()
    assert before["serta_merta"]["met"] is False and before["setiap_saat"]["met"] is False
    dip_dataset(body, information_category="serta_merta", berkala_items=[])
    after = items()
    assert after["serta_merta"]["met"] is True and after["setiap_saat"]["met"] is False
    assert after["serta_merta"]["evidence"] == "/informasi-publik/dip/diskominfo?category=serta_merta"


def test_the_annual_report_is_met_once_last_years_report_is_published(body, admin):
    from ckan.tests import factories

    result = call_action("layananpublik_selfassessment_show", organization_id=body["id"])
    last = result["year"] - 1
    report = {i["key"]: i for i in result["items"]}["annual_report"]
    assert report["status"] == "not_met" and report["evidence"].startswith(
        f"/informasi-publik/laporan/{last}"
    )
    # Narrative parts written are not a published report.
    call_action("layananpublik_report_narrative_update", context=as_user(admin), year=last, language="id",
                organization_id=body["id"], section="policy", body="Kebijakan layanan")  # fmt: skip
    assert items()["annual_report"]["met"] is False
    # This year's report published is not last year's.
    factories.Dataset(owner_org=body["id"], name="laporan-ppid")
    publish = {"organization_id": body["id"], "package_id": "laporan-ppid", "format": "csv"}
    call_action("layananpublik_report_publish", context=as_user(admin), year=last + 1, **publish)
    assert items()["annual_report"]["met"] is False
    call_action("layananpublik_report_publish", context=as_user(admin), year=last, **publish)
    assert items()["annual_report"]["met"] is True


def test_social_media_is_not_met_without_a_channel(body):
    assert items()["social_media"]["status"] == "not_met"


def test_the_berkala_checklist_is_checked_per_body(body):
    assert items(None)["berkala"]["status"] == "not_applicable"
    assert items()["berkala"]["status"] == "not_met"  # no berkala item is covered yet


def test_a_missing_action_is_not_met_with_a_note(body, monkeypatch):
    from ckan import logic

    real = logic.get_action

    def without_dip(name):
        if name == "layananpublik_dip_list":
            raise KeyError(name)
        return real(name)

    monkeypatch.setattr("ckan.plugins.toolkit.get_action", without_dip)
    dip = items()["dip"]
    assert dip["status"] == "not_met" and "layananpublik_dip_list" in dip["note"]


def test_the_count_is_not_an_official_score(body):
    result = call_action("layananpublik_selfassessment_show", organization_id=body["id"])
    counted = [i for i in result["items"] if i["status"] != "not_applicable"]
    assert result["met"] == sum(i["met"] for i in counted) and result["total"] == len(counted)
    assert result["official_score"] is None


def test_the_page_lists_items_with_evidence_links(app, client, body):
    soup = BeautifulSoup(client().get("/informasi-publik/penilaian-mandiri?organization_id=diskominfo").body,
                         "html.parser")  # fmt: skip
    row = soup.select_one("#item-page_sop")
    assert row.select_one("a")["href"] == "/informasi-publik/diskominfo/sop"
    assert row.select_one(".lp-flag")  # default text
    assert soup.select_one("#item-page_sop .lp-status-not-met")
    assert soup.select_one("#item-request_register .lp-status-not-met") is None


@pytest.mark.parametrize("who", [None, "admin"])
def test_everyone_may_see_it(app, client, body, admin, who):
    client(admin if who else None).get("/informasi-publik/penilaian-mandiri")
