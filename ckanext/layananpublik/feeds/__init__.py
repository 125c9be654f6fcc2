"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds of datasets and registers (issue 7).

What plugin.py wires from this package: actions(), auth_functions(), blueprints(),
helpers() and commands() (click commands added under `ckan layananpublik`).
"""

from __future__ import annotations


def actions() -> dict:
    return {}


def auth_functions() -> dict:
    return {}


def blueprints() -> list:
    return []


def helpers() -> dict:
    return {}


def commands() -> list:
    return []
