"""The DIP, DIK and berkala pages, the exports, the print layout and the dataset form."""

from __future__ import annotations

import csv
import io
import json

import ckan.plugins.toolkit as tk
import pytest
from bs4 import BeautifulSoup
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.pages import translated
from tests.transparency.dip.conftest import dip_dataset, exempt_record

pytestmark = pytest.mark.usefixtures("body")


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.body, "html.parser")


class Browser:
    """One user's session, signed in with an API token, keeping cookies (the CSRF token)."""

    def __init__(self, app, user: dict):
        self.client = app.test_client()
        self.headers = {"Authorization": factories.APIToken(user=user["name"])["token"]}

    def get(self, url: str, **kwargs):
        return self.client.get(url, headers=self.headers, **kwargs)

    def post_form(self, page_url: str, selector: str, data: dict, **kwargs):
        page = BeautifulSoup(self.get(page_url).body, "html.parser")
        form = page.select_one(selector)
        assert form is not None, f"no {selector} on {page_url}"
        hidden = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden][name]")}
        return self.client.post(
            form.get("action") or page_url,
            data={**hidden, **data},
            headers=self.headers,
            follow_redirects=False,
            **kwargs,
        )


def test_the_site_dip_has_the_legal_columns_grouped_and_linked(app, body):
    dataset = dip_dataset(body, title="Ringkasan kinerja 2025")
    page = soup(app.get("/informasi-publik/dip"))
    table = page.select_one("table#dip-berkala")
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert len(headers) == 7 and all(th["scope"] == "col" for th in table.select("thead th"))
    link = table.select_one(f'a[href="/dataset/{dataset["name"]}"]')
    assert link is not None and link.get_text(strip=True) == "Ringkasan kinerja 2025"
    cells = [td.get_text(" ", strip=True) for td in table.select("tbody tr td")]
    assert "Bidang Statistik" in cells and "5 tahun" in cells
    assert page.select_one("table#dip-setiap_saat") is None
    assert page.select_one("label[for=dip-q]") and page.select_one("label[for=dip-category]")


def test_the_body_dip_filters(app, body, other_body):
    dip_dataset(body, title="Profil Diskominfo", berkala_items=["a"])
    dip_dataset(other_body, title="Profil Dinkes", berkala_items=["a"])
    text = soup(app.get("/informasi-publik/dip/diskominfo")).get_text()
    assert "Profil Diskominfo" in text and "Profil Dinkes" not in text
    assert "Profil Dinkes" in soup(app.get("/informasi-publik/dip?q=dinkes")).get_text()
    assert (
        "Profil"
        not in soup(app.get("/informasi-publik/dip?category=serta_merta"))
        .select_one("[role=main]")
        .get_text()
    )
    picked = app.get("/informasi-publik/dip?organization=dinkes&q=profil", follow_redirects=False)
    assert picked.status_code == 302 and picked.location.endswith("/informasi-publik/dip/dinkes?q=profil")
    assert app.get("/informasi-publik/dip/tidak-ada", status=404)


