"""`ckan layananpublik-search rebuild|status` on the real database."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from ckan import logic
from ckan.cli.cli import ckan
from ckan.lib import search
from ckan.tests import factories, helpers

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def test_rebuild_indexes_every_dataset_in_batches_with_progress(cli):
    org = factories.Organization()
    created = [factories.Dataset(owner_org=org["id"]) for _ in range(5)]
    search.clear_all()
    assert helpers.call_action("package_search")["count"] == 0

    result = cli.invoke(ckan, ["layananpublik-search", "rebuild", "--batch-size", "2"])

    assert result.exit_code == 0, result.output
    assert "indexed 2/5" in result.output and "indexed 5/5" in result.output
    found = helpers.call_action("package_search", rows=10)["results"]
    assert sorted(d["id"] for d in found) == sorted(d["id"] for d in created)


def test_status_counts_documents_per_state(cli):
    org = factories.Organization()
    factories.Dataset(owner_org=org["id"])
    factories.Dataset(owner_org=org["id"])

    result = cli.invoke(ckan, ["layananpublik-search", "status"])

    assert result.exit_code == 0, result.output
    assert "default\tactive\t2" in result.output


def _index_rows(ids: list[str]) -> dict:
    from ckan import model

    from ckanext.layananpublik.search import store

    rows = model.Session.execute(
        sa.text(
            f"SELECT id, doc, data_dict, validated_data_dict, tsv::text FROM {store.TABLE} WHERE id = ANY(:ids)"
        ),
        {"ids": ids},
    ).all()
    model.Session.remove()
    return {r[0]: tuple(r[1:]) for r in rows}


def test_rebuild_writes_what_core_indexing_writes(cli):
    org = factories.Organization()
    group = factories.Group()
    vocab = factories.Vocabulary(name="sektor", tags=[{"name": "fiskal"}])
    first = factories.Dataset(owner_org=org["id"], groups=[{"name": group["name"]}], extras=[{"key": "a", "value": "1"}],
                      tags=[{"name": "apbd"}, {"name": "fiskal", "vocabulary_id": vocab["id"]}],
                      resources=[{"url": "https://example.go.id/a.csv", "format": "CSV"}])  # fmt: skip
    second = factories.Dataset(owner_org=org["id"], private=True, title="Anggaran daerah")
    ids = [first["id"], second["id"]]
    search.clear_all()
    search.rebuild()  # CKAN's own: package_show and index_package per dataset
    by_core = _index_rows(ids)
    validator = logic.get_validator("package_name_validator")

    result = cli.invoke(ckan, ["layananpublik-search", "rebuild", "--clear"])

    assert result.exit_code == 0, result.output
    assert len(by_core) == 2
    assert _index_rows(ids) == by_core
    # The batch's shortcut for the name check is gone once the rebuild is over.
    assert logic.get_validator("package_name_validator") is validator
