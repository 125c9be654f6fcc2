"""What the browser tests share: a Chromium page that records what a payload could do (a
script run sets `window.__pwned`, a dialog opens, a page answers 5xx), links built for
ckan.site_url pointed at the portal under test, and signing in through the login form."""

from __future__ import annotations

from urllib.parse import urlsplit


class Probe:
    """One Chromium page that records what a payload could do: scripts run, dialogs, 5xx."""

    def __init__(self, browser_or_context):
        self.page = browser_or_context.new_page()
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("response", self._response)

    def _response(self, response) -> None:
        if response.status >= 500:
            self.errors.append(f"{response.status} {response.url}")

    def check(self, where: str) -> None:
        assert self.page.evaluate("window.__pwned") is None, f"a payload's script ran on {where}"
        assert self.dialogs == [], where
        assert self.errors == [], where


def on_portal(url: str, portal: str) -> str:
    parts = urlsplit(url)
    return portal + parts.path + (f"?{parts.query}" if parts.query else "")


# The password of the staff accounts the browser tests sign in with.
PASSWORD = "Rahasia-PPID-2026"


def sign_in(page, portal: str, name: str, password: str = PASSWORD) -> None:
    """Sign in through CKAN's real login form; it lands on the dashboard."""
    page.goto(portal + "/user/login")
    page.fill("#field-login", name)
    page.fill("#field-password", password)
    page.click("form:has(#field-login) button[type=submit]")
    page.wait_for_load_state()
    assert "/dashboard" in page.url, page.url
