"""Filing a complaint (pengaduan, UU 25/2009): what the complaint form's action
(layananpublik_complaint_create) and a complaint received through another channel
(layananpublik_complaint_record: a citizen's social-media reply an officer turns into one) share.
Other capabilities file a complaint through that action, not through this module."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.layananpublik.cases import events, lookup, numbers
from ckanext.layananpublik.cases.clock import local_day, now
from ckanext.layananpublik.cases.mail import requester_language
from ckanext.layananpublik.complaints.model import Complaint, ComplaintEvent


def file_complaint(
    org: model.Group, data: dict, context: Any, source: str | None = None
) -> tuple[Complaint, str]:
    """Register a complaint with the body (added with its first event, not committed): the
    complaint form's, or one received through another channel (`source`, e.g. "social_media"). Returns it and its tracking token."""
    received_at = now()
    received = local_day(received_at, org.id)
    token = lookup.new_token()
    user = model.User.get(context["user"]) if context.get("user") and not source else None
    row = Complaint(
        id=str(uuid.uuid4()), organization_id=org.id, tracking_token_hash=lookup.token_hash(token),
        tracking_token_sealed=lookup.sealed_until_mailed(token, data.get("email")),
        user_id=user.id if user else None, status="received", received_at=received_at, received_date=received,
        is_spam=False, updated_at=received_at, language=data.get("language") or requester_language(),
        due_date=received + dt.timedelta(days=tk.config.get("ckanext.layananpublik.complaint.response_days")),
        source=source,
        **{k: data.get(k) for k in ("service", "description", "occurred_on", "remedy", "loss", "name", "address",
                                    "email", "phone", "confidential")},
    )  # fmt: skip
    numbers.assign(row, org, received, "complaint")
    model.Session.add(row)
    model.Session.flush()
    parent = {"parent_id": row.id}
    if source is None:
        events.record(ComplaintEvent, parent, context, "submitted", role="complainant")
    else:  # recorded by an officer from what the citizen wrote elsewhere
        events.record(ComplaintEvent, parent, context, "submitted", source=source)
    return row, token
