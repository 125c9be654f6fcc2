"""The survey's migration has a working downgrade: its tables go, and come back."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from ckan import model
from ckan.cli.db import _run_migrations  # what tests/conftest.py's migrate() calls

from tests.conftest import migrate

VERSIONS = Path(__file__).resolve().parents[2] / "ckanext/layananpublik/migration/layananpublik/versions"
TABLES = {"layananpublik_survey_response", "layananpublik_survey_answered"}


def _revision():
    spec = importlib.util.spec_from_file_location("survey_migration", VERSIONS / "e9a1c3d5f7b9_satisfaction_survey.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tables() -> set[str]:
    return set(sa.inspect(model.Session.get_bind()).get_table_names()) & TABLES


def test_the_downgrade_drops_the_survey_tables_and_the_upgrade_restores_them(body):
    assert tables() == TABLES
    model.Session.remove()
    _run_migrations("layananpublik", _revision().down_revision, forward=False)
    assert tables() == set()
    migrate("layananpublik")
    assert tables() == TABLES
