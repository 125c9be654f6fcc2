"""Helpers of the page tests: a browser-like client that keeps its cookies, and forms
posted the way a browser posts them (with the CSRF token of the page)."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

TOKEN_IN_URL = re.compile(r"/permohonan/lacak/([A-Za-z0-9_-]+)")


@pytest.fixture
def client(app):
    """One visitor: cookies (session, CSRF) carry over from page to page."""
    return app.test_client()


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def csrf_token(response) -> str:
    field = soup(response).select_one("input[name=_csrf_token]")
    assert field is not None, "the form has a CSRF field"
    return field["value"]


def post_form(client, url: str, data: dict, files: dict | None = None, **kwargs):
    """Open the form page, then send it with its CSRF token, as a browser would."""
    page = client.get(url, **kwargs)
    assert page.status_code == 200, page.status_code
    payload = {"_csrf_token": csrf_token(page), **data, **(files or {})}
    return client.post(url, data=payload, content_type="multipart/form-data", **kwargs)


def token_of(response) -> str:
    """The tracking token from the page the form led to (the receipt)."""
    match = TOKEN_IN_URL.search(response.request.path)
    assert match, response.request.path
    return match.group(1)


@pytest.fixture
def with_request_context():
    """No request context around page tests (tests/requests/conftest.py's `body` asks for
    one): the test client's requests would share its app context, and with it
    Flask-Login's cached user (`g._login_user`), so nobody could sign in."""
    yield
