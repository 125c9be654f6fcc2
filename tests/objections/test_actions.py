"""Objections (keberatan) and disputes through the action layer, on the real database."""

from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.layananpublik.calendar.deadlines import WorkingCalendar, deadline_after
from tests.cases.factories import (
    CONSEQUENCE_TEST,
    GRANT_NOTICE,
    as_user,
    make_officer,
    shared_people_fixtures,
    submit,
)

# body, other_body, officer, other_officer, sysadmin, requester: built once per set of them
# (tests/cases/snapshots.py).
globals().update(shared_people_fixtures())

ANON = {"user": "", "ignore_auth": False}


@pytest.fixture
def superior(body):
    return make_officer(body["id"], role="superior")


def refuse(officer, request_id, grounds=("h",)):
    return call_action("layananpublik_request_decide", context=as_user(officer), id=request_id, outcome="refused",
                       refusal_grounds=list(grounds), **CONSEQUENCE_TEST)  # fmt: skip


def object_to(created, grounds=("a",), **extra):
    return call_action("layananpublik_objection_create", context=dict(ANON),
                       request_tracking_token=created["tracking_token"], grounds=list(grounds),
                       reason="Informasi ini tidak termasuk yang dikecualikan.", **extra)  # fmt: skip


def errors_of(exc_info) -> dict:
    return exc_info.value.error_dict


@pytest.mark.freeze_time("2026-11-02 03:00:00")
def test_a_refusal_opens_ground_a_for_30_working_days(body, officer):
    created = submit(body["id"])
    refuse(officer, created["id"])
    options = call_action("layananpublik_objection_options", context=dict(ANON),
                          request_tracking_token=created["tracking_token"])  # fmt: skip
    assert options["offered"] == options["proposed"] == ["a"]
    assert set(options["grounds"]) == {"a", "b", "d", "e"}  # not c (answered), f (free), g (in time)
    # Decided Mon 2 Nov; 30 working days later (no holiday in between): Mon 14 Dec 2026.
    assert options["grounds"]["a"]["deadline"] == "2026-12-14"
    assert options["grounds"]["a"]["open"] is True


def test_an_objection_gets_a_number_a_token_and_a_30_working_day_deadline(body, officer):
    created = submit(body["id"])
    refuse(officer, created["id"])
    objection = object_to(created)
    assert objection["registration_number"].startswith("001/KEB-DISKOMINFO/")
    assert objection["tracking_url"].endswith("/keberatan/lacak/" + objection["tracking_token"])
    assert objection["status"] == "received" and objection["grounds"] == ["a"]
    assert objection["filer_name"] == "Siti Rahmawati"
    assert "30 hari kerja" in objection["answer_deadline_explanation"]
    shown = call_action(
        "layananpublik_request_show", context=dict(ANON), tracking_token=created["tracking_token"]
    )
    assert [o["registration_number"] for o in shown["objections"]] == [objection["registration_number"]]
    assert shown["history"][-1]["action"] == "objection_filed"


def test_objection_and_request_numbers_count_apart(body, officer):
    first = submit(body["id"])
    refuse(officer, first["id"])
    object_to(first)
    second = submit(body["id"])
    assert second["registration_number"].startswith("002/PPID-")
    refuse(officer, second["id"])
    assert object_to(second)["registration_number"].startswith("002/KEB-")


@pytest.mark.parametrize("grounds", [["c"], ["g"], ["f"]])
def test_grounds_that_do_not_apply_are_refused(body, officer, grounds):
    created = submit(body["id"])
    refuse(officer, created["id"])
    with pytest.raises(tk.ValidationError) as exc:
        object_to(created, grounds=grounds)
    assert "grounds" in errors_of(exc)


@pytest.mark.parametrize("grounds", [[], ["z"], ""])
def test_grounds_must_be_letters_a_to_g(body, officer, grounds):
    created = submit(body["id"])
    refuse(officer, created["id"])
    with pytest.raises(tk.ValidationError) as exc:
        object_to(created, grounds=grounds)
    assert "grounds" in errors_of(exc)


