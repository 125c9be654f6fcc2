"""The feed actions (also the API: /api/3/action/layananpublik_feed_show), and the
search backend's handling of the information-category extra they filter on."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests.helpers import call_action

from tests.feeds.conftest import HIDDEN, dataset, entry_links, parsed, translated

ANONYMOUS = {"user": "", "ignore_auth": False}


def show(**data) -> dict:
    return call_action("layananpublik_feed_show", context=dict(ANONYMOUS), **data)


def stamp(**data) -> dict:
    return call_action("layananpublik_feed_stamp", context=dict(ANONYMOUS), **data)


def titles(feed: dict) -> list[str]:
    return [e["title"] for e in feed["entries"]]


@pytest.mark.usefixtures("with_request_context")
def test_feed_show_returns_one_page_with_paging_links(catalogue):
    feed = show(feed="dataset", limit=2)
    assert titles(feed) == ["Peringatan Banjir", "Jumlah Penduduk"]
    assert (feed["count"], feed["page"], feed["pages"], feed["page_size"]) == (3, 1, 2, 2)
    assert feed["links"]["next"] == "http://test.ckan.net/umpan/dataset.atom?limit=2&page=2"
    assert feed["links"]["previous"] is None
    assert feed["language"] == "id"


@pytest.mark.usefixtures("with_request_context")
def test_information_category_extra_is_filtered_exactly_by_the_search_backend(catalogue):
    """The DIP field is kept as an extra; CKAN indexes an extra under its own name (an exact
    string) and as extras_<key> (analysed text); the PostgreSQL search supports both."""
    search = tk.get_action("package_search")
    exact = search(dict(ANONYMOUS), {"fq": 'information_category:"serta_merta"'})
    assert [p["name"] for p in exact["results"]] == ["banjir"]
    text = search(dict(ANONYMOUS), {"fq": "extras_information_category:berkala"})
    assert [p["name"] for p in text["results"]] == ["anggaran-2025"]
    excluded = search(dict(ANONYMOUS), {"fq": '-information_category:"dikecualikan"', "rows": 100})
    assert "dikecualikan-uji" not in {p["name"] for p in excluded["results"]}
    assert excluded["count"] == 3


@pytest.mark.usefixtures("with_request_context")
@pytest.mark.parametrize("value", ["berkala", "serta-merta", "setiap-saat", "serta_merta"])
def test_category_feed_accepts_slug_or_value(catalogue, value):
    assert len(show(feed="category", id=value)["entries"]) == 1


@pytest.mark.usefixtures("with_request_context")
def test_exempt_datasets_are_in_no_feed(catalogue):
    for data in ({"feed": "dataset"}, {"feed": "tag", "id": "anggaran"}, {"feed": "group", "id": "kesehatan"},
                 {"feed": "search", "q": "Dikecualikan"},
                 {"feed": "search", "filters": [["information_category", "dikecualikan"]]}):  # fmt: skip
        found = {e["url"].rsplit("/", 1)[-1] for e in show(**data, limit=100)["entries"]}
        assert not found & set(HIDDEN), data
    with pytest.raises(tk.ObjectNotFound):
        show(feed="category", id="dikecualikan")


@pytest.mark.usefixtures("with_request_context")
def test_stamp_reads_count_and_newest_and_changes_with_the_data(catalogue):
    first = stamp(feed="dataset")
    assert (first["count"], first["pages"]) == (3, 1)
    shown = call_action("package_show", id="banjir")
    assert first["newest"][:19] == shown["metadata_modified"][:19]
    assert stamp(feed="dataset")["validator"] == first["validator"]
    call_action("package_patch", id="penduduk", title="Jumlah Penduduk 2026")
    assert stamp(feed="dataset")["validator"] != first["validator"]
    assert stamp(feed="dataset", format="rss")["key"] != first["key"]


@pytest.mark.usefixtures("with_request_context")
def test_search_feed_passes_filters_and_extras(catalogue):
    feed = show(feed="search", q="anggaran", filters=[["res_format", "CSV"]], extras={"ext_unused": "1"})
    assert titles(feed) == ["Anggaran Daerah 2025"]
    assert feed["home_page_url"] == "http://test.ckan.net/dataset/?q=anggaran&res_format=CSV&ext_unused=1"


def test_filters_may_come_as_json_through_get(app, catalogue):
    response = app.get(
        "/api/3/action/layananpublik_feed_show",
        query_string={"feed": "search", "filters": '[["tags", "bencana"]]'},
    )
    assert response.status_code == 200
    assert [e["title"] for e in response.json["result"]["entries"]] == ["Peringatan Banjir"]


@pytest.mark.usefixtures("with_request_context")
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"feed": "everything"}, "feed"),
        ({"feed": "dataset", "page": 0}, "page"),
        ({"feed": "dataset", "page": 2}, "page"),
        ({"feed": "dataset", "limit": 1000}, "limit"),
        ({"feed": "dataset", "format": "xml"}, "format"),
        ({"feed": "dataset", "sort": "score desc"}, "sort"),
        ({"feed": "search", "filters": [["tags anggaran", "x"]]}, "filters"),
        ({"feed": "search", "filters": "not json"}, "filters"),
        ({"feed": "search", "q": "title:("}, "q"),
    ],
)
def test_bad_parameters_are_validation_errors(catalogue, data, field):
    with pytest.raises(tk.ValidationError) as exc:
        show(**data)
    assert field in exc.value.error_dict, exc.value.error_dict


@pytest.mark.usefixtures("with_request_context")
def test_dataset_without_organisation_or_notes_still_makes_an_entry(body):
    dataset(body, name="tanpa-catatan", title="", notes=None, resources=[{"url": "", "format": "CSV"},
            {"url": "https://data.example.go.id/unduh?id=7", "format": "CSV"}])  # fmt: skip
    (entry,) = show(feed="dataset")["entries"]
    assert entry["title"] == "tanpa-catatan"
    assert entry["enclosures"] == [
        {"url": "https://data.example.go.id/unduh?id=7", "mime_type": "text/csv",
         "length": 0, "title": "CSV"}
    ]  # fmt: skip


def test_a_feed_named_by_configuration_follows_the_site_title_the_language_and_the_page_size(
    app, catalogue, ckan_config, monkeypatch
):
    """Kept per process (actions.CONFIG_ONLY), the feed's data and title are never those of
    another site title, language or page size."""
    first = parsed(app, "/umpan/dataset.atom")
    monkeypatch.setitem(ckan_config, "ckan.site_title", "Portal Data Kota Uji")
    renamed = parsed(app, "/umpan/dataset.atom")
    assert "Portal Data Kota Uji" in renamed.feed.title and renamed.feed.title != first.feed.title
    english = parsed(app, "/en/umpan/dataset.atom")
    assert english.feed.title == "Portal Data Kota Uji: new and updated datasets"
    assert renamed.feed.title == translated(app, "{site}: new and updated datasets").format(
        site="Portal Data Kota Uji"
    )
    assert len(renamed.entries) == 3
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.feeds.page_size", 2)
    assert len(parsed(app, "/umpan/dataset.atom").entries) == 2


def test_addresses_kept_per_process_follow_the_language_and_the_site_url(
    app, catalogue, ckan_config, monkeypatch
):
    """entries.external_url keeps url_for's answers under the language and the site's address."""
    assert "http://test.ckan.net/dataset/banjir" in entry_links(app, "/umpan/dataset.atom")
    assert "http://test.ckan.net/en/dataset/banjir" in entry_links(app, "/en/umpan/dataset.atom")
    monkeypatch.setitem(ckan_config, "ckan.site_url", "https://data.kota-uji.go.id")
    assert "https://data.kota-uji.go.id/dataset/banjir" in entry_links(app, "/umpan/dataset.atom")
    feed = parsed(app, "/en/umpan/dataset.atom", query_string={"limit": "1"})
    assert feed.feed.links and all(link.href.startswith("https://data.kota-uji.go.id/en/") for link in feed.feed.links
                                    if link.rel != "alternate")  # fmt: skip
