"""Decided requests, latest decision first (the decided-requests feed, sort=decided)

Revision ID: c5d7e9f1a3b5
Revises: b4c6d8e0f2a3
Create Date: 2026-11-25 05:00:00

layananpublik_request_list with status=decided and sort=decided reads one page of the
register by decision time, site-wide or of one body: without these it sorts every decided
request on each read of the feed.
"""

import sqlalchemy as sa
from alembic import op

revision = "c5d7e9f1a3b5"
down_revision = "b4c6d8e0f2a3"
branch_labels = None
depends_on = None

DECIDED = sa.text("status = 'decided' AND NOT is_spam")


def upgrade():
    op.create_index(
        "layananpublik_request_decided",
        "layananpublik_request",
        [sa.text("decided_at DESC NULLS LAST")],
        postgresql_where=DECIDED,
    )
    op.create_index(
        "layananpublik_request_org_decided",
        "layananpublik_request",
        ["organization_id", sa.text("decided_at DESC NULLS LAST")],
        postgresql_where=DECIDED,
    )


def downgrade():
    op.drop_index("layananpublik_request_org_decided", table_name="layananpublik_request")
    op.drop_index("layananpublik_request_decided", table_name="layananpublik_request")
