"""The DIP rows statement: its sort keys are its first columns (a speed-up, bench/dip.py),
so the order must be exactly the one the plain ORDER BY gives. The reference below is that
plain statement (the keys as expressions, after the row's columns, as before); every page,
export and API answer must be the same bytes with either.

The DIP table writes its rows without autoescaping, every value escaped by hand, and shows
the summary text the view computed (another speed-up): the pages must be the same bytes as
with the table autoescaped and Jinja's striptags|truncate(160) on the summary."""

from __future__ import annotations

import re

import jinja2
import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action
from jinja2.filters import do_striptags, do_truncate

from ckanext.layananpublik.transparency.dip import rows, views
from tests.pages import Browser
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
    marked = {"holding_unit": 'Bidang <Data> & "Statistik"', "responsible_officer": "Kepala <i>Bidang</i> 'A'",
              "made_time_place": "2025 & 2026, <Kota>", "retention_period": '5 "tahun" <selamanya>'}  # fmt: skip
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
        (body, "Kolom & <tanda>", {"notes": "Ringkasan biasa tanpa tanda, cukup panjang untuk dipotong. " * 5, **marked}),
        (body, "Entitas", {"notes": "A &amp; B &lt;i&gt; &quot;C&quot; &#39;D&#39;\t\u00a0 E", "information_category": "", "berkala_items": []}),
        (body, "Kurung", {"notes": "a < b dan c > d, <tanpa tutup", "berkala_items": ["a"]}),
        (body, "Batas", {"notes": "x" * 165, "information_category": "setiap_saat", "berkala_items": []}),
        (body, "Batas lebih", {"notes": "kata " * 33 + "y", "information_category": "setiap_saat", "berkala_items": []}),
    ]
    for n, (org, title, fields) in enumerate(specs):
        dip_dataset(org, name=f"dip-urut-{n:02d}", title=title, **fields)
    for org, title, category in [(body, "SOP pelayanan", "setiap_saat"), (other_body, "anggaran 2026", "berkala"),
                                 (other_body, "Maklumat pelayanan", "setiap_saat"), (body, "Butir <b>&</b>", "berkala")]:  # fmt: skip
        call_action(
            "layananpublik_dip_item_create", organization_id=org["id"], category=category, title=title,
            berkala_items=["a"] if category == "berkala" else [], forms=["hardcopy"],
            url="https://contoh.go.id/sop?a=1&b=\"2\"", summary="<p>Butir & ringkasan</p>",
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
    assert len(titles) == 20 and "Rahasia" not in titles
    # Within one body and category, lower-case title then id: the three "Anggaran 2026" of diskominfo.
    same = [r for r in fast[0]["rows"] if r["title"].lower() == "anggaran 2026" and r["category"] == "setiap_saat"
            and r["organization"]["name"] == "diskominfo"]  # fmt: skip
    assert [r["id"] for r in same] == sorted(r["id"] for r in same) and len(same) == 2


TABLE = "layananpublik/transparency/dip/_table.html"


# What the view computes once (views._display), as the table looked it up a row at a time.
LOOKED_UP = {
    "row['summary_text']|e": "row['summary']|striptags|truncate(160)",
    "{% set html = row['html'] %}": "",
    "{{ l_berkala[html['n_berkala']] if html['n_berkala'] < 12 else plural('Berkala item', 'Berkala items', "
    "html['n_berkala'])|e }}: {% for title, i, sep in html['berkala'] %}<abbr title=\"{{ title }}\">{{ i }}</abbr>"
    "{{ sep }}{% endfor %}":
        "{% set n_items = row['berkala_items']|length %}{{ l_berkala[n_items] if n_items < 12 else "
        "ungettext('Berkala item', 'Berkala items', n_items) }}: {% for i in row['berkala_items'] %}"
        "<abbr title=\"{{ labels.berkala[i] }}\">{{ i }}</abbr>{% if not loop.last %}, {% endif %}{% endfor %}",
    "{{ html['organization'] }}": "{{ row['organization'].title }}",
    "{{ html['forms'] if row['forms'] else unfilled }}":
        "{% for f in row['forms'] %}{{ labels.forms.get(f, f) }}{% if not loop.last %}, {% endif %}"
        "{% else %}{{ unfilled }}{% endfor %}",
    **{f"{{{{ html['{c}'] or unfilled }}}}": f"{{{{ row['{c}'] or unfilled }}}}" for c in views.REPEATED_COLUMNS},
}


def autoescaped_table(app) -> str:
    """The table as it was: autoescaped throughout, labels and summaries through Jinja a row at a time."""
    source = app.flask_app.jinja_env.loader.get_source(app.flask_app.jinja_env, TABLE)[0]
    reference = source.replace("{% autoescape false %}", "").replace("{% endautoescape %}", "")
    for fast, looked_up in LOOKED_UP.items():
        assert reference.count(fast) == 1, fast
        reference = reference.replace(fast, looked_up)
    assert "{% autoescape" not in reference and "html[" not in reference
    return reference


def test_the_table_is_the_same_bytes_as_autoescaped_with_the_filters(app, body, other_body, monkeypatch):
    varied(body, other_body)
    admin = factories.Sysadmin()
    urls = URLS[:6] + ["/en/informasi-publik/dip/diskominfo", "/informasi-publik/dip/dinkes?cetak=1"]
    editor = Browser(app, admin)

    def pages() -> dict:
        got = {url: app.get(url).body for url in urls}
        # An editor's page: the Edit links and the flag of the datasets without a category.
        got["editor"] = editor.get("/informasi-publik/dip/diskominfo").get_data(as_text=True)
        return got

    fast = pages()
    env = app.flask_app.jinja_env
    monkeypatch.setattr(env, "loader", jinja2.ChoiceLoader([jinja2.DictLoader({TABLE: autoescaped_table(app)}), env.loader]))
    env.cache.clear()
    try:
        reference = pages()
    finally:
        env.cache.clear()
    for url, page in fast.items():
        assert without_tokens(page.encode()) == without_tokens(reference[url].encode()), url
    # Markup characters of every column escaped, the summaries cut and stripped of tags.
    page = fast["/informasi-publik/dip?cetak=1"]
    for escaped in ("Kolom &amp; &lt;tanda&gt;", "Bidang &lt;Data&gt; &amp; &#34;Statistik&#34;", "Kepala &lt;i&gt;Bidang",
                    "2025 &amp; 2026, &lt;Kota&gt;", "5 &#34;tahun&#34; &lt;selamanya&gt;", "ábaco &lt;script&gt;",
                    "Butir &lt;b&gt;&amp;&lt;/b&gt;", 'href="https://contoh.go.id/sop?a=1&amp;b=&#34;2&#34;"',
                    "A &amp; B &lt;i&gt; &#34;C&#34; &#39;D&#39; E", "Butir &amp; ringkasan"):  # fmt: skip
        assert escaped in page, escaped
    assert "<script>" not in page and "<tanda>" not in page
    assert "Ringkasan biasa tanpa tanda, cukup panjang untuk dipotong. Ringkasan biasa" in page
    assert "x" * 165 in page and "kata kata..." in page
    assert all(part in fast["editor"] for part in ("/dataset/edit/dip-urut-", "/butir/", "/ubah", "lp-dip-flag"))


SUMMARIES = ["", "plain", "  spaces\n\tand\u00a0nbsp  ", "<b>tag</b> & entity &amp; &lt;", "a < b", "a &amp b",
             "<!-- comment <b> --> after", "x" * 165, "x" * 166, "kata " * 40, ("kata " * 40).replace(" ", "\u3000"),
             "<p>" + "panjang " * 30 + "</p>", "a &#39;b&#39; " * 20]  # fmt: skip


def test_the_summary_text_is_jinjas_striptags_then_truncate(app):
    row = {"summary": "", "organization": None, "forms": [], "berkala_items": [], **dict.fromkeys(views.REPEATED_COLUMNS, "")}
    with app.flask_app.app_context():
        env = app.flask_app.jinja_env
        shown = views._display([{**row, "summary": s} for s in SUMMARIES], {"forms": {}, "berkala": {}})
        for summary, row in zip(SUMMARIES, shown, strict=True):
            assert row["summary_text"] == do_truncate(env, do_striptags(summary), 160), summary
            assert type(row["summary_text"]) is str
    assert sum(r["summary_text"].endswith("...") for r in shown) == 4
