"""The walk of issue 17, repeated by a browser: every page a citizen or an officer meets,
anonymous and signed in, on a phone (360 px) and a desktop (1280 px). On the Indonesian site no
visible English word from a list of common ones; on /en/ no Indonesian one; no horizontal
overflow on a phone; no serious or critical axe-core violation signed in.

One portal and one Chromium serve the whole module (the data is made once, in Indonesian, and
words of it are kept out of the Indonesian list so /en/ pages quoting it stay clean). The
activity streams (dataset, organisation, group, user, dashboard news feed) and the changes
pages (dataset, organisation, group; one change and a range) are served by CKAN's
`activity` plugin, which a real portal loads (`make run` does) and test.ini does not: they are
walked on a second portal, test.ini with `activity` added, on the same data (made with
`activity` loaded, so the streams have entries).
"""

from __future__ import annotations

import contextlib
import re
import threading
from pathlib import Path

import ckan.plugins
import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.browser.conftest import chromium, portal_with, running_portal
from tests.conftest import migrate

pytestmark = pytest.mark.browser

PASSWORD = "Rahasia-PPID-2026"
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"

# Common English words that are not also Indonesian (nor names, formats or loanwords such as
# data, format, tag, email, admin, dataset, feed, filter, register, API, CKAN), and the English
# month and day names (dates must be written in the reader's language).
ENGLISH = frozenset(
    """the and with your you this that there are is not log login logout search about powered
    language home organization organizations organisation groups popular description created updated last
    more show edit delete save cancel add new view download follow followers activity dashboard settings
    profile password username found results sort order by name tags formats licenses
    resources resource explore information request requests track objection complaint statistics public
    body bodies working days decided received year all help read next previous submit members member
    none of to for in on at from or what why how yet here please must
    january february march may june july august october december monday tuesday wednesday thursday
    friday saturday sunday""".split()
)
# Indonesian function words, interface verbs, month and day names (not the legal terms English
# labels quote on purpose: berkala, serta merta, permohonan, keberatan, pengaduan...).
INDONESIAN = frozenset(
    """dan yang untuk dengan tidak atau dari ini itu akan telah sudah belum oleh pada cari masuk keluar
    beranda tentang kirim simpan ubah hapus lihat semua baru anda kami halaman kumpulan organisasi grup
    berkas tanggal jam daftar ditemukan terbaru sumber
    januari februari maret mei juni juli agustus oktober desember senin selasa rabu kamis jumat sabtu""".split()
)

ANONYMOUS_PAGES = (
    "/", "/dataset/", "/dataset/apbd-2026", "/dataset/apbd-2026/resource/{resource}", "/organization/",
    "/organization/diskominfo", "/group/", "/group/keuangan", "/about", "/user/login", "/user/register",
    "/user/reset", "/permohonan/ajukan", "/permohonan/", "/permohonan/statistik", "/permohonan/lacak",
    "/informasi-publik/", "/informasi-publik/dip", "/informasi-publik/penilaian-mandiri", "/keberatan/",
    "/pengaduan/",
)  # fmt: skip
SIGNED_IN_PAGES = (
    "/", "/dashboard/datasets", "/dataset/new", "/dataset/edit/apbd-2026", "/dataset/apbd-2026/resource/new",
    "/user/admin-ppid", "/user/edit/admin-ppid", "/user/admin-ppid/api-tokens", "/ppid/kotak-masuk",
    "/ppid/permohonan/{request}", "/ppid/kalender", "/organization/diskominfo", "/informasi-publik/penilaian-mandiri",
)  # fmt: skip
# Served by the activity plugin (the second portal); /dashboard/ is the signed-in news feed.
ACTIVITY_PAGES = (
    "/dataset/activity/apbd-2026", "/organization/activity/diskominfo", "/group/activity/keuangan",
    "/user/activity/admin-ppid",
)  # fmt: skip
ANONYMOUS_PAGES += ACTIVITY_PAGES
# The changes pages (one change, and a range of them) show an activity's data, which only those
# who may edit the object see (anonymously: 403, unless ckan.auth.public_activity_stream_detail).
CHANGES_PAGES = (
    "/dataset/changes/{activity}", "/organization/changes/{organization_activity}",
    "/group/changes/{group_activity}", "/dataset/changes_multiple?old_id={dataset_first}&new_id={activity}",
    "/organization/changes_multiple?old_id={organization_first}&new_id={organization_activity}",
    "/group/changes_multiple?old_id={group_first}&new_id={group_activity}",
)  # fmt: skip
SIGNED_IN_PAGES += ACTIVITY_PAGES + ("/dashboard/",) + CHANGES_PAGES
ACTIVITY_PAGES += ("/dashboard/",) + CHANGES_PAGES
PAGES = [(path, False) for path in ANONYMOUS_PAGES] + [(path, True) for path in SIGNED_IN_PAGES]
# As `make run` orders them: ours first, so our templates override the activity plugin's.
WITH_ACTIVITY = {"ckan.plugins": "layananpublik activity layananpublik_search"}


