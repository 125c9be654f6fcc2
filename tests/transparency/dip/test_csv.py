"""The DIP's CSV export, written by PostgreSQL (layananpublik_dip_csv), gives the same bytes and
headers as the Python writer it replaced (previous_csv.py: that writer's code, over the rows of
layananpublik_dip_list), for a corpus of hostile cells, private and deleted datasets,
non-dataset items, for a visitor, an officer and a sysadmin, in both languages, with each filter."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.layananpublik.transparency.dip import fields
from tests.pages import Browser
from tests.transparency.dip.conftest import dip_dataset
from tests.transparency.dip.previous_csv import previous_csv

# Cells a spreadsheet runs as formulas, cells the CSV must quote, and text that is not ASCII.
HOSTILE = [
    '=HYPERLINK("http://contoh.test","klik")', "+62 21 555", "-5 tahun", "@SUM(A1)", "\tTab di depan",
    "\rCR di depan", 'Kutip "ganda", koma', "Baris\nbaru", "CRLF\r\ndi tengah", "Ünïcödé 漢字 🙂 ñ", "\\.",
    " spasi depan", "'sudah dikutip", ";titik koma", "dengan\ttab", '"', ",",
]  # fmt: skip
# Stored list fields the validators would not write (older data, ckanext-scheming, edits in SQL).
LIST_VALUES = ['["a", "c"]', " a , b ", "a,,b", "[a,b", '["a", true, null]', " [\"k\"]", ",", "[]", "",
               '["softcopy", "hardcopy"]', "[rusak", "softcopy, ,lainnya", "hardcopy,softcopy"]  # fmt: skip
# Text columns with Python's whitespace around them (str.strip() removes it), or only that.
TEXT_VALUES = ["  ", "\u00a0Bidang\u3000", "=1+1", "\u2028@x\u2029", "\x1c-\x1f", "Sekretariat"]


@pytest.fixture
def corpus(body, other_body):
    import sqlalchemy as sa

    hostile_body = factories.Organization(name="badan-aneh", title='=Badan "Aneh", Kota\nBaru')
    ids = []
    for n, text in enumerate(HOSTILE):
        org = (body, other_body, hostile_body)[n % 3]
        category = fields.DIP_CATEGORIES[n % 3]
        ids.append(
            dip_dataset(org, name=f"data-{n}", title=text, notes=text * 40 + " ékor",
                        information_category=category, berkala_items=["a"] if category == "berkala" else [])["id"]
        )  # fmt: skip
    factories.Dataset(owner_org=body["id"], name="tanpa-kategori", title="Tanpa kategori")
    dip_dataset(body, name="rahasia", title="RAHASIA tidak boleh tampil", private=True)
    dip_dataset(body, name="pengecualian", title="RAHASIA dikecualikan", private=True,
                information_category="dikecualikan", berkala_items=[])  # fmt: skip
    deleted = dip_dataset(body, name="terhapus", title="RAHASIA terhapus")
    call_action("package_delete", id=deleted["id"])
    for n, text in enumerate(HOSTILE[:6]):
        call_action(
            "layananpublik_dip_item_create", context={"ignore_auth": True}, organization_id=body["id"],
            category="setiap_saat", title=text, summary=text, url="/dokumen/" + str(n) if n % 2 else "",
            holding_unit=text.strip() or "Unit", retention_period="=SUM(1)",
        )  # fmt: skip
    conn = model.Session
    # What the API's validators would refuse, written as older data or another form could have.
    for n, package_id in enumerate(ids):
        for key, values in (("berkala_items", LIST_VALUES), ("forms", LIST_VALUES[::-1]),
                            ("holding_unit", TEXT_VALUES), ("retention_period", TEXT_VALUES[::-1])):  # fmt: skip
            conn.execute(sa.text("DELETE FROM package_extra WHERE package_id = :p AND key = :k"),
                         {"p": package_id, "k": key})  # fmt: skip
            conn.execute(
                sa.text("INSERT INTO package_extra (id, package_id, key, value, state) "
                        "VALUES (md5(random()::text), :p, :k, :v, 'active')"),
                {"p": package_id, "k": key, "v": values[n % len(values)]},
            )  # fmt: skip
    conn.execute(sa.text("UPDATE package SET name = 'nama dengan spasi/é?&#' WHERE id = :p"), {"p": ids[0]})
    conn.execute(sa.text("UPDATE package SET title = '' WHERE id = :p"), {"p": ids[1]})
    conn.execute(sa.text("UPDATE package SET title = NULL, notes = NULL WHERE id = :p"), {"p": ids[2]})
    conn.commit()
    return {"bodies": (body, other_body, hostile_body)}


FILTERS = [
    (None, {}),
    *[(None, {"category": c}) for c in (*fields.DIP_CATEGORIES, "dikecualikan")],
    (None, {"q": "kutip"}),
    (None, {"q": "%"}),
    ("diskominfo", {}),
    ("badan-aneh", {"category": "setiap_saat"}),
    ("diskominfo", {"category": "berkala", "q": " baris "}),
]


@pytest.mark.parametrize("who", ["visitor", "officer", "sysadmin"])
def test_the_csv_is_the_previous_writers_byte_for_byte(app, corpus, who, request):
    user = None if who == "visitor" else request.getfixturevalue(who)
    client = Browser(app, user)
    compared = 0
    for language, prefix in (("id", ""), ("en", "/en")):
        for org, args in FILTERS:
            path = f"{prefix}/informasi-publik/dip{'/' + org if org else ''}.csv"
            response = client.get(path + ("?" + urlencode(args) if args else ""))
            organization = model.Group.get(org).id if org else None
            environ = {"CKAN_LANG": language, "CKAN_LANG_IS_DEFAULT": language == "id"}
            with app.flask_app.test_request_context("/", environ_overrides=environ):
                expected, rows = previous_csv(user["name"] if user else "", organization, args)
            assert response.status_code == 200, path
            assert response.get_data() == expected.get_data(), (path, args, language)
            for header in ("Content-Type", "Content-Disposition"):
                assert response.headers[header] == expected.headers[header]
            assert b"RAHASIA" not in response.get_data()  # private, exempt and deleted datasets
            compared += rows
    # The corpus is in the files compared: every hostile dataset and item in the unfiltered ones.
    assert compared > 2 * (len(HOSTILE) + 6)


def test_the_csv_action_answers_over_the_api(app, corpus):
    answer = app.get("/api/3/action/layananpublik_dip_csv", query_string={"organization": "diskominfo"}).json
    page = app.get("/informasi-publik/dip/diskominfo.csv").get_data()
    assert answer["result"]["filename"] == "dip-diskominfo.csv"
    assert answer["result"]["csv"].encode("utf-8-sig") == page
    wrong = app.get(
        "/api/3/action/layananpublik_dip_csv", query_string={"category": "dikecualikan"}, status=409
    )
    assert "category" in wrong.json["error"]
