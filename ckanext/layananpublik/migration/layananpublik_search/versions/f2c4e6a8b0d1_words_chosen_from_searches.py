"""Who chose a frequent word, and the words the operator removed

Revision ID: f2c4e6a8b0d1
Revises: d4e6a8c0b2f5
Create Date: 2026-12-06 08:30:00

Frequent words are now also kept automatically, from the slow one-word searches people
make (search/searched_words.py). `frequent_word.chosen_by` says who kept a word: the
operator's words ('operator', every word kept before this revision) are never removed
automatically; an automatic one ('searches') may give way to a word searched clearly more.
`refused_word` holds the searches (as their rendered SQL) whose word the operator removed:
they are not kept again automatically until the operator adds them.
"""

from alembic import op

revision = "f2c4e6a8b0d1"
down_revision = "d4e6a8c0b2f5"
branch_labels = None
depends_on = None

S = "layananpublik_search"


def upgrade():
    op.execute(
        f"ALTER TABLE {S}.frequent_word ADD COLUMN chosen_by text NOT NULL DEFAULT 'operator'"
        " CHECK (chosen_by IN ('operator', 'searches'))"
    )
    op.execute(
        f"CREATE TABLE {S}.refused_word (text_sql text NOT NULL, rank_sql text NOT NULL, q text NOT NULL,"
        " removed_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (text_sql, rank_sql))"
    )


def downgrade():
    op.execute(f"DROP TABLE {S}.refused_word")
    op.execute(f"ALTER TABLE {S}.frequent_word DROP COLUMN chosen_by")
