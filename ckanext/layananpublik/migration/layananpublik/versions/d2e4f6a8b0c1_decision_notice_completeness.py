"""What a complete written notice holds (UU 14/2008 Pasal 22(7), Pasal 19)

Revision ID: d2e4f6a8b0c1
Revises: 9b1d3f5a7c20
Create Date: 2026-12-05 12:40:00

A refusal or partial grant names the exemption entry (DIK) with its consequence test, or
records the test in the decision; a grant says by when the information is provided and
itemises the fee (copying, postage). A request set aside as spam keeps when that was decided
(the requester may object from that day). Rows from before this revision have none of these.
"""

import sqlalchemy as sa
from alembic import op

revision = "d2e4f6a8b0c1"
down_revision = "9b1d3f5a7c20"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("layananpublik_request", sa.Column("consequence_test", sa.UnicodeText))
    op.add_column(
        "layananpublik_request",
        sa.Column("exempt_item_id", sa.UnicodeText,
                  sa.ForeignKey("layananpublik_exempt_item.id", ondelete="SET NULL")),
    )
    op.add_column("layananpublik_request", sa.Column("provide_by_date", sa.Date))
    op.add_column("layananpublik_request", sa.Column("fee_copying", sa.Numeric(14, 2)))
    op.add_column("layananpublik_request", sa.Column("fee_postage", sa.Numeric(14, 2)))
    op.add_column("layananpublik_request", sa.Column("spam_marked_at", sa.DateTime(timezone=True)))


def downgrade():
    for column in ("spam_marked_at", "fee_postage", "fee_copying", "provide_by_date", "exempt_item_id", "consequence_test"):
        op.drop_column("layananpublik_request", column)
