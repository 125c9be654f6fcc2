"""navl schemas of the page, report and self-assessment actions."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.layananpublik.transparency.pages import defaults

SECTIONS = ("policy", "facilities", "obstacles", "recommendations", "notes")
TITLE_MAX = 200
CHANGES_LIMIT_MAX = 1000  # at least any feed page size a site allows


def section_labels() -> dict:
    return {
        "policy": tk._("Service policy"),
        "facilities": tk._("Facilities, staff and budget"),
        "obstacles": tk._("Obstacles"),
        "recommendations": tk._("Recommendations"),
        "notes": tk._("Notes"),
    }


def _v(name: str) -> Any:
    return tk.get_validator(name)


def _choice(choices: tuple | list | dict) -> Any:
    def validator(value: Any) -> Any:
        if value not in choices:
            raise tk.Invalid(tk._("Choose one of: {choices}").format(choices=", ".join(choices)))
        return value

    return validator


def _max_body(value: Any) -> Any:
    limit = tk.config.get("ckanext.layananpublik.pages.max_body_length")
    if value and len(value) > limit:
        raise tk.Invalid(tk._("At most {n} characters").format(n=limit))
    return value


def _max_title(value: Any) -> Any:
    if value and len(value) > TITLE_MAX:
        raise tk.Invalid(tk._("At most {n} characters").format(n=TITLE_MAX))
    return value


def _organization() -> list:
    return [_v("ignore_missing"), _v("unicode_safe"), _v("group_id_or_name_exists")]


# navl runs every validator of a field even after one failed: the range checks below leave
# a value int_validator refused (its error is already recorded) alone.
def _year() -> list:
    def in_range(value: Any) -> Any:
        if isinstance(value, int) and not 2000 <= value <= 2100:
            raise tk.Invalid(tk._("A year between 2000 and 2100"))
        return value

    return [_v("not_empty"), _v("int_validator"), in_range]


def _quarter() -> list:
    def in_range(value: Any) -> Any:
        if isinstance(value, int) and value not in (1, 2, 3, 4):
            raise tk.Invalid(tk._("A quarter is 1, 2, 3 or 4"))
        return value

    return [_v("ignore_missing"), _v("int_validator"), in_range]


def _page_key(language_required: bool = False) -> dict:
    language = [_v("not_empty") if language_required else _v("ignore_missing"), _v("unicode_safe")]
    return {
        "slug": [_v("not_empty"), _v("unicode_safe"), _choice(defaults.PAGES)],
        "organization_id": _organization(),
        "language": language + [_choice(defaults.LANGUAGES)],
    }


def page_show_schema() -> dict:
    return _page_key()


def page_list_schema() -> dict:
    return {
        "organization_id": _organization(),
        "language": [_v("ignore_missing"), _v("unicode_safe"), _choice(defaults.LANGUAGES)],
    }


def page_update_schema() -> dict:
    return {
        **_page_key(language_required=True),
        "title": [_v("not_empty"), _v("unicode_safe"), _max_title],
        "body": [_v("not_empty"), _v("unicode_safe"), _max_body],
        "format": [_v("default")("markdown"), _v("unicode_safe"), _choice(defaults.FORMATS)],
        "note": [_v("ignore_missing"), _v("unicode_safe"), _max_title],
    }


def page_revision_list_schema() -> dict:
    return _page_key(language_required=True)


def page_change_list_schema() -> dict:
    def page_size(value: Any) -> Any:
        if isinstance(value, int) and not 1 <= value <= CHANGES_LIMIT_MAX:
            raise tk.Invalid(tk._("A whole number from 1 to {n}").format(n=CHANGES_LIMIT_MAX))
        return value

    return {
        "organization_id": _organization(),
        "language": [_v("ignore_missing"), _v("unicode_safe"), _choice(defaults.LANGUAGES)],
        "limit": [_v("default")(20), _v("int_validator"), page_size],
        "offset": [_v("default")(0), _v("natural_number_validator")],
    }


def report_show_schema() -> dict:
    return {
        "year": _year(),
        "quarter": _quarter(),
        "organization_id": _organization(),
        "language": [_v("ignore_missing"), _v("unicode_safe"), _choice(defaults.LANGUAGES)],
    }


def report_narrative_update_schema() -> dict:
    return {
        "year": _year(),
        "quarter": _quarter(),
        "organization_id": _organization(),
        "language": [_v("not_empty"), _v("unicode_safe"), _choice(defaults.LANGUAGES)],
        "section": [_v("not_empty"), _v("unicode_safe"), _choice(SECTIONS)],
        "body": [_v("default")(""), _v("unicode_safe"), _max_body],
    }


def report_publish_schema() -> dict:
    return {
        "year": _year(),
        "quarter": _quarter(),
        "organization_id": _organization(),
        "language": [_v("ignore_missing"), _v("unicode_safe"), _choice(defaults.LANGUAGES)],
        "package_id": [_v("not_empty"), _v("unicode_safe"), _v("package_id_or_name_exists")],
        "format": [_v("default")("html"), _v("unicode_safe"), _choice(("html", "csv"))],
    }


def selfassessment_show_schema() -> dict:
    return {"organization_id": _organization()}


def report_submission_update_schema() -> dict:
    def not_future(value: Any) -> Any:
        from ckanext.layananpublik.cases.clock import today

        value = value.date() if hasattr(value, "date") else value  # isodate gives a datetime
        if hasattr(value, "year") and value > today():
            raise tk.Invalid(tk._("The date cannot be in the future"))
        return value

    return {
        "year": _year(),
        "organization_id": _organization(),
        "submitted_date": [_v("not_empty"), _v("isodate"), not_future],
        "reference": [_v("ignore_missing"), _v("unicode_safe"), _v("strip_value"), _max_title],
    }


def report_send_reminders_schema() -> dict:
    return {}
