"""The authorisation matrix of tests/authorisation_table.py, checked cell by cell against the
real stack (issue 16), and the table checked against what is registered: every action, every
auth function and every route of our blueprints has its row.

The ten users and one case of each kind (with a social channel, its published post and a
citizen's reply, through the local platform servers of tests/social/fakes.py) are built once
for the module."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import ckan.plugins as plugins
import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import _get_test_app, call_action
from werkzeug.datastructures import FileStorage

from ckanext.layananpublik import plugin
from ckanext.layananpublik.social import listen, outbox
from ckanext.layananpublik.social.model import SocialFeedback, SocialPost
from tests.authorisation_table import ACTIONS, PAGES, ROLES, SIGNED_WEBHOOK
from tests.cases.factories import CONSEQUENCE_TEST, GRANT_NOTICE, VALID_NIK, as_user, make_officer, submit
from tests.conftest import migrate
from tests.social.conftest import make_channel, public_dataset
from tests.social.fakes import FakePlatforms

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
WRONG_TOKEN = "W" * 32
FEEDBACK_TEXT = "Balasan warga Budi soal jalan rusak di RT 04"


def _registered() -> tuple[set[str], set[str], set[str]]:
    actions = set(plugin._merged("actions"))
    auths = set(plugin._merged("auth_functions"))
    import flask

    app = flask.Flask("routes")
    for capability in plugin.CAPABILITIES:
        for blueprint in plugin._face(capability, "blueprints")():
            app.register_blueprint(blueprint)
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint != "static"}
    return actions, auths, endpoints


# --- the table against what is registered (no database needed) ------------------------------------


def test_every_action_and_auth_function_has_a_row() -> None:
    actions, auths, _ = _registered()
    named = {row[0] for row in ACTIONS}
    checked = {row[1] for row in ACTIONS}
    assert actions - named == set(), "actions without a row in tests/authorisation_table.py"
    assert auths - checked == set(), "auth functions no row checks"
    assert named - actions - auths == set(), "rows of actions that do not exist"


def test_every_route_has_a_row() -> None:
    _, _, endpoints = _registered()
    rows = {row[0] for row in PAGES}
    assert endpoints - rows == set(), "routes without a row in tests/authorisation_table.py"
    assert rows - endpoints == set(), "rows of routes that do not exist"
    actions, _, _ = _registered()
    for endpoint, path, marker, allowed in PAGES:
        assert all(r in ROLES for r in allowed), endpoint
        if path is None:  # a POST-only route: authorised by its action's row, or by a signature
            assert marker in actions or marker == SIGNED_WEBHOOK, endpoint


# --- the world: ten users, one case of each kind ---------------------------------------------------


@pytest.fixture(scope="module")
def world(reset_db):
    reset_db()
    migrate("layananpublik")
    plugins.load_all()
    platforms = FakePlatforms()
    try:
        yield _build(platforms)
    finally:
        platforms.close()
        plugins.unload_all()


def _user_in(org_id: str, capacity: str) -> dict:
    user = factories.User()
    call_action("member_create", id=org_id, object=user["id"], object_type="user", capacity=capacity)
    return user


def _social(platforms: FakePlatforms, body: dict) -> dict:
    """The body's Mastodon channel (on the local server speaking Mastodon's API), one dataset's
    post published through the outbox, and a citizen's reply to it read back by the listener."""
    channel = make_channel(platforms, "mastodon", body, title="Akun Mastodon Badan Uji")
    public_dataset(body)
    outbox.drain()
    post = model.Session.query(SocialPost).filter_by(channel_id=channel["id"]).one()
    platforms.add_reply("mastodon", post.remote_id, FEEDBACK_TEXT, author="budi")
    listen.poll()
    feedback = model.Session.query(SocialFeedback).one()
    return {"channel_id": channel["id"], "channel_title": channel["title"], "post_id": post.id,
            "post_remote_url": post.remote_url, "feedback_id": feedback.id, "feedback_text": FEEDBACK_TEXT}  # fmt: skip


