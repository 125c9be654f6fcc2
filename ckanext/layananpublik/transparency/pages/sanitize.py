"""Markdown or limited HTML to safe HTML: a small allow-list of tags and attributes, links
only to http(s), mailto, tel and relative addresses. No scripts, styles, event handlers,
frames, forms or javascript: URLs survive."""

from __future__ import annotations

import re

import bleach
import markdown as md
from markupsafe import Markup

TAGS = frozenset({
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u", "s", "small",
    "sub", "sup", "blockquote", "code", "pre", "ul", "ol", "li", "dl", "dt", "dd", "a", "abbr",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "img", "figure", "figcaption",
    "address", "span", "div",
})  # fmt: skip
ATTRIBUTES = {
    "a": ["href", "title", "hreflang", "lang"],
    "abbr": ["title"],
    "img": ["src", "alt", "title", "width", "height"],
    "th": ["scope", "colspan", "rowspan"],
    "td": ["colspan", "rowspan"],
    "ol": ["start"],
    "*": ["lang"],
}
PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})
# Elements whose content is code or hidden, not text: dropped with their content (bleach
# would keep the text of a stripped tag).
_CODE_ELEMENTS = re.compile(
    r"<(script|style|template|iframe|object|noscript|textarea|select)\b.*?(</\1\s*>|$)",
    re.IGNORECASE | re.DOTALL,
)
_H1 = re.compile(r"<(/?)h1\b", re.IGNORECASE)  # the page title is the only h1
_cleaner = bleach.Cleaner(
    tags=TAGS, attributes=ATTRIBUTES, protocols=PROTOCOLS, strip=True, strip_comments=True
)


def clean_html(html: str) -> str:
    """Limited HTML, as stored: what the allow-list keeps."""
    html = _CODE_ELEMENTS.sub("", html or "")
    return _cleaner.clean(_H1.sub(r"<\1h2", html))


def render(body: str, fmt: str = "markdown") -> Markup:
    """A page body as safe HTML. Markdown's raw HTML passes through the same allow-list."""
    html = md.markdown(body or "", extensions=["tables", "sane_lists"]) if fmt == "markdown" else body
    return Markup(clean_html(html))
