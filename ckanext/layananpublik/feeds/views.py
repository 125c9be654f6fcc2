"""Feed URLs, in Indonesian, under /umpan (English with /en/umpan/...).

    /umpan/dataset.<fmt>                      new and updated public datasets
    /umpan/organisasi/<body>.<fmt>            ... of one public body
    /umpan/grup/<group>.<fmt>                 ... of one group
    /umpan/tag/<tag>.<fmt>                    ... with one tag
    /umpan/kategori/<category>.<fmt>          ... of one information category
    /umpan/cari.<fmt>?q=...&tags=...          ... of any dataset search
    /umpan/permohonan[/<body>]/baru.<fmt>     new information requests (public register)
    /umpan/permohonan[/<body>]/diputus.<fmt>  decided information requests
    /umpan/informasi-publik[/<body>].<fmt>    transparency-page updates

<fmt> is rss, atom or json. Every answer carries an ETag and a Last-Modified; a
conditional request that matches gets 304 after the stamp action alone (one row of the
search index), before any entry is read or written.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, request
from werkzeug.http import http_date

from ckanext.layananpublik import web
from ckanext.layananpublik.feeds import build, cache, categories, links

# Set on the WSGI environ by a feed view; read by _feed_cache_headers.
MAX_AGE_KEY = "layananpublik.feeds.max_age"


_context = web.context


def _bad_request(errors: dict) -> Any:
    messages = []
    for field, problems in errors.items():
        text = "; ".join(str(p) for p in (problems if isinstance(problems, list) else [problems]))
        messages.append(f"{field}: {text}")
    return tk.abort(400, " ".join(messages) or tk._("Bad request"))


def _data(kind: str, key: str | None, fmt: str) -> dict:
    args = request.args
    data: dict[str, Any] = {"feed": kind, "format": fmt}
    if key is not None:
        data["id"] = key
    for name in ("page", "limit", "sort"):
        if args.get(name):
            data[name] = args.get(name)
    if kind == "search":
        if args.get("q", "").strip():
            data["q"] = args.get("q").strip()
        data["filters"] = [
            [name, value]
            for name, value in args.items(multi=True)
            if value and name not in links.NOT_FILTERS and not name.startswith(("_", "ext_"))
        ]
        data["extras"] = {name: value for name, value in args.items() if name.startswith("ext_") and value}
    return data


def _headers(stamp: dict, seen: int | None) -> dict:
    """ETag and Last-Modified (when first seen; without Redis, the newest entry's time),
    and an open door for feed readers running in browsers (the content is public)."""
    if seen is None and stamp.get("newest"):
        seen = int(tk.h.date_str_to_datetime(stamp["newest"]).timestamp())
    return {
        "ETag": f'"{stamp["validator"]}"',
        "Last-Modified": http_date(seen or 0),
        "Access-Control-Allow-Origin": "*",
        "X-Content-Type-Options": "nosniff",
    }


def _not_modified(validator: str, seen: int | None) -> bool:
    """RFC 9110 13.2.2: If-None-Match decides when sent; else If-Modified-Since."""
    if request.headers.get("If-None-Match"):
        return request.if_none_match.contains_weak(validator)
    since = request.if_modified_since
    return since is not None and seen is not None and seen <= since.timestamp()


def _call(action: str, data: dict) -> dict:
    """The action's result, or the error page it calls for (400, 404 or 403, raised)."""
    try:
        return tk.get_action(action)(_context(), dict(data))
    except tk.ValidationError as exc:
        return _bad_request(exc.error_dict)
    except tk.ObjectNotFound as exc:
        return tk.abort(404, str(exc) or tk._("Feed not found"))
    except tk.NotAuthorized:  # a site whose dataset search is closed to visitors
        return tk.abort(403, tk._("Feeds are not available on this site"))


def serve(kind: str, fmt: str, key: str | None = None) -> Any:
    data = _data(kind, key, fmt)
    cache.defer_writes()  # this view's Redis writes go with its next Redis call
    stamp = _call("layananpublik_feed_stamp", data)
    seen, body = cache.lookup(stamp["key"], stamp["validator"])
    # Serta-merta information is announced at once: readers of its feed always revalidate.
    serta_merta = kind == "category" and key == categories.slug("serta_merta")
    request.environ[MAX_AGE_KEY] = 0 if serta_merta else tk.config.get("ckanext.layananpublik.feeds.max_age")
    headers = _headers(stamp, seen)
    if _not_modified(stamp["validator"], seen):
        return Response(status=304, headers=headers)
    response = Response(status=200, headers=headers, content_type=build.CONTENT_TYPES[fmt])
    if body is None:
        body = build.render(_call("layananpublik_feed_show", data), fmt)
        # Written to Redis once the answer is sent (a WSGI server closes the response after
        # its last byte): the reader does not wait for that round trip.
        response.call_on_close(cache.store_later(stamp["validator"], body))
    response.set_data(body)
    return response


def _feed_cache_headers(response: Response) -> Response:
    """Runs after CKAN's own after-request hook, which sets every public page's max-age to
    `ckan.cache_expires`: feeds keep theirs. A response that sets a cookie (a signed-in
    reader's session) is kept out of shared caches."""
    max_age = request.environ.get(MAX_AGE_KEY)
    if max_age is not None and response.status_code in (200, 304):
        scope = "private" if response.headers.get("Set-Cookie") else "public"
        response.headers["Cache-Control"] = f"{scope}, max-age={max_age}"
    return response


def _register_cache_hook(state: Any) -> None:
    # After-request functions run in reverse order of registration: first in the list,
    # this one runs after CKAN's ckan_after_request.
    state.app.after_request_funcs.setdefault(None, []).insert(0, _feed_cache_headers)


def _view(kind: str, with_key: bool):
    if with_key:

        def view(id: str, fmt: str) -> Any:
            return serve(kind, fmt, id)
    else:

        def view(fmt: str) -> Any:
            return serve(kind, fmt)

    view.__name__ = f"{kind}{'_with_key' if with_key else ''}"
    return view


ROUTES = (
    ("/dataset.<fmt>", "dataset", "dataset", False),
    ("/organisasi/<id>.<fmt>", "organization", "organization", True),
    ("/grup/<id>.<fmt>", "group", "group", True),
    ("/tag/<id>.<fmt>", "tag", "tag", True),
    ("/kategori/<id>.<fmt>", "category", "category", True),
    ("/cari.<fmt>", "search", "search", False),
    ("/permohonan/baru.<fmt>", "requests_new", "requests_new", False),
    ("/permohonan/diputus.<fmt>", "requests_decided", "requests_decided", False),
    ("/permohonan/<id>/baru.<fmt>", "body_requests_new", "requests_new", True),
    ("/permohonan/<id>/diputus.<fmt>", "body_requests_decided", "requests_decided", True),
    ("/informasi-publik.<fmt>", "pages", "pages", False),
    ("/informasi-publik/<id>.<fmt>", "body_pages", "pages", True),
)


def blueprint() -> Blueprint:
    bp = Blueprint(links.BLUEPRINT, __name__, url_prefix="/umpan")
    for rule, endpoint, kind, keyed in ROUTES:
        bp.add_url_rule(rule, endpoint, _view(kind, keyed))
    bp.record_once(_register_cache_hook)
    return bp