def test_the_dip_pages_through_long_lists(app, body, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.dip.page_size", 2)
    for n in range(3):
        dip_dataset(body, title=f"Data {n}")
    first = soup(app.get("/informasi-publik/dip"))
    assert len(first.select("tbody tr")) == 2 and first.select_one("a[rel=next]")
    second = soup(app.get("/informasi-publik/dip?page=2"))
    assert [td.get_text(strip=True) for td in second.select("tbody tr td:first-child")] == ["3"]
    printed = soup(app.get("/informasi-publik/dip?cetak=1"))
    assert len(printed.select("tbody tr")) == 3 and printed.select_one(".lp-dip-print")
    # The label of each row's berkala items (looked up once per number of items), in both languages.
    assert [p.get_text(" ", strip=True) for p in printed.select(".lp-dip-items")] == [
        "Butir berkala: b , c"
    ] * 3
    dip_dataset(body, title="Data satu butir", berkala_items=["a"])
    english = soup(app.get("/en/informasi-publik/dip?cetak=1"))
    assert sorted(p.get_text(" ", strip=True) for p in english.select(".lp-dip-items")) == [
        "Berkala item: a",
        *["Berkala items: b , c"] * 3,
    ]


def test_exports_csv_and_json(app, body, other_body):
    dataset = dip_dataset(body, title="Ringkasan kinerja")
    dip_dataset(other_body, title="Lain")
    response = app.get("/informasi-publik/dip/diskominfo.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    header, *rows = list(csv.reader(io.StringIO(response.body.lstrip("\ufeff"))))
    with app.flask_app.test_request_context("/"):  # the list as the pages name it, in Indonesian
        from ckanext.layananpublik.transparency.dip.views import csv_header, labels

        assert header == csv_header() and header[3] == tk._("Summary of the information")
        berkala, softcopy = labels()["categories"]["berkala"], labels()["forms"]["softcopy"]
    assert len(rows) == 1
    row = dict(zip(range(len(header)), rows[0], strict=True))
    assert (row[1], row[2], row[3], row[9]) == (berkala, "b, c", "Ringkasan kinerja", softcopy)
    assert row[11].endswith(f"/dataset/{dataset['name']}")
    data = json.loads(app.get("/informasi-publik/dip.json").body)
    assert data["count"] == 2 and {r["title"] for r in data["rows"]} == {"Ringkasan kinerja", "Lain"}
    assert app.get("/informasi-publik/dip.xml", status=404)


def test_the_csv_never_holds_a_formula(app, body):
    dip_dataset(body, title='=HYPERLINK("http://contoh.test","klik")', holding_unit="+62 21 555")
    _header, row = list(csv.reader(io.StringIO(app.get("/informasi-publik/dip.csv").body.lstrip("\ufeff"))))
    assert row[3] == '\'=HYPERLINK("http://contoh.test","klik")' and row[6] == "'+62 21 555"


def test_the_dataset_page_shows_the_dip_fields(app, body):
    dataset = dip_dataset(body)
    page = soup(app.get(f"/dataset/{dataset['name']}"))
    assert page.select_one('td[data-field="information_category"]') is not None
    assert "Bidang Statistik" in page.select_one('td[data-field="holding_unit"]').get_text()


def test_the_dataset_form_saves_the_fields_and_shows_errors(app, body, body_admin):
    browser = Browser(app, body_admin)
    form = soup(browser.get("/dataset/new"))
    assert form.select_one("select#field-information-category") is not None
    assert form.select_one("label[for=field-berkala-a]") is not None
    dataset = factories.Dataset(owner_org=body["id"], name="ringkasan-anggaran")
    edit = f"/dataset/edit/{dataset['name']}"
    fields = {"name": dataset["name"], "title": dataset["title"], "owner_org": body["id"], "notes": "",
              "information_category": "berkala", "holding_unit": "Bidang Anggaran", "save": ""}  # fmt: skip
    refused = browser.post_form(edit, "form#dataset-edit", fields)
    assert refused.status_code == 200
    assert soup(refused).select_one("select#field-information-category") is not None
    assert "Bidang Anggaran" in refused.body  # the user's input is kept
    saved = browser.post_form(edit, "form#dataset-edit", {**fields, "berkala_items": ["d", "a"],
                                                          "forms": ["softcopy", "hardcopy"]})  # fmt: skip
    assert saved.status_code in (200, 302)
    shown = call_action("package_show", id=dataset["id"])
    assert shown["berkala_items"] == ["a", "d"] and shown["forms"] == ["softcopy", "hardcopy"]


def test_a_body_admin_adds_a_non_dataset_item(app, body, body_admin):
    browser = Browser(app, body_admin)
    dip = soup(browser.get("/informasi-publik/dip/diskominfo"))
    assert dip.select_one('a[href="/informasi-publik/dip/diskominfo/butir/baru"]') is not None
    response = browser.post_form("/informasi-publik/dip/diskominfo/butir/baru", "form#dip-item-form",
                                 {"title": "Maklumat pelayanan", "category": "setiap_saat", "forms": "hardcopy"})  # fmt: skip
    assert response.status_code == 302
    rows = call_action("layananpublik_dip_list")["rows"]
    assert [(r["title"], r["source"], r["forms"]) for r in rows] == [
        ("Maklumat pelayanan", "item", ["hardcopy"])
    ]
    edit = f"/informasi-publik/dip/diskominfo/butir/{rows[0]['id']}/ubah"
    refused = browser.post_form(edit, "form#dip-item-form", {"title": "Maklumat", "category": "berkala"})
    assert refused.status_code == 200 and soup(refused).select_one(".error-block")
    summary = soup(refused).select_one(".lp-error-summary li a")
    assert summary["href"] == "#field-berkala-a"
    assert "berkala_items" not in summary.get_text() and "['" not in summary.get_text()


def test_strangers_cannot_open_the_item_form(app, body):
    stranger = factories.User()
    assert Browser(app, stranger).get("/informasi-publik/dip/diskominfo/butir/baru").status_code == 403
    assert app.get("/informasi-publik/dip/diskominfo/butir/baru").status_code == 403


def test_the_dik_page_shows_the_record_not_the_information(app, body, body_admin):
    secret = dip_dataset(body, title="Identitas pelapor", information_category="dikecualikan", berkala_items=[],
                         private=True)  # fmt: skip
    call_action("layananpublik_exempt_item_create", **exempt_record(body, package_id=secret["id"]))
    page = soup(app.get("/informasi-publik/dik"))
    table = page.select_one("table#dik-table")
    text = table.get_text(" ", strip=True)
    assert "Berkas penyidikan pelanggaran perizinan" in text and "PPID Utama" in text
    assert "Tersangka dapat menghilangkan barang bukti" in text
    assert "Identitas pelapor" not in page.get_text() and secret["name"] not in str(page)
    assert all(th["scope"] == "col" for th in table.select("thead th"))


def test_a_body_admin_records_an_exemption_through_the_form(app, body, body_admin):
    browser = Browser(app, body_admin)
    data = exempt_record(body)
    data.pop("organization_id")
    data["grounds"] = ["h", "i"]
    response = browser.post_form("/informasi-publik/dik/diskominfo/baru", "form#dik-form", data)
    assert response.status_code == 302
    rows = call_action("layananpublik_exempt_item_list")["rows"]
    assert rows[0]["grounds"] == ["h", "i"]
    refused = browser.post_form(
        "/informasi-publik/dik/diskominfo/baru", "form#dik-form", {**data, "grounds": []}
    )
    assert refused.status_code == 200 and soup(refused).select_one(".error-block")


def test_the_berkala_checklist_page(app, body):
    dip_dataset(body, title="Profil", berkala_items=["a"])
    page = soup(app.get("/informasi-publik/berkala/diskominfo"))
    rows = page.select("table#berkala-table tbody tr")
    assert len(rows) == 11
    assert rows[0]["data-status"] == "current" and rows[1]["data-status"] == "missing"
    assert rows[0].select_one("th[scope=row]") is not None


def test_unfilled_columns_say_so_on_the_page_the_print_and_the_csv(app, body):
    dip_dataset(body, title="Tanpa kolom", holding_unit="", responsible_officer="", made_time_place="", forms=[],
                retention_period="")  # fmt: skip
    with app.flask_app.test_request_context("/"):
        unfilled = tk._("not yet filled")
    assert unfilled == "belum diisi"  # the Indonesian site's words
    for url in ("/informasi-publik/dip", "/informasi-publik/dip?cetak=1"):
        cells = soup(app.get(url)).select("table#dip-berkala tbody tr td")
        assert [td.get_text(strip=True) for td in cells[2:7]] == [unfilled] * 5, url
    _header, row = list(csv.reader(io.StringIO(app.get("/informasi-publik/dip.csv").body.lstrip("\ufeff"))))
    assert row[6:11] == [unfilled] * 5


def test_editors_see_which_datasets_have_no_category(app, body, body_admin):
    factories.Dataset(owner_org=body["id"], title="Belum dikategorikan")
    url = "/informasi-publik/dip/diskominfo"
    flag = "table#dip-setiap_saat .lp-dip-flag"
    assert soup(Browser(app, body_admin).get(url)).select_one(flag) is not None
    public = soup(app.get(url))
    assert public.select_one(flag) is None  # the public sees it listed as setiap saat, without the flag
    assert "Belum dikategorikan" in public.select_one("table#dip-setiap_saat").get_text()


def test_the_body_admin_records_the_determination_and_the_dip_shows_it(app, body, body_admin):
    browser = Browser(app, body_admin)
    missing = soup(app.get("/informasi-publik/dip/diskominfo")).select_one(".lp-dip-determination--missing")
    assert missing is not None
    form_url = "/informasi-publik/dip/diskominfo/penetapan"
    assert app.get(form_url, status=403)  # visitors cannot
    bad = browser.post_form(form_url, "#dip-determination-form", {"number": "KEP/7/2026", "decided_date": "kemarin"})
    page = soup(bad)
    assert bad.status_code == 200 and page.select_one("#field-determination-number")["value"] == "KEP/7/2026"
    assert page.select_one(".error-explanation, .error-block, .alert-danger") is not None
    done = browser.post_form(form_url, "#dip-determination-form",
                             {"number": "KEP/7/2026", "decided_date": "2026-01-10", "decided_by": "Kepala Dinas"})
    assert done.status_code == 302
    for url in ("/informasi-publik/dip/diskominfo", "/informasi-publik/dip/diskominfo?cetak=1"):
        shown = soup(app.get(url)).select_one(".lp-dip-determination").get_text(" ", strip=True)
        assert "KEP/7/2026" in shown and "Kepala Dinas" in shown, url


def test_an_overlong_dip_search_is_said_next_to_the_box_and_kept(app):
    """Issue 16: the DIP's q is capped before the database sees it; the page says so next to the
    search box, which keeps what was typed; the API answers with a validation error."""
    from ckanext.layananpublik.transparency.dip.fields import MAX_Q

    typed = "anggaran" + " %_" * 30_000
    page = app.get("/informasi-publik/dip", query_string={"q": typed})
    assert page.status_code == 200
    html = soup(page)
    assert html.select_one("#dip-q")["value"] == typed.strip()
    assert translated(app, "At most {n} characters", n=MAX_Q) in html.select_one("#dip-q-error").get_text()
    answer = app.get("/api/3/action/layananpublik_dip_list", query_string={"q": typed}, status=409).json
    assert answer["error"]["__type"] == "Validation Error" and "q" in answer["error"]
    export = app.get("/informasi-publik/dip.csv", query_string={"q": typed}, status=400)
    assert translated(app, "At most {n} characters", n=MAX_Q) in soup(export).get_text()
