"""Fixtures of the DIP tests: a public body with its admin, and DIP-ready dataset data."""

from __future__ import annotations

import pytest
from ckan.tests import factories

# body and other_body come from tests/cases/factories.py (through tests/conftest.py).


@pytest.fixture
def body_admin(body):
    user = factories.User()
    from ckan.tests.helpers import call_action

    call_action("member_create", id=body["id"], object=user["id"], object_type="user", capacity="admin")
    return user


def dip_dataset(org: dict, **fields) -> dict:
    data = {
        "owner_org": org["id"],
        "information_category": "berkala",
        "berkala_items": ["b", "c"],
        "holding_unit": "Bidang Statistik",
        "responsible_officer": "Kepala Bidang Statistik",
        "made_time_place": "Januari 2026, Kota Contoh",
        "forms": ["softcopy"],
        "retention_period": "5 tahun",
    }
    data.update(fields)
    return factories.Dataset(**data)


def exempt_record(org: dict, **fields) -> dict:
    data = {
        "organization_id": org["id"],
        "information_type": "Berkas penyidikan pelanggaran perizinan",
        "grounds": ["a"],
        "exemption_period": "5 tahun",
        "exempt_until": "2030-12-31",
        "deciding_officer": "PPID Utama",
        "reasons": "Menghambat proses penegakan hukum",
        "consequence": "Tersangka dapat menghilangkan barang bukti",
        "public_interest": "Kepentingan penegakan hukum lebih besar",
        "decided_place": "Kota Contoh",
        "decided_date": "2026-01-15",
    }
    data.update(fields)
    return data
