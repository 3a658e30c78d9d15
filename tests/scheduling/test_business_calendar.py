"""Fixed-date tests of BusinessCalendar: the worked examples and the awkward corners.

The property tests in test_calendar_vs_numpy.py check the arithmetic against numpy on random
input; these pin down named cases a reader can check by hand with a wall calendar.
"""

from __future__ import annotations

import copy
import pickle
from datetime import date, datetime, timedelta

import pytest

from darkroom.scheduling import BusinessCalendar, CalendarError, CalendarRangeError, closure_range

MON_FRI = BusinessCalendar(range(5))

# July/August 2015: Fri 07-31, Sat 08-01, Sun 08-02, Mon 08-03.
FRI = date(2015, 7, 31)
SAT = date(2015, 8, 1)
SUN = date(2015, 8, 2)
MON = date(2015, 8, 3)


# -- Worked examples -------------------------------------------------------------------------------


def test_friday_plus_one_is_monday() -> None:
    assert MON_FRI.due(FRI, 1) == MON


def test_saturday_plus_one_is_monday() -> None:
    assert MON_FRI.due(SAT, 1) == MON


def test_n_zero_keeps_a_business_day_and_rolls_a_weekend_forward() -> None:
    assert MON_FRI.due(FRI, 0) == FRI
    assert MON_FRI.due(SAT, 0) == MON
    assert MON_FRI.due(SUN, 0) == MON


def test_subtract_mirrors_due() -> None:
    assert MON_FRI.subtract(MON, 1) == FRI
    assert MON_FRI.subtract(SUN, 1) == FRI
    assert MON_FRI.subtract(SUN, 0) == FRI
    assert MON_FRI.subtract(SAT, 0) == FRI
    assert MON_FRI.subtract(MON, 0) == MON
    assert MON_FRI.subtract(MON, 5) == date(2015, 7, 27)


def test_next_and_previous_business_day_are_strict() -> None:
    assert MON_FRI.next_business_day(FRI) == MON
    assert MON_FRI.next_business_day(SUN) == MON
    assert MON_FRI.previous_business_day(MON) == FRI
    assert MON_FRI.previous_business_day(SAT) == FRI


def test_is_business_day() -> None:
    assert MON_FRI.is_business_day(FRI)
    assert not MON_FRI.is_business_day(SAT)
    assert not MON_FRI.is_business_day(SUN)
    cal = MON_FRI.with_closures([MON])
    assert not cal.is_business_day(MON)
    assert cal.is_business_day(MON + timedelta(days=1))


def test_business_days_between_counts_after_a_up_to_and_including_b() -> None:
    assert MON_FRI.business_days_between(FRI, MON) == 1
    assert MON_FRI.business_days_between(SAT, SUN) == 0
    assert MON_FRI.business_days_between(FRI, FRI) == 0
    assert MON_FRI.business_days_between(MON, FRI) == -1  # -(count in (Fri, Mon])
    assert MON_FRI.business_days_between(date(2015, 7, 27), FRI) == 4
    assert MON_FRI.business_days_between(FRI, date(2015, 7, 27)) == -4
    assert MON_FRI.business_days_between(date(2015, 1, 1), date(2016, 1, 1)) == 261


# -- closures --------------------------------------------------------------------------------------


def test_starting_on_a_closure() -> None:
    tue = MON + timedelta(days=1)
    cal = MON_FRI.with_closures([MON])
    assert cal.due(MON, 0) == tue
    assert cal.due(MON, 1) == tue
    assert cal.due(MON, 2) == tue + timedelta(days=1)
    assert cal.subtract(MON, 0) == FRI
    assert cal.subtract(MON, 1) == FRI
    assert cal.subtract(tue, 1) == FRI
    assert cal.business_days_between(FRI, tue) == 1


def test_consecutive_closures_are_all_skipped() -> None:
    # Mon..Wed closed: Friday + 1 = Thursday, Friday + 2 = Friday of the next week.
    cal = MON_FRI.with_closures(closure_range(MON, MON + timedelta(days=2)))
    assert cal.due(FRI, 1) == date(2015, 8, 6)
    assert cal.due(FRI, 2) == date(2015, 8, 7)
    assert cal.due(FRI, 3) == date(2015, 8, 10)
    assert cal.subtract(date(2015, 8, 6), 1) == FRI


