"""The officers' pages: inbox, request workflow, decision notice, register export,
working-day calendar and PPID roles. URLs in Indonesian under /ppid.

Every page only calls actions; their auth functions decide who may see and do what.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
import flask
from ckan.lib.pagination import Page
from flask import Blueprint

from ckanext.layananpublik import spreadsheet, web, workcalendar
from ckanext.layananpublik.requests import deadlines
from ckanext.layananpublik.requests.registry import REGISTER_COLUMNS

bp = Blueprint("layananpublik_officer", __name__, url_prefix="/ppid")

INBOX_PAGE_SIZE = 20

# URL step -> (action, the form's fields). The step names are the URLs' Indonesian words.
STEPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "proses": ("layananpublik_request_process", ("note",)),
    "perpanjang": ("layananpublik_request_extend", ("days", "reason")),
    "putuskan": (
        "layananpublik_request_decide",
        (
            "outcome",
            "refusal_grounds",
            "referral_body",
            "information_given",
            "redactions",
            "release_format",
            "release_delivery",
            "fee",
            "fee_note",
            "decision_note",
            "handed_over_date",
        ),
    ),
    "lampirkan": ("layananpublik_request_attach", ("title", "upload", "url", "package_id")),
    "spam": ("layananpublik_request_mark_spam", ("spam", "reason")),
    "ringkasan": ("layananpublik_request_summary_update", ("public_summary",)),
}
# Workflow transitions (allowed_actions of layananpublik_request_show) and their step.
TRANSITION_STEPS = {"process": "proses", "extend": "perpanjang", "decide": "putuskan"}


# --- shared --------------------------------------------------------------------------------

_context, _action, _allowed = web.context, web.action, web.allowed
_error_dict, _login_redirect = web.error_dict, web.login_redirect


def _error_text(exc: tk.ValidationError) -> str:
    """A validation error of an export's query parameters as one sentence for the 400 page,
    the parameters named by their labels (not their keys)."""
    labels = {"organization_id": tk._("Public body"), "year": tk._("Year"), "status": tk._("Status")}
    return "; ".join(
        f"{labels[key]}: {' '.join(messages)}" if key in labels else " ".join(messages)
        for key, messages in _error_dict(exc).items()
    )


def _today() -> dt.date:
    return deadlines.local_date(dt.datetime.now(dt.timezone.utc), workcalendar.timezone())


def _working_day_test(years: set[int]) -> Callable[[dt.date], bool]:
    """Whether a day counts as a working day, from the calendar action of those years."""
    listed: dict[dt.date, bool] = {}
    for year in sorted(years):
        overview = tk.get_action("layananpublik_calendar_day_list")(_context(), {"year": year})
        for day in overview["days"]:
            listed[dt.date.fromisoformat(day["day"])] = day["counts_as_working_day"]
    return lambda day: listed.get(day, day.weekday() < 5)


def _working_days_left(due: dt.date, today: dt.date, is_working: Callable[[dt.date], bool]) -> int:
    """Working days from today to the due date (0: due today; negative: days overdue)."""
    start, end, sign = (today, due, 1) if due >= today else (due, today, -1)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_working(day)
    return sign * count


def _add_days_left(requests: list[dict]) -> None:
    today = _today()
    open_ones = [r for r in requests if r["status"] != "decided" and r.get("due_date")]
    if not open_ones:
        return
    dues = [dt.date.fromisoformat(r["due_date"]) for r in open_ones]
    is_working = _working_day_test({today.year} | {d.year for d in dues})
    for request, due in zip(open_ones, dues, strict=True):
        request["days_left"] = _working_days_left(due, today, is_working)


# --- inbox ---------------------------------------------------------------------------------


def _officer_bodies() -> list[dict]:
    """The bodies whose inbox the user may see (sysadmins: every body)."""
    orgs = tk.get_action("organization_list_for_user")(
        _context(), {"id": tk.current_user.id, "permission": "create_dataset"}
    )
    return [
        {"id": o["id"], "name": o["name"], "title": o.get("title") or o["name"]}
        for o in orgs
        if _allowed("layananpublik_request_list", {"scope": "inbox", "organization_id": o["id"]})
    ]


def inbox() -> Any:
    redirect = _login_redirect()
    if redirect is not None:
        return redirect
    if not _allowed("layananpublik_request_list", {"scope": "inbox"}):
        tk.abort(
            403,
            tk._(
                "Only information officers (PPID) have an inbox. Ask an administrator of your "
                "public body to give you the officer role."
            ),
        )
    args = tk.request.args
    filters = {
        key: args.get(key, "").strip()
        for key in ("organization_id", "status", "due_before", "q", "sort")
        if args.get(key, "").strip()
    }
    filters.setdefault("sort", "due")
    for flag in ("overdue", "include_spam"):
        if args.get(flag):
            filters[flag] = True
    try:
        page = max(1, int(args.get("page", 1)))
    except ValueError:
        page = 1
    errors: dict = {}
    try:
        found = tk.get_action("layananpublik_request_list")(
            _context(),
            {**filters, "scope": "inbox", "limit": INBOX_PAGE_SIZE, "offset": (page - 1) * INBOX_PAGE_SIZE},
        )
    except tk.ValidationError as exc:
        errors, found = _error_dict(exc), {"count": 0, "results": []}
    except tk.NotAuthorized as exc:
        tk.abort(403, str(exc))
    _add_days_left(found["results"])

    def pager_url(q: Any = None, page: int | None = None) -> str:
        params = {k: v for k, v in args.items() if k != "page"}
        return tk.h.url_for("layananpublik_officer.inbox", page=page, **params)

    pager = Page(
        collection=found["results"],
        page=page,
        url=pager_url,
        item_count=found["count"],
        items_per_page=INBOX_PAGE_SIZE,
        presliced_list=True,
    )
    return tk.render(
        "layananpublik/requests/officer/inbox.html",
        {
            "requests": found["results"],
            "count": found["count"],
            "page": pager,
            "filters": filters,
            "errors": errors,
            "bodies": _officer_bodies(),
            "year": _today().year,
            "is_sysadmin": tk.current_user.sysadmin,
        },
    )


# --- one request ---------------------------------------------------------------------------


def _event_labels() -> dict[str, str]:
    return {
        "submitted": tk._("Request submitted"),
        "in_process": tk._("Taken into process"),
        "extended": tk._("Deadline extended"),
        "decided": tk._("Decision issued"),
        "file_attached": tk._("File attached"),
        "marked_spam": tk._("Marked as spam"),
        "unmarked_spam": tk._("No longer marked as spam"),
        "summary_published": tk._("Public summary published"),
        "deadline_recomputed": tk._("Deadline recomputed after a calendar change"),
        "objection_filed": tk._("Objection filed"),
        "reopened": tk._("Sent back by the superior after an objection"),
    }


def _show_for_officer(id: str) -> dict:
    req = _action("layananpublik_request_show", {"id": id})
    if not req.get("viewer_is_officer"):
        tk.abort(403, tk._("Only an information officer of this public body may see this page"))
    return req


def _render_request(id: str, step: str | None = None, errors: dict | None = None, values: dict | None = None):
    req = _show_for_officer(id)
    _add_days_left([req])
    steps = [TRANSITION_STEPS[a] for a in req["allowed_actions"]] + ["lampirkan", "spam", "ringkasan"]
    return tk.render(
        "layananpublik/requests/officer/request.html",
        {
            "req": req,
            "steps": steps,
            "step": step,
            "errors": errors or {},
            "values": values or {},
            "event_labels": _event_labels(),
            "identity_files": [f for f in req.get("files", []) if f["kind"] == "identity"],
            "released_files": [f for f in req.get("files", []) if f["kind"] == "release"],
        },
    )


def request_read(id: str) -> Any:
    return _login_redirect() or _render_request(id)


def _step_data(step: str) -> dict:
    """The submitted form of one step, as the action's data dict (empty fields left out)."""
    form, fields = tk.request.form, STEPS[step][1]
    data: dict[str, Any] = {}
    for field in fields:
        if field == "refusal_grounds":
            grounds = form.getlist("refusal_grounds")
            if grounds:
                data[field] = grounds
        elif field == "upload":
            upload = tk.request.files.get("upload")
            if upload is not None and upload.filename:
                data[field] = upload
        elif form.get(field, "").strip() != "":
            data[field] = form[field]
    return data


