"""Actions of the social outbox: channels, review, outbox management, preview, drain.

Every action checks access first, validates with a navl schema, commits once and returns
plain dicts. A channel's credential is written but never returned (only masked).
"""

from __future__ import annotations

import uuid
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.layananpublik.cases.dictize import iso
from ckanext.layananpublik.cases.schema import validate
from ckanext.layananpublik.social import (
    adapters,
    auth,
    credentials,
    egress,
    eligibility,
    jobs,
    labels,
    outbox,
)
from ckanext.layananpublik.social import schema as sch
from ckanext.layananpublik.social.model import SocialChannel, SocialLog, SocialPost, log, utcnow


def _actor(context: Any) -> str | None:
    return context.get("user") or None


def _masked(stored: str | None) -> str:
    try:
        return adapters.mask(credentials.decrypt(stored))
    except credentials.CredentialError:
        return tk._("cannot be decrypted: enter it again")


def channel_dict(channel: SocialChannel) -> dict:
    cls = adapters.get(channel.platform)
    return {
        "id": channel.id,
        "organization_id": channel.organization_id,
        "title": channel.title,
        "platform": channel.platform,
        "platform_label": tk._(cls.label),
        "settings": dict(channel.settings or {}),
        "secret_masked": _masked(channel.secret),
        "has_secret": bool(channel.secret),
        "language": channel.language,
        "review": channel.review,
        "needs_review": channel.needs_review(),
        "active": channel.active,
        "created_at": iso(channel.created_at),
        "created_by": channel.created_by,
    }


def post_dict(post: SocialPost, with_log: bool = False) -> dict:
    channel = model.Session.get(SocialChannel, post.channel_id)
    cls = adapters.REGISTRY.get(channel.platform) if channel else None
    pkg = model.Package.get(post.package_id) if post.package_id else None
    data = {
        "id": post.id,
        "channel_id": post.channel_id,
        "channel_title": channel.title if channel else None,
        "platform": channel.platform if channel else None,
        "platform_label": tk._(cls.label) if cls else None,
        "organization_id": post.organization_id,
        "package_id": post.package_id,
        "package_name": pkg.name if pkg else None,
        "package_title": pkg.title if pkg else None,
        "event": post.event,
        "text": post.text,
        "status": post.status,
        "attempts": post.attempts,
        "next_attempt_at": iso(post.next_attempt_at),
        "remote_id": post.remote_id,
        "remote_url": post.remote_url,
        "last_error": post.last_error,
        "created_at": iso(post.created_at),
        "approved_by": post.approved_by,
        "approved_at": iso(post.approved_at),
        "published_at": iso(post.published_at),
        "updated_at": iso(post.updated_at),
    }
    if with_log:
        rows = model.Session.query(SocialLog).filter_by(post_id=post.id).order_by(SocialLog.id)
        data["log"] = [
            {
                "at": iso(r.at), "actor": r.actor, "action": r.action, "status": r.status, "text": r.text,
                "http_status": r.http_status, "response": r.response, "error": r.error,
            }
            for r in rows
        ]  # fmt: skip
    return data


def _channel(channel_id: str) -> SocialChannel:
    channel = model.Session.get(SocialChannel, channel_id)
    if channel is None:
        raise tk.ObjectNotFound(tk._("Social channel not found"))
    return channel


def found(cls: Any, row_id: str, lock: bool, missing: str) -> Any:
    """The row of `cls` with this id (locked FOR UPDATE to change it); ObjectNotFound with
    the (translated) `missing` message if there is none."""
    query = model.Session.query(cls).filter_by(id=row_id)
    row = (query.with_for_update() if lock else query).first()
    if row is None:
        raise tk.ObjectNotFound(missing)
    return row


def _post(post_id: str, lock: bool = False) -> SocialPost:
    return found(SocialPost, post_id, lock, tk._("Social post not found"))


