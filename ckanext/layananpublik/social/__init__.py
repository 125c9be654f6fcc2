"""Posts of new public datasets to the body's social channels through an outbox (issue 8).

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


def dataset_changed(context: dict, pkg_dict: dict, created: bool) -> None:
    """Called (IPackageController) after a dataset is created or updated, inside the same
    transaction: the place to write outbox rows."""