def _build(platforms: FakePlatforms) -> SimpleNamespace:
    body = factories.Organization(name="badan-uji", title="Badan Uji")
    other = factories.Organization(name="badan-lain")
    group = factories.Group(name="kelompok")
    dataset = factories.Dataset(owner_org=body["id"], name="data-uji", tags=[{"name": "air"}])
    requester = factories.User(name="warga-uji")
    users = {
        "A": None,
        "T": None,
        "R": requester,
        "O": make_officer(body["id"]),
        "X": make_officer(other["id"]),
        "S": make_officer(body["id"], role="superior"),
        "C": make_officer(body["id"], role="complaints"),
        "M": _user_in(body["id"], "admin"),
        "E": _user_in(body["id"], "editor"),
        "Y": factories.Sysadmin(),
    }
    ktp = FileStorage(stream=io.BytesIO(PNG), filename="ktp.png", content_type="image/png")
    request = submit(body["id"], user=requester, identity_document=ktp)
    officer = users["O"]
    call_action("layananpublik_request_decide", context=as_user(officer), id=request["id"], outcome="granted_part",
                information_given="Rekap", redactions="Nomor rekening", refusal_grounds=["h"], **GRANT_NOTICE,
                **CONSEQUENCE_TEST)  # fmt: skip
    call_action("layananpublik_request_attach", context=as_user(officer), id=request["id"], title="Rekap",
                upload=FileStorage(stream=io.BytesIO(PDF), filename="rekap.pdf"))  # fmt: skip
    files = call_action("layananpublik_request_show", id=request["id"])["files"]
    objection = call_action("layananpublik_objection_create", context=as_user(requester), request_id=request["id"],
                            grounds=["a"],
                            reason="Informasi ini tidak termasuk yang dikecualikan.")  # fmt: skip
    complaint = call_action("layananpublik_complaint_create", context=as_user(None), organization_id=body["id"],
                            service="Layanan informasi", description="Petugas loket tidak ada.",
                            occurred_on="2026-11-20", remedy="Petugas hadir.", name="Budi Pengadu Unik",
                            email="budi@example.com")  # fmt: skip
    dip_item = call_action("layananpublik_dip_item_create", organization_id=body["id"], category="setiap_saat",
                           title="SOP pelayanan informasi", forms=["hardcopy"], holding_unit="Sekretariat PPID")  # fmt: skip
    from tests.transparency.dip.conftest import exempt_record

    exempt = call_action("layananpublik_exempt_item_create", **exempt_record(body))
    return SimpleNamespace(
        body=body, users=users, dataset=dataset, request=request, objection=objection, complaint=complaint,
        values={
            "org": body["name"], "org_id": body["id"], "group": group["name"], "number": request["registration_number"],
            "nik": VALID_NIK, "request_id": request["id"], "objection_id": objection["id"],
            "objection_number": objection["registration_number"], "complaint_id": complaint["id"],
            "complaint_number": complaint["registration_number"], "complainant": "Budi Pengadu Unik",
            "release_file": next(f["id"] for f in files if f["kind"] == "release"),
            "identity_file": next(f["id"] for f in files if f["kind"] == "identity"),
            "dip_item": dip_item["id"], "exempt_item": exempt["id"], "year": dt.date.today().year,
            **_social(platforms, body),
        },
    )  # fmt: skip


# --- actions: every cell --------------------------------------------------------------------------


def _subject(world, name: str, role: str) -> dict:
    body, requester = world.body["id"], world.users["R"]
    token = role == "T"
    case = {"organization_id": body, "user_id": requester["id"], "tracking_token_valid": token}
    return {
        "request": {**case, "under_objection": False},
        "request_objected": {**case, "under_objection": True},
        "objection": case,
        "complaint": {"organization_id": body, "tracking_token_valid": token, "confidential": False},
        "complaint_confidential": {
            "organization_id": body,
            "tracking_token_valid": token,
            "confidential": True,
        },
        "body": {"organization_id": body},
        "site": {},
        "public": {"scope": "public"},
        "mine": {"scope": "mine"},
        "inbox": {"scope": "inbox"},
        "inbox_body": {"scope": "inbox", "organization_id": body},
        "dataset": {"id": world.dataset["id"]},
    }[name]


def _allowed(auth: str, user: dict | None, data_dict: dict) -> bool:
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    try:
        tk.check_access(auth, context, dict(data_dict))
    except tk.NotAuthorized:
        return False
    return True


def test_every_action_cell(world) -> None:
    wrong = []
    for name, auth, subject, allowed in ACTIONS:
        for role in ROLES:
            got = _allowed(auth, world.users[role], _subject(world, subject, role))
            if got != (role in allowed):
                wrong.append(f"{name} [{subject}] {role}: {'allowed' if got else 'refused'}")
    assert not wrong, "\n".join(wrong)


# --- pages: every cell ----------------------------------------------------------------------------


def _client(world, app, role: str):
    client = app.test_client()
    user = world.users[role]
    environ = {"REMOTE_USER": user["name"]} if user else {}
    return client, environ


# The health page answers 503 while no job worker runs (none does in these tests): an answer.
ANSWERS_503 = {"/layananpublik/health"}


def _outcome(response, marker: str | None) -> bool:
    if response.status_code == 503 and response.request.path in ANSWERS_503:
        return True
    if response.status_code >= 500:
        raise AssertionError(f"{response.request.path}: {response.status_code}")
    if response.status_code in (301, 302, 303):
        return "/user/login" not in response.headers["Location"]
    if response.status_code != 200:
        return False
    return marker is None or marker.encode() in response.get_data()


def test_every_page_cell(world) -> None:
    app = _get_test_app()
    values = world.values
    tokens = {"token": world.request["tracking_token"], "objection_token": world.objection["tracking_token"],
              "complaint_token": world.complaint["tracking_token"]}  # fmt: skip
    wrong = []
    for endpoint, path, marker, allowed in PAGES:
        if path is None:
            continue
        for role in ROLES:
            client, environ = _client(world, app, role)
            secrets = tokens if role == "T" else dict.fromkeys(tokens, WRONG_TOKEN)
            if role == "T" and "/dilacak" in path:  # the tracking link first: the token into its cookie
                kind = path.split("/")[1]
                link = {"permohonan": f"/permohonan/lacak/{tokens['token']}",
                        "keberatan": f"/keberatan/lacak/{tokens['objection_token']}",
                        "pengaduan": f"/pengaduan/lacak/{tokens['complaint_token']}"}[kind]  # fmt: skip
                client.get(link)
            url = path.format(**values, **secrets)
            response = client.get(url, extra_environ=environ, follow_redirects=False)
            got = _outcome(response, marker.format(**values) if marker else None)
            if got != (role in allowed):
                wrong.append(f"{endpoint} {role}: {'allowed' if got else 'refused'} ({response.status_code})")
    assert not wrong, "\n".join(wrong)
