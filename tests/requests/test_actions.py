"""The request actions through CKAN's action layer, on the real database."""

from __future__ import annotations

import datetime as dt
import io

import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action
from werkzeug.datastructures import FileStorage

from tests.cases.factories import (
    CONSEQUENCE_TEST,
    GRANT_NOTICE,
    VALID_NIK,
    as_user,
    make_officer,
    shared_people_fixtures,
    submit,
)
from tests.cases.factories import decide as _decide

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


# body, other_body, officer, other_officer, sysadmin, requester: built once per set of them.
globals().update(shared_people_fixtures())


def officer_ctx(user: dict) -> dict:
    return as_user(user)


ANON = {"user": "", "ignore_auth": False}


def errors_of(exc_info) -> dict:
    return exc_info.value.error_dict


# --- create ------------------------------------------------------------------------------


def test_create_gives_a_number_a_tracking_token_and_a_deadline(body):
    result = submit(body["id"])
    year = dt.date.today().year
    assert result["registration_number"].startswith("001/PPID-DISKOMINFO/")
    assert result["registration_number"].endswith(f"/{year}")
    assert len(result["tracking_token"]) >= 32
    assert result["tracking_url"].endswith("/permohonan/lacak/" + result["tracking_token"])
    assert result["status"] == "received"
    assert dt.date.fromisoformat(result["due_date"]) > dt.date.fromisoformat(result["received_date"])
    assert [e["action"] for e in result["history"]] == ["submitted"]
    assert result["nik"] == VALID_NIK


def test_only_a_hash_of_the_tracking_token_is_stored(body):
    result = submit(body["id"])
    stored = model.Session.execute(
        sa.text("SELECT tracking_token_hash FROM layananpublik_request")
    ).scalar_one()
    assert result["tracking_token"] not in stored
    assert len(stored) == 64


def test_numbers_count_per_body(body, other_body):
    numbers = [submit(body["id"])["registration_number"] for _ in range(3)]
    other = submit(other_body["id"])["registration_number"]
    assert [n.split("/")[0] for n in numbers] == ["001", "002", "003"]
    assert other.startswith("001/PPID-DINKES/")


def test_body_code_comes_from_the_ppid_code_extra(clean_db, with_plugins, with_request_context):
    org = factories.Organization(
        name="dinas-pendidikan-kota", extras=[{"key": "ppid_code", "value": "disdik"}]
    )
    assert submit(org["id"])["registration_number"].split("/")[1] == "PPID-DISDIK"


@pytest.mark.ckan_config("ckanext.layananpublik.request.number_format", "PPID/{body}/{year}/{seq:04d}")
def test_number_format_is_configurable(body):
    number = submit(body["id"])["registration_number"]
    assert number == f"PPID/DISKOMINFO/{dt.date.today().year}/0001"


@pytest.mark.freeze_time("2026-12-31 16:30:00")  # 23:30 WIB on New Year's Eve
def test_the_year_and_month_are_the_body_s_local_ones(body):
    result = submit(body["id"])
    assert result["registration_number"] == "001/PPID-DISKOMINFO/XII/2026"
    assert result["received_date"] == "2026-12-31"


@pytest.mark.freeze_time("2026-12-31 17:30:00")  # 00:30 WIB on 1 January 2027
def test_a_new_year_starts_at_one(body):
    assert submit(body["id"])["registration_number"] == "001/PPID-DISKOMINFO/I/2027"


@pytest.mark.freeze_time("2026-11-27 16:30:00")  # Friday 23:30 WIB
def test_a_late_friday_submission_counts_from_monday(body):
    result = submit(body["id"])
    assert result["received_date"] == "2026-11-27"
    # Mon 30 Nov is working day 1; ten working days end on Fri 11 Dec.
    assert result["due_date"] == "2026-12-11"
    assert "jatuh tempo Jum 11 Des 2026" in result["deadline_explanation"]


def test_a_failed_submission_gives_its_number_back(body, db_fault, ckan_config, monkeypatch, tmp_path):
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path))
    db_fault("Gagal Simpan")  # the database refuses this requester's row, after the number is drawn
    with pytest.raises(sa.exc.DBAPIError, match="injected fault"):
        submit(
            body["id"],
            name="Gagal Simpan",
            identity_document=FileStorage(io.BytesIO(PNG), filename="ktp.png"),
        )
    assert submit(body["id"])["registration_number"].startswith("001/")
    assert model.Session.execute(sa.text("SELECT count(*) FROM layananpublik_request")).scalar_one() == 1
    # ... and leaves no orphan identity file behind.
    from ckanext.layananpublik.cases import files

    stored = (
        [p for p in files.storage_root().rglob("*") if p.is_file()] if files.storage_root().exists() else []
    )
    assert stored == []


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"nik": "12345"}, "nik"),
        ({"nik": "9971015507900003"}, "nik"),  # province 99 does not exist
        ({"nik": "3171019907900003"}, "nik"),  # day 99
        ({"nik": ""}, "nik"),  # an individual needs one
        ({"requester_type": "legal_entity", "nik": ""}, "entity_decree_number"),
        ({"requester_type": "robot"}, "requester_type"),
        ({"phone": "", "email": ""}, "email"),
        ({"email": "not-an-address"}, "email"),
        ({"phone": "12ab"}, "phone"),
        ({"information_requested": "x" * 4001}, "information_requested"),
        ({"purpose": ""}, "purpose"),
        ({"obtain_method": "telepathy"}, "obtain_method"),
        ({"delivery_method": ""}, "delivery_method"),
        ({"package_id": "no-such-dataset"}, "package_id"),
        ({"website": "http://spam.example"}, "website"),
    ],
)
def test_bad_input_is_refused_with_a_message_on_the_field(body, overrides, field):
    with pytest.raises(tk.ValidationError) as exc:
        submit(body["id"], **overrides)
    assert field in errors_of(exc), errors_of(exc)
    assert all(isinstance(m, str) and m for m in errors_of(exc)[field])
    assert model.Session.execute(sa.text("SELECT count(*) FROM layananpublik_request")).scalar_one() == 0


