"""One request answers once, even when its requester sends the form from several tabs at the
same moment (threads, each in its own database connection)."""

from __future__ import annotations

import threading

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests.helpers import call_action

from tests.survey.conftest import answers

TABS = 8


def test_simultaneous_answers_about_one_request_count_once(app, decided, body):
    barrier = threading.Barrier(TABS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def tab() -> None:
        with app.flask_app.test_request_context():
            barrier.wait()
            try:
                call_action("layananpublik_survey_submit", context={"user": "", "ignore_auth": False},
                            tracking_token=decided["tracking_token"], **answers())  # fmt: skip
                outcome = "stored"
            except tk.ValidationError as exc:
                outcome = "refused" if "survey" in exc.error_dict else repr(exc.error_dict)
            except Exception as exc:  # anything else is a bug: reported below
                outcome = repr(exc)
            finally:
                model.Session.remove()
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=tab) for _ in range(TABS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes) == ["refused"] * (TABS - 1) + ["stored"]
    assert call_action("layananpublik_survey_index", organization_id=body["id"])["responses"] == 1
