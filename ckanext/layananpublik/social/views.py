"""The social pages under /ppid/sosial: the outbox, one post (review and management),
channels; and the helper behind the preview on the dataset page.

Every page only calls actions; their auth functions decide who may see and do what.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import flask
from flask import Blueprint

from ckanext.layananpublik import web
from ckanext.layananpublik.social import adapters, labels, links, messages
from ckanext.layananpublik.social.model import FEEDBACK_STATUSES, STATUSES

bp = Blueprint("layananpublik_social", __name__, url_prefix="/ppid/sosial")
PAGE_SIZE = 50

# URL step -> (action, form fields).
STEPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "setujui": ("layananpublik_social_post_approve", ("text",)),
    "ubah": ("layananpublik_social_post_edit", ("text",)),
    "lewati": ("layananpublik_social_post_skip", ("reason",)),
    "ulangi": ("layananpublik_social_post_retry", ()),
    "batalkan": ("layananpublik_social_post_cancel", ()),
    "terbit": ("layananpublik_social_post_resolve", ("remote_url",)),
}

_context, _action, _allowed = web.context, web.action, web.allowed
_errors, _signed_in = web.error_dict, web.login_redirect


def outbox() -> Any:
    if (redirect := _signed_in()) is not None:
        return redirect
    status = tk.request.args.get("status") or None
    page = max(1, tk.request.args.get("page", 1, type=int))
    data = {"limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE}
    if status in STATUSES:
        data["status"] = status
    posts = _action("layananpublik_social_post_list", data)
    channels = _action("layananpublik_social_channel_list", {"include_inactive": True})
    return tk.render(
        "layananpublik/social/outbox.html",
        {"posts": posts, "channels": channels, "status": status, "statuses": STATUSES, "page": page,
         "page_size": PAGE_SIZE, "can_add_channel": bool(_manageable_bodies()) or _allowed(
             "layananpublik_social_channel_manage", {"organization_id": None})},
    )  # fmt: skip


def post_read(id: str) -> Any:
    if (redirect := _signed_in()) is not None:
        return redirect
    post = _action("layananpublik_social_post_show", {"id": id})
    return _post_page(post, {}, {})


def _post_page(post: dict, errors: dict, values: dict) -> Any:
    scope = {"organization_id": post["organization_id"]}
    return tk.render(
        "layananpublik/social/post.html",
        {"post": post, "errors": errors, "values": values,
         "can_review": _allowed("layananpublik_social_post_review", scope),
         "can_manage": _allowed("layananpublik_social_post_manage", scope)},
    )  # fmt: skip


def post_step(id: str, step: str) -> Any:
    if step not in STEPS:
        tk.abort(404, tk._("Not found"))
    action, fields = STEPS[step]
    values = {k: tk.request.form.get(k, "") for k in fields}
    try:
        tk.get_action(action)(_context(), {"id": id, **{k: v for k, v in values.items() if v}})
    except tk.ValidationError as exc:
        post = _action("layananpublik_social_post_show", {"id": id})
        return _post_page(post, _errors(exc), values)
    except tk.NotAuthorized as exc:
        tk.abort(403, str(exc))
    except tk.ObjectNotFound as exc:
        tk.abort(404, str(exc))
    tk.h.flash_success(tk._("Saved."))
    return tk.redirect_to("layananpublik_social.post_read", id=id)


def _manageable_bodies() -> list[dict]:
    user = tk.current_user
    if not user.is_authenticated:
        return []
    orgs = tk.get_action("organization_list_for_user")(_context(), {"permission": "manage_group"})
    return [{"id": o["id"], "title": o.get("title") or o["name"]} for o in orgs]


def _channel_values(form) -> dict:
    """The channel form as typed. Each platform's settings are named setting_<platform>_<field>
    (Telegram and X both have an api_base: one name for both sent the first, Telegram's, for an
    X channel); setting_<field> is read for the chosen platform too. What was typed for every
    platform is kept (`typed_settings`) to show again when the form is refused."""
    platform = form.get("platform", "")
    typed = {p: {f.name: form.get(f"setting_{p}_{f.name}", "").strip() for f in adapters.REGISTRY[p].fields}
             for p in adapters.platforms()}  # fmt: skip
    if platform in typed:
        typed[platform] = {k: v or form.get(f"setting_{k}", "").strip() for k, v in typed[platform].items()}
    values = {
        k: form.get(k, "") for k in ("organization_id", "title", "platform", "language", "review", "secret")
    }
    values["active"] = form.get("active") == "on"
    values["settings"] = {k: v for k, v in typed.get(platform, {}).items() if v}
    values["typed_settings"] = typed
    return values


def channel_edit(id: str | None = None) -> Any:
    if (redirect := _signed_in()) is not None:
        return redirect
    channel = _action("layananpublik_social_channel_show", {"id": id}) if id else None
    errors: dict = {}
    values: dict = dict(channel or {"language": "id", "active": True, "settings": {}})
    if tk.request.method == "POST":
        values = _channel_values(tk.request.form)
        data = {k: v for k, v in values.items() if k != "typed_settings" and (k != "secret" or v)}
        try:
            if channel:
                data["id"] = channel["id"]
                saved = tk.get_action("layananpublik_social_channel_update")(_context(), data)
            else:
                saved = tk.get_action("layananpublik_social_channel_create")(_context(), data)
        except tk.ValidationError as exc:
            errors = _errors(exc)
        except tk.NotAuthorized as exc:
            tk.abort(403, str(exc))
        else:
            tk.h.flash_success(tk._("The channel was saved."))
            return tk.redirect_to("layananpublik_social.channel_edit", id=saved["id"])
        values.pop("secret", None)
    return tk.render(
        "layananpublik/social/channel.html",
        {"channel": channel, "values": values, "errors": errors, "bodies": _manageable_bodies(),
         "site_wide": _allowed("layananpublik_social_channel_manage", {"organization_id": None}),
         "platforms": [adapters.REGISTRY[p] for p in adapters.platforms()]},
    )  # fmt: skip


# --- the feedback inbox: citizens' replies, for the body's officers (personal data) -------------

# URL step -> (action, form fields, fixed values).
FEEDBACK_STEPS: dict[str, tuple[str, tuple[str, ...], dict]] = {
    "balas": ("layananpublik_social_feedback_reply", ("text", "greeting"), {}),
    "rujuk": ("layananpublik_social_feedback_refer", ("text",), {}),
    "pengaduan": ("layananpublik_social_feedback_complaint", ("service", "send_link"), {}),
    "selesai": ("layananpublik_social_feedback_close", ("reason",), {"status": "answered"}),
    "abaikan": ("layananpublik_social_feedback_close", ("reason",), {"status": "dismissed"}),
    "buka": ("layananpublik_social_feedback_reopen", ("reason",), {}),
    "tugaskan": ("layananpublik_social_feedback_assign", ("user",), {}),
}
CHECKBOXES = ("greeting", "send_link")


def feedback_inbox() -> Any:
    if (redirect := _signed_in()) is not None:
        return redirect
    status = web.choice_arg("status", FEEDBACK_STATUSES)
    page = web.page_number()
    data: dict = {"limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE, "status": status,
                  "assigned_to_me": tk.request.args.get("saya") == "1"}  # fmt: skip
    replies = _action("layananpublik_social_feedback_list", {k: v for k, v in data.items() if v is not None})
    return web.private(tk.render(
        "layananpublik/social/feedback_inbox.html",
        {"replies": replies, "status": status, "statuses": FEEDBACK_STATUSES, "page": page, "page_size": PAGE_SIZE,
         "mine": data["assigned_to_me"]},
    ))  # fmt: skip


def _feedback_page(reply: dict, errors: dict, values: dict, step: str | None = None) -> Any:
    officers = []
    if reply.get("organization_id"):
        try:
            officers = tk.get_action("layananpublik_officer_list")(
                _context(), {"organization_id": reply["organization_id"], "role": "officer"})  # fmt: skip
        except tk.NotAuthorized:
            officers = []
    return web.private(tk.render(
        "layananpublik/social/feedback.html",
        {"reply": reply, "errors": errors, "values": values, "step": step,
         "officers": [o for o in officers if o["active"]]},
    ), 200)  # fmt: skip


def feedback_read(id: str) -> Any:
    if (redirect := _signed_in()) is not None:
        return redirect
    return _feedback_page(_action("layananpublik_social_feedback_show", {"id": id}), {}, {})


def feedback_step(id: str, step: str) -> Any:
    if step not in FEEDBACK_STEPS:
        tk.abort(404, tk._("Not found"))
    action, fields, fixed = FEEDBACK_STEPS[step]
    form = tk.request.form
    values = {k: form.get(k, "") for k in fields if k not in CHECKBOXES}
    values.update({k: form.get(k) == "on" for k in fields if k in CHECKBOXES})
    data = {"id": id, **fixed, **{k: v for k, v in values.items() if v != "" or k in CHECKBOXES}}
    try:
        result = tk.get_action(action)(_context(), data)
    except tk.ValidationError as exc:
        reply = _action("layananpublik_social_feedback_show", {"id": id})
        return _feedback_page(reply, _errors(exc), values, step)
    except tk.NotAuthorized as exc:
        tk.abort(403, str(exc))
    except tk.ObjectNotFound as exc:
        tk.abort(404, str(exc))
    if result.get("complaint_number"):
        tk.h.flash_success(
            tk._("Complaint {number} was registered.").format(number=result["complaint_number"])
        )
    else:
        tk.h.flash_success(tk._("Saved."))
    return tk.redirect_to("layananpublik_social.feedback_read", id=id)


@web.csrf_exempt
def inbound(channel_id: str) -> Any:
    """A reply pushed by another source, signed (inbound.py); JSON in, JSON out."""
    from ckanext.layananpublik.social import inbound as receiver
    from ckanext.layananpublik.social.model import utcnow

    headers = tk.request.headers
    try:
        result = receiver.receive(
            channel_id, headers.get("X-LayananPublik-Timestamp", ""), headers.get("X-LayananPublik-Signature", ""),
            tk.request.get_data(), utcnow(),
        )  # fmt: skip
    except receiver.Rejected as exc:
        return flask.jsonify({"error": str(exc)}), exc.status
    return flask.jsonify(result), 202


bp.add_url_rule("/", "outbox", outbox)
bp.add_url_rule("/tanggapan", "feedback_inbox", feedback_inbox)
bp.add_url_rule("/tanggapan/masuk/<channel_id>", "inbound", inbound, methods=["POST"])
bp.add_url_rule("/tanggapan/<id>", "feedback_read", feedback_read)
bp.add_url_rule("/tanggapan/<id>/<step>", "feedback_step", feedback_step, methods=["POST"])
bp.add_url_rule("/pos/<id>", "post_read", post_read)
bp.add_url_rule("/pos/<id>/<step>", "post_step", post_step, methods=["POST"])
bp.add_url_rule("/kanal/baru", "channel_new", channel_edit, methods=["GET", "POST"])
bp.add_url_rule("/kanal/<id>", "channel_edit", channel_edit, methods=["GET", "POST"])


# --- template helpers ------------------------------------------------------------------------


def layananpublik_social_preview(package_id: str) -> list[dict]:
    """The dataset page's preview: what each channel would post; [] for those who may not see it."""
    try:
        return tk.get_action("layananpublik_social_post_preview")(_context(), {"id": package_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return []


def layananpublik_social_posts_of(package_id: str) -> list[dict]:
    try:
        return tk.get_action("layananpublik_social_post_list")(
            _context(), {"package_id": package_id, "limit": 20}
        )["results"]
    except (tk.NotAuthorized, tk.ObjectNotFound, tk.ValidationError):
        return []


def helpers() -> dict:
    return {
        "layananpublik_social_preview": layananpublik_social_preview,
        "layananpublik_social_posts_of": layananpublik_social_posts_of,
        # Codes shown as words of the reader's language (labels.py, messages.py).
        "layananpublik_social_status_label": labels.status_label,
        "layananpublik_social_action_label": labels.action_label,
        "layananpublik_social_actor_label": labels.actor_label,
        "layananpublik_social_language_label": labels.language_label,
        "layananpublik_social_feedback_status_label": labels.feedback_status_label,
        "layananpublik_social_feedback_event_label": labels.feedback_event_label,
        "layananpublik_social_message": messages.translate,
        # A post's address, only if it is safe to link (http/https): links.py.
        "layananpublik_social_link": links.web_link,
    }
