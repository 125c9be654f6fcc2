"""The information-access summary and the annual service report: figures computed from the
request, objection and complaint data.

A year's figures ARE the statistics actions' (layananpublik_request_stats,
layananpublik_objection_stats, layananpublik_complaint_stats), called through
tk.get_action. Those actions take a year only; for a quarter, the same SQL (the statistics
queries of requests/registry.py and requests/objection_actions.py) runs here with the period's
dates added to its filter, so both periods count alike. A request, objection or complaint
belongs to the period in which it was received (received_date, in the body's time zone) and
to the year it is registered in.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

PERIODS = ("year", "q1", "q2", "q3", "q4")
WORKING_DAY_BANDS = ((0, 5, "0–5"), (6, 10, "6–10"), (11, 17, "11–17"), (18, None, "> 17"))

_COUNTS = ("received", "decided", "open", "overdue", "extended", "granted_full", "granted_part", "refused",
           "not_held", "not_documented", "decided_on_time")  # fmt: skip
_BY_MONTH_SQL = """
SELECT extract(month FROM received_date)::int AS month, count(*) AS received,
       count(*) FILTER (WHERE status = 'decided') AS decided
FROM layananpublik_request
WHERE registration_year = :year AND NOT is_spam AND received_date BETWEEN :start AND :end {org_filter}
GROUP BY 1 ORDER BY 1
"""
_BANDS_SQL = """
SELECT working_days_taken AS days, count(*) AS n FROM layananpublik_request
WHERE registration_year = :year AND NOT is_spam AND status = 'decided' AND working_days_taken IS NOT NULL
      AND received_date BETWEEN :start AND :end {org_filter}
GROUP BY 1
"""
_COMPLAINTS_SQL = """
SELECT status, count(*) AS n FROM layananpublik_complaint
WHERE registration_year = :year AND NOT is_spam AND received_date BETWEEN :start AND :end {org_filter}
GROUP BY status
"""


def period_of(quarter: int | None) -> str:
    return f"q{quarter}" if quarter else "year"


def bounds(year: int, quarter: int | None) -> tuple[dt.date, dt.date]:
    """First and last day of a year or a quarter."""
    if not quarter:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, end - dt.timedelta(days=1)


def _params(year: int, quarter: int | None, organization_id: str | None) -> tuple[dict, str]:
    from ckanext.layananpublik import workcalendar
    from ckanext.layananpublik.requests import deadlines

    start, end = bounds(year, quarter)
    today = deadlines.local_date(dt.datetime.now(dt.timezone.utc), workcalendar.timezone())
    params: dict[str, Any] = {"year": year, "start": start, "end": end, "today": today}
    org_filter = ""
    if organization_id:
        org_filter, params["org"] = "AND organization_id = :org", organization_id
    return params, org_filter


def _quarter_requests(params: dict, org_filter: str) -> dict:
    from ckanext.layananpublik.requests import registry

    where = "AND received_date BETWEEN :start AND :end " + org_filter
    total = None
    for row in model.Session.execute(sa.text(registry._STATS_SQL.format(org_filter=where)), params):
        if row.is_total:
            total = registry._figures(row)
    if total is None:  # nothing received in the quarter: the statistics' shape, with zeros
        total = {key: 0 for key in _COUNTS} | {"median_working_days": None, "p90_working_days": None,
                                               "share_on_time": None, "refused_by_ground": {}}  # fmt: skip
    for row in model.Session.execute(sa.text(registry._GROUNDS_SQL.format(org_filter=where)), params):
        if row.organization_id is None:
            total["refused_by_ground"][row.ground] = int(row.n)
    return total


def _quarter_objections(params: dict, org_filter: str) -> dict:
    from ckanext.layananpublik.requests import objection_actions as oa

    where = "AND received_date BETWEEN :start AND :end " + org_filter
    figures = model.Session.execute(sa.text(oa._STATS_SQL.format(org_filter=where)), params).mappings().one()
    grounds = model.Session.execute(sa.text(oa._GROUNDS_SQL.format(org_filter=where)), params)
    return {**{k: int(x) for k, x in figures.items()}, "by_ground": {r.ground: int(r.n) for r in grounds}}


def _complaints(params: dict, org_filter: str) -> dict:
    from ckanext.layananpublik.requests.complaint_actions import STATUSES

    rows = model.Session.execute(sa.text(_COMPLAINTS_SQL.format(org_filter=org_filter)), params)
    counts = {status: 0 for status in STATUSES} | {r.status: int(r.n) for r in rows}
    return {"received": sum(counts.values()), "by_status": counts}


def _yearly(context: dict, year: int, organization_id: str | None) -> tuple[dict, dict, dict]:
    data = {"year": year, **({"organization_id": organization_id} if organization_id else {})}
    ctx = {**context, "ignore_auth": True}
    requests = tk.get_action("layananpublik_request_stats")(dict(ctx), dict(data))["total"]
    objections = tk.get_action("layananpublik_objection_stats")(dict(ctx), dict(data))
    complaints = tk.get_action("layananpublik_complaint_stats")(dict(ctx), dict(data))
    objections = {k: v for k, v in objections.items() if k not in ("year", "organization_id")}
    return requests, objections, {"received": complaints["received"], "by_status": complaints["by_status"]}


def figures(context: dict, year: int, quarter: int | None, organization_id: str | None) -> dict:
    """Every number of the report of a body (None: all bodies) for a year or a quarter."""
    params, org_filter = _params(year, quarter, organization_id)
    if quarter:
        requests = _quarter_requests(params, org_filter)
        objections = _quarter_objections(params, org_filter)
        complaints = _complaints(params, org_filter)
    else:
        requests, objections, complaints = _yearly(context, year, organization_id)
    months = {
        r.month: r
        for r in model.Session.execute(sa.text(_BY_MONTH_SQL.format(org_filter=org_filter)), params)
    }
    days = [
        (r.days, int(r.n))
        for r in model.Session.execute(sa.text(_BANDS_SQL.format(org_filter=org_filter)), params)
    ]
    first_month = params["start"].month
    return {
        "year": year,
        "quarter": quarter,
        "period": period_of(quarter),
        "start": params["start"].isoformat(),
        "end": params["end"].isoformat(),
        "organization_id": organization_id,
        "requests": requests,
        "objections": objections,
        "complaints": complaints,
        "by_month": [
            {
                "month": m,
                "received": int(months[m].received) if m in months else 0,
                "decided": int(months[m].decided) if m in months else 0,
            }
            for m in range(first_month, params["end"].month + 1)
        ],
        "working_days": [
            {"band": label, "count": sum(n for d, n in days if d >= low and (high is None or d <= high))}
            for low, high, label in WORKING_DAY_BANDS
        ],
    }


def csv_text(report: dict) -> str:
    """The report's figures as CSV rows: section, figure, value."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "figure", "value"])
    writer.writerow(["period", "start", report["start"]])
    writer.writerow(["period", "end", report["end"]])
    for section in ("requests", "objections", "complaints"):
        for key, value in report[section].items():
            if isinstance(value, dict):
                for sub, n in sorted(value.items()):
                    writer.writerow([section, f"{key}.{sub}", n])
            else:
                writer.writerow([section, key, "" if value is None else value])
    for row in report["by_month"]:
        writer.writerow(["by_month", f"{row['month']:02d}.received", row["received"]])
        writer.writerow(["by_month", f"{row['month']:02d}.decided", row["decided"]])
    for row in report["working_days"]:
        writer.writerow(["working_days", row["band"], row["count"]])
    return out.getvalue()
