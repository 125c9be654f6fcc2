"""package_search and everything on it, answered by PostgreSQL instead of Solr.

Expected results follow CKAN's documented Solr behaviour and its own search tests
(ckan/tests/logic/action/test_get.py::TestPackageSearch, ckan/tests/lib/search).
"""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa
from ckan import logic, model
from ckan.cli.cli import ckan
from ckan.common import config
from ckan.lib import search
from ckan.tests import factories, helpers

from ckanext.layananpublik.search import connection, document, query, store
from ckanext.layananpublik.search.query import ParamBag, compile_standard

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


@pytest.fixture(autouse=True)
def body(clean_db):
    """Datasets belong to a public body (CKAN organisation), as on a real portal."""
    return factories.Organization(name="badan-publik")


def dataset(**fields) -> dict:
    fields.setdefault("owner_org", "badan-publik")
    return factories.Dataset(**fields)


def names(result: dict) -> list[str]:
    return [r["name"] for r in result["results"]]


def search_names(**params) -> list[str]:
    return names(helpers.call_action("package_search", **params))


def index_package(doc: dict) -> None:
    """PackageSearchIndex().index_package(doc), as core calls it on this CKAN version.

    CKAN 2.12 requires the custom-schema dict alongside (`with_custom_schema`, added by
    logic.index_update_package_dicts); 2.11 has no such key and would index it as a field.
    """
    if hasattr(logic, "index_update_package_dicts"):  # CKAN >= 2.12
        doc = dict(doc, with_custom_schema=dict(doc))
    search.PackageSearchIndex().index_package(doc)


def _compact_index() -> None:
    """Move the index's rows to its first table pages (rows deleted by earlier tests leave
    pages empty until a vacuum), where store._page_threshold looks for a page's rows."""
    model.Session.remove()
    with model.meta.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(f"VACUUM FULL ANALYZE {store.TABLE}")


class TestFreeText:
    def test_title_match_ranks_above_notes_match(self):
        dataset(name="in-notes", title="Laporan tahunan", notes="Memuat data sungai besar")
        dataset(name="in-title", title="Data Sungai", notes="Laporan")
        assert search_names(q="sungai") == ["in-title", "in-notes"]

    def test_exact_name_then_exact_tag_rank_above_a_title_match(self):
        # Solr's qf boosts name^4 and tags^2 on whole values: the rank's name and tag bonuses.
        dataset(name="in-title", title="Data Sungai", notes="Laporan")
        dataset(name="tagged", title="Laporan tahunan", tags=[{"name": "sungai"}])
        dataset(name="sungai", title="Peta wilayah")
        assert search_names(q="sungai") == ["sungai", "tagged", "in-title"]

    def test_indonesian_stemming_finds_derived_words(self):
        dataset(name="apbd", title="Penganggaran daerah 2026")
        dataset(name="decoy", title="Jadwal pelayanan")
        assert search_names(q="anggaran") == ["apbd"]

    def test_english_stemming_finds_plurals(self):
        dataset(name="budget-summary", title="Budget summary")
        assert search_names(q="budgets") == ["budget-summary"]

    def test_accents_and_case_are_folded(self):
        dataset(name="cafe", title="Daftar Café di Kota")
        assert search_names(q="CAFE") == ["cafe"]

    def test_partial_word_matches_by_prefix(self):
        dataset(name="penduduk", title="Jumlah penduduk per kecamatan")
        assert search_names(q="pendud") == ["penduduk"]

    def test_phrase_requires_adjacent_words(self):
        dataset(name="exact", title="Government Expenditure")
        dataset(name="apart", title="Government Extra Expenditure")
        assert search_names(q='"Government Expenditure"') == ["exact"]

    def test_minus_excludes_a_word(self):
        dataset(name="rivers", title="Rivers")
        dataset(name="rivers-lakes", title="Rivers and lakes")
        assert search_names(q="rivers -lakes") == ["rivers"]

    def test_all_words_required_for_short_queries(self):
        dataset(name="both", title="Sekolah dasar negeri")
        dataset(name="one", title="Sekolah menengah")
        assert search_names(q="sekolah dasar") == ["both"]

    def test_resource_name_is_searchable(self):
        factories.Resource(name="resource_abc", package_id=dataset()["id"])
        result = helpers.call_action("package_search", q="resource_abc")
        assert result["results"][0]["resources"][0]["name"] == "resource_abc"

    def test_tag_words_are_searchable_in_any_order(self):
        dataset(name="tagged", tags=[{"name": "split todo"}])
        assert search_names(q="todo split") == ["tagged"]

    def test_results_are_ckan_dataset_dicts(self):
        created = dataset(title="Rivers")
        result = helpers.call_action("package_search", q="rivers")["results"][0]
        assert result["id"] == created["id"]
        assert result["organization"] == created["organization"]
        assert result["metadata_modified"] == created["metadata_modified"]


class TestFilters:
    def test_fielded_query_on_tags(self):
        dataset(name="eco", tags=[{"name": "economy"}])
        dataset(name="health", tags=[{"name": "health"}])
        assert search_names(q="tags:economy") == ["eco"]

    def test_fq_on_resource_format_and_organization(self):
        org = factories.Organization(name="dinas-a")
        dataset(name="csv-a", owner_org=org["id"], resources=[{"url": "http://x", "format": "CSV"}])
        dataset(name="pdf-a", owner_org=org["id"], resources=[{"url": "http://x", "format": "PDF"}])
        dataset(name="csv-other", resources=[{"url": "http://x", "format": "CSV"}])
        assert search_names(fq='res_format:"CSV" organization:"dinas-a"') == ["csv-a"]

    def test_or_and_not_in_fq(self):
        dataset(name="ds-a", tags=[{"name": "air"}])
        dataset(name="ds-b", tags=[{"name": "bumi"}])
        dataset(name="ds-c", tags=[{"name": "api"}])
        found = search_names(fq="tags:air OR tags:bumi", sort="name asc")
        assert found == ["ds-a", "ds-b"]
        assert search_names(fq="-tags:air", sort="name asc") == ["ds-b", "ds-c"]

    def test_date_range_on_metadata_modified(self):
        dataset(name="recent")
        assert search_names(fq="metadata_modified:[NOW-1DAY TO NOW+1DAY]") == ["recent"]
        assert search_names(fq="metadata_modified:[* TO NOW-1DAY]") == []

    def test_extras_are_searchable_as_fields(self):
        dataset(name="weekly", extras=[{"key": "frequency", "value": "weekly"}])
        dataset(name="daily", extras=[{"key": "frequency", "value": "daily"}])
        assert search_names(fq='frequency:"weekly"') == ["weekly"]
        result = helpers.call_action("package_search", q="frequency:weekly", fl="name,extras_frequency")
        assert result["results"] == [{"name": "weekly", "frequency": "weekly"}]

    def test_dates_with_a_utc_offset_are_stored_in_utc(self):
        # CKAN appends 'Z' to naive *_date values only; an aware one keeps its offset
        # (ckan/tests/lib/search/test_index.py::test_index_date_field). Solr stores UTC.
        created = dataset(extras=[{"key": "published_date", "value": "2019-10-10T01:15:00+07:00"}])
        assert search.show(created["id"])["published_date"] == "2019-10-09T18:15:00Z"
        in_utc = "published_date:[2019-10-09T18:00:00Z TO 2019-10-09T18:30:00Z]"
        assert search_names(fq=in_utc) == [created["name"]]

    def test_unsupported_syntax_is_a_search_error(self):
        with pytest.raises(search.SearchError):
            helpers.call_action("package_search", q="--included")


