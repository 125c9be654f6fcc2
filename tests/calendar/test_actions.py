"""Actions of the working-day calendar: a change moves the deadlines of open requests."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests.helpers import call_action

from tests.cases.factories import as_user, decide, make_officer, shared_people_fixtures, submit

# body, other_body, officer, other_officer, sysadmin, requester: built once per set of them
# (tests/cases/snapshots.py).
globals().update(shared_people_fixtures())

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PERSONAL = (
    "name",
    "nik",
    "entity_decree_number",
    "address",
    "phone",
    "email",
    "occupation",
    "purpose",
    "user_id",
)


@pytest.mark.freeze_time("2026-11-02 03:00:00")  # Monday 2 Nov 2026; due Mon 16 Nov
def test_a_new_holiday_moves_open_deadlines(body, officer, sysadmin):
    open_request = submit(body["id"])
    decided = submit(body["id"])
    decide(officer, decided["id"], "not_documented")
    assert open_request["due_date"] == "2026-11-16"
    result = call_action("layananpublik_calendar_day_update", context=as_user(sysadmin), day="2026-11-10",
                         kind="holiday", name="Libur daerah")  # fmt: skip
    assert result["recomputed"] == 1
    shown = call_action("layananpublik_request_show", context=as_user(officer), id=open_request["id"])
    assert shown["due_date"] == "2026-11-17"
    assert "10 Nov (Libur daerah)" in shown["deadline_explanation"]
    assert shown["history"][-1]["action"] == "deadline_recomputed"
    assert shown["history"][-1]["data"] == {"old_due_date": "2026-11-16", "due_date": "2026-11-17"}
    unchanged = call_action("layananpublik_request_show", context=as_user(officer), id=decided["id"])
    assert unchanged["due_date"] == "2026-11-16"

    call_action("layananpublik_calendar_day_delete", context=as_user(sysadmin), day="2026-11-10")
    again = call_action("layananpublik_request_show", context=as_user(officer), id=open_request["id"])
    assert again["due_date"] == "2026-11-16"


@pytest.mark.freeze_time("2026-11-02 03:00:00")
def test_a_declared_working_day_shortens_deadlines(body, sysadmin):
    created = submit(body["id"])
    call_action("layananpublik_calendar_day_update", context=as_user(sysadmin), day="2026-11-07",
                kind="working_day", name="Hari kerja pengganti")  # fmt: skip
    shown = call_action("layananpublik_request_show", context={"user": "", "ignore_auth": False}, id=created["id"])
    assert shown["due_date"] == "2026-11-13"


ICAL = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Kemenpan//Libur 2027//ID\r
BEGIN:VEVENT\r
DTSTART;VALUE=DATE:20270310\r
DTEND;VALUE=DATE:20270312\r
SUMMARY:Cuti Bersama Idulfitri\r
END:VEVENT\r
BEGIN:VEVENT\r
DTSTART;VALUE=DATE:20270415\r
SUMMARY:Libur daerah\\, HUT Kota\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_an_ical_file_is_imported(body, sysadmin):
    result = call_action("layananpublik_calendar_import", context=as_user(sysadmin), ical=ICAL)
    assert result["imported"] == 3
    assert [(d["day"], d["kind"]) for d in result["days"]] == [
        ("2027-03-10", "cuti_bersama"), ("2027-03-11", "cuti_bersama"), ("2027-04-15", "holiday"),
    ]  # fmt: skip
    listed = call_action("layananpublik_calendar_day_list", context={"user": "", "ignore_auth": False}, year=2027)
    entry = next(d for d in listed["days"] if d["day"] == "2027-04-15")
    assert (entry["name"], entry["source"]) == ("Libur daerah, HUT Kota", "ical")


def test_a_broken_ical_file_is_refused(body, sysadmin):
    with pytest.raises(tk.ValidationError) as exc:
        call_action("layananpublik_calendar_import", context=as_user(sysadmin), ical="hello")
    assert "ical" in exc.value.error_dict


def test_the_calendar_lists_national_holidays_and_cuti_bersama(body):
    listed = call_action("layananpublik_calendar_day_list", context={"user": "", "ignore_auth": False}, year=2026)
    by_day = {d["day"]: d for d in listed["days"]}
    assert by_day["2026-12-25"]["kind"] == "holiday"
    assert by_day["2026-12-24"]["kind"] == "cuti_bersama"
    assert 235 <= listed["working_days"] <= 250


@pytest.mark.ckan_config("ckanext.layananpublik.calendar.count_cuti_bersama", "false")
def test_cuti_bersama_can_count_as_working_days(body):
    listed = call_action("layananpublik_calendar_day_list", context={"user": "", "ignore_auth": False}, year=2026)
    by_day = {d["day"]: d for d in listed["days"]}
    assert by_day["2026-12-24"]["counts_as_working_day"] is True
    counted = call_action("layananpublik_calendar_day_list", context={"user": "", "ignore_auth": False}, year=2026)["working_days"]
    assert counted > 235




@pytest.mark.freeze_time("2026-11-02 03:00:00")
def test_a_new_holiday_moves_the_superior_s_answer_deadline_too(body, officer, sysadmin):
    make_officer(body["id"], role="superior")
    created = submit(body["id"])
    decide(officer, created["id"], "refused")
    objection = call_action("layananpublik_objection_create", context={"user": "", "ignore_auth": False},
                            request_tracking_token=created["tracking_token"], grounds=["a"],
                            reason="Bukan rahasia pribadi.")  # fmt: skip
    assert objection["due_date"] == "2026-12-14"
    result = call_action("layananpublik_calendar_day_update", context=as_user(sysadmin), day="2026-12-01",
                         kind="holiday", name="Libur daerah")  # fmt: skip
    assert result["recomputed"] == 1  # the objection; the request is decided
    shown = call_action("layananpublik_objection_show", context=as_user(officer), id=objection["id"])
    assert shown["due_date"] == "2026-12-15"
    assert shown["history"][-1]["action"] == "deadline_recomputed"
    assert shown["history"][-1]["data"] == {"old_due_date": "2026-12-14", "due_date": "2026-12-15"}