def _page_id(value) -> str:
    return str(value) if not isinstance(value, bool) else ("signed-in" if value else "anonymous")


@pytest.fixture(scope="module")
def site(reset_db, reset_index, reset_redis, tmp_path_factory):
    """A body and a group (each created, then changed twice), a dataset (created, then changed)
    and a resource, a sysadmin and a request, made by the sysadmin with the activity plugin loaded; a running portal, and one
    with the activity plugin, booting in the background once the first is up and waited for by the first activity page."""
    reset_db()
    reset_index()
    reset_redis()
    plugins_before = tk.config["ckan.plugins"]
    tk.config["ckan.plugins"] = WITH_ACTIVITY["ckan.plugins"]
    ckan.plugins.load_all()
    try:
        migrate("layananpublik")
        migrate("activity")
        admin = factories.Sysadmin(name="admin-ppid", fullname="Admin PPID", password=PASSWORD,
                                   about="Pengelola portal.", image_url="", email="admin@contoh.go.id")  # fmt: skip
        body = factories.Organization(
            name="diskominfo", title="Diskominfo Kota Contoh", description="Badan publik uji.", user=admin
        )
        factories.Group(name="keuangan", title="Keuangan", description="Anggaran daerah.", user=admin)
        dataset = factories.Dataset(
            name="apbd-2026", title="APBD 2026", notes="Ringkasan anggaran daerah.", owner_org=body["id"],
            groups=[{"name": "keuangan"}], tags=[{"name": "anggaran"}], information_category="setiap_saat",
            resources=[{"name": "APBD 2026 (CSV)", "url": "https://data.contoh.go.id/apbd-2026.csv",
                        "format": "CSV", "description": "Rincian anggaran."}], user=admin,
        )  # fmt: skip
        as_admin = {"user": admin["name"], "ignore_auth": False}
        call_action("package_patch", context=dict(as_admin), id=dataset["id"], notes="Ringkasan APBD 2026, diperbarui.")
        call_action("resource_create", context=dict(as_admin), package_id=dataset["id"], name="Realisasi APBD (XLSX)",
                    url="https://data.contoh.go.id/realisasi.xlsx", format="XLSX")  # fmt: skip
        call_action("organization_patch", context=dict(as_admin), id=body["id"], description="Badan publik uji, diperbarui.")
        call_action("organization_patch", context=dict(as_admin), id=body["id"],
                    image_url="https://data.contoh.go.id/logo-diskominfo.png")  # fmt: skip
        call_action("group_patch", context=dict(as_admin), id="keuangan", description="Anggaran daerah, diperbarui.")
        call_action("group_patch", context=dict(as_admin), id="keuangan",
                    image_url="https://data.contoh.go.id/logo-keuangan.png")  # fmt: skip
        # The dataset's activities, newest first: the resource added, the notes changed, the creation.
        versions = call_action("package_activity_list", context=dict(as_admin), id=dataset["id"])
        assert [a["activity_type"] for a in versions] == ["changed package"] * 2 + ["new package"], versions
        ids = {"activity": versions[0]["id"], "dataset_first": versions[-1]["id"]}
        # The body's and the group's own activities, newest first: both changes, then the creation.
        for kind, name in (("organization", "diskominfo"), ("group", "keuangan")):
            own = [a for a in call_action(f"{kind}_activity_list", context=dict(as_admin), id=name)
                   if a["activity_type"] in (f"new {kind}", f"changed {kind}")]  # fmt: skip
            assert [a["activity_type"] for a in own] == [f"changed {kind}"] * 2 + [f"new {kind}"], own
            ids[f"{kind}_activity"], ids[f"{kind}_first"] = own[0]["id"], own[-1]["id"]
        request = call_action(
            "layananpublik_request_create", context={"user": "", "ignore_auth": False},
            organization_id=body["id"], requester_type="individual", name="Siti Rahmawati",
            nik="3171015507900003", address="Jl. Merdeka No. 10, Kota Contoh", phone="0812 3456 7890",
            email="siti@example.com", occupation="Wiraswasta", information_requested="Rincian APBD 2026",
            purpose="Kajian warga", obtain_method="softcopy", delivery_method="email",
        )  # fmt: skip
        ids.update(resource=dataset["resources"][0]["id"], request=request["id"])
        with contextlib.ExitStack() as portals:
            # The activity portal boots in the background once the session's portal is up, while
            # that portal's pages are walked; the first activity page waits for it.
            activity_dir = tmp_path_factory.mktemp("activity")
            with_activity: dict = {}

            def boot() -> None:
                try:
                    with_activity["url"] = portals.enter_context(portal_with(activity_dir, WITH_ACTIVITY))
                except BaseException as error:  # noqa: BLE001 - pytest.fail's Failed too: raised where it is waited for
                    with_activity["error"] = error

            booting = threading.Thread(target=boot, name="activity-portal", daemon=True)

            def activity_url() -> str:
                booting.join()
                if "error" in with_activity:
                    raise with_activity["error"]
                return with_activity["url"]

            try:
                url = portals.enter_context(running_portal(tmp_path_factory.mktemp("portal")))
                booting.start()  # once the session's portal is up (two booting at once on 2 cores gain nothing)
                yield {"url": url, "activity_url": activity_url, "ids": ids}
            finally:
                if booting.is_alive():
                    booting.join()  # before the stack stops what it started
    finally:
        ckan.plugins.unload_non_system_plugins()
        tk.config["ckan.plugins"] = plugins_before


