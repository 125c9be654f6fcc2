"""The home page, the menu, the footer and the branding through the real app, in both
languages: what a visitor gets, and that nothing is fetched from another host."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlparse

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from tests.portal.conftest import submit

SITE_HOST = "test.ckan.net"  # test.ini's ckan.site_url


def _text(app, lang: str, message: str) -> str:
    """A message as a page in `lang` shows it."""
    with _in(app, lang):
        return tk._(message)


def _in(app, lang: str):
    """A request context in `lang` (CKAN's I18nMiddleware sets CKAN_LANG from the URL)."""
    return app.flask_app.test_request_context("/", environ_overrides={"CKAN_LANG": lang})


class _Links(HTMLParser):
    """Every address a page loads (src, link href) and links to (a href), with its text."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self.anchors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag in ("img", "script", "iframe", "source") and a.get("src"):
            self.loads.append(a["src"])
        if tag == "link" and a.get("href") and a.get("rel") not in ("alternate", "canonical"):
            self.loads.append(a["href"])
        if tag == "a" and a.get("href"):
            self.anchors.append(a["href"])


def links(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def page(app, url: str, status: int = 200, **kwargs) -> str:
    response = app.get(url, **kwargs)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_home_page_offers_the_three_services_in_the_readers_language(app, body, lang):
    html = page(app, "/" if lang == "id" else "/en/")
    for message in ("Request information", "Track a request", "Objection / Complaint",
                    "Public information by category", "Service hours and pledge"):  # fmt: skip
        assert _text(app, lang, message) in html
    if lang == "id":
        assert "Ajukan permohonan informasi" in html and "Lacak permohonan" in html
    assert "Welcome to CKAN" not in html and "420 x 220" not in html and "featured section" not in html


def test_home_page_figures_and_counts_are_the_actions(app, body):
    submit(body["id"])
    html = page(app, "/")
    assert re.search(r'data-figure="received">\s*1\s*<', html)
    assert re.search(r'data-category="berkala">\s*2\s*<', html)
    assert "/informasi-publik/dip/diskominfo?category=berkala" in html
    assert "Penduduk" in html and "Rahasia Internal" not in html


def test_home_page_numbers_follow_the_locale(app, body):
    from ckanext.layananpublik.cases.formatting import layananpublik_number, layananpublik_percent

    with _in(app, "id"):
        assert layananpublik_number(1234567) == "1.234.567"
        assert layananpublik_number(2.5) == "2,5"
        assert layananpublik_percent(0.875) == "88%"
    with _in(app, "en"):
        assert layananpublik_number(2.5) == "2.5"
        assert layananpublik_number(1234567) == "1,234,567"
        assert layananpublik_number(None) == "–"


def test_body_picker_on_a_portal_of_many_bodies(app, body, other_body):
    html = page(app, "/")
    assert 'name="badan"' in html and ">Dinas Kesehatan<" in html
    chosen = page(app, "/?badan=dinkes")
    assert "PPID Dinas Kesehatan" in chosen and "Faskes" in chosen and "Penduduk" not in chosen


def test_unknown_body_shows_the_whole_portal_with_a_notice(app, body, other_body):
    html = page(app, "/?badan=tidak-ada")
    assert "Tidak ada badan publik “tidak-ada”" in html


def test_a_misconfigured_body_does_not_break_the_pages(app, body, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.portal.body", "salah-ketik")
    assert "PPID Dinas Komunikasi dan Informatika" in page(app, "/")  # the only body
    page(app, "/dataset/")


def test_one_body_site_has_no_picker(app, body):
    assert 'name="badan"' not in page(app, "/")


MENU_TARGETS = (
    "/informasi-publik/dip/diskominfo", "/informasi-publik/dik/diskominfo", "/permohonan/ajukan",
    "/permohonan/lacak", "/permohonan/", "/keberatan/", "/pengaduan/", "/permohonan/statistik",
    "/informasi-publik/diskominfo/profil-ppid", "/informasi-publik/diskominfo/maklumat",
    "/informasi-publik/diskominfo/sop", "/informasi-publik/diskominfo/biaya",
    "/informasi-publik/diskominfo/standar-layanan", "/informasi-publik/penilaian-mandiri",
    "/dataset/", "/organization/", "/group/", "/about",
)  # fmt: skip


def test_menu_leads_to_every_ppid_page_and_each_opens(app, body):
    anchors = links(page(app, "/")).anchors
    paths = {urlparse(a).path + (f"?{urlparse(a).query}" if urlparse(a).query else "") for a in anchors}
    for target in MENU_TARGETS:
        assert target in paths, target
        page(app, target)
    assert "/informasi-publik/dip/diskominfo?category=serta_merta" in paths
    year_reports = [p for p in paths if re.fullmatch(r"/informasi-publik/laporan/\d{4}", p)]
    assert len(year_reports) == 2
    for report in year_reports:
        page(app, report)


def test_menu_marks_the_current_section(app, body):
    html = page(app, "/permohonan/lacak")
    active = re.findall(
        r'<li class="nav-item lp-menu active">\s*<details class="lp-menu-group">\s*<summary[^>]*>([^<]+)<',
        html,
    )
    assert active == ["Layanan informasi"]


def test_footer_carries_contact_hours_feeds_and_the_law(app, profile):
    html = page(app, "/dataset/")
    footer = html[html.index('<footer class="site-footer">') :]
    assert "Jl. Merdeka No. 1, Kota Contoh" in footer and "Senin–Jumat 08.00–16.00 WIB." in footer
    assert "/umpan/dataset.atom" in footer and "/umpan/informasi-publik.rss" in footer
    assert "Undang-Undang Nomor 14 Tahun 2008" in footer
    assert "Powered by" not in footer and "CKAN Association" not in footer


@pytest.mark.parametrize("url", ["/", "/dataset/", "/user/login", "/permohonan/ajukan"])
def test_pages_load_nothing_from_another_host(app, body, url):
    loads = links(page(app, url)).loads
    assert loads
    for address in loads:
        host = urlparse(address).netloc
        assert host in ("", SITE_HOST), address


def test_signed_in_header_shows_a_local_avatar_not_gravatar(app, body):
    user = factories.User(image_url="")  # the factory gives every user a picture on the web
    token = factories.APIToken(user=user["name"])["token"]
    html = page(app, "/dashboard/datasets", headers={"Authorization": token})
    assert "gravatar.com" not in html
    assert "/base/images/placeholder-user.png" in html


def test_gravatar_only_when_asked_for(app, body, ckan_config, monkeypatch):
    from ckanext.layananpublik.portal import branding

    config = {"ckan.favicon": "/base/images/ckan.ico", "ckanext.layananpublik.portal.gravatar": True,
              "ckan.gravatar_default": "identicon", "plugin_public_paths": []}  # fmt: skip
    branding.configure(config)
    assert config["ckan.gravatar_default"] == "identicon"
    config["ckanext.layananpublik.portal.gravatar"] = False
    branding.configure(config)
    assert config["ckan.gravatar_default"] == "disabled"
    assert config["ckan.favicon"] == branding.FAVICON


def test_favicon_and_logo_are_the_sites_own(app, body, ckan_config, monkeypatch):
    html = page(app, "/")
    assert 'href="/layananpublik/favicon.svg"' in html
    assert app.get("/layananpublik/favicon.svg").status_code == 200
    assert "ckan-logo" not in html.split("</header>")[0]  # CKAN's logo is not a body's
    monkeypatch.setitem(ckan_config, "ckan.site_logo", "/layananpublik/logo-kota-contoh.svg")
    assert 'src="/layananpublik/logo-kota-contoh.svg"' in page(app, "/")


def test_colours_come_from_the_options_and_a_bad_one_falls_back(app, body, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.layananpublik.portal.colour.primary", "#1d4e89")
    monkeypatch.setitem(
        ckan_config, "ckanext.layananpublik.portal.colour.accent", "red; } body { display:none"
    )
    response = app.get("/tampilan/warna.css")
    css = response.get_data(as_text=True)
    assert response.headers["Content-Type"].startswith("text/css")
    assert "--lp-primary: #1d4e89;" in css and "--lp-accent: #5c4400;" in css
    assert "display:none" not in css
    assert 'href="/tampilan/warna.css"' in page(app, "/")


@pytest.mark.parametrize(
    ("url", "indonesian", "english"),
    [
        ("/user/login", "Lupa kata sandi?", "Forgotten your password?"),
        ("/dataset/", "kumpulan data ditemukan", "datasets found"),
        ("/organization/", "Cari organisasi...", "Search organizations..."),
    ],
)
def test_core_pages_speak_indonesian_and_english(app, body, url, indonesian, english):
    assert indonesian in page(app, url)
    assert english in page(app, "/en" + url)
