"""The DIP, DIK and checklist actions: what they return, and who may change what."""

from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action, call_auth

from tests.transparency.dip.conftest import dip_dataset, exempt_record

pytestmark = pytest.mark.usefixtures("body")


def anon(action: str, **data):
    return call_action(action, context={"user": "", "ignore_auth": False}, **data)


def item(org: dict, **fields) -> dict:
    data = {"organization_id": org["id"], "category": "setiap_saat", "title": "SOP pelayanan informasi",
            "forms": ["hardcopy"], "holding_unit": "Sekretariat PPID"}  # fmt: skip
    data.update(fields)
    return call_action("layananpublik_dip_item_create", **data)


# --- DIP list -------------------------------------------------------------------------------


def test_category_counts_are_the_same_for_every_row_as_for_one_page(body):
    dip_dataset(body, title="Anggaran 2026", information_category="setiap_saat", berkala_items=[])
    dip_dataset(body, title="Ringkasan kinerja")
    item(body)
    every_row = anon("layananpublik_dip_list", limit=1000)  # counted from its rows
    one_row = anon("layananpublik_dip_list", limit=1)  # counted by the database
    assert every_row["count"] == one_row["count"] == 3
    assert every_row["category_counts"] == one_row["category_counts"]
    assert every_row["category_counts"] == {"berkala": 1, "serta_merta": 0, "setiap_saat": 2}


def test_one_category_and_pages_past_the_end_are_counted_exactly(body):
    dip_dataset(body, title="Anggaran 2026", information_category="setiap_saat", berkala_items=[])
    dip_dataset(body, title="Ringkasan kinerja")
    item(body)
    setiap = anon("layananpublik_dip_list", category="setiap_saat", limit=1)
    assert setiap["count"] == 2 and len(setiap["rows"]) == 1
    assert anon("layananpublik_dip_list", category="setiap_saat", limit=1000)["count"] == 2
    assert anon("layananpublik_dip_list", category="serta_merta")["count"] == 0
    past = anon("layananpublik_dip_list", limit=2, offset=10)
    assert past["count"] == 3 and past["rows"] == []
    assert anon("layananpublik_dip_list", q="kinerja", limit=1000)["count"] == 1


def test_the_dip_lists_public_datasets_and_items_grouped_by_category(body):
    setiap = dip_dataset(body, title="Anggaran 2026", information_category="setiap_saat", berkala_items=[])
    berkala = dip_dataset(body, title="Ringkasan kinerja")
    other = item(body)
    result = anon("layananpublik_dip_list")
    assert [r["id"] for r in result["rows"]] == [berkala["id"], setiap["id"], other["id"]]
    assert [r["no"] for r in result["rows"]] == [1, 2, 3]
    assert result["category_counts"] == {"berkala": 1, "serta_merta": 0, "setiap_saat": 2}
    row = result["rows"][0]
    assert row["source"] == "dataset" and row["name"] == berkala["name"]
    assert row["berkala_items"] == ["b", "c"] and row["forms"] == ["softcopy"]
    assert row["organization"] == {"name": "diskominfo", "title": "Dinas Komunikasi dan Informatika"}
    assert result["rows"][2]["source"] == "item" and result["rows"][2]["forms"] == ["hardcopy"]


def test_private_deleted_and_exempt_datasets_are_not_listed(body):
    dip_dataset(body, private=True)
    dip_dataset(body, information_category="dikecualikan", berkala_items=[], private=True)
    gone = dip_dataset(body)
    call_action("package_delete", id=gone["id"])
    assert anon("layananpublik_dip_list")["count"] == 0


def test_a_public_dataset_without_a_category_is_listed_as_setiap_saat_and_flagged(body):
    # Pasal 11(1)a UU 14/2008: all public information is provided at any time, so a public
    # dataset nobody categorised is still in the DIP, not silently left out.
    plain = factories.Dataset(owner_org=body["id"], title="Data tanpa kategori")
    set_one = dip_dataset(body, information_category="setiap_saat", berkala_items=[])
    result = anon("layananpublik_dip_list")
    rows = {r["id"]: r for r in result["rows"]}
    assert rows[plain["id"]]["category"] == "setiap_saat" and rows[plain["id"]]["category_set"] is False
    assert rows[set_one["id"]]["category_set"] is True
    assert result["category_counts"]["setiap_saat"] == 2
    assert anon("layananpublik_dip_list", category="setiap_saat", limit=1)["count"] == 2


@pytest.mark.ckan_config("ckanext.layananpublik.dip.uncategorised", "")
def test_the_site_may_leave_uncategorised_datasets_out_of_the_dip(body):
    factories.Dataset(owner_org=body["id"])
    assert anon("layananpublik_dip_list")["count"] == 0


