"""Translated labels of stored codes, for every case type: each capability's workflow module
lists its codes once, with their English message ids (marked with N_ for extraction), in
`LABELS`; pages, emails and exports translate them here.

`h.layananpublik_label('outcome', req.outcome)` → "Dikabulkan sebagian";
`h.layananpublik_choices('outcome')` → [(code, label), ...] for a form.
"""

from __future__ import annotations

import functools

import ckan.plugins.toolkit as tk


def N_(message: str) -> str:
    """Marks a message id for extraction; it is translated where it is shown."""
    return message


@functools.cache
def _kinds() -> dict[str, dict[str, str]]:
    # The case types' workflows (imported here, not at module level: they import this module).
    from ckanext.layananpublik.complaints import workflow as complaints
    from ckanext.layananpublik.objections import workflow as objections
    from ckanext.layananpublik.requests import workflow as requests

    return {**requests.LABELS, **objections.LABELS, **complaints.LABELS}


def layananpublik_label(kind: str, value: str | None) -> str:
    """The label of a stored code in the reader's language; an unknown code as it is."""
    if value is None or value == "":
        return ""
    message = _kinds()[kind].get(value)
    return tk._(message) if message else value


def layananpublik_choices(kind: str) -> list[tuple[str, str]]:
    """(value, label) pairs for a form's select or radio buttons, in the workflow's order."""
    return [(value, tk._(message)) for value, message in _kinds()[kind].items()]


def helpers() -> dict:
    return {f.__name__: f for f in (layananpublik_label, layananpublik_choices)}