def test_an_unknown_body_is_refused(body):
    with pytest.raises(tk.ValidationError) as exc:
        submit("no-such-body")
    assert "organization_id" in errors_of(exc)


def test_a_group_is_not_a_public_body(body):
    group = factories.Group()
    with pytest.raises(tk.ValidationError) as exc:
        submit(group["id"])
    assert "organization_id" in errors_of(exc)


def test_nik_and_phone_are_normalised(body):
    result = submit(body["id"], nik="3171 0155 0790 0003", phone="(0812) 3456-7890", email="Siti@Example.COM")
    assert (result["nik"], result["phone"], result["email"]) == (
        VALID_NIK,
        "081234567890",
        "siti@example.com",
    )


def test_a_legal_entity_gives_its_decree_number(body):
    result = submit(
        body["id"], requester_type="legal_entity", nik="", entity_decree_number="AHU-0012345.AH.01.07"
    )
    assert result["entity_decree_number"] == "AHU-0012345.AH.01.07"
    assert result["nik"] is None


def test_identity_document_type_is_judged_by_content(body):
    disguised = FileStorage(io.BytesIO(PNG), filename="ktp.pdf", content_type="application/pdf")
    result = submit(body["id"], identity_document=disguised)
    (identity,) = result["files"]
    assert (identity["kind"], identity["content_type"]) == ("identity", "image/png")


def test_a_script_named_like_a_pdf_is_refused(body):
    fake = FileStorage(
        io.BytesIO(b"#!/bin/sh\nrm -rf /\n"), filename="ktp.pdf", content_type="application/pdf"
    )
    with pytest.raises(tk.ValidationError) as exc:
        submit(body["id"], identity_document=fake)
    assert "identity_document" in errors_of(exc)


@pytest.mark.ckan_config("ckanext.layananpublik.request.identity_max_size_mb", 1)
def test_an_oversized_identity_document_is_refused(body):
    big = FileStorage(io.BytesIO(PDF + b"0" * 1048576), filename="ktp.pdf")
    with pytest.raises(tk.ValidationError) as exc:
        submit(body["id"], identity_document=big)
    assert "1.0 MB" in errors_of(exc)["identity_document"][0]


def test_a_signed_in_requester_is_linked_to_the_request(body, requester):
    result = submit(body["id"], user=requester)
    assert result["user_id"] == requester["id"]


# --- show: the personal-data rule --------------------------------------------------------


def test_the_public_sees_no_personal_data(body):
    created = submit(body["id"])
    shown = call_action("layananpublik_request_show", context=dict(ANON), id=created["id"])
    assert not set(PERSONAL) & set(shown)
    assert "history" not in shown and "files" not in shown
    assert VALID_NIK not in str(shown) and "Merdeka" not in str(shown)


def test_the_requester_s_words_reach_the_public_only_once_an_officer_publishes_them(body, officer):
    """The words often hold names, NIKs or case details: the register, the API and the feeds
    show the number, body, dates and status until an officer publishes a summary or the words."""
    created = submit(body["id"], information_requested="Salinan putusan cerai Budi Santoso NIK 3171015507900003")
    shown = call_action("layananpublik_request_show", context=dict(ANON), id=created["id"])
    assert shown["subject"] is None and "Budi" not in str(shown)
    found = call_action("layananpublik_request_list", context=dict(ANON), q="Budi")
    assert found["count"] == 0
    listed = call_action("layananpublik_request_list", context=dict(ANON))
    assert listed["count"] == 1 and "Budi" not in str(listed)
    call_action("layananpublik_request_summary_update", context=officer_ctx(officer), id=created["id"],
                publish_request_text=True)  # fmt: skip
    shown = call_action("layananpublik_request_show", context=dict(ANON), id=created["id"])
    assert shown["subject"] == created["information_requested"]


def test_the_tracking_token_shows_everything(body):
    created = submit(body["id"])
    shown = call_action(
        "layananpublik_request_show", context=dict(ANON), tracking_token=created["tracking_token"]
    )
    assert shown["nik"] == VALID_NIK and shown["history"]


def test_a_wrong_tracking_token_finds_nothing(body):
    submit(body["id"])
    with pytest.raises(tk.ObjectNotFound):
        call_action("layananpublik_request_show", context=dict(ANON), tracking_token="guess")


def test_the_signed_in_requester_sees_everything(body, requester):
    created = submit(body["id"], user=requester)
    shown = call_action("layananpublik_request_show", context=as_user(requester), id=created["id"])
    assert shown["address"] == "Jl. Merdeka No. 10, Kota Contoh"


def test_another_body_s_officer_sees_only_the_register_entry(body, other_officer):
    created = submit(body["id"])
    shown = call_action("layananpublik_request_show", context=officer_ctx(other_officer), id=created["id"])
    assert not set(PERSONAL) & set(shown)


def test_a_member_without_the_officer_role_sees_only_the_register_entry(body):
    editor = factories.User()
    call_action("member_create", id=body["id"], object=editor["id"], object_type="user", capacity="editor")
    created = submit(body["id"])
    shown = call_action("layananpublik_request_show", context=as_user(editor), id=created["id"])
    assert "nik" not in shown


def test_public_summary_replaces_the_citizen_s_words_in_public(body, officer):
    created = submit(body["id"])
    call_action(
        "layananpublik_request_summary_update", context=officer_ctx(officer), id=created["id"],
        public_summary="Realisasi anggaran perbaikan jalan 2025",
    )  # fmt: skip
    shown = call_action("layananpublik_request_show", context=dict(ANON), id=created["id"])
    assert shown["subject"] == "Realisasi anggaran perbaikan jalan 2025"


# --- workflow -----------------------------------------------------------------------------


