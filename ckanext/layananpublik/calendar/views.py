"""The working-day calendar page (/ppid/kalender): every non-working day of a year with why,
and the sysadmins' forms to add, remove and import days. Only calls actions."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint

from ckanext.layananpublik import web
from ckanext.layananpublik.cases.clock import today

bp = Blueprint("layananpublik_calendar", __name__, url_prefix="/ppid")


def _calendar_year() -> int:
    try:
        year = int(tk.request.args.get("year") or tk.request.form.get("year") or 0)
    except ValueError:
        year = 0
    return year if 1900 < year < 2200 else today().year


def calendar() -> Any:
    redirect = web.login_redirect()
    if redirect is not None:
        return redirect
    if not web.allowed("layananpublik_calendar_day_update", {}):
        tk.abort(403, tk._("Only a sysadmin may change the working-day calendar"))
    year = _calendar_year()
    form_name, errors, values = None, {}, {}
    if tk.request.method == "POST":
        form_name = tk.request.form.get("form")
        try:
            result, year = _calendar_change(form_name, year)
        except tk.ValidationError as exc:
            errors = web.error_dict(exc)
            values = {k: v for k, v in tk.request.form.items() if k != "_csrf_token"}
        else:
            tk.h.flash_success(result)
            return tk.redirect_to("layananpublik_calendar.calendar", year=year)
    overview = web.action("layananpublik_calendar_day_list", {"year": year})
    return tk.render(
        "layananpublik/calendar/calendar.html",
        {"overview": overview, "year": year, "active_form": form_name, "errors": errors, "values": values},
    )


def _calendar_change(form_name: str | None, year: int) -> tuple[str, int]:
    """Apply one calendar form; returns the message to show and the year to go back to."""
    form = tk.request.form
    if form_name == "update":
        data = {k: form.get(k, "") for k in ("day", "kind", "name")}
        result = web.action("layananpublik_calendar_day_update", data)
        message = tk._("Saved {day}: {name}.").format(
            day=tk.h.layananpublik_date(result["day"]), name=result["name"]
        )
        year = int(result["day"][:4])
    elif form_name == "delete":
        try:
            result = tk.get_action("layananpublik_calendar_day_delete")(
                web.context(), {"day": form.get("day", "")}
            )
        except tk.ObjectNotFound as exc:
            raise tk.ValidationError({"day": [str(exc)]}) from None
        message = tk._("The entry of {day} was removed.").format(day=tk.h.layananpublik_date(result["day"]))
    elif form_name == "import":
        upload = tk.request.files.get("ical")
        data = {"kind": form.get("kind") or "holiday"}
        if upload is not None and upload.filename:
            data["ical"] = upload
        result = web.action("layananpublik_calendar_import", data)
        message = tk.ungettext(
            "{count} day was imported from the iCalendar file.",
            "{count} days were imported from the iCalendar file.",
            result["imported"],
        ).format(count=result["imported"])
    else:
        tk.abort(400, tk._("Unknown form"))
    recomputed = tk._("Deadlines of open requests recomputed: {count}.").format(count=result["recomputed"])
    return f"{message} {recomputed}", year


bp.add_url_rule("/kalender", "calendar", calendar, methods=["GET", "POST"])
