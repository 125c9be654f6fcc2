"""bulk_show.package_dicts: what CKAN's package_show returns, for a batch in a few statements."""

from __future__ import annotations

import contextlib

import pytest
from ckan import model
from ckan.tests import factories, helpers
from sqlalchemy import event

from ckanext.layananpublik.search import bulk_show

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def shown(package_id: str) -> dict:
    """package_show as the indexer calls it (ckan.lib.search.rebuild)."""
    context = {"ignore_auth": True, "validate": False, "use_cache": False}
    return helpers.call_action("package_show", context=context, id=package_id)


@contextlib.contextmanager
def counted_statements():
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(model.meta.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(model.meta.engine, "before_cursor_execute", count)


@pytest.fixture
def catalogue() -> list[str]:
    org = factories.Organization(name="dinas-a", image_url="https://example.go.id/logo.png")
    other_org = factories.Organization(name="dinas-b")
    groups = [
        factories.Group(name="topik-ekonomi", title="Ekonomi"),
        factories.Group(name="topik-air", title="Air"),
    ]
    vocab = factories.Vocabulary(name="sektor", tags=[{"name": "fiskal"}])
    full = factories.Dataset(
        owner_org=org["id"],
        title="  Anggaran daerah  ",
        license_id="cc-by",
        groups=[{"name": g["name"]} for g in groups],
        tags=[{"name": "apbd"}, {"name": "keuangan"}, {"name": "fiskal", "vocabulary_id": vocab["id"]}],
        extras=[{"key": "sumber", "value": "BPKAD"}, {"key": "tahun", "value": "2026"}],
        resources=[
            {"url": "https://example.go.id/a.csv", "format": "CSV", "name": "Tabel"},
            {"url": "https://example.go.id/b.pdf", "format": "PDF", "description": "Lampiran"},
        ],
    )
    # A deleted resource and a deleted extra, which package_show leaves out.
    helpers.call_action("resource_delete", id=full["resources"][1]["id"])
    helpers.call_action("package_patch", id=full["id"], extras=[{"key": "sumber", "value": "BPKAD"}])
    upload = factories.Dataset(owner_org=other_org["id"], license_id="notspecified", private=True)
    helpers.call_action(
        "resource_create", package_id=upload["id"], url="laporan.xlsx", url_type="upload", format="XLSX"
    )
    plain = factories.Dataset(
        owner_org=org["id"], license_id="unknown-licence", groups=[{"name": "topik-air"}]
    )
    related = factories.Dataset(owner_org=other_org["id"])
    helpers.call_action(
        "package_relationship_create", subject=full["id"], object=related["id"], type="depends_on"
    )
    helpers.call_action(
        "package_relationship_create", subject=plain["id"], object=full["id"], type="child_of"
    )
    gone = factories.Dataset(owner_org=org["id"])
    helpers.call_action("package_delete", id=gone["id"])
    model.Session.remove()
    return [full["id"], upload["id"], plain["id"], related["id"], gone["id"]]


def test_each_dict_equals_package_show(catalogue):
    expected = [shown(i) for i in catalogue]
    model.Session.remove()

    found = bulk_show.package_dicts(catalogue)

    assert [f["id"] for f in found] == catalogue
    for got, want in zip(found, expected, strict=True):
        assert got == want
    # The parts the comparison relies on are really there.
    full = found[0]
    assert full["title"] == "Anggaran daerah" and full["license_url"]
    assert [r["format"] for r in full["resources"]] == ["CSV"]
    assert [e["key"] for e in full["extras"]] == ["sumber"]
    assert {t["name"] for t in full["tags"]} == {"apbd", "keuangan", "fiskal"}
    assert [g["name"] for g in full["groups"]] == ["topik-air", "topik-ekonomi"]
    assert full["relationships_as_subject"] and full["relationships_as_object"]
    assert found[1]["resources"][0]["url_type"] == "upload" and found[1]["private"]
    assert found[4]["state"] == "deleted"


@pytest.mark.ckan_config("ckan.auth.create_unowned_dataset", True)
def test_dataset_without_organisation():
    orphan = factories.Dataset(owner_org=None)
    expected = shown(orphan["id"])
    model.Session.remove()
    assert bulk_show.package_dicts([orphan["id"]]) == [expected]
    assert expected["organization"] is None


def test_unknown_ids_are_skipped_and_order_kept(catalogue):
    found = bulk_show.package_dicts([catalogue[2], "no-such-id", catalogue[0]])
    assert [f["id"] for f in found] == [catalogue[2], catalogue[0]]


def test_statements_do_not_grow_with_the_batch(catalogue):
    model.Session.remove()
    with counted_statements() as two:
        bulk_show.package_dicts(catalogue[:2])
    model.Session.remove()
    with counted_statements() as five:
        bulk_show.package_dicts(catalogue)
    # Per batch: the packages, each related table once, the organisations, and one member
    # count per distinct group; never a statement per dataset.
    assert len(five) <= len(two) + 2  # the second group's dictize (member count) at most
    assert len(five) <= 12
