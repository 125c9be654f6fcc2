"""Dataset feeds read their page straight from the PostgreSQL search index (feeds/index.py):
the very datasets, count and dicts package_search gives an anonymous visitor, private,
draft and deleted datasets never among them."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from ckan import model, plugins
from ckan.tests.helpers import call_action

from ckanext.layananpublik.feeds import index, sources
from ckanext.layananpublik.search import store
from tests.feeds.conftest import HIDDEN, Statements, entry_links, names

FILTERS = (
    "",
    '+tags:"anggaran"',
    '+groups:"kesehatan"',
    '+information_category:"berkala"',
    sources.ALWAYS,
    '+tags:"tidak-ada"',
)
SORTS = ("metadata_modified desc", "metadata_created desc")


def _package_search(fq: str, sort: str, rows: int, start: int) -> dict:
    return call_action(
        "package_search",
        {"user": "", "ignore_auth": False},
        fq=fq, sort=sort, rows=rows, start=start, include_private=False, include_drafts=False, facet="false",
    )  # fmt: skip


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("fq", FILTERS)
def test_the_index_gives_what_package_search_gives(app, catalogue, fq, sort):
    owner = f"+owner_org:{sources.solr_phrase(catalogue['public'][0]['owner_org'])}"
    with app.flask_app.test_request_context("/"):
        assert index.usable("", {})
        for query in (fq, f"{owner} {fq}"):
            for rows, start in ((20, 0), (1, 1), (2, 2), (20, 5)):
                expected = _package_search(query, sort, rows, start)
                found = index.search(query, sort, rows, start)
                assert found["count"] == expected["count"], query
                assert found["results"] == expected["results"], (query, rows, start)
                assert not {pkg["name"] for pkg in found["results"]} & set(HIDDEN[:3])
                # Not decoded (a feed's listing): the same ids, times and dicts.
                page = index.search(query, sort, rows, start, decode=False)["results"]
                assert [(r.id, r.metadata_modified, r.decoded()) for r in page] == [
                    (pkg["id"], pkg["metadata_modified"], pkg) for pkg in expected["results"]
                ], (query, rows, start)
                # A feed's first read (the index state with the listing, one statement): the
                # same count and rows, without the stored dicts of the rows it holds.
                versions = {
                    r.id: r.version for r in index.listing(query, sort, rows, start, {}).page["results"]
                }
                held = {r.id: (r.metadata_modified, versions[r.id]) for r in page[:1]}
                listed = index.listing(query, sort, rows, start, held).page
                assert listed["count"] == expected["count"], query
                assert [(r.id, r.metadata_modified) for r in listed["results"]] == [
                    (r.id, r.metadata_modified) for r in page
                ], (query, rows, start)
                assert [r.text for r in listed["results"]] == [None, *(r.text for r in page[1:])][: len(page)]
        assert index.search("", sort, 20, 0, with_count=False)["count"] is None


def test_the_page_is_the_public_datasets_newest_first(app, catalogue):
    with app.flask_app.test_request_context("/"):
        found = index.search("", "metadata_modified desc", 20, 0)
    assert [pkg["name"] for pkg in found["results"]] == [
        "dikecualikan-uji",
        "banjir",
        "penduduk",
        "anggaran-2025",
    ]
    assert found["count"] == 4  # the exempt one published by mistake: the feeds add sources.ALWAYS


@pytest.mark.parametrize(
    "hide",
    [
        lambda: call_action("package_patch", id="penduduk", private=True),
        lambda: call_action("package_patch", id="penduduk", state="draft"),
        lambda: call_action("package_delete", id="penduduk"),
    ],
)
def test_a_dataset_hidden_leaves_the_next_feed_read(app, catalogue, hide):
    assert "penduduk" in names(entry_links(app, "/umpan/dataset.json"))
    hide()
    assert "penduduk" not in names(entry_links(app, "/umpan/dataset.json"))
    with app.flask_app.test_request_context("/"):
        assert "penduduk" not in [
            pkg["name"] for pkg in index.search("", "metadata_modified desc", 20, 0)["results"]
        ]


def test_searches_with_words_or_ext_parameters_go_through_package_search(app, with_plugins):
    with app.flask_app.test_request_context("/"):
        assert index.usable("", {})
        assert not index.usable("banjir", {})
        assert not index.usable("", {"ext_bbox": "1,2,3,4"})


def test_the_listing_reads_the_index_state_of_its_own_snapshot(app, catalogue):
    with app.flask_app.test_request_context("/"):
        found = index.listing("", "metadata_modified desc", 20, 0, {})
        assert found.token == store.generation_token(model.Session.connection())
        assert found.exempt  # dikecualikan-uji, published by mistake
        assert found.page["count"] == 4
        model.Session.remove()
    call_action("package_patch", id="dikecualikan-uji", private=True)
    with app.flask_app.test_request_context("/"):
        after = index.listing("", "metadata_modified desc", 20, 0, {})
        assert after.token != found.token
        assert not after.exempt
        assert after.page["count"] == 3
        # A page past the last: the count, no rows.
        past = index.listing("", "metadata_modified desc", 20, 20, {})
        assert (past.page["count"], past.page["results"]) == (3, [])
        far = index.listing("", "metadata_modified desc", 20, 20 * 10**20, {})  # beyond bigint
        assert (far.page["count"], far.page["results"]) == (3, [])
        model.Session.remove()
    held = {r.id: (r.metadata_modified, r.version) for r in after.page["results"]}
    changed = call_action("package_patch", id="penduduk", title="Jumlah Penduduk 2026")
    with app.flask_app.test_request_context("/"):
        rows = {r.id: r for r in index.listing("", "metadata_modified desc", 20, 0, held).page["results"]}
    # The changed dataset's row is a new version: read; the others held: not read.
    assert rows[changed["id"]].text is not None
    assert rows[changed["id"]].metadata_modified == changed["metadata_modified"] != held[changed["id"]][0]
    assert {i: (r.metadata_modified, r.version) for i, r in rows.items() if r.text is None} == {
        i: pair for i, pair in held.items() if i != changed["id"]
    }


def _relations(plan: dict) -> list[str]:
    found = [plan["Relation Name"]] if "Relation Name" in plan else []
    return found + [name for child in plan.get("Plans", []) for name in _relations(child)]


def test_the_listing_counts_once(app, catalogue, monkeypatch):
    """The count (from the facet summary) is read once per statement: written twice in the
    statement (the count, and the test of the page against it), PostgreSQL would run it
    twice if the subquery holding it were flattened."""
    sent = []
    execute = index._execute
    monkeypatch.setattr(index, "_execute", lambda sql, params, args: sent.append((sql, params, args)) or
                        execute(sql, params, args))  # fmt: skip
    with app.flask_app.test_request_context("/"):
        assert index.listing("", "metadata_modified desc", 20, 0, {}).page["count"] == 4
        (sql, params, args), conn = sent[0], model.Session.connection()
        name = index._prepare(sql, params, conn)[0]
        plan = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) EXECUTE {name}(%s, %s, %s)", args).scalar()
        assert _relations(plan[0]["Plan"]).count(store.SUMMARY_GROUPS.split(".")[1]) == 1, plan
        model.Session.remove()


def _index_reads(statements: list[str]) -> list[str]:
    return [s for s in statements if "layananpublik_search." in s or "EXECUTE layananpublik_feeds_" in s]


def test_the_listing_is_not_read_again_while_the_index_state_is_the_one_held(app, catalogue):
    with app.flask_app.test_request_context("/"):
        found = index.listing("", "metadata_modified desc", 20, 0, {})
        same = index.listing("", "metadata_modified desc", 20, 0, {}, found.token)
        assert (same.token, same.exempt, same.page) == (found.token, found.exempt, None)
        other = index.listing("", "metadata_modified desc", 20, 0, {}, "1.2")
        assert other == found
        model.Session.remove()


def test_the_listing_statement_survives_rollbacks_and_failures_on_its_connection(app, catalogue):
    """It is prepared once per connection, and PREPARE is not undone by a rollback; after a
    failure on a connection its next listing starts over."""
    raw = model.meta.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PREPARE layananpublik_feeds_test AS SELECT 1")
        raw.rollback()
        cursor.execute("EXECUTE layananpublik_feeds_test")
        assert cursor.fetchall() == [(1,)]
        cursor.execute("DEALLOCATE layananpublik_feeds_test")
        raw.commit()
    finally:
        raw.close()
    with app.flask_app.test_request_context("/"):
        first = index.listing("", "metadata_modified desc", 20, 0, {})
        with Statements() as statements:
            for _ in range(6):  # whichever pooled connection the session takes
                model.Session.rollback()
                assert index.listing("", "metadata_modified desc", 20, 0, {}) == first
        # Executed, not prepared again.
        assert any("EXECUTE layananpublik_feeds_" in s and "PREPARE" not in s for s in statements), statements
        # The connection's prepared statements dropped behind our back (DISCARD ALL): the
        # listing prepares it again at once, in the same transaction.
        model.Session.connection().exec_driver_sql("DEALLOCATE ALL")
        with Statements() as statements:
            assert index.listing("", "metadata_modified desc", 20, 0, {}) == first
        assert [s.split(";")[0] for s in statements] == [
            "SAVEPOINT layananpublik_feeds_listing", "ROLLBACK TO SAVEPOINT layananpublik_feeds_listing"
        ], statements
        # One there that this process did not record (a pooler in transaction mode hands the
        # transaction another server connection, where it was prepared): prepared again too.
        model.Session.connection().connection.info[index._PREPARED_KEY] = set()
        assert index.listing("", "metadata_modified desc", 20, 0, {}) == first
        # The transaction went on: what it did before the listing stands.
        model.Session.connection().exec_driver_sql("CREATE TEMPORARY TABLE lp_feeds_before (n int)")
        model.Session.connection().exec_driver_sql("DEALLOCATE ALL")
        assert index.listing("", "metadata_modified desc", 20, 0, {}) == first
        assert model.Session.connection().exec_driver_sql("SELECT count(*) FROM lp_feeds_before").scalar() == 0
        # Any other failure is not retried (here: the transaction had already failed).
        with pytest.raises(sa.exc.DBAPIError):
            model.Session.connection().exec_driver_sql("SELECT 1 / 0")
        with pytest.raises(sa.exc.DBAPIError, match="current transaction is aborted"):
            index.listing("", "metadata_modified desc", 20, 0, {})
        model.Session.rollback()
        for _ in range(6):
            model.Session.rollback()
            assert index.listing("", "metadata_modified desc", 20, 0, {}) == first
        model.Session.remove()


def test_the_plugins_decisions_are_asked_again_when_plugins_are_loaded(app, catalogue):
    with app.flask_app.test_request_context("/"):
        assert index.usable("", {})
        # A plugin with a search hook of its own: package_search, not the index, answers.
        plugins.load("multilingual_dataset")
        try:
            assert not index.usable("", {})
        finally:
            plugins.unload("multilingual_dataset")
        assert index.usable("", {})


@pytest.mark.parametrize("ttl", [600, 0])
def test_after_an_update_a_feed_reads_the_index_once(app, catalogue, ckan_config, monkeypatch, ttl):
    """The index state and the listing in one statement; with the caches on, the
    unchanged datasets' dicts are not read again (their entries are kept)."""
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.feeds.cache_ttl", ttl)
    call_action("package_patch", id="dikecualikan-uji", private=True)  # no exempt public dataset
    app.get("/umpan/dataset.atom")
    app.get("/umpan/dataset.atom")
    call_action("package_patch", id="penduduk", title="Jumlah Penduduk 2026")
    with Statements() as statements:
        body = app.get("/umpan/dataset.atom").get_data(as_text=True)
    assert "Jumlah Penduduk 2026" in body
    # The index state and the listing (not the one kept: the state changed) in one statement.
    assert len(_index_reads(statements)) == 1, statements
    with Statements() as statements:
        again = app.get("/umpan/dataset.atom").get_data(as_text=True)
    assert again == body
    assert len(_index_reads(statements)) == 1  # the state alone (caches off: with the page)
