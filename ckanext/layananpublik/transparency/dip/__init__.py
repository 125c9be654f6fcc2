"""WIRING of this part of the transparency capability: plugin.py (through
transparency/__init__.py) merges what these functions return."""

from __future__ import annotations

from ckanext.layananpublik.cases.faces import ours
from ckanext.layananpublik.transparency.dip import actions as dip_actions
from ckanext.layananpublik.transparency.dip import auth, fields, views


def actions() -> dict:
    return ours(dip_actions)


def auth_functions() -> dict:
    return ours(auth)


def blueprints() -> list:
    return [views.dip]


def helpers() -> dict:
    return views.helpers()


def commands() -> list:
    return []


# Dataset form hooks (plugin.py implements IDatasetForm as the *fallback* form, so a site
# whose dataset types belong to ckanext-scheming keeps its own schema; see docs).
def create_package_schema(schema: dict) -> dict:
    return fields.input_schema(schema)


def update_package_schema(schema: dict) -> dict:
    return fields.input_schema(schema)


def show_package_schema(schema: dict) -> dict:
    return fields.show_schema(schema)
