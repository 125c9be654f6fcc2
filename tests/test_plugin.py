"""The extension loads, migrates, and serves the portal's pages."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from ckan import model
from ckan import plugins as p
from ckan.plugins import toolkit as tk
from ckan.tests import factories


def _has_table(name: str, schema: str | None = None) -> bool:
    return sa.inspect(model.meta.engine).has_table(name, schema=schema)


@pytest.mark.usefixtures("with_plugins")
def test_both_plugins_load():
    assert p.plugin_loaded("layananpublik")
    assert p.plugin_loaded("layananpublik_search")


@pytest.mark.usefixtures("with_plugins")
def test_config_options_are_declared_with_defaults():
    assert tk.config.get("ckanext.layananpublik.timezone") == "Asia/Jakarta"
    assert tk.config.get("ckanext.layananpublik.calendar.count_cuti_bersama") is True
    assert tk.config.get("ckanext.layananpublik.search.languages") == ["indonesian", "english"]


@pytest.mark.usefixtures("clean_db", "with_plugins")
def test_migration_applies_and_rolls_back(migrate_db_for):
    assert _has_table("layananpublik_calendar_day")
    migrate_db_for("layananpublik", "base", forward=False)
    assert not _has_table("layananpublik_calendar_day")
    migrate_db_for("layananpublik")
    assert _has_table("layananpublik_calendar_day")


@pytest.mark.usefixtures("with_plugins")
def test_search_migration_applies_and_rolls_back(migrate_db_for):
    try:
        migrate_db_for("layananpublik_search", "base", forward=False)
        assert not _has_table("package_doc", schema="layananpublik_search")
    finally:
        migrate_db_for("layananpublik_search")
    assert _has_table("package_doc", schema="layananpublik_search")


@pytest.mark.usefixtures("clean_db", "with_plugins")
def test_home_page_is_served_in_indonesian_by_default(app):
    response = app.get("/")
    assert response.status_code == 200
    assert "Keterbukaan Informasi Publik" in response.body


@pytest.mark.usefixtures("clean_db", "with_plugins")
def test_home_page_is_served_in_english_on_request(app):
    response = app.get("/en/")
    assert response.status_code == 200
    assert "Law No. 14 of 2008 on Public Information Openness" in response.body


# CKAN 2.12's test client signs in through a session cookie, which must be valid for the
# host of ckan.site_url that its requests go to (as CKAN 2.12's test-core.ini sets it).
@pytest.mark.ckan_config("SESSION_COOKIE_DOMAIN", "test.ckan.net")
@pytest.mark.usefixtures("clean_db", "with_plugins")
def test_forms_are_protected_against_csrf(app):
    # A signed-in user's form post without the token is refused (Flask-WTF, not exempted
    # for extensions), so the forms our plugin adds are covered too.
    user = factories.User()
    if hasattr(app, "set_session_user"):  # CKAN >= 2.12 dropped the REMOTE_USER sign-in for tests
        app.set_session_user(user["name"])
        signed_in = {}
    else:
        signed_in = {"REMOTE_USER": user["name"]}
    response = app.post("/dataset/new", data={"name": "tanpa-token"}, extra_environ=signed_in, status=400)
    assert "CSRF" in response.body
    assert not tk.asbool(tk.config.get("ckan.csrf_protection.ignore_extensions", False))


def test_readme_documents_every_declared_option():
    import pathlib

    import yaml

    root = pathlib.Path(__file__).resolve().parents[1]
    keys = []
    for path in sorted(str(f.relative_to(root)) for f in (root / "ckanext").rglob("config_declaration.yaml")):
        declaration = yaml.safe_load((root / path).read_text())
        keys += [o["key"] for g in declaration["groups"] for o in g["options"]]
    readme = (root / "README.md").read_text()
    assert keys and [k for k in keys if f"`{k}`" not in readme] == []
