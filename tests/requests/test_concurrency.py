"""Registration numbers under real concurrency: many submissions at once, each in its own
database connection (threads with their own sessions), some of them failing."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests.helpers import call_action

from tests.cases.factories import valid_request

SUBMISSIONS = 40


# Every thread runs in a web-request context from one address: the spam limits would refuse
# most of them, which is not what this test is about.
@pytest.mark.ckan_config("ckanext.layananpublik.request.rate_limit.per_ip", 0)
@pytest.mark.ckan_config("ckanext.layananpublik.request.rate_limit.per_email", 0)
def test_numbers_stay_unique_and_gap_free_under_concurrent_submissions(app, body, other_body, db_fault):
    # Every fifth submission is refused by the database after its number has been drawn;
    # its transaction must give the number back while the others keep going.
    db_fault("Gagal Simpan")
    barrier = threading.Barrier(SUBMISSIONS)
    results: list[str] = []
    failures: list[BaseException] = []
    unexpected: list[str] = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        org = body["id"] if i % 2 == 0 else other_body["id"]
        data = valid_request(org, name="Gagal Simpan" if i % 5 == 0 else f"Pemohon {i}")
        with app.flask_app.test_request_context():
            barrier.wait()
            try:
                number = call_action("layananpublik_request_create", context={"user": ""}, **data)[
                    "registration_number"
                ]
                with lock:
                    results.append(number)
            except sa.exc.DBAPIError as exc:
                with lock:
                    failures.append(exc)
            except Exception as exc:  # anything else is a bug: reported below
                with lock:
                    unexpected.append(f"{exc!r} {getattr(exc, 'error_dict', '')}")
            finally:
                model.Session.remove()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(SUBMISSIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert unexpected == []
    assert len(failures) == SUBMISSIONS // 5
    assert len(results) == SUBMISSIONS - SUBMISSIONS // 5
    assert len(set(results)) == len(results)
    rows = model.Session.execute(
        sa.text(
            "SELECT organization_id, array_agg(registration_seq ORDER BY registration_seq) "
            "FROM layananpublik_request GROUP BY organization_id"
        )
    ).all()
    for _org, seqs in rows:
        assert seqs == list(range(1, len(seqs) + 1))
    assert sum(len(seqs) for _org, seqs in rows) == len(results)
