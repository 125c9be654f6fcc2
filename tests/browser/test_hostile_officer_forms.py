"""The hostile-input corpus (tests/hostile_corpus.py) in the staff's forms, in the same Chromium
and against the same portal as tests/browser/test_hostile_corpus.py (issue 16): the officers'
(a request's decision, extension and public summary, a request received offline, the
superior's answer to an objection and the dispute record, the answer to a complaint), the DIP
and DIK (the DIP determination, a DIP entry, an exempt-list entry), the public-information
pages (PPID profile, service standards, maklumat, the annual report's narrative and its
publication) and the social ones (a channel, answering, closing and assigning a citizen's
reply).

Every field of each form (selects get the text as an option of their own, dates and numbers
as text: what a script posts) receives every script payload (joined in one text), the
overlong text, 100,000 hostile characters (answered within GENEROUS_SECONDS), and the other kinds of the corpus joined in one text (STAFF_TEXTS). Each
answer: no script runs, no dialog, no 5xx, a 200 page; refused, the form comes back with what
was typed. Then values with every payload are stored (through the actions, the payloads in
groups that fit the shortest fields) and the pages that show them
(the officer's request, notice, objection and complaint pages, the public register entry, the
public DIP and DIK, the public pages and report, the social outbox and reply pages) are opened:
nothing runs, and a case's text is shown as typed."""

from __future__ import annotations

import datetime as dt
import itertools
import time

import pytest
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.layananpublik.social import listen, outbox
from ckanext.layananpublik.social.model import SocialFeedback, SocialPost, utcnow
from tests.browser.probe import PASSWORD, Probe, on_portal, sign_in
from tests.cases.factories import CONSEQUENCE_TEST, GRANT_NOTICE, as_user, make_officer, submit
from tests.hostile_corpus import GENEROUS_SECONDS, HUGE, TEXTS
from tests.social.conftest import fake, make_channel, public_dataset  # noqa: F401 (fake: the platforms)
from tests.social.fakes import FakePlatforms
from tests.transparency.dip.conftest import exempt_record

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("with_plugins", "clean_redis")]

SCRIPTED = ("script tag", "attribute breakout", "single-quote attribute", "javascript url", "data url", "markdown link",
            "markdown image", "markdown autolink", "svg onload", "svg script", "template injection", "style breakout",
            "textarea breakout", "title breakout")  # fmt: skip
# Four texts per form (a staff form has more fields and steps than the citizens' do, and the
# whole corpus in each of them took minutes): every script payload joined in one text, the
# overlong text, 100,000 hostile characters (HUGE), and the rest of the corpus (bidirectional
# and invisible characters, emoji, SQL, Lucene, LIKE, CSV formulas, traversal, CRLF) joined. Shown back unescaped in any
# field, the first payload that breaks out runs.
STAFF_TEXTS = {
    "every script payload": " ".join(TEXTS[name] for name in SCRIPTED),
    "overlong": TEXTS["overlong"],
    "100,000 characters": HUGE,
    "the other kinds": " ".join(t for n, t in TEXTS.items() if n not in SCRIPTED and n != "overlong"),
}


def _groups(names: tuple[str, ...], limit: int = 200) -> list[str]:
    """The payloads joined in texts of at most `limit` characters (a title's cap)."""
    groups: list[str] = []
    for text in (TEXTS[name] for name in names):
        if groups and len(groups[-1]) + 1 + len(text) <= limit:
            groups[-1] += " " + text
        else:
            groups.append(text)
    return groups


STORED = _groups(SCRIPTED)
# Werkzeug reads at most 500,000 characters of a form's fields: four times HUGE per post.
PER_POST = 4
REFUSED = ".lp-error-summary, .error-block, .alert-danger, .lp-step-errors, [aria-invalid=true]"

