"""Reports that write themselves: a year's figures are the statistics actions', a quarter's
are counted by the day received (in the body's time zone), and the pages show them with
charts that have a text alternative."""

from __future__ import annotations

import csv
import io

import pytest
from bs4 import BeautifulSoup
from ckan.plugins import toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.layananpublik.transparency.pages.reports import bounds
from tests.cases.factories import decide, make_officer, shared_people_fixtures, submit
from tests.transparency.pages.conftest import as_user

# body, other_body, officer, other_officer, sysadmin, requester: built once per set of them
# (tests/cases/snapshots.py).
globals().update(shared_people_fixtures())


@pytest.fixture
def seeded(body, other_body, freezer):
    """Requests around the quarter boundaries of 2026 (times in UTC; the body is in WIB, +7)."""
    officer = make_officer(body["id"])
    plan = [
        ("2026-03-31 03:00:00", "refused"),  # Tue 31 Mar 10:00 WIB: Q1
        ("2026-03-31 17:30:00", "granted_full"),  # Wed 1 Apr 00:30 WIB: Q2
        ("2026-04-01 03:00:00", "granted_part"),  # Q2
        ("2026-06-30 03:00:00", None),  # Q2, left open
        ("2026-06-30 17:30:00", "not_documented"),  # 1 Jul 00:30 WIB: Q3
    ]
    for when, outcome in plan:
        freezer.move_to(when)
        created = submit(body["id"])
        if outcome:
            decide(officer, created["id"], outcome)
    freezer.move_to("2026-01-15 03:00:00")
    submit(other_body["id"])  # another body: Q1 of the site-wide report only
    freezer.move_to("2026-10-01 03:00:00")
    return officer


def report(**data) -> dict:
    return call_action("layananpublik_report_show", context=as_user(None), language="id", **data)


@pytest.mark.parametrize("org", [None, "diskominfo"])
def test_a_years_figures_are_the_statistics_actions(seeded, body, org):
    where = {"organization_id": org} if org else {}
    shown = report(year=2026, **where)
    stats = call_action("layananpublik_request_stats", year=2026, **where)["total"]
    objections = call_action("layananpublik_objection_stats", year=2026, **where)
    complaints = call_action("layananpublik_complaint_stats", year=2026, **where)
    assert shown["requests"] == stats
    assert shown["objections"] == {
        k: v for k, v in objections.items() if k not in ("year", "organization_id")
    }
    assert shown["complaints"] == {"received": complaints["received"], "by_status": complaints["by_status"]}
    assert shown["requests"]["received"] == (5 if org else 6)


def test_quarters_follow_the_day_received_in_the_bodys_time_zone(seeded, body):
    quarters = {q: report(year=2026, quarter=q, organization_id=body["id"])["requests"] for q in (1, 2, 3, 4)}
    assert [quarters[q]["received"] for q in (1, 2, 3, 4)] == [1, 3, 1, 0]
    assert (quarters[1]["refused"], quarters[1]["refused_by_ground"]) == (1, {"a": 1})
    assert (quarters[2]["granted_full"], quarters[2]["granted_part"], quarters[2]["open"]) == (1, 1, 1)
    assert quarters[3]["not_documented"] == 1


def test_the_quarters_add_up_to_the_year(seeded, body):
    year = report(year=2026)["requests"]
    quarters = [report(year=2026, quarter=q)["requests"] for q in (1, 2, 3, 4)]
    for key in ("received", "decided", "open", "granted_full", "granted_part", "refused", "not_documented",
                "decided_on_time", "extended"):  # fmt: skip
        assert sum(q[key] for q in quarters) == year[key], key


@pytest.mark.parametrize(
    "quarter, start, end",
    [(None, "2026-01-01", "2026-12-31"), (1, "2026-01-01", "2026-03-31"), (2, "2026-04-01", "2026-06-30"),
     (3, "2026-07-01", "2026-09-30"), (4, "2026-10-01", "2026-12-31")],
)  # fmt: skip
def test_period_bounds(quarter, start, end):
    assert tuple(d.isoformat() for d in bounds(2026, quarter)) == (start, end)


def test_months_and_working_days_are_counted(seeded, body):
    shown = report(year=2026, quarter=2, organization_id=body["id"])
    assert [(m["month"], m["received"]) for m in shown["by_month"]] == [(4, 2), (5, 0), (6, 1)]
    assert sum(b["count"] for b in shown["working_days"]) == shown["requests"]["decided"] == 2


def test_the_report_page_shows_figures_charts_and_tables(app, client, seeded, body):
    soup = BeautifulSoup(
        client().get("/informasi-publik/laporan/2026/q2?organization_id=diskominfo").body, "html.parser"
    )
    assert "Dinas Komunikasi dan Informatika" in soup.h1.get_text()
    charts = soup.select("svg.lp-chart")
    assert len(charts) == 4
    for chart in charts:
        assert chart["role"] == "img"
        labelled = chart["aria-labelledby"].split()
        assert chart.find("title")["id"] == labelled[0] and chart.find("desc")["id"] == labelled[1]
        assert chart.find_parent(class_="lp-chart-block").find("table")  # the same numbers as text
    received = soup.find("th", string="Permohonan diterima") or soup.find("th", string="Requests received")
    assert received.find_next_sibling("td").get_text() == "3"


