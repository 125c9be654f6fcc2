"""WIRING of this part of the transparency capability: plugin.py (through
transparency/__init__.py) merges what these functions return."""

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


# Dataset form hooks (plugin.py implements IDatasetForm as the *fallback* form, so a site
# whose dataset types belong to ckanext-scheming keeps its own schema; see docs).
def create_package_schema(schema: dict) -> dict:
    return schema


def update_package_schema(schema: dict) -> dict:
    return schema


def show_package_schema(schema: dict) -> dict:
    return schema
