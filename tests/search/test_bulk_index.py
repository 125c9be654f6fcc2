"""search/bulk_index.py's rebuild workers on the real database."""

from __future__ import annotations

import multiprocessing
import os
import signal

import pytest
import sqlalchemy as sa
from ckan.lib import search
from ckan.tests import factories

from ckanext.layananpublik.search import bulk_index, store

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


@pytest.fixture
def slow_index_writes():
    """Every index row written waits 50 ms in PostgreSQL, so the workers are still busy
    when the test acts on the first batch written."""
    from ckan import model

    model.Session.execute(sa.text(
        "CREATE OR REPLACE FUNCTION layananpublik_test_slow() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN PERFORM pg_sleep(0.05); RETURN NEW; END $$; "
        f"CREATE TRIGGER layananpublik_test_slow BEFORE INSERT OR UPDATE ON {store.TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION layananpublik_test_slow()"
    ))  # fmt: skip
    model.Session.commit()
    yield
    model.Session.rollback()
    model.Session.execute(sa.text(f"DROP TRIGGER IF EXISTS layananpublik_test_slow ON {store.TABLE}"))
    model.Session.execute(sa.text("DROP FUNCTION IF EXISTS layananpublik_test_slow()"))
    model.Session.commit()


def test_a_worker_killed_without_reporting_ends_the_rebuild(slow_index_writes):
    org = factories.Organization()
    ids = [factories.Dataset(owner_org=org["id"])["id"] for _ in range(12)]
    search.clear_all()
    killed: list[int] = []

    def on_written(n: int) -> None:
        # A worker dies without a word (the OOM killer, an operator's kill -9): it never
        # sends its error or "done", only its pipe closes.
        if not killed:
            victim = multiprocessing.active_children()[0]
            os.kill(victim.pid, signal.SIGKILL)
            killed.append(victim.pid)

    with pytest.raises(bulk_index.IndexWorkerError, match=r"ended \(exit code -9\)"):
        bulk_index.index_batches([[i] for i in ids], on_written, workers=2)

    # The other worker was stopped rather than left indexing alone (each batch takes it
    # 50 ms: it had written a few at most), and none is left.
    assert killed
    assert multiprocessing.active_children() == []
    assert _indexed(ids) <= 4


def _indexed(ids: list[str]) -> int:
    from ckan import model

    count = model.Session.execute(
        sa.text(f"SELECT count(*) FROM {store.TABLE} WHERE id = ANY(:ids)"), {"ids": ids}
    ).scalar()
    model.Session.remove()
    return count