def test_the_report_csv_has_the_figures(app, client, seeded, body):
    response = client().get("/informasi-publik/laporan/2026/csv?organization_id=diskominfo")
    rows = {(r["section"], r["figure"]): r["value"] for r in csv.DictReader(io.StringIO(response.body))}
    assert rows[("requests", "received")] == "5"
    assert rows[("requests", "refused_by_ground.a")] == "1"


def test_narrative_parts_are_written_shown_and_removed(app, client, body, admin):
    where = {"year": 2025, "organization_id": body["id"], "language": "id", "section": "obstacles"}
    call_action(
        "layananpublik_report_narrative_update", context=as_user(admin), body="Kurang **petugas**", **where
    )
    shown = report(year=2025, organization_id=body["id"])["narrative"]
    assert shown["obstacles"]["html"] == "<p>Kurang <strong>petugas</strong></p>"
    assert shown["policy"]["body"] == ""
    page = BeautifulSoup(
        client().get("/informasi-publik/laporan/2025?organization_id=diskominfo").body, "html.parser"
    )
    assert "Kurang petugas" in " ".join(
        page.select_one("#section-obstacles").find_parent("section").get_text(" ").split()
    )
    call_action("layananpublik_report_narrative_update", context=as_user(admin), body="", **where)
    assert report(year=2025, organization_id=body["id"])["narrative"]["obstacles"]["body"] == ""


def test_the_narrative_form_saves_every_part(app, client, body, admin):
    url = "/informasi-publik/laporan/2025/ubah?organization_id=diskominfo"
    response = client(admin).post(
        url, data={"action": "save", "policy": "Kebijakan", "recommendations": "Tambah"}
    )
    assert response.status_code == 200  # followed the redirect to the report
    narrative = report(year=2025, organization_id=body["id"])["narrative"]
    assert (narrative["policy"]["body"], narrative["recommendations"]["body"]) == ("Kebijakan", "Tambah")


@pytest.mark.parametrize("fmt", ["html", "csv"])
def test_publishing_creates_then_replaces_one_resource(app, client, body, admin, fmt):
    # Not on the frozen clock of `seeded`: the API token would not be accepted.
    submit(body["id"])
    dataset = factories.Dataset(owner_org=body["id"], name="laporan-ppid")
    me = client(admin)
    year = call_action("layananpublik_request_stats")["year"]
    data = {"year": year, "organization_id": "diskominfo", "package_id": "laporan-ppid", "format": fmt}
    first = me.app.post("/api/3/action/layananpublik_report_publish", json=data, headers=me.headers).json
    assert first["success"], first
    second = me.app.post("/api/3/action/layananpublik_report_publish", json=data, headers=me.headers).json[
        "result"
    ]
    resources = call_action("package_show", id=dataset["id"])["resources"]
    assert [r["id"] for r in resources] == [first["result"]["id"]] == [second["id"]]
    assert resources[0]["format"] == fmt.upper() and resources[0]["url"].endswith(
        f"laporan-{year}-year.{fmt}"
    )
    content = me.get(resources[0]["url"].replace("http://test.ckan.net", "")).body
    assert ("Dinas Komunikasi dan Informatika" if fmt == "html" else "requests,received,1") in content


def test_publishing_needs_the_right_to_edit_the_dataset(app, client, body, other_body, admin):
    factories.Dataset(owner_org=other_body["id"], name="data-dinkes")
    me = client(admin)
    data = {"year": 2026, "organization_id": "diskominfo", "package_id": "data-dinkes"}
    response = me.app.post(
        "/api/3/action/layananpublik_report_publish", json=data, headers=me.headers, status=403
    )
    assert response.json["success"] is False


@pytest.mark.parametrize(
    ("params", "field"),
    [({"year": "dua ribu"}, "year"), ({"year": 1999}, "year"), ({"year": 2026, "quarter": "x"}, "quarter"),
     ({"year": 2026, "quarter": 5}, "quarter")],
)  # fmt: skip
def test_a_bad_year_or_quarter_is_refused_on_its_field(body, params, field):
    with pytest.raises(tk.ValidationError) as caught:
        call_action("layananpublik_report_show", context=as_user(None), **params)
    assert list(caught.value.error_dict) == [field]


# --- the annual report's due date, submission and reminders (Perki 1/2021 Pasal 56) ----------


def _remind() -> dict:
    # The reminder run of cron and the scheduler: it sends at once the emails it wrote.
    sent = call_action("layananpublik_request_send_reminders")
    return {k: sent[k] for k in ("report_due_soon", "report_overdue")}