def test_closures_on_non_work_days_are_harmless() -> None:
    cal = MON_FRI.with_closures([SAT, SUN])
    for n in range(12):
        assert cal.due(FRI, n) == MON_FRI.due(FRI, n)
        assert cal.subtract(MON, n) == MON_FRI.subtract(MON, n)
    assert cal.business_days_between(FRI, MON) == 1
    assert cal.closures == (SAT, SUN)  # kept, as given


def test_a_long_closure_range() -> None:
    # A two-year sabbatical, 2020-03-16 .. 2022-03-13 (a Sunday).
    first, last = date(2020, 3, 16), date(2022, 3, 13)
    cal = BusinessCalendar(range(5), closure_range(first, last))
    assert len(cal.closures) == (last - first).days + 1
    before = date(2020, 3, 13)  # Friday
    after = date(2022, 3, 14)  # Monday
    assert cal.due(before, 1) == after
    assert cal.due(first, 0) == after
    assert cal.due(date(2021, 7, 4), 3) == date(2022, 3, 16)
    assert cal.subtract(after, 1) == before
    assert cal.subtract(date(2021, 7, 4), 0) == before
    assert cal.business_days_between(before, after) == 1
    assert cal.business_days_between(first, last) == 0
    assert cal.business_days_between(after, before) == -1
    assert not any(
        cal.is_business_day(first + timedelta(days=i)) for i in range((last - first).days + 1)
    )


def test_closure_range_validates() -> None:
    assert closure_range(FRI, FRI) == (FRI,)
    assert closure_range(FRI, MON) == (FRI, SAT, SUN, MON)
    with pytest.raises(CalendarError, match="before it starts"):
        closure_range(MON, FRI)


# -- calendar edges --------------------------------------------------------------------------------


def test_leap_day() -> None:
    leap = date(2024, 2, 29)  # a Thursday
    assert MON_FRI.due(date(2024, 2, 28), 1) == leap
    assert MON_FRI.due(leap, 1) == date(2024, 3, 1)
    assert MON_FRI.due(leap, 2) == date(2024, 3, 4)
    assert MON_FRI.subtract(date(2024, 3, 1), 1) == leap
    every_day = BusinessCalendar(range(7))
    assert every_day.due(date(2024, 2, 28), 1) == leap
    assert every_day.due(date(2023, 2, 28), 1) == date(2023, 3, 1)
    assert every_day.business_days_between(date(2024, 1, 1), date(2025, 1, 1)) == 366
    closed = MON_FRI.with_closures([leap])
    assert closed.due(date(2024, 2, 28), 1) == date(2024, 3, 1)
    assert closed.business_days_between(date(2024, 2, 28), date(2024, 3, 1)) == 1


def test_year_end() -> None:
    assert MON_FRI.due(date(2021, 12, 31), 1) == date(2022, 1, 3)  # Fri -> Mon
    holidays = MON_FRI.with_closures([date(2024, 12, 25), date(2024, 12, 26), date(2025, 1, 1)])
    assert holidays.due(date(2024, 12, 24), 1) == date(2024, 12, 27)
    assert holidays.due(date(2024, 12, 31), 1) == date(2025, 1, 2)
    assert holidays.subtract(date(2025, 1, 2), 2) == date(2024, 12, 30)
    assert holidays.business_days_between(date(2024, 12, 20), date(2025, 1, 3)) == 7


def test_a_week_with_only_sundays_open() -> None:
    sundays = BusinessCalendar([6])
    assert sundays.due(date(2024, 6, 3), 0) == date(2024, 6, 9)  # Monday -> Sunday
    assert sundays.due(date(2024, 6, 3), 1) == date(2024, 6, 9)
    assert sundays.due(date(2024, 6, 9), 1) == date(2024, 6, 16)
    assert sundays.due(date(2024, 6, 9), 0) == date(2024, 6, 9)
    assert sundays.due(date(2024, 6, 9), 52) == date(2025, 6, 8)
    assert sundays.subtract(date(2024, 6, 8), 0) == date(2024, 6, 2)
    assert sundays.subtract(date(2024, 6, 9), 1) == date(2024, 6, 2)
    assert sundays.business_days_between(date(2024, 1, 1), date(2025, 1, 1)) == 52
    closed = sundays.with_closures([date(2024, 6, 16)])
    assert closed.due(date(2024, 6, 9), 1) == date(2024, 6, 23)