def _success_message(step: str, result: dict) -> str:
    if step == "proses":
        return tk._("The request is now in process.")
    if step == "perpanjang":
        return tk._("The deadline was extended to {due}.").format(
            due=tk.h.layananpublik_date(result["due_date"])
        )
    if step == "putuskan":
        return tk._("The decision was issued: {outcome}.").format(outcome=result["outcome_label"])
    if step == "lampirkan":
        return tk._("The file was attached.")
    if step == "spam":
        return (
            tk._("The request was marked as spam.")
            if result["is_spam"]
            else tk._("The request is no longer marked as spam.")
        )
    return tk._("The public summary was saved.")


def request_step(id: str, step: str) -> Any:
    redirect = _login_redirect()
    if redirect is not None:
        return redirect
    if step not in STEPS:
        tk.abort(404, tk._("There is no such step"))
    data = _step_data(step)
    try:
        result = tk.get_action(STEPS[step][0])(_context(), {**data, "id": id})
    except tk.ValidationError as exc:
        values = {k: v for k, v in data.items() if k != "upload"}
        return _render_request(id, step, _error_dict(exc), values)
    except tk.NotAuthorized as exc:
        tk.abort(403, str(exc))
    except tk.ObjectNotFound as exc:
        tk.abort(404, str(exc))
    tk.h.flash_success(_success_message(step, result))
    return tk.redirect_to("layananpublik_officer.request_read", id=id)


