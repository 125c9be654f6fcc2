"""Working-day deadlines (ckanext.layananpublik.calendar.deadlines), DOMAIN.md "Working days".

Every expected date below is worked out by hand from the holidays that `holidays` 0.109
lists for Indonesia; test_package_facts pins those facts, so a package update that moves
a holiday fails there first, with the reason, rather than in a deadline case.

Facts relied on (category public = national holiday, government = cuti bersama):
  2025-12-25 Thu  public      Christmas Day / Hari Raya Natal
  2025-12-26 Fri  government  Christmas Joint Holiday / Cuti Bersama Hari Raya Natal
  2026-01-01 Thu  public      New Year's Day / Tahun Baru Masehi
  2026-01-16 Fri  public      Isra' and Mi'raj
  2026-03-18 Wed  government  Day of Silence Joint Holiday (Nyepi)
  2026-03-19 Thu  public      Day of Silence
  2026-03-20 Fri  government  Eid al-Fitr Joint Holiday
  2026-03-21 Sat  public      Eid al-Fitr;  2026-03-22 Sun public Eid al-Fitr Second Day
  2026-03-23 Mon, 2026-03-24 Tue  government  Eid al-Fitr Joint Holiday
  2026-04-03 Fri  public      Good Friday
  (24 Dec 2025 is an ordinary working day; 31 Dec 2025 and 2 Jan 2026 too.)
"""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime, timedelta, timezone

import pytest

from ckanext.layananpublik.calendar import deadlines
from ckanext.layananpublik.calendar.deadlines import (
    DECISION_WORKING_DAYS,
    DISPUTE_FILING_WORKING_DAYS,
    EXPLAIN_EN,
    EXPLAIN_ID,
    EXTENSION_MAX_WORKING_DAYS,
    OBJECTION_ANSWER_WORKING_DAYS,
    OBJECTION_FILING_WORKING_DAYS,
    Deadline,
    WorkingCalendar,
    decision_due_date,
    due_date,
    extended_due_date,
    local_date,
)

WIB = timezone(timedelta(hours=7))
WITA = timezone(timedelta(hours=8))
WIT = timezone(timedelta(hours=9))
UTC = timezone.utc


@pytest.fixture(scope="session", autouse=True)
def search_index_table() -> None:
    """Overrides tests/conftest.py: pure logic, runs without CKAN (-p no:ckan)."""


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return WorkingCalendar()


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 0, tz: dt.tzinfo = WIB) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=tz)


# --- the package's facts -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "kind", "reason_en", "reason_id"),
    [
        (date(2025, 12, 25), "holiday", "Christmas Day", "Hari Raya Natal"),
        (date(2025, 12, 26), "cuti_bersama", "cuti bersama: Christmas", "cuti bersama: Hari Raya Natal"),
        (date(2026, 1, 1), "holiday", "New Year's Day", "Tahun Baru Masehi"),
        (date(2026, 1, 16), "holiday", "Isra' and Mi'raj", None),
        (date(2026, 3, 18), "cuti_bersama", "cuti bersama: Day of Silence", None),
        (date(2026, 3, 19), "holiday", "Day of Silence", None),
        (
            date(2026, 3, 20),
            "cuti_bersama",
            "cuti bersama: Eid al-Fitr",
            "cuti bersama: Hari Raya Idul Fitri",
        ),
        (date(2026, 3, 21), "holiday", "Eid al-Fitr", "Hari Raya Idul Fitri"),
        (date(2026, 3, 22), "holiday", "Eid al-Fitr Second Day", None),
        (date(2026, 3, 23), "cuti_bersama", "cuti bersama: Eid al-Fitr", None),
        (date(2026, 3, 24), "cuti_bersama", "cuti bersama: Eid al-Fitr", None),
        (date(2026, 4, 3), "holiday", "Good Friday", None),
    ],
)
def test_package_facts(
    cal: WorkingCalendar, day: date, kind: str, reason_en: str, reason_id: str | None
) -> None:
    nwd = cal.non_working(day)
    assert nwd is not None and nwd.kind == kind
    assert cal.reason_not_working(day) == reason_en
    if reason_id is not None:
        assert cal.reason_not_working(day, "id") == reason_id


