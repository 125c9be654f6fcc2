"""The text of a post: a Jinja template per event and language, fitted to the platform.

Templates live in templates/layananpublik/social/posts/<event>.<language>.txt (plain text,
no autoescape); a site overrides one by putting a file of the same path earlier in
`extra_template_paths`. The link is always kept whole; when the text is too long the
summary is shortened first, then hashtags dropped from the end, then the title shortened.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import ckan.plugins.toolkit as tk
import jinja2

LANGUAGES = ("id", "en")
EVENTS = ("created", "serta_merta", "updated")
ELLIPSIS = "…"
_env: jinja2.Environment | None = None


def environment() -> jinja2.Environment:
    global _env
    if _env is None:
        import pathlib

        paths = [p for p in (tk.config.get("extra_template_paths") or "").split(",") if p.strip()]
        ours = pathlib.Path(__file__).resolve().parents[1] / "templates"
        loader = jinja2.FileSystemLoader([*paths, str(ours)])
        _env = jinja2.Environment(
            loader=loader, autoescape=False, trim_blocks=True, keep_trailing_newline=False
        )
    return _env


def hashtag(tag: str) -> str:
    """'data kesehatan' → '#DataKesehatan'; '' when nothing usable is left."""
    words = re.findall(r"[^\W_]+", tag, flags=re.UNICODE)
    joined = "".join(w[:1].upper() + w[1:] for w in words)
    return f"#{joined}" if joined and not joined.isdigit() else ""


def hashtags(tags: Iterable[str], limit: int) -> list[str]:
    seen: list[str] = []
    for tag in [*tags, *(tk.config.get("ckanext.layananpublik.social.extra_hashtags") or [])]:
        value = tag if tag.startswith("#") else hashtag(tag)
        if value and value.lower() not in {s.lower() for s in seen}:
            seen.append(value)
    return seen[:limit]


def plain_summary(notes: str | None) -> str:
    """Markdown notes as one plain paragraph."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", notes or "")
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[#*_`>|]+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _shorten(text: str, length: int) -> str:
    if len(text) <= length:
        return text
    if length <= 1:
        return ""
    cut = text[: length - 1]
    if " " in cut[length // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,.;:") + ELLIPSIS


def render(event: str, language: str, values: dict) -> str:
    language = language if language in LANGUAGES else "id"
    template = environment().get_template(f"layananpublik/social/posts/{event}.{language}.txt")
    text = template.render(**values)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def compose(
    event: str, language: str, values: dict, tags: list[str], length: Callable[[str], int], limit: int
) -> str:
    """The rendered text, within `limit` as the platform counts (`length`)."""
    values = dict(values)
    tags = list(tags)
    summary_cap = int(tk.config.get("ckanext.layananpublik.social.summary_length"))
    values["summary"] = _shorten(values.get("summary") or "", summary_cap)
    while True:
        values["hashtags"] = " ".join(tags)
        text = render(event, language, values)
        over = length(text) - limit
        if over <= 0:
            return text
        if values["summary"]:
            values["summary"] = _shorten(values["summary"], max(0, len(values["summary"]) - over - 1))
        elif tags:
            tags.pop()
        elif len(values["title"]) > 1:
            values["title"] = _shorten(values["title"], max(1, len(values["title"]) - over - 1))
        else:
            return text[:limit]