# The fields of a form a hostile text goes to: what a person types in or picks.
PICK = """(form) => [...document.querySelector(form).querySelectorAll('input, textarea, select')].filter(e => {
    const type = (e.getAttribute('type') || 'text').toLowerCase();
    return !(e.tagName === 'INPUT' && ['hidden', 'checkbox', 'radio', 'submit', 'button', 'file'].includes(type))
      && e.name !== 'website';  // the bots' trap, hidden from people
  })"""
# [name, value] of each field of the form as it is on the page.
FRESH = f"(form) => ({PICK})(form).map(e => [e.name, e.value])"
# Put `value` in `count` fields of the form from the `first`, as a script would: a select gets it
# as an option of its own, a date, number or password field takes it as text. On a form shown
# again after a refusal (`fresh`: FRESH of the form when it was opened) the other fields get back
# the values they had then (null if the form has other fields than then). Returns [name, kind]
# of what it filled (kind "text": a field a browser re-shows as typed) and the number of fields.
FILL = f"""([form, value, first, count, fresh]) => {{
  const filled = [];
  const fields = ({PICK})(form);
  if (fresh !== null) {{
    if (JSON.stringify(fields.map(e => e.name)) !== JSON.stringify(fresh.map(f => f[0]))) return null;
    fields.forEach((e, i) => {{ if (i < first || i >= first + count) e.value = fresh[i][1]; }});
  }}
  for (const e of fields.slice(first, first + count)) {{
    // (a field made text by an earlier FILL of the page keeps the type the server gave it)
    const type = (e.dataset.servedType || e.getAttribute('type') || 'text').toLowerCase();
    if (e.tagName === 'SELECT') {{
      const option = document.createElement('option');
      option.value = value; option.textContent = 'x';
      e.appendChild(option); e.value = value; filled.push([e.name, 'select']); continue;
    }}
    const kept = e.tagName === 'TEXTAREA' || ['text', 'email', 'url', 'tel', 'search'].includes(type);
    if (e.tagName === 'INPUT' && type !== 'text') {{ e.dataset.servedType = type; e.type = 'text'; }}
    e.value = value;
    filled.push([e.name, kept ? 'text' : type]);
  }}
  return [filled, fields.length];
}}"""
# [tag, value] of the first field of each name in the form of a document.
READ_IN = """(doc, form, names) => names.map(n => {
    const e = doc.querySelector(form + ' [name="' + n + '"]');
    return e ? [e.tagName, e.value] : null;
  })"""
READ = f"([form, names]) => ({READ_IN})(document, form, names)"
# Send the form as its button does (the same fields, encoding and address), from the page without
# leaving it, and read the answer: [status, refusal marks, forms, READ of the names].
SEND = f"""async ([form, submit, refused, names]) => {{
  const f = document.querySelector(form);
  const button = document.querySelector(form + ' ' + submit);
  const data = new FormData(f, button);
  const action = new URL(button.getAttribute('formaction') || f.getAttribute('action') || location.href, location.href);
  const multipart = (f.getAttribute('enctype') || '').toLowerCase() === 'multipart/form-data';
  const answer = await fetch(action, {{method: f.getAttribute('method') || 'get',
                                       body: multipart ? data : new URLSearchParams(data)}});
  const doc = new DOMParser().parseFromString(await answer.text(), 'text/html');
  return [answer.status, doc.querySelectorAll(refused).length, doc.querySelectorAll(form).length,
          ({READ_IN})(doc, form, names)];
}}"""


def _typed(text: str, tag: str) -> str:
    """What a field holds after the browser sent `text`: no line break in a one-line field, a
    textarea's as CRLF (read back as LF)."""
    return text.replace("\r", "").replace("\n", "") if tag == "INPUT" else text.replace("\r\n", "\n")


def _signed_in(browser, portal: str, user: dict) -> Probe:
    """A browser context of its own (cookies apart), signed in through CKAN's login form."""
    probe = Probe(browser.new_context())
    sign_in(probe.page, portal, user["name"])
    return probe


