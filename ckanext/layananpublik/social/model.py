"""Tables of the social-media outbox (created by the alembic chain; models never commit).

- SocialChannel: one account on one platform, site-wide (organization_id NULL) or of a body;
  its credential (`secret`) never leaves the server in full.
- SocialPost: the outbox. One row per dataset event and channel, written in the dataset's
  transaction; its `status` moves review → queued → sending → published / failed / unknown,
  or to cancelled / skipped by a person.
- SocialLog: the append-only audit log of every step (who, when, exact text, platform answer).
- SocialListen: what the worker follows for replies (a published post, or a Telegram channel's
  bot updates), with its cursor; claimed like the outbox, followed until `stop_at`.
- SocialFeedback: one citizen's reply, unique per (platform, remote_id); its history
  (SocialFeedbackEvent, append-only) and reminders (SocialFeedbackReminder).
"""

from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from ckanext.layananpublik.cases.model import EventColumns, ReminderColumns

STATUSES = ("review", "queued", "sending", "published", "failed", "unknown", "cancelled", "skipped")
OPEN_STATUSES = ("review", "queued", "sending", "unknown")
# Statuses that count for the cool-down: everything but what a person turned down.
COUNTED_STATUSES = ("review", "queued", "sending", "published", "failed", "unknown")
ONCE_EVENTS = ("created", "serta_merta")
# A reply: open until an officer answers it (a reply through the outbox or elsewhere), points
# the citizen to the request form, turns it into a complaint, or dismisses it with a reason.
FEEDBACK_STATUSES = ("open", "answered", "referred", "complaint", "dismissed")
# What counts as answered in the figures (a dismissed reply is not).
FEEDBACK_ANSWERED = ("answered", "referred", "complaint")


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
    in_reply_to = sa.Column(sa.UnicodeText)  # event 'reply': the platform reference answered
    feedback_id = sa.Column(sa.UnicodeText)


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


class SocialListen(tk.BaseModel):  # type: ignore[misc]
    __tablename__ = "layananpublik_social_listen"

    id = sa.Column(sa.UnicodeText, primary_key=True)  # the post's id, or "channel:<channel id>"
    channel_id = sa.Column(sa.UnicodeText, sa.ForeignKey("layananpublik_social_channel.id"), nullable=False)
    post_id = sa.Column(sa.UnicodeText, sa.ForeignKey("layananpublik_social_post.id"), unique=True)
    cursor = sa.Column(sa.UnicodeText)
    next_poll_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    stop_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    lease_until = sa.Column(sa.DateTime(timezone=True))
    attempt_token = sa.Column(sa.UnicodeText)
    attempts = sa.Column(sa.Integer, nullable=False, default=0)
    imported = sa.Column(sa.Integer, nullable=False, default=0)
    last_polled_at = sa.Column(sa.DateTime(timezone=True))
    last_error = sa.Column(sa.UnicodeText)


class SocialFeedback(tk.BaseModel):  # type: ignore[misc]
    __tablename__ = "layananpublik_social_feedback"

    id = sa.Column(sa.UnicodeText, primary_key=True)
    channel_id = sa.Column(sa.UnicodeText, sa.ForeignKey("layananpublik_social_channel.id"), nullable=False)
    post_id = sa.Column(sa.UnicodeText, sa.ForeignKey("layananpublik_social_post.id"))
    organization_id = sa.Column(sa.UnicodeText)
    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id"))
    platform = sa.Column(sa.UnicodeText, nullable=False)
    remote_id = sa.Column(sa.UnicodeText, nullable=False)
    reply_ref = sa.Column(sa.UnicodeText)  # what a reply through the outbox answers
    author_handle = sa.Column(sa.UnicodeText)
    author_name = sa.Column(sa.UnicodeText)
    text = sa.Column(sa.UnicodeText, nullable=False)
    url = sa.Column(sa.UnicodeText)
    created_remote_at = sa.Column(sa.DateTime(timezone=True))
    received_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    received_date = sa.Column(sa.Date, nullable=False)  # in the body's time zone
    due_date = sa.Column(sa.Date, nullable=False)  # answer expected (working days, configured)
    edited_at = sa.Column(sa.DateTime(timezone=True))
    deleted_at = sa.Column(sa.DateTime(timezone=True))
    status = sa.Column(sa.UnicodeText, nullable=False, default="open")
    reason = sa.Column(sa.UnicodeText)
    assigned_to = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id"))
    answered_at = sa.Column(sa.DateTime(timezone=True))
    answered_by = sa.Column(sa.UnicodeText)
    answer_days = sa.Column(sa.Integer)  # working days from received to answered
    reply_post_id = sa.Column(sa.UnicodeText, sa.ForeignKey("layananpublik_social_post.id"))
    complaint_id = sa.Column(sa.UnicodeText, sa.ForeignKey("layananpublik_complaint.id"))
    updated_at = sa.Column(sa.DateTime(timezone=True), nullable=False)


class SocialFeedbackEvent(EventColumns, tk.BaseModel):  # type: ignore[misc]
    __tablename__ = "layananpublik_social_feedback_event"

    parent_id = sa.Column(sa.UnicodeText, sa.ForeignKey("layananpublik_social_feedback.id"), nullable=False)


class SocialFeedbackReminder(ReminderColumns, tk.BaseModel):  # type: ignore[misc]
    __tablename__ = "layananpublik_social_feedback_reminder"

    feedback_id = sa.Column(
        sa.UnicodeText, sa.ForeignKey("layananpublik_social_feedback.id"), primary_key=True
    )
