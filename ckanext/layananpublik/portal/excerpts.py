"""Sections of a transparency page, for the home page and the footer.

A page (layananpublik_page_show) is sanitised HTML whose parts start with headings: the
PPID profile has "Jam layanan" / "Service hours" and "Kontak" / "Contact". A part still
holding a placeholder in square brackets ("[nomor telepon]") is not shown: the front door
never shows a template's blanks.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
BLOCKS = {"p", "li"}
PLACEHOLDER = re.compile(r"\[[^\]]+\]")
SERVICE_HOURS = ("jam layanan", "service hours")
CONTACT = ("kontak", "contact")


class _Sections(HTMLParser):
    """Splits HTML into (heading, [block text, ...]) in document order; the text before the
    first heading goes under the heading ""."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[tuple[str, list[str]]] = [("", [])]
        self._heading: list[str] | None = None
        self._block: list[str] | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in HEADINGS:
            self._heading = []
        elif tag in BLOCKS and self._heading is None:
            if self._block is None:
                self._block, self._depth = [], 0
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in HEADINGS and self._heading is not None:
            self.sections.append((_clean("".join(self._heading)), []))
            self._heading = None
        elif tag in BLOCKS and self._block is not None:
            self._depth -= 1
            if self._depth <= 0:
                text = _clean("".join(self._block))
                if text:
                    self.sections[-1][1].append(text)
                self._block = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)
        elif self._block is not None:
            self._block.append(data)


def _clean(text: str) -> str:
    return " ".join(text.split())


def sections(html: str) -> list[tuple[str, list[str]]]:
    parser = _Sections()
    parser.feed(html or "")
    parser.close()
    return parser.sections


def section(html: str, names: tuple[str, ...]) -> list[str]:
    """The text blocks under the first heading named like one of `names` (case ignored),
    or [] when there is none or it still holds a placeholder."""
    for heading, blocks in sections(html):
        if heading.lower() in names:
            if any(PLACEHOLDER.search(block) for block in blocks):
                return []
            return blocks
    return []


def first_paragraph(html: str) -> str:
    """The first text block of the page without a placeholder ("" if none)."""
    for _heading, blocks in sections(html):
        for block in blocks:
            if not PLACEHOLDER.search(block):
                return block
    return ""
