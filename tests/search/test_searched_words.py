"""Frequent words kept from what people search (search/searched_words.py), against the real
PostgreSQL, Redis and RQ worker: slow one-word searches counted, the job keeping the word,
the answers unchanged, the operator's choices and the cap respected, Redis down harmless."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.cli.cli import ckan
from ckan.lib import jobs
from ckan.lib.redis import connect_to_redis
from ckan.tests import factories, helpers

from ckanext.layananpublik.search import connection, searched_words, store
from tests.search.test_package_search import side_tables_used

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")
FACETS = ["organization", "tags", "res_format", "license_id", "groups"]
# Caches off (a cached answer is not slow, and is not counted), 3 searches keep a word, 1 kept
# from searches at most.
SETTINGS = {
    "ckanext.layananpublik.search.facet_cache_ttl": 0,
    "ckanext.layananpublik.search.searched_words.threshold": 3,
    "ckanext.layananpublik.search.searched_words.max": 1,
}


@pytest.fixture
def settings(ckan_config, monkeypatch):
    """SETTINGS applied; call it again after a CLI command (which loads test.ini anew)."""

    def apply() -> None:
        for key, value in SETTINGS.items():
            monkeypatch.setitem(ckan_config, key, value)

    apply()
    return apply


def _clear_redis() -> None:
    redis = connect_to_redis()
    for key in redis.scan_iter("layananpublik:search:searched*"):
        redis.delete(key)
    jobs.get_queue().empty()


@pytest.fixture
def catalogue(settings):
    """'sungai' in 4 of 6 datasets (67%), 'danau' in 3 (50%), 'hutan' in 1 (17%)."""
    _clear_redis()
    org = factories.Organization(name="badan-publik")
    notes = ["Sungai danau", "Sungai dan danau", "Debit sungai, danau", "Sungai", "Hutan lindung", "Laut"]
    for i, text in enumerate(notes):
        tags = [{"name": "air"}] if i % 2 else []
        factories.Dataset(name=f"ds-{i}", owner_org=org["id"], notes=text, tags=tags, license_id="cc-by")
    yield
    _clear_redis()
    with model.meta.engine.begin() as conn:
        for word in store.kept_words(conn):  # none may outlive the test
            store.remove_frequent_word(conn, word.id)
        conn.exec_driver_sql(f"DELETE FROM {store.REFUSED_WORDS}")


def _search(q: str, fq: str = "") -> dict:
    result = helpers.call_action(
        "package_search", context={"user": "", "ignore_auth": False}, q=q, fq=fq, **{"facet.field": FACETS}
    )
    return {
        "count": result["count"],
        "facets": result["facets"],
        "names": [r["name"] for r in result["results"]],
    }


def _kept() -> dict[str, str]:
    with model.meta.engine.connect() as conn:
        return {w.q: w.chosen_by for w in store.kept_words(conn)}


def _queued() -> list[list]:
    return [job.args for job in jobs.get_queue().jobs]


@pytest.fixture
def from_tables(monkeypatch):
    return side_tables_used(monkeypatch)


def test_a_slow_common_word_searched_enough_is_kept_with_the_same_answers(catalogue, run_jobs, from_tables):
    before = _search(" sungai ")  # counted as typed without the spaces around it
    assert before["count"] == 4 and before["names"]
    assert _queued() == []  # once is not enough
    for _ in range(2):
        assert _search("sungai") == before
    assert searched_words.searched_counts() == {"sungai": 3}
    assert _queued() == [["sungai"]]
    _search("sungai")  # past the threshold: the job already queued is not queued again
    assert _queued() == [["sungai"]]
    run_jobs()
    assert _kept() == {"sungai": store.SEARCHES}
    assert from_tables == []
    after = _search("sungai")
    assert len(from_tables) == 1  # answered from the side tables
    assert after == before
    # `name` in the filters: no side tables, every match counted and ranked.
    assert _search("sungai", "+name:*") == after and len(from_tables) == 1
    assert searched_words.searched_counts() == {"sungai": 5}  # the kept word's searches still counted


def test_a_rare_word_and_other_shapes_are_never_counted(catalogue, run_jobs):
    for _ in range(5):
        assert _search("hutan")["count"] == 1
        helpers.call_action("package_search", q="sungai", **{"facet.field": FACETS}, sort="name asc")
        helpers.call_action("package_search", q="notes:sungai", **{"facet.field": FACETS})  # another parser
        assert _search(" ".join(["sungai"] * 10))["count"] == 4  # 69 characters: too long to count
    assert searched_words.searched_counts() == {}
    assert _queued() == []


def test_a_cap_of_zero_turns_counting_off(catalogue, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.search.searched_words.max", 0)
    for _ in range(4):
        _search("sungai")
    assert searched_words.searched_counts() == {} and _queued() == []


def test_search_answers_while_redis_is_down(catalogue, monkeypatch):
    from ckan.lib import redis as ckan_redis
    from redis import ConnectionPool
    from redis.exceptions import ConnectionError as RedisConnectionError

    expected = _search("sungai")
    # A port nothing listens on: every Redis command fails to connect.
    monkeypatch.setattr(ckan_redis, "_connection_pool", ConnectionPool.from_url("redis://127.0.0.1:9/0"))
    with pytest.raises(RedisConnectionError):
        connect_to_redis().ping()
    for _ in range(4):
        assert _search("sungai") == expected
    monkeypatch.undo()
    assert searched_words.searched_counts() == {"sungai": 1}


def test_counted_after_the_response_of_a_web_request(catalogue, app):
    import json

    for i in range(3):
        response = app.get(
            "/api/3/action/package_search", query_string={"q": "sungai", "facet.field": json.dumps(FACETS)}
        )
        assert response.json["result"]["count"] == 4
        # Sent once the server has sent the body and closes the response, not before.
        assert searched_words.searched_counts() == ({"sungai": i} if i else {})
        response.close()
    assert searched_words.searched_counts() == {"sungai": 3}
    assert _queued() == [["sungai"]]


def test_a_word_the_operator_removed_is_not_kept_again(catalogue, run_jobs, cli, settings):
    connection.add_frequent_word("sungai")
    removed = cli.invoke(ckan, ["layananpublik-search", "frequent-words", "--remove", "sungai"])
    assert removed.exit_code == 0, removed.output
    settings()
    for _ in range(3):
        _search("sungai")
    assert _queued() == [["sungai"]]
    run_jobs()
    assert _kept() == {}
    assert searched_words.keep_searched_word("sungai") == "removed by the operator"
    added = cli.invoke(ckan, ["layananpublik-search", "frequent-words", "--add", "sungai"])
    assert added.exit_code == 0 and "kept: sungai (operator)" in added.output


def test_the_cap_and_the_operators_words(catalogue, run_jobs, cli):
    connection.add_frequent_word("laut")  # the operator's: not counted against the cap, never removed
    for _ in range(3):
        _search("sungai")
    run_jobs()
    assert _kept() == {"laut": store.OPERATOR, "sungai": store.SEARCHES}
    for _ in range(3):
        _search("sungai")  # 6 in all, from the side tables now
    for _ in range(5):
        _search("danau")  # 5: not clearly more than 'sungai'
    assert _queued() == [["danau"]]
    run_jobs()
    assert _kept() == {"laut": store.OPERATOR, "sungai": store.SEARCHES}
    assert searched_words.keep_searched_word("danau") == "not searched clearly more than 'sungai'"
    for _ in range(7):
        _search("danau")  # 12: twice 'sungai''s
    assert _queued() == []  # the job ran within the hour: not queued again
    assert searched_words.keep_searched_word("danau") == "kept"  # as the worker would run it
    assert _kept() == {"laut": store.OPERATOR, "danau": store.SEARCHES}
    suggested = cli.invoke(ckan, ["layananpublik-search", "frequent-words", "--suggest"])
    assert suggested.exit_code == 0, suggested.output
    assert "danau\t12 searches\tkept (searches)" in suggested.output
    assert "sungai\t6 searches\tnot kept" in suggested.output
    # The operator adding a word kept from searches makes it theirs.
    added = cli.invoke(ckan, ["layananpublik-search", "frequent-words", "--add", "danau"])
    assert "now the operator's" in added.output and _kept() == {
        "laut": store.OPERATOR,
        "danau": store.OPERATOR,
    }


def test_words_kept_before_the_migration_are_the_operators(catalogue, migrate_db_for):
    try:
        migrate_db_for("layananpublik_search", "d4e6a8c0b2f5", forward=False)
        with model.meta.engine.begin() as conn:
            sides = connection.word_sql(conn, "sungai")
            conn.exec_driver_sql(
                f"INSERT INTO {store.FREQUENT_WORDS} (q, text_sql, rank_sql) VALUES ('sungai', %(t)s, %(r)s)",
                {"t": sides[0], "r": sides[1]},
            )
    finally:
        migrate_db_for("layananpublik_search")
    assert _kept() == {"sungai": store.OPERATOR}
    with model.meta.engine.connect() as conn:
        assert store.refused_words(conn) == set()