class TestSortAndPaging:
    def test_sort_by_title(self):
        for name, title in [("ds-b", "Beta"), ("ds-a", "alpha"), ("ds-c", "Gamma")]:
            dataset(name=name, title=title)
        # Solr sorts strings byte-wise: capitals first.
        assert search_names(sort="title_string asc") == ["ds-b", "ds-c", "ds-a"]
        assert search_names(sort="title_string desc") == ["ds-a", "ds-c", "ds-b"]

    def test_sort_by_creation(self):
        for name in ("test0", "test1", "test2"):
            dataset(name=name)
        assert search_names(sort="metadata_created desc") == ["test2", "test1", "test0"]

    def test_rows_and_start_page_through_results(self):
        for i in range(5):
            dataset(name=f"page-{i}")
        result = helpers.call_action("package_search", sort="name asc", rows=2, start=2)
        assert result["count"] == 5
        assert names(result) == ["page-2", "page-3"]

    @pytest.mark.parametrize("q", ["", "page"])  # answered from the summary / from the matches
    def test_a_start_past_every_row_is_an_empty_page(self, q):
        dataset(name="page-0", title="Page")
        result = helpers.call_action("package_search", q=q, rows=2, start=10**20)
        assert (result["count"], result["results"]) == (1, [])

    def test_sort_without_direction_is_refused(self):
        with pytest.raises(search.SearchError):
            helpers.call_action("package_search", sort="metadata_modified")

    def test_sort_on_unknown_field_is_a_no_op(self):
        dataset(name="only")
        assert search_names(sort="view_recent desc") == ["only"]


class TestWalkedPages:
    """A search the summary counts finds its page by walking the sort's index over the
    first rows of the whole index (store.walk_budget); the page must be the one sorting
    every match gives, ties and all, and when the walked rows hold too few matches (a
    body whose datasets are all old) the page is found without the walk."""

    SORTS = ["metadata_modified desc", "metadata_modified asc", "metadata_created desc", "title_string asc"]

    @pytest.fixture
    def catalogue(self, monkeypatch):
        monkeypatch.setitem(config, "ckanext.layananpublik.search.facet_cache_ttl", 0)
        factories.Organization(name="lama")
        factories.Organization(name="baru")
        made = [dataset(name=f"lama-{i}", owner_org="lama", title=f"Lama {i % 3}") for i in range(6)]
        made += [dataset(name=f"baru-{i}", owner_org="baru", title=f"Baru {i % 4}") for i in range(24)]
        made += [dataset(name=f"rahasia-{i}", owner_org="baru", private=True) for i in range(4)]
        # lama: the six oldest datasets; baru: newer, three at a time on the same second
        # (ties ordered by index_id); created dates in the opposite order.
        for position, created in enumerate(made):
            doc = helpers.call_action("package_show", id=created["id"])
            doc["metadata_modified"] = f"20{15 + position // 3:02d}-01-01T00:00:00"
            doc["metadata_created"] = f"20{60 - position:02d}-06-01T00:00:00"
            index_package(doc)
        model.Session.commit()
        with model.meta.engine.begin() as conn:
            conn.exec_driver_sql(f"ANALYZE {store.TABLE}")

    def _names(self, fq: str, sort: str, rows: int, start: int) -> tuple[int, list[str]]:
        result = helpers.call_action("package_search", fq=fq, sort=sort, rows=rows, start=start)
        return result["count"], names(result)

    # One catalogue per sort (and per page shape below) for several searches: it is the
    # slow part (34 datasets indexed), the searches only read it.
    @pytest.mark.parametrize("sort", SORTS)
    def test_pages_equal_those_of_sorting_every_match(self, catalogue, sort):
        for fq in ['organization:"baru"', 'organization:"lama"', ""]:
            for rows, start in [(1, 0), (2, 0), (5, 0), (5, 3), (4, 20), (10, 25), (3, 29)]:
                walked = self._names(fq, sort, rows, start)
                # `name`: no summary, so every match is found and sorted (store.search_once).
                assert walked == self._names(f"{fq} +name:*", sort, rows, start), (fq, rows, start)

    def test_a_walk_is_planned_for_a_body_with_many_datasets(self, catalogue):
        keys = query.compile_sort_keys("metadata_modified desc", None)
        with store.snapshot(5000) as conn:
            budget = store.walk_budget(conn, keys, total=24, limit=2, offset=0)
            assert budget is not None and 4 * 2 <= budget < 24  # some 34 datasets indexed, 24 match
            assert store.walk_budget(conn, keys, total=6, limit=2, offset=0) is None  # as many as the matches
            score_first = query.compile_sort_keys("score desc", "ts_rank(d.tsv, 'x'::tsquery)")
            assert store.walk_budget(conn, score_first, total=24, limit=2, offset=0) is None  # no index

    @pytest.mark.parametrize(("body", "limit", "offset"), [("baru", 5, 0), ("baru", 5, 20), ("lama", 2, 0), ("lama", 4, 3)])
    def test_any_walk_gives_the_page_of_no_walk(self, catalogue, body, limit, offset):
        bag = ParamBag()
        where = " AND ".join(
            f"({compile_standard(fq, bag).where})" for fq in (f'organization:"{body}"', "+capacity:public")
        )
        order = query.compile_sort("metadata_modified desc", None)
        with store.snapshot(5000) as conn:
            total = store.count(conn, where, bag.params)
            plain = store.rows(conn, "d.name", where, order, bag.params, limit, offset)
            for walk in [1, 3, 6, 12, 30, 40]:
                walked = store.rows(conn, "d.name", where, order, bag.params, limit, offset, walk=walk, total=total)
                assert walked == plain, walk
        assert len(plain) == min(limit, total - offset)


