"""What each feed selects, and how it reads it through the actions that own the data.

A feed is a Source: it knows its title, the page it mirrors, how to compute its
validator cheaply (stamp) and how to read one page of entries. Dataset feeds read
`package_search` (the search index: newest first, one page, never every dataset);
register feeds read `layananpublik_request_list` (public fields only); the transparency
feed reads `layananpublik_page_change_list`. All return the same entry dicts (entries.py).

Every source reads as an anonymous visitor, whoever asks: feeds are public and may be
cached by any proxy, so they never hold what only a signed-in user may see.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import logging
import math
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.lib.search import SearchError
from flask import g, has_request_context

from ckanext.layananpublik.cases.memory import ProcessMemory
from ckanext.layananpublik.feeds import cache, categories, descriptions, entries, index
from ckanext.layananpublik.search.query import QuerySyntaxError, SortError

log = logging.getLogger(__name__)
# Never published, whatever the feed: exempt datasets. The DIP rule keeps them private; one
# made public by mistake (an import, an old record) stays out. A negated term is checked on
# every matching row of the index (at 10,000 datasets it costs more than the rest of the
# feed), so listings add it only while such a dataset exists (exempt_in_public_index).
ALWAYS = f'-{categories.FIELD}:"{categories.EXEMPT}"'


def anonymous() -> dict:
    return {"user": "", "ignore_auth": False}


def solr_phrase(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def pages_of(count: int, limit: int) -> int:
    return max(1, math.ceil(count / limit))


def check_page(page: int, count: int, limit: int) -> None:
    pages = pages_of(count, limit)
    if page > pages:
        message = tk.ungettext(
            "There is no page {page}: this feed has {pages} page",
            "There is no page {page}: this feed has {pages} pages",
            pages,
        )
        raise tk.ValidationError({"page": [message.format(page=page, pages=pages)]})


def exempt_in_public_index() -> bool:
    """Whether a public, active dataset is marked exempt (dikecualikan), which should never
    be. Asked of the database (two small tables, no search): with the PostgreSQL search in
    the statement that reads the index generation (cache.index_state), else on its own."""
    state = cache.index_state()
    if state is not None:
        return state[1]
    return bool(model.Session.execute(sa.text(f"SELECT {categories.EXEMPT_PUBLIC_SQL}")).scalar())


def _read_in_this_request() -> dict:
    """Datasets the listing read in this request (stamp and show run in one request)."""
    if not has_request_context():
        return {}
    return g.setdefault("layananpublik_feed_datasets", {})


def public_search(
    fq: str,
    sort: str,
    rows: int,
    start: int,
    q: str = "",
    extras: dict | None = None,
    with_count: bool = True,
    decode: bool = True,
) -> dict:
    """{"count", "results"} of a search as an anonymous visitor (public, active datasets):
    read straight from the PostgreSQL index where that gives package_search's answer
    (index.py), else package_search. Refused searches raise ValidationError. Without
    `decode`, the datasets read from the index are index.Row tuples (package_search's are
    dicts)."""
    with _refused_search():
        if index.usable(q, extras or {}):
            tk.check_access("package_search", anonymous(), {})
            return index.search(fq, sort, rows, start, with_count=with_count, decode=decode)
        data = {"fq": fq, "sort": sort, "rows": rows, "start": start, "include_private": False,
                "include_drafts": False, "facet": "false", **(extras or {})}  # fmt: skip
        if q:
            data["q"] = q
        return tk.get_action("package_search")(anonymous(), data)


@contextlib.contextmanager
def _refused_search() -> Iterator[None]:
    """A search the backend refuses, as ValidationError."""
    try:
        yield
    except (SearchError, QuerySyntaxError, SortError) as exc:
        log.info("feed search refused: %s", exc)
        raise tk.ValidationError(
            {"q": [tk._("This search cannot be run; check its words and filters")]}
        ) from None


@dataclasses.dataclass
class Stamp:
    """What a feed's validator is made of: enough to notice any change of its entries."""

    count: int
    newest: dt.datetime | None
    basis: str


@dataclasses.dataclass
class Source:
    """A feed: what it is called, the page it follows, and how it reads its entries."""

    kind: str
    key: str | None
    title: str
    description: str
    home_page_url: str
    author: dict

    def stamp(self, page: int, limit: int) -> Stamp:
        """The validator of a page, read more cheaply than the page itself."""
        raise NotImplementedError

    def page(self, page: int, limit: int) -> tuple[int, list[dict]]:
        """(number of entries of the whole feed, the entries of this page)."""
        raise NotImplementedError


# {id: (metadata_modified, version)} of a list of held items (cache.held_here keeps the
# same list while it holds), by the list: index.listing keeps what it sends by this dict.
_versions_here = ProcessMemory(256)


