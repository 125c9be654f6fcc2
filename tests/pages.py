"""Helpers of the page tests: a browser-like client that keeps its cookies, and forms
posted the way a browser posts them (with the CSRF token of the page)."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from ckan.plugins import toolkit as tk

TRACKING_LINK = re.compile(r"/(?:permohonan|keberatan|pengaduan)/lacak/([A-Za-z0-9_-]+)")


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
    """The tracking token from the page the form led to (the receipt shows the private link;
    the address bar holds no token: it is in the tracking cookie)."""
    link = soup(response).select_one("#tracking-link")
    assert link is not None, response.request.path
    match = TRACKING_LINK.search(link["href"])
    assert match, link["href"]
    return match.group(1)


class Browser:
    """One user's session: a cookie jar kept across requests, signed in as `user`."""

    def __init__(self, app, user: dict | None):
        # app.get/app.post open a new client (and cookie jar) per call: a CSRF token read
        # from one page would belong to another session than the post. One client keeps it.
        self.client = app.test_client()
        # CKAN 2.11 signs a test request in from REMOTE_USER (into the session).
        self.environ = {"REMOTE_USER": user["name"]} if user is not None else {}

    def get(self, url: str, **kwargs):
        return self.client.get(url, extra_environ=self.environ, **kwargs)

    def page(self, url: str, status: int = 200) -> BeautifulSoup:
        response = self.get(url, status=status)
        return BeautifulSoup(response.body, "html.parser")

    def post_form(self, page_url: str, form_selector: str, data: dict, **kwargs):
        """Post a form of a page as a browser does: its hidden fields (the CSRF token among
        them) and the given values."""
        soup = self.page(page_url)
        form = soup.select_one(form_selector)
        assert form is not None, f"no {form_selector} on {page_url}"
        hidden = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden][name]")}
        return self.client.post(form["action"], data={**hidden, **data}, extra_environ=self.environ, **kwargs)


def translated(app, msgid: str, **kwargs) -> str:
    """A message as the site's default language (Indonesian) shows it."""
    with app.flask_app.test_request_context():
        text = tk._(msgid)
    return text.format(**kwargs) if kwargs else text


def page_text(soup: BeautifulSoup) -> str:
    return " ".join(soup.get_text(" ").split())


def field_error(soup: BeautifulSoup, form_id: str, field_id: str) -> str:
    """The error shown next to a field (CKAN's form macros: .form-group.error .error-block)."""
    field = soup.select_one(f"#{form_id} #{field_id}")
    group = field.find_parent(class_="form-group")
    assert "error" in group["class"], f"{field_id} is not marked as wrong"
    return group.select_one(".error-block").get_text(" ", strip=True)
