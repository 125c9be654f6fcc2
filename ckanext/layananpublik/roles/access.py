"""Who may act for a public body: the answers every auth function asks for.

An information officer of a body is a member of its CKAN organisation with the editor or
admin capacity who has also been given the officer role (layananpublik_officer); the
superior (Atasan PPID) likewise. Sysadmins may act for every body.
"""

from __future__ import annotations

import ckan.authz as authz
from ckan import model

from ckanext.layananpublik.roles.model import BodyRole

STAFF_CAPACITIES = ("editor", "admin")


def _user(user_name: str | None) -> model.User | None:
    return model.User.get(user_name) if user_name else None


def is_sysadmin(user_name: str | None) -> bool:
    return bool(user_name) and authz.is_sysadmin(user_name)


def has_role(user_name: str | None, organization_id: str, role: str = "officer") -> bool:
    if is_sysadmin(user_name):
        return True
    user = _user(user_name)
    if user is None or authz.users_role_for_group_or_org(organization_id, user.name) not in STAFF_CAPACITIES:
        return False
    return (
        model.Session.query(BodyRole)
        .filter_by(organization_id=organization_id, user_id=user.id, role=role)
        .first()
        is not None
    )


def is_org_admin(user_name: str | None, organization_id: str) -> bool:
    return is_sysadmin(user_name) or (
        bool(user_name) and authz.users_role_for_group_or_org(organization_id, user_name) == "admin"
    )


def bodies_with_role(user_name: str | None, role: str = "officer") -> list[str] | None:
    """Ids of the organisations where the user holds `role`; None means every body (sysadmin)."""
    if is_sysadmin(user_name):
        return None
    user = _user(user_name)
    if user is None:
        return []
    rows = (
        model.Session.query(BodyRole.organization_id)
        .join(
            model.Member,
            (model.Member.group_id == BodyRole.organization_id)
            & (model.Member.table_id == BodyRole.user_id)
            & (model.Member.table_name == "user")
            & (model.Member.state == "active")
            & (model.Member.capacity.in_(STAFF_CAPACITIES)),
        )
        .filter(BodyRole.user_id == user.id, BodyRole.role == role)
    )
    return sorted({r.organization_id for r in rows})


def holders(organization_id: str, role: str = "officer") -> list[model.User]:
    """Active users holding `role` in the body (reminder recipients)."""
    return (
        model.Session.query(model.User)
        .join(BodyRole, BodyRole.user_id == model.User.id)
        .join(
            model.Member,
            (model.Member.group_id == BodyRole.organization_id)
            & (model.Member.table_id == model.User.id)
            & (model.Member.table_name == "user")
            & (model.Member.state == "active")
            & (model.Member.capacity.in_(STAFF_CAPACITIES)),
        )
        .filter(
            BodyRole.organization_id == organization_id, BodyRole.role == role, model.User.state == "active"
        )
        .order_by(model.User.name)
        .all()
    )