def notice(id: str) -> Any:
    redirect = _login_redirect()
    if redirect is not None:
        return redirect
    req = _show_for_officer(id)
    if req["status"] != "decided":
        tk.abort(404, tk._("No decision has been issued for this request yet"))
    return tk.render("layananpublik/requests/officer/notice.html", {"req": req})


def _private(response: flask.Response) -> flask.Response:
    """Personal data: never kept by a shared cache or the browser's disk cache."""
    tk.request.environ["__no_cache__"] = True
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def file(id: str, file_id: str) -> Any:
    from ckanext.layananpublik.requests import files

    redirect = _login_redirect()
    if redirect is not None:
        return redirect
    meta = _action("layananpublik_request_file_show", {"id": id, "file_id": file_id})
    if not meta.get("storage_key"):
        if meta.get("url"):
            return tk.redirect_to(meta["url"])
        if meta.get("package_id"):
            return tk.redirect_to("dataset.read", id=meta["package_id"])
        tk.abort(404, tk._("File not found"))
    try:
        path = files.path_of(meta["storage_key"])
    except tk.ObjectNotFound:
        tk.abort(404, tk._("File not found"))
    if not path.is_file():
        tk.abort(404, tk._("File not found"))
    response = flask.send_file(
        path,
        mimetype=meta["content_type"] or "application/octet-stream",
        as_attachment=True,
        download_name=meta["filename"] or path.name,
        conditional=False,
        etag=False,
    )
    return _private(response)


# --- register export -----------------------------------------------------------------------


