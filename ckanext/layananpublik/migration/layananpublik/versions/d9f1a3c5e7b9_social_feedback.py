"""Listen as well as post: citizens' replies to the body's social posts (issue 18)

Revision ID: d9f1a3c5e7b9
Revises: e8f0a2c4b6d8
Create Date: 2026-12-05 15:30:00

- layananpublik_social_listen: what the social worker follows, one row per published post
  (its cursor on the platform) or per Telegram channel (the bot's getUpdates offset); claimed
  like the outbox (FOR UPDATE SKIP LOCKED, a lease and a token), followed until `stop_at`.
- layananpublik_social_feedback: one row per reply, unique per (platform, remote_id): a reply
  is never imported twice, whatever the number of workers.
- its append-only history and its reminders (once per reply, kind and due date);
- outbox rows may now be replies (event 'reply', the platform reference they answer);
- complaints remember where they came from (source 'social_media' for a turned reply).
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "d9f1a3c5e7b9"
down_revision = "e8f0a2c4b6d8"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
FEEDBACK_STATUSES = "'open', 'answered', 'referred', 'complaint', 'dismissed'"


def upgrade():
    op.create_table(
        "layananpublik_social_listen",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("channel_id", sa.UnicodeText, sa.ForeignKey("layananpublik_social_channel.id"), nullable=False),
        sa.Column("post_id", sa.UnicodeText, sa.ForeignKey("layananpublik_social_post.id"), unique=True),
        sa.Column("cursor", sa.UnicodeText),
        sa.Column("next_poll_at", TZ, nullable=False),
        sa.Column("stop_at", TZ, nullable=False),
        sa.Column("lease_until", TZ),
        sa.Column("attempt_token", sa.UnicodeText),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("imported", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_polled_at", TZ),
        sa.Column("last_error", sa.UnicodeText),
    )
    op.create_index("layananpublik_social_listen_due", "layananpublik_social_listen", ["next_poll_at"])
    op.create_table(
        "layananpublik_social_feedback",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("channel_id", sa.UnicodeText, sa.ForeignKey("layananpublik_social_channel.id"), nullable=False),
        sa.Column("post_id", sa.UnicodeText, sa.ForeignKey("layananpublik_social_post.id")),
        sa.Column("organization_id", sa.UnicodeText),
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="SET NULL")),
        sa.Column("platform", sa.UnicodeText, nullable=False),
        sa.Column("remote_id", sa.UnicodeText, nullable=False),
        sa.Column("reply_ref", sa.UnicodeText),
        sa.Column("author_handle", sa.UnicodeText),
        sa.Column("author_name", sa.UnicodeText),
        sa.Column("text", sa.UnicodeText, nullable=False),
        sa.Column("url", sa.UnicodeText),
        sa.Column("created_remote_at", TZ),
        sa.Column("received_at", TZ, nullable=False),
        sa.Column("received_date", sa.Date, nullable=False),
        sa.Column("due_date", sa.Date, nullable=False),
        sa.Column("edited_at", TZ),
        sa.Column("deleted_at", TZ),
        sa.Column("status", sa.UnicodeText, nullable=False, server_default="open"),
        sa.Column("reason", sa.UnicodeText),
        sa.Column("assigned_to", sa.UnicodeText, sa.ForeignKey("user.id")),
        sa.Column("answered_at", TZ),
        sa.Column("answered_by", sa.UnicodeText),
        sa.Column("answer_days", sa.Integer),
        sa.Column("reply_post_id", sa.UnicodeText, sa.ForeignKey("layananpublik_social_post.id")),
        sa.Column("complaint_id", sa.UnicodeText, sa.ForeignKey("layananpublik_complaint.id")),
        sa.Column("updated_at", TZ, nullable=False),
        sa.CheckConstraint(f"status IN ({FEEDBACK_STATUSES})", name="layananpublik_social_feedback_status"),
        sa.UniqueConstraint("platform", "remote_id", name="layananpublik_social_feedback_once"),
    )
    op.create_index("layananpublik_social_feedback_inbox", "layananpublik_social_feedback",
                    ["organization_id", "status", "received_at"])  # fmt: skip
    op.create_index("layananpublik_social_feedback_post", "layananpublik_social_feedback", ["post_id"])
    op.create_table(
        "layananpublik_social_feedback_event",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("parent_id", sa.UnicodeText,
                  sa.ForeignKey("layananpublik_social_feedback.id", ondelete="CASCADE"), nullable=False),  # fmt: skip
        sa.Column("at", TZ, nullable=False),
        sa.Column("actor_id", sa.UnicodeText),
        sa.Column("actor_role", sa.UnicodeText, nullable=False),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("note", sa.UnicodeText),
        sa.Column("data", JSONB, nullable=False, server_default="{}"),
    )
    op.create_index("layananpublik_social_feedback_event_parent", "layananpublik_social_feedback_event",
                    ["parent_id", "id"])  # fmt: skip
    op.execute(
        "CREATE TRIGGER layananpublik_social_feedback_event_append_only BEFORE UPDATE ON "
        "layananpublik_social_feedback_event FOR EACH ROW EXECUTE FUNCTION layananpublik_refuse_update()"
    )
    op.create_table(
        "layananpublik_social_feedback_reminder",
        sa.Column("feedback_id", sa.UnicodeText,
                  sa.ForeignKey("layananpublik_social_feedback.id", ondelete="CASCADE"), primary_key=True),  # fmt: skip
        sa.Column("kind", sa.UnicodeText, primary_key=True),
        sa.Column("due_date", sa.Date, primary_key=True),
        sa.Column("sent_at", TZ, nullable=False),
    )
    op.add_column("layananpublik_social_post", sa.Column("in_reply_to", sa.UnicodeText))
    op.add_column("layananpublik_social_post", sa.Column("feedback_id", sa.UnicodeText))
    op.drop_constraint("layananpublik_social_post_event", "layananpublik_social_post", type_="check")
    op.create_check_constraint("layananpublik_social_post_event", "layananpublik_social_post",
                               "event IN ('created', 'serta_merta', 'updated', 'reply')")  # fmt: skip
    op.add_column("layananpublik_complaint", sa.Column("source", sa.UnicodeText))


def downgrade():
    op.drop_column("layananpublik_complaint", "source")
    op.execute("UPDATE layananpublik_social_feedback SET reply_post_id = NULL")
    op.execute("DELETE FROM layananpublik_social_log WHERE post_id IN "
               "(SELECT id FROM layananpublik_social_post WHERE event = 'reply')")  # fmt: skip
    op.execute("DELETE FROM layananpublik_social_post WHERE event = 'reply'")
    op.drop_constraint("layananpublik_social_post_event", "layananpublik_social_post", type_="check")
    op.create_check_constraint("layananpublik_social_post_event", "layananpublik_social_post",
                               "event IN ('created', 'serta_merta', 'updated')")  # fmt: skip
    op.drop_column("layananpublik_social_post", "feedback_id")
    op.drop_column("layananpublik_social_post", "in_reply_to")
    op.drop_table("layananpublik_social_feedback_reminder")
    op.drop_table("layananpublik_social_feedback_event")
    op.drop_table("layananpublik_social_feedback")
    op.drop_table("layananpublik_social_listen")