def test_the_full_workflow_is_recorded_in_history(body, officer):
    created = submit(body["id"])
    ctx = officer_ctx(officer)
    call_action(
        "layananpublik_request_process", context=ctx, id=created["id"], note="Diteruskan ke bidang anggaran"
    )
    extended = call_action("layananpublik_request_extend", context=ctx, id=created["id"], days=5,
                           reason="Data tersebar di tiga bidang")  # fmt: skip
    assert extended["status"] == "extended" and extended["extension_days"] == 5
    assert extended["due_date"] > created["due_date"]
    assert "diperpanjang 5 hari kerja" in extended["deadline_explanation"]
    decided = call_action(
        "layananpublik_request_decide", context=ctx, id=created["id"], outcome="granted_part",
        refusal_grounds=["h"], information_given="Rekap realisasi per ruas jalan",
        redactions="Nama penyedia perorangan dihitamkan (Pasal 17 h)", **GRANT_NOTICE, **CONSEQUENCE_TEST,
    )  # fmt: skip
    assert decided["status"] == "decided" and decided["outcome"] == "granted_part"
    assert decided["working_days_taken"] == 0 and decided["on_time"] is True
    assert decided["information_status"] == "held"
    assert [e["action"] for e in decided["history"]] == ["submitted", "in_process", "extended", "decided"]
    assert decided["history"][1]["note"] == "Diteruskan ke bidang anggaran"
    assert decided["history"][1]["actor"] == officer["fullname"]


def test_a_deadline_is_extended_only_once(body, officer):
    created = submit(body["id"])
    call_action(
        "layananpublik_request_extend", context=officer_ctx(officer), id=created["id"], days=2, reason="a"
    )
    with pytest.raises(tk.ValidationError) as exc:
        call_action(
            "layananpublik_request_extend", context=officer_ctx(officer), id=created["id"], days=2, reason="b"
        )
    assert "status" in errors_of(exc)


@pytest.mark.freeze_time("2026-11-02 03:00:00")  # Monday 2 Nov 2026: due Monday 16 Nov
def test_an_extension_is_refused_once_the_ten_working_days_have_passed(body, officer, freezer):
    """Pasal 22(8): the extension is notified within the period; after it the request is
    overdue, and an extension would erase that (and objection ground c)."""
    late, in_time = submit(body["id"]), submit(body["id"])
    freezer.move_to("2026-11-16 09:00:00")  # the last day (16:00 WIB): still allowed
    extended = call_action("layananpublik_request_extend", context=officer_ctx(officer), id=in_time["id"],
                           days=3, reason="Data tersebar di tiga bidang")  # fmt: skip
    assert extended["due_date"] == "2026-11-19"
    freezer.move_to("2026-11-17 03:00:00")  # the next morning: overdue
    with pytest.raises(tk.ValidationError) as exc:
        call_action("layananpublik_request_extend", context=officer_ctx(officer), id=late["id"], days=3,
                    reason="Terlambat")  # fmt: skip
    assert "Pasal 22(8)" in errors_of(exc)["days"][0]
    shown = call_action("layananpublik_request_show", context=officer_ctx(officer), id=late["id"])
    assert shown["overdue"] is True and shown["due_date"] == "2026-11-16" and shown["extension_days"] is None
    assert [e["action"] for e in shown["history"]] == ["submitted"]


@pytest.mark.parametrize("days", [0, 8, "tujuh"])
def test_an_extension_is_one_to_seven_working_days(body, officer, days):
    created = submit(body["id"])
    with pytest.raises(tk.ValidationError) as exc:
        call_action("layananpublik_request_extend", context=officer_ctx(officer), id=created["id"], days=days,
                    reason="x")  # fmt: skip
    assert "days" in errors_of(exc)


def test_an_extension_needs_a_written_reason(body, officer):
    created = submit(body["id"])
    with pytest.raises(tk.ValidationError) as exc:
        call_action("layananpublik_request_extend", context=officer_ctx(officer), id=created["id"], days=3)
    assert "reason" in errors_of(exc)


def test_a_decided_request_cannot_be_decided_or_processed_again(body, officer):
    created = submit(body["id"])
    call_action("layananpublik_request_decide", context=officer_ctx(officer), id=created["id"],
                outcome="not_documented")  # fmt: skip
    for action, extra in [("decide", {"outcome": "granted_full", "information_given": "x", **GRANT_NOTICE}),
                          ("process", {})]:  # fmt: skip
        with pytest.raises(tk.ValidationError) as exc:
            call_action(
                f"layananpublik_request_{action}", context=officer_ctx(officer), id=created["id"], **extra
            )
        assert "status" in errors_of(exc)


def test_processing_twice_is_refused(body, officer):
    created = submit(body["id"])
    call_action("layananpublik_request_process", context=officer_ctx(officer), id=created["id"])
    with pytest.raises(tk.ValidationError):
        call_action("layananpublik_request_process", context=officer_ctx(officer), id=created["id"])


