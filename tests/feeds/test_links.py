"""Which feed follows a dataset search page."""

from __future__ import annotations

import pytest

from ckanext.layananpublik.feeds import links


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], ("dataset", None, [])),
        ([("page", "3"), ("_tags_limit", "0")], ("dataset", None, [])),
        ([("tags", "anggaran")], ("tag", "anggaran", [])),
        ([("organization", "diskominfo")], ("organization", "diskominfo", [])),
        ([("groups", "kesehatan")], ("group", "kesehatan", [])),
        ([("information_category", "serta_merta")], ("category", "serta_merta", [])),
        (
            [("information_category", "dikecualikan")],
            ("search", None, [("information_category", "dikecualikan")]),
        ),
        ([("q", " jalan ")], ("search", None, [("q", "jalan")])),
        ([("tags", "a"), ("tags", "b")], ("search", None, [("tags", "a"), ("tags", "b")])),
        ([("sort", "metadata_created desc")], ("dataset", None, [("sort", "metadata_created desc")])),
        ([("sort", "score desc, metadata_modified desc")], ("dataset", None, [])),
    ],
)
def test_search_page_maps_to_the_simplest_feed(args, expected):
    assert links.search_feed(args) == expected