def _check_settings(platform: str, settings: dict, secret: str) -> None:
    """Required settings, a credential, and addresses the adapters may connect to (egress.py)."""
    cls = adapters.get(platform)
    errors = {}
    for field in cls.fields:
        if field.required and not settings.get(field.name):
            errors[f"settings.{field.name}"] = [tk._("Missing value")]
    for name in egress.URL_SETTINGS:
        value = settings.get(name)
        if not value:
            continue
        try:
            egress.check_url(value)
        except egress.Refused as refused:
            errors[f"settings.{name}"] = [refused.translated()]
    if not secret:
        errors["secret"] = [tk._("Missing value")]
    if errors:
        raise tk.ValidationError(errors)


def _targets(platform: str, settings: dict) -> dict:
    """The addresses a channel's credential is sent to (defaults filled in)."""
    fields = {f.name: f.default for f in adapters.get(platform).fields}
    return {
        name: (settings.get(name) or fields.get(name) or "").rstrip("/")
        for name in egress.URL_SETTINGS
        if name in fields
    }


def _stored_secret(value: str) -> str:
    try:
        return credentials.encrypt(value)
    except credentials.CredentialError as exc:
        raise tk.ValidationError({"secret": [exc.translated()]}) from None


# --- channels ----------------------------------------------------------------------------------


def layananpublik_social_channel_create(context: Any, data_dict: dict) -> dict:
    """Add a social channel (an account on one platform) for a body or the whole site.

    :param organization_id: the body (omit for a site-wide channel, sysadmins only)
    :param title: a name for people
    :param platform: mastodon, telegram, facebook, x or webhook
    :param settings: the platform's settings (JSON object; see docs/social.md)
    :param secret: the credential (token, bot token, page token, signing secret); stored
        encrypted, never returned
    :param language: ``id`` (default) or ``en``: the post templates used
    :param review: ``true``/``false`` to override the site's review setting for this channel
    :param active: default true
    :returns: the channel, with ``secret_masked`` only
    """
    data = validate(data_dict, sch.channel_create_schema(), context)
    org_id = data.get("organization_id") or None
    if org_id:
        org = model.Group.get(org_id)
        if org is None or not org.is_organization:
            raise tk.ValidationError({"organization_id": [tk._("Public body not found")]})
        org_id = org.id
    tk.check_access("layananpublik_social_channel_manage", context, {"organization_id": org_id})
    _check_settings(data["platform"], data["settings"], data.get("secret") or "")
    now = utcnow()
    channel = SocialChannel(
        id=str(uuid.uuid4()), organization_id=org_id, title=data["title"], platform=data["platform"],
        settings=data["settings"], secret=_stored_secret(data.get("secret") or ""), language=data["language"],
        review=data.get("review"),
        active=data["active"], created_at=now, created_by=_actor(context), updated_at=now,
    )  # fmt: skip
    model.Session.add(channel)
    model.Session.commit()
    return channel_dict(channel)


def layananpublik_social_channel_update(context: Any, data_dict: dict) -> dict:
    """Change a channel. An empty or missing ``secret`` keeps the stored one, unless an
    address changes: the credential must then be entered again, so a stored one is never
    sent to a server it was not entered for. ``settings`` replaces the settings as a whole.

    :param id: the channel
    :param title, settings, secret, language, review, active: as in channel_create
    """
    data = validate(data_dict, sch.channel_update_schema(), context)
    channel = _channel(data["id"])
    tk.check_access(
        "layananpublik_social_channel_manage", context, {"organization_id": channel.organization_id}
    )
    settings = data["settings"] if "settings" in data else (channel.settings or {})
    moved = _targets(channel.platform, settings) != _targets(channel.platform, channel.settings or {})
    errors: dict = {}
    try:
        _check_settings(channel.platform, settings, data.get("secret") or channel.secret)
    except tk.ValidationError as exc:
        errors = dict(exc.error_dict)
    if moved and not data.get("secret"):
        message = tk._("The server address changed: enter the credential again for the new address")
        errors["secret"] = [message]
    if errors:
        raise tk.ValidationError(errors)
    for name in ("title", "language", "active", "settings"):
        if name in data:
            setattr(channel, name, data[name])
    if "review" in data_dict:
        channel.review = data.get("review")
    if data.get("secret"):
        channel.secret = _stored_secret(data["secret"])
    channel.updated_at = utcnow()
    model.Session.commit()
    return channel_dict(channel)