@pytest.mark.parametrize(
    "decision, field",
    [
        ({"outcome": "refused", **CONSEQUENCE_TEST}, "refusal_grounds"),
        ({"outcome": "refused", "refusal_grounds": ["k"], **CONSEQUENCE_TEST}, "refusal_grounds"),
        # Pasal 19: a refusal without its consequence test (a DIK entry or the test written here).
        ({"outcome": "refused", "refusal_grounds": ["a"]}, "consequence_test"),
        ({"outcome": "refused", "refusal_grounds": ["a"], "exempt_item_id": "no-such-entry"}, "exempt_item_id"),
        # A partial grant names the ground of what it withholds.
        ({"outcome": "granted_part", "information_given": "x", "redactions": "y", **GRANT_NOTICE,
          **CONSEQUENCE_TEST}, "refusal_grounds"),
        ({"outcome": "granted_part", "information_given": "x", "refusal_grounds": ["h"], **GRANT_NOTICE,
          **CONSEQUENCE_TEST}, "redactions"),
        ({"outcome": "granted_full", **GRANT_NOTICE}, "information_given"),
        ({"outcome": "granted_full", "information_given": "x", "refusal_grounds": ["a"], **GRANT_NOTICE},
         "refusal_grounds"),
        ({"outcome": "maybe"}, "outcome"),
        # Pasal 22(7): a grant's notice says in which form, how, by when and for what fee.
        ({"outcome": "granted_full", "information_given": "x", **{**GRANT_NOTICE, "release_format": ""}},
         "release_format"),
        ({"outcome": "granted_full", "information_given": "x", **{**GRANT_NOTICE, "release_delivery": ""}},
         "release_delivery"),
        ({"outcome": "granted_full", "information_given": "x", **{**GRANT_NOTICE, "provide_by_date": ""}},
         "provide_by_date"),
        ({"outcome": "granted_full", "information_given": "x", **{**GRANT_NOTICE, "fee": ""}}, "fee"),
        ({"outcome": "granted_full", "information_given": "x", **{**GRANT_NOTICE, "fee": "-5"}}, "fee"),
        ({"outcome": "granted_full", "information_given": "x", **{**GRANT_NOTICE, "fee": "5000"}}, "fee_note"),
        ({"outcome": "granted_full", "information_given": "x", **GRANT_NOTICE, "fee": "5000", "fee_note": "Tunai",
          "fee_copying": "3000", "fee_postage": "1000"}, "fee"),
        ({"outcome": "granted_full", "information_given": "x", **{**GRANT_NOTICE, "provide_by_date": "2020-01-01"}},
         "provide_by_date"),
        ({"outcome": "granted_full", "information_given": "x", **GRANT_NOTICE, "handed_over_date": "kemarin"},
         "handed_over_date"),
        ({"outcome": "granted_full", "information_given": "x", **GRANT_NOTICE, "handed_over_date": "2099-01-01"},
         "handed_over_date"),
    ],
)
def test_a_decision_must_have_its_legal_contents(body, officer, decision, field):
    created = submit(body["id"])
    with pytest.raises(tk.ValidationError) as exc:
        call_action(
            "layananpublik_request_decide", context=officer_ctx(officer), id=created["id"], **decision
        )
    assert field in errors_of(exc), errors_of(exc)
    shown = call_action("layananpublik_request_show", context=officer_ctx(officer), id=created["id"])
    assert shown["status"] == "received"


def test_a_refusal_keeps_its_grounds(body, officer):
    created = submit(body["id"])
    decided = call_action("layananpublik_request_decide", context=officer_ctx(officer), id=created["id"],
                          outcome="refused", refusal_grounds="a, c", **CONSEQUENCE_TEST)  # fmt: skip
    assert decided["refusal_grounds"] == ["a", "c"]
    assert decided["consequence_test"] == CONSEQUENCE_TEST["consequence_test"]


def test_a_refusal_may_cite_the_dik_entry_with_its_consequence_test(body, officer):
    entry = call_action("layananpublik_exempt_item_create", context=officer_ctx(officer),
                        organization_id=body["id"], information_type="Berkas penyidikan", grounds=["a"],
                        exemption_period="Selama penyidikan", deciding_officer="PPID Utama",
                        reasons="Menghambat penegakan hukum", consequence="Membuka berkas menghambat penyidikan.",
                        public_interest="Penyidikan yang tuntas", decided_date="2026-01-05",
                        decided_place="Jakarta")  # fmt: skip
    created = submit(body["id"])
    decided = call_action("layananpublik_request_decide", context=officer_ctx(officer), id=created["id"],
                          outcome="refused", refusal_grounds=["a"], exempt_item_id=entry["id"])  # fmt: skip
    assert decided["exempt_item_id"] == entry["id"] and decided["consequence_test"] is None


def test_not_held_names_the_holder_only_if_known(body, officer):
    created = submit(body["id"])
    decided = call_action("layananpublik_request_decide", context=officer_ctx(officer), id=created["id"],
                          outcome="not_held")  # fmt: skip
    assert decided["outcome"] == "not_held" and decided["referral_body"] is None


def test_a_fee_is_the_sum_of_copying_and_postage(body, officer):
    created = submit(body["id"])
    decided = call_action("layananpublik_request_decide", context=officer_ctx(officer), id=created["id"],
                          outcome="granted_full", information_given="Salinan kontrak",
                          **{**GRANT_NOTICE, "fee": ""}, fee_copying="3.000", fee_postage="12.500",
                          fee_note="Transfer ke rekening kas daerah")  # fmt: skip
    assert (decided["fee"], decided["fee_copying"], decided["fee_postage"]) == ("15500.00", "3000.00", "12500.00")
    assert decided["provide_by_date"] == GRANT_NOTICE["provide_by_date"]


def test_the_handover_is_recorded_after_the_decision(body, officer):
    created = submit(body["id"])
    decided = _decide(officer, created["id"], "granted_full")
    assert decided["handed_over_date"] is None
    with pytest.raises(tk.ValidationError):
        call_action("layananpublik_request_handover", context=officer_ctx(officer), id=created["id"],
                    handed_over_date="2099-01-01")  # fmt: skip
    shown = call_action("layananpublik_request_handover", context=officer_ctx(officer), id=created["id"],
                        handed_over_date=decided["decision_date"], note="Diambil di loket")  # fmt: skip
    assert shown["handed_over_date"] == decided["decision_date"]
    assert shown["history"][-1]["action"] == "handed_over"
    refused = submit(body["id"])
    _decide(officer, refused["id"], "refused")
    with pytest.raises(tk.ValidationError):
        call_action("layananpublik_request_handover", context=officer_ctx(officer), id=refused["id"],
                    handed_over_date=decided["decision_date"])  # fmt: skip


def test_history_rows_cannot_be_edited(body):
    submit(body["id"])
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        model.Session.execute(sa.text("UPDATE layananpublik_request_event SET note = 'changed'"))
    model.Session.rollback()


