"""Satisfaction survey (Survei Kepuasan Masyarakat, PermenPAN-RB 14/2017): anonymous responses
and the mark that a request was answered

Revision ID: e9a1c3d5f7b9
Revises: d8e0f2a4b6c9
Create Date: 2026-12-05 15:30:00

A response holds its body, its year, the nine unsur answered on the 1–4 scale and an optional
suggestion; nothing links it to the request (the mark that a request answered is another
table, keyed by the request, so each answers once).
"""

import sqlalchemy as sa
from alembic import op

revision = "e9a1c3d5f7b9"
down_revision = "d8e0f2a4b6c9"
branch_labels = None
depends_on = None

CODES = tuple(f"u{n}" for n in range(1, 10))


def upgrade():
    op.create_table(
        "layananpublik_survey_response",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("organization_id", sa.UnicodeText, sa.ForeignKey("group.id"), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        *(sa.Column(code, sa.SmallInteger, nullable=False) for code in CODES),
        sa.Column("suggestion", sa.UnicodeText),
        *(sa.CheckConstraint(f"{code} BETWEEN 1 AND 4", name=f"layananpublik_survey_response_{code}")
          for code in CODES),
    )  # fmt: skip
    op.create_index("layananpublik_survey_response_body_year", "layananpublik_survey_response",
                    ["organization_id", "year"])  # fmt: skip
    op.create_table(
        "layananpublik_survey_answered",
        sa.Column("request_id", sa.UnicodeText, sa.ForeignKey("layananpublik_request.id"), primary_key=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade():
    op.drop_table("layananpublik_survey_answered")
    op.drop_index("layananpublik_survey_response_body_year", "layananpublik_survey_response")
    op.drop_table("layananpublik_survey_response")
