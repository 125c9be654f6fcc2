"""Administrators' calendar entries (table layananpublik_calendar_day): holidays, cuti
bersama and days declared working. Created by the alembic chain; models never commit."""

from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from sqlalchemy.orm import Mapped

KINDS = ("holiday", "cuti_bersama", "working_day")


class CalendarDay(tk.BaseModel):  # type: ignore[misc]
    __tablename__ = "layananpublik_calendar_day"

    day: Mapped[dt.date] = sa.Column(sa.Date, primary_key=True)  # type: ignore[assignment]
    kind: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False)  # type: ignore[assignment]
    name: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False)  # type: ignore[assignment]
    source: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False)  # type: ignore[assignment]
    updated_at: Mapped[dt.datetime] = sa.Column(  # type: ignore[assignment]
        sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    )