def _versions(held: list[dict]) -> dict[str, tuple[str, str]]:
    if not held:
        return {}
    found = _versions_here.get(id(held))
    if found is None or found[0] is not held:
        versions = {item["id"]: (item["metadata_modified"], item["version"]) for item in held if item.get("version")}
        found = _versions_here.keep(id(held), (held, versions))
    return found[1]


@dataclasses.dataclass
class DatasetFeed(Source):
    """Public datasets matching a search, most recently modified (or created) first."""

    fq: list[str] = dataclasses.field(default_factory=list)
    q: str = ""
    sort: str = "metadata_modified desc"
    extras: dict = dataclasses.field(default_factory=dict)

    def _search(self, rows: int, start: int) -> dict:
        fq = " ".join([*self.fq, *([ALWAYS] if exempt_in_public_index() else [])])
        return public_search(fq, self.sort, rows, start, q=self.q, extras=self.extras, decode=False)

    def _listing(self, page: int, limit: int) -> dict:
        """The page as (id, metadata_modified) pairs, and the feed's count. The datasets
        read for it are kept for the rest of the request (entries not cached yet)."""
        return self._listed(self._search(rows=limit, start=(page - 1) * limit))

    def _listed(self, found: dict) -> dict:
        items = [
            {"id": pkg["id"], "metadata_modified": pkg.get("metadata_modified")}
            if isinstance(pkg, dict)
            else {"id": pkg.id, "metadata_modified": pkg.metadata_modified, "version": pkg.version}
            for pkg in found["results"]
        ]
        _read_in_this_request().update(
            (item["id"], pkg)
            for item, pkg in zip(items, found["results"], strict=True)
            if isinstance(pkg, dict) or pkg.text is not None
        )
        cache.prefetch_entries(items, entries.dataset_keys())  # read with the view's next Redis call
        return {"count": found["count"], "items": items}

    def _first_read(
        self, page: int, limit: int, kept: dict | None, token: str | None
    ) -> tuple[str, bool, dict | None] | None:
        """The index state and, unless it is still `token` (that of `kept`, the listing held
        before), the listing, in one statement (index.listing; None where it cannot be
        used). The datasets of entries this process holds (of `kept`) are not read again."""
        if not index.usable(self.q, self.extras):
            return None
        held = cache.held_here(kept["items"], entries.dataset_keys()) if kept is not None else []
        with _refused_search():
            found = index.listing(" ".join(self.fq), self.sort, limit, (page - 1) * limit, _versions(held), token)
        if found.exempt or found.page is None:  # the page is read again with the exempt clause, or kept
            return found.token, found.exempt, None
        tk.check_access("package_search", anonymous(), {})  # as public_search
        return found.token, found.exempt, self._listed(found.page)

    def _cached_listing(self, page: int, limit: int) -> dict:
        selection = [self.kind, self.key or "", self.q, " ".join(self.fq), self.sort,
                     repr(sorted(self.extras.items())), str(page), str(limit)]  # fmt: skip
        return cache.per_index_version(
            "\x1f".join(selection),
            lambda: self._listing(page, limit),
            first_read=lambda kept, token: self._first_read(page, limit, kept, token),
            # With the caches off every entry is built: the listing's statement brings every
            # dataset of the page, instead of a search after it.
            reread=not cache.keeps_entries(),
        )

    def _datasets(self, items: list[dict]) -> list[dict]:
        """The datasets of the listed entries not kept in the entry cache, in one search
        (public and active only, as every feed read)."""
        ids = [item["id"] for item in items]
        fq = f"+id:({' OR '.join(solr_phrase(i) for i in ids)}) {ALWAYS}"
        return public_search(fq, "metadata_modified desc", len(ids), 0, with_count=False)["results"]

    def stamp(self, page: int, limit: int) -> Stamp:
        # The page's entries are exactly its listed (id, metadata_modified) pairs.
        listing = self._cached_listing(page, limit)
        items = listing["items"]
        basis = "|".join([self.kind, self.key or "", self.title, str(listing["count"]),
                          *(f"{i['id']}@{i['metadata_modified']}" for i in items)])  # fmt: skip
        newest = max(
            (entries.instant(i["metadata_modified"]) for i in items if i["metadata_modified"]), default=None
        )
        return Stamp(listing["count"], newest, basis)

    def page(self, page: int, limit: int) -> tuple[int, list[dict]]:
        listing = self._cached_listing(page, limit)
        return listing["count"], cache.entries(listing["items"], entries.dataset_keys(), self._build)

    def _build(self, missing: list[dict]) -> list[dict | None]:
        read = _read_in_this_request()
        by_id = {
            i["id"]: pkg if isinstance(pkg, dict) else pkg.decoded()
            for i in missing
            if (pkg := read.get(i["id"]))
        }
        unread = [i for i in missing if i["id"] not in by_id]
        by_id.update((pkg["id"], pkg) for pkg in (self._datasets(unread) if unread else []))
        # Descriptions rendered once, kept in the database (an update rarely changes one).
        notes = {key: entries.clean(pkg.get("notes")) for key, pkg in by_id.items()}
        described = descriptions.rendered(list(notes.values()))
        return [
            entries.dataset_entry(pkg, described.get(notes[i["id"]], entries.NO_DESCRIPTION))
            if (pkg := by_id.get(i["id"]))
            else None
            for i in missing
        ]


