"""Page bodies are shown through a small allow-list: what a script could use is removed,
what Markdown writes is kept."""

from __future__ import annotations

import pytest

from ckanext.layananpublik.transparency.pages.sanitize import clean_html, render


@pytest.mark.parametrize(
    "dangerous, gone",
    [
        ("<script>alert('x')</script>", ["<script", "alert"]),
        ("<SCRIPT src=//evil.example/x.js></SCRIPT>", ["<script", "evil.example"]),
        ('<img src="x.png" onerror="alert(1)">', ["onerror", "alert"]),
        ('<a href="javascript:alert(1)">klik</a>', ["javascript:", "alert"]),
        ('<a href="JaVaScRiPt:alert(1)">klik</a>', ["javascript", "alert"]),
        ("<style>body{display:none}</style>", ["<style", "display:none"]),
        ('<p style="position:fixed">x</p>', ["style="]),
        ('<iframe src="https://evil.example"></iframe>', ["<iframe", "evil.example"]),
        ('<form action="/x"><input name="a"></form>', ["<form", "<input"]),
        ('<div onclick="alert(1)">x</div>', ["onclick"]),
        ("<svg onload=alert(1)>", ["<svg", "onload"]),
    ],
)
@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_what_a_script_could_use_is_removed(dangerous, gone, fmt):
    html = str(render(dangerous, fmt)).lower()
    for fragment in gone:
        assert fragment.lower() not in html, html


def test_a_markdown_link_to_javascript_loses_its_address():
    assert str(render("[klik](javascript:alert(1))")) == "<p><a>klik</a></p>"


def test_markdown_is_kept():
    html = str(
        render("## Kontak\n\n- **Telepon:** 021\n- [Peta](https://maps.example/x)\n\n|a|b|\n|-|-|\n|1|2|")
    )
    assert "<h2>Kontak</h2>" in html
    assert "<strong>Telepon:</strong>" in html
    assert '<a href="https://maps.example/x">Peta</a>' in html
    assert "<table>" in html and "<td>1</td>" in html


def test_mail_and_phone_links_are_kept():
    html = str(render("[surel](mailto:ppid@example.go.id) [telepon](tel:+62211234)"))
    assert 'href="mailto:ppid@example.go.id"' in html and 'href="tel:+62211234"' in html


def test_a_first_level_heading_becomes_second_level():
    # The page title is the page's only h1.
    assert str(render("# Judul")) == "<h2>Judul</h2>"


def test_limited_html_keeps_its_allowed_tags():
    assert clean_html('<p lang="en">Hello <em>world</em></p>') == '<p lang="en">Hello <em>world</em></p>'