@pytest.mark.parametrize(
    "day",
    [date(2025, 12, 22), date(2025, 12, 24), date(2025, 12, 31), date(2026, 1, 2), date(2026, 3, 25)],
)
def test_ordinary_weekdays_are_working_days(cal: WorkingCalendar, day: date) -> None:
    assert cal.is_working_day(day)
    assert cal.reason_not_working(day) is None


@pytest.mark.parametrize(
    ("day", "en", "id_"),
    [(date(2025, 12, 20), "Saturday", "Sabtu"), (date(2025, 12, 21), "Sunday", "Minggu")],
)
def test_weekends_are_not_working_days(cal: WorkingCalendar, day: date, en: str, id_: str) -> None:
    assert not cal.is_working_day(day)
    assert cal.reason_not_working(day) == en
    assert cal.reason_not_working(day, "id") == id_


def test_holiday_on_a_weekend_is_named_after_the_holiday(cal: WorkingCalendar) -> None:
    assert cal.reason_not_working(date(2026, 3, 21)) == "Eid al-Fitr"  # a Saturday


def test_names_do_not_depend_on_the_process_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without an explicit language the package follows $LANG; we always pass one.
    monkeypatch.setenv("LANGUAGE", "id")
    monkeypatch.setenv("LANG", "id_ID.UTF-8")
    assert WorkingCalendar().reason_not_working(date(2025, 12, 25)) == "Christmas Day"


def test_estimated_islamic_dates_keep_the_package_label(cal: WorkingCalendar) -> None:
    # Future Islamic dates are estimates: one reason administrators can correct the calendar.
    assert cal.reason_not_working(date(2027, 3, 10)) == "Eid al-Fitr (estimated)"


