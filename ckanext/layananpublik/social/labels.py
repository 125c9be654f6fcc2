"""What the pages (and the actions' error messages) show for the outbox's codes: a post's
status, the audit log's steps and its sending process, a channel's language; translated."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

WORKER = "worker"  # the actor of the sending process's audit rows (outbox.WORKER)


def status_label(status: str) -> str:
    return {
        "review": tk._("awaiting review"), "queued": tk._("queued"), "sending": tk._("sending"),
        "published": tk._("published"), "failed": tk._("failed"), "unknown": tk._("unknown: check the account"),
        "cancelled": tk._("cancelled"), "skipped": tk._("skipped"),
    }.get(status, status)  # fmt: skip


def action_label(action: str) -> str:
    """A step of the audit log (SocialLog.action)."""
    return {
        "created": tk._("created"),
        "edited": tk._("text edited"),
        "approved": tk._("approved"),
        "skipped": tk._("skipped"),
        "cancelled": tk._("cancelled"),
        "retried": tk._("queued again"),
        "resolved_published": tk._("marked as published"),
        "send": tk._("send attempt"),
        "lookup": tk._("looked up on the platform"),
        "published": tk._("published"),
        "retry": tk._("to be tried again"),
        "uncertain": tk._("may have been published"),
        "failed": tk._("failed"),
        "lease_expired_resend": tk._("worker stopped mid-send; sent again with the same key"),
        "lease_expired_unknown": tk._("worker stopped mid-send; outcome unknown"),
        "late_result_ignored": tk._("late answer ignored"),
    }.get(action, action)


def actor_label(actor: str | None) -> str:
    """Who did a step: a user name, or the sending process."""
    if actor == WORKER:
        return tk._("sending process")
    return actor or ""


def language_label(language: str) -> str:
    """The language of a channel's post templates."""
    return {"id": tk._("Indonesian"), "en": tk._("English")}.get(language, language)


def feedback_status_label(status: str) -> str:
    """A citizen's reply in the inbox (SocialFeedback.status)."""
    return {
        "open": tk._("awaiting an answer"), "answered": tk._("answered"),
        "referred": tk._("pointed to the request form"), "complaint": tk._("turned into a complaint"),
        "dismissed": tk._("dismissed"),
    }.get(status, status)  # fmt: skip


def feedback_event_label(action: str) -> str:
    """A step of a reply's history (SocialFeedbackEvent.action)."""
    return {
        "received": tk._("received"), "edited": tk._("edited by its author"),
        "deleted": tk._("deleted by its author"), "replied": tk._("answered through the outbox"),
        "referred": tk._("pointed to the request form"), "complaint": tk._("turned into a complaint"),
        "answered": tk._("marked answered"), "dismissed": tk._("dismissed"), "reopened": tk._("opened again"),
        "assigned": tk._("assigned"),
    }.get(action, action)  # fmt: skip
