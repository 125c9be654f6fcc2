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
