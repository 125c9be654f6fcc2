"""The survey's tables. A response and the mark that a request was answered are two rows with
nothing in common (no request id, no time in the response; random ids): who answered what
cannot be read back, yet each request answers once. Created only by the alembic chain in
migration/layananpublik; models never commit."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import sqlalchemy as sa


class SurveyResponse(tk.BaseModel):  # type: ignore[misc]
    """One anonymous response: the body, the year it was given in, nine answers (1–4) and an
    optional suggestion."""

    __tablename__ = "layananpublik_survey_response"

    id = sa.Column(sa.UnicodeText, primary_key=True)  # random (uuid4): its order says nothing
    organization_id = sa.Column(sa.UnicodeText, sa.ForeignKey("group.id"), nullable=False)
    year = sa.Column(sa.Integer, nullable=False)
    # The nine unsur of rules.UNSUR, in its order (a CHECK keeps each within 1–4).
    u1 = sa.Column(sa.SmallInteger, nullable=False)
    u2 = sa.Column(sa.SmallInteger, nullable=False)
    u3 = sa.Column(sa.SmallInteger, nullable=False)
    u4 = sa.Column(sa.SmallInteger, nullable=False)
    u5 = sa.Column(sa.SmallInteger, nullable=False)
    u6 = sa.Column(sa.SmallInteger, nullable=False)
    u7 = sa.Column(sa.SmallInteger, nullable=False)
    u8 = sa.Column(sa.SmallInteger, nullable=False)
    u9 = sa.Column(sa.SmallInteger, nullable=False)
    suggestion = sa.Column(sa.UnicodeText)


class SurveyAnswered(tk.BaseModel):  # type: ignore[misc]
    """That a request's requester has answered (its primary key is the "once")."""

    __tablename__ = "layananpublik_survey_answered"

    request_id = sa.Column(sa.UnicodeText, sa.ForeignKey("layananpublik_request.id"), primary_key=True)
    answered_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