class TestFacets:
    def test_facets_have_solr_shape(self):
        org = factories.Organization(name="test-org-facet", title="Test Org")
        dataset(owner_org=org["id"])
        dataset(owner_org=org["id"])
        result = helpers.call_action("package_search", **{"facet.field": ["organization"]})
        assert result["count"] == 2
        assert result["search_facets"] == {
            "organization": {
                "items": [{"count": 2, "display_name": "Test Org", "name": "test-org-facet"}],
                "title": "organization",
            }
        }

    def test_facet_limit_keeps_the_most_frequent(self):
        g1 = factories.Group(name="test-group-fl1", title="Test Group 1")
        g2 = factories.Group(name="test-group-fl2", title="Test Group 2")
        dataset(groups=[{"name": g1["name"]}, {"name": g2["name"]}])
        dataset(groups=[{"name": g1["name"]}])
        result = helpers.call_action("package_search", **{"facet.field": ["groups"], "facet.limit": 1})
        assert result["facets"] == {"groups": {"test-group-fl1": 2}}

    def test_facet_counts_follow_the_query(self):
        dataset(title="Sungai", tags=[{"name": "air"}, {"name": "alam"}])
        dataset(title="Danau", tags=[{"name": "air"}])
        result = helpers.call_action("package_search", q="sungai", **{"facet.field": ["tags"]})
        assert result["facets"]["tags"] == {"air": 1, "alam": 1}

    def test_cached_counts_are_invalidated_by_every_index_write(self):
        dataset(tags=[{"name": "air"}])
        params = {"facet.field": ["tags"]}
        assert helpers.call_action("package_search", **params)["facets"]["tags"] == {"air": 1}
        created = dataset(tags=[{"name": "air"}])
        assert helpers.call_action("package_search", **params)["facets"]["tags"] == {"air": 2}
        helpers.call_action("package_delete", id=created["id"])
        result = helpers.call_action("package_search", **params)
        assert (result["count"], result["facets"]["tags"]) == (1, {"air": 1})


class TestCachedPages:
    """A repeated search reads its page's rows by the keys full ranking gave the first time."""

    @staticmethod
    def statements_of(call) -> list[str]:
        """The index statements (on package_doc) one call issues."""
        seen: list[str] = []

        def record(conn, cursor, statement, *args):
            if store.TABLE in statement:
                seen.append(statement)

        sa.event.listen(model.meta.engine, "before_cursor_execute", record)
        try:
            call()
        finally:
            sa.event.remove(model.meta.engine, "before_cursor_execute", record)
        return seen

    def test_repeated_search_reads_the_page_by_key_and_gets_the_same_page(self):
        for name, title, notes in [("in-title", "Sungai Musi", "data"), ("in-notes", "Laporan", "sungai kecil"),
                                   ("in-both", "Sungai", "sungai besar sungai")]:  # fmt: skip
            dataset(name=name, title=title, notes=notes)
        first = helpers.call_action("package_search", q="sungai", rows=2)
        ranked = self.statements_of(lambda: helpers.call_action("package_search", q="sungai", rows=2))
        again = helpers.call_action("package_search", q="sungai", rows=2)
        assert (again["count"], names(again)) == (first["count"], names(first)) == (3, ["in-both", "in-title"])
        # Only the page's rows, by key: nothing ranked, counted or sorted.
        assert ranked and all("unnest(%(_page)s::text[])" in sql for sql in ranked), ranked
        assert not any("ts_rank" in sql or "count(" in sql for sql in ranked)
        # Another page of the same search is ranked in full once, then kept too.
        assert search_names(q="sungai", rows=2, start=2) == ["in-notes"]

    def test_next_write_reaches_the_next_search(self):
        dataset(name="lama", title="Sungai", notes="sungai")
        assert search_names(q="sungai") == ["lama"]
        created = dataset(name="baru", title="Sungai Sungai Besar", notes="sungai sungai sungai")
        assert search_names(q="sungai") == ["baru", "lama"]
        helpers.call_action("package_patch", id=created["id"], title="Danau", notes="danau")
        assert search_names(q="sungai") == ["lama"]
        helpers.call_action("package_delete", id="lama")
        assert search_names(q="sungai") == []

    def test_a_page_kept_for_one_user_is_not_served_to_another(self):
        org = factories.Organization(name="org-a")
        factories.User(name="member-a")
        helpers.call_action("organization_member_create", id=org["id"], username="member-a", role="member")
        dataset(name="public-a", owner_org=org["id"], title="Sungai")
        dataset(name="private-a", owner_org=org["id"], title="Sungai", private=True)

        def search_as(user: str) -> list[str]:
            context = {"user": user, "ignore_auth": False}
            result = helpers.call_action("package_search", context=context, q="sungai", include_private=True,
                                         sort="name asc")  # fmt: skip
            return names(result)

        assert search_as("member-a") == ["private-a", "public-a"]
        assert search_as("") == ["public-a"]
        assert search_as("member-a") == ["private-a", "public-a"]


def _two_bodies_and_a_member(monkeypatch) -> dict:
    """Facet cache off; organisations org-a (returned, with member-a) and org-b."""
    monkeypatch.setitem(config, "ckanext.layananpublik.search.facet_cache_ttl", 0)
    org_a = factories.Organization(name="org-a")
    factories.Organization(name="org-b")
    factories.User(name="member-a")
    helpers.call_action("organization_member_create", id=org_a["id"], username="member-a", role="member")
    return org_a


