"""Entry rendering without CKAN's per-call costs: the same bytes as CKAN's helpers."""

from __future__ import annotations

import threading

import ckan.plugins.toolkit as tk
import pytest
from markupsafe import Markup

from ckanext.layananpublik.feeds import entries

NOTES = [
    "Data **anggaran** 2025, per _triwulan_.",
    "# Judul\n\nParagraf satu.\n\n* satu\n* dua\n\n1. pertama\n2. kedua",
    "Lihat tag:anggaran dan dataset:apbd-2025, group:keuangan dan https://contoh.go.id/data?a=1&b=2",
    '<script>alert("x")</script><img src="javascript:alert(1)"> <a href="http://x" onclick="y">z</a>',
    '[tautan](http://contoh.go.id "judul") dan ![gambar](https://contoh.go.id/a.png)',
    "    kode blok\n\n> kutipan\n\n`kode`, 3 < 4 & 5 > 2, &amp; &copy; <!-- komentar -->",
    "Referensi [a][1]\n\n[1]: http://contoh.go.id/ref",
    "Baris satu  \nbaris dua\n\n---\n\n<div>blok html</div>",
    "Ünïcödé — “kutip” \u200b nol-lebar",
    "",
]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_markdown_is_rendered_as_ckan_renders_it(app, with_plugins, lang):
    with app.flask_app.test_request_context("/" if lang == "id" else "/en/"):
        for notes in NOTES * 2:  # twice: the parser kept from the first call leaks nothing
            expected = tk.h.render_markdown(notes) if notes else ""
            assert str(entries.render_markdown(notes)) == str(expected), notes


def test_markdown_renderers_are_kept_per_thread(app, with_plugins):
    """Neither the parser nor the cleaner is thread-safe: each thread has its own."""
    seen = []

    def render():
        with app.flask_app.test_request_context("/"):
            seen.append((str(entries.render_markdown(NOTES[1])), id(entries._renderers.markdown)))

    threads = [threading.Thread(target=render) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.flask_app.test_request_context("/"):
        expected = str(tk.h.render_markdown(NOTES[1]))
    assert [html for html, _ in seen] == [expected, expected]
    assert seen[0][1] != seen[1][1]


@pytest.mark.parametrize("path", ["/", "/en/"])
@pytest.mark.parametrize(
    ("endpoint", "name", "kwargs"),
    [
        ("dataset.read", "apbd-2025", {}),
        ("dataset.read", "data_2", {}),
        ("organization.read", "dinas-keuangan", {}),
        ("layananpublik_feeds.category", "serta-merta", {"fmt": "atom"}),
        ("dataset.read", "Nama Dengan Spasi/dan?tanda", {}),  # quoted: through url_for
    ],
)
def test_page_urls_are_url_for_urls(app, with_plugins, path, endpoint, name, kwargs):
    with app.flask_app.test_request_context(path):
        # The first call builds the request's template, the second fills it in.
        for each in ("lain", name):
            assert entries.page_url(endpoint, each, **kwargs) == tk.url_for(
                endpoint, id=each, _external=True, **kwargs
            )


RESOURCES = [
    {"url": "https://data.contoh.go.id/a.csv?x=1&y=2", "name": 'APBD <2025> & "final"', "format": "CSV"},
    {"url": "/dataset/abc/resource/1/download/b.pdf", "name": "", "format": 'P"D<F>'},
    {"url": "http://contoh.go.id/c", "name": "Tanpa format", "format": ""},
    {"url": "javascript:alert(1)", "name": "bukan tautan", "format": "HTML"},
    {"url": "", "name": "tanpa alamat"},
    {"url": "https://contoh.go.id/d\x00e", "name": "kontrol\x07", "format": None},
]


def _resource_list_by_markup_format(resources: list[dict]) -> Markup:
    """The list as Markup.format wrote it before (the reference for the same bytes)."""
    items = [
        Markup('<li><a href="{url}">{name}</a>{fmt}</li>').format(
            url=url,
            name=entries.clean(r.get("name")) or url,
            fmt=Markup(" ({})").format(entries.clean(r["format"])) if r.get("format") else "",
        )
        for r in resources
        if (url := entries.absolute_url(entries.clean(r.get("url"))))
    ]
    if not items:
        return Markup("")
    return Markup("<p>{}</p><ul>{}</ul>").format(tk._("Data and documents:"), Markup("").join(items))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_resource_list_is_what_markup_format_writes(app, with_plugins, lang):
    with app.flask_app.test_request_context("/" if lang == "id" else "/en/"):
        for resources in (RESOURCES, RESOURCES[:1], RESOURCES[3:5], []):
            listed = entries._resource_list(resources)
            assert isinstance(listed, Markup)
            assert str(listed) == str(_resource_list_by_markup_format(resources))
        assert "&lt;2025&gt; &amp; &#34;final&#34;" in str(entries._resource_list(RESOURCES))
