"""Which dataset events become posts, and on which channels.

A dataset is announced when it is first *eligible*: public, active and with at least
`min_resources` resources, and newer than the channel. Serta-merta information (Pasal 10
UU 14/2008: announced immediately) needs no resource and skips review (see outbox.add_post). That covers CKAN's web form, which
creates a draft and adds resources before it makes the dataset active: the post comes when
the last step makes it eligible. A dataset is announced as new at most once per channel.
With `post_on_update`, a later change that adds resources (a significant update) is
announced again, at most once per `cooldown_hours`.
"""

from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.layananpublik.social.model import COUNTED_STATUSES, ONCE_EVENTS, SocialChannel, SocialPost

SERTA_MERTA_VALUES = ("serta_merta", "serta-merta", "serta merta")


def resource_count(pkg: model.Package) -> int:
    return sum(1 for r in pkg.resources if r.state == "active")


def ineligibility(pkg: model.Package) -> tuple[str, dict] | None:
    """Why the dataset may not be posted, as a code and its values (`reason_text` says it
    in the reader's language), or None when it may. Codes: state, private, type, exempt,
    resources."""
    if pkg.state != "active":
        return "state", {"state": pkg.state}
    if pkg.private:
        return "private", {}
    if pkg.type != "dataset" and pkg.type not in (
        tk.config.get("ckanext.layananpublik.social.dataset_types") or []
    ):
        return "type", {"type": pkg.type}
    if information_category(pkg) == "dikecualikan":
        return "exempt", {}
    needed = tk.config.get("ckanext.layananpublik.social.min_resources")
    if resource_count(pkg) < needed and not is_serta_merta(pkg):
        return "resources", {"count": needed}
    return None


def reason_text(code: str, values: dict | None = None) -> str:
    """An ineligibility (or `deleted`: the dataset is gone), translated: it completes
    sentences such as "The dataset can no longer be posted: {reason}"."""
    values = values or {}
    if code == "deleted" or (code == "state" and values.get("state") == "deleted"):
        return tk._("the dataset was deleted")
    if code == "state" and values.get("state") == "draft":
        return tk._("the dataset is a draft")
    if code == "state":
        return tk._("the dataset's state is {state}").format(state=values.get("state"))
    if code == "private":
        return tk._("the dataset is private")
    if code == "type":
        return tk._("datasets of type {type} are not posted").format(type=values.get("type"))
    if code == "exempt":
        return tk._("the dataset is exempt information (dikecualikan)")
    if code == "resources":
        count = values.get("count", 1)
        return tk.ungettext(
            "the dataset needs at least {count} resource",
            "the dataset needs at least {count} resources",
            count,
        ).format(count=count)
    return code


def ineligible_reason(pkg: model.Package) -> str | None:
    """Why the dataset may not be posted, translated, or None when it may."""
    found = ineligibility(pkg)
    return reason_text(*found) if found else None


def information_category(pkg: model.Package) -> str:
    """The UU 14/2008 category, kept in the extra `information_category` (feeds/categories.py)."""
    return ((pkg.extras or {}).get("information_category") or "").strip().lower()


def is_serta_merta(pkg: model.Package) -> bool:
    return information_category(pkg) in SERTA_MERTA_VALUES


def channels_for(pkg: model.Package) -> list[SocialChannel]:
    query = model.Session.query(SocialChannel).filter(SocialChannel.active.is_(True))
    query = query.filter(
        (SocialChannel.organization_id.is_(None)) | (SocialChannel.organization_id == pkg.owner_org)
    )
    return query.order_by(SocialChannel.created_at).all()


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def event_for(pkg: model.Package, channel: SocialChannel, now: dt.datetime) -> str | None:
    """The event to post on this channel now ('created', 'serta_merta', 'updated'), or None."""
    posts = model.Session.query(SocialPost).filter_by(channel_id=channel.id, package_id=pkg.id)
    announced = posts.filter(SocialPost.event.in_(ONCE_EVENTS)).first()
    if announced is None:
        # Datasets older than the channel were there before it: they are not "new".
        if pkg.metadata_created and _aware(pkg.metadata_created) < _aware(channel.created_at) - dt.timedelta(
            minutes=1
        ):
            return None
        return "serta_merta" if is_serta_merta(pkg) else "created"
    if not tk.config.get("ckanext.layananpublik.social.post_on_update"):
        return None
    last = (
        posts.filter(SocialPost.status.in_(COUNTED_STATUSES)).order_by(SocialPost.created_at.desc()).first()
    )
    if last is None:
        return None
    cooldown = dt.timedelta(hours=tk.config.get("ckanext.layananpublik.social.cooldown_hours"))
    if now - _aware(last.created_at) < cooldown:
        return None
    if resource_count(pkg) <= last.resource_count:
        return None
    return "updated"