class TestFacetSummary:
    """Searches on shared columns only (site, state, capacity, permission labels,
    organisation) read their counts from the facet summary kept by triggers; adding a
    test on `name` (every dataset has one) makes the same search count over the rows."""

    FACETS = ["tags", "res_format", "organization", "groups", "license_id"]

    @pytest.fixture
    def catalogue(self, monkeypatch):
        org_a = _two_bodies_and_a_member(monkeypatch)
        csv = {"url": "https://data.example.go.id/a.csv", "format": "CSV"}
        dataset(
            name="public-a", owner_org="org-a", tags=[{"name": "air"}, {"name": "laut"}], resources=[csv, csv]
        )
        dataset(name="private-a", owner_org="org-a", private=True, tags=[{"name": "air"}])
        dataset(name="draft-a", owner_org="org-a", state="draft", tags=[{"name": "air"}])
        dataset(name="public-b", owner_org="org-b", tags=[{"name": "hutan"}], license_id="cc-by")
        dataset(name="other-body", tags=[{"name": "air"}])
        return org_a

    def _result(self, user: str | None, fq: str, **params) -> dict:
        context = {"user": user or "", "ignore_auth": False}
        return helpers.call_action(
            "package_search",
            context=context,
            fq=fq,
            include_private=True,
            **{"facet.field": self.FACETS},
            **params,
        )

    def _search(self, user: str | None, fq: str, **params) -> dict:
        result = self._result(user, fq, **params)
        return {"count": result["count"], "facets": result["facets"]}

    @pytest.mark.parametrize("user", [None, "member-a"])
    @pytest.mark.parametrize(
        "fq", ["", 'organization:"org-a"', "owner_org:{org_a}", '-organization:"org-a"', "capacity:private"]
    )
    @pytest.mark.parametrize("drafts", [False, True])
    def test_counts_from_the_summary_equal_counts_over_the_rows(self, catalogue, user, fq, drafts):
        fq = fq.format(org_a=catalogue["id"])
        summary = self._search(user, fq, include_drafts=drafts)
        rows = self._search(user, f"{fq} +name:*", include_drafts=drafts)
        assert summary == rows

    def test_counts_are_permission_correct(self, catalogue):
        anonymous = self._search(None, "")
        member = self._search("member-a", "")
        assert (anonymous["count"], anonymous["facets"]["tags"]) == (3, {"air": 2, "laut": 1, "hutan": 1})
        assert (member["count"], member["facets"]["tags"]) == (4, {"air": 3, "laut": 1, "hutan": 1})
        assert self._search("member-a", 'organization:"org-a"')["facets"]["organization"] == {"org-a": 2}

    def test_a_dataset_counts_once_per_value_however_many_resources_share_it(self, catalogue):
        assert self._search(None, "")["facets"]["res_format"] == {"CSV": 1}
        assert self._search(None, "+name:*")["facets"]["res_format"] == {"CSV": 1}

    def test_changes_are_counted_by_the_next_search(self, catalogue):
        helpers.call_action("package_patch", id="public-b", tags=[{"name": "air"}], owner_org="org-a")
        result = self._search(None, 'organization:"org-a"')
        assert (result["count"], result["facets"]["tags"]) == (2, {"air": 2, "laut": 1})
        helpers.call_action("package_delete", id="public-a")
        assert self._search(None, "")["facets"]["tags"] == {"air": 2}

    def test_a_transaction_counts_its_own_writes_and_the_summary_takes_them_at_commit(self, catalogue):
        changed = dict(helpers.call_action("package_show", id="public-b"), tags=[{"name": "air"}])
        model.Session.execute(sa.text("SELECT 1"))  # an open transaction for the index write to join
        index_package(changed)
        committed_sql = (
            f"SELECT sum(c.n) FROM {store.SUMMARY_COUNTS} AS c JOIN {store.SUMMARY_GROUPS} AS g"
            " ON g.id = c.group_id WHERE NOT g.by_org AND g.capacity = 'public' AND g.state = 'active'"
            " AND c.field = 'tags' AND c.value = 'air'"
        )
        with model.meta.engine.connect() as other:
            assert other.exec_driver_sql(committed_sql).scalar() == 2
        assert self._search(None, "")["facets"]["tags"] == {"air": 3, "laut": 1}
        model.Session.commit()
        with model.meta.engine.connect() as other:
            assert other.exec_driver_sql(committed_sql).scalar() == 3
        assert self._search(None, "")["facets"]["tags"] == {"air": 3, "laut": 1}

    @pytest.fixture
    def wordy(self, catalogue):
        """A word in most datasets of every kind (public, private, draft, other bodies)."""
        for name in ("public-a", "private-a", "draft-a", "other-body"):
            helpers.call_action("package_patch", id=name, notes="Debit sungai bulanan")
        dataset(name="sungai-b", owner_org="org-b", notes="Sungai", tags=[{"name": "laut"}], license_id="cc-by")
        with model.meta.engine.begin() as conn:
            conn.exec_driver_sql(f"ANALYZE {store.TABLE}")  # the planner's estimate sees the word
        _compact_index()  # the first table pages, which the page threshold samples, hold them
        return catalogue

    @pytest.mark.parametrize("user", [None, "member-a"])
    @pytest.mark.parametrize("fq", ["", 'organization:"org-a"', "-capacity:private"])
    @pytest.mark.parametrize("drafts", [False, True])
    def test_a_word_in_most_datasets_counts_as_the_summary_minus_the_datasets_it_misses(
        self, wordy, user, fq, drafts
    ):
        params = {"q": "sungai", "include_drafts": drafts, "sort": "name asc", "facet.mincount": 1}
        complement = self._search(user, fq, **params)
        rows = self._search(user, f"{fq} +name:*", **params)  # `name`: no summary, every match counted
        assert complement == rows
        assert complement["count"] > 0

    def test_the_planner_tells_a_word_in_most_datasets_from_a_rare_one(self, wordy):
        bag = ParamBag()
        rest = compile_standard("+state:active +capacity:public", bag).where

        def most(q: str) -> bool:
            split = store.Split(text=compile_standard(q, bag).where, rest=rest, summary=False)
            with store.snapshot(5000) as conn:
                return store.most_rows_match(conn, split, bag.params)

        assert most("sungai")
        assert not most("hutan")

    def test_the_side_is_planned_once_per_index_state(self, wordy):
        # store.most_rows_match keeps its EXPLAIN's answer per generation token and search.
        explains = []

        def seen(conn, cursor, statement, *args):
            if statement.startswith("EXPLAIN"):
                explains.append(statement)

        sa.event.listen(model.meta.engine, "before_cursor_execute", seen)
        try:
            first = self._search(None, "", q="sungai")
            assert self._search(None, "", q="sungai") == first
            assert len(explains) == 1
            self._search(None, 'organization:"org-a"', q="sungai")  # another search: planned
            assert len(explains) == 2
            helpers.call_action("package_patch", id="public-b", notes="Sungai deras")
            changed = self._search(None, "", q="sungai")
            assert len(explains) == 3  # a new index state: planned again
        finally:
            sa.event.remove(model.meta.engine, "before_cursor_execute", seen)
        # public-a, other-body, sungai-b; then public-b too
        assert (first["count"], first["facets"]["organization"]) == (3, {"badan-publik": 1, "org-a": 1, "org-b": 1})
        assert (changed["count"], changed["facets"]["organization"]) == (4, {"badan-publik": 1, "org-a": 1, "org-b": 2})

    @pytest.mark.parametrize(("limit", "mincount"), [(50, 1), (1, 1), (50, 2), (-1, 0)])
    def test_counting_the_misses_gives_the_counts_of_the_matches(self, wordy, limit, mincount):
        bag = ParamBag()
        text = compile_standard("sungai", bag).where
        rest = compile_standard("+state:active +capacity:public", bag).where
        split = store.Split(text=text, rest=rest, summary=False)
        keys = [("d.name", "ASC")]
        with store.snapshot(5000) as conn:
            args = (conn, f"({text}) AND ({rest})", bag.params, keys, 10, 0, self.FACETS, limit, mincount)
            direct = store.search_once(*args)
            complement = store.search_once(*args, complement=split)
        assert complement == direct
        assert direct[0] == 3 and direct[2]  # public-a, other-body, sungai-b

    @pytest.mark.parametrize("fl", [None, "name score validated_data_dict", "id", "data_dict"])
    @pytest.mark.parametrize("complement", [False, True])
    def test_the_page_read_with_the_counts_equals_the_page_read_by_key(self, wordy, fl, complement):
        # search_once(select=...) returns the page's rows through json_agg, in one statement.
        bag = ParamBag()
        compiled = compile_standard("sungai", bag)
        rest = compile_standard("+state:active +capacity:public", bag).where
        split = store.Split(text=compiled.where, rest=rest, summary=False) if complement else None
        select = connection._select_list(fl, compiled.rank, bag)
        keys = [(f"({compiled.rank})", "DESC"), ("d.name", "ASC")]
        with store.snapshot(5000) as conn:
            where = f"({compiled.where}) AND ({rest})"
            args = (conn, where, bag.params, keys, 2, 1, self.FACETS, 50, 1)
            total, facets, page, docs = store.search_once(*args, complement=split, select=select)
            assert store.search_once(*args, complement=split)[:3] == (total, facets, page)
            assert len(page) == 2
            assert docs == store.rows_by_key(conn, select, page, bag.params)
        assert [d[store.PAGE_KEY] for d in docs] == page
        assert all(store._POSITION not in d for d in docs)

    @pytest.mark.parametrize("user", [None, "member-a"])
    @pytest.mark.parametrize("sort", [None, "name desc", "metadata_modified desc"])
    def test_a_word_in_most_datasets_pages_as_sorting_every_match(self, wordy, user, sort):
        # The complement keeps only the matches that can reach the page (store._page_threshold).
        for rows, start in [(1, 0), (2, 0), (2, 1), (3, 2), (10, 0)]:
            params = {"q": "sungai", "include_drafts": True, "rows": rows, "start": start}
            if sort:
                params["sort"] = sort
            pages = [
                {"count": r["count"], "facets": r["facets"], "names": names(r)}
                for r in (self._result(user, fq, **params) for fq in ("", "+name:*"))
            ]
            assert pages[0] == pages[1], (rows, start)
            assert pages[0]["names"]
        searched = TestCachedPages.statements_of(lambda: self._result(user, "", q="sungai", sort=sort))
        assert any("::tid" in statement for statement in searched)  # the page threshold was used

    def test_clearing_the_index_empties_the_summary(self, catalogue):
        search.clear_all()  # this site's documents (other tests may leave other sites' ones)
        site = {"site": config.get("ckan.site_id")}
        with model.meta.engine.begin() as conn:
            groups_sql = f"SELECT id FROM {store.SUMMARY_GROUPS} WHERE site_id = %(site)s"
            groups = conn.exec_driver_sql(f"SELECT count(*) FROM ({groups_sql}) AS g", site).scalar()
            counts = conn.exec_driver_sql(
                f"SELECT count(*) FROM {store.SUMMARY_COUNTS} WHERE group_id IN ({groups_sql})", site
            ).scalar()
        assert (groups, counts) == (0, 0)
        assert self._search(None, "") == {"count": 0, "facets": {f: {} for f in self.FACETS}}


