"""How a CKAN search document becomes an index row (search/document.py)."""

from __future__ import annotations

import pytest

from ckanext.layananpublik.search import document

SITE = ["indonesian", "english"]


@pytest.mark.parametrize(
    ("title", "notes", "expected"),
    [
        (
            "Jumlah penduduk",
            "Data jumlah penduduk yang tercatat di setiap kecamatan dan kelurahan",
            ["indonesian"],
        ),
        ("Population", "Number of residents in each district of the city, by year and by sex", ["english"]),
        ("APBD 2026", "", SITE),  # too little text to tell: stem with both
        ("Data of the kota", "data yang and the dan", SITE),  # mixed: both
    ],
)
def test_stemming_language_is_detected_from_title_and_notes(title, notes, expected):
    assert document.languages_for({"title": title, "notes": notes}, SITE) == expected


def test_declared_language_wins_over_detection():
    doc = {"title": "The budget of the city", "notes": "and the and the", "extras_language": "id"}
    assert document.languages_for(doc, SITE) == ["indonesian"]


def test_detected_language_outside_the_site_languages_is_not_used():
    doc = {"title": "Population", "notes": "of the residents in the city and the district"}
    assert document.languages_for(doc, ["indonesian"]) == ["indonesian"]


def test_facet_values_hold_short_exact_values_only():
    sdoc = {
        "tags": ["air", "alam"],
        "organization": ["dinas-a"],
        "notes": ["text fields are analysed, not faceted"],
        "id": ["unique-per-dataset"],
        "extras_frequency": ["weekly"],
        "frequency": ["weekly"],
        "long": ["x" * 201],
    }
    assert sorted(document.facet_values(sdoc)) == [
        "frequency\x1fweekly",
        "organization\x1fdinas-a",
        "tags\x1fair",
        "tags\x1falam",
    ]


def test_dates_are_stored_as_solr_returns_them():
    assert document.solr_date("2014-06-10T08:24:12.782123") == "2014-06-10T08:24:12.782Z"
    assert document.solr_date("2014-06-10T08:24:12") == "2014-06-10T08:24:12Z"
    assert document.solr_date("2019-10-10T08:15:00+07:00") == "2019-10-10T01:15:00Z"
    assert document.solr_date("not a date") is None