def test_the_dip_filters_by_body_category_and_words(body, other_body):
    mine = dip_dataset(body, title="Profil badan publik", berkala_items=["a"])
    dip_dataset(other_body, title="Profil dinas kesehatan", berkala_items=["a"])
    dip_dataset(body, title="Daftar pengadaan", information_category="serta_merta", berkala_items=[])
    by_body = anon("layananpublik_dip_list", organization="diskominfo", category="berkala")
    assert [r["id"] for r in by_body["rows"]] == [mine["id"]]
    assert anon("layananpublik_dip_list", q="profil")["count"] == 2
    assert anon("layananpublik_dip_list", q="PENGADAAN")["count"] == 1
    assert anon("layananpublik_dip_list", q="100%_")["count"] == 0


def test_the_dip_pages(body):
    for n in range(5):
        dip_dataset(body, title=f"Data {n}")
    page = anon("layananpublik_dip_list", limit=2, offset=2)
    assert page["count"] == 5 and [r["no"] for r in page["rows"]] == [3, 4]


def test_columns_the_body_has_not_filled_stay_empty_and_are_named(body):
    # The creation date, "softcopy", the maintainer or the body's name are not the body's
    # legal statement: the DIP says "not yet filled" instead of inventing them.
    dip_dataset(
        body, holding_unit="", responsible_officer="", maintainer="Budi", made_time_place="", forms=[]
    )
    row = anon("layananpublik_dip_list")["rows"][0]
    assert (row["holding_unit"], row["responsible_officer"], row["made_time_place"], row["forms"]) == ("", "", "", [])
    assert row["unfilled"] == ["holding_unit", "responsible_officer", "made_time_place", "forms"]
    full = dip_dataset(body, title="Lengkap")
    assert next(r for r in anon("layananpublik_dip_list")["rows"] if r["id"] == full["id"])["unfilled"] == []


def test_the_dip_of_a_body_carries_its_determination(body, body_admin):
    assert anon("layananpublik_dip_list", organization=body["id"])["determination"] is None
    call_action("layananpublik_dip_determination_update", context={"user": body_admin["name"]},
                organization_id=body["id"], number="188.4/12/KPTS/2026", decided_date="2026-01-10",
                decided_by="Kepala Dinas")  # fmt: skip
    shown = anon("layananpublik_dip_list", organization=body["id"])["determination"]
    assert shown == {"number": "188.4/12/KPTS/2026", "decided_date": "2026-01-10", "decided_by": "Kepala Dinas"}
    assert anon("layananpublik_dip_list")["determination"] is None  # every body: none of one


def test_the_determination_is_validated_and_only_the_body_records_it(body, other_body):
    outsider = factories.User()
    with pytest.raises(tk.NotAuthorized):
        call_action("layananpublik_dip_determination_update", context={"user": outsider["name"], "ignore_auth": False},
                    organization_id=body["id"], number="1", decided_date="2026-01-10")  # fmt: skip
    with pytest.raises(tk.ValidationError) as error:
        call_action("layananpublik_dip_determination_update", organization_id=body["id"], number=" ",
                    decided_date="2999-01-01")  # fmt: skip
    assert set(error.value.error_dict) == {"number", "decided_date"}


def test_the_dip_refuses_unknown_bodies_and_categories(body):
    with pytest.raises(tk.ValidationError):
        anon("layananpublik_dip_list", organization="tidak-ada")
    with pytest.raises(tk.ValidationError):
        anon("layananpublik_dip_list", category="dikecualikan")


# --- DIP items ------------------------------------------------------------------------------


def test_a_body_admin_adds_changes_and_removes_an_item(body, body_admin):
    context = {"user": body_admin["name"], "ignore_auth": False}
    created = call_action("layananpublik_dip_item_create", context=dict(context), organization_id="diskominfo",
                          category="berkala", berkala_items="a,e", title="Profil PPID", url="https://ppid.example.go.id/")  # fmt: skip
    assert created["berkala_items"] == ["a", "e"] and created["organization_id"] == body["id"]
    updated = call_action("layananpublik_dip_item_update", context=dict(context), id=created["id"],
                          category="setiap_saat")  # fmt: skip
    assert updated["category"] == "setiap_saat" and updated["berkala_items"] == []
    assert updated["title"] == "Profil PPID"
    call_action("layananpublik_dip_item_delete", context=dict(context), id=created["id"])
    with pytest.raises(tk.ObjectNotFound):
        call_action("layananpublik_dip_item_show", id=created["id"])


@pytest.mark.parametrize("who, allowed", [("anonymous", False), ("member", False), ("editor", False),
                                          ("admin", True), ("officer", True), ("other_admin", False),
                                          ("sysadmin", True)])  # fmt: skip