def side_tables_used(monkeypatch) -> list[int]:
    """The ids of the frequent words whose side tables answer the searches from now on."""
    used: list[int] = []
    searched = store.search_frequent

    def spy(conn, word_id, *args, **kwargs):
        used.append(word_id)
        return searched(conn, word_id, *args, **kwargs)

    monkeypatch.setattr(store, "search_frequent", spy)
    return used


class TestFrequentWords:
    """A word kept as frequent (connection.add_frequent_word) is searched from its side
    tables (store.search_frequent): the same count, facets and page as counting and
    ranking every match, for every user, filter and page, after every kind of write."""

    FACETS = TestFacetSummary.FACETS

    @pytest.fixture
    def frequent(self, monkeypatch):
        _two_bodies_and_a_member(monkeypatch)
        dataset(name="sungai-a", owner_org="org-a", title="Sungai", notes="Debit sungai", tags=[{"name": "air"}])
        dataset(name="private-a", owner_org="org-a", private=True, notes="Debit sungai bulanan")
        dataset(name="draft-a", owner_org="org-a", state="draft", notes="Sungai")
        dataset(name="sungai", owner_org="org-b", notes="Laporan", tags=[{"name": "sungai"}], license_id="cc-by")
        dataset(name="tie-1", notes="Sungai dan laut")
        dataset(name="tie-2", notes="Sungai dan laut")
        dataset(name="hutan", owner_org="org-b", notes="Hutan lindung", tags=[{"name": "air"}])
        word = connection.add_frequent_word("sungai")
        yield word, side_tables_used(monkeypatch)
        with model.meta.engine.begin() as conn:
            for kept in store.kept_words(conn):  # none may outlive the test
                store.remove_frequent_word(conn, kept.id)

    def _page(self, user: str | None, fq: str, **params) -> dict:
        result = helpers.call_action(
            "package_search",
            context={"user": user or "", "ignore_auth": False},
            fq=fq,
            include_private=True,
            **{"facet.field": self.FACETS},
            **params,
        )
        return {"count": result["count"], "facets": result["facets"], "names": names(result)}

    def _same_as_every_match(self, used: list[int], user: str | None, fq: str, **params) -> dict:
        before = len(used)
        tables = self._page(user, fq, q="sungai", **params)
        assert len(used) == before + 1  # read from the side tables
        # `name` in the filters: no summary, no side tables; every match counted and ranked.
        assert tables == self._page(user, f"{fq} +name:*", q="sungai", **params)
        assert len(used) == before + 1
        return tables

    @pytest.mark.parametrize("user", [None, "member-a"])
    @pytest.mark.parametrize("fq", ["", 'organization:"org-a"', "-capacity:private", 'organization:"org-b"'])
    @pytest.mark.parametrize("drafts", [False, True])
    @pytest.mark.parametrize("sort", [None, "metadata_modified desc", "score desc, metadata_modified desc"])
    def test_counts_facets_and_pages_equal_those_of_every_match(self, frequent, user, fq, drafts, sort):
        _, used = frequent
        extra = {"sort": sort} if sort else {}
        for rows, start in [(10, 0), (1, 0), (2, 1), (3, 2), (0, 0), (2, 50)]:
            self._same_as_every_match(used, user, fq, include_drafts=drafts, rows=rows, start=start, **extra)

    def test_permission_labels_drafts_and_private_datasets(self, frequent):
        _, used = frequent
        anonymous = self._same_as_every_match(used, None, "")
        member = self._same_as_every_match(used, "member-a", "", include_drafts=True)
        # The exact name first (its bonus), then the tag; the tied pair by modified, newest first.
        assert anonymous["names"] == ["sungai", "sungai-a", "tie-2", "tie-1"]
        assert anonymous["count"] == 4 and anonymous["facets"]["tags"] == {"air": 1, "sungai": 1}
        assert member["count"] == 6 and {"private-a", "draft-a"} <= set(member["names"])  # org-a's member

    def test_writes_are_seen_by_the_next_search(self, frequent):
        _, used = frequent
        helpers.call_action("package_patch", id="tie-1", notes="Laut saja")  # no longer a match
        helpers.call_action("package_patch", id="hutan", notes="Hutan dan sungai")  # a match now
        helpers.call_action("package_delete", id="sungai-a")
        dataset(name="baru", owner_org="org-a", notes="Sungai baru", tags=[{"name": "air"}])
        result = self._same_as_every_match(used, None, "")
        assert sorted(result["names"]) == ["baru", "hutan", "sungai", "tie-2"]
        helpers.call_action("dataset_purge", id="tie-2")
        assert self._same_as_every_match(used, None, "")["count"] == 3
        search.clear_all()
        assert self._same_as_every_match(used, None, "")["count"] == 0

    def test_only_the_same_search_uses_the_tables(self, frequent):
        word, used = frequent
        with store.snapshot(5000) as conn:
            rows = {
                table: conn.exec_driver_sql(
                    f"SELECT count(*) FROM {table} WHERE word_id = {word} AND site_id = %(site)s",
                    {"site": config.get("ckan.site_id")},  # other tests may leave other sites' documents
                ).scalar()
                for table in (store.WORD_HITS, store.WORD_MISSES)
            }
        assert rows == {store.WORD_HITS: 6, store.WORD_MISSES: 1}  # hutan misses; drafts and private kept
        for other in ({"q": "hutan"}, {"q": "sungai laut"}, {"q": "sungai", "sort": "name asc"}):
            self._page(None, "", **other)
        assert used == []
        with model.meta.engine.begin() as conn:
            store.remove_frequent_word(conn, word)
        self._page(None, "", q="sungai")
        assert used == []  # removed: the search counts its matches
        connection.add_frequent_word("sungai")  # added again: its tables filled anew
        self._same_as_every_match(used, "member-a", "", include_drafts=True)