@pytest.mark.freeze_time("2026-11-02 03:00:00")
def test_no_answer_by_the_deadline_opens_ground_c(body, freezer):
    created = submit(body["id"])  # due Mon 16 Nov
    freezer.move_to("2026-11-16 10:00:00")
    with pytest.raises(tk.ValidationError):
        object_to(created, grounds=["c"])
    freezer.move_to("2026-11-17 03:00:00")
    assert object_to(created, grounds=["c"])["ground_arose_date"] == "2026-11-16"


@pytest.mark.freeze_time("2026-11-02 03:00:00")
def test_a_late_answer_opens_ground_g(body, officer, freezer):
    created = submit(body["id"])
    freezer.move_to("2026-11-18 03:00:00")
    refuse(officer, created["id"])
    options = call_action("layananpublik_objection_options", context=dict(ANON),
                          request_tracking_token=created["tracking_token"])  # fmt: skip
    assert options["offered"] == ["a", "g"]


@pytest.mark.freeze_time("2026-11-02 03:00:00")
def test_a_late_objection_is_refused_unless_an_officer_records_it(body, officer, freezer):
    created = submit(body["id"])
    refuse(officer, created["id"])
    freezer.move_to("2026-12-15 03:00:00")  # the day after the last day (14 Dec)
    with pytest.raises(tk.ValidationError) as exc:
        object_to(created)
    assert "14 Des 2026" in errors_of(exc)["grounds"][0]  # the last day, in words (site language)
    options = call_action("layananpublik_objection_options", context=dict(ANON),
                          request_tracking_token=created["tracking_token"])  # fmt: skip
    assert (options["proposed"], options["offered"]) == (["a"], [])  # proposed, but closed
    with pytest.raises(tk.NotAuthorized):
        object_to(created, record_late=True)
    recorded = call_action("layananpublik_objection_create", context=as_user(officer), request_id=created["id"],
                           grounds=["a"], reason="Diterima langsung di loket", record_late=True)  # fmt: skip
    assert recorded["late_accepted"] is True
    assert recorded["history"][0]["actor_role"] == "officer"


def test_one_open_objection_per_request(body, officer):
    created = submit(body["id"])
    refuse(officer, created["id"])
    object_to(created)
    with pytest.raises(tk.ValidationError) as exc:
        object_to(created, grounds=["d"])
    assert "grounds" in errors_of(exc)


def test_a_stranger_cannot_object_to_someone_else_s_request(body, officer):
    created = submit(body["id"])
    refuse(officer, created["id"])
    with pytest.raises(tk.NotAuthorized):
        call_action("layananpublik_objection_create", context=dict(ANON), request_id=created["id"], grounds=["a"],
                    reason="x")  # fmt: skip


def test_the_public_sees_the_register_entry_only(body, officer):
    created = submit(body["id"])
    refuse(officer, created["id"])
    objection = object_to(created)
    shown = call_action("layananpublik_objection_show", context=dict(ANON), id=objection["id"])
    assert "reason" not in shown and "filer_name" not in shown and "history" not in shown
    assert shown["request"]["registration_number"] == created["registration_number"]
    register = call_action("layananpublik_objection_list", context=dict(ANON))
    assert register["count"] == 1 and "Siti" not in str(register)
    full = call_action(
        "layananpublik_objection_show", context=dict(ANON), tracking_token=objection["tracking_token"]
    )
    assert full["reason"].startswith("Informasi ini")


def test_only_the_superior_answers(body, officer, superior):
    created = submit(body["id"])
    refuse(officer, created["id"])
    objection = object_to(created)
    answer = {"id": objection["id"], "decision": "upheld", "reasons": "Pengecualian sah.",
              "superior_name_position": "Sekretaris Daerah"}  # fmt: skip
    with pytest.raises(tk.NotAuthorized):
        call_action("layananpublik_objection_decide", context=as_user(officer), **answer)
    decided = call_action("layananpublik_objection_decide", context=as_user(superior), **answer)
    assert (decided["status"], decided["superior_decision"]) == ("decided", "upheld")
    assert decided["dispute_deadline"] and "14 hari kerja" in decided["dispute_deadline_explanation"]
    with pytest.raises(tk.ValidationError):
        call_action("layananpublik_objection_decide", context=as_user(superior), **answer)
    request = call_action("layananpublik_request_show", context=as_user(officer), id=created["id"])
    assert request["status"] == "decided"


