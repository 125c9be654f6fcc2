"""Feed entries as plain dicts, the one shape every format is rendered from (build.py).

    {"id", "title", "url", "summary", "content_html", "content_text",
     "authors": [{"name", "url"}], "categories": [{"term", "label", "scheme"}],
     "published", "updated" (ISO 8601, UTC), "language",
     "enclosures": [{"url", "mime_type", "length", "title"}]}

Text is sanitised here: the summary is plain text, the body is CKAN's bleach-cleaned
Markdown rendering, and control characters (which XML cannot carry) are dropped.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import re
import textwrap
import threading
import uuid
from collections.abc import Callable
from urllib.parse import urljoin, urlparse
from zoneinfo import ZoneInfo

import bleach
import ckan.plugins.toolkit as tk
import markdown
from ckan.lib import helpers as core_helpers
from flask import g, has_request_context, request
from markupsafe import Markup, escape
from werkzeug.routing import BuildError

from ckanext.layananpublik.cases.clock import timezone
from ckanext.layananpublik.cases.memory import ProcessMemory
from ckanext.layananpublik.feeds import categories

# Bump when an entry's content changes for the same dataset: kept entries are then unused.
ENTRY_VERSION = "2"  # 2: kept in Redis with the time it was built
SUMMARY_LENGTH = 300
# An empty description, rendered (what render_markdown gives for no text).
NO_DESCRIPTION = {"html": Markup(""), "text": "", "summary": ""}
TITLE_LENGTH = 140
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# Formats whose usual file name does not tell the type (mimetypes knows the others).
FORMAT_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "geojson": "application/geo+json",
    "xml": "application/xml",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "zip": "application/zip",
    "shp": "application/x-esri-shape",
    "html": "text/html",
    "txt": "text/plain",
}
OCTET_STREAM = "application/octet-stream"
# Decided entries of the register get their own ids: the same request may be in both feeds.
DECIDED_NAMESPACE = uuid.UUID("6f1d9c52-2b1e-4c55-9a53-1f0a7d3c8e21")
# Entries of transparency-page changes: ids derived from the change's key.
PAGES_NAMESPACE = uuid.UUID("0c3b7e4a-91d2-4f6e-8a57-2d9e6b1f4c08")


# A dataset name as CKAN allows it: nothing in it that a URL would quote.
_PLAIN_NAME = re.compile(r"^[a-z0-9_-]+$")
_NAME_SLOT = "layananpublik-feed-name-slot"
# The Markdown parser and the HTML cleaner, one of each per thread (neither is thread-safe).
_renderers = threading.local()


def clean(text: str | None) -> str:
    return _CONTROL.sub("", text or "")


def iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.timezone.utc).isoformat() if moment else None


def instant(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def local_midnight(day: str | None) -> str | None:
    """A register date (the body's local date) as the instant its day began, in UTC."""
    if not day:
        return None
    start = dt.datetime.combine(dt.date.fromisoformat(day[:10]), dt.time(), ZoneInfo(timezone()))
    return iso(start)


def language() -> str:
    return tk.h.lang() or tk.config.get("ckan.locale_default") or "id"


def absolute_url(url: str) -> str | None:
    if not url:
        return None
    if urlparse(url).scheme in ("http", "https"):
        return url
    absolute = urljoin(tk.config.get("ckan.site_url").rstrip("/") + "/", url)
    return absolute if urlparse(absolute).scheme in ("http", "https") else None


def mime_type(resource: dict) -> str:
    if resource.get("mimetype"):
        return resource["mimetype"]
    fmt = (resource.get("format") or "").strip().lower()
    guessed = mimetypes.guess_type(urlparse(resource.get("url") or "").path)[0]
    return guessed or FORMAT_TYPES.get(fmt) or OCTET_STREAM


def enclosure(resource: dict) -> dict | None:
    url = absolute_url(clean(resource.get("url")))
    if not url:
        return None
    size = resource.get("size")
    return {
        "url": url,
        "mime_type": mime_type(resource),
        "length": size if isinstance(size, int) and size >= 0 else 0,
        "title": clean(resource.get("name")) or clean(resource.get("format")) or None,
    }


def _resource_list(resources: list[dict]) -> Markup:
    """The resources as an HTML list (what Markup.format would write, by string joins: with
    the Redis caches off it ran for every resource of every entry)."""
    items = [
        f'<li><a href="{escape(url)}">{escape(clean(r.get("name")) or url)}</a>'
        + (f" ({escape(clean(r['format']))})" if r.get("format") else "")
        + "</li>"
        for r in resources
        if (url := absolute_url(clean(r.get("url"))))
    ]
    if not items:
        return Markup("")
    return Markup(f"<p>{_data_and_documents()}</p><ul>{''.join(items)}</ul>")


def _data_and_documents() -> str:
    """The list's heading, translated once per request (gettext is costlier than an entry's list)."""
    if not has_request_context():
        return escape(tk._("Data and documents:"))
    if "layananpublik_feed_data_label" not in g:
        g.layananpublik_feed_data_label = escape(tk._("Data and documents:"))
    return g.layananpublik_feed_data_label


def render_markdown(text: str) -> Markup:
    """What CKAN's h.render_markdown(text) returns, the same bytes, without building a
    Markdown parser and an HTML cleaner for every call (they cost more than the rendering):
    Markdown with its defaults, bleach with CKAN's tags and attributes (strip), then CKAN's
    auto-links (tag:, group:, dataset:, http...)."""
    if not text:
        return Markup("")
    md = getattr(_renderers, "markdown", None)
    if md is None:
        md = _renderers.markdown = markdown.Markdown()
        _renderers.cleaner = bleach.Cleaner(
            tags=core_helpers.MARKDOWN_TAGS, attributes=core_helpers.MARKDOWN_ATTRIBUTES, strip=True
        )
    html = _renderers.cleaner.clean(md.reset().convert(text))
    return Markup(core_helpers.html_auto_link(html))


# Addresses url_for built, kept by this process under all they depend on besides the
# endpoint and its arguments: the request's language (CKAN_LANG, as CKAN's url_for reads
# it), its script root, ckan.site_url and ckan.root_path. url_for costs about 80 µs,
# and a feed's entries and links ask for the same few addresses on every request.
_urls_here = ProcessMemory(1024)


def external_url(endpoint: str, **kwargs: str) -> str:
    """tk.url_for(endpoint, _external=True, **kwargs), kept by this process (in a request)."""
    if not has_request_context():
        return tk.url_for(endpoint, _external=True, **kwargs)
    environ = request.environ
    key = (endpoint, *sorted(kwargs.items()), environ.get("CKAN_LANG"), environ.get("CKAN_LANG_IS_DEFAULT", True),
           request.script_root, tk.config.get("ckan.site_url"), tk.config.get("ckan.root_path"))  # fmt: skip
    found = _urls_here.get(key)
    if found is None:
        found = _urls_here.keep(key, tk.url_for(endpoint, _external=True, **kwargs))
    return found


def page_url(endpoint: str, name: str, **kwargs: str) -> str:
    """tk.url_for(endpoint, id=name, _external=True, **kwargs), built once per process and
    endpoint (external_url): the other names are put in its place (url_for costs as much
    as rendering an entry). Names CKAN would quote (none it accepts) go through url_for."""
    if not _PLAIN_NAME.match(name) or not has_request_context():
        return tk.url_for(endpoint, id=name, _external=True, **kwargs)
    parts = external_url(endpoint, id=_NAME_SLOT, **kwargs).split(_NAME_SLOT)
    return name.join(parts) if len(parts) == 2 else tk.url_for(endpoint, id=name, _external=True, **kwargs)


def body_authors(org: dict | None) -> list[dict]:
    """The public body as the entry's author, linking to its page (none without a body)."""
    if not org or not org.get("name"):
        return []
    return [
        {"name": clean(org.get("title")) or org["name"], "url": page_url("organization.read", org["name"])}
    ]


def _key_prefix() -> str:
    """ENTRY_VERSION, the site and the language: once per request (the language reads the
    request, costlier than the rest of a key)."""
    if not has_request_context():
        return "\x1f".join([ENTRY_VERSION, tk.config.get("ckan.site_url"), language()])
    if "layananpublik_feed_key_prefix" not in g:
        g.layananpublik_feed_key_prefix = "\x1f".join(
            [ENTRY_VERSION, tk.config.get("ckan.site_url"), language()]
        )
    return g.layananpublik_feed_key_prefix


def dataset_key(item: dict) -> str:
    """What a dataset's entry depends on: the dataset's version, the language, the site.
    `item` is the dataset or its listing: {"id", "metadata_modified"}."""
    return f"{_key_prefix()}\x1f{item['id']}\x1f{item.get('metadata_modified')}"


def dataset_keys() -> Callable[[dict], str]:
    """dataset_key, with this request's prefix read once (for the 20 items of a page)."""
    prefix = _key_prefix()
    return lambda item: f"{prefix}\x1f{item['id']}\x1f{item.get('metadata_modified')}"


def dataset_entry(pkg: dict, described: dict | None = None) -> dict:
    """One dataset (package_search's dict) as a feed entry linking to its page.
    `described`: its description already rendered ({"html", "text", "summary"},
    descriptions.py), else it is rendered here."""
    notes = clean(pkg.get("notes"))
    authors = body_authors(pkg.get("organization"))
    if pkg.get("author") and clean(pkg["author"]) not in {a["name"] for a in authors}:
        authors.append({"name": clean(pkg["author"]), "url": None})
    terms = [
        {"term": clean(t["name"]), "label": clean(t.get("display_name") or t["name"]), "scheme": None}
        for t in pkg.get("tags") or []
        if t.get("name")
    ]
    category = _extra(pkg, categories.FIELD)
    if category in categories.PUBLISHED:
        terms.append(
            {"term": category, "label": categories.label(category),
             "scheme": page_url("layananpublik_feeds.category", categories.slug(category), fmt="atom")}
        )  # fmt: skip
    resources = pkg.get("resources") or []
    # Markdown once (CKAN's renderer, bleach-cleaned); the plain text is read off its HTML.
    if described is None:
        body = render_markdown(notes)
        text = body.striptags()
        summary = textwrap.shorten(text, SUMMARY_LENGTH, placeholder="…") if text else ""
    else:
        body, text, summary = described["html"], described["text"], described["summary"]
    endpoint = f"{pkg.get('type') or 'dataset'}.read"
    try:
        url = page_url(endpoint, pkg["name"])
    except BuildError:  # a dataset type without pages of its own
        url = page_url("dataset.read", pkg["name"])
    return {
        "id": f"urn:uuid:{pkg['id']}",
        "title": clean(pkg.get("title")) or pkg["name"],
        "url": url,
        "summary": summary,
        "content_html": str(body + _resource_list(resources)) or None,
        "content_text": text or None,
        "authors": authors,
        "categories": terms,
        "published": iso(instant(pkg.get("metadata_created"))),
        "updated": iso(instant(pkg.get("metadata_modified"))),
        "language": language(),
        "enclosures": [e for e in (enclosure(r) for r in resources) if e],
    }


def _extra(pkg: dict, key: str) -> str | None:
    if pkg.get(key):
        return str(pkg[key])
    for extra in pkg.get("extras") or []:
        if extra.get("key") == key:
            return str(extra.get("value") or "") or None
    return None


def request_entry(req: dict, decided: bool) -> dict:
    """One entry of the public register (public fields only) linking to its register page."""
    number = clean(req["registration_number"])
    subject = clean(req.get("subject"))
    url = tk.url_for("layananpublik_request.read", number=number, _external=True)
    rows = [
        (tk._("Registration number"), number),
        (tk._("Information requested"), subject),
        (tk._("Received"), tk.h.layananpublik_date(req.get("received_date"))),
        (tk._("Status"), req.get("status_label") or req.get("status")),
    ]
    if req.get("outcome"):
        rows.append((tk._("Outcome"), req.get("outcome_label") or req["outcome"]))
    if req.get("decision_date"):
        rows.append((tk._("Decision date"), tk.h.layananpublik_date(req["decision_date"])))
    html = Markup("<dl>{}</dl>").format(
        Markup("").join(Markup("<dt>{}</dt><dd>{}</dd>").format(k, v) for k, v in rows if v)
    )
    authors = body_authors(req.get("organization"))
    terms = [{"term": req["status"], "label": req.get("status_label") or req["status"], "scheme": None}]
    if req.get("outcome"):
        terms.append({"term": req["outcome"], "label": req.get("outcome_label") or req["outcome"],
                           "scheme": None})  # fmt: skip
    received = local_midnight(req.get("received_date"))
    entry_id = uuid.uuid5(DECIDED_NAMESPACE, req["id"]) if decided else req["id"]
    return {
        "id": f"urn:uuid:{entry_id}",
        "title": f"{number}: {textwrap.shorten(subject, TITLE_LENGTH, placeholder='…')}"
        if subject
        else number,
        "url": url,
        "summary": subject,
        "content_html": str(html),
        "content_text": "\n".join(f"{k}: {v}" for k, v in rows if v),
        "authors": authors,
        "categories": terms,
        "published": local_midnight(req.get("decision_date")) if decided else received,
        "updated": local_midnight(req.get("decision_date")) or received,
        "language": language(),
        "enclosures": [],
    }


def page_change_entry(change: dict) -> dict:
    """A saved version of a transparency page, or a written report (layananpublik_page_change_list)."""
    html = Markup(change["html"] or "")  # sanitised by the pages' allow-list
    text = " ".join(html.striptags().split())
    body = change["organization"]
    title = clean(change["title"])
    body_name = (clean(body["title"]) or body["name"]) if body else ""
    # A report's title names its body; a page's only when its editor wrote it in.
    if change["type"] == "page" and body_name and body_name.casefold() not in title.casefold():
        title = f"{title} — {body_name}"
    if change["type"] == "page" and change["revision"] > 1:
        title = tk._("{title} (updated)").format(title=title)
    note = clean(change.get("note"))
    summary = note or (textwrap.shorten(text, SUMMARY_LENGTH, placeholder="…") if text else "")
    if note:
        html = Markup("<p><strong>{}</strong> {}</p>").format(tk._("What changed:"), note) + html
    kind = {"page": tk._("Public-information page"), "report": tk._("Public information service report")}
    return {
        "id": f"urn:uuid:{uuid.uuid5(PAGES_NAMESPACE, change['key'])}",
        "title": title,
        "url": change["url"],
        "summary": summary,
        "content_html": str(html) or None,
        "content_text": text or None,
        "authors": body_authors(body),
        "categories": [{"term": change["type"], "label": kind[change["type"]], "scheme": None}],
        "published": iso(instant(change["published_at"])),
        "updated": iso(instant(change["updated_at"])),
        "language": change["language"],
        "enclosures": [],
    }