def test_attach_takes_exactly_one_of_file_link_or_dataset(body, officer):
    created = submit(body["id"])
    dataset = factories.Dataset(owner_org=body["id"])
    ctx = officer_ctx(officer)
    call_action(
        "layananpublik_request_attach",
        context=ctx,
        id=created["id"],
        title="Rekap",
        url="https://example.go.id/rekap.pdf",
    )
    call_action(
        "layananpublik_request_attach",
        context=ctx,
        id=created["id"],
        title="Dataset",
        package_id=dataset["name"],
    )
    upload = FileStorage(io.BytesIO(b"ruas,biaya\nA,100\n"), filename="rekap.csv")
    shown = call_action(
        "layananpublik_request_attach", context=ctx, id=created["id"], title="CSV", upload=upload
    )
    kinds = [(f["title"], f["content_type"], f["has_file"]) for f in shown["files"]]
    assert kinds == [("Rekap", None, False), ("Dataset", None, False), ("CSV", "text/csv", True)]
    with pytest.raises(tk.ValidationError):
        call_action("layananpublik_request_attach", context=ctx, id=created["id"], title="Nothing")
    with pytest.raises(tk.ValidationError):
        call_action("layananpublik_request_attach", context=ctx, id=created["id"], title="Two",
                    url="https://example.go.id/a", package_id=dataset["name"])  # fmt: skip


def test_file_show_gives_the_identity_document_to_the_body_s_officers_only(body, officer):
    created = submit(body["id"], identity_document=FileStorage(io.BytesIO(PDF), filename="ktp.pdf"))
    file_id = created["files"][0]["id"]
    meta = call_action("layananpublik_request_file_show", context=as_user(officer), id=created["id"],
                       file_id=file_id)  # fmt: skip
    from ckanext.layananpublik.cases import files

    assert files.path_of(meta["storage_key"]).read_bytes() == PDF
    for ref in ({"tracking_token": created["tracking_token"]}, {"id": created["id"]}):  # not even the requester
        with pytest.raises(tk.NotAuthorized):
            call_action("layananpublik_request_file_show", context=dict(ANON), file_id=file_id, **ref)


# --- spam ---------------------------------------------------------------------------------


def test_a_request_set_aside_as_spam_stays_explainable(body, officer):
    """Spam is a reviewed decision, not a disappearance: the reason is required and shown to the
    requester, who may object (Pasal 35(1) e); the public register keeps the number and status,
    never the text; the officers keep it; only the superior takes it back."""
    created = submit(body["id"], information_requested="Beli obat murah di sini")
    with pytest.raises(tk.ValidationError) as exc:
        call_action("layananpublik_request_mark_spam", context=officer_ctx(officer), id=created["id"])
    assert "reason" in errors_of(exc)
    call_action("layananpublik_request_mark_spam", context=officer_ctx(officer), id=created["id"],
                reason="Iklan obat, bukan permohonan informasi")  # fmt: skip
    public = call_action("layananpublik_request_show", context=dict(ANON), id=created["id"])
    assert public["set_aside"] is True and public["subject"] is None and "Beli" not in str(public)
    listed = call_action("layananpublik_request_list", context=dict(ANON))
    assert [r["registration_number"] for r in listed["results"]] == [created["registration_number"]]
    own = call_action("layananpublik_request_show", context=dict(ANON), tracking_token=created["tracking_token"])
    assert own["spam_reason"] == "Iklan obat, bukan permohonan informasi" and own["spam_marked_at"]
    options = call_action("layananpublik_objection_options", context=dict(ANON),
                          request_tracking_token=created["tracking_token"])  # fmt: skip
    assert options["offered"] == ["e"]
    register = call_action("layananpublik_request_register", context=officer_ctx(officer), organization_id=body["id"])
    assert register[0]["is_spam"] is True
    with pytest.raises(tk.NotAuthorized):
        call_action("layananpublik_request_mark_spam", context=officer_ctx(officer), id=created["id"], spam=False)
    superior = make_officer(body["id"], role="superior")
    taken_back = call_action("layananpublik_request_mark_spam", context=officer_ctx(superior), id=created["id"],
                             spam=False, reason="Permohonan sah")  # fmt: skip
    assert taken_back["set_aside"] is False and "history" not in taken_back  # no objection: no personal data
    history = call_action("layananpublik_request_show", context=officer_ctx(officer), id=created["id"])["history"]
    assert history[-1]["actor_role"] == "superior"


# --- list ----------------------------------------------------------------------------------


def test_the_public_register_has_no_personal_data(body, other_body):
    submit(body["id"])
    submit(other_body["id"], name="Budi Santoso", email="budi@example.com")
    register = call_action("layananpublik_request_list", context=dict(ANON))
    assert register["count"] == 2
    for entry in register["results"]:
        assert not set(PERSONAL) & set(entry)
    assert "Siti" not in str(register) and "budi@" not in str(register)


def test_the_register_filters_by_body_status_and_words(body, other_body, officer):
    first = submit(body["id"], information_requested="Daftar penerima bantuan sosial")
    submit(body["id"], information_requested="Jadwal perbaikan jalan")
    submit(other_body["id"], information_requested="Data puskesmas")
    call_action("layananpublik_request_process", context=officer_ctx(officer), id=first["id"])
    public = {"user": ""}
    # The public searches only what is published: nothing until an officer reviews the words.
    assert call_action("layananpublik_request_list", context=public, q="bantuan sosial")["count"] == 0
    call_action("layananpublik_request_summary_update", context=officer_ctx(officer), id=first["id"],
                publish_request_text=True)  # fmt: skip
    assert (
        call_action("layananpublik_request_list", context=public, organization_id="diskominfo")["count"] == 2
    )
    assert call_action("layananpublik_request_list", context=public, status="in_process")["count"] == 1
    found = call_action("layananpublik_request_list", context=public, q="bantuan sosial")["results"]
    assert [r["registration_number"] for r in found] == [first["registration_number"]]
    by_number = call_action("layananpublik_request_list", context=public, q=first["registration_number"])
    assert by_number["count"] == 1
    assert call_action("layananpublik_request_list", context=public, q="100%_")["count"] == 0