def test_overturning_sends_the_request_back_to_the_officer(body, officer, superior):
    created = submit(body["id"])
    refuse(officer, created["id"])
    objection = object_to(created)
    with pytest.raises(tk.ValidationError) as exc:
        call_action("layananpublik_objection_decide", context=as_user(superior), id=objection["id"],
                    decision="overturned", reasons="Tidak memenuhi uji konsekuensi.",
                    superior_name_position="Sekretaris Daerah")  # fmt: skip
    assert "instruction" in errors_of(exc)
    call_action("layananpublik_objection_decide", context=as_user(superior), id=objection["id"],
                decision="overturned", reasons="Tidak memenuhi uji konsekuensi.",
                instruction="Berikan informasi dengan menghitamkan data pribadi.",
                superior_name_position="Sekretaris Daerah")  # fmt: skip
    request = call_action("layananpublik_request_show", context=as_user(officer), id=created["id"])
    assert request["status"] == "in_process" and request["outcome"] is None and request["reopened_at"]
    reopened = request["history"][-1]
    assert reopened["action"] == "reopened"
    assert reopened["note"] == "Berikan informasi dengan menghitamkan data pribadi."
    assert reopened["data"]["previous_decision"]["outcome"] == "refused"
    # A fresh 10-working-day period, no extension left, and the officer decides again.
    with pytest.raises(tk.ValidationError):
        call_action(
            "layananpublik_request_extend", context=as_user(officer), id=created["id"], days=3, reason="x"
        )
    again = call_action("layananpublik_request_decide", context=as_user(officer), id=created["id"],
                        outcome="granted_full", information_given="Dokumen lengkap", **GRANT_NOTICE)  # fmt: skip
    assert again["outcome"] == "granted_full"


@pytest.mark.freeze_time("2026-11-02 03:00:00")  # Monday: the request is due Monday 16 November
def test_an_overturned_decision_keeps_its_place_in_the_register_and_the_statistics(
    body, officer, superior, freezer
):
    created = submit(body["id"])
    freezer.move_to("2026-11-18 03:00:00")  # refused two days late
    refuse(officer, created["id"])
    objection = object_to(created, grounds=("a", "g"))
    call_action("layananpublik_objection_decide", context=as_user(superior), id=objection["id"],
                decision="overturned", reasons="Bukan rahasia", instruction="Berikan informasinya",
                superior_name_position="Sekda")  # fmt: skip
    call_action("layananpublik_request_decide", context=as_user(officer), id=created["id"],
                outcome="granted_full", information_given="Dokumen lengkap", **GRANT_NOTICE)  # fmt: skip
    (row,) = call_action(
        "layananpublik_request_register", context=as_user(officer), organization_id=body["id"]
    )
    assert (row["outcome"], row["decision_date"]) == ("granted_full", "2026-11-18")
    assert (row["first_outcome"], row["first_decision_date"], row["first_on_time"]) == (
        "refused",
        "2026-11-18",
        False,
    )
    # The second decision came on time (a fresh period), but the first was late: it counts late.
    total = call_action("layananpublik_request_stats", context=dict(ANON), year=2026)["total"]
    assert (total["decided"], total["decided_on_time"], total["overturned"]) == (1, 0, 1)


def test_disputes_are_recorded_after_the_answer(body, officer, superior):
    created = submit(body["id"])
    refuse(officer, created["id"])
    objection = object_to(created)
    with pytest.raises(tk.ValidationError):
        call_action(
            "layananpublik_objection_dispute_update",
            context=as_user(officer),
            id=objection["id"],
            stage="filed",
        )
    call_action("layananpublik_objection_decide", context=as_user(superior), id=objection["id"], decision="upheld",
                reasons="Sah.", superior_name_position="Sekda")  # fmt: skip
    call_action("layananpublik_objection_dispute_update", context=as_user(officer), id=objection["id"],
                stage="filed", filed_date="2026-12-01", requester_reply="Pemohon tidak puas")  # fmt: skip
    shown = call_action("layananpublik_objection_dispute_update", context=as_user(officer), id=objection["id"],
                        stage="decided", outcome="Komisi Informasi memerintahkan informasi dibuka")  # fmt: skip
    assert (shown["dispute_stage"], shown["dispute_filed_date"]) == ("decided", "2026-12-01")
    assert shown["requester_reply"] == "Pemohon tidak puas"
    assert [e["action"] for e in shown["history"]] == [
        "submitted",
        "decided",
        "dispute_filed",
        "dispute_decided",
    ]
    with pytest.raises(tk.NotAuthorized):
        call_action(
            "layananpublik_objection_dispute_update", context=dict(ANON), id=objection["id"], stage="filed"
        )


