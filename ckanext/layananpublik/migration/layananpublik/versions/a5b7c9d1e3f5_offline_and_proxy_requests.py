"""Requests received on paper, by post or at the desk; requests and objections by a proxy

Revision ID: a5b7c9d1e3f5
Revises: f4a6c8e0b2d4
Create Date: 2026-12-05 13:10:00

An officer records a request received another way than online with its real time of receipt
(received_channel says how); a proxy files for a principal, named here, with a power of
attorney (surat kuasa) stored among the request's files. Rows from before this revision were
received online and filed by the requester.
"""

import sqlalchemy as sa
from alembic import op

revision = "a5b7c9d1e3f5"
down_revision = "f4a6c8e0b2d4"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("layananpublik_request", sa.Column("received_channel", sa.UnicodeText))
    op.add_column("layananpublik_request", sa.Column("principal_name", sa.UnicodeText))
    op.add_column("layananpublik_objection", sa.Column("principal_name", sa.UnicodeText))


def downgrade():
    op.drop_column("layananpublik_objection", "principal_name")
    op.drop_column("layananpublik_request", "principal_name")
    op.drop_column("layananpublik_request", "received_channel")
