"""Tables of the social-media outbox (created by the alembic chain; models never commit).

- SocialChannel: one account on one platform, site-wide (organization_id NULL) or of a body;
  its credential (`secret`) never leaves the server in full.
- SocialPost: the outbox. One row per dataset event and channel, written in the dataset's
  transaction; its `status` moves review → queued → sending → published / failed / unknown,
  or to cancelled / skipped by a person.
- SocialLog: the append-only audit log of every step (who, when, exact text, platform answer).
"""

from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

STATUSES = ("review", "queued", "sending", "published", "failed", "unknown", "cancelled", "skipped")
OPEN_STATUSES = ("review", "queued", "sending", "unknown")
# Statuses that count for the cool-down: everything but what a person turned down.
COUNTED_STATUSES = ("review", "queued", "sending", "published", "failed", "unknown")
ONCE_EVENTS = ("created", "serta_merta")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class SocialChannel(tk.BaseModel):  # type: ignore[misc]
    __tablename__ = "layananpublik_social_channel"

    id = sa.Column(sa.UnicodeText, primary_key=True)
    organization_id = sa.Column(sa.UnicodeText, sa.ForeignKey("group.id"), nullable=True)
    title = sa.Column(sa.UnicodeText, nullable=False)
    platform = sa.Column(sa.UnicodeText, nullable=False)
    settings = sa.Column(JSONB, nullable=False, default=dict)
    secret = sa.Column(sa.UnicodeText, nullable=False, default="")
    language = sa.Column(sa.UnicodeText, nullable=False, default="id")
    review = sa.Column(sa.Boolean, nullable=True)  # None: the site-wide setting
    active = sa.Column(sa.Boolean, nullable=False, default=True)
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    created_by = sa.Column(sa.UnicodeText)
    updated_at = sa.Column(sa.DateTime(timezone=True), nullable=False)

    def needs_review(self) -> bool:
        if self.review is not None:
            return bool(self.review)
        return bool(tk.config.get("ckanext.layananpublik.social.review"))


class SocialPost(tk.BaseModel):  # type: ignore[misc]
    __tablename__ = "layananpublik_social_post"

    id = sa.Column(sa.UnicodeText, primary_key=True)
    channel_id = sa.Column(sa.UnicodeText, sa.ForeignKey("layananpublik_social_channel.id"), nullable=False)
    organization_id = sa.Column(sa.UnicodeText)
    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id"))
    event = sa.Column(sa.UnicodeText, nullable=False)
    text = sa.Column(sa.UnicodeText, nullable=False)
    status = sa.Column(sa.UnicodeText, nullable=False)
    resource_count = sa.Column(sa.Integer, nullable=False, default=0)
    attempts = sa.Column(sa.Integer, nullable=False, default=0)
    next_attempt_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    lease_until = sa.Column(sa.DateTime(timezone=True))
    attempt_token = sa.Column(sa.UnicodeText)
    sending_started_at = sa.Column(sa.DateTime(timezone=True))
    remote_id = sa.Column(sa.UnicodeText)
    remote_url = sa.Column(sa.UnicodeText)
    last_error = sa.Column(sa.UnicodeText)
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    created_by = sa.Column(sa.UnicodeText)
    approved_by = sa.Column(sa.UnicodeText)
    approved_at = sa.Column(sa.DateTime(timezone=True))
    published_at = sa.Column(sa.DateTime(timezone=True))
    updated_at = sa.Column(sa.DateTime(timezone=True), nullable=False)


class SocialLog(tk.BaseModel):  # type: ignore[misc]
    __tablename__ = "layananpublik_social_log"

    id = sa.Column(sa.BigInteger, primary_key=True, autoincrement=True)
    post_id = sa.Column(sa.UnicodeText, sa.ForeignKey("layananpublik_social_post.id"), nullable=False)
    at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    actor = sa.Column(sa.UnicodeText)
    action = sa.Column(sa.UnicodeText, nullable=False)
    status = sa.Column(sa.UnicodeText, nullable=False)
    text = sa.Column(sa.UnicodeText)
    http_status = sa.Column(sa.Integer)
    response = sa.Column(sa.UnicodeText)
    error = sa.Column(sa.UnicodeText)


def log(post: SocialPost, action: str, actor: str | None, at: dt.datetime, **fields) -> SocialLog:
    """Append one audit row for the post's current status and text (added, not committed)."""
    from ckan import model

    entry = SocialLog(
        post_id=post.id, at=at, actor=actor, action=action, status=post.status, text=post.text, **fields
    )
    model.Session.add(entry)
    return entry
