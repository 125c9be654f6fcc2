"""Plugin wiring only: every behaviour lives in the capability packages."""

from __future__ import annotations

import pathlib
import types
from collections.abc import Callable

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import yaml
from ckan.common import CKANConfig
from ckan.lib.plugins import DefaultDatasetForm, DefaultTranslation

from ckanext.layananpublik import (
    calendar,
    cases,
    complaints,
    feeds,
    health,
    objections,
    portal,
    requests,
    roles,
    social,
    survey,
    transparency,
    web,
)
from ckanext.layananpublik import cli as lp_cli
from ckanext.layananpublik.search import backend as search_backend
from ckanext.layananpublik.search import cli as search_cli
from ckanext.layananpublik.search import limits as search_limits
from ckanext.layananpublik.transparency import dip

# Each capability declares its own options next to its code.
DECLARATIONS = (
    "config_declaration.yaml",
    "feeds/config_declaration.yaml",
    "social/config_declaration.yaml",
    "transparency/dip/config_declaration.yaml",
    "transparency/pages/config_declaration.yaml",
    "health/config_declaration.yaml",
    "portal/config_declaration.yaml",
    "survey/config_declaration.yaml",
)
# Each exposes the same faces (actions(), auth_functions(), blueprints(), helpers(),
# validators(), commands()); a capability without one simply has none.
CAPABILITIES = (
    cases, calendar, requests, objections, complaints, roles, transparency, feeds, social, health, portal, survey
)


def _declare(declaration, key) -> None:
    root = pathlib.Path(__file__).parent
    for name in DECLARATIONS:
        declaration.load_dict(yaml.safe_load((root / name).read_text()))


def _face(capability: types.ModuleType, part: str) -> Callable:
    # A capability without a face (no validators, say) simply has none; a submodule of the
    # same name (requests/validators.py) is not one.
    face = getattr(capability, part, None)
    if callable(face) and not isinstance(face, types.ModuleType):
        return face
    return list if part in ("blueprints", "commands") else dict


def _merged(part: str) -> dict:
    return {k: v for capability in CAPABILITIES for k, v in _face(capability, part)().items()}


@tk.blanket.config_declarations(_declare)
@tk.blanket.actions(lambda: _merged("actions"))
@tk.blanket.auth_functions(lambda: _merged("auth_functions"))
@tk.blanket.blueprints(lambda: [b for c in CAPABILITIES for b in _face(c, "blueprints")()])
@tk.blanket.helpers(lambda: _merged("helpers"))
@tk.blanket.validators(lambda: _merged("validators"))
class LayananPublikPlugin(p.SingletonPlugin, DefaultTranslation, DefaultDatasetForm):
    p.implements(p.IConfigurer)
    p.implements(p.IDatasetForm, inherit=True)
    p.implements(p.ITranslation)
    p.implements(p.IClick)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IMiddleware, inherit=True)

    # IConfigurer
    def update_config(self, config: CKANConfig) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "layananpublik")
        portal.configure(config)
        feeds.configure(config)

    # IMiddleware: our forms are protected against CSRF even where CKAN exempts extensions;
    # anonymous requests' queries run under a statement timeout.
    def make_middleware(self, app, config: CKANConfig):
        if hasattr(app, "extensions") and "csrf" in app.extensions:  # the Flask app, not a WSGI wrapper
            web.protect_forms(app, {b.name for c in CAPABILITIES for b in _face(c, "blueprints")()})
            cases.install(app)
        return app

    # IClick
    def get_commands(self) -> list:
        for capability in CAPABILITIES:
            for command in _face(capability, "commands")():
                lp_cli.layananpublik.add_command(command)
        return [lp_cli.layananpublik]

    # IDatasetForm: the fallback form only, so dataset types owned by another plugin
    # (ckanext-scheming) keep their schema; DIP fields are added to the default one.
    def is_fallback(self) -> bool:
        return True

    def package_types(self) -> list:
        return []

    def create_package_schema(self) -> dict:
        return dip.create_package_schema(super().create_package_schema())

    def update_package_schema(self) -> dict:
        return dip.update_package_schema(super().update_package_schema())

    def show_package_schema(self) -> dict:
        return dip.show_package_schema(super().show_package_schema())

    # IPackageController
    def after_dataset_create(self, context, pkg_dict) -> None:
        social.dataset_changed(context, pkg_dict, created=True)
        feeds.dataset_changed(context, pkg_dict)

    def after_dataset_update(self, context, pkg_dict) -> None:
        social.dataset_changed(context, pkg_dict, created=False)
        feeds.dataset_changed(context, pkg_dict)

    def after_dataset_delete(self, context, pkg_dict) -> None:
        feeds.dataset_changed(context, pkg_dict, deleted=True)


@tk.blanket.config_declarations("search/config_declaration.yaml")
class PostgresSearchPlugin(p.SingletonPlugin):
    """Dataset search on PostgreSQL instead of Solr (see search/backend.py)."""

    p.implements(p.IConfigurer)
    p.implements(p.IClick)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IMiddleware, inherit=True)

    # IPackageController: over-long search parameters are refused before anything parses them.
    def before_dataset_search(self, search_params: dict) -> dict:
        return search_limits.check(search_params)

    # IMiddleware: and the catalogue's search pages say so before CKAN's view builds a query.
    def make_middleware(self, app, config: CKANConfig):
        if hasattr(app, "extensions") and "csrf" in app.extensions:  # the Flask app, not a WSGI wrapper
            search_limits.install(app)
        return app

    # IConfigurer: runs before CKAN checks the Solr schema, so the stand-in
    # connection is in place before core first talks to "Solr".
    def update_config(self, config: CKANConfig) -> None:
        search_backend.install(config)

    # IClick
    def get_commands(self) -> list:
        return [search_cli.search_pg]