# --- due dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "received_at", "days", "tz", "received", "due"),
    [
        # DOMAIN.md's own example: skips 25 Dec, 26 Dec (cuti), 27-28 Dec, 1 Jan, 3-4 Jan.
        ("domain_example", at(2025, 12, 19), 10, "Asia/Jakarta", date(2025, 12, 19), date(2026, 1, 7)),
        ("friday_2330_wib_counts_from_monday", at(2025, 12, 19, 23, 30), 10, "Asia/Jakarta",
         date(2025, 12, 19), date(2026, 1, 7)),
        ("saturday_0030_wib_is_a_saturday_receipt", at(2025, 12, 20, 0, 30), 10, "Asia/Jakarta",
         date(2025, 12, 20), date(2026, 1, 7)),
        ("utc_1630_is_friday_2330_wib", at(2025, 12, 19, 16, 30, UTC), 10, "Asia/Jakarta",
         date(2025, 12, 19), date(2026, 1, 7)),
        ("utc_1730_is_saturday_0030_wib", at(2025, 12, 19, 17, 30, UTC), 10, "Asia/Jakarta",
         date(2025, 12, 20), date(2026, 1, 7)),
        # Thursday night: here the local date does move the deadline by a day.
        ("thursday_2330_wib", at(2025, 12, 18, 23, 30), 10, "Asia/Jakarta", date(2025, 12, 18), date(2026, 1, 6)),
        ("friday_0030_wib", at(2025, 12, 19, 0, 30), 10, "Asia/Jakarta", date(2025, 12, 19), date(2026, 1, 7)),
        ("thursday_2330_wib_is_friday_in_wita", at(2025, 12, 18, 23, 30), 10, "Asia/Makassar",
         date(2025, 12, 19), date(2026, 1, 7)),
        ("thursday_2230_wib_is_friday_in_wit", at(2025, 12, 18, 22, 30), 10, "Asia/Jayapura",
         date(2025, 12, 19), date(2026, 1, 7)),
        ("thursday_2330_wita_stays_thursday_in_wita", at(2025, 12, 18, 23, 30, WITA), 10, "Asia/Makassar",
         date(2025, 12, 18), date(2026, 1, 6)),
        ("friday_0030_wit_is_thursday_in_wib", at(2025, 12, 19, 0, 30, WIT), 10, "Asia/Jakarta",
         date(2025, 12, 18), date(2026, 1, 6)),
        ("received_on_sunday_counts_from_monday", at(2025, 12, 21), 10, "Asia/Jakarta",
         date(2025, 12, 21), date(2026, 1, 7)),
        # Christmas Day receipt: 26 Dec cuti, weekend, then 29 Dec is day 1.
        ("received_on_a_holiday", at(2025, 12, 25), 10, "Asia/Jakarta", date(2025, 12, 25), date(2026, 1, 12)),
        ("one_working_day_over_christmas", at(2025, 12, 24), 1, "Asia/Jakarta", date(2025, 12, 24), date(2025, 12, 29)),
        ("ordinary_fortnight", at(2025, 11, 3), 10, "Asia/Jakarta", date(2025, 11, 3), date(2025, 11, 17)),
        # Lebaran 2026: 18 cuti, 19 Nyepi, 20 cuti, 21-22 Idul Fitri (weekend), 23-24 cuti; 3 Apr Good Friday.
        ("lebaran_2026_week", at(2026, 3, 13), 10, "Asia/Jakarta", date(2026, 3, 13), date(2026, 4, 6)),
        ("received_in_lebaran_week", at(2026, 3, 19), 10, "Asia/Jakarta", date(2026, 3, 19), date(2026, 4, 8)),
        # Dispute: 14 working days from Thu 5 Mar 2026 cross the whole Lebaran break.
        ("dispute_period_over_lebaran", at(2026, 3, 5), DISPUTE_FILING_WORKING_DAYS, "Asia/Jakarta",
         date(2026, 3, 5), date(2026, 4, 1)),
        # Objection: 30 working days from Fri 19 Dec 2025 (Jan 2026: 1 Jan and 16 Jan off).
        ("objection_period_over_new_year", at(2025, 12, 19), OBJECTION_FILING_WORKING_DAYS, "Asia/Jakarta",
         date(2025, 12, 19), date(2026, 2, 5)),
    ],
)  # fmt: skip
def test_due_date(
    cal: WorkingCalendar, name: str, received_at: datetime, days: int, tz: str, received: date, due: date
) -> None:
    deadline = due_date(received_at, days, cal, tz=tz)
    assert (deadline.received, deadline.due) == (received, due), name
    assert cal.is_working_day(deadline.due)


@pytest.mark.parametrize(
    ("name", "calendar", "received_at", "due"),
    [
        # Without cuti bersama, 26 Dec 2025 is day 4: one day earlier than the default.
        ("cuti_bersama_not_counted_christmas", WorkingCalendar(count_cuti_bersama=False), at(2025, 12, 19),
         date(2026, 1, 6)),
        # 18, 20, 23 and 24 Mar 2026 become working days: a week earlier.
        ("cuti_bersama_not_counted_lebaran", WorkingCalendar(count_cuti_bersama=False), at(2026, 3, 13),
         date(2026, 3, 30)),
        ("saturday_declared_working",
         WorkingCalendar(working_days={date(2025, 12, 27): "layanan Sabtu akhir tahun"}), at(2025, 12, 19),
         date(2026, 1, 6)),
        ("cuti_bersama_declared_working",
         WorkingCalendar(working_days={date(2025, 12, 26): "kantor buka"}), at(2025, 12, 19), date(2026, 1, 6)),
        ("extra_holiday_by_administrator",
         WorkingCalendar(extra_holidays={date(2026, 1, 5): "Hari jadi kabupaten"}), at(2025, 12, 19),
         date(2026, 1, 8)),
        ("extra_cuti_bersama_counted",
         WorkingCalendar(extra_cuti_bersama={date(2025, 12, 24): "Cuti bersama Natal"}), at(2025, 12, 19),
         date(2026, 1, 8)),
        ("extra_cuti_bersama_not_counted",
         WorkingCalendar(count_cuti_bersama=False, extra_cuti_bersama={date(2025, 12, 24): "Cuti bersama Natal"}),
         at(2025, 12, 19), date(2026, 1, 6)),
        # Only the administrators' table: 25 Dec alone, no cuti bersama, no 1 Jan.
        ("package_holidays_off",
         WorkingCalendar(use_package_holidays=False, extra_holidays={date(2025, 12, 25): "Natal"}), at(2025, 12, 19),
         date(2026, 1, 5)),
        ("weekdays_only_calendar", WorkingCalendar(use_package_holidays=False), at(2025, 12, 19), date(2026, 1, 2)),
    ],
)  # fmt: skip
def test_calendar_settings_change_the_due_date(
    name: str, calendar: WorkingCalendar, received_at: datetime, due: date
) -> None:
    assert due_date(received_at, DECISION_WORKING_DAYS, calendar).due == due, name