def test_weekend_work_weeks() -> None:
    # Tue..Sat studio: Saturday + 1 = Tuesday, Monday + 0 = Tuesday.
    cal = BusinessCalendar([1, 2, 3, 4, 5])
    assert cal.due(SAT, 1) == date(2015, 8, 4)
    assert cal.due(MON, 0) == date(2015, 8, 4)
    assert cal.subtract(MON, 0) == SAT


def test_large_n_and_distant_dates() -> None:
    every_day = BusinessCalendar(range(7))
    start = date(1990, 1, 1)
    assert every_day.due(start, 50_000) == start + timedelta(days=50_000)
    assert every_day.subtract(start, 50_000) == start - timedelta(days=50_000)
    # Mon-Fri: 5 business days per 7 days, so 50 000 business days is exactly 10 000 weeks.
    assert MON_FRI.due(start, 50_000) == start + timedelta(weeks=10_000)
    assert MON_FRI.subtract(start, 50_000) == start - timedelta(weeks=10_000)
    assert MON_FRI.business_days_between(start, start + timedelta(weeks=10_000)) == 50_000


def test_results_outside_the_date_range_raise() -> None:
    every_day = BusinessCalendar(range(7))
    assert every_day.due(date.max, 0) == date.max
    assert every_day.subtract(date.min, 0) == date.min
    assert MON_FRI.subtract(date.min, 0) == date.min  # 0001-01-01 is a Monday
    with pytest.raises(CalendarRangeError, match="outside the supported dates"):
        every_day.due(date.max, 1)
    with pytest.raises(CalendarRangeError):
        every_day.subtract(date.min, 1)
    assert MON_FRI.due(date.max, 0) == date.max  # 9999-12-31 is a Friday
    with pytest.raises(CalendarRangeError):
        MON_FRI.due(date.max, 1)  # Friday + 1 would be in year 10000
    with pytest.raises(CalendarRangeError):
        BusinessCalendar([5]).due(date.max, 0)  # the next Saturday is in year 10000
    with pytest.raises(CalendarRangeError):
        BusinessCalendar([6]).subtract(date(1, 1, 6), 0)  # no Sunday before 0001-01-07
    with pytest.raises(OverflowError):
        MON_FRI.due(date(2024, 1, 1), 10**20)
    with pytest.raises(ValueError):
        MON_FRI.subtract(date(2024, 1, 1), 10**20)
    assert every_day.business_days_between(date.min, date.max) == date.max.toordinal() - 1


# -- refusals --------------------------------------------------------------------------------------


def test_an_empty_work_week_is_refused() -> None:
    with pytest.raises(CalendarError, match="at least one work day"):
        BusinessCalendar([])
    with pytest.raises(ValueError):
        BusinessCalendar(set(), [FRI])


@pytest.mark.parametrize("bad", [[7], [-1], [0, 9]])
def test_weekday_numbers_outside_the_week_are_refused(bad: list[int]) -> None:
    with pytest.raises(CalendarError, match=r"outside 0\.\.6"):
        BusinessCalendar(bad)


@pytest.mark.parametrize("bad", [[True], [1.0], "01234", [None]])
def test_weekday_numbers_must_be_ints(bad: object) -> None:
    with pytest.raises(TypeError):
        BusinessCalendar(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [1.5, 2.0, "3", None, True, False])
def test_n_must_be_an_int(bad: object) -> None:
    for method in (MON_FRI.due, MON_FRI.subtract):
        with pytest.raises(TypeError, match="must be an int"):
            method(FRI, bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [-1, -1000])
def test_n_must_not_be_negative(bad: int) -> None:
    for method in (MON_FRI.due, MON_FRI.subtract):
        with pytest.raises(CalendarError, match="must not be negative"):
            method(FRI, bad)


def test_int_subclasses_are_accepted_as_n() -> None:
    class Days(int):
        pass

    assert MON_FRI.due(FRI, Days(1)) == MON