@pytest.fixture(scope="module")
def chrome():
    with chromium() as instance:
        yield instance


@pytest.fixture(scope="module")
def signed_in(site, chrome):
    """The browser state of the sysadmin, signed in once through the login form."""
    context = chrome.new_context()
    page = context.new_page()
    page.goto(site["url"] + "/user/login")
    page.fill("#field-login", "admin-ppid")
    page.fill("#field-password", PASSWORD)
    page.click("form:has(#field-login) button[type=submit]")
    page.wait_for_load_state()
    assert "/dashboard" in page.url, page.url
    state = context.storage_state()
    context.close()
    return state


@pytest.fixture(scope="module")
def snapshot(site, chrome, signed_in):
    """snapshot(path, width, signed, lang) -> what the checks read of a page, the page loaded
    once for all of them: axe-core's violations (signed in, 360 px, Indonesian), the widths
    (before anything is hidden), then the visible text."""
    taken: dict = {}
    contexts: dict = {}

    def context_for(width: int, signed: bool):
        """A browser context per width and user, its cache kept from page to page (the walk loads
        the same styles and scripts on every page) and its cookies as a fresh one's: none, or the
        signed-in session's."""
        if (width, signed) not in contexts:
            contexts[width, signed] = chrome.new_context(viewport={"width": width, "height": 800},
                                                         storage_state=signed_in if signed else None)  # fmt: skip
        context = contexts[width, signed]
        context.clear_cookies()
        if signed:
            context.add_cookies(signed_in["cookies"])
        return context

    def take(path: str, width: int, signed: bool, lang: str = "id") -> dict:
        key = (path, width, signed, lang)
        if key not in taken:
            page = context_for(width, signed).new_page()
            try:
                prefix = "" if lang == "id" else f"/{lang}"
                base = site["activity_url"]() if path in ACTIVITY_PAGES else site["url"]
                response = page.goto(base + prefix + path.format(**site["ids"]))
                assert response.status < 400, (path, response.status)
                shot = {"violations": None}
                if signed and width == 360 and lang == "id" and AXE.exists():
                    page.add_script_tag(path=str(AXE))
                    shot["violations"] = page.evaluate(
                        "() => axe.run(document, {resultTypes: ['violations']})"
                    )["violations"]
                shot["width"] = page.evaluate("() => document.documentElement.scrollWidth")
                shot["wider"] = page.evaluate(WIDER)
                shot["text"] = page.evaluate(VISIBLE_TEXT, lang)
                taken[key] = shot
            finally:
                page.close()
        return taken[key]

    yield take
    for context in contexts.values():
        context.close()


