"""layananpublik_portal_show: the home page's figures and texts, from the actions that own
them, for a one-body site, a portal of many bodies and a chosen body."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.portal.conftest import submit

ANONYMOUS = {"user": "", "ignore_auth": False}


def show(**data) -> dict:
    return call_action("layananpublik_portal_show", context=dict(ANONYMOUS), **data)


def test_one_body_site_speaks_for_its_only_body(body):
    submit(body["id"])
    submit(body["id"])
    front = show()
    assert front["body"]["name"] == "diskominfo"
    assert front["bodies"] == [{"name": "diskominfo", "title": "Dinas Komunikasi dan Informatika"}]
    stats = call_action("layananpublik_request_stats", organization_id=body["id"])
    assert front["figures"]["received"] == stats["total"]["received"] == 2
    assert front["figures"]["year"] == stats["year"]
    assert front["figures"]["share_on_time"] is None  # nothing decided yet


def test_categories_count_the_bodys_dip_entries(body):
    counts = {c["category"]: c["count"] for c in show()["categories"]}
    assert counts == {"berkala": 2, "serta_merta": 1, "setiap_saat": 1}
    dip = call_action("layananpublik_dip_list", organization=body["id"])
    assert counts == dip["category_counts"]


def test_newest_lists_public_datasets_newest_first_without_private_ones(body):
    names = [d["name"] for d in show()["newest"]]
    assert names == ["penduduk", "peringatan-banjir", "laporan-keuangan", "anggaran-2026"]


def test_newest_length_follows_the_option(body, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.portal.newest_datasets", 2)
    assert len(show()["newest"]) == 2
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.portal.newest_datasets", 0)
    assert show()["newest"] == []


def test_many_bodies_without_a_choice_show_the_whole_site(body, other_body):
    submit(body["id"])
    submit(other_body["id"])
    front = show()
    assert front["body"] is None
    assert [b["name"] for b in front["bodies"]] == ["dinkes", "diskominfo"]  # by title
    assert front["figures"]["received"] == 2
    counts = {c["category"]: c["count"] for c in front["categories"]}
    assert counts == {"berkala": 2, "serta_merta": 1, "setiap_saat": 2}
    assert "faskes" in [d["name"] for d in front["newest"]]


def test_the_body_picker_lists_every_body_past_cores_page_of_25(body, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckan.group_and_organization_list_all_fields_max", 3)
    for n in range(6):
        factories.Organization(name=f"badan-{n}", title=f"Badan {n}")
    titles = [b["title"] for b in show()["bodies"]]
    assert titles == [f"Badan {n}" for n in range(6)] + ["Dinas Komunikasi dan Informatika"]


def test_a_chosen_body_shows_only_its_own(body, other_body):
    submit(body["id"])
    front = show(organization="dinkes")
    assert front["body"]["name"] == "dinkes"
    assert front["figures"]["received"] == 0
    assert [d["name"] for d in front["newest"]] == ["faskes"]


def test_the_configured_body_is_the_default(body, other_body, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.portal.body", "dinkes")
    assert show()["body"]["name"] == "dinkes"


def test_a_configured_body_that_does_not_exist_is_passed_over(body, other_body, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.portal.body", "salah-ketik")
    assert show()["body"] is None  # two bodies: the whole site


def test_an_unknown_body_is_not_found(body):
    with pytest.raises(tk.ObjectNotFound):
        show(organization="tidak-ada")


def test_service_hours_and_contact_come_from_the_bodys_profile(profile):
    front = show()
    assert front["service_hours"] == ["Senin–Jumat 08.00–16.00 WIB."]
    assert front["contact"] == ["Alamat: Jl. Merdeka No. 1, Kota Contoh", "Telepon: (021) 555 0101"]


def test_the_default_profile_gives_hours_but_not_its_blank_contact(body):
    front = show()
    assert front["service_hours"] and "WIB" in front["service_hours"][0]
    assert front["contact"] == []  # the default text's contact is "[alamat kantor]"...


def test_pledge_is_the_first_paragraph_of_the_maklumat(body):
    pledge = show()["pledge"]
    page = call_action("layananpublik_page_show", slug="maklumat", organization_id=body["id"])
    assert pledge and pledge in " ".join(page["html"].split())
    assert "[" not in pledge
