"""What the capabilities' view modules share: the visitor's action context, an action call
that ends the request with 403 / 404, a permission test, validation errors as lists, the
way to the login page and back, private responses for pages with personal data, query
arguments, paging and the body pickers."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
import flask


def context() -> dict:
    user = tk.current_user
    return {"user": user.name if user.is_authenticated else ""}


def action(name: str, data_dict: dict) -> Any:
    """Call an action; a refusal or a missing object ends the request with 403 / 404."""
    try:
        return tk.get_action(name)(context(), data_dict)
    except tk.NotAuthorized as exc:
        tk.abort(403, str(exc) or tk._("You are not allowed to do this"))
    except tk.ObjectNotFound as exc:
        tk.abort(404, str(exc) or tk._("Not found"))


def allowed(auth: str, data_dict: dict) -> bool:
    try:
        tk.check_access(auth, context(), data_dict)
    except tk.NotAuthorized:
        return False
    return True


def error_dict(exc: tk.ValidationError) -> dict[str, list[str]]:
    """A ValidationError's messages, each field's as a list (CKAN gives a string at times)."""
    errors = exc.error_dict if isinstance(exc.error_dict, dict) else {"": [str(exc.error_dict)]}
    return {key: value if isinstance(value, list) else [str(value)] for key, value in errors.items()}


def login_redirect() -> Any:
    """None for a signed-in user; else the way to the login page and back here."""
    if tk.current_user.is_authenticated:
        return None
    return tk.redirect_to("user.login", next=tk.request.full_path)


# --- pages with personal data ------------------------------------------------------------------

# Never kept by a shared cache or the browser's disk cache, never indexed, and the address
# (which may hold a tracking token) never leaks in a Referer header.
PRIVATE_HEADERS = {
    "Cache-Control": "no-store, private",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "X-Content-Type-Options": "nosniff",
}


def private(body: Any, status: int = 200) -> Any:
    """A response (or a page's text) that must stay between its reader and the server."""
    # Tells CKAN's after-request hook not to mark the page public and cacheable.
    tk.request.environ["__no_cache__"] = True
    response = flask.make_response(body, status)
    response.headers.update(PRIVATE_HEADERS)
    return response


def send_private_file(path: Any, content_type: str | None, filename: str | None) -> Any:
    """A stored case file as a download, with the private headers."""
    response = flask.send_file(
        path,
        mimetype=content_type or "application/octet-stream",
        as_attachment=True,
        download_name=filename or path.name,
        max_age=0,
        conditional=False,
        etag=False,
    )
    return private(response)


def not_found(title: str, message: str, link: tuple[str, str] | None = None) -> Any:
    """The private "not found" page of a case (a wrong or mistyped tracking link): its title,
    what to check, and optionally (url, label) of where to go instead."""
    page = tk.render("layananpublik/not_found.html", {"title": title, "message": message, "link": link})
    return private(page, 404)


# --- query arguments, paging, bodies ---------------------------------------------------------------

PAGE_SIZE = 20


def int_arg(name: str, default: int | None = None) -> int | None:
    value = tk.request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 7 else default


def choice_arg(name: str, allowed: tuple[str, ...]) -> str | None:
    value = tk.request.args.get(name, "")
    return value if value in allowed else None


def page_number() -> int:
    return int_arg("page", 1) or 1


def page_links(count: int, page: int, endpoint: str, **kwargs: Any) -> dict:
    """Previous/next links of a list of PAGE_SIZE rows, keeping the page's other arguments."""
    pages = max(1, -(-count // PAGE_SIZE))
    args = {k: v for k, v in tk.request.args.items() if k != "page" and v}

    def url(n: int) -> str:
        return tk.h.url_for(endpoint, page=n, **kwargs, **args)

    return {
        "page": page,
        "pages": pages,
        "previous": url(page - 1) if page > 1 else None,
        "next": url(page + 1) if page < pages else None,
    }


def recent_years(this_year: int, count: int = 6) -> list[int]:
    return list(range(this_year, this_year - count, -1))


def body(org: str) -> dict | None:
    """A public body (organisation) by id or name, without its datasets; None if unknown."""
    try:
        return tk.get_action("organization_show")(
            context(),
            {"id": org, "include_datasets": False, "include_users": False, "include_groups": False,
             "include_tags": False, "include_followers": False, "include_extras": False},
        )  # fmt: skip
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None


def form_body(org: str | None) -> dict | None:
    """The body named in a form's address (/ajukan/<body>); None for the form with a picker.
    An unknown body ends the request with 404."""
    if org is None:
        return None
    found = body(org)
    if found is None:
        tk.abort(404, tk._("Public body not found"))
    return found


def signed_in_contact() -> dict:
    """The signed-in user's name and email, to fill in a citizen's form; empty for a visitor."""
    user = tk.current_user
    return {"name": user.fullname or "", "email": user.email or ""} if user.is_authenticated else {}


def bodies(context_: dict | None = None) -> list[dict]:
    """Every public body (organisation), by title, for the pickers and the body filters
    (`context_`: an action's own context; the request's by default).
    organization_list gives at most ckan.group_and_organization_list_all_fields_max (25) rows
    with their titles, whatever limit is asked for: page on, by name (unique, so no page
    repeats or skips a body), until a short page; then order by title."""
    page_size = tk.config.get("ckan.group_and_organization_list_all_fields_max") or 25
    found: list[dict] = []
    while True:
        page = tk.get_action("organization_list")(
            dict(context_) if context_ else context(),
            {"all_fields": True, "sort": "name asc", "limit": page_size, "offset": len(found),
             "include_dataset_count": False, "include_extras": False, "include_tags": False,
             "include_groups": False, "include_users": False},
        )  # fmt: skip
        found.extend(page)
        if len(page) < page_size:
            return sorted(found, key=lambda b: ((b.get("title") or b["name"]).casefold(), b["name"]))


def filtered(action: str, data_dict: dict, empty: Any = None) -> tuple[Any, dict]:
    """What an action answers to a page's filters, and the errors of those filters, shown next
    to them (then `empty`); a caller not allowed gets a 403."""
    try:
        return tk.get_action(action)(context(), data_dict), {}
    except tk.ValidationError as exc:
        return empty, error_dict(exc)
    except tk.NotAuthorized as exc:
        return tk.abort(403, str(exc))


def inbox_rows(action: str, data_dict: dict) -> tuple[dict, dict]:
    """One page of an officers' inbox from its list action ({"count", "results"}), and the errors
    of its filters (then no rows)."""
    return filtered(action, data_dict, {"count": 0, "results": []})


def staff_bodies(auth: str, data_dict: dict | None = None) -> list[dict]:
    """The bodies (organisations the user edits) for which `auth` allows an inbox."""
    orgs = tk.get_action("organization_list_for_user")(
        context(), {"id": tk.current_user.id, "permission": "create_dataset"}
    )
    return [
        {"id": o["id"], "name": o["name"], "title": o.get("title") or o["name"]}
        for o in orgs
        if allowed(auth, {**(data_dict or {}), "scope": "inbox", "organization_id": o["id"]})
    ]


def filled(data: dict) -> dict:
    """A form's values as a data dict: empty fields left out, so the schema reports the
    required ones as missing."""
    return {k: v for k, v in data.items() if not (isinstance(v, str) and not v.strip())}


def in_order(errors: dict, order: tuple[str, ...]) -> dict:
    """Errors in the order of the fields on the page, then those of no field (rate limit)."""
    ranked = sorted(errors.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))
    return {field: messages for field, messages in ranked if messages}


def error_text(exc: tk.ValidationError) -> str:
    """A validation error of a page's query parameters as one sentence for the 400 page,
    the parameters named by their labels (not their keys)."""
    labels = {"organization_id": tk._("Public body"), "year": tk._("Year"), "status": tk._("Status"),
              "q": tk._("Search")}  # fmt: skip
    return "; ".join(
        f"{labels[key]}: {' '.join(messages)}" if key in labels else " ".join(messages)
        for key, messages in error_dict(exc).items()
    )


# --- CSRF ----------------------------------------------------------------------------------------


def _signed_in_with_api_token() -> bool:
    """CKAN marks every request without a session user as "logged in via the Authorization
    header" and exempts it from CSRF, anonymous visitors included; only a caller actually
    identified by an API token is exempt here."""
    return bool(flask.g.get("login_via_auth_header")) and tk.current_user.is_authenticated


# Views that are no form (a platform posting signed JSON): "module.function" of each.
CSRF_EXEMPT: set[str] = set()


def csrf_exempt(view: Any) -> Any:
    """Decorator: a view that receives machine requests authenticated otherwise (a signature),
    exempt from CKAN's CSRF check and ours."""
    from ckan.config.middleware.flask_app import csrf

    CSRF_EXEMPT.add(f"{view.__module__}.{view.__name__}")
    csrf.exempt(view)
    return view


def _exempt(app: Any) -> bool:
    view = app.view_functions.get(tk.request.endpoint)
    return view is not None and f"{view.__module__}.{view.__name__}" in CSRF_EXEMPT


def protect_forms(app: Any, blueprint_names: set[str]) -> None:
    """Check the CSRF token of every form posted to our pages, whatever
    ckan.csrf_protection.ignore_extensions says (CKAN 2.11 exempts extensions' blueprints by
    default). Signed-in officers' forms change requests; a forged one must fail. A request
    signed in with an API token is exempt, as CKAN exempts it."""
    csrf = app.extensions["csrf"]

    @app.before_request
    def layananpublik_csrf() -> None:
        if (
            tk.request.blueprint in blueprint_names
            and tk.request.method in app.config["WTF_CSRF_METHODS"]
            and app.config.get("WTF_CSRF_ENABLED", True)
            and not _signed_in_with_api_token()
            and not _exempt(app)
        ):
            csrf.protect()


# --- tracking links -------------------------------------------------------------------------------

# A tracking link (…/lacak/<token>) opens its case once: the token moves into a cookie of that
# kind of case and the browser goes on to the same page without it, so the secret never stays
# in the address bar, the history, a shared screenshot or a server's access log beyond that
# first hit. The link from the receipt or email keeps working. Cookie: HttpOnly (no script
# reads it), SameSite=Lax (sent when the requester follows a link to the page, not with
# another site's forms), Secure over https, limited to the kind's token-free pages, and
# short-lived (ckanext.layananpublik.tracking_cookie_minutes after the last page view).
TRACKING_COOKIES = {
    "request": "lp_track_request",
    "objection": "lp_track_objection",
    "complaint": "lp_track_complaint",
}
# Where each kind's token-free pages live (the cookie's path): endpoint of the first one.
TRACKED_HOME = {
    "request": "layananpublik_request.tracked",
    "objection": "layananpublik_objection.tracked",
    "complaint": "layananpublik_complaint.tracked",
}


def _cookie_path(kind: str) -> str:
    return tk.url_for(TRACKED_HOME[kind])


def remember_token(response: Any, kind: str, token: str) -> Any:
    """Keep (or refresh) a case's tracking token in its short-lived cookie."""
    response.set_cookie(
        TRACKING_COOKIES[kind],
        token,
        max_age=60 * int(tk.config.get("ckanext.layananpublik.tracking_cookie_minutes")),
        path=_cookie_path(kind),
        secure=tk.request.scheme == "https",
        httponly=True,
        samesite="Lax",
    )
    return response


def remembered_token(kind: str) -> str | None:
    """The tracking token this browser holds for `kind`, if any (checked by the caller)."""
    return tk.request.cookies.get(TRACKING_COOKIES[kind]) or None


def forget_token(response: Any, kind: str) -> Any:
    response.delete_cookie(TRACKING_COOKIES[kind], path=_cookie_path(kind))
    return response


def to_tracked(kind: str, token: str, endpoint: str, **kwargs: Any) -> Any:
    """The answer to a tracking link: the token into its cookie, and on to the page `endpoint`
    (one of the kind's token-free pages) without it."""
    tk.request.environ["__no_cache__"] = True
    response = tk.redirect_to(endpoint, **kwargs)
    response.headers.update(PRIVATE_HEADERS)
    return remember_token(response, kind, token)


def tracked(kind: str, page: Any, token: str, status: int = 200) -> Any:
    """A token-free page shown from the cookie: private, and the cookie's life extended."""
    return remember_token(private(page, status), kind, token)


def token_from(text: str) -> str | None:
    """The token in a pasted tracking link (…/lacak/<token>/…) or the bare token."""
    from ckanext.layananpublik.cases.lookup import looks_like_token

    text = text.strip()
    match = re.search(r"/lacak/([^/?#\s]+)", text)
    candidate = match.group(1) if match else text
    return candidate if looks_like_token(candidate) else None


def _lookup_texts(kind: str) -> dict:
    return {
        "request": {"title": tk._("Track a request"), "unknown": tk._(
            "No request has this tracking link. Paste the whole link from your receipt or email.")},
        "objection": {"title": tk._("Track an objection"), "unknown": tk._(
            "No objection has this tracking link. Check that you copied the whole link from the page or email "
            "you received when you filed it.")},
        "complaint": {"title": tk._("Track a complaint"), "unknown": tk._(
            "No complaint has this tracking link. Check that you copied the whole link from the page or email "
            "you received when you sent it.")},
    }[kind]  # fmt: skip


def lookup_page(kind: str, typed: str = "", errors: dict | None = None) -> Any:
    """The page to open a request, an objection or a complaint with its tracking link; also what
    its token-free tracking page shows without (or with an expired) tracking cookie. A signed-in
    requester is also offered the list of their own requests."""
    page = tk.render(
        "layananpublik/tracking_lookup.html",
        {"title": _lookup_texts(kind)["title"], "typed": typed, "errors": errors or {},
         "form_url": tk.url_for(TRACKED_HOME[kind].replace(".tracked", ".lookup")),
         "mine_url": tk.url_for("layananpublik_request.mine") if kind == "request" else None},
    )  # fmt: skip
    return private(page, 400 if errors else 200)


def lookup(kind: str, exists: Callable[[str], bool], page: Callable[..., Any] | None = None) -> Any:
    """A lookup form posted (or shown): a pasted tracking link whose case `exists` goes on to the
    kind's token-free tracking page with the token in its cookie; else the form, with an error."""
    typed, errors = "", {}
    if tk.request.method == "POST":
        typed = tk.request.form.get("tracking", "")  # shown back whole; only its start is read
        token = token_from(typed[:500])
        if token and exists(token):
            return to_tracked(kind, token, TRACKED_HOME[kind])
        errors["tracking"] = [
            _lookup_texts(kind)["unknown"]
            if typed.strip()
            else tk._("Paste the tracking link from your receipt or email")
        ]
    return page(typed, errors) if page else lookup_page(kind, typed, errors)


def tracking_views(kind: str, find: Callable[[str | None], dict | None], template: str, track_endpoint: str,
                   missing: Callable[[], Any]) -> tuple[Callable, Callable, Callable]:  # fmt: skip
    """The three tracking views of an objection or a complaint: the link (`/lacak/<token>`, on to
    the token-free page with the token in its cookie), the token-free page (`template`, given the
    case found by `find` under the name `kind` and its link), and the lookup form. `missing`
    answers a link whose case is not found."""

    def track(token: str) -> Any:
        if find(token) is None:
            return missing()
        return to_tracked(kind, token, TRACKED_HOME[kind])

    def tracked_page() -> Any:
        token = remembered_token(kind)
        case = find(token)
        if case is None:
            return lookup_page(kind)
        page = tk.render(template, {kind: case, "tracking_url": tk.url_for(track_endpoint, token=token,
                                                                          _external=True)})  # fmt: skip
        return tracked(kind, page, token)

    def lookup_form() -> Any:
        return lookup(kind, lambda token: find(token) is not None)

    return track, tracked_page, lookup_form