def test_override_reasons(cal: WorkingCalendar) -> None:
    c = WorkingCalendar(
        working_days={date(2025, 12, 27): "layanan Sabtu"},
        extra_holidays={date(2026, 1, 5): "Hari jadi kabupaten"},
    )
    assert c.is_working_day(date(2025, 12, 27)) and c.reason_not_working(date(2025, 12, 27)) is None
    assert c.reason_not_working(date(2026, 1, 5)) == "Hari jadi kabupaten"
    assert c.reason_not_working(date(2026, 1, 5), "id") == "Hari jadi kabupaten"
    assert WorkingCalendar(count_cuti_bersama=False).is_working_day(date(2025, 12, 26))
    assert cal.is_working_day(date(2026, 1, 5))  # the module calendar is untouched


def test_day_both_working_and_not_is_rejected() -> None:
    with pytest.raises(ValueError, match="both working and non-working"):
        WorkingCalendar(extra_holidays={date(2026, 1, 5): "x"}, working_days={date(2026, 1, 5): "y"})


def test_skipped_days_are_listed_with_reasons(cal: WorkingCalendar) -> None:
    deadline = due_date(at(2025, 12, 19), 10, cal)
    assert [(d.day, d.kind) for d in deadline.skipped] == [
        (date(2025, 12, 20), "weekend"),
        (date(2025, 12, 21), "weekend"),
        (date(2025, 12, 25), "holiday"),
        (date(2025, 12, 26), "cuti_bersama"),
        (date(2025, 12, 27), "weekend"),
        (date(2025, 12, 28), "weekend"),
        (date(2026, 1, 1), "holiday"),
        (date(2026, 1, 3), "weekend"),
        (date(2026, 1, 4), "weekend"),
    ]
    assert [d.reason() for d in deadline.skipped][1:5] == [
        "Sunday",
        "Christmas Day",
        "cuti bersama: Christmas",
        "Saturday",
    ]


@pytest.mark.parametrize("start", [date(2025, 12, 1) + timedelta(days=i) for i in range(0, 150, 3)])
@pytest.mark.parametrize(
    "days", [1, DECISION_WORKING_DAYS, DISPUTE_FILING_WORKING_DAYS, OBJECTION_ANSWER_WORKING_DAYS]
)
def test_exactly_n_working_days_after_receipt(cal: WorkingCalendar, start: date, days: int) -> None:
    # Independent recount: the due date is a working day and exactly `days` working days
    # lie in (receipt, due]; every other day in between is listed as skipped.
    deadline = due_date(at(start.year, start.month, start.day), days, cal)
    span = [
        deadline.received + timedelta(days=i) for i in range(1, (deadline.due - deadline.received).days + 1)
    ]
    working = [d for d in span if d.weekday() < 5 and cal.is_working_day(d)]
    assert len(working) == days and working[-1] == deadline.due
    assert [s.day for s in deadline.skipped] == [d for d in span if d not in working]


