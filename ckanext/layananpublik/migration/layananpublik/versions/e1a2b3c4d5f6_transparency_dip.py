"""Transparency: DIP items that are not datasets, exempt information (DIK) with consequence tests

Revision ID: e1a2b3c4d5f6
Revises: d81f6a2c4e93
Create Date: 2026-11-25 01:10:00
"""

revision = "e1a2b3c4d5f6"
down_revision = "d81f6a2c4e93"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
