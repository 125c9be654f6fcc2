"""The append-only history of every case: one event table per case type (a trigger in the
migrations refuses UPDATE), written through one function."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ckan import model

from ckanext.layananpublik.cases.clock import now


def actor(context: Any) -> tuple[str | None, str]:
    """(user id, role) of whoever acts: a signed-in user is an officer unless the action says
    they act as the requester; anyone else is the requester."""
    user = model.User.get(context.get("user")) if context.get("user") else None
    return (user.id if user else None), (
        "officer" if user and not context.get("as_requester") else "requester"
    )


def jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def record(
    table: Any,
    parent: dict,
    context: Any,
    action: str,
    note: str | None = None,
    role: str | None = None,
    at: dt.datetime | None = None,
    **data: Any,
) -> None:
    """Add one event to `table` (RequestEvent, ObjectionEvent, ComplaintEvent): `parent` names
    the case's column and id ({"request_id": ...} or {"parent_id": ...}); `role` overrides
    the actor's role (the requester, the superior, the complainant)."""
    actor_id, actor_role = actor(context)
    model.Session.add(
        table(**parent, at=at or now(), actor_id=actor_id, actor_role=role or actor_role, action=action,
              note=note, data={k: jsonable(v) for k, v in data.items()})
    )  # fmt: skip