def test_the_inbox_holds_only_the_officer_s_bodies(body, other_body, officer):
    submit(body["id"])
    submit(other_body["id"])
    inbox = call_action("layananpublik_request_list", context=officer_ctx(officer), scope="inbox")
    assert inbox["count"] == 1 and inbox["results"][0]["organization"]["name"] == "diskominfo"
    assert inbox["results"][0]["nik"] == VALID_NIK


@pytest.mark.freeze_time("2026-11-02 03:00:00")
def test_the_inbox_finds_overdue_requests(body, officer, freezer):
    late = submit(body["id"])
    freezer.move_to("2026-11-20 03:00:00")
    submit(body["id"])
    freezer.move_to("2026-11-18 03:00:00")
    overdue = call_action(
        "layananpublik_request_list", context=officer_ctx(officer), scope="inbox", overdue=True
    )
    assert [r["id"] for r in overdue["results"]] == [late["id"]]
    assert overdue["results"][0]["overdue"] is True


def test_my_requests_need_an_account(body, requester):
    mine = submit(body["id"], user=requester)
    submit(body["id"])
    result = call_action("layananpublik_request_list", context=as_user(requester), scope="mine")
    assert [r["id"] for r in result["results"]] == [mine["id"]]
    with pytest.raises(tk.NotAuthorized):
        call_action("layananpublik_request_list", context=dict(ANON), scope="mine")


def test_list_paging(body):
    for _ in range(5):
        submit(body["id"])
    page = call_action("layananpublik_request_list", context=dict(ANON), limit=2, offset=2, sort="oldest")
    assert page["count"] == 5
    assert [r["registration_number"][:3] for r in page["results"]] == ["003", "004"]


@pytest.mark.freeze_time("2026-11-02 03:00:00")
def test_sort_by_decision_puts_the_latest_decision_first(body, officer, freezer):
    first, second, open_one = (submit(body["id"]) for _ in range(3))
    freezer.move_to("2026-11-04 03:00:00")
    _decide(officer, second["id"], "granted_full")
    freezer.move_to("2026-11-05 03:00:00")
    _decide(officer, first["id"], "granted_full")
    listed = call_action("layananpublik_request_list", context=dict(ANON), sort="decided")
    assert [r["id"] for r in listed["results"]] == [first["id"], second["id"], open_one["id"]]
    assert [r["decision_date"] for r in listed["results"]] == ["2026-11-05", "2026-11-04", None]


# --- register and statistics ---------------------------------------------------------------


def test_the_officer_register_has_the_legal_columns(body, officer):
    created = submit(body["id"])
    call_action("layananpublik_request_decide", context=officer_ctx(officer), id=created["id"], outcome="refused",
                refusal_grounds=["h"], **CONSEQUENCE_TEST)  # fmt: skip
    (row,) = call_action(
        "layananpublik_request_register", context=officer_ctx(officer), organization_id=body["id"]
    )
    assert row["name"] == "Siti Rahmawati" and row["nik"] == VALID_NIK
    assert (row["outcome"], row["refusal_grounds"], row["information_status"]) == ("refused", "h", "held")
    for column in ("registration_number", "received_date", "address", "phone", "email", "occupation",
                   "information_requested", "purpose", "decision_date", "handed_over_date", "fee"):  # fmt: skip
        assert column in row


def test_statistics_are_counted_by_outcome_and_ground(body, other_body, officer, other_officer):
    ids = [submit(body["id"])["id"] for _ in range(6)]
    outcomes = ["granted_full", "granted_full", "granted_part", "refused", "not_held"]  # the sixth stays open
    for request_id, outcome in zip(ids[:5], outcomes, strict=True):
        _decide(officer, request_id, outcome)
    _decide(other_officer, submit(other_body["id"])["id"], "refused", refusal_grounds=["a", "c"])
    spam = submit(body["id"])["id"]
    call_action("layananpublik_request_mark_spam", context=officer_ctx(officer), id=spam, reason="iklan")

    stats = call_action("layananpublik_request_stats", context=dict(ANON), organization_id="diskominfo")
    total = stats["total"]
    assert (total["received"], total["decided"], total["open"]) == (6, 5, 1)
    assert (total["granted_full"], total["granted_part"], total["refused"], total["not_held"]) == (2, 1, 1, 1)
    assert total["refused_by_ground"] == {"a": 1, "h": 1}
    assert total["median_working_days"] == 0 and total["share_on_time"] == 1.0

    site = call_action("layananpublik_request_stats", context=dict(ANON))
    assert site["total"]["received"] == 7
    assert site["total"]["refused_by_ground"] == {"a": 2, "c": 1, "h": 1}
    assert [(b["name"], b["received"]) for b in site["bodies"]] == [("dinkes", 1), ("diskominfo", 6)]


def test_statistics_of_an_empty_year(body):
    stats = call_action("layananpublik_request_stats", context=dict(ANON), year=1999)
    assert stats["total"]["received"] == 0 and stats["total"]["median_working_days"] is None
    assert stats["bodies"] == []


@pytest.mark.freeze_time("2026-11-02 03:00:00")  # Monday
def test_working_days_taken_and_percentiles(body, officer, freezer):
    ids = [submit(body["id"])["id"] for _ in range(3)]
    for request_id, day in zip(ids, ["2026-11-03", "2026-11-06", "2026-11-24"], strict=True):
        freezer.move_to(f"{day} 03:00:00")
        _decide(officer, request_id, "granted_full")
    stats = call_action(
        "layananpublik_request_stats", context=dict(ANON), organization_id=body["id"], year=2026
    )
    # 1, 4 and 16 working days (Mon 2 Nov + 16 = Tue 24 Nov); the last is late (due 16 Nov).
    assert stats["total"]["median_working_days"] == 4
    assert stats["total"]["p90_working_days"] == pytest.approx(16 - 0.2 * 12, abs=0.05)
    assert stats["total"]["decided_on_time"] == 2
    assert stats["total"]["share_on_time"] == pytest.approx(0.6667, abs=0.0001)


