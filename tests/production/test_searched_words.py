"""Frequent words kept from what people search (search/searched_words.py), on the
production-mode site (tests/production/conftest.py): visitors' searches answered by gunicorn's
web workers are counted after each response, and one of the site's `ckan jobs worker`
processes keeps the word once it has been searched slowly often enough."""

from __future__ import annotations

import uuid

import pytest
import requests
import sqlalchemy as sa

from tests.production.conftest import SEARCHED_WORDS_THRESHOLD, wait_until

pytestmark = pytest.mark.production
WORD = "anggaran"


def _kept(site) -> list[tuple[str, str]]:
    with site.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text("SELECT q, chosen_by FROM layananpublik_search.frequent_word"))]


def _search(site) -> requests.Response:
    response = requests.get(f"{site.base}/dataset/", params={"q": WORD}, timeout=60)
    assert response.status_code == 200, response.text[:500]
    return response


def test_a_word_visitors_search_slowly_is_kept_by_a_job_worker(site):
    site.wait_healthy()
    run = uuid.uuid4().hex[:8]
    # Every active dataset of the site has the word: each search of it matches them all.
    names = site.python(
        "import ckan.plugins.toolkit as tk;"
        "u = tk.get_action('get_site_user')({'ignore_auth': True}, {})['name'];"
        + "".join(
            f"print(tk.get_action('package_create')({{'user': u}}, {{'name': 'anggaran-{run}-{n}',"
            f" 'title': 'Anggaran belanja daerah {n}', 'owner_org': {site.organization_id!r}}})['name']);"
            for n in range(3)
        )
    ).split()[-3:]
    with site.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM layananpublik_search.frequent_word")
        conn.exec_driver_sql("DELETE FROM layananpublik_search.refused_word")
    token = site.sysadmin_token()
    before = _search(site).text
    assert all(name in before for name in names)

    for n in range(SEARCHED_WORDS_THRESHOLD):
        # A dataset changed between searches: the index state moves on, so each search is
        # answered by the database (slowly), not from the facet cache.
        patched = requests.post(
            f"{site.base}/api/3/action/package_patch",
            json={"id": names[n % 3], "notes": f"Rincian {run} {n}"},
            headers={"Authorization": token},
            timeout=60,
        )
        assert patched.status_code == 200, patched.text[:500]
        _search(site)

    assert wait_until(lambda: _kept(site) == [(WORD, "searches")], 120, "the word kept by a job worker")
    # Answered from its side tables now, with the same datasets.
    after = _search(site).text
    assert all(name in after for name in names)