def test_who_may_edit_a_bodys_items(body, other_body, who, allowed):
    from tests.cases.factories import make_officer

    user = None
    if who == "officer":
        user = make_officer(body["id"])
    elif who == "sysadmin":
        user = factories.Sysadmin()
    elif who != "anonymous":
        user = factories.User()
        org = other_body if who == "other_admin" else body
        call_action("member_create", id=org["id"], object=user["id"], object_type="user",
                    capacity="admin" if who == "other_admin" else who)  # fmt: skip
    context = {"user": user["name"] if user else ""}
    for name in ("layananpublik_dip_item_create", "layananpublik_exempt_item_create"):
        if allowed:
            assert call_auth(name, context=dict(context), organization_id=body["id"])
        else:
            with pytest.raises(tk.NotAuthorized):
                call_auth(name, context=dict(context), organization_id=body["id"])


def test_item_validation(body):
    with pytest.raises(tk.ValidationError) as e:
        item(body, category="berkala")
    assert "berkala_items" in e.value.error_dict
    with pytest.raises(tk.ValidationError) as e:
        item(body, title="", url="javascript:alert(1)")
    assert {"title", "url"} <= set(e.value.error_dict)


# --- DIK ------------------------------------------------------------------------------------


def test_the_dik_shows_the_consequence_test_but_not_the_dataset(body, body_admin):
    secret = dip_dataset(body, title="Nama saksi kasus X", information_category="dikecualikan", berkala_items=[],
                         private=True)  # fmt: skip
    created = call_action("layananpublik_exempt_item_create", **exempt_record(body, package_id=secret["id"],
                                                                              grounds="h,a"))  # fmt: skip
    assert created["grounds"] == ["a", "h"] and created["package_id"] == secret["id"]
    public = anon("layananpublik_exempt_item_list", organization="diskominfo")
    assert public["count"] == 1
    row = public["rows"][0]
    assert "package_id" not in row and "Nama saksi" not in str(public)
    assert row["consequence"] and row["public_interest"] and row["decided_date"] == "2026-01-15"
    assert row["exempt_until"] == "2030-12-31" and row["expired"] is False
    as_admin = call_action("layananpublik_exempt_item_list", context={"user": body_admin["name"]})
    assert as_admin["rows"][0]["package_id"] == secret["id"]


def test_dik_validation(body, other_body):
    with pytest.raises(tk.ValidationError) as e:
        call_action("layananpublik_exempt_item_create", **exempt_record(body, grounds=["k"], consequence="",
                                                                        decided_date="15/01/2026"))  # fmt: skip
    assert {"grounds", "consequence", "decided_date"} <= set(e.value.error_dict)
    elsewhere = dip_dataset(other_body, private=True)
    with pytest.raises(tk.ValidationError) as e:
        call_action("layananpublik_exempt_item_create", **exempt_record(body, package_id=elsewhere["id"]))
    assert "package_id" in e.value.error_dict


def test_dik_update_and_delete(body):
    created = call_action("layananpublik_exempt_item_create", **exempt_record(body))
    updated = call_action("layananpublik_exempt_item_update", id=created["id"], exempt_until="2020-01-01",
                          reasons="Alasan baru")  # fmt: skip
    assert updated["expired"] is True and updated["reasons"] == "Alasan baru"
    assert updated["deciding_officer"] == "PPID Utama"
    call_action("layananpublik_exempt_item_delete", id=created["id"])
    assert anon("layananpublik_exempt_item_list")["count"] == 0


# --- berkala checklist ----------------------------------------------------------------------


def test_the_checklist_marks_items_current_outdated_or_missing(body):
    dip_dataset(body, berkala_items=["a", "b"])
    old = dip_dataset(body, berkala_items=["c"])
    model.Session.execute(
        model.package_table.update().where(model.package_table.c.id == old["id"])
        .values(metadata_modified=dt.datetime.utcnow() - dt.timedelta(days=200))
    )  # fmt: skip
    model.Session.commit()
    item(body, category="berkala", berkala_items=["k"])
    dip_dataset(body, berkala_items=["d"], private=True)  # not published: does not count
    result = anon("layananpublik_berkala_checklist", organization="diskominfo")
    status = {i["item"]: i["status"] for i in result["items"]}
    assert status == {"a": "current", "b": "current", "c": "outdated", "d": "missing", "e": "missing",
                      "f": "missing", "g": "missing", "h": "missing", "i": "missing", "j": "missing",
                      "k": "current"}  # fmt: skip
    assert result["summary"] == {"current": 3, "outdated": 1, "missing": 7}
    assert result["items"][2]["evidence"][0]["name"] == old["name"]


def test_the_checklist_period_is_a_setting(body, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.dip.berkala_max_age_months", 12)
    old = dip_dataset(body, berkala_items=["c"])
    model.Session.execute(
        model.package_table.update().where(model.package_table.c.id == old["id"])
        .values(metadata_modified=dt.datetime.utcnow() - dt.timedelta(days=200))
    )  # fmt: skip
    model.Session.commit()
    result = anon("layananpublik_berkala_checklist", organization="diskominfo")
    assert result["items"][2]["status"] == "current" and result["max_age_months"] == 12