class TestPageThreshold:
    """A word in most datasets keeps only the matches that can reach the page: those not
    sorting after the last of the first `offset + limit` matches among the first table
    pages (store._page_threshold). The page must be the one sorting every match gives,
    ties and tiebreaks included, whatever the sample holds; a threshold one row too
    tight, or ties dropped, must show."""

    FACETS = ["tags", "res_format", "organization", "license_id"]
    SORTS = ["score desc, metadata_modified desc", "metadata_modified desc", "name asc", "title_string desc", ""]
    PAGES = [(1, 0), (3, 0), (5, 2), (10, 0), (7, 14), (20, 30), (5, 100)]
    SAMPLES = [None, 0, 1, 2, 3, 5, 8]

    @pytest.fixture
    def catalogue(self):
        """48 documents: the word in titles (A), tags (B, and the tag bonus), notes (C),
        one dataset's name (the name bonus), or nowhere; ranks and dates repeating, so
        that many rows tie on the first sort key and on the second; private and draft
        ones left out by `rest`."""
        shown = helpers.call_action("package_show", id=dataset(name="induk")["id"])
        for i in range(48):
            tags = [{"name": "sungai"}] if i % 5 == 0 else [{"name": "sungai-besar"}] if i % 7 == 0 else []
            index_package(
                dict(
                    shown,
                    id=f"00000000-0000-0000-0000-{i:012d}",
                    name="sungai" if i == 17 else f"ds-{(i * 7) % 48:02d}",
                    title="Sungai sungai besar" if i % 9 == 0 else "Data sungai" if i % 4 == 0 else f"Laporan {i % 3}",
                    notes=" ".join(["sungai"] * (i % 3) + ["debit air"]),
                    tags=tags,
                    num_tags=len(tags),
                    private=i % 11 == 3,
                    state="draft" if i % 13 == 5 else "active",
                    metadata_modified=f"2020-01-{1 + i % 4:02d}T00:00:00",
                )
            )
        model.Session.commit()
        _compact_index()

    @staticmethod
    def _search():
        bag = ParamBag()
        compiled = query.compile_dismax("sungai", bag)
        rest = compile_standard("+state:active +capacity:public", bag).where
        return bag, compiled, rest, store.Split(text=compiled.where, rest=rest, summary=False)

    def _pages(self, sorts: list[str], sample: int | str | None) -> dict:
        bag, compiled, rest, split = self._search()
        found = {}
        with store.snapshot(5000) as conn:
            for sort in sorts:
                keys = query.compile_sort_keys(sort, compiled.rank)
                for limit, offset in self.PAGES:
                    args = (conn, f"({compiled.where}) AND ({rest})", bag.params, keys, limit, offset, self.FACETS, 50, 1)
                    if sample == "all matches":
                        found[sort, limit, offset] = store.search_once(*args)
                    else:
                        found[sort, limit, offset] = store.search_once(*args, complement=split, sample_pages=sample)
        return found

    def test_pages_equal_those_of_sorting_every_match(self, catalogue):
        bag, compiled, _rest, split = self._search()
        keys = query.compile_sort_keys("", compiled.rank)
        with store.snapshot(5000) as conn:
            last_page = conn.exec_driver_sql(f"SELECT max((ctid::text::point)[0]) FROM {store.TABLE}").scalar()
            thresholds = [
                conn.exec_driver_sql(f"SELECT ({store._page_threshold(split, keys, 3, 0, pages)})", bag.params).scalar()
                for pages in (None, 0)
            ]
        # The rows sit in the first pages: the samples below hold none, some or all of them.
        assert 5 < last_page < 40 and thresholds[0] is not None and thresholds[1] is None
        every = self._pages(self.SORTS, "all matches")
        assert every["", 20, 30][0] > 30 and len(every["", 20, 30][2]) < 20  # a last page, partly filled
        for sample in self.SAMPLES:
            assert self._pages(self.SORTS, sample) == every, sample

    @pytest.mark.parametrize("wrong", ["ties dropped", "one row too tight"])
    def test_a_wrong_threshold_changes_pages(self, catalogue, monkeypatch, wrong):
        every = self._pages(self.SORTS, "all matches")
        not_after, threshold = store._not_after, store._page_threshold
        if wrong == "ties dropped":
            monkeypatch.setattr(store, "_not_after", lambda key, direction, bound: f"{key} IS DISTINCT FROM {bound}"
                                " AND " + not_after(key, direction, bound))  # fmt: skip
        else:

            def tighter(split, sort_keys, limit, offset, sample_pages):
                rows = offset + limit
                found = threshold(split, sort_keys, limit, offset, sample_pages)
                if found is None or rows < 2:
                    return found
                return found.replace(f"LIMIT {rows}) AS s OFFSET {rows - 1}", f"LIMIT {rows - 1}) AS s OFFSET {rows - 2}")

            monkeypatch.setattr(store, "_page_threshold", tighter)
        assert self._pages(self.SORTS, None) != every


class TestPermissions:
    @pytest.fixture
    def private_setup(self):
        org_a = factories.Organization(name="org-a")
        org_b = factories.Organization(name="org-b")
        member_a = factories.User(name="member-a")
        member_b = factories.User(name="member-b")
        helpers.call_action("organization_member_create", id=org_a["id"], username="member-a", role="member")
        helpers.call_action("organization_member_create", id=org_b["id"], username="member-b", role="member")
        dataset(name="public-a", owner_org=org_a["id"], tags=[{"name": "rahasia"}])
        dataset(name="private-a", owner_org=org_a["id"], private=True, tags=[{"name": "rahasia"}])
        return member_a, member_b

    def _search(self, user: str | None) -> dict:
        context = {"user": user or "", "ignore_auth": False}
        return helpers.call_action(
            "package_search", context=context, include_private=True, sort="name asc",
            **{"facet.field": ["tags", "organization"]},
        )  # fmt: skip

    @pytest.mark.parametrize("user", [None, "member-b"])
    def test_private_dataset_hidden_from_outsiders_in_results_and_counts(self, private_setup, user):
        result = self._search(user)
        assert names(result) == ["public-a"]
        assert result["count"] == 1
        assert result["facets"]["tags"] == {"rahasia": 1}

    def test_private_dataset_visible_to_its_organisation(self, private_setup):
        result = self._search("member-a")
        assert names(result) == ["private-a", "public-a"]
        assert result["facets"]["tags"] == {"rahasia": 2}

    def test_private_dataset_hidden_without_include_private(self, private_setup):
        context = {"user": "member-a", "ignore_auth": False}
        assert names(helpers.call_action("package_search", context=context)) == ["public-a"]

    def test_drafts_are_not_listed(self):
        dataset(name="draft", state="draft")
        dataset(name="active")
        assert search_names() == ["active"]


