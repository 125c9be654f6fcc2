"""Registration numbers of requests, objections and complaints: gap-free per body, kind and
year, in the format each kind's setting gives."""

from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def body_code(org: model.Group) -> str:
    return (org.extras.get("ppid_code") or org.name).upper()


def format_number(fmt: str, seq: int, org: model.Group, day: dt.date) -> str:
    return fmt.format(
        seq=seq, body=body_code(org), year=day.year, month=day.month, month_roman=ROMAN_MONTHS[day.month - 1]
    )


def next_number(org: model.Group, received: dt.date, kind: str = "request") -> tuple[int, int, str]:
    """(year, seq, number) of the next request (or objection, or complaint: `kind`) of this
    body's year. The counter row stays locked until the caller's transaction ends, so
    concurrent submissions from any number of web workers queue here, and a rolled-back
    submission does not leave a gap."""
    seq = model.Session.execute(
        sa.text(
            "INSERT INTO layananpublik_request_counter (kind, organization_id, year, last_seq) "
            "VALUES (:kind, :org, :year, 1) ON CONFLICT (kind, organization_id, year) DO UPDATE "
            "SET last_seq = layananpublik_request_counter.last_seq + 1 RETURNING last_seq"
        ),
        {"kind": kind, "org": org.id, "year": received.year},
    ).scalar_one()
    fmt = tk.config.get(f"ckanext.layananpublik.{kind}.number_format")
    return received.year, seq, format_number(fmt, seq, org, received)


def assign(row: object, org: model.Group, received: dt.date, kind: str) -> None:
    """Give a new case its registration year, sequence and number (in the caller's transaction)."""
    row.registration_year, row.registration_seq, row.registration_number = next_number(  # type: ignore[attr-defined]
        org, received, kind
    )


def active_body(organization_id: str) -> model.Group:
    """The public body a case is filed with: an active organisation, or a clear error."""
    org = model.Group.get(organization_id)
    if org is None or not org.is_organization or org.state != "active":
        raise tk.ValidationError({"organization_id": [tk._("Choose a public body from the list")]})
    return org