def test_an_annual_report_is_due_by_31_march_and_marked_submitted_with_its_date(body, admin, freezer):
    freezer.move_to("2026-02-10 03:00:00")
    status = call_action("layananpublik_report_show", year=2025, organization_id=body["id"])["status"]
    assert status == {"due_date": "2026-03-31", "published_at": None, "published_resource_id": None,
                      "submitted_date": None, "submitted_reference": "", "submitted_late": False,
                      "overdue": False}  # fmt: skip
    assert call_action("layananpublik_report_show", year=2025, quarter=1, organization_id=body["id"])["status"] is None
    with pytest.raises(tk.ValidationError) as early:  # a year's report follows the year
        call_action("layananpublik_report_submission_update", context=as_user(admin), year=2026,
                    organization_id=body["id"], submitted_date="2026-02-01")  # fmt: skip
    assert "submitted_date" in early.value.error_dict
    with pytest.raises(tk.ValidationError):  # not in the future
        call_action("layananpublik_report_submission_update", context=as_user(admin), year=2025,
                    organization_id=body["id"], submitted_date="2026-03-01")  # fmt: skip
    shown = call_action("layananpublik_report_submission_update", context=as_user(admin), year=2025,
                        organization_id=body["id"], submitted_date="2026-02-09", reference="045/PPID/II/2026")
    assert (shown["submitted_date"], shown["submitted_reference"], shown["submitted_late"]) == (
        "2026-02-09", "045/PPID/II/2026", False)


def test_only_the_bodys_admins_record_the_submission(body, other_admin, freezer):
    freezer.move_to("2026-02-10 03:00:00")
    with pytest.raises(tk.NotAuthorized):
        call_action("layananpublik_report_submission_update", context=as_user(other_admin), year=2025,
                    organization_id=body["id"], submitted_date="2026-02-09")  # fmt: skip


def test_admins_are_reminded_from_1_march_once_then_once_overdue_until_submitted(body, other_body, admin,
                                                                                  freezer, smtp_sink):  # fmt: skip
    freezer.move_to("2026-02-27 03:00:00")
    assert _remind() == {"report_due_soon": 0, "report_overdue": 0}  # before 1 March
    freezer.move_to("2026-03-02 03:00:00")
    assert _remind() == {"report_due_soon": 1, "report_overdue": 0}  # the body with an admin who has an email
    assert _remind() == {"report_due_soon": 0, "report_overdue": 0}  # once
    (message,) = smtp_sink
    assert admin["email"] in message["To"] and "2025" in message["Subject"]
    text = message.get_payload(decode=True).decode()
    assert "31 Mar 2026" in text or "31 Mar 2026" in str(message)
    assert "/informasi-publik/laporan/2025" in text
    freezer.move_to("2026-04-01 03:00:00")
    assert _remind() == {"report_due_soon": 0, "report_overdue": 1}
    assert _remind() == {"report_due_soon": 0, "report_overdue": 0}
    freezer.move_to("2027-03-01 03:00:00")  # the next year's report, marked submitted in time
    call_action("layananpublik_report_submission_update", context=as_user(admin), year=2026,
                organization_id=body["id"], submitted_date="2027-02-26")  # fmt: skip
    assert _remind() == {"report_due_soon": 0, "report_overdue": 0}


def test_the_report_page_shows_the_status_and_the_admin_records_the_submission(app, client, body, admin):
    # On the real clock (an API token is refused on a frozen one): the 2025 report was due on
    # 31 March 2026, so it is overdue whenever this runs.
    url = "/informasi-publik/laporan/2025?organization_id=diskominfo"
    page = BeautifulSoup(client().get(url).body, "html.parser")
    submitted = page.select_one("#report-status dd[data-submitted]")
    assert submitted["data-submitted"] == "no" and page.select_one("#report-status .lp-overdue")
    response = client(admin).post("/informasi-publik/laporan/2025/ubah?organization_id=diskominfo",
                                  data={"action": "submitted", "submitted_date": "2026-04-02",
                                        "reference": "S-12/PPID/2026"})  # fmt: skip
    assert response.status_code == 200
    page = BeautifulSoup(client().get(url).body, "html.parser")
    shown = page.select_one("#report-status dd[data-submitted]")
    assert shown["data-submitted"] == "yes" and "S-12/PPID/2026" in shown.get_text()
    assert page.select_one("#report-status dd[data-submitted] strong") is not None  # after the due date


def test_the_report_has_tables_of_disputes_by_result_and_of_court_appeals(app, client, body):
    year = call_action("layananpublik_request_stats")["year"]
    shown = call_action("layananpublik_report_show", year=year, organization_id=body["id"])
    assert shown["objections"]["by_dispute_result"] == {} and shown["objections"]["court_cases"] == 0
    page = BeautifulSoup(client().get(f"/informasi-publik/laporan/{year}?organization_id=diskominfo").body,
                         "html.parser")  # fmt: skip
    for table in ("#report-dispute-stage", "#report-dispute-result", "#report-court-stage"):
        assert page.select_one(table) is not None, table