# The visible text of a page, without the parts marked as another language (the language
# picker's "English") and the licences known by their official English names ("Creative
# Commons Attribution"; "not specified" and the "Other (...)" ones are translated), with the
# placeholders and accessible names a reader also meets.
VISIBLE_TEXT = """(lang) => {
  for (const el of document.body.querySelectorAll('[lang]')) {
    if (!el.getAttribute('lang').startsWith(lang)) el.style.display = 'none';
  }
  for (const el of document.querySelectorAll('#field-license option')) {
    if (el.value !== 'notspecified' && !el.value.startsWith('other-')) el.remove();
  }
  const parts = [document.title, document.body.innerText];
  for (const el of document.querySelectorAll('[placeholder], [aria-label], img[alt]')) {
    if (el.offsetParent === null && getComputedStyle(el).position !== 'fixed') continue;
    parts.push(el.getAttribute('placeholder') || '', el.getAttribute('aria-label') || '', el.getAttribute('alt') || '');
  }
  return parts.join('\\n');
}"""


ADDRESS = re.compile(r"\S+@\S+|\S+://\S+|\b[\w-]+(\.[\w-]+)+\b")


# The outermost elements reaching past the right edge of the screen, leaving out what scrolls
# inside a container of its own (a wide table in .table-responsive).
WIDER = """() => {
  const edge = document.documentElement.clientWidth + 1;
  const scrolls = e => { for (let a = e.parentElement; a; a = a.parentElement) {
    if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(a).overflowX) && a !== document.body
        && a !== document.documentElement) return true; } return false; };
  return [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > edge && e.parentElement.getBoundingClientRect().right <= edge
                 && !scrolls(e))
    .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));
}"""


def foreign_words(text: str, words: frozenset[str]) -> list[str]:
    """The lines of a page's visible text holding a word of `words` (addresses left out)."""
    found = []
    for line in text.splitlines():
        hits = [w for w in re.findall(r"[A-Za-z]+", ADDRESS.sub(" ", line)) if w.lower() in words]
        if hits:
            found.append(f"{line.strip()[:120]}  <- {', '.join(hits)}")
    return found


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize(("path", "signed"), PAGES, ids=_page_id)
def test_indonesian_page_shows_no_english_word(snapshot, path, signed, width):
    found = foreign_words(snapshot(path, width, signed)["text"], ENGLISH)
    assert found == [], "\n".join(found)


@pytest.mark.parametrize(("path", "signed"), PAGES, ids=_page_id)
def test_english_page_shows_no_indonesian_word(snapshot, path, signed):
    found = foreign_words(snapshot(path, 1280, signed, lang="en")["text"], INDONESIAN)
    assert found == [], "\n".join(found)


@pytest.mark.parametrize(("path", "signed"), PAGES, ids=_page_id)
def test_page_does_not_overflow_a_phone(snapshot, path, signed):
    shot = snapshot(path, 360, signed)
    assert (shot["width"], shot["wider"]) == (360, [])


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_signed_in_page_has_no_serious_accessibility_violation(snapshot, path):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (make browser installs it with npm)")
    serious = [
        f"{v['id']} ({v['impact']}): {[(n['target'], n['html'][:160]) for n in v['nodes']][:3]}"
        for v in snapshot(path, 360, True)["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], "\n".join(serious)


@pytest.mark.parametrize("kind", ["organization", "group"])
def test_changes_range_shows_each_change_in_the_language_asked_for(snapshot, kind):
    """The range of an organisation's or a group's two changes (description, then picture): both
    changes, newest first, under the two labelled selects, in Indonesian and in English."""
    path = next(p for p in CHANGES_PAGES if p.startswith(f"/{kind}/changes_multiple"))
    lines = [line.strip() for line in snapshot(path, 1280, True)["text"].splitlines() if line.strip()]
    who = [line for line in lines if line.startswith("Pada ")]
    assert len(who) == 2 and all(line.endswith(" Admin PPID:") for line in who), lines
    assert {"Lihat perubahan dari", "sampai"} <= set(lines), lines
    picture, description = (next(i for i, x in enumerate(lines) if x.startswith(s)) for s in ("Mengubah URL gambar", "Memperbarui deskripsi"))  # fmt: skip
    assert picture < description, lines
    english = [line.strip() for line in snapshot(path, 1280, True, lang="en")["text"].splitlines()]
    who = [line for line in english if line.startswith("On ")]
    assert len(who) == 2 and all(line.endswith(" Admin PPID:") for line in who), english
    assert {"View changes from", "up to"} <= set(english), english
