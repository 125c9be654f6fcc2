"""Sections of a transparency page as the home page and footer read them."""

from __future__ import annotations

from ckanext.layananpublik.portal import excerpts

HTML = (
    "<h2>PPID</h2><p>PPID melayani permohonan.</p>"
    "<h3>Kontak</h3><ul><li>Alamat: [alamat kantor]</li><li>Telepon: 021 555</li></ul>"
    "<h3>Jam layanan</h3><p>Senin–Kamis 08.00–15.30 WIB,\n Jumat 08.00–16.00 WIB.</p><p>Portal: setiap saat.</p>"
)


def test_section_gives_the_blocks_under_a_heading_named_in_either_language():
    assert excerpts.section(HTML, excerpts.SERVICE_HOURS) == [
        "Senin–Kamis 08.00–15.30 WIB, Jumat 08.00–16.00 WIB.",
        "Portal: setiap saat.",
    ]
    english = "<h3>Service hours</h3><p>Mon–Fri 8–16</p>"
    assert excerpts.section(english, excerpts.SERVICE_HOURS) == ["Mon–Fri 8–16"]


def test_section_with_a_placeholder_is_not_shown():
    assert excerpts.section(HTML, excerpts.CONTACT) == []


def test_missing_section_is_empty():
    assert excerpts.section("<p>Tanpa judul</p>", excerpts.SERVICE_HOURS) == []
    assert excerpts.section("", excerpts.CONTACT) == []


def test_first_paragraph_skips_placeholders_and_headings():
    assert excerpts.first_paragraph(HTML) == "PPID melayani permohonan."
    assert (
        excerpts.first_paragraph("<h2>Maklumat</h2><p>[tempat, tanggal]</p><p>Kami sanggup.</p>")
        == "Kami sanggup."
    )
    assert excerpts.first_paragraph("<h2>Judul saja</h2>") == ""


def test_nested_lists_give_one_block_per_outer_item_with_entities_decoded():
    html = "<h3>Kontak</h3><ul><li>Surel: ppid&#64;contoh.go.id <strong>(resmi)</strong></li></ul>"
    assert excerpts.section(html, excerpts.CONTACT) == ["Surel: ppid@contoh.go.id (resmi)"]