@dataclasses.dataclass
class RegisterFeed(Source):
    """Entries of the public request register: new requests, or decided ones."""

    organization_id: str | None = None

    @property
    def decided(self) -> bool:
        return self.kind == "requests_decided"

    def _list(self, **params: Any) -> dict:
        data = {"scope": "public", "sort": "newest", **params}
        if self.organization_id:
            data["organization_id"] = self.organization_id
        return tk.get_action("layananpublik_request_list")(anonymous(), data)

    def _window(self, page: int, limit: int) -> tuple[int, list[dict]]:
        filters = {"status": "decided", "sort": "decided"} if self.decided else {}
        found = self._list(limit=limit, offset=(page - 1) * limit, **filters)
        return found["count"], found["results"]

    def stamp(self, page: int, limit: int) -> Stamp:
        count, rows = self._window(page, limit)
        digest = hashlib.sha256(repr([sorted(r.items(), key=str) for r in rows]).encode()).hexdigest()
        dates = [
            entries.instant(entries.local_midnight(r.get("decision_date") or r.get("received_date")))
            for r in rows
        ]
        newest = max((d for d in dates if d), default=None)
        return Stamp(count, newest, "|".join([self.kind, self.key or "", self.title, str(count), digest]))

    def page(self, page: int, limit: int) -> tuple[int, list[dict]]:
        count, rows = self._window(page, limit)
        return count, [entries.request_entry(r, decided=self.decided) for r in rows]


@dataclasses.dataclass
class PageChangesFeed(Source):
    """Saved versions of the transparency pages and written reports, newest first."""

    organization_id: str | None = None

    def _changes(self, page: int, limit: int) -> dict:
        # The pages' language follows the feed's (the action's default: the interface language).
        data = {"limit": limit, "offset": (page - 1) * limit}
        if self.organization_id:
            data["organization_id"] = self.organization_id
        return tk.get_action("layananpublik_page_change_list")(anonymous(), data)

    def stamp(self, page: int, limit: int) -> Stamp:
        found = self._changes(page, limit)
        rows = found["results"]
        # The rows as listed (text, links, the body's name and title): a report part emptied
        # or a body renamed changes the validator, not only a new version.
        digest = hashlib.sha256(repr([sorted(r.items(), key=str) for r in rows]).encode()).hexdigest()
        newest = max((entries.instant(r["updated_at"]) for r in rows), default=None)
        return Stamp(
            found["count"],
            newest,
            "|".join([self.kind, self.key or "", self.title, str(found["count"]), digest]),
        )

    def page(self, page: int, limit: int) -> tuple[int, list[dict]]:
        found = self._changes(page, limit)
        return found["count"], [entries.page_change_entry(r) for r in found["results"]]


# --- resolving a feed from its parameters ---------------------------------------------------


def _site() -> str:
    return tk.config.get("ckan.site_title") or "CKAN"


def _site_author() -> dict:
    return {"name": _site(), "url": tk.url_for("home.index", _external=True)}


def _body_author(org: model.Group) -> dict:
    return entries.body_authors({"name": org.name, "title": org.title})[0]


def _group(name: str | None, organization: bool) -> model.Group:
    group = model.Group.get(name) if name else None
    if group is None or group.state != "active" or bool(group.is_organization) != organization:
        raise tk.ObjectNotFound(tk._("Public body not found") if organization else tk._("Group not found"))
    return group


def _search_summary(q: str, filters: list[list[str]]) -> str:
    parts = [f"“{q}”"] if q else []
    parts += [f"{field}: {value}" for field, value in filters]
    return "; ".join(parts) or tk._("all datasets")