def test_the_commissions_result_and_a_court_appeal_are_recorded_and_counted(body, officer, superior):
    created = submit(body["id"])
    refuse(officer, created["id"])
    objection = object_to(created)
    call_action("layananpublik_objection_decide", context=as_user(superior), id=objection["id"], decision="upheld",
                reasons="Sah.", superior_name_position="Sekda")  # fmt: skip

    def dispute(**data):
        return call_action("layananpublik_objection_dispute_update", context=as_user(officer), id=objection["id"],
                           **data)  # fmt: skip

    with pytest.raises(tk.ValidationError) as early:  # no result before the commission decides
        dispute(stage="filed", result="granted")
    assert "result" in early.value.error_dict
    with pytest.raises(tk.ValidationError) as court:  # no appeal before the commission's decision
        dispute(stage="adjudication", court_stage="filed")
    assert "court_stage" in court.value.error_dict
    with pytest.raises(tk.ValidationError):
        dispute(stage="decided", result="menang")
    shown = dispute(stage="decided", result="granted", court_stage="filed")
    assert (shown["dispute_result"], shown["court_stage"]) == ("granted", "filed")
    year = call_action("layananpublik_request_stats", context=dict(ANON))["year"]
    figures = call_action("layananpublik_objection_stats", context=dict(ANON), year=year)
    assert figures["by_dispute_result"] == {"granted": 1} and figures["by_court_stage"] == {"filed": 1}
    assert figures["court_cases"] == 1 and figures["by_dispute_stage"] == {"decided": 1}


@pytest.mark.freeze_time("2026-11-02 03:00:00")
def test_a_silent_superior_opens_the_way_to_the_komisi_informasi(body, officer, smtp_sink, run_jobs, freezer):
    """Perki 1/2013 Pasal 13: 14 working days after the answer, or after the 30-working-day
    answer period ended without one."""
    make_officer(body["id"], role="superior")
    created = submit(body["id"], email="warga@example.com")
    refuse(officer, created["id"])
    objection = object_to(created)
    assert objection["due_date"] == "2026-12-14" and "dispute_deadline" not in objection
    freezer.move_to("2026-12-15 03:00:00")  # the day after the superior's last day
    shown = call_action(
        "layananpublik_objection_show", context=dict(ANON), tracking_token=objection["tracking_token"]
    )
    assert shown["overdue"] is True
    # 14 working days after the superior's last day (Mon 14 Dec 2026), holidays skipped.
    expected = deadline_after(dt.date(2026, 12, 14), 14, WorkingCalendar()).due
    assert shown["dispute_deadline"] == expected.isoformat() and expected > dt.date(2027, 1, 1)
    recorded = call_action("layananpublik_objection_dispute_update", context=as_user(officer), id=objection["id"],
                           stage="filed", filed_date="2026-12-16")  # fmt: skip
    assert (recorded["status"], recorded["dispute_stage"]) == ("received", "filed")
    sent = call_action("layananpublik_request_send_reminders", context={"ignore_auth": True})
    assert sent["objection_requester_overdue"] == 1
    assert call_action("layananpublik_request_send_reminders", context={"ignore_auth": True})[
        "objection_requester_overdue"] == 0  # fmt: skip
    run_jobs()
    told = [m for m in smtp_sink if "warga@example.com" in m["To"]
            and "Perki 1/2013" in m.get_payload(decode=True).decode()]  # fmt: skip
    assert len(told) == 1