# --- extension -----------------------------------------------------------------------------


def test_extension_counts_from_the_original_due_date(cal: WorkingCalendar) -> None:
    original = decision_due_date(at(2025, 12, 19), cal)
    assert original.due == date(2026, 1, 7)
    # Thu 8, Fri 9, Mon 12 … Thu 15, (Fri 16 Isra Mi'raj), Mon 19.
    extended = extended_due_date(original, EXTENSION_MAX_WORKING_DAYS, cal)
    assert (extended.start, extended.due, extended.received) == (
        date(2026, 1, 7),
        date(2026, 1, 19),
        date(2025, 12, 19),
    )
    assert extended.extends is original
    assert [d.day for d in extended.skipped if d.kind != "weekend"] == [date(2026, 1, 16)]


def test_short_extension_over_lebaran(cal: WorkingCalendar) -> None:
    original = due_date(at(2026, 3, 2), DECISION_WORKING_DAYS, cal)
    assert original.due == date(2026, 3, 16)
    # Tue 17, then 18-24 Mar are all off, Wed 25, Thu 26.
    assert extended_due_date(original, 3, cal).due == date(2026, 3, 26)


@pytest.mark.parametrize("extra", [0, -1, EXTENSION_MAX_WORKING_DAYS + 1])
def test_extension_outside_the_legal_range_is_rejected(cal: WorkingCalendar, extra: int) -> None:
    original = decision_due_date(at(2025, 12, 19), cal)
    with pytest.raises(ValueError, match="extension"):
        extended_due_date(original, extra, cal)


def test_only_one_extension(cal: WorkingCalendar) -> None:
    once = extended_due_date(decision_due_date(at(2025, 12, 19), cal), 2, cal)
    with pytest.raises(ValueError, match="only once"):
        extended_due_date(once, 2, cal)


# --- explanations --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        (
            "en",
            "received Fri 19 Dec 2025; 10 working days counted from the next day, skipping 25 Dec (Christmas Day), "
            "26 Dec (cuti bersama) and 1 Jan (New Year's Day) → due Wed 7 Jan 2026",
        ),
        (
            "id",
            "diterima Jum 19 Des 2025; 10 hari kerja dihitung sejak hari berikutnya, melewati 25 Des (Hari Raya Natal), "
            "26 Des (cuti bersama) dan 1 Jan (Tahun Baru Masehi) → jatuh tempo Rab 7 Jan 2026",
        ),
    ],
)
def test_explanation_of_domain_example(cal: WorkingCalendar, lang: str, text: str) -> None:
    assert due_date(at(2025, 12, 19), 10, cal).explain(lang) == text  # type: ignore[arg-type]


def test_explanation_defaults_to_indonesian(cal: WorkingCalendar) -> None:
    assert due_date(at(2025, 12, 19), 10, cal).explain().startswith("diterima Jum 19 Des 2025;")


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "received Mon 3 Nov 2025; 1 working day counted from the next day → due Tue 4 Nov 2025"),
        (
            "id",
            "diterima Sen 3 Nov 2025; 1 hari kerja dihitung sejak hari berikutnya → jatuh tempo Sel 4 Nov 2025",
        ),
    ],
)
def test_explanation_without_holidays_has_no_skipping_clause(
    cal: WorkingCalendar, lang: str, text: str
) -> None:
    assert due_date(at(2025, 11, 3), 1, cal).explain(lang) == text  # type: ignore[arg-type]


def test_explanation_leaves_out_holidays_on_weekends(cal: WorkingCalendar) -> None:
    # Eid al-Fitr (Sat 21) and its second day (Sun 22) would be skipped anyway.
    text = due_date(at(2026, 3, 13), 10, cal).explain("en")
    assert text == (
        "received Fri 13 Mar 2026; 10 working days counted from the next day, skipping 18 Mar (cuti bersama), "
        "19 Mar (Day of Silence), 20 Mar (cuti bersama), 23 Mar (cuti bersama), 24 Mar (cuti bersama) "
        "and 3 Apr (Good Friday) → due Mon 6 Apr 2026"
    )


