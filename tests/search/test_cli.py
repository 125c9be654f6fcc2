"""`ckan layananpublik-search rebuild|status` on the real database."""

from __future__ import annotations

import pytest
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