def test_the_objection_register_and_statistics(body, officer, superior):
    for decision in ("upheld", "overturned"):
        created = submit(body["id"])
        refuse(officer, created["id"])
        objection = object_to(created, grounds=["a", "d"])
        call_action("layananpublik_objection_decide", context=as_user(superior), id=objection["id"], decision=decision,
                    reasons="r", instruction="i", superior_name_position="Sekda")  # fmt: skip
    rows = call_action(
        "layananpublik_objection_register", context=as_user(superior), organization_id=body["id"]
    )
    assert [r["superior_decision"] for r in rows] == ["upheld", "overturned"]
    assert rows[0]["filer_name"] == "Siti Rahmawati" and rows[0]["grounds"] == "a,d"
    assert rows[0]["information_requested"].startswith("Rincian realisasi")
    with pytest.raises(tk.NotAuthorized):
        call_action("layananpublik_objection_register", context=dict(ANON), organization_id=body["id"])
    stats = call_action("layananpublik_objection_stats", context=dict(ANON), organization_id=body["id"])
    assert (stats["received"], stats["upheld"], stats["overturned"], stats["pending"]) == (2, 1, 1, 0)
    assert stats["by_ground"] == {"a": 2, "d": 2}


@pytest.mark.freeze_time("2026-03-30 03:00:00")
def test_objection_statistics_of_the_days_received(body, officer, freezer):
    # Received 31 March and 1 April (00:30 WIB), in the body's time zone.
    for when, grounds in (("2026-03-31 03:00:00", ["a"]), ("2026-03-31 17:30:00", ["a", "d"])):
        freezer.move_to(when)
        created = submit(body["id"])
        refuse(officer, created["id"])
        object_to(created, grounds=grounds)
    freezer.move_to("2027-01-04 03:00:00")

    def stats(**data):
        return call_action(
            "layananpublik_objection_stats", context=dict(ANON), organization_id=body["id"], **data
        )

    march = stats(date_from="2026-03-01", date_to="2026-03-31")
    assert (march["year"], march["received"], march["by_ground"]) == (2026, 1, {"a": 1})
    april = stats(date_from="2026-04-01")
    assert (april["received"], april["pending"], april["by_ground"]) == (1, 1, {"a": 1, "d": 1})
    assert stats(year=2026)["received"] == stats(year=2026, date_to="2026-12-31")["received"] == 2
    assert stats()["received"] == 0  # this year: 2027


def test_the_inbox_is_for_the_body_s_superior_and_officers(
    body, other_body, officer, superior, other_officer
):
    created = submit(body["id"])
    refuse(officer, created["id"])
    object_to(created)
    for user in (officer, superior):
        assert call_action("layananpublik_objection_list", context=as_user(user), scope="inbox")["count"] == 1
    assert (
        call_action("layananpublik_objection_list", context=as_user(other_officer), scope="inbox")["count"]
        == 0
    )
    with pytest.raises(tk.NotAuthorized):
        call_action("layananpublik_objection_list", context=as_user(factories.User()), scope="inbox")


@pytest.mark.freeze_time("2026-11-02 03:00:00")
def test_superiors_are_reminded_of_objections(body, officer, superior, smtp_sink, freezer):
    created = submit(body["id"])
    refuse(officer, created["id"])
    objection = object_to(created)  # answer due 30 working days after 2 Nov: 14 Dec
    send = lambda: call_action("layananpublik_request_send_reminders", context={"ignore_auth": True})  # noqa: E731
    freezer.move_to("2026-12-10 03:00:00")
    assert send()["objection_due_soon"] == 1
    assert send()["objection_due_soon"] == 0
    freezer.move_to("2026-12-16 03:00:00")
    assert send()["objection_overdue"] == 1
    mails = [m for m in smtp_sink if objection["registration_number"] in m["Subject"]]
    assert len([m for m in mails if superior["email"] in m["To"]]) == 2
    # The same run tells the requester, once, that the superior stayed silent (the outbox sends a
    # run's emails at once, the requester's too).
    (to_requester,) = [m for m in mails if superior["email"] not in m["To"]]
    assert created["email"] in to_requester["To"]


