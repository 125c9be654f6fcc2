"""A request's files may be a proxy's power of attorney (surat kuasa)

Revision ID: c7d9e1f3a5b7
Revises: b6c8d0e2f4a6
Create Date: 2026-12-05 13:30:00

Revision a5b7c9d1e3f5 let a proxy attach the power of attorney, stored among the request's files
with kind 'power_of_attorney'; the kind check still allowed only identity documents and released
information.
"""

from alembic import op

revision = "c7d9e1f3a5b7"
down_revision = "b6c8d0e2f4a6"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_constraint("layananpublik_request_file_kind", "layananpublik_request_file", type_="check")
    op.create_check_constraint("layananpublik_request_file_kind", "layananpublik_request_file",
                               "kind IN ('identity', 'release', 'power_of_attorney')")  # fmt: skip


def downgrade():
    op.execute("DELETE FROM layananpublik_request_file WHERE kind = 'power_of_attorney'")
    op.drop_constraint("layananpublik_request_file_kind", "layananpublik_request_file", type_="check")
    op.create_check_constraint("layananpublik_request_file_kind", "layananpublik_request_file",
                               "kind IN ('identity', 'release')")  # fmt: skip
