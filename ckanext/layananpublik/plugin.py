"""Plugin wiring only: every behaviour lives in the capability packages."""

from __future__ import annotations

import logging
import pathlib

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import yaml
from ckan.common import CKANConfig
from ckan.lib.plugins import DefaultDatasetForm, DefaultTranslation

from ckanext.layananpublik import cli as lp_cli
from ckanext.layananpublik import feeds, portal, social, transparency
from ckanext.layananpublik.requests import actions as request_actions
from ckanext.layananpublik.requests import auth as request_auth
from ckanext.layananpublik.requests import complaint_actions, objection_actions, objection_auth
from ckanext.layananpublik.requests import helpers as request_page_helpers
from ckanext.layananpublik.requests import template_helpers as request_helpers
from ckanext.layananpublik.requests import views as request_views
from ckanext.layananpublik.roles import actions as role_actions
from ckanext.layananpublik.roles import auth as role_auth
from ckanext.layananpublik.search import backend as search_backend
from ckanext.layananpublik.search import cli as search_cli
from ckanext.layananpublik.transparency import dip

log = logging.getLogger(__name__)


def _ours(*modules) -> dict:
    """The `layananpublik_*` functions of the given modules, by name."""
    return {
        name: getattr(module, name)
        for module in modules
        for name in dir(module)
        if name.startswith("layananpublik_")
    }


# Each capability declares its own options next to its code.
DECLARATIONS = (
    "config_declaration.yaml",
    "feeds/config_declaration.yaml",
    "social/config_declaration.yaml",
    "transparency/dip/config_declaration.yaml",
    "transparency/pages/config_declaration.yaml",
    "portal/config_declaration.yaml",
)
CAPABILITIES = (feeds, social, transparency, portal)


def _declare(declaration, key) -> None:
    root = pathlib.Path(__file__).parent
    for name in DECLARATIONS:
        declaration.load_dict(yaml.safe_load((root / name).read_text()))


def _merged(part: str) -> dict:
    # A capability without a part (no validators, say) simply has none.
    return {k: v for capability in CAPABILITIES for k, v in getattr(capability, part, dict)().items()}


@tk.blanket.config_declarations(_declare)
@tk.blanket.actions(
    lambda: {
        **_ours(request_actions, objection_actions, complaint_actions, role_actions),
        **_merged("actions"),
    }
)
@tk.blanket.auth_functions(
    lambda: {**_ours(request_auth, objection_auth, role_auth), **_merged("auth_functions")}
)
@tk.blanket.blueprints(lambda: request_views.blueprints() + [b for c in CAPABILITIES for b in c.blueprints()])
@tk.blanket.helpers(
    lambda: {**request_helpers.get_helpers(), **request_page_helpers.get_helpers(), **_merged("helpers")}
)
@tk.blanket.validators(lambda: _merged("validators"))
class LayananPublikPlugin(p.SingletonPlugin, DefaultTranslation, DefaultDatasetForm):
    p.implements(p.IConfigurer)
    p.implements(p.IDatasetForm, inherit=True)
    p.implements(p.ITranslation)
    p.implements(p.IClick)
    p.implements(p.IPackageController, inherit=True)

    # IConfigurer
    def update_config(self, config: CKANConfig) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "layananpublik")
        portal.configure(config)
        # CKAN 2.12 removed the option (extensions' forms are always protected); there it is
        # undeclared and config.get() returns the raw ini string, "false" included.
        if tk.check_ckan_version(max_version="2.11.99") and tk.asbool(
            config.get("ckan.csrf_protection.ignore_extensions", False)
        ):
            log.warning(
                "ckan.csrf_protection.ignore_extensions is true: signed-in officers' forms of "
                "ckanext-layananpublik are then not protected against CSRF; set it to false"
            )

    # IClick
    def get_commands(self) -> list:
        for capability in CAPABILITIES:
            for command in capability.commands():
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

    def after_dataset_update(self, context, pkg_dict) -> None:
        social.dataset_changed(context, pkg_dict, created=False)


@tk.blanket.config_declarations("search/config_declaration.yaml")
class PostgresSearchPlugin(p.SingletonPlugin):
    """Dataset search on PostgreSQL instead of Solr (see search/backend.py)."""

    p.implements(p.IConfigurer)
    p.implements(p.IClick)

    # IConfigurer: runs before CKAN checks the Solr schema, so the stand-in
    # connection is in place before core first talks to "Solr".
    def update_config(self, config: CKANConfig) -> None:
        search_backend.install(config)

    # IClick
    def get_commands(self) -> list:
        return [search_cli.search_pg]
