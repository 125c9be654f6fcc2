"""The faces every capability package exposes to plugin.py: actions(), auth_functions(),
blueprints(), helpers(), validators(), commands(). A package declares them in its
__init__.py with these builders, which import its modules only when plugin.py asks (the
capabilities import each other's modules; importing them all at package import would loop).

A capability's actions live in `action.py` (CKAN's own ckanext/activity names it so), not
`actions.py`: importing a submodule sets an attribute of its name on the package, which would
replace the `actions` face."""

from __future__ import annotations

import importlib
from functools import partial
from types import ModuleType


def ours(*modules: ModuleType) -> dict:
    """The `layananpublik_*` functions of the given modules, by name."""
    return {
        name: getattr(module, name)
        for module in modules
        for name in dir(module)
        if name.startswith("layananpublik_")
    }


def _ours_in(package: str, module: str) -> dict:
    return ours(importlib.import_module(f"{package}.{module}"))


def _blueprints_in(package: str, module: str, *names: str) -> list:
    views = importlib.import_module(f"{package}.{module}")
    return [getattr(views, name) for name in names]


def actions(package: str) -> partial:
    """The face: the `layananpublik_*` functions of the package's action.py."""
    return partial(_ours_in, package, "action")


def auth_functions(package: str) -> partial:
    return partial(_ours_in, package, "auth")


def blueprints(package: str, module: str = "views", *names: str) -> partial:
    """The face: the named blueprints of one views module (default: its `bp`)."""
    return partial(_blueprints_in, package, module, *(names or ("bp",)))
