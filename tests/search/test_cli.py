"""`ckan layananpublik-search rebuild|status` on the real database."""

from __future__ import annotations

import gc
import multiprocessing

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

    result = cli.invoke(ckan, ["layananpublik-search", "rebuild", "--batch-size", "2", "--workers", "2"])

    assert result.exit_code == 0, result.output
    assert "indexed 2/5" in result.output and "indexed 5/5" in result.output
    found = helpers.call_action("package_search", rows=10)["results"]
    assert sorted(d["id"] for d in found) == sorted(d["id"] for d in created)
    # The objects set aside from the garbage collector during the run are handed back, and
    # the worker processes (three batches, two workers) have ended.
    assert gc.get_freeze_count() == 0
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("args", [[], ["--batch-size", "1", "--workers", "2"]], ids=["in-process", "workers"])
def test_the_collector_is_handed_back_when_writing_fails(cli, args):
    from ckan import model

    from ckanext.layananpublik.search import store

    org = factories.Organization()
    for _ in range(3):
        factories.Dataset(owner_org=org["id"])
    # The real index table refuses the batch (a trigger), so the writer's error ends the
    # command (with one batch per dataset, a worker process's error).
    model.Session.execute(sa.text(
        "CREATE OR REPLACE FUNCTION layananpublik_test_fault() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'injected fault'; END $$; "
        f"CREATE TRIGGER layananpublik_test_fault BEFORE INSERT OR UPDATE ON {store.TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION layananpublik_test_fault()"
    ))  # fmt: skip
    model.Session.commit()
    try:
        result = cli.invoke(ckan, ["layananpublik-search", "rebuild", *args])
    finally:
        model.Session.rollback()
        model.Session.execute(sa.text(f"DROP TRIGGER IF EXISTS layananpublik_test_fault ON {store.TABLE}"))
        model.Session.execute(sa.text("DROP FUNCTION IF EXISTS layananpublik_test_fault()"))
        model.Session.commit()
    assert result.exit_code != 0 and "injected fault" in str(result.exception)
    assert gc.get_freeze_count() == 0


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


@pytest.mark.parametrize("workers", ["1", "2"])
def test_rebuild_writes_what_core_indexing_writes(cli, workers):
    org = factories.Organization()
    other_org = factories.Organization(title="Dinas <B> & C")
    group, other_group = factories.Group(), factories.Group(title="Air")
    vocab = factories.Vocabulary(name="sektor", tags=[{"name": "fiskal"}, {"name": "pajak"}])
    first = factories.Dataset(owner_org=org["id"], groups=[{"name": group["name"]}], extras=[{"key": "a", "value": "1"}],
                      tags=[{"name": "apbd"}, {"name": "fiskal", "vocabulary_id": vocab["id"]}],
                      resources=[{"url": "https://example.go.id/a.csv", "format": "CSV"}])  # fmt: skip
    second = factories.Dataset(owner_org=org["id"], private=True, title="Anggaran daerah")
    # DIP fields (extras shown as fields by our show schema), many resources, both groups,
    # several vocabulary tags, odd text, dates in extras, relationships both ways.
    third = factories.Dataset(
        owner_org=other_org["id"], title="  Data\x0bpenduduk ", notes="Catatan <b>tebal</b>",
        information_category="berkala", berkala_items=["a", "k"], forms=["hardcopy"], holding_unit="Sekretariat",
        groups=[{"name": group["name"]}, {"name": other_group["name"]}],
        tags=[{"name": "pajak", "vocabulary_id": vocab["id"]}, {"name": "fiskal", "vocabulary_id": vocab["id"]},
              {"name": "penduduk"}],
        extras=[{"key": "release_date", "value": "2026-01-02"}, {"key": "bad_date", "value": "kemarin"},
                {"key": "kunci aneh!", "value": "nilai"}, {"key": "language", "value": "id"}],
        resources=[{"url": f"https://example.go.id/{i}.csv", "format": "csv" if i % 2 else ".XLSX", "name": f"R{i}",
                    "description": "Tabel", "resource_type": "file", "extra_field": i} for i in range(12)],
    )  # fmt: skip
    helpers.call_action("package_relationship_create", subject=third["id"], object=first["id"], type="child_of")
    helpers.call_action("package_relationship_create", subject=second["id"], object=third["id"], type="links_to")
    draft = factories.Dataset(owner_org=org["id"], state="draft", author_email=" orang@example.go.id ")
    ids = [first["id"], second["id"], third["id"], draft["id"]]
    search.clear_all()
    search.rebuild()  # CKAN's own: package_show and index_package per dataset
    by_core = _index_rows(ids)
    validator = logic.get_validator("package_name_validator")

    # Two batches: with two workers, one each.
    result = cli.invoke(
        ckan, ["layananpublik-search", "rebuild", "--clear", "--batch-size", "3", "--workers", workers]
    )

    assert result.exit_code == 0, result.output
    assert len(by_core) == 4
    ours = _index_rows(ids)
    for package_id in ids:
        assert ours[package_id] == by_core[package_id]
    # What the comparison relies on is really there.
    doc = by_core[third["id"]][0]
    assert sorted(doc["vocab_sektor"]) == ["fiskal", "pajak"] and len(doc["res_url"]) == 12
    assert doc["child_of"] and doc["extras_release_date"] and doc["information_category"] == "berkala"
    assert by_core[draft["id"]][0]["state"] == "draft"
    # The batch's shortcut for the name check is gone once the rebuild is over.
    assert logic.get_validator("package_name_validator") is validator


def test_frequent_words_are_suggested_added_and_removed(cli):
    from ckan import model

    from ckanext.layananpublik.search import store

    org = factories.Organization()
    for title in ("Anggaran daerah", "Anggaran desa", "Peta jalan"):
        factories.Dataset(owner_org=org["id"], title=title)
    try:
        suggested = cli.invoke(ckan, ["layananpublik-search", "frequent-words", "--lexemes"])
        assert suggested.exit_code == 0, suggested.output
        assert "anggaran\t2 documents (67%)" in suggested.output and "peta" not in suggested.output
        added = cli.invoke(ckan, ["layananpublik-search", "frequent-words", "--add", "anggaran"])
        assert added.exit_code == 0, added.output
        assert "added 'anggaran'" in added.output and "kept: anggaran (operator)" in added.output
        again = cli.invoke(ckan, ["layananpublik-search", "frequent-words", "--add", "anggaran"])
        assert "'anggaran' is kept already" in again.output
        with model.meta.engine.connect() as conn:
            (word_id,) = [w.id for w in store.kept_words(conn)]
            hits = conn.exec_driver_sql(f"SELECT count(*) FROM {store.WORD_HITS} WHERE word_id = {word_id}")
            assert hits.scalar() == 2
        assert helpers.call_action("package_search", q="anggaran")["count"] == 2
        removed = cli.invoke(ckan, ["layananpublik-search", "frequent-words", "--remove", "anggaran"])
        assert removed.exit_code == 0 and "kept: none" in removed.output
        missing = cli.invoke(ckan, ["layananpublik-search", "frequent-words", "--remove", "anggaran"])
        assert missing.exit_code != 0 and "'anggaran' is not a kept word" in missing.output
    finally:
        with model.meta.engine.begin() as conn:
            for word in store.kept_words(conn):
                store.remove_frequent_word(conn, word.id)
