"""Fixtures of the front-door tests: a public body with datasets in each DIP category, a
private one, a filled-in PPID profile, and requests in its register."""

from __future__ import annotations

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

PROFILE = """\
## PPID

### Kontak
- Alamat: Jl. Merdeka No. 1, Kota Contoh
- Telepon: (021) 555 0101

### Jam layanan
Senin–Jumat 08.00–16.00 WIB.
"""


def request_data(org: str, **overrides) -> dict:
    data = {
        "organization_id": org, "requester_type": "individual", "name": "Siti Rahmawati",
        "nik": "3171015507900003", "address": "Jl. Merdeka No. 10, Kota Contoh", "phone": "0812 3456 7890",
        "email": "siti@example.com", "occupation": "Wiraswasta",
        "information_requested": "Rincian realisasi anggaran perbaikan jalan tahun 2025",
        "purpose": "Bahan kajian warga", "obtain_method": "softcopy", "delivery_method": "email",
    }  # fmt: skip
    return {**data, **overrides}


def submit(org: str) -> dict:
    return call_action("layananpublik_request_create", context={"user": "", "ignore_auth": False},
                       **request_data(org))  # fmt: skip


def dataset(org: dict, name: str, category: str | None = None, **fields) -> dict:
    if category:
        fields["information_category"] = category
        if category == "berkala":
            fields["berkala_items"] = "d"
    return factories.Dataset(owner_org=org["id"], name=name, title=name.replace("-", " ").title(), **fields)


@pytest.fixture
def body(clean_db, clean_index, clean_redis, with_plugins):
    org = factories.Organization(name="diskominfo", title="Dinas Komunikasi dan Informatika")
    dataset(org, "anggaran-2026", "berkala")
    dataset(org, "laporan-keuangan", "berkala")
    dataset(org, "peringatan-banjir", "serta_merta")
    dataset(org, "penduduk", "setiap_saat")
    dataset(org, "rahasia-internal", private=True)
    return org


@pytest.fixture
def other_body(body):
    org = factories.Organization(name="dinkes", title="Dinas Kesehatan")
    dataset(org, "faskes", "setiap_saat")
    return org


@pytest.fixture
def profile(body):
    call_action("layananpublik_page_update", slug="profil-ppid", organization_id=body["id"], language="id",
                title="Profil PPID", body=PROFILE, format="markdown")  # fmt: skip
    return body