def _stats(**data) -> dict:
    return call_action("layananpublik_request_stats", context=dict(ANON), **data)


@pytest.mark.freeze_time("2026-03-31 03:00:00")
def test_statistics_of_the_days_received(body, other_body, officer, freezer):
    """date_from / date_to: the days received in the body's time zone (WIB, +7), both
    included; without a year, the year is the dates'."""
    plan = [
        ("2026-03-31 03:00:00", body, "refused"),  # Tue 31 Mar 10:00 WIB
        ("2026-03-31 17:30:00", body, "granted_full"),  # Wed 1 Apr 00:30 WIB
        ("2026-04-30 16:59:00", body, None),  # Thu 30 Apr 23:59 WIB, left open
        ("2026-04-30 17:00:00", body, "granted_part"),  # Fri 1 May 00:00 WIB
        ("2026-04-02 03:00:00", other_body, None),
    ]
    for when, org, outcome in plan:
        freezer.move_to(when)
        created = submit(org["id"])
        if outcome:
            _decide(officer, created["id"], outcome)
    freezer.move_to("2027-01-04 03:00:00")  # this year is 2027

    april = _stats(date_from="2026-04-01", date_to="2026-04-30")
    assert april["year"] == 2026
    assert (april["total"]["received"], april["total"]["granted_full"], april["total"]["open"]) == (3, 1, 2)
    assert [(b["name"], b["received"]) for b in april["bodies"]] == [("dinkes", 1), ("diskominfo", 2)]
    one_day = _stats(organization_id="diskominfo", date_from="2026-03-31", date_to="2026-03-31")["total"]
    assert (one_day["received"], one_day["refused"], one_day["refused_by_ground"]) == (1, 1, {"a": 1})
    from_may = _stats(organization_id=body["id"], date_from="2026-05-01")["total"]
    assert (from_may["received"], from_may["granted_part"], from_may["refused_by_ground"]) == (1, 1, {"h": 1})
    assert _stats(organization_id=body["id"], date_to="2026-03-31")["total"]["received"] == 1
    assert _stats(date_to="2026-04-01")["total"]["received"] == 2

    whole = _stats(year=2026, date_from="2026-01-01", date_to="2026-12-31")
    assert whole == _stats(year=2026) and whole["total"]["received"] == 5
    june = _stats(date_from="2026-06-01", date_to="2026-06-30")
    assert (june["total"]["received"], june["total"]["median_working_days"], june["bodies"]) == (0, None, [])
    assert _stats()["year"] == 2027 and _stats()["total"]["received"] == 0


STATS_ACTIONS = (
    "layananpublik_request_stats",
    "layananpublik_objection_stats",
    "layananpublik_complaint_stats",
)
NOT_A_DATE = "Enter a date as YYYY-MM-DD"
BACKWARDS = "The end date must not be before the start date"


def _in(year: int) -> str:
    return f"Statistics cover one year: choose a date in {year}"


@pytest.mark.parametrize("action", STATS_ACTIONS)
@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"date_from": "2026-02-30"}, {"date_from": [NOT_A_DATE]}),
        ({"date_to": "kemarin"}, {"date_to": [NOT_A_DATE]}),
        ({"date_from": "2026-05-01", "date_to": "2026-04-30"}, {"date_to": [BACKWARDS]}),
        ({"year": 2026, "date_from": "2025-12-01"}, {"date_from": [_in(2026)]}),
        ({"year": 2026, "date_from": "2026-12-01", "date_to": "2027-01-31"}, {"date_to": [_in(2026)]}),
        ({"date_from": "2025-12-01", "date_to": "2026-01-31"}, {"date_to": [_in(2025)]}),
        # A refused date is left to its own error: no comparison with what navl left in it.
        ({"date_from": "bukan tanggal", "date_to": "2026-01-01"}, {"date_from": [NOT_A_DATE]}),
        ({"date_from": "2026-05-01", "date_to": "20260"}, {"date_to": [NOT_A_DATE]}),
        ({"year": 2026, "date_from": "2025-13-01", "date_to": "2025-12-31"},
         {"date_from": [NOT_A_DATE], "date_to": [_in(2026)]}),
    ],
)  # fmt: skip
def test_a_bad_statistics_period_is_refused_on_its_field(body, action, params, errors):
    with pytest.raises(tk.ValidationError) as caught:
        call_action(action, context=dict(ANON), **params)
    assert caught.value.error_dict == errors


@pytest.mark.parametrize("action", STATS_ACTIONS)
def test_a_refused_year_is_not_held_against_the_dates(body, action):
    with pytest.raises(tk.ValidationError) as caught:
        call_action(action, context=dict(ANON), year="dua ribu", date_from="2026-05-01", date_to="2026-04-01")
    assert set(caught.value.error_dict) == {"year", "date_to"}
    assert caught.value.error_dict["date_to"] == [BACKWARDS]


@pytest.mark.parametrize("action", STATS_ACTIONS)
def test_the_period_of_the_statistics_works_over_http(app, body, action):
    ok = app.get(f"/api/3/action/{action}", query_string={"date_from": "2026-04-01", "date_to": "2026-06-30"})
    assert ok.json["success"] and ok.json["result"]["year"] == 2026
    bad = app.get(
        f"/api/3/action/{action}",
        query_string={"date_from": "2026-07-01", "date_to": "2026-06-30"},
        status=409,
    )
    with app.flask_app.test_request_context("/"):  # the API answers in the site's language
        assert bad.json["error"]["date_to"] == [tk._(BACKWARDS)]