class TestIndexing:
    def test_update_is_reflected_at_once(self):
        created = dataset(title="Nama lama")
        helpers.call_action("package_patch", id=created["id"], title="Judul baru")
        assert search_names(q="judul") == [created["name"]]
        assert search_names(q="lama") == []

    def test_deleted_dataset_leaves_the_index(self):
        created = dataset(title="Sementara")
        helpers.call_action("package_delete", id=created["id"])
        assert search_names(q="sementara") == []

    def test_index_write_rolls_back_with_the_dataset_transaction(self):
        created = dataset(title="Tetap")
        doc = helpers.call_action("package_show", id=created["id"])
        doc["title"] = "Batal"
        index_package(doc)
        model.Session.rollback()
        assert search_names(q="batal") == []
        assert search_names(q="tetap") == [created["name"]]

    def test_own_uncommitted_index_writes_are_seen_by_the_same_transaction(self):
        # Solr shows a write at once; CKAN indexes and then searches before any commit
        # (ckan/tests/lib/search/test_index.py). A rollback still undoes the write.
        created = dataset(title="Tetap")
        doc = helpers.call_action("package_show", id=created["id"])
        doc["title"] = "Batal"
        index_package(doc)
        assert search_names(q="batal") == [created["name"]]
        assert search.show(created["id"])["title"] == "Batal"
        model.Session.rollback()
        assert search_names(q="batal") == []
        assert search.show(created["id"])["title"] == "Tetap"

    def test_uncommitted_index_writes_are_invisible_to_other_transactions(self):
        created = dataset(title="Tetap")
        doc = helpers.call_action("package_show", id=created["id"])
        doc["title"] = "Batal"
        index_package(doc)
        seen: dict[str, int] = {}

        def search_from_another_thread() -> None:  # its own scoped session and transaction
            seen["count"] = search.query_for(model.Package).run({"q": "title:batal"})["count"]
            model.Session.remove()

        other = threading.Thread(target=search_from_another_thread)
        other.start()
        other.join()
        assert seen == {"count": 0}
        model.Session.commit()
        assert search_names(q="batal") == [created["name"]]

    def test_counts_seen_inside_a_transaction_never_reach_the_cache(self):
        # Cached counts are keyed by the index generation. An uncommitted write bumps it
        # too; once rolled back, the next committed write reuses that generation number.
        params = {"facet.field": ["tags"]}
        doc = helpers.call_action("package_show", id=dataset(tags=[{"name": "air"}])["id"])
        index_package(dict(doc, tags=[{"name": "hutan"}]))
        assert helpers.call_action("package_search", **params)["facets"]["tags"] == {"hutan": 1}
        model.Session.rollback()
        index_package(dict(doc, tags=[{"name": "laut"}]))
        model.Session.commit()
        assert helpers.call_action("package_search", **params)["facets"]["tags"] == {"laut": 1}

    def test_cache_is_not_fooled_by_a_generation_counter_that_goes_back(self):
        # A re-created table (tests/test_plugin.py downgrades and upgrades the migrations)
        # or a restored backup counts again from an older value, while Redis still holds
        # counts cached under those numbers for another index.
        params = {"facet.field": ["tags"]}
        doc = helpers.call_action("package_show", id=dataset(tags=[{"name": "air"}])["id"])
        with model.meta.engine.begin() as conn:
            start = conn.exec_driver_sql(f"SELECT value FROM {store.GENERATION}").scalar()
        index_package(dict(doc, tags=[{"name": "hutan"}]))
        model.Session.commit()
        assert helpers.call_action("package_search", **params)["facets"]["tags"] == {"hutan": 1}
        with model.meta.engine.begin() as conn:
            conn.exec_driver_sql(f"UPDATE {store.GENERATION} SET value = %(value)s", {"value": start})
        index_package(dict(doc, tags=[{"name": "laut"}]))
        model.Session.commit()
        assert helpers.call_action("package_search", **params)["facets"]["tags"] == {"laut": 1}

    def test_searches_price_text_tests_and_run_without_parallel_workers(self):
        # store.PLANNER: in the search's own snapshot and in a read inside the caller's
        # transaction, and gone from the caller's transaction afterwards.
        def settings(conn) -> tuple:
            return tuple(
                conn.exec_driver_sql(f"SHOW {name}").scalar()
                for name in ("cpu_operator_cost", "max_parallel_workers_per_gather")
            )

        with store.snapshot(1000) as conn:
            assert settings(conn) == ("0.01", "0")
        caller = model.Session.connection()
        before = settings(caller)
        with store.savepoint_snapshot(caller, 1000) as conn:
            assert settings(conn) == ("0.01", "0")
        assert settings(caller) == before != ("0.01", "0")

    def test_a_snapshot_is_repeatable_read_and_leaves_its_connection_as_it_found_it(self):
        """Read-only repeatable read, without setting the isolation level on the pooled
        connection: psycopg2 would then send 'SET default_transaction_isolation TO DEFAULT'
        after every pool ping of it (a round trip more per checkout, for every later user)."""
        model.meta.engine.dispose()  # a new connection: psycopg2's level not set by anyone yet
        with store.snapshot(1000) as conn:
            dbapi = conn.connection.dbapi_connection
            setting = conn.exec_driver_sql("SELECT current_setting('transaction_isolation'), "
                                           "current_setting('transaction_read_only')").one()  # fmt: skip
            assert tuple(setting) == ("repeatable read", "on")
        assert dbapi.isolation_level is None  # psycopg2's default: BEGIN alone, no SET after a ping
        cursor = dbapi.cursor()  # its next transaction is the server's default again
        cursor.execute("SHOW transaction_isolation")
        assert cursor.fetchone() == ("read committed",)
        dbapi.rollback()

    def test_failed_read_inside_a_transaction_leaves_it_usable(self):
        created = dataset(title="Tetap")
        doc = helpers.call_action("package_show", id=created["id"])
        doc["title"] = "Batal"
        index_package(doc)
        with pytest.raises(sa.exc.DataError):
            with store.savepoint_snapshot(model.Session.connection(), 1000) as conn:
                conn.exec_driver_sql("SELECT 1 / 0")
        assert search_names(q="batal") == [created["name"]]

    def test_write_outside_any_transaction_is_committed_at_once(self, cli):
        # `ckan search-index clear <id>` deletes outside any transaction and never
        # commits: the delete must not wait for a commit that never comes.
        created = dataset(title="Dihapus")
        model.Session.remove()  # a fresh `ckan` process
        result = cli.invoke(ckan, ["search-index", "clear", created["id"]])
        assert result.exit_code == 0, result.output
        model.Session.rollback()  # what that process's end does to an open transaction
        assert search_names(q="dihapus") == []

    def test_batched_writes_are_written_on_leaving_and_seen_by_a_search_inside(self):
        held = dataset(name="held")
        other = dataset(name="other")
        search.clear_all()
        with connection.batched_writes():
            index_package(held)
            assert search_names() == ["held"]
            index_package(other)
        assert sorted(search_names()) == ["held", "other"]

    def test_batched_writes_of_a_failed_block_are_dropped(self):
        created = dataset(name="held")
        search.clear_all()
        with pytest.raises(RuntimeError), connection.batched_writes():
            index_package(created)
            raise RuntimeError("package_show failed")
        assert search_names() == []

    def test_package_show_cache_reads_the_index(self):
        created = dataset(title="Dari indeks")
        stored = search.show(created["id"])
        assert stored["name"] == created["name"]
        assert stored["metadata_modified"].endswith("Z")

    def test_clear_all_empties_the_index(self):
        dataset()
        search.clear_all()
        assert helpers.call_action("package_search")["count"] == 0

    def test_rebuild_restores_the_index(self):
        created = dataset(title="Dibangun ulang")
        search.clear_all()
        search.rebuild()
        assert search_names(q="dibangun") == [created["name"]]


