"""The mail queue never holds a tracking link (issue 16, finding 6): the first email of a
request, an objection (with and without a request) and a complaint is written from the case's id
into the email outbox (PostgreSQL) in the case's transaction; Redis only holds the job that
wakes a drainer. Redis is read as it is (every key, every field, RQ's compressed job data)."""

from __future__ import annotations

import zlib

import pytest
from ckan.lib import jobs as ckan_jobs
from ckan.lib.redis import connect_to_redis

from ckanext.layananpublik.complaints.model import Complaint
from ckanext.layananpublik.objections.model import Objection
from ckanext.layananpublik.requests.model import InformationRequest
from tests.cases.factories import one_case_of_each_kind, submit


def _redis_bytes() -> list[bytes]:
    """Everything Redis holds: strings, hash fields, list/set members; RQ's job data unzipped."""
    redis = connect_to_redis()
    found: list[bytes] = []
    for key in redis.scan_iter("*"):
        kind = redis.type(key)
        if kind == b"string":
            values = [redis.get(key)]
        elif kind == b"hash":
            values = list(redis.hgetall(key).values())
        elif kind == b"list":
            values = redis.lrange(key, 0, -1)
        elif kind in (b"set", b"zset"):
            values = list(redis.smembers(key)) if kind == b"set" else redis.zrange(key, 0, -1)
        else:
            values = []
        for value in values:
            found.append(value)
            try:
                found.append(zlib.decompress(value))
            except zlib.error:
                pass
    return [key for key in redis.scan_iter("*")] + found


def _cases(body, officer) -> list[tuple[type, dict, str]]:
    """Each case with its table and the address its first email goes to."""
    cases = one_case_of_each_kind(body, officer)
    tables = {"request": InformationRequest, "objection": Objection, "berkala": Objection, "complaint": Complaint}
    return [(table, getattr(cases, kind), cases.address[kind]) for kind, table in tables.items()]


@pytest.mark.usefixtures("clean_redis")
def test_the_queue_carries_no_message_and_the_outbox_sends_the_tracking_link(body, officer, smtp_sink, run_jobs):
    cases = _cases(body, officer)
    queued = ckan_jobs.get_queue().jobs
    assert queued  # a worker is woken to drain the outbox
    held = b"\n".join(_redis_bytes())
    for _table, case, address in cases:
        assert case["tracking_token"].encode() not in held
        assert case["tracking_url"].encode() not in held
        assert address.encode() not in held  # ids only: the job looks the address up
    assert b"/lacak/" not in held
    for job in queued:
        assert job.func_name.endswith("drain_mail") and job.args == [], (job.func_name, job.args)

    run_jobs()

    texts = [(m["To"], m.get_payload(decode=True).decode()) for m in smtp_sink if not m.is_multipart()]
    assert len(texts) == 5
    for table, case, address in cases:
        assert any(case["tracking_url"] in text for to, text in texts if address in to), case["tracking_url"]
        # once the outbox holds the email, the row keeps only the token's hash again
        from ckan import model

        assert model.Session.get(table, case["id"]).tracking_token_sealed is None


@pytest.mark.usefixtures("clean_redis")
def test_a_case_without_an_address_keeps_no_sealed_token(body):
    created = submit(body["id"], email="", delivery_method="pick_up")
    from ckan import model

    assert model.Session.get(InformationRequest, created["id"]).tracking_token_sealed is None
    assert ckan_jobs.get_queue().jobs == []
