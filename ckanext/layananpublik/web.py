"""What the capabilities' view modules share: the visitor's action context, an action call
that ends the request with 403 / 404, a permission test, validation errors as lists, and
the way to the login page and back."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk


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