def post_hostile(
    probe: Probe,
    url: str,
    form: str,
    text: str,
    where: str,
    submit: str = "button[type=submit]",
    navigate: bool = True,
) -> bool:
    """Put `text` in every field of the form and send it; check the answer. True if it was taken.
    HUGE goes to PER_POST fields at a time (a form of more is over the size a server reads), sent
    by the page without leaving it unless `navigate` (the answer read as the browser would show it).
    The form is opened unless the page shows it again after a refusal (then typed in there)."""
    taken, first = False, 0
    while True:
        count = PER_POST if text is HUGE else 1000
        answer, fields = _post_fields(
            probe, url, form, text, f"{where} (fields {first + 1}-)", submit, first, count,
            navigate or text is not HUGE,
        )  # fmt: skip
        taken |= answer
        first += count
        if first >= fields:
            return taken


def _post_fields(probe, url, form, text, where, submit, first, count, navigate) -> tuple[bool, int]:
    page = probe.page
    shown, probe.refused = getattr(probe, "refused", None), None
    fill = None
    if shown is not None and shown[:2] == (url, form):
        fresh = shown[2]
        fill = page.evaluate(FILL, [form, text, first, count, fresh])
    if fill is None:
        page.goto(url)
        assert page.locator(form).count() == 1, f"no {form} on {url}"
        fresh = page.evaluate(FRESH, form)
        fill = page.evaluate(FILL, [form, text, first, count, None])
    filled, fields = fill
    assert filled, f"{form} on {url} has no field"
    names = [name for name, kind in filled if kind == "text" and name]
    started = time.monotonic()
    if navigate:
        with page.expect_navigation() as navigation:
            page.locator(f"{form} {submit}").first.click()
        page.wait_for_load_state()
        status, refused = navigation.value.status, page.locator(REFUSED).count()
        forms, kept = page.locator(form).count(), page.evaluate(READ, [form, names])
    else:
        status, refused, forms, kept = page.evaluate(SEND, [form, submit, REFUSED, names])
    assert time.monotonic() - started < GENEROUS_SECONDS, where
    probe.check(where)
    assert status == 200, (where, status, page.url)
    if refused == 0:
        return True, fields
    # Refused: the same form again, every text field as it was typed.
    assert forms == 1, (where, "the form is not shown again")
    for name, field in zip(names, kept, strict=True):
        assert field is not None, (where, name)
        assert field[1] == _typed(text, field[0]), (where, name)
    probe.refused = (url, form, fresh)  # the page shows the form (again): the next text goes there
    return False, fields


class Replies:
    """Citizens' replies to the body's Mastodon post (the local server of tests/social/fakes.py),
    read by the listener: a new open one whenever a form closed or answered the last."""

    def __init__(self, platforms: FakePlatforms, body: dict):
        self.platforms = platforms
        self.channel = make_channel(platforms, "mastodon", body, title="Akun Mastodon")
        public_dataset(body)
        outbox.drain()
        self.post = model.Session.query(SocialPost).filter_by(channel_id=self.channel["id"]).one()
        self.reads = itertools.count(1)
        self.id = self.new()

    def new(self) -> str:
        n = next(self.reads)
        self.platforms.add_reply(
            "mastodon", self.post.remote_id, f"Pertanyaan warga nomor {n}", author=f"warga{n}"
        )
        listen.poll(lambda: utcnow() + dt.timedelta(hours=n))
        model.Session.expire_all()
        self.id = model.Session.query(SocialFeedback).order_by(SocialFeedback.received_at.desc()).first().id
        return self.id

    def open_one(self) -> str:
        if call_action("layananpublik_social_feedback_show", id=self.id)["status"] != "open":
            return self.new()
        return self.id


@pytest.fixture
def staff(body):
    """The body's information officer, its superior, and a sysadmin, each with a password."""
    officer = make_officer(body["id"], password=PASSWORD)
    superior = make_officer(body["id"], role="superior", password=PASSWORD)
    return {"officer": officer, "superior": superior, "sysadmin": factories.Sysadmin(password=PASSWORD)}


