"""Pages administrators edit: defaults until edited, revisions kept (append-only), body pages
falling back to the site-wide text, and who may do what."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.layananpublik.transparency.pages import defaults
from tests.transparency.pages.conftest import as_user, body_admin

pytestmark = pytest.mark.usefixtures("body")

PAGE = {"slug": "profil-ppid", "language": "id"}


def edit(user: dict, body: str = "## Kontak\n\nTelepon 021-123", **extra) -> dict:
    data = {**PAGE, "title": "Profil PPID Diskominfo", "body": body, **extra}
    return call_action("layananpublik_page_update", context=as_user(user), **data)


@pytest.mark.parametrize("slug", sorted(defaults.PAGES))
@pytest.mark.parametrize("language", defaults.LANGUAGES)
def test_the_default_text_is_shown_until_edited(slug, language):
    page = call_action("layananpublik_page_show", context=as_user(None), slug=slug, language=language)
    assert page["is_default"] is True and page["source"] == "default" and page["revision"] == 0
    assert page["title"] == defaults.PAGES[slug].title[language]
    assert page["body"] == defaults.PAGES[slug].body[language]
    assert page["html"].strip()


def test_the_default_page_is_served(app, client):
    soup = BeautifulSoup(client().get("/informasi-publik/maklumat").body, "html.parser")
    assert soup.h1.get_text(strip=True) == defaults.PAGES["maklumat"].title["id"]
    assert "Maklumat Pelayanan Informasi Publik" in soup.select_one(".lp-page-body").get_text()


def test_every_save_adds_a_revision_with_author_and_time(sysadmin):
    edit(sysadmin, body="versi satu")
    saved = edit(sysadmin, body="versi dua", note="nomor telepon baru")
    assert saved["revision"] == 2 and saved["is_default"] is False and saved["source"] == "site"
    revisions = call_action("layananpublik_page_revision_list", context=as_user(sysadmin), **PAGE)
    assert [(r["revision"], r["body"]) for r in revisions] == [(2, "versi dua"), (1, "versi satu")]
    assert revisions[0]["author"] == sysadmin["name"] and revisions[0]["note"] == "nomor telepon baru"
    assert revisions[0]["created_at"] >= revisions[1]["created_at"]


def test_saving_the_same_text_adds_no_revision(sysadmin):
    edit(sysadmin)
    assert edit(sysadmin)["revision"] == 1


def test_revisions_cannot_be_changed(sysadmin):
    edit(sysadmin)
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        model.Session.execute(sa.text("UPDATE layananpublik_page_revision SET body = 'changed'"))
    model.Session.rollback()


def test_html_is_stored_sanitised(sysadmin):
    saved = edit(sysadmin, body='<p onclick="x()">Halo<script>alert(1)</script></p>', format="html")
    assert saved["body"] == "<p>Halo</p>"


def test_markdown_with_a_script_is_shown_without_it(app, client, sysadmin):
    edit(
        sysadmin, body="Halo <script>alert(1)</script> [x](javascript:alert(2)) <img src=a onerror=alert(3)>"
    )
    html = client().get("/informasi-publik/profil-ppid").body
    body = str(BeautifulSoup(html, "html.parser").select_one(".lp-page-body"))
    assert "alert" not in body and "javascript:" not in body and "onerror" not in body


def test_a_body_page_falls_back_to_the_site_wide_text_then_its_own(body, sysadmin, admin):
    where = {**PAGE, "organization_id": body["name"]}
    assert call_action("layananpublik_page_show", **where)["source"] == "default"
    edit(sysadmin, body="teks seluruh portal")
    shown = call_action("layananpublik_page_show", **where)
    assert (shown["source"], shown["body"]) == ("site", "teks seluruh portal")
    edit(admin, body="teks dinas", organization_id=body["name"])
    shown = call_action("layananpublik_page_show", **where)
    assert (shown["source"], shown["body"], shown["organization_id"]) == ("body", "teks dinas", body["id"])
    assert call_action("layananpublik_page_show", **PAGE)["body"] == "teks seluruh portal"


def test_languages_are_kept_apart(sysadmin):
    edit(sysadmin, body="teks Indonesia")
    english = call_action("layananpublik_page_show", slug="profil-ppid", language="en")
    assert english["is_default"] is True and english["body"] == defaults.PAGES["profil-ppid"].body["en"]


def test_an_unknown_page_is_refused(sysadmin):
    with pytest.raises(tk.ValidationError) as exc:
        call_action("layananpublik_page_update", context=as_user(sysadmin), slug="lain", language="id",
                    title="x", body="y")  # fmt: skip
    assert "slug" in exc.value.error_dict


def test_the_page_list_marks_defaults(sysadmin):
    edit(sysadmin)
    listed = {p["slug"]: p for p in call_action("layananpublik_page_list", language="id")}
    assert set(listed) == set(defaults.PAGES)
    assert listed["profil-ppid"]["is_default"] is False and listed["sop"]["is_default"] is True
    assert "body" not in listed["sop"]


# --- who may do what ---------------------------------------------------------------------

WHO = ["anonymous", "body_admin", "other_body_admin", "body_editor", "sysadmin"]
MAY_EDIT_SITE = {"sysadmin"}
MAY_EDIT_BODY = {"body_admin", "sysadmin"}


@pytest.fixture
def users(body, other_body):
    editor = factories.User()
    call_action("member_create", id=body["id"], object=editor["id"], object_type="user", capacity="editor")
    return {
        "anonymous": None,
        "body_admin": body_admin(body["id"]),
        "other_body_admin": body_admin(other_body["id"]),
        "body_editor": editor,
        "sysadmin": factories.Sysadmin(),
    }


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("scope", ["site", "body"])
def test_who_may_edit(users, body, who, scope):
    where = {"organization_id": body["id"]} if scope == "body" else {}
    allowed = who in (MAY_EDIT_BODY if scope == "body" else MAY_EDIT_SITE)
    context = as_user(users[who])
    for action, data in [
        ("layananpublik_page_update", {**PAGE, "title": "T", "body": "B", **where}),
        ("layananpublik_page_revision_list", {**PAGE, **where}),
        ("layananpublik_report_narrative_update", {"year": 2026, "language": "id", "section": "policy", "body": "x", **where}),
    ]:  # fmt: skip
        if allowed:
            call_action(action, context=dict(context), **data)
        else:
            with pytest.raises(tk.NotAuthorized):
                call_action(action, context=dict(context), **data)


@pytest.mark.parametrize("who", WHO)
def test_everyone_reads(users, body, who):
    context = as_user(users[who])
    call_action("layananpublik_page_show", context=dict(context), organization_id=body["id"], **PAGE)
    call_action("layananpublik_page_list", context=dict(context))
    call_action("layananpublik_report_show", context=dict(context), year=2026)
    call_action("layananpublik_selfassessment_show", context=dict(context), organization_id=body["id"])


# --- the editor in the browser -----------------------------------------------------------


def test_the_editor_saves_both_languages_and_shows_the_history(app, client, admin, body):
    me = client(admin)
    url = f"/informasi-publik/{body['name']}/profil-ppid/ubah"
    form = BeautifulSoup(me.get(url).body, "html.parser").select_one("#lp-page-form")
    assert form.select_one("label[for=field-body_id]") and form.select_one("label[for=field-body_en]")
    data = {"format": "markdown", "note": "alamat baru", "save": "1",
            "title_id": "Profil PPID Diskominfo", "body_id": "## Alamat\n\nJl. Merdeka 1",
            "title_en": "PPID profile", "body_en": "## Address\n\nJl. Merdeka 1"}  # fmt: skip
    response = me.post(url, data=data, follow_redirects=False)
    assert response.status_code == 302, response.body
    for lang in ("id", "en"):
        shown = call_action(
            "layananpublik_page_show", slug="profil-ppid", language=lang, organization_id=body["id"]
        )
        assert shown["source"] == "body" and shown["body"] == data[f"body_{lang}"]
    history = BeautifulSoup(
        me.get(f"/informasi-publik/{body['name']}/profil-ppid/riwayat").body, "html.parser"
    )
    assert len(history.select(".lp-revision")) == 2
    assert admin["fullname"] in history.get_text() and "alamat baru" in history.get_text()
    assert "+Jl. Merdeka 1" in history.select_one(".lp-diff").get_text()


def test_preview_shows_the_sanitised_text_without_saving(app, client, sysadmin):
    me = client(sysadmin)
    data = {"format": "markdown", "preview": "1", "title_id": "Profil", "body_id": "**tebal** <script>x()</script>",
            "title_en": "Profile", "body_en": "text"}  # fmt: skip
    page = BeautifulSoup(me.post("/informasi-publik/profil-ppid/ubah", data=data).body, "html.parser")
    preview = page.select_one(".lp-preview .lp-page-body")
    assert "<strong>tebal</strong>" in str(preview) and "script" not in str(preview)
    assert call_action("layananpublik_page_show", **PAGE)["is_default"] is True


@pytest.mark.parametrize("who, status", [(None, 403), ("other", 403), ("admin", 200)])
def test_only_the_body_admin_opens_the_editor(app, client, admin, other_admin, body, who, status):
    user = {"admin": admin, "other": other_admin, None: None}[who]
    client(user).get(f"/informasi-publik/{body['name']}/sop/ubah", status=status)


def test_the_edit_link_is_shown_only_to_editors(app, client, admin, other_admin, body):
    url = f"/informasi-publik/{body['name']}/sop"
    assert "/sop/ubah" in client(admin).get(url).body
    assert "/sop/ubah" not in client(other_admin).get(url).body
    assert "/sop/ubah" not in client().get(url).body


def test_a_body_index_lists_its_pages(app, client, body):
    soup = BeautifulSoup(client().get(f"/informasi-publik/{body['name']}").body, "html.parser")
    links = {a["href"] for a in soup.select(".lp-page-list a")}
    assert f"/informasi-publik/{body['name']}/standar-layanan" in links


def test_an_unknown_page_or_body_is_not_found(app, client):
    client().get("/informasi-publik/tidak-ada", status=404)
    client().get("/informasi-publik/tidak-ada/sop", status=404)
