"""Recent changes of the transparency pages (layananpublik_page_change_list): what the
transparency feed and "what's new" lists read. Public fields only: no editor's name."""

from __future__ import annotations

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests.helpers import call_action

from tests.transparency.pages.conftest import as_user

pytestmark = pytest.mark.usefixtures("body")
ANON = {"user": "", "ignore_auth": False}


def save_page(user: dict, slug: str = "profil-ppid", language: str = "id", org: dict | None = None, **fields):
    data = {"slug": slug, "language": language, "title": "Profil PPID", "body": "Telepon 021-123", **fields}
    if org:
        data["organization_id"] = org["id"]
    return call_action("layananpublik_page_update", context=as_user(user), **data)


def write_report(
    user: dict, org: dict | None = None, section: str = "policy", body: str = "Kebijakan", **extra
):
    data = {"year": 2026, "language": "id", "section": section, "body": body, **extra}
    if org:
        data["organization_id"] = org["id"]
    return call_action("layananpublik_report_narrative_update", context=as_user(user), **data)


def changes(**params) -> dict:
    return call_action("layananpublik_page_change_list", context=dict(ANON), **params)


def test_every_saved_version_and_written_report_is_listed_newest_first(freezer, sysadmin, admin, body):
    freezer.move_to("2026-05-04 02:00:00")
    save_page(sysadmin, body="versi satu")
    freezer.move_to("2026-05-05 02:00:00")
    save_page(
        admin, org=body, slug="maklumat", title="Maklumat Diskominfo", body="Kami berjanji **melayani**."
    )
    freezer.move_to("2026-05-06 02:00:00")
    write_report(admin, org=body, section="policy", body="Kebijakan layanan")
    freezer.move_to("2026-05-07 02:00:00")
    save_page(sysadmin, body="versi dua", note="nomor telepon baru")
    found = changes()
    assert found["count"] == 4
    listed = [(c["type"], c["slug"], c["revision"]) for c in found["results"]]
    assert listed == [("page", "profil-ppid", 2), ("report", None, None), ("page", "maklumat", 1),
                      ("page", "profil-ppid", 1)]  # fmt: skip
    newest, report, pledge, first = found["results"]
    # the text of the version shown today only; an older version keeps its title and note
    assert "versi dua" in newest["html"] and first["html"] == "" and first["title"] == "Profil PPID"
    assert newest["note"] == "nomor telepon baru" and newest["organization"] is None
    assert newest["url"] == "http://test.ckan.net/informasi-publik/profil-ppid"
    assert newest["updated_at"].startswith("2026-05-07T02:00:00")
    assert pledge["organization"] == {"name": "diskominfo", "title": "Dinas Komunikasi dan Informatika"}
    assert pledge["url"] == "http://test.ckan.net/informasi-publik/diskominfo/maklumat"
    assert "<strong>melayani</strong>" in pledge["html"]
    assert report["year"] == 2026 and report["quarter"] is None
    assert report["url"] == "http://test.ckan.net/informasi-publik/laporan/2026?organization_id=diskominfo"
    assert "Kebijakan layanan" in report["html"]
    assert "2026" in report["title"] and "Dinas Komunikasi dan Informatika" in report["title"]


def test_a_report_written_again_moves_up_and_stays_one_entry(freezer, admin, body):
    freezer.move_to("2026-05-04 02:00:00")
    write_report(admin, org=body, section="policy", quarter=2)
    freezer.move_to("2026-05-05 02:00:00")
    save_page(admin, org=body)
    freezer.move_to("2026-05-06 02:00:00")
    write_report(admin, org=body, section="obstacles", body="Jaringan lambat", quarter=2)
    found = changes()
    assert [c["type"] for c in found["results"]] == ["report", "page"]
    report = found["results"][0]
    assert report["quarter"] == 2
    assert report["published_at"].startswith("2026-05-04") and report["updated_at"].startswith("2026-05-06")
    assert "Jaringan lambat" in report["html"] and "Kebijakan" in report["html"]
    assert report["url"].endswith("/informasi-publik/laporan/2026/q2?organization_id=diskominfo")


def test_one_body_s_changes_and_one_language(sysadmin, admin, other_admin, body, other_body):
    save_page(admin, org=body)
    save_page(other_admin, org=other_body)
    save_page(sysadmin, language="en", title="PPID profile", body="Phone 021-123")
    assert [c["organization"]["name"] for c in changes(organization_id="diskominfo")["results"]] == [
        "diskominfo"
    ]
    english = changes(language="en")["results"]
    assert [(c["title"], c["language"]) for c in english] == [("PPID profile", "en")]
    assert changes()["count"] == 2  # Indonesian: both bodies' pages


def test_no_editor_name_and_no_old_personal_field_is_given(sysadmin):
    save_page(sysadmin, note="alamat kantor pindah")
    (change,) = changes()["results"]
    assert set(change) == {"type", "key", "slug", "year", "quarter", "organization", "language", "revision",
                           "title", "note", "html", "url", "updated_at", "published_at"}  # fmt: skip
    assert sysadmin["name"] not in repr(change) and sysadmin["id"] not in repr(change)


def test_a_deleted_body_s_pages_are_not_listed(admin, body):
    save_page(admin, org=body)
    call_action("organization_delete", id=body["id"])
    assert changes()["count"] == 0


def test_paging(sysadmin):
    for n in range(5):
        save_page(sysadmin, body=f"versi {n}")
    page = changes(limit=2, offset=2)
    assert page["count"] == 5
    assert [c["revision"] for c in page["results"]] == [3, 2]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"limit": 0}, "limit"), ({"limit": 1001}, "limit"), ({"limit": "x"}, "limit"), ({"offset": -1}, "offset"),
     ({"language": "fr"}, "language"), ({"organization_id": "tidak-ada"}, "organization_id")],
)  # fmt: skip
def test_bad_parameters_are_refused_on_their_field(params, field):
    with pytest.raises(tk.ValidationError) as caught:
        changes(**params)
    assert field in caught.value.error_dict
