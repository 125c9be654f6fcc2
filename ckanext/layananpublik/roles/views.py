"""The page of a body's PPID roles (/ppid/petugas/<body>): who holds which role, and the
body admins' forms to give and take them. Only calls actions."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint

from ckanext.layananpublik import web

bp = Blueprint("layananpublik_roles", __name__, url_prefix="/ppid")


def roles(org: str) -> Any:
    redirect = web.login_redirect()
    if redirect is not None:
        return redirect
    body = web.action("organization_show", {"id": org, "include_users": True, "include_datasets": False})
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
            tk.get_action(action)(web.context(), {**data, "organization_id": body["id"]})
        except tk.ValidationError as exc:
            errors = web.error_dict(exc)
        except tk.ObjectNotFound as exc:
            errors = {"user_id": [str(exc)]}
        except tk.NotAuthorized as exc:
            tk.abort(403, str(exc))
        else:
            tk.h.flash_success(
                tk._("The role was given.") if form_name == "add" else tk._("The role was taken away.")
            )
            return tk.redirect_to("layananpublik_roles.roles", org=body["name"])
    holders = web.action("layananpublik_officer_list", {"organization_id": body["id"]})
    return tk.render(
        "layananpublik/roles/roles.html",
        {
            "body": body,
            "holders": holders,
            "members": sorted(
                body.get("users", []), key=lambda u: (u.get("display_name") or u["name"]).lower()
            ),
            "can_manage": web.allowed("layananpublik_officer_create", {"organization_id": body["id"]}),
            "errors": errors,
            "values": values,
            "active_form": form_name,
        },
    )


bp.add_url_rule("/petugas/<org>", "roles", roles, methods=["GET", "POST"])
