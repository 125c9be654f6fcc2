"""The working-day calendar page (/ppid/kalender): sysadmins add, change, remove and import days."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from bs4 import BeautifulSoup
from ckan.plugins import toolkit as tk
from ckan.tests.helpers import call_action

from tests.cases.factories import submit
from tests.pages import Browser
from tests.pages import field_error as _field_error
from tests.pages import page_text as _text
from tests.pages import translated as _

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_redis")

ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Test//Libur//ID
BEGIN:VEVENT
DTSTART;VALUE=DATE:{start}
DTEND;VALUE=DATE:{end}
SUMMARY:Cuti bersama uji
END:VEVENT
END:VCALENDAR
"""


def test_calendar_is_for_sysadmins(app, body, officer):
    response = Browser(app, officer).get("/ppid/kalender", status=403)
    assert _(app, "Only a sysadmin may change the working-day calendar") in response.body


def test_calendar_lists_the_year_s_holidays(app, sysadmin):
    soup = Browser(app, sysadmin).page("/ppid/kalender?year=2026")
    days = [tr["data-day"] for tr in soup.select("table.lp-calendar-days tbody tr[data-day]")]
    assert "2026-12-25" in days and "2026-08-17" in days


def test_calendar_add_change_and_delete_a_day_recomputes_deadlines(app, body, sysadmin):
    req = submit(body["id"], user=sysadmin)
    due = req["due_date"]  # a working day: declaring it a holiday moves the deadline
    browser = Browser(app, sysadmin)
    soup = BeautifulSoup(
        browser.post_form("/ppid/kalender", "#calendar-update",
                          {"day": due, "kind": "holiday", "name": "Libur daerah"}).body,
        "html.parser",
    )  # fmt: skip
    flash = _text(soup.select_one(".flash-messages"))
    assert _(app, "Deadlines of open requests recomputed: {count}.", count=1) in flash
    row = soup.select_one(f"tr[data-day='{due}']")
    assert "Libur daerah" in row.get_text() and _(app, "National holiday") in row.get_text()
    moved = call_action("layananpublik_request_show", context={"user": sysadmin["name"]}, id=req["id"])
    assert moved["due_date"] > due

    soup = BeautifulSoup(
        browser.post_form("/ppid/kalender", "#calendar-update",
                          {"day": due, "kind": "cuti_bersama", "name": "Cuti bersama daerah"}).body,
        "html.parser",
    )  # fmt: skip
    assert _(app, "Deadlines of open requests recomputed: {count}.", count=0) in _text(
        soup.select_one(".flash-messages")
    )
    assert "Cuti bersama daerah" in soup.select_one(f"tr[data-day='{due}']").get_text()

    response = browser.post_form(f"/ppid/kalender?year={due[:4]}", f"tr[data-day='{due}'] form", {})
    soup = BeautifulSoup(response.body, "html.parser")
    assert _(app, "Deadlines of open requests recomputed: {count}.", count=1) in _text(
        soup.select_one(".flash-messages")
    )
    assert soup.select_one(f"tr[data-day='{due}']") is None
    back = call_action("layananpublik_request_show", context={"user": sysadmin["name"]}, id=req["id"])
    assert back["due_date"] == due


def test_calendar_form_errors_keep_the_input(app, sysadmin):
    soup = BeautifulSoup(
        Browser(app, sysadmin).post_form("/ppid/kalender", "#calendar-update",
                                         {"day": "31-12-2026", "kind": "holiday", "name": "Tahun baru"}).body,
        "html.parser",
    )  # fmt: skip
    assert _field_error(soup, "calendar-update", "field-calendar-day") == _(app, "Enter a date as YYYY-MM-DD")
    assert soup.select_one("#field-calendar-name")["value"] == "Tahun baru"


def test_calendar_import_of_an_ical_file(app, body, sysadmin):
    req = submit(body["id"], user=sysadmin)
    due = dt.date.fromisoformat(req["due_date"])
    ics = ICS.format(start=due.strftime("%Y%m%d"), end=(due + dt.timedelta(days=1)).strftime("%Y%m%d"))
    response = Browser(app, sysadmin).post_form(
        "/ppid/kalender", "#calendar-import",
        {"kind": "holiday", "ical": (io.BytesIO(ics.encode()), "libur.ics")},
        content_type="multipart/form-data",
    )  # fmt: skip
    soup = BeautifulSoup(response.body, "html.parser")
    flash = _text(soup.select_one(".flash-messages"))
    with app.flask_app.test_request_context():
        imported = tk.ungettext(
            "{count} day was imported from the iCalendar file.",
            "{count} days were imported from the iCalendar file.",
            1,
        ).format(count=1)
    assert imported in flash
    assert _(app, "Deadlines of open requests recomputed: {count}.", count=1) in flash
    row = soup.select_one(f"tr[data-day='{due.isoformat()}']")
    assert "Cuti bersama uji" in row.get_text() and _(app, "imported from iCalendar") in row.get_text()


def test_calendar_import_of_a_file_that_is_not_ical(app, sysadmin):
    soup = BeautifulSoup(
        Browser(app, sysadmin).post_form(
            "/ppid/kalender", "#calendar-import", {"ical": (io.BytesIO(b"bukan kalender"), "x.ics")},
            content_type="multipart/form-data",
        ).body,
        "html.parser",
    )  # fmt: skip
    error = _field_error(soup, "calendar-import", "field-calendar-ical")
    assert error.startswith(_(app, "This is not a usable iCalendar file: {error}", error="").strip())


