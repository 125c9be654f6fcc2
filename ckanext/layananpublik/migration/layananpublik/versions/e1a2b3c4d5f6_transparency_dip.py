"""Transparency: DIP items that are not datasets, exempt information (DIK) with consequence tests

Revision ID: e1a2b3c4d5f6
Revises: d81f6a2c4e93
Create Date: 2026-11-25 01:10:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY

revision = "e1a2b3c4d5f6"
down_revision = "d81f6a2c4e93"
branch_labels = None
depends_on = None

# The DIP of datasets is one query over package + package_extra; this partial index finds
# the datasets that have a DIP category without reading every extra.
EXTRA_INDEX = "layananpublik_package_extra_dip_category_idx"


def _stamps() -> list:
    return [
        sa.Column("created_by", sa.UnicodeText, sa.ForeignKey("user.id")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade():
    op.create_table(
        "layananpublik_dip_item",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("organization_id", sa.UnicodeText, sa.ForeignKey("group.id"), nullable=False),
        sa.Column("category", sa.UnicodeText, nullable=False),
        sa.Column("berkala_items", ARRAY(sa.UnicodeText), nullable=False, server_default="{}"),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("summary", sa.UnicodeText),
        sa.Column("url", sa.UnicodeText),
        sa.Column("holding_unit", sa.UnicodeText),
        sa.Column("responsible_officer", sa.UnicodeText),
        sa.Column("made_time_place", sa.UnicodeText),
        sa.Column("forms", ARRAY(sa.UnicodeText), nullable=False, server_default="{}"),
        sa.Column("retention_period", sa.UnicodeText),
        *_stamps(),
        sa.CheckConstraint(
            "category IN ('berkala', 'serta_merta', 'setiap_saat')", name="layananpublik_dip_item_category"
        ),
        sa.CheckConstraint(
            "berkala_items <@ ARRAY['a','b','c','d','e','f','g','h','i','j','k']::text[]",
            name="layananpublik_dip_item_berkala_items",
        ),
    )
    op.create_index(
        "layananpublik_dip_item_org_idx", "layananpublik_dip_item", ["organization_id", "category"]
    )
    op.create_table(
        "layananpublik_exempt_item",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("organization_id", sa.UnicodeText, sa.ForeignKey("group.id"), nullable=False),
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="SET NULL")),
        sa.Column("information_type", sa.UnicodeText, nullable=False),
        sa.Column("grounds", ARRAY(sa.UnicodeText), nullable=False),
        sa.Column("legal_basis", sa.UnicodeText),
        sa.Column("holding_unit", sa.UnicodeText),
        sa.Column("exemption_period", sa.UnicodeText, nullable=False),
        sa.Column("exempt_until", sa.Date),
        sa.Column("deciding_officer", sa.UnicodeText, nullable=False),
        sa.Column("reasons", sa.UnicodeText, nullable=False),
        sa.Column("consequence", sa.UnicodeText, nullable=False),
        sa.Column("public_interest", sa.UnicodeText, nullable=False),
        sa.Column("decided_place", sa.UnicodeText, nullable=False),
        sa.Column("decided_date", sa.Date, nullable=False),
        *_stamps(),
        sa.CheckConstraint(
            "cardinality(grounds) > 0 AND grounds <@ ARRAY['a','b','c','d','e','f','g','h','i','j']::text[]",
            name="layananpublik_exempt_item_grounds",
        ),
    )
    op.create_index("layananpublik_exempt_item_org_idx", "layananpublik_exempt_item", ["organization_id"])
    op.execute(
        f"CREATE INDEX IF NOT EXISTS {EXTRA_INDEX} ON package_extra (value, package_id) "
        "WHERE key = 'information_category' AND state = 'active'"
    )


def downgrade():
    op.execute(f"DROP INDEX IF EXISTS {EXTRA_INDEX}")
    op.drop_table("layananpublik_exempt_item")
    op.drop_table("layananpublik_dip_item")
