"""The authorisation matrix: every actor × every action on a request, through the real
action layer with access checks on (CKAN's call_action skips them unless told not to)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.cases import snapshots
from tests.cases.factories import as_user, build_people, make_officer, submit, valid_request

ACTORS = ("anonymous", "requester", "officer", "other_officer", "member", "org_admin", "sysadmin")

# action -> extra parameters; every one is called on the same fresh request.
ACTIONS = {
    "layananpublik_request_process": {},
    "layananpublik_request_extend": {"days": 3, "reason": "Data di unit lain"},
    "layananpublik_request_decide": {"outcome": "not_documented"},
    "layananpublik_request_attach": {"title": "Rekap", "url": "https://example.go.id/rekap.pdf"},
    "layananpublik_request_mark_spam": {"reason": "iklan"},
    "layananpublik_request_summary_update": {"public_summary": "Ringkasan"},
}
OFFICERS = {"officer", "sysadmin"}


def _people() -> dict:
    built = build_people(["body", "other_body", "officer", "other_officer", "requester", "sysadmin"])
    body = built["body"]
    member = factories.User()
    call_action("member_create", id=body["id"], object=member["id"], object_type="user", capacity="member")
    org_admin = factories.User()
    call_action("member_create", id=body["id"], object=org_admin["id"], object_type="user", capacity="admin")
    return {
        "body": body,
        "other_body": built["other_body"],
        "anonymous": None,
        "requester": built["requester"],
        "officer": built["officer"],
        "other_officer": built["other_officer"],
        "member": member,
        "org_admin": org_admin,  # administers the organisation, but holds no PPID role
        "sysadmin": built["sysadmin"],
    }


@pytest.fixture
def people(request, clean_db, with_plugins):
    """Every actor, built once for the module: each test starts from the rows that build left
    (tests/cases/snapshots.py), whatever the test before it changed."""
    return snapshots.shared(snapshots.key_of(request, "people"), _people)


@pytest.fixture
def body(people):
    return people["body"]


@pytest.fixture
def other_body(people):
    return people["other_body"]


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("actor", ACTORS)
def test_workflow_actions_need_an_officer_of_the_body(body, people, actor, action):
    created = submit(body["id"], user=people["requester"])
    call = lambda: call_action(action, context=as_user(people[actor]), id=created["id"], **ACTIONS[action])  # noqa: E731
    if actor in OFFICERS:
        assert call()["id"] == created["id"]
    else:
        with pytest.raises(tk.NotAuthorized):
            call()


@pytest.mark.parametrize("actor", ACTORS)
def test_who_sees_personal_data(body, people, actor):
    created = submit(body["id"], user=people["requester"])
    shown = call_action("layananpublik_request_show", context=as_user(people[actor]), id=created["id"])
    assert ("nik" in shown) == (actor in OFFICERS | {"requester"})
    assert shown["registration_number"] == created["registration_number"]


@pytest.mark.parametrize("actor", ACTORS)
def test_who_may_download_the_identity_document(body, people, actor):
    import io

    from werkzeug.datastructures import FileStorage

    created = submit(body["id"], user=people["requester"],
                     identity_document=FileStorage(io.BytesIO(b"%PDF-1.4\n"), filename="ktp.pdf"))  # fmt: skip
    call = lambda: call_action(  # noqa: E731
        "layananpublik_request_file_show", context=as_user(people[actor]), id=created["id"],
        file_id=created["files"][0]["id"],
    )  # fmt: skip
    if actor in OFFICERS:  # issue 16: identity documents are served to the body's officers only
        assert call()["kind"] == "identity"
    else:
        with pytest.raises(tk.NotAuthorized):
            call()


@pytest.mark.parametrize("actor", ACTORS)
def test_who_may_export_the_register(body, people, actor):
    submit(body["id"])
    call = lambda: call_action("layananpublik_request_register", context=as_user(people[actor]),  # noqa: E731
                               organization_id=body["id"])  # fmt: skip
    if actor in OFFICERS:
        assert len(call()) == 1
    else:
        with pytest.raises(tk.NotAuthorized):
            call()


@pytest.mark.parametrize("actor", ACTORS)
def test_who_has_an_inbox(body, people, actor):
    submit(body["id"])
    call = lambda: call_action("layananpublik_request_list", context=as_user(people[actor]), scope="inbox")  # noqa: E731
    if actor in OFFICERS:
        assert call()["count"] == 1
    elif actor == "other_officer":
        assert call()["count"] == 0  # an inbox, but for another body
    else:
        with pytest.raises(tk.NotAuthorized):
            call()


@pytest.mark.parametrize("actor", ACTORS)
def test_everyone_may_submit_and_read_the_register_and_statistics(body, people, actor):
    ctx = as_user(people[actor])
    created = call_action("layananpublik_request_create", context=dict(ctx),
                          **valid_request(body["id"]))  # fmt: skip
    assert created["registration_number"]
    assert call_action("layananpublik_request_list", context=dict(ctx))["count"] == 1
    assert call_action("layananpublik_request_stats", context=dict(ctx))["total"]["received"] == 1
    assert call_action("layananpublik_calendar_day_list", context=dict(ctx), year=2026)["days"]


@pytest.mark.parametrize("actor", ACTORS)
def test_only_sysadmins_change_the_calendar(body, people, actor):
    ctx = as_user(people[actor])
    calls = [
        lambda: call_action("layananpublik_calendar_day_update", context=dict(ctx), day="2027-01-04", kind="holiday",
                            name="Libur"),
        lambda: call_action("layananpublik_calendar_import", context=dict(ctx),
                            ical="BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20270105\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR"),
        lambda: call_action("layananpublik_calendar_day_delete", context=dict(ctx), day="2027-01-04"),
    ]  # fmt: skip
    for call in calls:
        if actor == "sysadmin":
            call()
        else:
            with pytest.raises(tk.NotAuthorized):
                call()


@pytest.mark.parametrize("actor", ACTORS)
def test_only_org_admins_appoint_officers(body, people, actor):
    candidate = factories.User()
    call_action("member_create", id=body["id"], object=candidate["id"], object_type="user", capacity="editor")
    call = lambda: call_action("layananpublik_officer_create", context=as_user(people[actor]),  # noqa: E731
                               organization_id=body["id"], user_id=candidate["name"], role="officer")  # fmt: skip
    if actor in ("org_admin", "sysadmin"):
        assert call()["active"] is True
    else:
        with pytest.raises(tk.NotAuthorized):
            call()


# In February nothing is due, the annual report's reminders included (they start on 1 March).
@pytest.mark.freeze_time("2026-02-10 03:00:00")
def test_the_reminder_run_is_for_sysadmins(body, people):
    with pytest.raises(tk.NotAuthorized):
        call_action("layananpublik_request_send_reminders", context=as_user(people["officer"]))
    assert call_action("layananpublik_request_send_reminders", context=as_user(people["sysadmin"])) == {
        "due_soon": 0, "overdue": 0, "requester_overdue": 0, "superior_overdue": 0,
        "objection_due_soon": 0, "objection_overdue": 0, "objection_requester_overdue": 0,
        "complaint_due_soon": 0, "complaint_overdue": 0, "feedback_due_soon": 0, "feedback_overdue": 0,
        "report_due_soon": 0, "report_overdue": 0,
    }  # fmt: skip


def test_an_officer_role_without_membership_gives_no_power(body, other_body):
    # The role row alone is not enough: leaving the organisation ends the officer's access.
    officer = make_officer(body["id"])
    call_action("member_delete", id=body["id"], object=officer["id"], object_type="user")
    created = submit(body["id"])
    with pytest.raises(tk.NotAuthorized):
        call_action("layananpublik_request_process", context=as_user(officer), id=created["id"])
