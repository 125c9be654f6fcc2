"""Appointing a body's PPID staff (officer, superior)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action


@pytest.fixture
def org(clean_db, with_plugins):
    return factories.Organization(name="diskominfo")


@pytest.fixture
def admin(org):
    user = factories.User()
    call_action("member_create", id=org["id"], object=user["id"], object_type="user", capacity="admin")
    return {"user": user["name"], "ignore_auth": False}


def editor(org):
    user = factories.User()
    call_action("member_create", id=org["id"], object=user["id"], object_type="user", capacity="editor")
    return user


def test_an_org_admin_appoints_and_removes_an_officer(org, admin):
    staff = editor(org)
    created = call_action("layananpublik_officer_create", context=dict(admin), organization_id="diskominfo",
                          user_id=staff["name"])  # fmt: skip
    assert (created["role"], created["user_name"], created["active"]) == ("officer", staff["name"], True)
    listed = call_action("layananpublik_officer_list", context=dict(admin), organization_id=org["id"])
    assert [r["user_name"] for r in listed] == [staff["name"]]
    call_action(
        "layananpublik_officer_delete", context=dict(admin), organization_id=org["id"], user_id=staff["id"]
    )
    assert call_action("layananpublik_officer_list", context=dict(admin), organization_id=org["id"]) == []


def test_appointing_twice_changes_nothing(org, admin):
    staff = editor(org)
    for _ in range(2):
        call_action(
            "layananpublik_officer_create",
            context=dict(admin),
            organization_id=org["id"],
            user_id=staff["id"],
        )
    assert len(call_action("layananpublik_officer_list", context=dict(admin), organization_id=org["id"])) == 1


def test_officer_and_superior_are_separate_roles(org, admin):
    staff = editor(org)
    for role in ("officer", "superior"):
        call_action("layananpublik_officer_create", context=dict(admin), organization_id=org["id"],
                    user_id=staff["id"], role=role)  # fmt: skip
    superiors = call_action(
        "layananpublik_officer_list", context=dict(admin), organization_id=org["id"], role="superior"
    )
    assert [r["role"] for r in superiors] == ["superior"]


def test_a_role_is_inactive_for_a_plain_member(org, admin):
    member = factories.User()
    call_action("member_create", id=org["id"], object=member["id"], object_type="user", capacity="member")
    created = call_action("layananpublik_officer_create", context=dict(admin), organization_id=org["id"],
                          user_id=member["id"])  # fmt: skip
    assert created["active"] is False


@pytest.mark.parametrize(
    "params, field",
    [
        ({"role": "boss"}, "role"),
        ({"user_id": "nobody"}, "user_id"),
        ({"organization_id": "nowhere"}, "organization_id"),
    ],
)
def test_bad_parameters_are_refused(org, admin, params, field):
    staff = editor(org)
    data = {"organization_id": org["id"], "user_id": staff["id"], **params}
    with pytest.raises(tk.ValidationError) as exc:
        call_action("layananpublik_officer_create", context=dict(admin), **data)
    assert field in exc.value.error_dict


def test_removing_a_role_nobody_holds_is_not_found(org, admin):
    staff = editor(org)
    with pytest.raises(tk.ObjectNotFound):
        call_action(
            "layananpublik_officer_delete",
            context=dict(admin),
            organization_id=org["id"],
            user_id=staff["id"],
        )


def test_an_officer_may_see_the_list_but_not_change_it(org, admin):
    staff = editor(org)
    call_action(
        "layananpublik_officer_create", context=dict(admin), organization_id=org["id"], user_id=staff["id"]
    )
    ctx = {"user": staff["name"], "ignore_auth": False}
    assert len(call_action("layananpublik_officer_list", context=dict(ctx), organization_id=org["id"])) == 1
    with pytest.raises(tk.NotAuthorized):
        call_action(
            "layananpublik_officer_delete", context=dict(ctx), organization_id=org["id"], user_id=staff["id"]
        )
