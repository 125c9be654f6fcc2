"""The information-access summary and the annual service report: figures computed from the
request, objection and complaint data.

The figures of requests, objections and complaints ARE the statistics actions'
(layananpublik_request_stats, layananpublik_objection_stats, layananpublik_complaint_stats),
called through tk.get_action: for a year with its year, for a quarter with its year and its
first and last day (date_from, date_to). A request, objection or complaint belongs to the
period in which it was received (received_date, in the body's time zone) and to the year it is
registered in; the request statistics' `breakdown` gives them per month and by working days.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import ckan.plugins.toolkit as tk

PERIODS = ("year", "q1", "q2", "q3", "q4")
WORKING_DAY_BANDS = ((0, 5, "0–5"), (6, 10, "6–10"), (11, 17, "11–17"), (18, None, "> 17"))

def due_date(year: int) -> dt.date:
    """The annual report of `year` is due 3 months after the budget year ends: 31 March of the
    next year (Perki 1/2021 Pasal 56)."""
    return dt.date(year + 1, 3, 31)


def reminders_start(year: int) -> dt.date:
    """Body admins are reminded of the annual report of `year` from 1 March of the next year."""
    return dt.date(year + 1, 3, 1)


def period_of(quarter: int | None) -> str:
    return f"q{quarter}" if quarter else "year"


def bounds(year: int, quarter: int | None) -> tuple[dt.date, dt.date]:
    """First and last day of a year or a quarter."""
    if not quarter:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, end - dt.timedelta(days=1)


def _statistics(
    context: dict, year: int, quarter: int | None, organization_id: str | None
) -> tuple[dict, dict, dict]:
    """The figures of the statistics actions for the year, or for the quarter's days."""
    data: dict[str, Any] = {"year": year}
    if organization_id:
        data["organization_id"] = organization_id
    if quarter:
        start, end = bounds(year, quarter)
        data.update(date_from=start.isoformat(), date_to=end.isoformat())
    ctx = {**context, "ignore_auth": True}
    requests = tk.get_action("layananpublik_request_stats")(dict(ctx), {**data, "breakdown": True})["total"]
    objections = tk.get_action("layananpublik_objection_stats")(dict(ctx), dict(data))
    complaints = tk.get_action("layananpublik_complaint_stats")(dict(ctx), dict(data))
    objections = {k: v for k, v in objections.items() if k not in ("year", "organization_id")}
    return requests, objections, {"received": complaints["received"], "by_status": complaints["by_status"]}


def _social(context: dict, year: int, quarter: int | None, organization_id: str | None) -> dict:
    """Citizens' replies to the body's social posts in the period (counts only, issue 18): the
    figures action for the year, or for the quarter's days (its median is the quarter's)."""
    data: dict[str, Any] = {"year": year, **({"organization_id": organization_id} if organization_id else {})}
    if quarter:
        start, end = bounds(year, quarter)
        data.update(date_from=start.isoformat(), date_to=end.isoformat())
    stats = tk.get_action("layananpublik_social_feedback_stats")({**context, "ignore_auth": True}, data)
    return {k: stats[k] for k in ("received", "answered", "complaints", "median_working_days")}


def figures(context: dict, year: int, quarter: int | None, organization_id: str | None) -> dict:
    """Every number of the report of a body (None: all bodies) for a year or a quarter."""
    start, end = bounds(year, quarter)
    requests, objections, complaints = _statistics(context, year, quarter, organization_id)
    social = _social(context, year, quarter, organization_id)
    months = {m["month"]: m for m in requests.pop("by_month")}
    days = [(int(d), n) for d, n in requests.pop("by_working_days").items()]
    return {
        "year": year,
        "quarter": quarter,
        "period": period_of(quarter),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "organization_id": organization_id,
        "requests": requests,
        "objections": objections,
        "complaints": complaints,
        "social": social,
        "by_month": [
            {"month": m, "received": months.get(m, {}).get("received", 0), "decided": months.get(m, {}).get("decided", 0)}
            for m in range(start.month, end.month + 1)
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
    for section in ("requests", "objections", "complaints", "social"):
        for key, value in report.get(section, {}).items():
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
