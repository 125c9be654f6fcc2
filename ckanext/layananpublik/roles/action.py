"""Actions managing who holds the PPID roles of a body."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.layananpublik.cases.clock import now
from ckanext.layananpublik.roles import access
from ckanext.layananpublik.roles.model import ROLES, BodyRole


def _schema() -> dict:
    not_empty = tk.get_validator("not_empty")
    unicode_safe = tk.get_validator("unicode_safe")
    return {
        "organization_id": [not_empty, unicode_safe, tk.get_validator("group_id_or_name_exists")],
        "user_id": [
            tk.get_validator("ignore_missing"),
            unicode_safe,
            tk.get_validator("user_id_or_name_exists"),
        ],
        "role": [
            tk.get_validator("default")("officer"),
            unicode_safe,
            tk.get_validator("one_of")(list(ROLES)),
        ],
    }


def _validated(context: Any, data_dict: dict, need_user: bool) -> dict:
    data, errors = tk.navl_validate(data_dict, _schema(), context)
    if need_user and not data.get("user_id") and not errors.get("user_id"):
        errors["user_id"] = [tk._("Missing value")]
    if errors:
        raise tk.ValidationError(errors)
    data["organization_id"] = model.Group.get(data["organization_id"]).id
    if data.get("user_id"):
        data["user_id"] = model.User.get(data["user_id"]).id
    return data


def _user_id(context: Any) -> str | None:
    user = model.User.get(context["user"]) if context.get("user") else None
    return user.id if user else None


def _role_dict(row: BodyRole) -> dict:
    user = model.User.get(row.user_id)
    return {
        "organization_id": row.organization_id,
        "user_id": row.user_id,
        "user_name": user.name if user else None,
        "display_name": user.display_name if user else None,
        "role": row.role,
        "active": access.has_role(user.name, row.organization_id, row.role) if user else False,
        "created_at": row.created_at.isoformat(),
    }


def layananpublik_officer_create(context: Any, data_dict: dict) -> dict:
    """Give a member of a body's organisation a PPID role.

    :param organization_id: the body (organisation id or name)
    :param user_id: the user (id or name); they must be an editor or admin of the body to act
    :param role: ``officer`` (PPID, default) or ``superior`` (Atasan PPID)
    """
    data = _validated(context, data_dict, need_user=True)
    tk.check_access("layananpublik_officer_create", context, data)
    row = model.Session.get(BodyRole, (data["organization_id"], data["user_id"], data["role"]))
    if row is None:
        row = BodyRole(
            organization_id=data["organization_id"],
            user_id=data["user_id"],
            role=data["role"],
            created_at=now(),
            created_by=_user_id(context),
        )
        model.Session.add(row)
        model.Session.commit()
    return _role_dict(row)


def layananpublik_officer_delete(context: Any, data_dict: dict) -> dict:
    """Take a PPID role away.

    :param organization_id: the body (organisation id or name)
    :param user_id: the user (id or name)
    :param role: ``officer`` (default) or ``superior``
    """
    data = _validated(context, data_dict, need_user=True)
    tk.check_access("layananpublik_officer_delete", context, data)
    row = model.Session.get(BodyRole, (data["organization_id"], data["user_id"], data["role"]))
    if row is None:
        raise tk.ObjectNotFound(tk._("This user does not hold that role"))
    model.Session.delete(row)
    model.Session.commit()
    return {"success": True}


@tk.side_effect_free
def layananpublik_officer_list(context: Any, data_dict: dict) -> list[dict]:
    """The PPID role holders of a body.

    :param organization_id: the body (organisation id or name)
    :param role: ``officer`` or ``superior`` (default: both)
    """
    data = _validated(context, data_dict, need_user=False)
    tk.check_access("layananpublik_officer_list", context, data)
    query = model.Session.query(BodyRole).filter_by(organization_id=data["organization_id"])
    if data_dict.get("role"):
        query = query.filter_by(role=data["role"])
    return [_role_dict(r) for r in query.order_by(BodyRole.role, BodyRole.created_at)]
