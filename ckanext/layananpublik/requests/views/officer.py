"""The officers' pages of requests: inbox, request workflow, decision notice, register
export. URLs in Indonesian under /ppid.

Every page only calls actions; their auth functions decide who may see and do what.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.pagination import Page
from flask import Blueprint

from ckanext.layananpublik import spreadsheet, web
from ckanext.layananpublik.cases import files
from ckanext.layananpublik.cases.clock import today
from ckanext.layananpublik.requests.register import REGISTER_COLUMNS

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
            "fee_copying",
            "fee_postage",
            "fee_note",
            "provide_by_date",
            "exempt_item_id",
            "consequence_test",
            "decision_note",
            "handed_over_date",
        ),
    ),
    "serahkan": ("layananpublik_request_handover", ("handed_over_date", "note")),
    "lampirkan": ("layananpublik_request_attach", ("title", "upload", "url", "package_id")),
    "spam": ("layananpublik_request_mark_spam", ("spam", "reason")),
    "ringkasan": ("layananpublik_request_summary_update", ("public_summary", "publish_request_text")),
}
# Workflow transitions (allowed_actions of layananpublik_request_show) and their step.
TRANSITION_STEPS = {"process": "proses", "extend": "perpanjang", "decide": "putuskan"}


# --- inbox ---------------------------------------------------------------------------------


def inbox() -> Any:
    redirect = web.login_redirect()
    if redirect is not None:
        return redirect
    if not web.allowed("layananpublik_request_list", {"scope": "inbox"}):
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
    found, errors = web.inbox_rows(
        "layananpublik_request_list",
        {**filters, "scope": "inbox", "limit": INBOX_PAGE_SIZE, "offset": (page - 1) * INBOX_PAGE_SIZE},
    )

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
            "bodies": web.staff_bodies("layananpublik_request_list"),
            "year": today().year,
            "is_sysadmin": tk.current_user.sysadmin,
        },
    )


# --- one request ---------------------------------------------------------------------------


def _may_unmark_spam(req: dict) -> bool:
    return bool(req.get("set_aside")) and web.allowed(
        "layananpublik_request_unmark_spam", {"organization_id": req["organization"]["id"]})  # fmt: skip


def _show_for_officer(id: str) -> dict:
    """The request for its body's officers; a superior who reviews a request set aside as spam
    sees it too, in the shape the action gives them (personal data only under objection)."""
    req = web.action("layananpublik_request_show", {"id": id})
    if not req.get("viewer_is_officer") and not _may_unmark_spam(req):
        tk.abort(403, tk._("Only an information officer of this public body may see this page"))
    return req


def _render_request(id: str, step: str | None = None, errors: dict | None = None, values: dict | None = None):
    req = _show_for_officer(id)
    if not req.get("viewer_is_officer"):  # the superior's review: taking it back is the only step
        steps = ["spam"]
    else:
        steps = [TRANSITION_STEPS[a] for a in req["allowed_actions"]] + ["lampirkan", "spam", "ringkasan"]
    if req.get("viewer_is_officer") and req["outcome"] in ("granted_full", "granted_part") and not req.get(
            "handed_over_date"):  # fmt: skip
        steps.insert(0, "serahkan")
    return tk.render(
        "layananpublik/requests/officer/request.html",
        {
            "req": req,
            "steps": steps,
            "step": step,
            "errors": errors or {},
            "values": values or {},
            "identity_files": [f for f in req.get("files", []) if f["kind"] in ("identity", "power_of_attorney")],
            "may_unmark_spam": _may_unmark_spam(req),
            # The body's exemption entries, for a refusal's consequence test (Pasal 19).
            "exempt_items": web.action("layananpublik_exempt_item_list", {"organization": req["organization"]["id"]})[
                "rows"] if "putuskan" in steps else [],
            "released_files": [f for f in req.get("files", []) if f["kind"] == "release"],
        },
    )


def request_read(id: str) -> Any:
    return web.login_redirect() or _render_request(id)


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
            if result["set_aside"]
            else tk._("The request is no longer marked as spam.")
        )
    if step == "serahkan":
        return tk._("The handover date was recorded.")
    return tk._("The public summary was saved.")


def request_step(id: str, step: str) -> Any:
    redirect = web.login_redirect()
    if redirect is not None:
        return redirect
    if step not in STEPS:
        tk.abort(404, tk._("There is no such step"))
    data = _step_data(step)
    try:
        result = tk.get_action(STEPS[step][0])(web.context(), {**data, "id": id})
    except tk.ValidationError as exc:
        values = {k: v for k, v in data.items() if k != "upload"}
        return _render_request(id, step, web.error_dict(exc), values)
    except tk.NotAuthorized as exc:
        tk.abort(403, str(exc))
    except tk.ObjectNotFound as exc:
        tk.abort(404, str(exc))
    tk.h.flash_success(_success_message(step, result))
    if not result.get("viewer_is_officer"):  # the superior took a set-aside request back: its register entry
        return tk.redirect_to("layananpublik_request.read", number=result["registration_number"])
    return tk.redirect_to("layananpublik_officer.request_read", id=id)


def notice(id: str) -> Any:
    redirect = web.login_redirect()
    if redirect is not None:
        return redirect
    req = _show_for_officer(id)
    if req["status"] != "decided":
        tk.abort(404, tk._("No decision has been issued for this request yet"))
    return tk.render("layananpublik/requests/officer/notice.html", {"req": req})


def file(id: str, file_id: str) -> Any:
    redirect = web.login_redirect()
    if redirect is not None:
        return redirect
    meta = web.action("layananpublik_request_file_show", {"id": id, "file_id": file_id})
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
    return web.send_private_file(path, meta["content_type"], meta["filename"])


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
        "first_outcome": tk._("First decision (overturned after an objection)"),
        "first_decision_date": tk._("Date of the first notice"),
        "first_on_time": tk._("First decision on time"),
    }


_LABELLED = {
    "requester_type": "requester_type",
    "information_status": "information_status",
    "release_format": "release_format",
    "obtain_method": "obtain_method",
    "delivery_method": "delivery_method",
    "status": "status",
    "outcome": "outcome",
    "first_outcome": "outcome",
}


def register_csv() -> Any:
    redirect = web.login_redirect()
    if redirect is not None:
        return redirect
    data = {k: tk.request.args[k] for k in ("organization_id", "year") if tk.request.args.get(k)}
    try:
        rows = tk.get_action("layananpublik_request_register")(web.context(), data)
    except tk.ValidationError as exc:
        tk.abort(400, web.error_text(exc))
    except tk.NotAuthorized as exc:
        tk.abort(403, str(exc))
    bodies: dict[str, str] = {}
    for org_id in {r["organization"] for r in rows}:
        org = web.action("organization_show", {"id": org_id, "include_datasets": False, "include_users": False})
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
        if row.get("first_on_time") is not None:
            row["first_on_time"] = yes if row["first_on_time"] else no
        lines.append([row.get(c) for c in columns])
    year = data.get("year") or today().year
    body = "semua"
    if data.get("organization_id"):
        body = web.action("organization_show", {"id": data["organization_id"], "include_datasets": False})[
            "name"
        ]
    return web.private(
        spreadsheet.download([headers.get(c, c) for c in columns], lines, f"register-{body}-{year}.csv")
    )


# Route table. Endpoint names are used across templates, emails and actions: keep them stable.
bp.add_url_rule("/kotak-masuk", "inbox", inbox)
bp.add_url_rule("/permohonan/<id>", "request_read", request_read)
bp.add_url_rule("/permohonan/<id>/langkah/<step>", "request_step", request_step, methods=["POST"])
bp.add_url_rule("/permohonan/<id>/pemberitahuan", "notice", notice)
bp.add_url_rule("/permohonan/<id>/berkas/<file_id>", "file", file)
bp.add_url_rule("/register.csv", "register_csv", register_csv)