def _objection(
    body: dict, officer: dict, reason: str = "Informasi ini tidak termasuk yang dikecualikan."
) -> dict:
    """An objection to a request granted in part (ground a: information withheld)."""
    request = submit(body["id"])
    call_action("layananpublik_request_decide", context=as_user(officer), id=request["id"], outcome="granted_part",
                information_given="Rekap", redactions="Nomor rekening", refusal_grounds=["h"], **GRANT_NOTICE,
                **CONSEQUENCE_TEST)  # fmt: skip
    return call_action("layananpublik_objection_create", context=as_user(None),
                       request_tracking_token=request["tracking_token"], grounds=["a"], reason=reason)  # fmt: skip


def test_hostile_texts_in_every_staff_form_are_answered_and_kept(portal, browser, body, staff, fake):  # noqa: F811
    org = body["name"]
    year = dt.date.today().year
    request = submit(body["id"])
    objection = _objection(body, staff["officer"])
    answered = _objection(body, staff["officer"])  # the dispute's record follows the superior's answer
    call_action("layananpublik_objection_decide", context=as_user(staff["superior"]), id=answered["id"],
                decision="upheld", reasons="Pengecualian sah.", superior_name_position="Sekretaris Daerah")  # fmt: skip
    complaint = call_action("layananpublik_complaint_create", context=as_user(None), organization_id=body["id"],
                            service="Layanan informasi", description="Petugas loket tidak ada.", remedy="Petugas hadir.", name="Budi",
                            email="budi@example.com")  # fmt: skip
    replies = Replies(fake, body)
    dip_item = call_action("layananpublik_dip_item_create", organization_id=body["id"], category="setiap_saat",
                           title="SOP pelayanan informasi", forms=["hardcopy"], holding_unit="Sekretariat PPID")  # fmt: skip
    exempt = call_action("layananpublik_exempt_item_create", **exempt_record(body))
    officer, superior, sysadmin = (
        _signed_in(browser, portal, staff[k]) for k in ("officer", "superior", "sysadmin")
    )
    forms = [
        # (who, url, form, submit button)
        (officer, f"/ppid/permohonan/{request['id']}", "#step-putuskan", None),
        (officer, f"/ppid/permohonan/{request['id']}", "#step-perpanjang", None),
        (officer, f"/ppid/permohonan/{request['id']}", "#step-ringkasan", None),
        (officer, f"/permohonan/ajukan/{org}", "form.lp-form", None),  # a request received offline
        (superior, f"/ppid/keberatan/{objection['id']}", "#step-putuskan", None),
        (officer, f"/ppid/keberatan/{answered['id']}", "#step-sengketa", None),
        (officer, f"/ppid/pengaduan/{complaint['id']}", "#complaint-triage", None),
        (officer, f"/informasi-publik/dip/{org}/penetapan", "#dip-determination-form", None),
        (officer, f"/informasi-publik/dip/{org}/butir/baru", "#dip-item-form", None),
        (officer, f"/informasi-publik/dip/{org}/butir/{dip_item['id']}/ubah", "#dip-item-form", None),
        (officer, f"/informasi-publik/dik/{org}/baru", "#dik-form", None),
        (officer, f"/informasi-publik/dik/{org}/{exempt['id']}/ubah", "#dik-form", None),
        (sysadmin, "/informasi-publik/profil-ppid/ubah", "#lp-page-form", "button[name=preview]"),
        (sysadmin, "/informasi-publik/profil-ppid/ubah", "#lp-page-form", "button[name=save]"),
        (sysadmin, f"/informasi-publik/{org}/standar-layanan/ubah", "#lp-page-form", "button[name=save]"),
        (sysadmin, f"/informasi-publik/{org}/maklumat/ubah", "#lp-page-form", "button[name=save]"),
        (sysadmin, f"/informasi-publik/laporan/{year}/ubah", "#lp-narrative-form", None),
        (sysadmin, f"/informasi-publik/laporan/{year}/ubah", "#lp-publish-form", None),
        # Last year's report has a status (due 31 March): its submission to the Komisi Informasi.
        (sysadmin, f"/informasi-publik/laporan/{year - 1}/ubah", "#lp-submission-form", None),
        (sysadmin, "/ppid/sosial/kanal/baru", "form.lp-social-channel", None),
        (sysadmin, f"/ppid/sosial/kanal/{replies.channel['id']}", "form.lp-social-channel", None),
    ]  # fmt: skip
    feedback_forms = ["form.lp-social-reply", "form.lp-social-refer", "form.lp-social-complaint",
                      "form.lp-social-close[action$='/selesai']", "form.lp-social-close[action$='/abaikan']",
                      "form.lp-social-assign"]  # fmt: skip
    taken = set()
    # Each form gets every text in turn, typed into the form shown again after a refusal. HUGE is
    # sent through Chromium's navigation to the first form (the officer's decision), by the page
    # without leaving it to the others (the answer is read from what the server sent).
    for number, (who, url, form, button) in enumerate(forms):
        for name, text in STAFF_TEXTS.items():
            if post_hostile(who, portal + url, form, text, f"{name} in {form} of {url}",
                            button or "button[type=submit]", navigate=number == 0):  # fmt: skip
                taken.add((url, form))
    for form in feedback_forms:
        for name, text in STAFF_TEXTS.items():
            url = f"{portal}/ppid/sosial/tanggapan/{replies.open_one()}"
            if post_hostile(officer, url, form, text, f"{name} in {form} of the reply", navigate=False):
                taken.add(("reply", form))
    # Forms whose every field is free text take some of the texts (stored, then shown: the next test).
    assert (f"/informasi-publik/laporan/{year}/ubah", "#lp-narrative-form") in taken
    # A select given a value of its own, a date given text: refused, never taken.
    for url, form in ((f"/ppid/permohonan/{request['id']}", "#step-putuskan"),
                      (f"/ppid/pengaduan/{complaint['id']}", "#complaint-triage"),
                      (f"/informasi-publik/dip/{org}/penetapan", "#dip-determination-form"),
                      (f"/informasi-publik/laporan/{year - 1}/ubah", "#lp-submission-form"),
                      ("/ppid/sosial/kanal/baru", "form.lp-social-channel")):  # fmt: skip
        assert (url, form) not in taken, (url, form)


