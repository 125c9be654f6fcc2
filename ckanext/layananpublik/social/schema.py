"""navl schemas of the social actions."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.layananpublik.social import adapters, links
from ckanext.layananpublik.social.model import FEEDBACK_STATUSES, STATUSES
from ckanext.layananpublik.social.texts import LANGUAGES


def _v(name: str):
    return tk.get_validator(name)


def choice(values: tuple | list):
    def validator(value: Any, context: Any) -> Any:
        if value not in values:
            raise tk.Invalid(tk._("Choose one of: {values}").format(values=", ".join(values)))
        return value

    return validator


def tri_state(value: Any, context: Any) -> bool | None:
    """'' or missing: follow the site setting; otherwise a boolean."""
    if value in (None, "", "inherit"):
        return None
    try:
        return tk.asbool(value)
    except ValueError:
        raise tk.Invalid(tk._("Choose yes, no, or the site setting")) from None


def settings_dict(value: Any, context: Any) -> dict:
    if value in (None, ""):
        return {}
    if isinstance(value, str):
        import json

        try:
            value = json.loads(value)
        except ValueError:
            raise tk.Invalid(tk._("Settings must be a JSON object")) from None
    if not isinstance(value, dict) or not all(isinstance(v, (str, int, bool)) for v in value.values()):
        raise tk.Invalid(tk._("Settings must be a JSON object of plain values"))
    return {str(k): str(v) for k, v in value.items()}


def web_link(value: Any, context: Any) -> Any:
    """An http(s) address (a post's address on the platform is shown as a link)."""
    if value in (None, ""):
        return value
    if links.web_link(value) is None:
        raise tk.Invalid(tk._("Enter a web address starting with https:// or http://"))
    return value


def list_limit(value: Any, context: Any) -> int:
    """A page size between 0 and the site's `list_max` (a clear error above it)."""
    value = tk.get_validator("natural_number_validator")(value, context)
    most = tk.config.get("ckanext.layananpublik.social.list_max")
    if int(value) > most:
        raise tk.Invalid(tk._("Must be at most {max}").format(max=most))
    return int(value)


def channel_create_schema() -> dict:
    return {
        "organization_id": [_v("ignore_missing"), _v("unicode_safe")],
        "title": [_v("not_empty"), _v("unicode_safe")],
        "platform": [_v("not_empty"), _v("unicode_safe"), choice(adapters.platforms())],
        "language": [_v("default")("id"), choice(LANGUAGES)],
        "review": [_v("ignore_missing"), tri_state],
        "active": [_v("default")(True), _v("boolean_validator")],
        "settings": [_v("default")({}), settings_dict],
        "secret": [_v("ignore_missing"), _v("unicode_safe")],
    }


def channel_update_schema() -> dict:
    schema = channel_create_schema()
    schema.update(
        {
            "id": [_v("not_empty"), _v("unicode_safe")],
            "title": [_v("ignore_missing"), _v("not_empty"), _v("unicode_safe")],
            "platform": [_v("ignore")],
            "organization_id": [_v("ignore")],
            "language": [_v("ignore_missing"), choice(LANGUAGES)],
            "active": [_v("ignore_missing"), _v("boolean_validator")],
            "settings": [_v("ignore_missing"), settings_dict],
        }
    )
    return schema


def id_schema() -> dict:
    return {"id": [_v("not_empty"), _v("unicode_safe")]}


def post_text_schema() -> dict:
    return {"id": [_v("not_empty"), _v("unicode_safe")], "text": [_v("ignore_missing"), _v("unicode_safe")]}


def post_skip_schema() -> dict:
    return {"id": [_v("not_empty"), _v("unicode_safe")], "reason": [_v("ignore_missing"), _v("unicode_safe")]}


def post_resolve_schema() -> dict:
    return {
        "id": [_v("not_empty"), _v("unicode_safe")],
        "remote_url": [_v("ignore_missing"), _v("unicode_safe"), _v("strip_value"), web_link],
    }


def post_list_schema() -> dict:
    return {
        "status": [_v("ignore_missing"), choice(STATUSES)],
        "organization_id": [_v("ignore_missing"), _v("unicode_safe")],
        "channel_id": [_v("ignore_missing"), _v("unicode_safe")],
        "package_id": [_v("ignore_missing"), _v("unicode_safe")],
        "limit": [_v("default")(50), list_limit],
        "offset": [_v("default")(0), _v("natural_number_validator")],
    }


def channel_list_schema() -> dict:
    return {
        "organization_id": [_v("ignore_missing"), _v("unicode_safe")],
        "include_inactive": [_v("default")(False), _v("boolean_validator")],
    }


# --- the feedback inbox (feedback.py) ------------------------------------------------------------


def _flag(default: bool) -> list:
    return [_v("default")(default), _v("boolean_validator")]


def feedback_list_schema() -> dict:
    return {
        "organization_id": [_v("ignore_missing"), _v("unicode_safe")],
        "status": [_v("ignore_missing"), choice(FEEDBACK_STATUSES)],
        "platform": [_v("ignore_missing"), choice(adapters.platforms())],
        "assigned_to_me": _flag(False),
        "overdue": _flag(False),
        "limit": [_v("default")(50), list_limit],
        "offset": [_v("default")(0), _v("natural_number_validator")],
    }


def feedback_reply_schema() -> dict:
    return {**id_schema(), "text": [_v("ignore_missing"), _v("unicode_safe")], "greeting": _flag(True)}


def feedback_refer_schema() -> dict:
    return {**id_schema(), "text": [_v("ignore_missing"), _v("unicode_safe")]}


def feedback_complaint_schema() -> dict:
    return {**id_schema(), "service": [_v("ignore_missing"), _v("unicode_safe")], "send_link": _flag(False)}


def feedback_close_schema() -> dict:
    return {
        **id_schema(),
        "status": [_v("not_empty"), choice(("answered", "dismissed"))],
        "reason": [_v("not_empty"), _v("unicode_safe"), _v("strip_value"), _v("not_empty")],
    }


def feedback_reopen_schema() -> dict:
    return {**id_schema(), "reason": [_v("ignore_missing"), _v("unicode_safe")]}


def feedback_assign_schema() -> dict:
    return {**id_schema(), "user": [_v("ignore_missing"), _v("unicode_safe")]}

