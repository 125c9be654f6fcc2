"""Fixtures of the transparency-pages tests: two bodies (those of the request tests), their
admins, and a signed-in client per user (an API token: CKAN then asks no CSRF token of
form posts)."""

from __future__ import annotations

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

# The bodies and the sysadmin of the request tests; as_user() gives a context that checks access.
from tests.cases.factories import as_user, body, other_body, sysadmin  # noqa: F401


def body_admin(org_id: str) -> dict:
    user = factories.User()
    call_action("member_create", id=org_id, object=user["id"], object_type="user", capacity="admin")
    return user


@pytest.fixture
def admin(body):  # noqa: F811 - the imported fixture
    return body_admin(body["id"])


@pytest.fixture
def other_admin(other_body):  # noqa: F811 - the imported fixture
    return body_admin(other_body["id"])


class Client:
    """One user's requests to the app, signed in with an API token (or anonymous)."""

    def __init__(self, app, user: dict | None):
        self.app = app
        self.headers = {"Authorization": factories.APIToken(user=user["name"])["token"]} if user else {}

    def get(self, url: str, **kwargs):
        return self.app.get(url, headers=self.headers, **kwargs)

    def post(self, url: str, data: dict, **kwargs):
        return self.app.post(url, data=data, headers=self.headers, **kwargs)


@pytest.fixture
def client(app):
    return lambda user=None: Client(app, user)
