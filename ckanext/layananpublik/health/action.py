"""`layananpublik_health_show`: is every component of the deployment up."""

from __future__ import annotations

from typing import Any

import ckan.authz as authz
import ckan.plugins.toolkit as tk

from ckanext.layananpublik.health import checks


@tk.side_effect_free
def layananpublik_health_show(context: Any, data_dict: dict) -> dict:
    """Whether PostgreSQL, Redis, the job queue, the social worker (posts sent, replies read),
    the mail relay, the email outbox and (when the catalogue is searched with it) Solr are up.

    Returns ``{"ok": bool, "checks": {name: {"ok": bool, "seconds": float}}}``; for
    sysadmins each check also has a ``detail`` (versions, queue lengths, the error).

    :param checks: optional list (or comma-separated string) of check names, out of
        ``postgresql``, ``redis``, ``job_queue``, ``social_worker``, ``social_listen``,
        ``mail_relay``, ``mail_outbox``, ``solr``
    """
    tk.check_access("layananpublik_health_show", context, data_dict)
    names = data_dict.get("checks") or list(checks.CHECKS)
    if isinstance(names, str):
        names = [n.strip() for n in names.split(",") if n.strip()]
    unknown = [n for n in names if n not in checks.CHECKS]
    if unknown:
        raise tk.ValidationError(
            {"checks": [tk._("Unknown check: {names}; choose from {choices}").format(
                names=", ".join(unknown), choices=", ".join(checks.CHECKS))]}
        )  # fmt: skip
    details = context.get("ignore_auth") or authz.is_sysadmin(context.get("user"))
    results = checks.run(names)
    return {
        "ok": all(r.ok for r in results.values()),
        "checks": {
            name: {"ok": r.ok, "seconds": r.seconds, **({"detail": r.detail} if details else {})}
            for name, r in results.items()
        },
    }
