"""An objection on ground b (berkala information not published) needs no request

Revision ID: b6c8d0e2f4a6
Revises: a5b7c9d1e3f5
Create Date: 2026-12-05 13:15:00

Pasal 35(1) b UU 14/2008: anyone may object that information the body must publish
periodically (Pasal 9) was not published; there is no request to hang it on. Such an objection
carries its filer's own contact and language.
"""

import sqlalchemy as sa
from alembic import op

revision = "b6c8d0e2f4a6"
down_revision = "a5b7c9d1e3f5"
branch_labels = None
depends_on = None


def upgrade():
    op.alter_column("layananpublik_objection", "request_id", nullable=True)
    op.add_column("layananpublik_objection", sa.Column("filer_email", sa.UnicodeText))
    op.add_column("layananpublik_objection", sa.Column("filer_phone", sa.UnicodeText))
    op.add_column("layananpublik_objection", sa.Column("language", sa.UnicodeText))


def downgrade():
    op.execute("DELETE FROM layananpublik_objection_event WHERE parent_id IN "
               "(SELECT id FROM layananpublik_objection WHERE request_id IS NULL)")
    op.execute("DELETE FROM layananpublik_objection_reminder WHERE objection_id IN "
               "(SELECT id FROM layananpublik_objection WHERE request_id IS NULL)")
    op.execute("DELETE FROM layananpublik_objection WHERE request_id IS NULL")
    for column in ("language", "filer_phone", "filer_email"):
        op.drop_column("layananpublik_objection", column)
    op.alter_column("layananpublik_objection", "request_id", nullable=False)