def layananpublik_social_channel_delete(context: Any, data_dict: dict) -> dict:
    """Deactivate a channel: no new posts; its posts and audit log are kept.

    :param id: the channel
    """
    data = validate(data_dict, sch.id_schema(), context)
    channel = _channel(data["id"])
    tk.check_access(
        "layananpublik_social_channel_manage", context, {"organization_id": channel.organization_id}
    )
    channel.active = False
    channel.updated_at = utcnow()
    model.Session.commit()
    return channel_dict(channel)


@tk.side_effect_free
def layananpublik_social_channel_show(context: Any, data_dict: dict) -> dict:
    """One channel (credential masked).

    :param id: the channel
    """
    data = validate(data_dict, sch.id_schema(), context)
    channel = _channel(data["id"])
    tk.check_access(
        "layananpublik_social_channel_manage", context, {"organization_id": channel.organization_id}
    )
    return channel_dict(channel)


def _visible(context: Any, column, check) -> Any:
    """A filter on organization_id: what `check(user, org_id)` allows; None = everything."""
    from ckanext.layananpublik.roles import access

    user = _actor(context)
    if context.get("ignore_auth") or access.is_sysadmin(user):
        return None
    user_obj = model.User.get(user) if user else None
    if user_obj is None:
        return sa.false()
    orgs = [g.id for g in user_obj.get_groups("organization") if check(user, g.id)]
    return column.in_(orgs) if orgs else sa.false()


@tk.side_effect_free
def layananpublik_social_channel_list(context: Any, data_dict: dict) -> list[dict]:
    """The channels the signed-in user manages (all of them for sysadmins).

    :param organization_id: only this body's channels
    :param include_inactive: also deactivated ones (default false)
    """
    data = validate(data_dict, sch.channel_list_schema(), context)
    tk.check_access("layananpublik_social_list", context, data)
    query = model.Session.query(SocialChannel)
    scope = _visible(context, SocialChannel.organization_id, auth.may_manage)
    if scope is not None:
        query = query.filter(scope)
    if data.get("organization_id"):
        org = model.Group.get(data["organization_id"])
        query = query.filter(SocialChannel.organization_id == (org.id if org else None))
    if not data["include_inactive"]:
        query = query.filter(SocialChannel.active.is_(True))
    return [channel_dict(c) for c in query.order_by(SocialChannel.organization_id, SocialChannel.title)]


# --- posts ----------------------------------------------------------------------------------


@tk.side_effect_free
def layananpublik_social_post_list(context: Any, data_dict: dict) -> dict:
    """The outbox, newest first: the posts of the bodies the user edits (all for sysadmins).

    :param status: review, queued, sending, published, failed, unknown, cancelled or skipped
    :param organization_id: one body
    :param channel_id: one channel
    :param package_id: one dataset
    :param limit: page size (default 50, at most ``ckanext.layananpublik.social.list_max``)
    :param offset: first row
    :returns: ``{"count": n, "results": [...]}``
    """
    data = validate(data_dict, sch.post_list_schema(), context)
    tk.check_access("layananpublik_social_list", context, data)
    query = model.Session.query(SocialPost)
    scope = _visible(context, SocialPost.organization_id, auth.may_review)
    if scope is not None:
        query = query.filter(scope)
    if data.get("organization_id"):
        org = model.Group.get(data["organization_id"])
        query = query.filter(SocialPost.organization_id == (org.id if org else None))
    if data.get("package_id"):
        pkg = model.Package.get(data["package_id"])
        query = query.filter(SocialPost.package_id == (pkg.id if pkg else None))
    for name in ("status", "channel_id"):
        if data.get(name):
            query = query.filter(getattr(SocialPost, name) == data[name])
    count = query.count()
    rows = (
        query.order_by(SocialPost.created_at.desc(), SocialPost.id)
        .limit(data["limit"])
        .offset(data["offset"])
    )
    return {"count": count, "results": [post_dict(p) for p in rows]}


