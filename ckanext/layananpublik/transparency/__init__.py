"""Transparency pages (issue 9): the DIP built from the catalogue, the DIK, the berkala
checklist (transparency/dip/), and the pages administrators edit, the reports that write
themselves and the self-assessment (transparency/pages/).

plugin.py wires actions(), auth_functions(), blueprints(), helpers(), commands(), validators() and the
dataset-form hooks below.
"""

from __future__ import annotations

from ckanext.layananpublik.transparency import dip, pages

_PARTS = (dip, pages)


def actions() -> dict:
    return {k: v for part in _PARTS for k, v in part.actions().items()}


def auth_functions() -> dict:
    return {k: v for part in _PARTS for k, v in part.auth_functions().items()}


def blueprints() -> list:
    return [b for part in _PARTS for b in part.blueprints()]


def helpers() -> dict:
    return {k: v for part in _PARTS for k, v in part.helpers().items()}


def commands() -> list:
    return [c for part in _PARTS for c in part.commands()]


def validators() -> dict:
    # Named validators for other plugins' dataset schemas (ckanext-scheming's after_validators).
    return {"layananpublik_dip_consistent": dip.fields.consistent}
