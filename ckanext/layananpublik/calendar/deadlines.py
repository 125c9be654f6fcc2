"""Legal deadlines of public-information requests, counted in working days.

UU 14/2008 counts every period in working days (DOMAIN.md, "Working days"): Monday to
Friday minus national holidays and, by default, cuti bersama. The day of receipt is
never counted: a period of N working days ends on the N-th working day strictly after
the date of receipt, that date taken in the body's local time zone.

Pure logic: no database, no CKAN. The caller builds a WorkingCalendar from its settings
and the administrators' calendar entries and recomputes open deadlines when they change.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

# Periods in working days.
DECISION_WORKING_DAYS = 10  # written notice after receipt, Pasal 22(7)
EXTENSION_MAX_WORKING_DAYS = 7  # one extension, with written reasons, Pasal 22(8)
OBJECTION_FILING_WORKING_DAYS = 30  # filing a keberatan after its ground arose, Pasal 36(1)
OBJECTION_ANSWER_WORKING_DAYS = 30  # the Atasan PPID's answer, Pasal 36(2)
DISPUTE_FILING_WORKING_DAYS = 14  # dispute to the Komisi Informasi after that answer, Pasal 37(2)

DEFAULT_TZ = "Asia/Jakarta"  # WIB; WITA bodies use Asia/Makassar, WIT bodies Asia/Jayapura

Lang = Literal["id", "en"]
Kind = Literal["weekend", "holiday", "cuti_bersama"]

# Explanation sentences, kept here so the caller can hand them to gettext later.
# {received}/{due}: "Fri 19 Dec 2025"; {skipping}: SKIPPING_* or "" when only weekends were skipped.
EXPLAIN_EN = "received {received}; {days} counted from the next day{skipping} → due {due}"
EXPLAIN_ID = "diterima {received}; {days} dihitung sejak hari berikutnya{skipping} → jatuh tempo {due}"
EXTENSION_EN = "extended by {days} from {start}{skipping} → due {due}"
EXTENSION_ID = "diperpanjang {days} sejak {start}{skipping} → jatuh tempo {due}"
SKIPPING_EN = ", skipping {days}"
SKIPPING_ID = ", melewati {days}"

_WORKING_DAYS = {"en": ("{n} working day", "{n} working days"), "id": ("{n} hari kerja", "{n} hari kerja")}
_AND = {"en": "and", "id": "dan"}
_CUTI_BERSAMA = "cuti bersama"  # the legal term, used untranslated in both languages
_WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
}
_WEEKDAYS_SHORT = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "id": ("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min"),
}
_MONTHS_SHORT = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "id": ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"),
}
# The `holidays` package's language codes; without one it follows $LANG, so always pass it.
_PACKAGE_LANG = {"en": "en_US", "id": "id"}
# A span longer than any legal period; stops a calendar with no working days from looping forever.
_MAX_SCAN_DAYS = 3660


def _check_lang(lang: str) -> Lang:
    if lang not in _PACKAGE_LANG:
        raise ValueError(f"unsupported language {lang!r}: use 'id' or 'en'")
    return lang  # type: ignore[return-value]


def _strip_cuti_label(name: str, lang: Lang) -> str:
    # The package names cuti bersama "Cuti Bersama Hari Raya Natal" / "Christmas Joint Holiday";
    # the "cuti bersama: " prefix already says so.
    if lang == "id" and name.lower().startswith("cuti bersama "):
        return name[len("cuti bersama ") :]
    if lang == "en" and name.endswith(" Joint Holiday"):
        return name[: -len(" Joint Holiday")]
    return name


@dataclass(frozen=True)
class NonWorkingDay:
    """Why one date is not a working day, named in both languages."""

    day: dt.date
    kind: Kind
    name_en: str
    name_id: str

    def name(self, lang: Lang = "en") -> str:
        return self.name_id if _check_lang(lang) == "id" else self.name_en

    def reason(self, lang: Lang = "en") -> str:
        if self.kind == "cuti_bersama":
            return f"{_CUTI_BERSAMA}: {self.name(lang)}"
        return self.name(lang)


@functools.cache
def _package_holidays() -> dict[tuple[str, Lang], holidays.HolidayBase]:
    """The package's calendars, built once per process: they fill in years lazily and are
    the same for every WorkingCalendar, which is built afresh for each deadline."""
    return {
        (category, lang): holidays.country_holidays("ID", categories=(category,), language=code)
        for category in ("public", "government")
        for lang, code in _PACKAGE_LANG.items()
    }  # type: ignore[misc]


class WorkingCalendar:
    """Mon–Fri minus Indonesian national holidays and (by default) cuti bersama, with
    administrator overrides. Years are loaded from `holidays` lazily, on first use."""

    def __init__(
        self,
        *,
        count_cuti_bersama: bool = True,
        extra_holidays: Mapping[dt.date, str] | None = None,
        extra_cuti_bersama: Mapping[dt.date, str] | None = None,
        working_days: Mapping[dt.date, str] | None = None,
        use_package_holidays: bool = True,
    ) -> None:
        """
        count_cuti_bersama: cuti bersama are non-working days (the default; a setting per site).
        extra_holidays: administrator-added non-working days, date -> name.
        extra_cuti_bersama: administrator-added cuti bersama (decreed each year by SKB),
            date -> name; they follow count_cuti_bersama like the package's.
        working_days: dates declared working despite a weekend or holiday, date -> reason;
            they win over everything else (e.g. a wrongly estimated Islamic holiday).
        use_package_holidays: False when the caller has already copied the package's days
            into extra_holidays/extra_cuti_bersama (the editable calendar table).
        """
        self.count_cuti_bersama = count_cuti_bersama
        self.extra_holidays = dict(extra_holidays or {})
        self.extra_cuti_bersama = dict(extra_cuti_bersama or {})
        self.working_days = dict(working_days or {})
        clash = (self.extra_holidays.keys() | self.extra_cuti_bersama.keys()) & self.working_days.keys()
        if clash:
            # An administrator cannot declare the same day both working and not working.
            raise ValueError(f"dates both working and non-working: {sorted(clash)}")
        self._package = _package_holidays() if use_package_holidays else {}

    def _package_name(self, category: str, day: dt.date) -> tuple[str, str] | None:
        if not self._package:
            return None
        name_en = self._package[category, "en"].get(day)
        if name_en is None:
            return None
        return name_en, self._package[category, "id"].get(day) or name_en

    def non_working(self, day: dt.date) -> NonWorkingDay | None:
        """Why `day` is not a working day, or None if it is one. A holiday on a weekend is
        reported as the holiday: its name says more than "Saturday"."""
        if day in self.working_days:
            return None
        if day in self.extra_holidays:
            name = self.extra_holidays[day]
            return NonWorkingDay(day, "holiday", name, name)
        public = self._package_name("public", day)
        if public is not None:
            return NonWorkingDay(day, "holiday", *public)
        if self.count_cuti_bersama:
            if day in self.extra_cuti_bersama:
                name = self.extra_cuti_bersama[day]
                return NonWorkingDay(day, "cuti_bersama", name, name)
            cuti = self._package_name("government", day)
            if cuti is not None:
                return NonWorkingDay(
                    day, "cuti_bersama", _strip_cuti_label(cuti[0], "en"), _strip_cuti_label(cuti[1], "id")
                )
        if day.weekday() >= 5:
            return NonWorkingDay(
                day, "weekend", _WEEKDAYS["en"][day.weekday()], _WEEKDAYS["id"][day.weekday()]
            )
        return None

    def is_working_day(self, day: dt.date) -> bool:
        return self.non_working(day) is None

    def reason_not_working(self, day: dt.date, lang: Lang = "en") -> str | None:
        """ "Saturday", "Christmas Day", "cuti bersama: Christmas"; None for a working day."""
        nwd = self.non_working(day)
        return None if nwd is None else nwd.reason(lang)


def _fmt_day(day: dt.date, lang: Lang) -> str:
    return f"{_WEEKDAYS_SHORT[lang][day.weekday()]} {day.day} {_MONTHS_SHORT[lang][day.month - 1]} {day.year}"


def _fmt_skipped(nwd: NonWorkingDay, lang: Lang) -> str:
    # Cuti bersama appear as just "(cuti bersama)", as in DOMAIN.md's example: the holiday
    # they bridge is usually the neighbouring date.
    label = _CUTI_BERSAMA if nwd.kind == "cuti_bersama" else nwd.name(lang)
    return f"{nwd.day.day} {_MONTHS_SHORT[lang][nwd.day.month - 1]} ({label})"


def _join(items: list[str], lang: Lang) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {_AND[lang]} {items[-1]}"


def _count_days(n: int, lang: Lang) -> str:
    one, many = _WORKING_DAYS[lang]
    return (one if n == 1 else many).format(n=n)


@dataclass(frozen=True)
class Deadline:
    """The end of a period of `working_days`, counted strictly after `start`."""

    received: dt.date  # local date of receipt
    start: dt.date  # counting begins the day after: the receipt, or the due date being extended
    working_days: int
    due: dt.date
    skipped: tuple[NonWorkingDay, ...]  # every non-working day between start and due, weekends too
    tz: str = DEFAULT_TZ
    extends: Deadline | None = field(default=None, repr=False)  # the original, for an extension

    def explain(self, lang: Lang = "id") -> str:
        """One sentence a requester can check by hand against a calendar."""
        lang = _check_lang(lang)
        # Plain weekends go unsaid; a holiday falling on a weekend changes nothing either.
        notable = [_fmt_skipped(d, lang) for d in self.skipped if d.kind != "weekend" and d.day.weekday() < 5]
        skipping = (
            (SKIPPING_ID if lang == "id" else SKIPPING_EN).format(days=_join(notable, lang))
            if notable
            else ""
        )
        if self.extends is None:
            template = EXPLAIN_ID if lang == "id" else EXPLAIN_EN
            return template.format(
                received=_fmt_day(self.received, lang),
                days=_count_days(self.working_days, lang),
                skipping=skipping,
                due=_fmt_day(self.due, lang),
            )
        template = EXTENSION_ID if lang == "id" else EXTENSION_EN
        return (
            self.extends.explain(lang)
            + "; "
            + template.format(
                days=_count_days(self.working_days, lang),
                start=_fmt_day(self.start, lang),
                skipping=skipping,
                due=_fmt_day(self.due, lang),
            )
        )


def _count_from(
    start: dt.date, working_days: int, calendar: WorkingCalendar
) -> tuple[dt.date, tuple[NonWorkingDay, ...]]:
    if working_days < 1:
        raise ValueError(f"working_days must be at least 1, not {working_days}")
    day, counted = start, 0
    skipped: list[NonWorkingDay] = []
    for _ in range(_MAX_SCAN_DAYS):
        day += dt.timedelta(days=1)
        nwd = calendar.non_working(day)
        if nwd is None:
            counted += 1
            if counted == working_days:
                return day, tuple(skipped)
        else:
            skipped.append(nwd)
    raise ValueError(f"no {working_days} working days within {_MAX_SCAN_DAYS} days after {start}")


def local_date(received_at: dt.datetime, tz: str = DEFAULT_TZ) -> dt.date:
    """The calendar date of an instant in the body's time zone."""
    if received_at.tzinfo is None or received_at.utcoffset() is None:
        # A naive time could be UTC (the server) or local (the officer): refuse to guess.
        raise ValueError("received_at must be timezone-aware")
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {tz!r}") from exc
    return received_at.astimezone(zone).date()


