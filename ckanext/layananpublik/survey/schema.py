"""navl schemas of the survey actions."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import Invalid, missing

from ckanext.layananpublik.cases import schema as cs
from ckanext.layananpublik.survey.rules import CODES, SCALE


def answer(value: Any) -> int:
    """One of the questionnaire's four answers (1–4), as a number."""
    if value is missing or value is None or str(value).strip() == "":
        raise Invalid(tk._("Choose one of the four answers"))
    text = str(value).strip()
    if not text.isdigit() or int(text) not in SCALE:
        raise Invalid(tk._("Choose one of the four answers"))
    return int(text)


def ref_schema() -> dict:
    """The request answered about: its tracking token, or its id (a signed-in requester)."""
    return cs.ref_schema("request_id", "tracking_token")


def submit_schema() -> dict:
    schema = ref_schema()
    schema.update({code: [answer] for code in CODES})
    schema["suggestion"] = cs.text("suggestion")
    return schema


def index_schema() -> dict:
    return cs.register_schema()


def response_list_schema() -> dict:
    schema = cs.register_schema()
    schema["organization_id"] = cs.body()
    schema.update(cs.paging())
    return schema
