"""Post texts: templates per event and language, hashtags from tags, platform limits."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.plugins import toolkit as tk

from ckanext.layananpublik.social import texts
from ckanext.layananpublik.social.model import SocialPost
from tests.social.conftest import make_channel, public_dataset

pytestmark = pytest.mark.usefixtures("clean_redis")


def text_of(channel_id: str) -> str:
    return model.Session.query(SocialPost).filter_by(channel_id=channel_id).one().text


def test_indonesian_is_the_default_and_english_is_available(body, fake):
    indonesian = make_channel(fake, "telegram", body)
    english = make_channel(fake, "webhook", body, language="en")
    dataset = public_dataset(body)
    url = f"http://test.ckan.net/dataset/{dataset['name']}"
    assert text_of(indonesian["id"]) == (
        "Dataset baru dari Dinas Komunikasi dan Informatika: Realisasi Anggaran 2025\n"
        "Rincian realisasi anggaran per dinas, per bulan, tahun 2025.\n"
        f"{url}\n#Anggaran #KeuanganDaerah"
    )
    assert text_of(english["id"]).startswith("New dataset from Dinas Komunikasi dan Informatika: Realisasi")


def dataset_in_category(org: dict, category: str) -> dict:
    """The category is an extra until issue 9 makes it a schema field (then an extra of
    that name is refused and the field is used)."""
    try:
        return public_dataset(org, extras=[{"key": "information_category", "value": category}])
    except tk.ValidationError:
        return public_dataset(org, information_category=category)


def test_serta_merta_information_gets_the_urgent_template(body, fake):
    channel = make_channel(fake, "telegram", body)
    dataset_in_category(body, "serta_merta")
    assert text_of(channel["id"]).startswith("PENGUMUMAN SERTA MERTA — Dinas Komunikasi")


def test_exempt_information_is_never_eligible(body):
    from ckanext.layananpublik.social import eligibility

    pkg = model.Package.get(public_dataset(body)["id"])
    assert eligibility.ineligible_reason(pkg) is None
    pkg.extras["information_category"] = (
        "dikecualikan"  # not saved: the dataset schema refuses it when public
    )
    # A code for the outbox; the reason in the reader's language for the pages (test_views).
    assert eligibility.ineligibility(pkg) == ("exempt", {})
    assert eligibility.ineligible_reason(pkg)
    model.Session.rollback()


@pytest.mark.parametrize(("platform", "limit"), [("x", 280), ("mastodon", 500)])
def test_long_texts_fit_the_platform_and_keep_the_link(body, fake, platform, limit):
    from ckanext.layananpublik.social import adapters

    channel = make_channel(fake, platform, body)
    dataset = public_dataset(
        body,
        notes="Kalimat panjang tentang anggaran daerah. " * 40,
        tags=[{"name": f"tag{i}"} for i in range(9)],
    )
    text = text_of(channel["id"])
    adapter = adapters.get(platform)({"instance_url": fake.url}, "x")
    assert adapter.text_length(text) <= limit
    assert f"/dataset/{dataset['name']}" in text
    assert "…" in text


def test_hashtags_are_camel_cased_and_deduplicated(ckan_config, monkeypatch):
    monkeypatch.setitem(
        ckan_config, "ckanext.layananpublik.social.extra_hashtags", ["#DataTerbuka", "anggaran"]
    )
    assert texts.hashtags(["anggaran", "keuangan daerah", "APBD-2025", "2025"], 5) == [
        "#Anggaran", "#KeuanganDaerah", "#APBD2025", "#DataTerbuka",
    ]  # fmt: skip


def test_markdown_is_flattened_for_the_summary():
    assert texts.plain_summary("# Judul\n\n**Tebal** dan [tautan](https://x.id)") == "Judul Tebal dan tautan"


def test_the_english_update_text_says_file_or_files():
    values = {"organization": "Diskominfo", "title": "Anggaran", "summary": "", "url": "https://x.id/d"}
    assert "now has 1 file.\n" in texts.render("updated", "en", {**values, "resource_count": 1})
    assert "now has 3 files.\n" in texts.render("updated", "en", {**values, "resource_count": 3})
    assert "kini memiliki 1 berkas." in texts.render("updated", "id", {**values, "resource_count": 1})