def test_explanation_with_one_skipped_holiday_has_no_conjunction(cal: WorkingCalendar) -> None:
    assert due_date(at(2026, 1, 12), 5, cal).explain("id") == (
        "diterima Sen 12 Jan 2026; 5 hari kerja dihitung sejak hari berikutnya, "
        "melewati 16 Jan (Isra Mikraj Nabi Muhammad) → jatuh tempo Sel 20 Jan 2026"
    )


@pytest.mark.parametrize(
    ("lang", "tail"),
    [
        ("en", "; extended by 7 working days from Wed 7 Jan 2026, skipping 16 Jan (Isra' and Mi'raj) → due Mon 19 Jan 2026"),
        ("id", "; diperpanjang 7 hari kerja sejak Rab 7 Jan 2026, melewati 16 Jan (Isra Mikraj Nabi Muhammad) "
               "→ jatuh tempo Sen 19 Jan 2026"),
    ],
)  # fmt: skip
def test_explanation_of_an_extension(cal: WorkingCalendar, lang: str, tail: str) -> None:
    original = decision_due_date(at(2025, 12, 19), cal)
    text = extended_due_date(original, 7, cal).explain(lang)  # type: ignore[arg-type]
    assert text == original.explain(lang) + tail  # type: ignore[arg-type]


def test_explanation_templates_are_module_constants() -> None:
    # The caller passes these to gettext; their placeholders are the contract.
    for template in (EXPLAIN_EN, EXPLAIN_ID):
        assert all(f"{{{p}}}" in template for p in ("received", "days", "skipping", "due"))


def test_unknown_language_is_rejected(cal: WorkingCalendar) -> None:
    with pytest.raises(ValueError, match="language"):
        due_date(at(2025, 12, 19), 10, cal).explain("fr")  # type: ignore[arg-type]


# --- bad input -----------------------------------------------------------------------------


def test_naive_datetime_is_rejected(cal: WorkingCalendar) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        due_date(datetime(2025, 12, 19, 10, 0), 10, cal)


def test_unknown_time_zone_is_rejected(cal: WorkingCalendar) -> None:
    with pytest.raises(ValueError, match="time zone"):
        due_date(at(2025, 12, 19), 10, cal, tz="Asia/Atlantis")


@pytest.mark.parametrize("days", [0, -3])
def test_non_positive_period_is_rejected(cal: WorkingCalendar, days: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        due_date(at(2025, 12, 19), days, cal)


def test_calendar_without_working_days_fails_instead_of_looping() -> None:
    class NeverWorking(WorkingCalendar):
        def non_working(self, day: date) -> deadlines.NonWorkingDay:
            return deadlines.NonWorkingDay(day, "holiday", "closed", "tutup")

    with pytest.raises(ValueError, match="no 1 working days"):
        due_date(at(2025, 12, 19), 1, NeverWorking(use_package_holidays=False))


def test_legal_periods() -> None:
    assert (
        DECISION_WORKING_DAYS,
        EXTENSION_MAX_WORKING_DAYS,
        OBJECTION_FILING_WORKING_DAYS,
        OBJECTION_ANSWER_WORKING_DAYS,
        DISPUTE_FILING_WORKING_DAYS,
    ) == (10, 7, 30, 30, 14)


def test_local_date_and_deadline_keep_the_zone() -> None:
    instant = at(2025, 12, 31, 16, 30, UTC)  # 23:30 WIB, 00:30 WITA on New Year's Day
    assert local_date(instant, "Asia/Jakarta") == date(2025, 12, 31)
    assert local_date(instant, "Asia/Makassar") == date(2026, 1, 1)
    deadline = due_date(instant, 10, WorkingCalendar(), tz="Asia/Makassar")
    assert isinstance(deadline, Deadline) and deadline.tz == "Asia/Makassar"