def due_date(
    received_at: dt.datetime, working_days: int, calendar: WorkingCalendar, tz: str = DEFAULT_TZ
) -> Deadline:
    """The N-th working day strictly after the local date of receipt. Receipt on a
    non-working day needs no special case: the days up to the next working day are skipped."""
    received = local_date(received_at, tz)
    due, skipped = _count_from(received, working_days, calendar)
    return Deadline(
        received=received, start=received, working_days=working_days, due=due, skipped=skipped, tz=tz
    )


def decision_due_date(received_at: dt.datetime, calendar: WorkingCalendar, tz: str = DEFAULT_TZ) -> Deadline:
    """When the written notice is due (Pasal 22(7))."""
    return due_date(received_at, DECISION_WORKING_DAYS, calendar, tz)


def extended_due_date(original: Deadline, extra_days: int, calendar: WorkingCalendar) -> Deadline:
    """The one extension of Pasal 22(8), counted from the original due date."""
    if original.extends is not None:
        raise ValueError("a deadline can be extended only once")
    if not 1 <= extra_days <= EXTENSION_MAX_WORKING_DAYS:
        raise ValueError(f"an extension is 1 to {EXTENSION_MAX_WORKING_DAYS} working days, not {extra_days}")
    due, skipped = _count_from(original.due, extra_days, calendar)
    return Deadline(
        received=original.received,
        start=original.due,
        working_days=extra_days,
        due=due,
        skipped=skipped,
        tz=original.tz,
        extends=original,
    )


def working_days_between(start: dt.date, end: dt.date, calendar: WorkingCalendar) -> int:
    """Working days strictly after `start` up to and including `end`: the time a request
    took, counted like its deadline (0 when answered on the day of receipt)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            count += 1
    return count


def deadline_after(
    start: dt.date, working_days: int, calendar: WorkingCalendar, tz: str = DEFAULT_TZ
) -> Deadline:
    """A period counted from a local date rather than an instant: the day an objection's
    ground arose, the day the superior answered."""
    due, skipped = _count_from(start, working_days, calendar)
    return Deadline(received=start, start=start, working_days=working_days, due=due, skipped=skipped, tz=tz)
