"""The DIP table's rows written in Python (transparency/dip/table.py) are the bytes the
template's Jinja loop wrote: fixtures/table_before.html is _table.html as it was before."""

from __future__ import annotations

from pathlib import Path

import ckan.plugins.toolkit as tk
import pytest

from ckanext.layananpublik.transparency.dip import views

BEFORE = (Path(__file__).parent / "fixtures" / "table_before.html").read_text()
TEMPLATES = Path(views.__file__).parents[2] / "templates" / "layananpublik" / "transparency" / "dip"
NOW = (TEMPLATES / "_table.html").read_text()
BODY = {"id": "b1", "name": "dinas-kominfo", "title": "Dinas Kominfo"}


def _row(no: int, **fields) -> dict:
    row = {
        "no": no, "source": "dataset", "id": f"id-{no}", "name": f"data-{no}", "title": f"Data {no}",
        "summary": "", "category": "berkala", "category_set": True, "berkala_items": [],
        "organization": {"name": "dinas-kominfo", "title": "Dinas Kominfo"}, "holding_unit": "",
        "responsible_officer": "", "made_time_place": "", "forms": [], "retention_period": "", "url": None,
    }  # fmt: skip
    row.update(fields)
    return row


ROWS = [
    _row(1, berkala_items=["a", "c", "k"], holding_unit="Bidang <Statistik> & Data", forms=["softcopy", "hardcopy"],
         responsible_officer='Kepala "Bidang"', made_time_place="2026, Kota Contoh", retention_period="5 tahun"),
    _row(2, name="nama dengan spasi/é", title="<script>alert(1)</script> & 'kutip'",
         summary="<p>Ringkasan <b>tebal</b> &amp; entitas</p>" + " kata" * 60),
    _row(3, summary="x" * 164, berkala_items=["b"], forms=["cetak"], organization=None),
    _row(4, summary="y " * 83, category="setiap_saat", category_set=False, berkala_items=list("abcdefghijkz")),
    _row(5, source="item", name=None, url="https://example.go.id/doc?a=1&b=<2>", title="Dokumen", summary="Pendek"),
    _row(6, source="item", name=None, url=None, title="Tanpa alamat", category_set=False, holding_unit="   "),
    _row(7, title=None, summary=None, organization={"name": "x", "title": None}),
]  # fmt: skip


def _render(app, source: str, language: str, category: str, rows: list, can_edit: bool, body: dict | None) -> str:
    """What the template's dip_table macro writes."""
    flask_app = app.flask_app
    with flask_app.test_request_context("/", environ_overrides={"CKAN_LANG": language}):
        macro = flask_app.jinja_env.from_string(source, globals={"h": tk.h}).module.dip_table
        return str(macro(category, rows, views.labels(), can_edit, body))


@pytest.mark.usefixtures("with_plugins")
@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("category", ["berkala", "setiap_saat"])
@pytest.mark.parametrize(("can_edit", "body"), [(False, None), (False, BODY), (True, BODY)])
def test_the_rows_are_the_bytes_the_template_loop_wrote(app, language, category, can_edit, body):
    variables = {"category": category, "rows": ROWS, "can_edit": can_edit, "body": body}

    before = _render(app, BEFORE, language, **variables)
    now = _render(app, NOW, language, **variables)

    assert now == before
    # What the comparison relies on is really in the table.
    assert before.count("<tr data-source") == len(ROWS)
    assert "&lt;script&gt;" in before and "<script>" not in before
    assert ("belum diisi" if language == "id" else "not yet filled") in before
    assert ("Edit dataset" in before or "Ubah dataset" in before) == can_edit


@pytest.mark.usefixtures("with_plugins")
def test_no_rows_write_an_empty_table_body(app):
    variables = {"category": "berkala", "rows": [], "can_edit": False, "body": None}
    before = _render(app, BEFORE, "id", **variables)
    assert _render(app, NOW, "id", **variables) == before
    assert "<tbody>\n    \n  </tbody>" in before