@tk.side_effect_free
def layananpublik_social_post_show(context: Any, data_dict: dict) -> dict:
    """One post with its audit log (who approved, when, exact text, platform answers).

    :param id: the post
    """
    data = validate(data_dict, sch.id_schema(), context)
    post = _post(data["id"])
    tk.check_access("layananpublik_social_post_review", context, {"organization_id": post.organization_id})
    return post_dict(post, with_log=True)


def _check_text(post: SocialPost, text: str) -> str:
    text = (text or "").strip()
    channel = model.Session.get(SocialChannel, post.channel_id)
    adapter = outbox.adapter_for(channel)
    if not text:
        raise tk.ValidationError({"text": [tk._("Missing value")]})
    if adapter.text_length(text) > adapter.max_chars():
        raise tk.ValidationError(
            {"text": [tk._("Too long for {platform}: {length} of {limit} characters").format(
                platform=tk._(adapter.label), length=adapter.text_length(text), limit=adapter.max_chars())]}
        )  # fmt: skip
    return text


# Who may change a post: its body's reviewers (text, approval), its managers (what is sent).
REVIEW, MANAGE = "layananpublik_social_post_review", "layananpublik_social_post_manage"


def _post_to_change(
    context: Any, data_dict: dict, schema: dict, auth: str, allowed: tuple[str, ...]
) -> tuple[dict, SocialPost]:
    """The start of every action that changes one post: validate, find the post (locked),
    check the caller may `auth` for its body, and that its status allows the change."""
    data = validate(data_dict, schema, context)
    post = _post(data["id"], lock=True)
    tk.check_access(auth, context, {"organization_id": post.organization_id})
    _refuse(post, allowed)
    return data, post


def _refuse(post: SocialPost, allowed: tuple[str, ...]) -> None:
    if post.status not in allowed:
        message = tk._("Not possible for a post that is {status}")
        raise tk.ValidationError({"status": [message.format(status=labels.status_label(post.status))]})


def layananpublik_social_post_edit(context: Any, data_dict: dict) -> dict:
    """Change the text of a post awaiting review (or not yet sent).

    :param id: the post
    :param text: the new text (within the platform's limit)
    """
    data, post = _post_to_change(
        context, data_dict, sch.post_text_schema(), REVIEW, ("review", "queued", "failed")
    )
    post.text = _check_text(post, data.get("text", ""))
    post.updated_at = utcnow()
    log(post, "edited", _actor(context), post.updated_at)
    model.Session.commit()
    return post_dict(post)


def layananpublik_social_post_approve(context: Any, data_dict: dict) -> dict:
    """Approve a post awaiting review (optionally with a corrected text): it is queued.

    :param id: the post
    :param text: the final text (optional)
    """
    data, post = _post_to_change(context, data_dict, sch.post_text_schema(), REVIEW, ("review",))
    now = utcnow()
    if data.get("text"):
        post.text = _check_text(post, data["text"])
    pkg = model.Package.get(post.package_id) if post.package_id else None
    reason = eligibility.ineligible_reason(pkg) if pkg else eligibility.reason_text("deleted")
    if reason:
        raise tk.ValidationError(
            {"status": [tk._("The dataset can no longer be posted: {reason}").format(reason=reason)]}
        )
    post.status, post.approved_by, post.approved_at = "queued", _actor(context), now
    post.next_attempt_at = post.updated_at = now
    log(post, "approved", _actor(context), now)
    jobs.request_drain()
    model.Session.commit()
    return post_dict(post)


