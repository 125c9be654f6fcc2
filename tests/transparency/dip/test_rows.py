"""The DIP rows statement: its sort keys are its first columns (a speed-up, bench/dip.py),
so the order must be exactly the one the plain ORDER BY gives. The reference below is that
plain statement (the keys as expressions, after the row's columns, as before); every page,
export and API answer must be the same bytes with either."""

from __future__ import annotations

import re

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.layananpublik.transparency.dip import rows
from tests.transparency.dip.conftest import dip_dataset

pytestmark = pytest.mark.usefixtures("body")

FAST_ORDER = "ORDER BY 1, 2 NULLS FIRST, 3, 4"
PLAIN_ORDER = "ORDER BY array_position(:order, category), org_title NULLS FIRST, lower(title), id"
# The same rows sorted by the ORDER BY written out: the keys are computed after the row's columns.
REFERENCE = rows._PAGE.replace(FAST_ORDER, PLAIN_ORDER)
assert REFERENCE != rows._PAGE


def varied(body: dict, other_body: dict) -> None:
    """Titles that sort apart only by case, accents, digits or id; both bodies; items; no
    category; empty and long columns; HTML and non-ASCII summaries."""
    long_notes = "Ringkasan <b>panjang</b> & lengkap, " * 20
    specs = [
        (body, "anggaran 2026", {"notes": long_notes}),
        (body, "Anggaran 2026", {"information_category": "setiap_saat", "berkala_items": []}),
        (body, "Anggaran 2026", {"information_category": "setiap_saat", "berkala_items": []}),
        (body, "Ämter dan Ölah raga", {"notes": "Ümlaut ‘kutip’ — ” “"}),
        (body, "Zona integritas", {"berkala_items": ["a", "b", "c", "k"], "forms": ["softcopy", "hardcopy"]}),
        (body, "zona Integritas 10", {"holding_unit": "", "responsible_officer": "", "retention_period": ""}),
        (body, "Laporan keuangan 9", {"information_category": "serta_merta", "berkala_items": []}),
        (other_body, "Anggaran 2026", {"information_category": "", "berkala_items": []}),
        (other_body, "ábaco <script>alert(1)</script>", {"notes": "<p>Teks</p>\n\n  dengan   spasi"}),
        (other_body, "Rencana strategis", {"made_time_place": "2024, Kota Contoh"}),
        (other_body, "Daftar Aset", {"information_category": "serta_merta", "berkala_items": [], "forms": []}),
    ]
    for n, (org, title, fields) in enumerate(specs):
        dip_dataset(org, name=f"dip-urut-{n:02d}", title=title, **fields)
    for org, title, category in [(body, "SOP pelayanan", "setiap_saat"), (other_body, "anggaran 2026", "berkala"),
                                 (other_body, "Maklumat pelayanan", "setiap_saat")]:  # fmt: skip
        call_action(
            "layananpublik_dip_item_create", organization_id=org["id"], category=category, title=title,
            berkala_items=["a"] if category == "berkala" else [], forms=["hardcopy"], url="https://contoh.go.id/sop",
        )  # fmt: skip
    factories.Dataset(owner_org=body["id"], name="dip-urut-private", title="Rahasia", private=True,
                      information_category="setiap_saat")  # fmt: skip


def without_tokens(body: bytes) -> bytes:
    # The CSRF token differs per response; everything else must be equal.
    return re.sub(rb'(name="_csrf_token"|name="csrf_field_name")[^>]*>', b"", body)


URLS = [
    "/informasi-publik/dip?cetak=1",
    "/en/informasi-publik/dip?cetak=1",
    "/informasi-publik/dip/diskominfo?cetak=1",
    "/informasi-publik/dip?cetak=1&q=anggaran",
    "/informasi-publik/dip",
    "/informasi-publik/dip?category=setiap_saat",
    "/informasi-publik/dip.csv",
    "/en/informasi-publik/dip.csv",
    "/informasi-publik/dip/dinkes.csv",
    "/informasi-publik/dip.json",
]


def test_pages_and_exports_are_the_same_bytes_as_with_the_plain_order(app, body, other_body, monkeypatch):
    varied(body, other_body)
    fast = {url: app.get(url).body for url in URLS}
    monkeypatch.setattr(rows, "_PAGE", REFERENCE)
    plain = {url: app.get(url).body for url in URLS}
    for url in URLS:
        assert fast[url], url
        assert without_tokens(fast[url].encode()) == without_tokens(plain[url].encode()), url
    # The varied titles are all there, in the order people read them.
    assert fast["/informasi-publik/dip.csv"].count("Anggaran 2026") == 3


def test_every_page_of_the_action_is_the_same_as_with_the_plain_order(body, other_body, monkeypatch):
    varied(body, other_body)

    def pages() -> list[dict]:
        params = [{"limit": 1000}, {"limit": 4, "offset": 0}, {"limit": 4, "offset": 4}, {"limit": 4, "offset": 12},
                  {"limit": 3, "category": "setiap_saat"}, {"limit": 1000, "organization": "dinkes"},
                  {"limit": 2, "q": "anggaran", "offset": 1}]  # fmt: skip
        return [call_action("layananpublik_dip_list", context={"user": "", "ignore_auth": False}, **p) for p in params]

    fast = pages()
    monkeypatch.setattr(rows, "_PAGE", REFERENCE)
    plain = pages()
    assert fast == plain
    titles = [r["title"] for r in fast[0]["rows"]]
    assert len(titles) == 14 and "Rahasia" not in titles
    # Within one body and category, lower-case title then id: the three "Anggaran 2026" of diskominfo.
    same = [r for r in fast[0]["rows"] if r["title"].lower() == "anggaran 2026" and r["category"] == "setiap_saat"
            and r["organization"]["name"] == "diskominfo"]  # fmt: skip
    assert [r["id"] for r in same] == sorted(r["id"] for r in same) and len(same) == 2
