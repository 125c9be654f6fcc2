"""The hostile-input corpus (tests/hostile_corpus.py) in a real Chromium against a real portal
(issue 16): every text goes into every field of the citizens' forms and the search boxes;
stored ones are shown on the pages that display them; the uploads go to the identity field.
Each page: no script of a payload runs (`window.__pwned` stays unset, no dialog opens), no
500, and the input survives (re-shown in the form on error, or stored and shown intact).

One browser and one portal for the whole corpus; each form is opened once and gets every text
in turn (each refused, the form shown again is where the next is typed)."""

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


# Put each value in its field of the form (as script does: no maxlength cut).
FILL = """([form, values]) => { for (const [f, v] of Object.entries(values)) {
    document.querySelector(form + ' [name="' + f + '"]').value = v; } }"""
# Each field of the form: how many elements bear its name, its tag, and the value it holds.
READ = """([form, fields]) => fields.map(f => {
    const all = document.querySelectorAll(form + ' [name="' + f + '"]');
    return [all.length, all.length ? all[0].tagName : '', all.length ? all[0].value : ''];
})"""


def _fields(probe: Probe, form: str, fields: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """field -> (tag, value) of the form on the page, each field there exactly once."""
    read = probe.page.evaluate(READ, [form, list(fields)])
    assert [count for count, _, _ in read] == [1] * len(fields), (form, fields, read)
    return {field: (tag, value) for field, (_, tag, value) in zip(fields, read, strict=True)}


def _send(probe: Probe, form: str, values: dict[str, str]) -> None:
    """Put the values in the form of the page and send it."""
    probe.page.evaluate(FILL, [form, values])
    probe.page.click(f"{form} button[type=submit]")
    probe.page.wait_for_load_state()


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
    for url, form, all_fields in forms:
        # The form is opened once: every text is refused, and the refused page is the form again,
        # where the citizen types the next text (the fields not typed in hold what they held fresh).
        probe.page.goto(portal + url)
        fresh = {field: value for field, (_, value) in _fields(probe, form, all_fields).items()}
        for name, text in {**TEXTS, "100,000 characters": HUGE}.items():
            # HUGE four fields at a time: Werkzeug reads at most 500,000 characters of a form
            step = 4 if text is HUGE else len(all_fields)
            for first in range(0, len(all_fields), step):
                fields = all_fields[first : first + step]
                where = f"{name} in {url} {fields}"
                started = time.monotonic()
                _send(probe, form, {f: text if f in fields else fresh[f] for f in all_fields})
                assert time.monotonic() - started < GENEROUS_SECONDS, where
                probe.check(where)
                # Every payload makes some field invalid (a NIK, an email, a link): the form comes back
                # with the errors, every field as it was typed.
                assert probe.page.locator(".lp-error-summary, .error-block").count() > 0, where
                for field, (tag, kept) in _fields(probe, form, fields).items():
                    # A browser keeps no line break in a one-line field, and sends a textarea's as CRLF.
                    if tag == "INPUT":
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
