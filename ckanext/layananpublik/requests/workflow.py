"""The request workflow as data: which step may follow which (Pasal 22).

received → in_process → (extended, once) → decided. An officer may also extend or
decide straight from "received". Pure logic: no database.
"""

from __future__ import annotations

from ckanext.layananpublik.cases.labels import N_

# Each list of codes once, with its labels (English message ids, translated where shown:
# h.layananpublik_label / layananpublik_choices); the tuples below derive from them.
STATUS_LABELS = {
    "received": N_("Received"),
    "in_process": N_("In process"),
    "extended": N_("Extended"),
    "decided": N_("Decided"),
}
OUTCOME_LABELS = {
    "granted_full": N_("Granted in full"),
    "granted_part": N_("Granted in part"),
    "refused": N_("Refused"),
    "not_held": N_("Not held by this body"),
    "not_documented": N_("Not yet documented"),
}
# Pasal 17 a–j: the only grounds on which information may be refused.
REFUSAL_GROUND_LABELS = {
    "a": N_("Pasal 17 a: would obstruct law enforcement"),
    "b": N_("Pasal 17 b: would harm intellectual property or fair competition"),
    "c": N_("Pasal 17 c: would endanger national defence and security"),
    "d": N_("Pasal 17 d: would reveal Indonesia's natural resources"),
    "e": N_("Pasal 17 e: would harm national economic resilience"),
    "f": N_("Pasal 17 f: would harm foreign relations"),
    "g": N_("Pasal 17 g: contents of private authentic deeds or wills"),
    "h": N_("Pasal 17 h: would reveal personal secrets"),
    "i": N_("Pasal 17 i: internal memoranda confidential by nature"),
    "j": N_("Pasal 17 j: information barred by another law"),
}
REQUESTER_TYPE_LABELS = {"individual": N_("Individual"), "legal_entity": N_("Legal entity")}
OBTAIN_METHOD_LABELS = {
    "inspect": N_("See, read, listen to or take notes"),
    "softcopy": N_("Receive a copy (softcopy)"),
    "hardcopy": N_("Receive a copy (hardcopy)"),
}
DELIVERY_METHOD_LABELS = {
    "pick_up": N_("Pick up in person"),
    "courier": N_("Courier"),
    "post": N_("Post"),
    "fax": N_("Fax"),
    "email": N_("Email"),
}
RELEASE_FORMAT_LABELS = {
    "softcopy": N_("Softcopy"),
    "hardcopy": N_("Hardcopy"),
    "both": N_("Softcopy and hardcopy"),
}
# How a request reached the body: online (the form or the API), or recorded by an officer.
CHANNEL_LABELS = {
    "online": N_("Online"),
    "desk": N_("At the service desk"),
    "post": N_("By post"),
    "email": N_("By email"),
    "fax": N_("By fax"),
}
INFORMATION_STATUS_LABELS = {
    "held": N_("Held by this body"),
    "not_held": N_("Not held by this body"),
    "not_documented": N_("Not yet documented"),
}
# The steps of a request's history: as the requester reads them, and as officers do.
EVENT_LABELS = {
    "submitted": N_("Request received"),
    "in_process": N_("Being processed"),
    "extended": N_("Deadline extended"),
    "decided": N_("Decision notice issued"),
    "file_attached": N_("Information released"),
    "summary_published": N_("Summary published in the public register"),
    "deadline_recomputed": N_("Deadline recomputed after a calendar change"),
    "marked_spam": N_("Marked as spam"),
    "unmarked_spam": N_("No longer marked as spam"),
    "objection_filed": N_("Objection filed"),
    "reopened": N_("Sent back by the superior after an objection"),
    "handed_over": N_("Information handed over"),
}
OFFICER_EVENT_LABELS = {
    **EVENT_LABELS,
    "submitted": N_("Request submitted"),
    "in_process": N_("Taken into process"),
    "decided": N_("Decision issued"),
    "file_attached": N_("File attached"),
    "summary_published": N_("Public summary published"),
}
LABELS = {
    "status": STATUS_LABELS,
    "outcome": OUTCOME_LABELS,
    "ground": REFUSAL_GROUND_LABELS,
    "requester_type": REQUESTER_TYPE_LABELS,
    "obtain_method": OBTAIN_METHOD_LABELS,
    "delivery_method": DELIVERY_METHOD_LABELS,
    "release_format": RELEASE_FORMAT_LABELS,
    "information_status": INFORMATION_STATUS_LABELS,
    "channel": CHANNEL_LABELS,
    "request_event": EVENT_LABELS,
    "request_event_officer": OFFICER_EVENT_LABELS,
}

STATUSES = tuple(STATUS_LABELS)
OPEN_STATUSES = ("received", "in_process", "extended")
OUTCOMES = tuple(OUTCOME_LABELS)
REFUSAL_GROUNDS = tuple(REFUSAL_GROUND_LABELS)
REQUESTER_TYPES = tuple(REQUESTER_TYPE_LABELS)
OBTAIN_METHODS = tuple(OBTAIN_METHOD_LABELS)
DELIVERY_METHODS = tuple(DELIVERY_METHOD_LABELS)
RELEASE_FORMATS = tuple(RELEASE_FORMAT_LABELS)
CHANNELS = tuple(CHANNEL_LABELS)

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