class TestPages:
    def test_dataset_search_page_shows_results_and_facets(self, app):
        org = factories.Organization(title="Dinas Kesehatan")
        dataset(title="Data Puskesmas", owner_org=org["id"], tags=[{"name": "kesehatan"}])
        body = app.get("/dataset/?q=puskesmas").body
        assert "Data Puskesmas" in body
        assert "Dinas Kesehatan" in body
        assert "kesehatan" in body

    def test_search_syntax_error_is_a_message_not_a_500(self, app):
        response = app.get("/dataset/?q=--included")
        assert response.status_code == 200
        assert "error" in response.body.lower() or "kesalahan" in response.body.lower()

    def test_organization_page_counts_its_datasets(self, app):
        org = factories.Organization(name="dinas-pu", title="Dinas PU")
        dataset(owner_org=org["id"], title="Jalan kota")
        assert "Jalan kota" in app.get("/organization/dinas-pu").body
        org_dict = helpers.call_action("organization_show", id="dinas-pu")
        assert org_dict["package_count"] == 1

    def test_bad_sort_is_a_400_in_the_api(self, app):
        response = app.get("/api/3/action/package_search?sort=gvgyr_fgevat+nfp", status=400)
        assert "sort" in response.body


class TestConfiguration:
    # The options are declared by plugin `layananpublik` (config_declaration.yaml). With
    # only `layananpublik_search` enabled (tests/ckan-core.ini), CKAN neither fills in
    # their defaults nor converts their types: config.get() returns None or the ini string.
    # (Patched in the test body: a ckan_config mark would be validated by with_plugins.)
    OPTIONS = ("languages", "statement_timeout", "facet_cache_ttl")

    def test_missing_options_take_their_declared_defaults(self, monkeypatch):
        for option in self.OPTIONS:
            monkeypatch.delitem(config, f"ckanext.layananpublik.search.{option}")
        dataset(name="apbd", title="Penganggaran daerah 2026")
        assert search_names(q="anggaran") == ["apbd"]  # default languages: indonesian english

    def test_undeclared_options_given_as_ini_strings_are_parsed(self, monkeypatch):
        values = {"languages": "english", "statement_timeout": "20000", "facet_cache_ttl": "0"}
        for option, value in values.items():
            monkeypatch.setitem(config, f"ckanext.layananpublik.search.{option}", value)
        dataset(name="apbd", title="Penganggaran daerah 2026")
        dataset(name="budget", title="Budget summary")
        assert search_names(q="budgets") == ["budget"]
        assert search_names(q="anggaran") == []  # not stemmed as Indonesian


class TestIndexMigrations:
    def test_facet_column_migration_fills_existing_rows_as_the_indexer_does(self, migrate_db_for):
        created = dataset(tags=[{"name": "air"}], extras=[{"key": "frequency", "value": "weekly"}])
        row_sql = "SELECT sdoc, facet_values FROM layananpublik_search.package_doc WHERE id = %(id)s"
        with model.meta.engine.begin() as conn:
            written = conn.exec_driver_sql(row_sql, {"id": created["id"]}).one()
        try:
            migrate_db_for("layananpublik_search", "4c7e2a9f1b30", forward=False)
        finally:
            migrate_db_for("layananpublik_search")
        with model.meta.engine.begin() as conn:
            refilled = conn.exec_driver_sql(row_sql, {"id": created["id"]}).one().facet_values
        assert sorted(refilled) == sorted(written.facet_values) == sorted(document.facet_values(written.sdoc))
        assert "frequency\x1fweekly" in refilled

    def test_summary_migration_counts_existing_rows_and_downgrades(self, migrate_db_for):
        dataset(tags=[{"name": "air"}])
        dataset(tags=[{"name": "air"}, {"name": "laut"}])
        params = {"facet.field": ["tags"], "fq": "+state:active"}
        before = helpers.call_action("package_search", **params)["facets"]
        exists = "SELECT to_regclass(%(t)s) IS NOT NULL"
        try:
            migrate_db_for("layananpublik_search", "b81f4d2e6a07", forward=False)
            with model.meta.engine.begin() as conn:
                assert not conn.exec_driver_sql(exists, {"t": store.SUMMARY_GROUPS}).scalar()
        finally:
            migrate_db_for("layananpublik_search")
        assert (
            before
            == helpers.call_action("package_search", **params)["facets"]
            == {"tags": {"air": 2, "laut": 1}}
        )

    def test_facets_on_columns_and_text_fields_still_count(self):
        dataset(name="satu", title="Air bersih")
        dataset(name="dua", title="Air bersih")
        result = helpers.call_action("package_search", **{"facet.field": ["name", "title", "tags"]})
        assert result["facets"]["name"] == {"dua": 1, "satu": 1}
        assert result["facets"]["title"] == {"Air bersih": 2}


class TestHostileInput:
    def test_field_names_in_fl_never_reach_sql_text(self):
        created = dataset(name="aman")
        result = helpers.call_action("package_search", fl="name,x' , 42 as injected --")
        assert result["results"] == [{"name": created["name"]}]

    def test_date_math_out_of_range_is_a_search_error(self, app):
        dataset()
        with pytest.raises(search.SearchError):
            helpers.call_action("package_search", fq="metadata_modified:[NOW+9999YEARS TO *]")
        app.get("/api/3/action/package_search?fq=metadata_modified:[NOW%2B9999YEARS%20TO%20*]", status=409)


class TestConcurrentWriters:
    def test_two_transactions_indexing_the_same_datasets_in_opposite_order_do_not_deadlock(self):
        first, second = dataset(name="urutan-a"), dataset(name="urutan-b")
        docs = {d["name"]: dict(search.show(d["id"])) for d in (first, second)}
        errors: list[BaseException] = []
        first_written = threading.Event()

        def write(order: list[str], leader: bool) -> None:
            try:
                if not leader:
                    first_written.wait(10)  # start while the leader holds its first write
                with model.meta.engine.begin() as conn:
                    for i, name in enumerate(order):
                        store.upsert(conn, [docs[name]], ["indonesian"])
                        if leader and i == 0:
                            first_written.set()
                            time.sleep(0.5)  # let the other transaction take what locks it can
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [
            threading.Thread(target=write, args=(["urutan-a", "urutan-b"], True)),
            threading.Thread(target=write, args=(["urutan-b", "urutan-a"], False)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert errors == []
        assert search_names(sort="name asc") == ["urutan-a", "urutan-b"]