def _shown(probe: Probe, url: str, where: str, text: str | None = None) -> None:
    response = probe.page.goto(url)
    probe.check(where)
    assert response.status == 200, (where, response.status)
    if text is not None:
        page_text = " ".join(probe.page.inner_text("body").split())
        assert " ".join(text.split()) in page_text, (where, url)


def test_hostile_texts_stored_by_staff_are_shown_intact_and_inert(portal, browser, body, staff, fake):  # noqa: F811
    """Each script payload stored in the free text of a decision, an extension, a public summary,
    an objection's answer, a complaint's answer, a DIP entry, an exempt-list entry, a page, the
    report's narrative, a channel's title and a reply's closing reason; the pages showing them."""
    org, year = body["name"], dt.date.today().year
    officer_user, superior_user = staff["officer"], staff["superior"]
    officer, public = _signed_in(browser, portal, officer_user), Probe(browser.new_context())
    sysadmin = _signed_in(browser, portal, staff["sysadmin"])
    replies = Replies(fake, body)
    for number, text in enumerate(STORED):
        name = f"payloads {number + 1} of {len(STORED)}"
        request = submit(body["id"])
        call_action("layananpublik_request_extend", context=as_user(officer_user), id=request["id"], days=7,
                    reason=text)  # fmt: skip
        call_action("layananpublik_request_summary_update", context=as_user(officer_user), id=request["id"],
                    public_summary=text)  # fmt: skip
        call_action("layananpublik_request_decide", context=as_user(officer_user), id=request["id"],
                    outcome="granted_part", information_given=text, redactions=text, refusal_grounds=["h"],
                    decision_note=text, **{**GRANT_NOTICE, "fee_note": text},
                    consequence_test=text + " " + CONSEQUENCE_TEST["consequence_test"])  # fmt: skip
        objection = _objection(body, officer_user, reason=text)
        call_action("layananpublik_objection_decide", context=as_user(superior_user), id=objection["id"],
                    decision="overturned", reasons=text, instruction=text, superior_name_position=text)  # fmt: skip
        complaint = call_action("layananpublik_complaint_create", context=as_user(None), organization_id=body["id"],
                                service=text, description=text, remedy=text, name="Budi",
                                email="budi@example.com")  # fmt: skip
        call_action("layananpublik_complaint_update", context=as_user(officer_user), id=complaint["id"],
                    status="resolved", response=text)  # fmt: skip
        call_action("layananpublik_dip_item_create", organization_id=body["id"], category="setiap_saat", title=text,
                    forms=["hardcopy"], holding_unit=text)  # fmt: skip
        call_action("layananpublik_exempt_item_create", **exempt_record(body, information_type=text, reasons=text,
                                                                         consequence=text, public_interest=text))  # fmt: skip
        call_action("layananpublik_social_channel_update", id=replies.channel["id"], title=text)
        call_action("layananpublik_social_feedback_close", context=as_user(officer_user), id=replies.open_one(),
                    status="dismissed", reason=text)  # fmt: skip

        officer_pages = [f"/ppid/permohonan/{request['id']}", f"/ppid/permohonan/{request['id']}/pemberitahuan",
                         f"/ppid/keberatan/{objection['id']}", f"/ppid/pengaduan/{complaint['id']}",
                         f"/ppid/sosial/tanggapan/{replies.id}"]  # fmt: skip
        for url in officer_pages:
            _shown(officer, portal + url, f"{name}: {url}", text)
        _shown(sysadmin, portal + "/ppid/sosial/", f"{name}: the outbox", text)
        _shown(
            public, portal + f"/permohonan/nomor/{request['registration_number']}", f"{name}: register", text
        )
        _shown(public, on_portal(request["tracking_url"], portal), f"{name}: tracking page", text)
        _shown(public, on_portal(complaint["tracking_url"], portal), f"{name}: complaint tracking page", text)

    # Pages and the report: Markdown and limited HTML, shown sanitised (every payload in one text).
    joined = "\n\n".join(TEXTS[n] for n in SCRIPTED)
    for slug, organization in (
        ("profil-ppid", None),
        ("standar-layanan", body["id"]),
        ("maklumat", body["id"]),
    ):
        for fmt in ("markdown", "html"):
            call_action("layananpublik_page_update", slug=slug, organization_id=organization, language="id",
                        title=TEXTS["attribute breakout"], body=joined, format=fmt)  # fmt: skip
            url = f"/informasi-publik/{org + '/' if organization else ''}{slug}"
            _shown(public, portal + url, f"{slug} ({fmt})")
    call_action(
        "layananpublik_report_narrative_update", year=year, language="id", section="policy", body=joined
    )
    call_action("layananpublik_dip_determination_update", organization_id=body["id"], number=TEXTS["svg onload"],
                decided_date="2026-01-02", decided_by=TEXTS["attribute breakout"])  # fmt: skip
    for url in (f"/informasi-publik/laporan/{year}", f"/informasi-publik/dip/{org}", "/informasi-publik/dip",
                f"/informasi-publik/dik/{org}", "/informasi-publik/dik", f"/informasi-publik/dip/{org}?cetak=1",
                "/permohonan/", "/keberatan/", "/umpan/permohonan/baru.atom"):  # fmt: skip
        _shown(public, portal + url, url)
    for url in (f"/informasi-publik/dip/{org}", f"/informasi-publik/dik/{org}"):
        _shown(public, portal + url, url)
        page_text = " ".join(public.page.inner_text("body").split())
        for text in STORED:  # every entry's title (DIP) and information type (DIK), as typed
            assert " ".join(text.split()) in page_text, url
