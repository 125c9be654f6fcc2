"""Where the survey shows outside its own pages: the invitation in the decision email and on
the tracking page, and the published index on the statistics page and in the annual report
(template helpers; they call the actions)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.layananpublik import web
from ckanext.layananpublik.survey import rules


def email_paragraph(row: Any) -> str:
    """The decision email's invitation (in the language being written), or "" when the survey
    is off. The email carries no tracking link (only its hash is stored): the requester opens
    the survey from the tracking page, or from their own page when signed in."""
    if not tk.config.get("ckanext.layananpublik.survey.enabled"):
        return ""
    if row.user_id:
        where = tk.url_for("layananpublik_survey.mine", id=row.id, _external=True)
    else:
        where = tk._('open the tracking link from your first email and choose "Answer the survey"')
    return tk._(
        "How did we serve you? Please answer our short satisfaction survey (nine questions, about two "
        "minutes): {where}. Your answers are published only as an index of all responses, never one by one "
        "or with your name."
    ).format(where=where)


def layananpublik_survey_invitation(req: dict, token: str | None) -> dict | None:
    """For the tracking page: the survey's state and address for this request (its requester
    is reading), or None when there is nothing to show (survey off, request not decided)."""
    ref = {"tracking_token": token} if token else {"request_id": req["id"]}
    try:
        status = tk.get_action("layananpublik_survey_status")(web.context(), ref)
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return None
    if not status["enabled"] or (not status["open"] and not status["answered"]):
        return None
    url = tk.h.url_for("layananpublik_survey.track", token=token) if token else tk.h.url_for(
        "layananpublik_survey.mine", id=req["id"])  # fmt: skip
    return {**status, "url": url}


def layananpublik_survey_index(organization_id: str | None, year: int) -> dict | None:
    """The published index of a body (None: every body) for a year; None when the survey is off."""
    if not tk.config.get("ckanext.layananpublik.survey.enabled"):
        return None
    data = {"year": year, **({"organization_id": organization_id} if organization_id else {})}
    try:
        return tk.get_action("layananpublik_survey_index")({"ignore_auth": True}, data)
    except (tk.ObjectNotFound, tk.ValidationError):
        return None


def layananpublik_survey_questions() -> list[dict]:
    """The nine questions, in the reader's language: code, label (the unsur) and question."""
    return [{"code": code, "label": tk._(label), "question": tk._(question)}
            for code, (label, question) in rules.UNSUR.items()]  # fmt: skip


def layananpublik_survey_scale() -> list[tuple[int, str]]:
    return [(value, tk._(label)) for value, label in rules.SCALE.items()]


def helpers() -> dict:
    return {f.__name__: f for f in (layananpublik_survey_invitation, layananpublik_survey_index,
                                    layananpublik_survey_questions, layananpublik_survey_scale)}  # fmt: skip