@pytest.mark.parametrize(
    "written, amount",
    [("5000", "5000.00"), ("5.000", "5000.00"), ("Rp 12.500", "12500.00"), ("5.000,50", "5000.50"),
     ("7500.5", "7500.50"), ("0", "0.00")],
)  # fmt: skip
def test_fees_are_read_the_indonesian_way(body, officer, written, amount):
    created = submit(body["id"])
    decided = call_action("layananpublik_request_decide", context=officer_ctx(officer), id=created["id"],
                          outcome="granted_full", information_given="x", **{**GRANT_NOTICE, "fee": written},
                          fee_note="Tunai di loket")  # fmt: skip
    assert decided["fee"] == amount


@pytest.mark.parametrize("written", ["lima ribu", "NaN", "Infinity", "1e400", "-1"])
def test_a_fee_that_is_not_an_amount_is_refused(body, officer, written):
    created = submit(body["id"])
    with pytest.raises(tk.ValidationError) as exc:
        call_action("layananpublik_request_decide", context=officer_ctx(officer), id=created["id"],
                    outcome="granted_full", information_given="x", **{**GRANT_NOTICE, "fee": written})  # fmt: skip
    assert "fee" in errors_of(exc)


def test_an_empty_dataset_field_means_no_dataset(body):
    assert submit(body["id"], package_id="")["package_id"] is None


def test_an_empty_link_is_no_link(body, officer):
    created = submit(body["id"])
    with pytest.raises(tk.ValidationError) as exc:
        call_action("layananpublik_request_attach", context=officer_ctx(officer), id=created["id"], title="x", url="",
                    package_id="")  # fmt: skip
    assert list(errors_of(exc)) == ["upload"]  # "give exactly one of ...", not a dataset lookup error


@pytest.mark.freeze_time("2026-11-26 15:30:00")  # Thursday 22:30 WIB, but already Friday 00:30 WIT
def test_a_body_in_another_time_zone_counts_from_its_own_day(body):
    """Each body may set WIB, WITA or WIT (its `ppid_timezone` extra); the site's is the default."""
    papua = factories.Organization(name="diskominfo-papua", title="Diskominfo Papua",
                                   extras=[{"key": "ppid_timezone", "value": "WIT"}])  # fmt: skip
    in_jakarta, in_papua = submit(body["id"]), submit(papua["id"])
    assert (in_jakarta["received_date"], in_papua["received_date"]) == ("2026-11-26", "2026-11-27")
    assert in_jakarta["due_date"] == "2026-12-10" and in_papua["due_date"] == "2026-12-11"


def test_least_privilege_superior_and_identity_documents(body, officer):
    """The superior reads a request's personal data only once it is under objection; an
    identity document is served to the body's officers only (not the superior, not the API
    caller holding the tracking token)."""
    superior = make_officer(body["id"], role="superior")
    created = submit(body["id"], identity_document=FileStorage(io.BytesIO(PDF), filename="ktp.pdf"))
    identity = next(f for f in created["files"] if f["kind"] == "identity")
    shown = call_action("layananpublik_request_show", context=officer_ctx(superior), id=created["id"])
    assert "nik" not in shown and "name" not in shown
    for context, ref in ((officer_ctx(superior), {"id": created["id"]}),
                         (dict(ANON), {"tracking_token": created["tracking_token"]})):  # fmt: skip
        with pytest.raises(tk.NotAuthorized):
            call_action("layananpublik_request_file_show", context=context, file_id=identity["id"], **ref)
    assert call_action("layananpublik_request_file_show", context=officer_ctx(officer), id=created["id"],
                       file_id=identity["id"])["kind"] == "identity"  # fmt: skip
    _decide(officer, created["id"], "refused")
    call_action("layananpublik_objection_create", context=dict(ANON), request_tracking_token=created["tracking_token"],
                grounds=["a"], reason="Bukan informasi yang dikecualikan")  # fmt: skip
    shown = call_action("layananpublik_request_show", context=officer_ctx(superior), id=created["id"])
    assert shown["nik"] == VALID_NIK


@pytest.mark.freeze_time("2026-11-20 03:00:00")  # Friday 10:00 WIB
def test_an_officer_records_a_request_received_at_the_desk_with_its_real_time(body, officer):
    recorded = submit(body["id"], user=officer, received_channel="post", received_at="2026-11-16T14:00")
    assert recorded["received_date"] == "2026-11-16" and recorded["received_channel"] == "post"
    assert recorded["due_date"] == "2026-11-30"  # 10 working days after Monday 16 November
    first = recorded["history"][0]
    assert (first["action"], first["actor_role"], first["data"]["channel"]) == ("submitted", "officer", "post")
    assert first["data"]["received_at"].startswith("2026-11-16T14:00") and first["data"]["recorded_at"]
    with pytest.raises(tk.ValidationError) as exc:
        submit(body["id"], user=officer, received_channel="desk", received_at="2026-11-21T09:00")
    assert "received_at" in errors_of(exc)
    with pytest.raises(tk.NotAuthorized):  # a citizen cannot backdate a request
        submit(body["id"], received_at="2026-11-01T09:00")


def test_a_proxy_files_with_the_principal_s_name_and_a_power_of_attorney(body, officer):
    with pytest.raises(tk.ValidationError) as exc:
        submit(body["id"], principal_name="Siti Rahmawati")
    assert "power_of_attorney" in errors_of(exc)
    created = submit(body["id"], name="Andi Kuasa", principal_name="Siti Rahmawati",
                     power_of_attorney=FileStorage(io.BytesIO(PDF), filename="surat-kuasa.pdf"))  # fmt: skip
    assert created["principal_name"] == "Siti Rahmawati"
    attorney = next(f for f in created["files"] if f["kind"] == "power_of_attorney")
    with pytest.raises(tk.NotAuthorized):
        call_action("layananpublik_request_file_show", context=dict(ANON), tracking_token=created["tracking_token"],
                    file_id=attorney["id"])  # fmt: skip
