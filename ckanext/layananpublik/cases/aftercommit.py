"""Work started once a transaction commits: a transaction that writes rows for the workers sets
a flag in `model.Session.info`; after its commit the flag's action runs (queue the drain job
that wakes the workers, who would not see the rows before). A rollback drops the flag. Used
by the email outbox (cases/mail.py) and the social outbox (social/jobs.py)."""

from __future__ import annotations

from collections.abc import Callable

from ckan import model
from sqlalchemy import event

_actions: dict[str, Callable[[], object]] = {}


def on_commit(flag: str, action: Callable[[], object]) -> None:
    """Run `action` after each commit whose transaction set `model.Session.info[flag]`
    (listeners installed once per process)."""
    if not _actions:
        event.listen(model.Session, "after_commit", _after_commit)
        event.listen(model.Session, "after_rollback", _after_rollback)
    _actions[flag] = action


def _after_commit(session) -> None:
    for flag, action in list(_actions.items()):
        if session.info.pop(flag, False):
            action()


def _after_rollback(session) -> None:
    for flag in _actions:
        session.info.pop(flag, None)
