"""Encrypt the social channels' credentials at rest

Revision ID: 9b1d3f5a7c20
Revises: c5d7e9f1a3b5
Create Date: 2026-12-05 12:00:00

Credentials were stored as typed. This encrypts every one still in plaintext with the first
key of ckanext.layananpublik.social.secret_keys (or the key derived from SECRET_KEY), so run
it with the site's configuration (`ckan -c ckan.ini db upgrade -p layananpublik`). The
downgrade writes them back in plaintext (with the same keys configured).
"""

import sqlalchemy as sa
from alembic import op

revision = "9b1d3f5a7c20"
down_revision = "c5d7e9f1a3b5"
branch_labels = None
depends_on = None

CHANNELS = sa.table("layananpublik_social_channel", sa.column("id"), sa.column("secret"))


def _rewrite(change) -> None:
    conn = op.get_bind()
    for channel_id, secret in conn.execute(sa.select(CHANNELS.c.id, CHANNELS.c.secret)).all():
        new = change(secret or "")
        if new != (secret or ""):
            conn.execute(CHANNELS.update().where(CHANNELS.c.id == channel_id).values(secret=new))


def upgrade():
    from ckanext.layananpublik.social import credentials

    _rewrite(lambda s: s if credentials.is_encrypted(s) else credentials.encrypt(s))


def downgrade():
    from ckanext.layananpublik.social import credentials

    _rewrite(credentials.decrypt)
