"""Fixtures of the survey tests: decided requests of the shared body, and complete answers."""

from __future__ import annotations

import pytest
from ckan.tests.helpers import call_action

from tests.cases.factories import decide, submit

# The rate limits count in Redis per hour: every test starts with empty counters.
pytestmark = pytest.mark.usefixtures("clean_redis")


def answers(*values: int, **extra) -> dict:
    """The nine answers u1..u9 (all 4 unless given), plus extra fields."""
    values = values or (4,) * 9
    return {f"u{n}": str(v) for n, v in enumerate(values, start=1)} | extra


def decided_request(org_id: str, officer: dict, n: int = 0, **overrides) -> dict:
    """A request submitted anonymously (its own contact: the rate limit counts per contact) and decided."""
    created = submit(org_id, email=f"warga{n}@example.com", phone=f"0812 0000 {n:04d}", **overrides)
    decide(officer, created["id"], "not_documented")
    return created


def answer(created: dict, *values: int, **extra) -> dict:
    return call_action("layananpublik_survey_submit", context={"user": "", "ignore_auth": False},
                       tracking_token=created["tracking_token"], **answers(*values, **extra))  # fmt: skip


@pytest.fixture
def decided(body, officer, clean_redis):
    return decided_request(body["id"], officer)