def _register_headers() -> dict[str, str]:
    """Column headers of the legal register (DOMAIN.md, "Registers and reports")."""
    return {
        "no": tk._("No."),
        "organization": tk._("Public body"),
        "registration_number": tk._("Registration number"),
        "received_date": tk._("Date received"),
        "requester_type": tk._("Requester type"),
        "name": tk._("Name"),
        "nik": tk._("NIK"),
        "entity_decree_number": tk._("Legal entity decree number"),
        "address": tk._("Address"),
        "phone": tk._("Phone"),
        "email": tk._("Email"),
        "occupation": tk._("Occupation"),
        "information_requested": tk._("Information requested"),
        "purpose": tk._("Purpose of use"),
        "information_status": tk._("Status of the information"),
        "release_format": tk._("Form of the information"),
        "obtain_method": tk._("How the information is obtained"),
        "delivery_method": tk._("How a copy is delivered"),
        "status": tk._("Status of the request"),
        "outcome": tk._("Decision"),
        "refusal_grounds": tk._("Refusal grounds (Pasal 17)"),
        "referral_body": tk._("Body that holds the information"),
        "due_date": tk._("Due date"),
        "extension_days": tk._("Extension (working days)"),
        "decision_date": tk._("Date of written notice"),
        "working_days_taken": tk._("Working days taken"),
        "handed_over_date": tk._("Date information handed over"),
        "fee": tk._("Fee (Rp)"),
        "decision_note": tk._("Remarks"),
        "is_spam": tk._("Spam"),
    }


_LABELLED = {
    "requester_type": "requester_type",
    "information_status": "information_status",
    "release_format": "release_format",
    "obtain_method": "obtain_method",
    "delivery_method": "delivery_method",
    "status": "status",
    "outcome": "outcome",
}


def register_csv() -> Any:
    redirect = _login_redirect()
    if redirect is not None:
        return redirect
    data = {k: tk.request.args[k] for k in ("organization_id", "year") if tk.request.args.get(k)}
    try:
        rows = tk.get_action("layananpublik_request_register")(_context(), data)
    except tk.ValidationError as exc:
        tk.abort(400, _error_text(exc))
    except tk.NotAuthorized as exc:
        tk.abort(403, str(exc))
    bodies: dict[str, str] = {}
    for org_id in {r["organization"] for r in rows}:
        org = _action("organization_show", {"id": org_id, "include_datasets": False, "include_users": False})
        bodies[org_id] = org.get("title") or org["name"]
    headers = _register_headers()
    columns = ["no", "organization", *REGISTER_COLUMNS]
    yes, no = tk._("Yes"), tk._("No")
    lines = []
    for number, row in enumerate(rows, start=1):
        row = dict(row, no=number, organization=bodies.get(row["organization"], row["organization"]))
        for column, kind in _LABELLED.items():
            row[column] = tk.h.layananpublik_label(kind, row.get(column))
        row["is_spam"] = yes if row.get("is_spam") else no
        lines.append([row.get(c) for c in columns])
    year = data.get("year") or _today().year
    body = "semua"
    if data.get("organization_id"):
        body = _action("organization_show", {"id": data["organization_id"], "include_datasets": False})[
            "name"
        ]
    return _private(
        spreadsheet.download([headers.get(c, c) for c in columns], lines, f"register-{body}-{year}.csv")
    )


# --- working-day calendar ------------------------------------------------------------------


def _calendar_year() -> int:
    try:
        year = int(tk.request.args.get("year") or tk.request.form.get("year") or 0)
    except ValueError:
        year = 0
    return year if 1900 < year < 2200 else _today().year


def calendar() -> Any:
    redirect = _login_redirect()
    if redirect is not None:
        return redirect
    if not _allowed("layananpublik_calendar_day_update", {}):
        tk.abort(403, tk._("Only a sysadmin may change the working-day calendar"))
    year = _calendar_year()
    form_name, errors, values = None, {}, {}
    if tk.request.method == "POST":
        form_name = tk.request.form.get("form")
        try:
            result, year = _calendar_change(form_name, year)
        except tk.ValidationError as exc:
            errors = _error_dict(exc)
            values = {k: v for k, v in tk.request.form.items() if k != "_csrf_token"}
        else:
            tk.h.flash_success(result)
            return tk.redirect_to("layananpublik_officer.calendar", year=year)
    overview = _action("layananpublik_calendar_day_list", {"year": year})
    return tk.render(
        "layananpublik/requests/officer/calendar.html",
        {"overview": overview, "year": year, "active_form": form_name, "errors": errors, "values": values},
    )


