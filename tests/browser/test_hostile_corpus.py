"""The hostile-input corpus (tests/hostile_corpus.py) in a real Chromium against a real portal
(issue 16): every text goes into every field of the citizens' forms and the search boxes;
stored ones are shown on the pages that display them; the uploads go to the identity field.
Each page: no script of a payload runs (`window.__pwned` stays unset, no dialog opens), no
500, and the input survives (re-shown in the form on error, or stored and shown intact).

One browser and one portal for the whole corpus; pages are opened in batches."""

from __future__ import annotations

import time
import urllib.request
from urllib.parse import quote

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.browser.probe import Probe
from tests.browser.probe import on_portal as _on_portal
from tests.cases.factories import valid_request
from tests.hostile_corpus import (
    BERKALA_FIELDS,
    COMPLAINT_FIELDS,
    FILES,
    GENEROUS_SECONDS,
    HUGE,
    LOOKUP_FIELDS,
    REQUEST_FIELDS,
    TEXTS,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("with_plugins", "clean_redis")]


def _post(probe: Probe, url: str, form: str, fields: tuple[str, ...], value: str) -> None:
    """Open a form, put `value` in every field (as script does: no maxlength cut) and send it."""
    page = probe.page
    page.goto(url)
    page.evaluate(
        """([form, fields, value]) => { for (const f of fields) {
               document.querySelector(form + ' [name="' + f + '"]').value = value; } }""",
        [form, list(fields), value],
    )
    page.click(f"{form} button[type=submit]")
    page.wait_for_load_state()


def test_hostile_texts_in_every_citizen_form_are_refused_clearly_and_kept(portal, browser, body):
    probe = Probe(browser)
    forms = [
        (f"/permohonan/ajukan/{body['name']}", "form.lp-form", REQUEST_FIELDS),
        (f"/pengaduan/{body['name']}", "form.lp-form", COMPLAINT_FIELDS),
        (f"/keberatan/berkala/{body['name']}", "form.lp-objection-form", BERKALA_FIELDS),
        ("/permohonan/lacak", "form.lp-form", LOOKUP_FIELDS),
        ("/keberatan/lacak", "form.lp-form", LOOKUP_FIELDS),
        ("/pengaduan/lacak", "form.lp-form", LOOKUP_FIELDS),
    ]
    for name, text in {**TEXTS, "100,000 characters": HUGE}.items():
        for url, form, all_fields in forms:
            # HUGE four fields at a time: Werkzeug reads at most 500,000 characters of a form
            step = 4 if text is HUGE else len(all_fields)
            for first in range(0, len(all_fields), step):
                fields = all_fields[first : first + step]
                where = f"{name} in {url} {fields}"
                started = time.monotonic()
                _post(probe, portal + url, form, fields, text)
                assert time.monotonic() - started < GENEROUS_SECONDS, where
                probe.check(where)
                # Every payload makes some field invalid (a NIK, an email, a link): the form comes back
                # with the errors, every field as it was typed.
                assert probe.page.locator(".lp-error-summary, .error-block").count() > 0, where
                for field in fields:
                    element = probe.page.locator(f'{form} [name="{field}"]')
                    kept = element.input_value()
                    # A browser keeps no line break in a one-line field, and sends a textarea's as CRLF.
                    if element.evaluate("e => e.tagName") == "INPUT":
                        expected = text.replace("\r", "").replace("\n", "")
                    else:
                        expected = text.replace("\r\n", "\n")
                    assert kept == expected, (where, field)