def test_objection_history_is_append_only(body, officer):
    created = submit(body["id"])
    refuse(officer, created["id"])
    object_to(created)
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        model.Session.execute(sa.text("UPDATE layananpublik_objection_event SET note = 'x'"))
    model.Session.rollback()


def test_a_sysadmin_exports_every_body_s_objections(body, officer, sysadmin):
    created = submit(body["id"])
    refuse(officer, created["id"])
    object_to(created)
    rows = call_action("layananpublik_objection_register", context=as_user(sysadmin))
    assert len(rows) == 1


def test_a_proxy_objects_with_the_requester_s_power_of_attorney(body, officer):
    import io

    from werkzeug.datastructures import FileStorage

    created = submit(body["id"])
    refuse(officer, created["id"])
    with pytest.raises(tk.ValidationError) as exc:
        object_to(created, filer_name="Andi Kuasa", filer_is_proxy=True)
    assert "power_of_attorney" in errors_of(exc)
    pdf = FileStorage(io.BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"), filename="surat-kuasa.pdf")
    objection = object_to(created, filer_name="Andi Kuasa", filer_is_proxy=True, power_of_attorney=pdf)
    assert (objection["filer_name"], objection["principal_name"]) == ("Andi Kuasa", created["name"])
    shown = call_action("layananpublik_request_show", context=as_user(officer), id=created["id"])
    assert [f["kind"] for f in shown["files"]] == ["power_of_attorney"]


# --- ground b without a request (Pasal 35(1)b) ------------------------------------------------------


def object_berkala(body, **extra):
    data = {"organization_id": body["name"], "filer_name": "Rina Kusuma", "email": "rina@example.com",
            "reason": "Laporan keuangan 2025 belum diumumkan.", **extra}  # fmt: skip
    return call_action("layananpublik_objection_berkala_create", context=dict(ANON), **data)


@pytest.mark.freeze_time("2026-11-02 03:00:00")
def test_anyone_objects_that_periodic_information_was_not_published_without_a_request(
    body, officer, superior, smtp_sink, run_jobs
):
    objection = object_berkala(body)
    assert objection["request"] is None and objection["grounds"] == ["b"]
    assert objection["registration_number"].startswith("001/KEB-DISKOMINFO/")
    # Received Mon 2 Nov 2026; 30 working days (no holiday in between): Mon 14 Dec 2026.
    assert objection["due_date"] == "2026-12-14" and objection["status"] == "received"
    assert objection["filer_email"] == "rina@example.com"
    public = call_action("layananpublik_objection_show", context=dict(ANON), registration_number=objection[
        "registration_number"])  # fmt: skip
    assert "filer_email" not in public and "reason" not in public and public["request"] is None
    run_jobs()
    receipt = [m for m in smtp_sink if "rina@example.com" in m["To"]]
    assert len(receipt) == 1 and objection["tracking_token"] in receipt[0].get_payload(decode=True).decode()
    decided = call_action("layananpublik_objection_decide", context=as_user(superior), id=objection["id"],
                          decision="overturned", reasons="Laporan wajib diumumkan berkala.",
                          instruction="Umumkan laporan keuangan 2025 dalam 7 hari kerja",
                          superior_name_position="Sekretaris Daerah")  # fmt: skip
    assert decided["status"] == "decided" and decided["superior_decision"] == "overturned"
    run_jobs()
    assert len([m for m in smtp_sink if "rina@example.com" in m["To"]]) == 2
    rows = call_action(
        "layananpublik_objection_register", context=as_user(officer), organization_id=body["id"]
    )
    assert rows[0]["request_registration_number"] is None and rows[0]["grounds"] == "b"


def test_an_objection_without_a_request_needs_a_body_a_name_and_a_contact(body):
    with pytest.raises(tk.ValidationError) as exc:
        object_berkala(body, organization_id="tidak-ada", filer_name="", email="", reason="")
    assert {"organization_id", "filer_name", "reason"} <= set(errors_of(exc))
    with pytest.raises(tk.ValidationError) as exc:
        object_berkala(body, email="")
    assert "email" in errors_of(exc) or "phone" in errors_of(exc)
    assert call_action("layananpublik_objection_list", scope="public")["count"] == 0