def _calendar_change(form_name: str | None, year: int) -> tuple[str, int]:
    """Apply one calendar form; returns the message to show and the year to go back to."""
    form = tk.request.form
    if form_name == "update":
        data = {k: form.get(k, "") for k in ("day", "kind", "name")}
        result = _action("layananpublik_calendar_day_update", data)
        message = tk._("Saved {day}: {name}.").format(
            day=tk.h.layananpublik_date(result["day"]), name=result["name"]
        )
        year = int(result["day"][:4])
    elif form_name == "delete":
        try:
            result = tk.get_action("layananpublik_calendar_day_delete")(
                _context(), {"day": form.get("day", "")}
            )
        except tk.ObjectNotFound as exc:
            raise tk.ValidationError({"day": [str(exc)]}) from None
        message = tk._("The entry of {day} was removed.").format(day=tk.h.layananpublik_date(result["day"]))
    elif form_name == "import":
        upload = tk.request.files.get("ical")
        data = {"kind": form.get("kind") or "holiday"}
        if upload is not None and upload.filename:
            data["ical"] = upload
        result = _action("layananpublik_calendar_import", data)
        message = tk.ungettext(
            "{count} day was imported from the iCalendar file.",
            "{count} days were imported from the iCalendar file.",
            result["imported"],
        ).format(count=result["imported"])
    else:
        tk.abort(400, tk._("Unknown form"))
    recomputed = tk._("Deadlines of open requests recomputed: {count}.").format(count=result["recomputed"])
    return f"{message} {recomputed}", year


# --- PPID roles of a body ------------------------------------------------------------------


def roles(org: str) -> Any:
    redirect = _login_redirect()
    if redirect is not None:
        return redirect
    body = _action("organization_show", {"id": org, "include_users": True, "include_datasets": False})
    errors, values, form_name = {}, {}, None
    if tk.request.method == "POST":
        form_name = tk.request.form.get("form")
        action = {"add": "layananpublik_officer_create", "remove": "layananpublik_officer_delete"}.get(
            form_name or ""
        )
        if action is None:
            tk.abort(400, tk._("Unknown form"))
        values = {k: tk.request.form.get(k, "") for k in ("user_id", "role")}
        try:
            data = {k: v for k, v in values.items() if v}
            tk.get_action(action)(_context(), {**data, "organization_id": body["id"]})
        except tk.ValidationError as exc:
            errors = _error_dict(exc)
        except tk.ObjectNotFound as exc:
            errors = {"user_id": [str(exc)]}
        except tk.NotAuthorized as exc:
            tk.abort(403, str(exc))
        else:
            tk.h.flash_success(
                tk._("The role was given.") if form_name == "add" else tk._("The role was taken away.")
            )
            return tk.redirect_to("layananpublik_officer.roles", org=body["name"])
    holders = _action("layananpublik_officer_list", {"organization_id": body["id"]})
    return tk.render(
        "layananpublik/requests/officer/roles.html",
        {
            "body": body,
            "holders": holders,
            "members": sorted(
                body.get("users", []), key=lambda u: (u.get("display_name") or u["name"]).lower()
            ),
            "can_manage": _allowed("layananpublik_officer_create", {"organization_id": body["id"]}),
            "errors": errors,
            "values": values,
            "active_form": form_name,
        },
    )


# Route table. Endpoint names are used across templates, emails and actions: keep them stable.
bp.add_url_rule("/kotak-masuk", "inbox", inbox)
bp.add_url_rule("/permohonan/<id>", "request_read", request_read)
bp.add_url_rule("/permohonan/<id>/langkah/<step>", "request_step", request_step, methods=["POST"])
bp.add_url_rule("/permohonan/<id>/pemberitahuan", "notice", notice)
bp.add_url_rule("/permohonan/<id>/berkas/<file_id>", "file", file)
bp.add_url_rule("/register.csv", "register_csv", register_csv)
bp.add_url_rule("/kalender", "calendar", calendar, methods=["GET", "POST"])
bp.add_url_rule("/petugas/<org>", "roles", roles, methods=["GET", "POST"])
