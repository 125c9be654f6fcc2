"""WIRING of this part of the transparency capability: plugin.py (through
transparency/__init__.py) merges what these functions return.

Pages administrators edit (pages/defaults.py, sanitize.py), the reports that write themselves
(reports.py, charts.py) and the self-assessment (selfassessment.py); actions.py is the one
door to their data, auth.py says who may do what, views.py serves /informasi-publik/.
"""

from __future__ import annotations

import datetime as dt

from ckanext.layananpublik.cases.faces import ours

# Imported before the wiring functions are defined: importing a submodule sets an attribute
# of the same name on this package (`actions`), which the function below then replaces.
from ckanext.layananpublik.transparency.pages import actions as page_actions
from ckanext.layananpublik.transparency.pages import auth, views


def actions() -> dict:
    return ours(page_actions)


def auth_functions() -> dict:
    return ours(auth)


def blueprints() -> list:
    return [views.bp]


def _this_year() -> int:
    return dt.date.today().year


def helpers() -> dict:
    return {"layananpublik_pages_this_year": _this_year}


def commands() -> list:
    return []
