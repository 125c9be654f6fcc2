"""The annual (or quarterly) report as the reader sees it: its title, labels and charts, on the
report page and in the printable document the report action returns."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from babel.dates import get_month_names

from ckanext.layananpublik.transparency.pages import charts
from ckanext.layananpublik.transparency.pages import schema as sch


def report_title(shown: dict) -> str:
    body = shown["organization"]["title"] if shown["organization"] else tk.config.get("ckan.site_title")
    if shown["quarter"]:
        return tk._("Public information service report {year} Q{q} — {body}").format(
            year=shown["year"], q=shown["quarter"], body=body
        )
    return tk._("Public information service report {year} — {body}").format(year=shown["year"], body=body)


def render_document(shown: dict) -> str:
    """The report as a standalone printable HTML document."""
    return tk.render("layananpublik/transparency/pages/report_document.html", extra_vars=report_vars(shown))


def _outcome_labels() -> dict:
    return {
        "granted_full": tk._("Granted in full"),
        "granted_part": tk._("Granted in part"),
        "refused": tk._("Refused (exempt)"),
        "not_held": tk._("Not held"),
        "not_documented": tk._("Not yet documented"),
    }


def report_vars(shown: dict) -> dict:
    """What the report templates need besides the figures: labels, charts, titles."""
    months = get_month_names("wide", locale=shown["language"])
    outcome_labels = _outcome_labels()
    requests, objections = shown["requests"], shown["objections"]
    outcomes = [(outcome_labels[k], requests[k]) for k in outcome_labels]
    by_month = [(months[m["month"]], m["received"]) for m in shown["by_month"]]
    bands = [(tk._("{band} working days").format(band=b["band"]), b["count"]) for b in shown["working_days"]]
    objection_rows = [
        (tk._("Pending"), objections["pending"]),
        (tk._("Decision upheld"), objections["upheld"]),
        (tk._("Decision overturned"), objections["overturned"]),
        (tk._("Taken to the Information Commission"), objections["disputes"]),
    ]
    return {
        "report": shown,
        "title": report_title(shown),
        "sections": sch.SECTIONS,
        "section_labels": sch.section_labels(),
        "outcomes": outcomes,
        "by_month": by_month,
        "bands": bands,
        "objection_rows": objection_rows,
        "charts": {
            "outcomes": charts.bar_chart(
                "lp-chart-outcomes",
                tk._("Requests by outcome"),
                tk._("Number of decided requests per outcome"),
                outcomes,
            ),
            "by_month": charts.bar_chart(
                "lp-chart-months",
                tk._("Requests received per month"),
                tk._("Number of requests received in each month of the period"),
                by_month,
            ),
            "bands": charts.bar_chart(
                "lp-chart-days",
                tk._("Time taken to decide"),
                tk._("Number of decided requests by working days taken"),
                bands,
            ),
            "objections": charts.bar_chart(
                "lp-chart-objections",
                tk._("Objections"),
                tk._("Objections by state and outcome"),
                objection_rows,
            ),
        },  # fmt: skip
    }