def test_datetimes_and_non_dates_are_refused() -> None:
    with pytest.raises(TypeError, match="local date"):
        MON_FRI.due(datetime(2015, 7, 31, 12), 1)
    with pytest.raises(TypeError, match="local date"):
        MON_FRI.business_days_between(FRI, datetime(2015, 8, 3))
    with pytest.raises(TypeError):
        MON_FRI.is_business_day("2015-07-31")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        MON_FRI.subtract(None, 1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        BusinessCalendar(range(5), [datetime(2015, 12, 25)])


def test_date_subclasses_are_accepted() -> None:
    class Day(date):
        pass

    assert MON_FRI.due(Day(2015, 7, 31), 1) == MON
    cal = BusinessCalendar(range(5), [Day(2015, 8, 3)])
    assert type(cal.closures[0]) is date
    assert cal.due(FRI, 1) == date(2015, 8, 4)


# -- combining and value semantics -----------------------------------------------------------------


def test_vendor_closures_on_top_of_the_studios() -> None:
    studio = BusinessCalendar(range(5), [date(2015, 8, 3)])
    vendor = BusinessCalendar([0, 1, 2, 3, 4, 5], [date(2015, 8, 4), date(2015, 8, 3)])
    both = studio.combined_with(vendor)
    assert both.work_days == studio.work_days  # the base calendar's work week
    assert both.closures == (date(2015, 8, 3), date(2015, 8, 4))
    assert studio.due(FRI, 1) == date(2015, 8, 4)
    assert both.due(FRI, 1) == date(2015, 8, 5)
    assert both.due(SAT, 0) == date(2015, 8, 5)  # the vendor's Saturday doesn't count
    assert both == studio.with_closures(vendor.closures)
    assert studio.closures == (date(2015, 8, 3),)  # unchanged
    with pytest.raises(TypeError):
        studio.combined_with([date(2015, 8, 4)])  # type: ignore[arg-type]


def test_value_semantics() -> None:
    a = BusinessCalendar([4, 0, 1, 2, 3], [FRI, MON, FRI])
    b = BusinessCalendar(range(5), (MON, FRI))
    assert a == b
    assert hash(a) == hash(b)
    assert len({a, b}) == 1
    assert a != MON_FRI
    assert a != "Mon-Fri"
    assert a.work_days == frozenset(range(5))
    assert a.closures == (FRI, MON)
    assert repr(a) == "<BusinessCalendar Mon+Tue+Wed+Thu+Fri, 2 closures 2015-07-31..2015-08-03>"
    assert repr(MON_FRI) == "<BusinessCalendar Mon+Tue+Wed+Thu+Fri, 0 closures>"


def test_immutable() -> None:
    with pytest.raises(AttributeError):
        MON_FRI._fast = ()  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del MON_FRI._closures
    with pytest.raises(AttributeError):
        MON_FRI.extra = 1  # type: ignore[attr-defined]


def test_pickle_and_copy_round_trip() -> None:
    cal = BusinessCalendar([0, 2, 4], [MON, date(2015, 8, 5)])
    for clone in (pickle.loads(pickle.dumps(cal)), copy.copy(cal), copy.deepcopy(cal)):
        assert clone == cal
        assert clone.due(FRI, 1) == date(2015, 8, 7)


def test_window_edges_agree_with_the_arithmetic() -> None:
    """Step across both ends of the lookup window, one day at a time, with the window on and off."""
    import darkroom.scheduling.calendar as calendar_module

    closures = [date(2020, 1, 1), date(2020, 7, 14), date(2021, 5, 3)]
    fast = BusinessCalendar([0, 2, 3, 5], closures)
    plain = BusinessCalendar([0, 2, 3, 5], closures)
    object.__setattr__(plain, "_window", calendar_module._NO_WINDOW)
    margin = calendar_module._WINDOW_MARGIN
    for edge in (closures[0] - timedelta(days=margin), closures[-1] + timedelta(days=margin)):
        for offset in range(-20, 21):
            d = edge + timedelta(days=offset)
            for n in (0, 1, 2, 3, 10, 300):
                assert fast.due(d, n) == plain.due(d, n)
                assert fast.subtract(d, n) == plain.subtract(d, n)
            assert fast.business_days_between(d, edge) == plain.business_days_between(d, edge)
            assert fast.is_business_day(d) == plain.is_business_day(d)


def test_closures_spanning_more_than_the_window_cap_still_work() -> None:
    import darkroom.scheduling.calendar as calendar_module

    span = calendar_module._WINDOW_MAX_DAYS + 1000
    first = date(1950, 1, 2)
    cal = BusinessCalendar(range(5), [first, first + timedelta(days=span)])
    assert cal.due(date(1950, 1, 1), 1) == date(1950, 1, 3)
    assert cal._window == calendar_module._NO_WINDOW
