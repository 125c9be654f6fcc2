"""When a requester may object, on which grounds, and until when (Pasal 35–37).

Pure logic over a request's state: no database, no CKAN.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ckanext.layananpublik.calendar import deadlines
from ckanext.layananpublik.objections.workflow import GROUNDS


@dataclass(frozen=True)
class GroundWindow:
    ground: str
    arose: dt.date  # the day the ground arose
    deadline: deadlines.Deadline  # 30 working days after it: the last day to object

    def open_on(self, today: dt.date) -> bool:
        return today <= self.deadline.due


def _arose(request: Any, ground: str, today: dt.date) -> dt.date | None:
    """The day a ground arose for this request, or None when it does not apply."""
    decided = request.status == "decided"
    if ground == "a":  # refusal on Pasal 17 grounds (in whole or in part)
        return request.decision_date if decided and request.outcome in ("refused", "granted_part") else None
    if ground == "b":  # berkala information not published: not tied to the request's state
        return today
    if ground == "c":  # not answered: the deadline has passed without a decision
        return request.due_date if not decided and request.due_date < today else None
    if ground == "e" and getattr(request, "set_aside_on", None):  # set aside as spam: not fulfilled
        return request.set_aside_on
    if ground in ("d", "e"):  # answered other than asked / not fulfilled
        return request.decision_date if decided else None
    if ground == "f":  # unreasonable fee
        fee = request.fee or Decimal(0)
        return request.decision_date if decided and fee > 0 else None
    if ground == "g":  # answered after the deadline
        late = decided and request.decision_date is not None and request.decision_date > request.due_date
        return request.decision_date if late else None
    raise ValueError(ground)


def windows(request: Any, today: dt.date, calendar: deadlines.WorkingCalendar) -> dict[str, GroundWindow]:
    """Every ground that applies now, with its filing deadline."""
    result = {}
    for ground in GROUNDS:
        arose = _arose(request, ground, today)
        if arose is not None:
            result[ground] = GroundWindow(
                ground,
                arose,
                deadlines.deadline_after(arose, deadlines.OBJECTION_FILING_WORKING_DAYS, calendar),
            )
    return result


# Grounds the tracking page proposes unprompted (while their window is open): a refusal, no
# answer in time, a late answer — the cases where a requester most often does not know they
# may object.
PROPOSED = ("a", "c", "g")


def proposed(request: Any) -> tuple[str, ...]:
    """The grounds proposed unprompted for this request: for one set aside as spam, that it
    was not fulfilled (e), from the day it was set aside."""
    return ("e",) if getattr(request, "set_aside_on", None) else PROPOSED


def windows_without_request(today: dt.date, calendar: deadlines.WorkingCalendar) -> dict[str, GroundWindow]:
    """The grounds anyone may raise without a request: b, berkala information not published."""
    return {"b": GroundWindow("b", today, deadlines.deadline_after(today, deadlines.OBJECTION_FILING_WORKING_DAYS,
                                                                   calendar))}  # fmt: skip


def answer_deadline(received: dt.date, calendar: deadlines.WorkingCalendar) -> deadlines.Deadline:
    return deadlines.deadline_after(received, deadlines.OBJECTION_ANSWER_WORKING_DAYS, calendar)


def dispute_deadline(start: dt.date, calendar: deadlines.WorkingCalendar) -> deadlines.Deadline:
    return deadlines.deadline_after(start, deadlines.DISPUTE_FILING_WORKING_DAYS, calendar)


def superior_silent(objection: Any, today: dt.date) -> bool:
    """The superior's 30 working days have passed without a written answer."""
    return objection.status == "received" and objection.due_date < today


def dispute_window(
    objection: Any, today: dt.date, calendar: deadlines.WorkingCalendar
) -> deadlines.Deadline | None:
    """Until when the requester may take the dispute to the Komisi Informasi (Pasal 37(2) UU
    14/2008; Perki 1/2013 Pasal 13): 14 working days after receiving the superior's written
    answer (the answer is sent online, so received the day it is given), or after the
    30-working-day answer period ended without one. None while the superior may still answer."""
    if objection.decision_date is not None:
        return dispute_deadline(objection.decision_date, calendar)
    if superior_silent(objection, today):
        return dispute_deadline(objection.due_date, calendar)
    return None
