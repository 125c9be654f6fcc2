"""Transparency: pages administrators edit (with revisions) and report narratives

Revision ID: f7e6d5c4b3a2
Revises: e1a2b3c4d5f6
Create Date: 2026-11-25 01:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "f7e6d5c4b3a2"
down_revision = "e1a2b3c4d5f6"
branch_labels = None
depends_on = None

LANGUAGES = "language IN ('id', 'en')"


def upgrade():
    op.create_table(
        "layananpublik_page",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("slug", sa.UnicodeText, nullable=False),
        sa.Column(
            "organization_id", sa.UnicodeText, sa.ForeignKey("group.id", ondelete="CASCADE"), nullable=True
        ),
        sa.Column("language", sa.UnicodeText, nullable=False),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("body", sa.UnicodeText, nullable=False),
        sa.Column("format", sa.UnicodeText, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"), nullable=True),
        sa.CheckConstraint(LANGUAGES, name="layananpublik_page_language"),
        sa.CheckConstraint("format IN ('markdown', 'html')", name="layananpublik_page_format"),
    )
    # One current text per page, body (site-wide: NULL) and language.
    op.execute(
        "CREATE UNIQUE INDEX layananpublik_page_key ON layananpublik_page "
        "(slug, COALESCE(organization_id, ''), language)"
    )
    op.create_table(
        "layananpublik_page_revision",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column(
            "page_id",
            sa.BigInteger,
            sa.ForeignKey("layananpublik_page.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("body", sa.UnicodeText, nullable=False),
        sa.Column("format", sa.UnicodeText, nullable=False),
        sa.Column("note", sa.UnicodeText),
        sa.Column("author_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("page_id", "revision", name="layananpublik_page_revision_key"),
    )
    # Revisions are the page's history: no UPDATE (DELETE stays possible, with the page).
    op.execute(
        """
        CREATE OR REPLACE FUNCTION layananpublik_page_revision_refuse_update() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'layananpublik_page_revision is append-only';
        END $$;
        CREATE TRIGGER layananpublik_page_revision_append_only
            BEFORE UPDATE ON layananpublik_page_revision
            FOR EACH ROW EXECUTE FUNCTION layananpublik_page_revision_refuse_update();
        """
    )
    op.create_table(
        "layananpublik_report_narrative",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column(
            "organization_id", sa.UnicodeText, sa.ForeignKey("group.id", ondelete="CASCADE"), nullable=True
        ),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("period", sa.UnicodeText, nullable=False),
        sa.Column("section", sa.UnicodeText, nullable=False),
        sa.Column("language", sa.UnicodeText, nullable=False),
        sa.Column("body", sa.UnicodeText, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"), nullable=True),
        sa.CheckConstraint(LANGUAGES, name="layananpublik_report_narrative_language"),
        sa.CheckConstraint(
            "period IN ('year', 'q1', 'q2', 'q3', 'q4')", name="layananpublik_report_narrative_period"
        ),
    )
    op.execute(
        "CREATE UNIQUE INDEX layananpublik_report_narrative_key ON layananpublik_report_narrative "
        "(COALESCE(organization_id, ''), year, period, section, language)"
    )


def downgrade():
    op.drop_table("layananpublik_report_narrative")
    op.drop_table("layananpublik_page_revision")
    op.execute("DROP FUNCTION IF EXISTS layananpublik_page_revision_refuse_update()")
    op.drop_table("layananpublik_page")
