"""Dataset feeds read their page straight from the PostgreSQL search index (feeds/index.py):
the very datasets, count and dicts package_search gives an anonymous visitor, private,
draft and deleted datasets never among them."""

from __future__ import annotations

import pytest
from ckan.tests.helpers import call_action

from ckanext.layananpublik.feeds import index, sources
from tests.feeds.conftest import HIDDEN, entry_links, names

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
