"""Transparency: pages administrators edit (with revisions) and report narratives

Revision ID: f7e6d5c4b3a2
Revises: e1a2b3c4d5f6
Create Date: 2026-11-25 01:10:00
"""

revision = "f7e6d5c4b3a2"
down_revision = "e1a2b3c4d5f6"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
