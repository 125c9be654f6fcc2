"""Fixtures of the social tests: the fake platforms, a body, channels and datasets."""

from __future__ import annotations

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.social.fakes import TOKENS, FakePlatforms, settings_for

PLATFORMS = ("mastodon", "telegram", "facebook", "x", "webhook")


@pytest.fixture
def fake():
    server = FakePlatforms()
    yield server
    server.close()


@pytest.fixture
def body(clean_db, with_plugins):
    return factories.Organization(name="diskominfo", title="Dinas Komunikasi dan Informatika")


def make_channel(fake: FakePlatforms, platform: str, org: dict | None = None, **fields) -> dict:
    data = {
        "title": f"Akun {platform}",
        "platform": platform,
        "settings": settings_for(platform, fake.url),
        "secret": TOKENS[platform],
        **fields,
    }
    if org is not None:
        data["organization_id"] = org["id"]
    return call_action("layananpublik_social_channel_create", context={"ignore_auth": True}, **data)


def public_dataset(org: dict, **fields) -> dict:
    data = {
        "owner_org": org["id"],
        "title": "Realisasi Anggaran 2025",
        "notes": "Rincian **realisasi** anggaran per dinas, per bulan, tahun 2025.",
        "tags": [{"name": "anggaran"}, {"name": "keuangan daerah"}],
        "resources": [{"url": "https://example.go.id/anggaran.csv", "format": "CSV"}],
        **fields,
    }
    return factories.Dataset(**data)
