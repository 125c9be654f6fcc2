"""The request workflow as data: which step may follow which (Pasal 22).

received → in_process → (extended, once) → decided. An officer may also extend or
decide straight from "received". Pure logic: no database, no CKAN.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk

STATUSES = ("received", "in_process", "extended", "decided")
OPEN_STATUSES = ("received", "in_process", "extended")

OUTCOMES = ("granted_full", "granted_part", "refused", "not_held", "not_documented")
# Pasal 17 a–j: the only grounds on which information may be refused.
REFUSAL_GROUNDS = tuple("abcdefghij")
REQUESTER_TYPES = ("individual", "legal_entity")
OBTAIN_METHODS = ("inspect", "softcopy", "hardcopy")
DELIVERY_METHODS = ("pick_up", "courier", "post", "fax", "email")
RELEASE_FORMATS = ("softcopy", "hardcopy", "both")

# action -> statuses it may start from, and the status it leads to
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "process": (("received",), "in_process"),
    "extend": (("received", "in_process"), "extended"),
    "decide": (("received", "in_process", "extended"), "decided"),
}


class TransitionError(ValueError):
    """An officer asked for a step the workflow does not allow from the current status."""

    def __init__(self, action: str, status: str) -> None:
        super().__init__(f"{action} is not allowed from {status}")
        self.action = action
        self.status = status


def next_status(action: str, status: str) -> str:
    allowed_from, target = TRANSITIONS[action]
    if status not in allowed_from:
        raise TransitionError(action, status)
    return target


def allowed_actions(status: str) -> list[str]:
    return [action for action, (sources, _target) in TRANSITIONS.items() if status in sources]


def information_status(outcome: str | None) -> str | None:
    """The register's "status of the information": held, not held or not yet documented."""
    if outcome is None:
        return None
    return {"not_held": "not_held", "not_documented": "not_documented"}.get(outcome, "held")


# Labels are looked up at call time so they follow the request's language.
def status_label(status: str) -> str:
    return {
        "received": tk._("Received"),
        "in_process": tk._("In process"),
        "extended": tk._("Extended"),
        "decided": tk._("Decided"),
    }.get(status, status)


def outcome_label(outcome: str | None) -> str:
    if outcome is None:
        return ""
    return {
        "granted_full": tk._("Granted in full"),
        "granted_part": tk._("Granted in part"),
        "refused": tk._("Refused"),
        "not_held": tk._("Not held by this body"),
        "not_documented": tk._("Not yet documented"),
    }.get(outcome, outcome)


def refusal_ground_label(ground: str) -> str:
    return {
        "a": tk._("Pasal 17 a: would obstruct law enforcement"),
        "b": tk._("Pasal 17 b: would harm intellectual property or fair competition"),
        "c": tk._("Pasal 17 c: would endanger national defence and security"),
        "d": tk._("Pasal 17 d: would reveal Indonesia's natural resources"),
        "e": tk._("Pasal 17 e: would harm national economic resilience"),
        "f": tk._("Pasal 17 f: would harm foreign relations"),
        "g": tk._("Pasal 17 g: contents of private authentic deeds or wills"),
        "h": tk._("Pasal 17 h: would reveal personal secrets"),
        "i": tk._("Pasal 17 i: internal memoranda confidential by nature"),
        "j": tk._("Pasal 17 j: information barred by another law"),
    }.get(ground, ground)


def requester_type_label(value: str) -> str:
    return {"individual": tk._("Individual"), "legal_entity": tk._("Legal entity")}.get(value, value)


def obtain_method_label(value: str) -> str:
    return {
        "inspect": tk._("See, read, listen to or take notes"),
        "softcopy": tk._("Receive a copy (softcopy)"),
        "hardcopy": tk._("Receive a copy (hardcopy)"),
    }.get(value, value)


def delivery_method_label(value: str) -> str:
    return {
        "pick_up": tk._("Pick up in person"),
        "courier": tk._("Courier"),
        "post": tk._("Post"),
        "fax": tk._("Fax"),
        "email": tk._("Email"),
    }.get(value, value)


def release_format_label(value: str | None) -> str:
    if value is None:
        return ""
    return {
        "softcopy": tk._("Softcopy"),
        "hardcopy": tk._("Hardcopy"),
        "both": tk._("Softcopy and hardcopy"),
    }.get(value, value)


def information_status_label(value: str | None) -> str:
    if value is None:
        return ""
    return {
        "held": tk._("Held by this body"),
        "not_held": tk._("Not held by this body"),
        "not_documented": tk._("Not yet documented"),
    }.get(value, value)


def objection_ground_label(ground: str) -> str:
    return {
        "a": tk._("Pasal 35(1) a: the request was refused on grounds of exemption (Pasal 17)"),
        "b": tk._("Pasal 35(1) b: periodic information (berkala) was not published"),
        "c": tk._("Pasal 35(1) c: the request was not answered"),
        "d": tk._("Pasal 35(1) d: the request was answered other than asked"),
        "e": tk._("Pasal 35(1) e: the request was not fulfilled"),
        "f": tk._("Pasal 35(1) f: the fee charged is unreasonable"),
        "g": tk._("Pasal 35(1) g: the answer came later than the deadline"),
    }.get(ground, ground)


def objection_decision_label(value: str | None) -> str:
    if value is None:
        return ""
    return {
        "upheld": tk._("Objection rejected: the officer's decision stands"),
        "overturned": tk._("Objection granted: the officer's decision is overturned"),
    }.get(value, value)


def dispute_stage_label(value: str | None) -> str:
    if value is None:
        return ""
    return {
        "filed": tk._("Dispute filed with the Komisi Informasi"),
        "mediation": tk._("Mediation"),
        "adjudication": tk._("Adjudication"),
        "decided": tk._("Decided by the Komisi Informasi"),
        "withdrawn": tk._("Withdrawn"),
    }.get(value, value)


def complaint_status_label(value: str) -> str:
    return {
        "received": tk._("Received"),
        "in_follow_up": tk._("In follow-up"),
        "resolved": tk._("Resolved"),
        "rejected": tk._("Rejected"),
    }.get(value, value)


def objection_status_label(value: str) -> str:
    return {"received": tk._("Awaiting the superior's answer"), "decided": tk._("Answered")}.get(value, value)
