"""A site whose dataset type belongs to ckanext-scheming, with the DIP fields copied from
transparency/dip/scheming_fields.yaml as the docs say: the same rules between fields are
enforced at save time, and the DIP, the berkala checklist and the feeds read what scheming
stores (its multiple-choice fields keep a JSON list, not "a,d")."""

from __future__ import annotations

import pathlib
import tempfile

import ckan.plugins.toolkit as tk
import feedparser
import pytest
import yaml
from ckan.tests import factories
from ckan.tests.helpers import call_action

import ckanext.layananpublik.transparency.dip as dip_package

SNIPPET = pathlib.Path(dip_package.__file__).parent / "scheming_fields.yaml"
CORE_FIELDS = [
    {"field_name": "title", "label": "Title", "preset": "title"},
    {"field_name": "name", "label": "URL", "preset": "dataset_slug"},
    {"field_name": "notes", "label": "Description", "form_snippet": "markdown.html"},
    {"field_name": "owner_org", "label": "Organization", "preset": "dataset_organization"},
]


def _schema_url() -> str:
    """A dataset schema made as a site would: core fields + the documented DIP snippet."""
    snippet = yaml.safe_load(SNIPPET.read_text())
    schema = {
        "scheming_version": 2,
        "dataset_type": "dataset",
        "after_validators": snippet["after_validators"],
        "dataset_fields": CORE_FIELDS + snippet["dataset_fields"],
        "resource_fields": [{"field_name": "url", "label": "URL"}, {"field_name": "name", "label": "Name"}],
    }
    path = pathlib.Path(tempfile.mkdtemp(prefix="lp-scheming-")) / "dataset.yaml"
    path.write_text(yaml.safe_dump(schema, allow_unicode=True))
    return path.as_uri()


pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "layananpublik layananpublik_search scheming_datasets"),
    pytest.mark.ckan_config("scheming.dataset_schemas", _schema_url()),
    pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins"),
]


@pytest.fixture
def org():
    return factories.Organization(name="diskominfo", title="Dinas Komunikasi dan Informatika")


def create(org: dict, **fields) -> dict:
    data = {"type": "dataset", "name": "data-uji", "title": "Data Uji", "owner_org": org["id"], **fields}
    return call_action("package_create", context={"user": factories.Sysadmin()["name"]}, **data)


def errors_of(**fields) -> dict:
    with pytest.raises(tk.ValidationError) as caught:
        create(**fields)
    return caught.value.error_dict


def test_the_schema_really_is_scheming_s(org):
    created = create(org, information_category="berkala", berkala_items=["a", "d"])
    # scheming's output validator gives the list back; a plain extra would be a string
    assert created["berkala_items"] == ["a", "d"]
    assert not [e for e in created.get("extras", []) if e["key"] == "information_category"]


def test_exempt_information_must_be_private(org):
    errors = errors_of(org=org, information_category="dikecualikan", private=False)
    assert "information_category" in errors
    assert any("private" in message for message in errors["information_category"])
    assert create(org, information_category="dikecualikan", private=True)["private"] is True


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"information_category": "berkala"}, "berkala_items"),
     ({"information_category": "berkala", "berkala_items": []}, "berkala_items"),
     ({"information_category": "serta_merta", "berkala_items": ["a"]}, "berkala_items")],
)  # fmt: skip
def test_berkala_items_rules(org, fields, field):
    assert field in errors_of(org=org, **fields)


def test_a_dataset_without_category_or_items_is_accepted(org):
    assert create(org)["name"] == "data-uji"


def test_the_dip_and_the_checklist_read_scheming_s_lists(org):
    create(org, information_category="berkala", berkala_items=["a", "d"], forms=["softcopy", "hardcopy"])
    (row,) = call_action("layananpublik_dip_list", context={"user": ""}, organization="diskominfo")["rows"]
    assert row["berkala_items"] == ["a", "d"] and row["forms"] == ["softcopy", "hardcopy"]
    checklist = call_action(
        "layananpublik_berkala_checklist", context={"user": ""}, organization="diskominfo"
    )
    covered = {item["item"] for item in checklist["items"] if item["status"] == "current"}
    assert covered == {"a", "d"}


def test_the_category_feed_lists_a_scheming_dataset(app, org):
    create(org, information_category="serta_merta", notes="Siaga banjir")
    feed = feedparser.parse(app.get("/umpan/kategori/serta-merta.atom").get_data())
    assert not feed.bozo
    assert [e.title for e in feed.entries] == ["Data Uji"]
