"""No one sees what they should not: a crawl of every public page, feed, export and anonymous
API answer, in both languages, finds none of the personal data planted in requests, objections
and complaints (names, NIK, phone, email, address, occupation, the requester's own words, the
objection's reasons, the complainant's identity)."""

from __future__ import annotations

import io
import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from ckan.tests.helpers import call_action
from werkzeug.datastructures import FileStorage

from tests.cases.factories import CONSEQUENCE_TEST, make_officer

NIK = "3171014405880007"
PLANTED = {
    "name": "Wiratmaja Kusumadewi",
    "nik": NIK,
    "phone": "081299887766",
    "email": "wiratmaja.rahasia@example.com",
    "address": "Jl. Kenanga Rahasia No. 77",
    "occupation": "Juru Tulis Rahasia",
    "information_requested": "Salinan putusan perceraian Wiratmaja",
    "purpose": "Keperluan sengketa warisan pribadi",
    "objection_reason": "Alasan keberatan pribadi tentang penyakit saya",
    "complainant": "Pengadu Bersembunyi",
    "complainant_email": "pengadu.rahasia@example.com",
    "complaint_address": "Gang Rahasia Pengadu 5",
    "filename": "ktp-wiratmaja.pdf",
}
# Where a citizen or a crawler may go without signing in; pages of officers and the tracking
# links (the requester's own secret pages) are not part of the public site.
SEEDS = ["/", "/permohonan/", "/permohonan/statistik", "/keberatan/", "/informasi-publik/", "/dip", "/dik",
         "/umpan/permohonan/baru.rss", "/umpan/permohonan/baru.atom", "/umpan/permohonan/baru.json",
         "/umpan/permohonan/diputus.rss", "/umpan/permohonan/diputus.json", "/dataset/"]  # fmt: skip
PRIVATE = re.compile(r"^/(en/)?(ppid|user|dashboard|api/|permohonan/lacak|keberatan/lacak|pengaduan/lacak|ckan-admin)")
LIMIT = 250


@pytest.fixture
def planted(app, body):
    officer = make_officer(body["id"])
    superior = make_officer(body["id"], role="superior")
    request = call_action(
        "layananpublik_request_create", context={"user": ""},
        organization_id=body["id"], requester_type="individual", name=PLANTED["name"], nik=NIK,
        address=PLANTED["address"], phone=PLANTED["phone"], email=PLANTED["email"],
        occupation=PLANTED["occupation"], information_requested=PLANTED["information_requested"],
        purpose=PLANTED["purpose"], obtain_method="softcopy", delivery_method="email",
        identity_document=FileStorage(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), filename=PLANTED["filename"]),
    )  # fmt: skip
    call_action("layananpublik_request_decide", context={"user": officer["name"]}, id=request["id"],
                outcome="refused", refusal_grounds=["h"], **CONSEQUENCE_TEST)  # fmt: skip
    objection = call_action("layananpublik_objection_create", context={"user": ""},
                            request_tracking_token=request["tracking_token"], grounds=["a"],
                            reason=PLANTED["objection_reason"])  # fmt: skip
    call_action("layananpublik_objection_decide", context={"user": superior["name"]}, id=objection["id"],
                decision="upheld", reasons="Tetap dikecualikan", superior_name_position="Sekretaris Daerah")  # fmt: skip
    call_action("layananpublik_complaint_create", context={"user": ""}, organization_id=body["id"],
                service="Loket informasi", description="Petugas tidak ada", remedy="Petugas hadir",
                name=PLANTED["complainant"], email=PLANTED["complainant_email"],
                address=PLANTED["complaint_address"], confidential=True)  # fmt: skip
    return {"request": request, "objection": objection}


def _crawl(app, seeds: list[str]) -> dict[str, str]:
    """Every public page reachable from the seeds (links, feeds' entry links), by path."""
    seen: dict[str, str] = {}
    queue = deque(seeds)
    while queue and len(seen) < LIMIT:
        path = queue.popleft()
        if path in seen or PRIVATE.match(path):
            continue
        response = app.get(path, follow_redirects=True)
        text = response.get_data(as_text=True)
        seen[path] = text
        if response.status_code >= 500:
            raise AssertionError(f"{path}: {response.status_code}")
        for href in re.findall(r'(?:href|src)="([^"#]+)"|<link>([^<]+)</link>|"url": "([^"]+)"', text):
            target = next(h for h in href if h)
            parts = urlsplit(urljoin("http://test.ckan.net" + path, target.replace("&amp;", "&")))
            if parts.netloc == "test.ckan.net" and not parts.path.startswith(("/base/", "/webassets/", "/_")):
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return seen


def _anonymous_api(planted: dict) -> list[str]:
    anon = {"user": "", "ignore_auth": False}
    answers = [
        call_action("layananpublik_request_list", context=dict(anon)),
        call_action("layananpublik_request_show", context=dict(anon), id=planted["request"]["id"]),
        call_action("layananpublik_request_show", context=dict(anon),
                    registration_number=planted["request"]["registration_number"]),  # fmt: skip
        call_action("layananpublik_request_stats", context=dict(anon)),
        call_action("layananpublik_objection_list", context=dict(anon)),
        call_action("layananpublik_objection_show", context=dict(anon), id=planted["objection"]["id"]),
        call_action("layananpublik_objection_stats", context=dict(anon)),
        call_action("layananpublik_complaint_stats", context=dict(anon)),
    ]
    return [str(a) for a in answers]


def test_no_public_page_feed_or_anonymous_answer_shows_personal_data(app, planted):
    pages = _crawl(app, SEEDS + ["/en" + s for s in SEEDS])
    register_entry = f"/permohonan/nomor/{planted['request']['registration_number']}"
    assert register_entry in pages, "the crawl reaches the request's register entry"
    assert any(p.startswith("/en/") for p in pages), "and the English pages"
    texts = {**pages, **{f"api:{i}": t for i, t in enumerate(_anonymous_api(planted))}}
    for where, text in texts.items():
        for what, value in PLANTED.items():
            assert value not in text, f"{what} shown on {where}"