def dataset_feed(data: dict) -> DatasetFeed:
    kind, key, site = data["feed"], data.get("id"), _site()
    common = {"sort": data["sort"]}
    if kind == "dataset":
        return DatasetFeed(
            kind, None, tk._("{site}: new and updated datasets").format(site=site),
            tk._("Public datasets published or updated on {site}, newest first.").format(site=site),
            tk.url_for("dataset.search", _external=True), _site_author(), **common,
        )  # fmt: skip
    if kind == "organization":
        org = _group(key, organization=True)
        return DatasetFeed(
            kind, org.name, tk._("{body}: new and updated datasets").format(body=org.title or org.name),
            tk._("Public datasets of {body} on {site}, newest first.").format(body=org.title or org.name, site=site),
            tk.url_for("organization.read", id=org.name, _external=True), _body_author(org),
            fq=[f"+owner_org:{solr_phrase(org.id)}"], **common,
        )  # fmt: skip
    if kind == "group":
        group = _group(key, organization=False)
        return DatasetFeed(
            kind, group.name, tk._("Group {group}: new and updated datasets").format(group=group.title or group.name),
            tk._("Public datasets in the group {group} on {site}, newest first.").format(
                group=group.title or group.name, site=site),
            tk.url_for("group.read", id=group.name, _external=True), _site_author(),
            fq=[f"+groups:{solr_phrase(group.name)}"], **common,
        )  # fmt: skip
    if kind == "tag":
        tag = model.Tag.by_name(key) if key else None
        if tag is None:
            raise tk.ObjectNotFound(tk._("Tag not found"))
        return DatasetFeed(
            kind, tag.name, tk._("Tag “{tag}”: new and updated datasets").format(tag=tag.name),
            tk._("Public datasets tagged “{tag}” on {site}, newest first.").format(tag=tag.name, site=site),
            tk.url_for("dataset.search", tags=tag.name, _external=True), _site_author(),
            fq=[f"+tags:{solr_phrase(tag.name)}"], **common,
        )  # fmt: skip
    if kind == "category":
        value = categories.value_of(key)
        label = categories.label(value)
        return DatasetFeed(
            kind, value, tk._("{category} information: new and updated datasets").format(category=label),
            tk._("Public datasets of the information category {category} on {site}, newest first.").format(
                category=label, site=site),
            tk.url_for("dataset.search", **{categories.FIELD: value}, _external=True), _site_author(),
            fq=[f"+{categories.FIELD}:{solr_phrase(value)}"], **common,
        )  # fmt: skip
    filters = data.get("filters") or []
    q = data.get("q") or ""
    summary = _search_summary(q, filters)
    args = (
        ([("q", q)] if q else []) + [tuple(pair) for pair in filters] + sorted(data.get("extras", {}).items())
    )
    return DatasetFeed(
        "search", None, tk._("Search {search}: new and updated datasets").format(search=summary),
        tk._("Public datasets on {site} matching the search {search}, newest first.").format(
            site=site, search=summary),
        tk.url_for("dataset.search", _external=True) + ("?" + urlencode(args) if args else ""), _site_author(),
        fq=[f"+{field}:{solr_phrase(value)}" for field, value in filters], q=q,
        extras=data.get("extras") or {}, **common,
    )  # fmt: skip


def register_feed(data: dict) -> RegisterFeed:
    kind, key, site = data["feed"], data.get("id"), _site()
    org = _group(key, organization=True) if key else None
    body = (org.title or org.name) if org else site
    args = {"org": org.name} if org else {}
    endpoint = "layananpublik_request.body_register" if org else "layananpublik_request.register"
    author = _body_author(org) if org else _site_author()
    if kind == "requests_new":
        title = tk._("{body}: new information requests").format(body=body)
        description = tk._("Requests for public information received by {body}, newest first (public register: "
                           "no personal data).").format(body=body)  # fmt: skip
        home = tk.url_for(endpoint, **args, _external=True)
    else:
        title = tk._("{body}: decided information requests").format(body=body)
        description = tk._("Requests for public information decided by {body}, latest decision first (public "
                           "register: no personal data).").format(body=body)  # fmt: skip
        home = tk.url_for(endpoint, status="decided", **args, _external=True)
    return RegisterFeed(kind, org.name if org else None, title, description, home, author,
                        organization_id=org.id if org else None)  # fmt: skip


def pages_feed(data: dict) -> PageChangesFeed:
    key, site = data.get("id"), _site()
    org = _group(key, organization=True) if key else None
    body = (org.title or org.name) if org else site
    if org:
        home = tk.url_for("layananpublik_pages.page", slug=org.name, _external=True)
        description = tk._("New versions of the public-information pages of {body} (PPID profile, service "
                           "standards, reports...), newest first.").format(body=body)  # fmt: skip
    else:
        home = tk.url_for("layananpublik_pages.index", _external=True)
        description = tk._("New versions of the public-information pages of {site} and of every public body on it "
                           "(PPID profile, service standards, reports...), newest first.").format(site=site)  # fmt: skip
    return PageChangesFeed(
        "pages", org.name if org else None, tk._("{body}: public-information page updates").format(body=body),
        description, home, _body_author(org) if org else _site_author(), organization_id=org.id if org else None,
    )  # fmt: skip


def resolve(data: dict) -> Source:
    """The feed named by validated action data; ObjectNotFound for an unknown body, group,
    tag or category."""
    if data["feed"].startswith("requests_"):
        return register_feed(data)
    if data["feed"] == "pages":
        return pages_feed(data)
    return dataset_feed(data)