def test_hostile_texts_stored_are_shown_intact_and_inert(portal, browser, app, body, officer):
    """Cases whose free text is hostile (each text in a case's fields, the others valid), then
    every page that shows them: the citizen's tracking pages, the public register and searches."""
    probe = Probe(browser)
    shown = []
    for number, (name, text) in enumerate(TEXTS.items()):
        if len(text) > 1000:  # over the caps: refused (above), never stored
            continue
        request = call_action(
            "layananpublik_request_create", context={"user": "", "ignore_auth": False},
            **valid_request(body["id"], information_requested=text, purpose=text, address=text,
                            occupation=text[:100], email=f"warga{number}@example.com",
                            phone=f"0812 3456 {number:04d}"),
        )  # fmt: skip
        complaint = call_action(
            "layananpublik_complaint_create", context={"user": "", "ignore_auth": False}, organization_id=body["id"],
            service=text[:200], description=text, remedy=text, name="Budi Santoso", email="budi@example.com",
        )  # fmt: skip
        shown.append((name, text, request, complaint))
    dataset = factories.Dataset(owner_org=body["id"], title="Data <b>uji</b> " + TEXTS["svg onload"],
                                notes="\n\n".join(TEXTS.values()))  # fmt: skip
    for name, text, request, complaint in shown:
        for url in (request["tracking_url"], complaint["tracking_url"]):
            probe.page.goto(_on_portal(url, portal))
            probe.check(f"{name}: {url}")
            body_text = probe.page.inner_text("body")
            assert " ".join(text.split()) in " ".join(body_text.split()), (name, url)
    searches = [f"/dataset/?q={quote(t)}" for t in TEXTS.values() if len(t) <= 500]
    searches += [f"/informasi-publik/dip?q={quote(t)}" for t in TEXTS.values()]
    searches += [f"/permohonan/?q={quote(t)}" for t in TEXTS.values() if len(t) <= 200]
    searches += [f"/dataset/{dataset['name']}", "/permohonan/", "/umpan/dataset.atom"]
    for url in searches:
        response = probe.page.goto(portal + url)
        probe.check(url)
        assert response.status in (200, 400), (url, response.status)
        box = "#dip-q" if url.startswith("/informasi-publik/dip") else "#filter-q"
        if "?q=" in url and response.status == 200 and "/dataset/" not in url:
            # a search box is one line: the browser drops line breaks from its value
            typed = urllib.request.unquote(url.split("?q=", 1)[1]).strip().replace("\r", "").replace("\n", "")
            assert probe.page.locator(box).input_value() == (
                typed[:200] if box == "#filter-q" else typed
            ), url


def test_hostile_uploads_get_a_clear_answer_and_lose_nothing(portal, browser, app, body):
    probe = Probe(browser)
    page = probe.page
    for number, (name, (filename, content_type, content, accepted)) in enumerate(FILES.items()):
        # each its own requester (the per-contact rate limit counts every submission)
        typed = valid_request(body["id"], information_requested=TEXTS["emoji"], email=f"warga{number}@example.com",
                              phone=f"0812 3456 {number:04d}")  # fmt: skip
        page.goto(f"{portal}/permohonan/ajukan/{body['name']}")
        for field in REQUEST_FIELDS:
            page.locator(f'form.lp-form [name="{field}"]').fill(typed[field])
        page.check("#field-obtain_method-softcopy")
        page.check("#field-delivery_method-email")
        page.set_input_files("#field-identity_document",
                             files=[{"name": filename, "mimeType": content_type, "buffer": content}])  # fmt: skip
        page.click("form.lp-form button[type=submit]")
        page.wait_for_load_state()
        probe.check(name)
        if accepted:
            assert page.url.endswith("/permohonan/dilacak/tanda-terima"), (name, page.url)
            token = page.locator("#tracking-link").get_attribute("href").rsplit("/", 1)[1]
            req = call_action("layananpublik_request_show", tracking_token=token)
            [identity] = [f for f in req["files"] if f["kind"] == "identity"]
            assert "/" not in identity["filename"] and "\\" not in identity["filename"], identity["filename"]
            assert ".." not in identity["filename"].split("/")
        else:
            error = page.locator("#field-identity_document-error")
            assert error.count() == 1 and error.inner_text().strip(), name
            for field in REQUEST_FIELDS:
                assert page.locator(f'form.lp-form [name="{field}"]').input_value() == typed[field], (
                    name,
                    field,
                )


def test_an_invalid_utf8_form_gets_a_clear_answer(app, body):
    """No browser sends invalid UTF-8: posted by hand, with the page's CSRF token."""
    from tests.pages import csrf_token

    for url, field in ((f"/permohonan/ajukan/{body['name']}", "name"), ("/permohonan/lacak", "tracking"),
                       (f"/pengaduan/{body['name']}", "description")):  # fmt: skip
        client = app.test_client()
        token = csrf_token(client.get(url))
        raw = f"_csrf_token={token}&{field}=".encode() + b"%FF%FE%C3%28%ED%A0%80abc"
        answer = client.post(url, data=raw, content_type="application/x-www-form-urlencoded")
        assert answer.status_code in (200, 400), (url, answer.status_code)
        assert "abc" in answer.get_data(as_text=True), url  # what could be read is shown back
