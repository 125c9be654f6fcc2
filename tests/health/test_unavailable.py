"""A request whose database connection dies after its work is done (a PostgreSQL restart or
failover between the view's last query and the end of the request): the answer the view
gave stands. CKAN's after-request hook ends every request with model.Session.remove(), whose
rollback on the dead connection raised and turned the answer into a 500 (seen in the
production fault tests, under a restart in the middle of a load of requests)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from ckan import model
from flask import Response

from ckanext.layananpublik.health import unavailable

pytestmark = pytest.mark.usefixtures("with_plugins")


def _terminate_the_session_connection() -> None:
    pid = model.Session.execute(sa.text("SELECT pg_backend_pid()")).scalar()
    with model.meta.engine.connect() as other:
        assert other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()


def test_a_connection_lost_after_the_view_leaves_its_answer_and_cleans_up_quietly(app):
    with app.flask_app.test_request_context("/dataset/"):
        _terminate_the_session_connection()
        answer = unavailable.after_request(Response("selesai", status=200))
        assert (answer.status_code, answer.get_data(as_text=True)) == (200, "selesai")
        model.Session.remove()  # CKAN's ckan_after_request, next: it raised here
        assert model.Session.execute(sa.text("SELECT 1")).scalar() == 1  # a new connection


def test_an_outage_met_by_the_view_is_answered_503_and_the_session_is_dropped(app):
    with app.flask_app.test_request_context("/api/3/action/package_list"):
        _terminate_the_session_connection()
        with pytest.raises(sa.exc.OperationalError):
            model.Session.execute(sa.text("SELECT 1"))  # the view meets the outage
        answer = unavailable.after_request(Response("error", status=500))
        assert answer.status_code == 503 and answer.headers["Retry-After"]
        model.Session.remove()
        assert model.Session.execute(sa.text("SELECT 1")).scalar() == 1
