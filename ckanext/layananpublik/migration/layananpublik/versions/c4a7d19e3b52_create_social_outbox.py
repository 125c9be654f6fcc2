"""Create social channels, the social-post outbox and its audit log

Revision ID: c4a7d19e3b52
Revises: 8e4d2b7c1a95
Create Date: 2026-11-26 00:00:00

The outbox row is written in the dataset's own transaction; workers claim rows with
SELECT ... FOR UPDATE SKIP LOCKED and mark them `sending` with a lease before the HTTP call.
At most one "new dataset" post per dataset and channel is enforced by a partial unique index.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "c4a7d19e3b52"
down_revision = "8e4d2b7c1a95"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
STATUSES = "'review', 'queued', 'sending', 'published', 'failed', 'unknown', 'cancelled', 'skipped'"


def upgrade():
    op.create_table(
        "layananpublik_social_channel",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("organization_id", sa.UnicodeText, sa.ForeignKey("group.id", ondelete="CASCADE")),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("platform", sa.UnicodeText, nullable=False),
        sa.Column("settings", JSONB, nullable=False, server_default="{}"),
        sa.Column("secret", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("language", sa.UnicodeText, nullable=False, server_default="id"),
        sa.Column("review", sa.Boolean),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("created_by", sa.UnicodeText),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_index("layananpublik_social_channel_org", "layananpublik_social_channel", ["organization_id"])
    op.create_table(
        "layananpublik_social_post",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column(
            "channel_id", sa.UnicodeText, sa.ForeignKey("layananpublik_social_channel.id"), nullable=False
        ),
        sa.Column("organization_id", sa.UnicodeText),
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="SET NULL")),
        sa.Column("event", sa.UnicodeText, nullable=False),
        sa.Column("text", sa.UnicodeText, nullable=False),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("resource_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", TZ, nullable=False),
        sa.Column("lease_until", TZ),
        sa.Column("attempt_token", sa.UnicodeText),
        sa.Column("sending_started_at", TZ),
        sa.Column("remote_id", sa.UnicodeText),
        sa.Column("remote_url", sa.UnicodeText),
        sa.Column("last_error", sa.UnicodeText),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("created_by", sa.UnicodeText),
        sa.Column("approved_by", sa.UnicodeText),
        sa.Column("approved_at", TZ),
        sa.Column("published_at", TZ),
        sa.Column("updated_at", TZ, nullable=False),
        sa.CheckConstraint(f"status IN ({STATUSES})", name="layananpublik_social_post_status"),
        sa.CheckConstraint(
            "event IN ('created', 'serta_merta', 'updated')", name="layananpublik_social_post_event"
        ),
    )
    # A dataset is announced as new at most once per channel, whatever the race.
    op.create_index(
        "layananpublik_social_post_once",
        "layananpublik_social_post",
        ["channel_id", "package_id"],
        unique=True,
        postgresql_where=sa.text("event IN ('created', 'serta_merta')"),
    )
    # What the drain claims: due rows and expired leases.
    op.create_index(
        "layananpublik_social_post_due",
        "layananpublik_social_post",
        ["next_attempt_at"],
        postgresql_where=sa.text("status IN ('queued', 'sending')"),
    )
    op.create_index(
        "layananpublik_social_post_package", "layananpublik_social_post", ["package_id", "created_at"]
    )
    op.create_index(
        "layananpublik_social_post_list", "layananpublik_social_post", ["organization_id", "created_at"]
    )
    op.create_table(
        "layananpublik_social_log",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("post_id", sa.UnicodeText, sa.ForeignKey("layananpublik_social_post.id"), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("actor", sa.UnicodeText),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("text", sa.UnicodeText),
        sa.Column("http_status", sa.Integer),
        sa.Column("response", sa.UnicodeText),
        sa.Column("error", sa.UnicodeText),
    )
    op.create_index("layananpublik_social_log_post", "layananpublik_social_log", ["post_id", "id"])
    # The audit log is append-only: rows are never edited (deleting stays possible for resets).
    op.execute(
        """
        CREATE OR REPLACE FUNCTION layananpublik_social_log_append_only() RETURNS trigger AS $$
        BEGIN
          RAISE EXCEPTION 'layananpublik_social_log is append-only';
        END $$ LANGUAGE plpgsql;
        CREATE TRIGGER layananpublik_social_log_append_only
          BEFORE UPDATE ON layananpublik_social_log
          FOR EACH ROW EXECUTE FUNCTION layananpublik_social_log_append_only();
        """
    )


def downgrade():
    op.execute("DROP TRIGGER IF EXISTS layananpublik_social_log_append_only ON layananpublik_social_log")
    op.execute("DROP FUNCTION IF EXISTS layananpublik_social_log_append_only()")
    op.drop_table("layananpublik_social_log")
    op.drop_table("layananpublik_social_post")
    op.drop_table("layananpublik_social_channel")
