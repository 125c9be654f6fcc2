"""A small Indonesian demo catalogue for `make run`, created through CKAN actions.

Every step checks what exists first, so running it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import ckan.plugins.toolkit as tk
from ckan import model

ORGANIZATION = {
    "name": "diskominfo-kota-contoh",
    "title": "Dinas Komunikasi dan Informatika Kota Contoh",
    "description": "Badan publik contoh: PPID Pelaksana Diskominfo Kota Contoh.",
    "extras": [{"key": "ppid_code", "value": "DISKOMINFO"}],
}

# Sample requests, so the register, inbox and statistics have something to show.
REQUESTS = [
    {
        "name": "Siti Rahmawati", "nik": "3171015507900003", "occupation": "Wiraswasta",
        "information_requested": "Rincian realisasi anggaran perbaikan jalan kota tahun 2025 per ruas jalan.",
        "purpose": "Bahan kajian forum warga tentang kualitas jalan.", "then": "decide",
    },
    {
        "name": "Budi Santoso", "nik": "3578012304850002", "occupation": "Jurnalis",
        "information_requested": "Daftar penerima hibah organisasi kemasyarakatan tahun 2026.",
        "purpose": "Bahan liputan.", "then": "process",
    },
    {
        "name": "Yayasan Cahaya Desa", "requester_type": "legal_entity", "nik": "",
        "entity_decree_number": "AHU-0012345.AH.01.04.2020", "occupation": "Lembaga swadaya masyarakat",
        "information_requested": "Jadwal dan lokasi posyandu di Kota Contoh.",
        "purpose": "Pendampingan ibu hamil.", "then": None,
    },
]  # fmt: skip

DATASETS = [
    {
        "name": "apbd-kota-contoh-2026",
        "title": "Anggaran Pendapatan dan Belanja Daerah (APBD) 2026",
        "notes": "Ringkasan penganggaran pendapatan dan belanja daerah Kota Contoh tahun 2026, "
        "per urusan dan organisasi perangkat daerah.",
        "tags": ["anggaran", "keuangan", "apbd"],
        "license_id": "cc-by",
        "information_category": "berkala",
        "berkala_items": "d",
        "holding_unit": "Bidang Anggaran",
        "responsible_officer": "Kepala Bidang Anggaran",
        "forms": "softcopy,hardcopy",
        "retention_period": "5 tahun",
        "resources": [
            {"name": "APBD 2026 (CSV)", "format": "CSV", "url": "https://data.example.go.id/apbd-2026.csv"}
        ],
    },
    {
        "name": "jumlah-penduduk-per-kecamatan",
        "title": "Jumlah Penduduk per Kecamatan",
        "notes": "Data kependudukan hasil pencatatan sipil, per kecamatan dan jenis kelamin.",
        "tags": ["kependudukan", "statistik"],
        "license_id": "cc-by",
        "information_category": "setiap_saat",
        "holding_unit": "Dinas Kependudukan dan Pencatatan Sipil",
        "forms": "softcopy",
        "resources": [
            {
                "name": "Penduduk 2025",
                "format": "XLSX",
                "url": "https://data.example.go.id/penduduk-2025.xlsx",
            }
        ],
    },
    {
        "name": "fasilitas-kesehatan",
        "title": "Daftar Fasilitas Kesehatan (Puskesmas dan Rumah Sakit)",
        "notes": "Lokasi dan jenis layanan puskesmas, klinik dan rumah sakit di Kota Contoh.",
        "tags": ["kesehatan", "fasilitas-publik"],
        "license_id": "odc-by",
        "information_category": "serta_merta",
        "holding_unit": "Dinas Kesehatan",
        "forms": "softcopy",
        "resources": [
            {
                "name": "Faskes (GeoJSON)",
                "format": "GeoJSON",
                "url": "https://data.example.go.id/faskes.geojson",
            }
        ],
    },
    {
        "name": "regional-budget-summary-english",
        "title": "Regional Budget Summary (English edition)",
        "notes": "Summary of the city's budgets and spending for international readers.",
        "tags": ["budget", "finance"],
        "license_id": "cc-by",
        "resources": [
            {
                "name": "Budget summary (PDF)",
                "format": "PDF",
                "url": "https://data.example.go.id/budget-summary.pdf",
            }
        ],
    },
]


def ensure_sysadmin(name: str, password: str, email: str) -> bool:
    """Create the sysadmin unless a user of that name exists. Returns True if created."""
    if model.User.get(name):
        return False
    tk.get_action("user_create")(
        {"ignore_auth": True},
        {"name": name, "email": email, "password": password, "fullname": "Administrator PPID"},
    )
    user = model.User.get(name)
    user.sysadmin = True
    model.Session.commit()
    return True


def _load_requests(context) -> Iterator[str]:
    register = tk.get_action("layananpublik_request_list")(
        context(), {"organization_id": ORGANIZATION["name"]}
    )
    if register["count"]:
        yield f"requests: {register['count']} already there"
        return
    for spec in REQUESTS:
        data = {
            "organization_id": ORGANIZATION["name"], "requester_type": "individual",
            "address": "Jl. Merdeka No. 1, Kota Contoh", "phone": "081234567890", "obtain_method": "softcopy",
            "delivery_method": "email", **{k: v for k, v in spec.items() if k != "then"},
        }  # fmt: skip
        created = tk.get_action("layananpublik_request_create")(context(), data)
        if spec["then"] == "process":
            tk.get_action("layananpublik_request_process")(context(), {"id": created["id"]})
        elif spec["then"] == "decide":
            tk.get_action("layananpublik_request_decide")(
                context(),
                {"id": created["id"], "outcome": "granted_part", "refusal_grounds": ["h"],
                 "information_given": "Rekapitulasi realisasi per ruas jalan (softcopy).",
                 "redactions": "Nama dan rekening penyedia perorangan dihitamkan (Pasal 17 huruf h).",
                 "release_format": "softcopy", "release_delivery": "email", "fee": "0",
                 "provide_by_date": (dt.date.today() + dt.timedelta(days=7)).isoformat(),
                 "consequence_test": "Membuka nama dan rekening penyedia perorangan merugikan hak pribadinya "
                                     "(Pasal 17 huruf h); rekap per ruas tetap memenuhi kepentingan publik."},
            )  # fmt: skip
            objection = tk.get_action("layananpublik_objection_create")(
                context(),
                {"request_id": created["id"], "grounds": ["a"],
                 "reason": "Nama penyedia adalah badan usaha, bukan data pribadi; mohon dibuka."},
            )  # fmt: skip
            yield f"objection {objection['registration_number']}: created"
        yield f"request {created['registration_number']}: created"
    complaint = tk.get_action("layananpublik_complaint_create")(
        context(),
        {"organization_id": ORGANIZATION["name"], "service": "Loket layanan informasi",
         "description": "Loket tutup pada jam layanan yang diumumkan (Senin pukul 10.00).",
         "remedy": "Loket buka sesuai jam layanan.", "name": "Rina Wulandari", "email": "rina@example.com",
         "confidential": True},
    )  # fmt: skip
    yield f"complaint {complaint['registration_number']}: created"


def load(admin_name: str) -> Iterator[str]:
    context = lambda: {"user": admin_name, "ignore_auth": True}  # noqa: E731 - fresh context per call
    try:
        tk.get_action("organization_show")(context(), {"id": ORGANIZATION["name"]})
        yield f"organization {ORGANIZATION['name']}: already there"
    except tk.ObjectNotFound:
        tk.get_action("organization_create")(context(), dict(ORGANIZATION))
        yield f"organization {ORGANIZATION['name']}: created"
    for spec in DATASETS:
        try:
            tk.get_action("package_show")(context(), {"id": spec["name"]})
            yield f"dataset {spec['name']}: already there"
            continue
        except tk.ObjectNotFound:
            pass
        data = dict(spec, owner_org=ORGANIZATION["name"], tags=[{"name": t} for t in spec["tags"]])
        tk.get_action("package_create")(context(), data)
        yield f"dataset {spec['name']}: created"
    yield from _load_requests(context)
    yield from _load_pages(context)


def _load_pages(context) -> Iterator[str]:
    """The body's PPID profile, filled in: a transparency page of its own (and an entry of
    the /umpan/informasi-publik feed)."""
    where = {"slug": "profil-ppid", "organization_id": ORGANIZATION["name"], "language": "id"}
    if tk.get_action("layananpublik_page_show")(context(), dict(where))["source"] == "body":
        yield "PPID profile: already there"
        return
    tk.get_action("layananpublik_page_update")(
        context(),
        {**where, "title": "Profil PPID", "note": "kontak dan jam layanan diisi",
         "body": "## Pejabat Pengelola Informasi dan Dokumentasi\n\n"
                 "- **Atasan PPID:** Sekretaris Dinas\n- **PPID:** Kepala Bidang Informasi Publik\n\n"
                 "### Kontak\nJl. Merdeka No. 1, Kota Contoh · (021) 555 0101 · ppid@contoh.go.id\n\n"
                 "### Jam layanan\nSenin–Kamis 08.00–15.30 WIB, Jumat 08.00–16.00 WIB."},
    )  # fmt: skip
    yield "PPID profile: written"
