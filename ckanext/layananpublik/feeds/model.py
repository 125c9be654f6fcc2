"""The feeds' tables (migrations b7d9f1a3c5e8, c4e6a8b0d2f4), read and written in SQL by
descriptions.py; declared here so the model knows them (tests' clean_db empties them)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import sqlalchemy as sa


class FeedDescription(tk.BaseModel):  # type: ignore[misc]
    """A dataset description as the feeds publish it, keyed by digest (descriptions.digest)."""

    __tablename__ = "layananpublik_feed_description"

    digest = sa.Column(sa.UnicodeText, primary_key=True)
    html = sa.Column(sa.UnicodeText, nullable=False)
    text = sa.Column(sa.UnicodeText, nullable=False)
    summary = sa.Column(sa.UnicodeText, nullable=False)
    rendered_at = sa.Column(sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now())


class FeedDescriptionUse(tk.BaseModel):  # type: ignore[misc]
    """The digest of a feedable dataset's description, recorded when the dataset is saved."""

    __tablename__ = "layananpublik_feed_description_use"

    package_id = sa.Column(sa.UnicodeText, primary_key=True)
    digest = sa.Column(sa.UnicodeText, nullable=False, index=True)
