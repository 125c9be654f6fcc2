"""Numbers, money and dates in the reader's language on core's pages and ours (issue 17):
"1.235 kumpulan data", "1,4 MiB", "Rp 1.500.000", "80,56", "5 Desember 2026, 18:24" on the
Indonesian site; "1,235 datasets", "1.4 MiB", "IDR 1,500,000", "80.56", "December 5, 2026,
18:24" on /en/. Each figure is made for real: more than a thousand datasets in the database and
the search index, a resource of 1.5 MB, a decision with a fee of 1,500,000 rupiah, two survey
responses."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from babel.dates import format_date
from babel.numbers import format_decimal
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.layananpublik.search import cli as search_cli
from tests.cases.factories import as_user, decide
from tests.pages import Browser, page_text
from tests.survey.conftest import answer, decided_request

pytestmark = pytest.mark.ckan_config("ckanext.layananpublik.survey.min_responses", 2)

BULK = 1230  # with the body's own public datasets, more than a thousand
SIZE = 1536000  # bytes: 1.4 MiB (CKAN rounds down to a tenth)


@pytest.fixture
def datasets(body, reset_index):
    """A thousand-odd public datasets of the body, in a group, and a dataset with a 1.5 MB
    resource."""
    group = factories.Group(name="keuangan", title="Keuangan")
    # The datasets as rows, as a bulk load leaves them, then indexed by the extension's
    # rebuild (package_show's dicts and CKAN's own indexer): database and index agree.
    ids = [str(uuid.uuid4()) for _ in range(BULK)]
    for i, id_ in enumerate(ids):
        model.Session.add(model.Package(id=id_, name=f"data-{i:04d}", title=f"Data {i}", type="dataset",
                                        owner_org=body["id"], state="active", private=False))  # fmt: skip
    model.Session.commit()
    in_group = model.Group.get(group["id"])
    for id_ in ids:
        model.Session.add(model.Member(group=in_group, table_id=id_, table_name="package"))
    model.Session.commit()
    search_cli.rebuild.callback(batch_size=500, clear=False, workers=1)
    sized = factories.Dataset(owner_org=body["id"], name="apbd-rinci", title="APBD rinci",
                              resources=[{"name": "APBD (CSV)", "url": "https://data.contoh.go.id/apbd.csv",
                                          "format": "CSV", "size": SIZE}])  # fmt: skip
    public = call_action("package_search", context=as_user(None), rows=0)["count"]
    in_group = call_action("package_search", context=as_user(None), rows=0, fq='groups:"keuangan"')["count"]
    yield {"public": public, "in_group": in_group, "dataset": sized}
    reset_index()


@pytest.fixture
def fee_and_survey(body, officer):
    """A request decided with a fee; two survey responses (index 80.56)."""
    request = call_action("layananpublik_request_create", context={"user": "", "ignore_auth": False},
                          **_request(body["id"]))  # fmt: skip
    decide(officer, request["id"], "granted_full", fee="1500000", fee_note="Biaya penggandaan dan pengiriman")
    answer(decided_request(body["id"], officer, 1), 4, 3, 2, 4, 3, 4, 4, 3, 3)
    answer(decided_request(body["id"], officer, 2), 3, 3, 3, 4, 3, 3, 4, 2, 3)
    return request


def _request(org_id: str) -> dict:
    from tests.portal.conftest import request_data

    return request_data(org_id, email="pemohon.biaya@example.com", phone="0812 7777 0001")


def _number(value, lang: str) -> str:
    return format_decimal(value, locale=lang)


def _text(browser: Browser, lang: str, path: str, selector: str | None = None) -> str:
    prefix = "" if lang == "id" else f"/{lang}"
    page = browser.page(prefix + path)
    part = page.select_one(selector) if selector else page
    assert part is not None, (path, selector)
    return page_text(part)


def test_core_pages_write_counts_sizes_and_dates_as_the_reader_s_language(app, datasets):
    for lang in ("id", "en"):
        _core_pages_in(app, datasets, lang)


def _core_pages_in(app, figures, lang: str) -> None:
    anonymous = Browser(app, None)
    public, in_group = figures["public"], figures["in_group"]
    assert public > 1000 and in_group == BULK, lang
    shown = _number(public, lang)
    assert shown != str(public)  # 1.235 / 1,235: the test can tell a localised number from a bare one

    search = _text(anonymous, lang, "/dataset/", ".search-form h1")
    assert shown in search and str(public) not in search
    body_item = _text(anonymous, lang, "/organization/", ".media-grid")
    assert shown in body_item and str(public) not in body_item
    body_page = _text(anonymous, lang, "/organization/diskominfo", ".search-form h1")
    assert shown in body_page and str(public) not in body_page
    group_item = _text(anonymous, lang, "/group/", ".media-grid")
    assert _number(in_group, lang) in group_item and str(in_group) not in group_item

    dataset, resource = figures["dataset"], figures["dataset"]["resources"][0]
    resource_page = _text(anonymous, lang, f"/dataset/{dataset['name']}/resource/{resource['id']}")
    assert {"id": "1,4 MiB", "en": "1.4 MiB"}[lang] in resource_page

    # The dataset's "Last updated" (a date with its time): the language's own order.
    modified = dt.datetime.fromisoformat(dataset["metadata_modified"])
    day = format_date(modified, "long", locale=lang)  # "5 Desember 2026" / "December 5, 2026"
    info = _text(anonymous, lang, f"/dataset/{dataset['name']}", ".additional-info")
    assert re.search(re.escape(day) + r", \d\d:\d\d \(UTC\)", info), info


@pytest.mark.parametrize("lang", ["id", "en"])
def test_our_pages_write_money_and_decimals_as_the_reader_s_language(app, fee_and_survey, officer, lang):
    notice = _text(Browser(app, officer), lang, f"/ppid/permohonan/{fee_and_survey['id']}/pemberitahuan",
                   "article.lp-notice")  # fmt: skip
    assert {"id": "Rp 1.500.000", "en": "IDR 1,500,000"}[lang] in notice

    stats = Browser(app, None)
    ikm = _text(stats, lang, "/permohonan/statistik", "#survey-ikm")
    assert {"id": "80,56", "en": "80.56"}[lang] in ikm
    unsur = _text(stats, lang, "/permohonan/statistik", "#survey-unsur")
    assert {"id": "3,50", "en": "3.50"}[lang] in unsur