def layananpublik_social_post_skip(context: Any, data_dict: dict) -> dict:
    """Turn a post awaiting review down: it is never sent.

    :param id: the post
    :param reason: why (kept in the audit log)
    """
    data, post = _post_to_change(context, data_dict, sch.post_skip_schema(), REVIEW, ("review",))
    post.status, post.updated_at = "skipped", utcnow()
    log(post, "skipped", _actor(context), post.updated_at, error=data.get("reason") or None)
    model.Session.commit()
    return post_dict(post)


def layananpublik_social_post_retry(context: Any, data_dict: dict) -> dict:
    """Send a failed, unknown or cancelled post again (a fresh series of tries). For an
    ``unknown`` post, first check on the platform that it did not go out.

    :param id: the post
    """
    data, post = _post_to_change(
        context, data_dict, sch.id_schema(), MANAGE, ("failed", "unknown", "cancelled")
    )
    now = utcnow()
    post.status, post.attempts, post.next_attempt_at, post.updated_at = "queued", 0, now, now
    post.last_error = None
    log(post, "retried", _actor(context), now)
    jobs.request_drain()
    model.Session.commit()
    return post_dict(post)


def layananpublik_social_post_cancel(context: Any, data_dict: dict) -> dict:
    """Cancel a post that has not been sent (awaiting review, queued, failed or unknown).

    :param id: the post
    """
    data, post = _post_to_change(
        context, data_dict, sch.id_schema(), MANAGE, ("review", "queued", "failed", "unknown")
    )
    post.status, post.updated_at = "cancelled", utcnow()
    log(post, "cancelled", _actor(context), post.updated_at)
    model.Session.commit()
    return post_dict(post)


def layananpublik_social_post_resolve(context: Any, data_dict: dict) -> dict:
    """Record that an ``unknown`` post was in fact published (checked on the platform).

    :param id: the post
    :param remote_url: its address on the platform (optional; http or https only)
    """
    data, post = _post_to_change(context, data_dict, sch.post_resolve_schema(), MANAGE, ("unknown",))
    now = utcnow()
    post.status, post.published_at, post.updated_at = "published", now, now
    post.remote_url = data.get("remote_url") or post.remote_url
    post.last_error = None
    log(post, "resolved_published", _actor(context), now, response=post.remote_url)
    model.Session.commit()
    return post_dict(post)


@tk.side_effect_free
def layananpublik_social_post_preview(context: Any, data_dict: dict) -> list[dict]:
    """The text each active channel would post for a dataset, and whether it would.

    :param id: the dataset (id or name)
    :returns: one entry per channel: channel, platform, text, length, limit, eligible, reason
    """
    data = validate(data_dict, sch.id_schema(), context)
    pkg = model.Package.get(data["id"])
    if pkg is None:
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    tk.check_access("layananpublik_social_post_preview", context, {"id": pkg.id})
    reason = eligibility.ineligible_reason(pkg)
    previews = []
    for channel in eligibility.channels_for(pkg):
        adapter = outbox.adapter_for(channel)
        posted = model.Session.query(SocialPost).filter_by(channel_id=channel.id, package_id=pkg.id)
        event = (
            "updated" if posted.first() else ("serta_merta" if eligibility.is_serta_merta(pkg) else "created")
        )
        text = outbox.text_for(pkg, event, channel, adapter)
        previews.append({
            "channel_id": channel.id, "channel_title": channel.title, "platform": channel.platform,
            "platform_label": tk._(adapter.label), "event": event, "text": text,
            "length": adapter.text_length(text), "limit": adapter.max_chars(),
            "eligible": reason is None, "reason": reason, "needs_review": channel.needs_review(),
        })  # fmt: skip
    return previews


def layananpublik_social_outbox_drain(context: Any, data_dict: dict) -> dict:
    """Send every due post now, in this process (sysadmins; the CLI and jobs do the same).

    :returns: how many posts ended in each status
    """
    tk.check_access("layananpublik_social_outbox_drain", context, data_dict)
    return outbox.drain()
