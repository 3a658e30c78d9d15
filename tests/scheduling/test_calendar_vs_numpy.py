"""Property tests: BusinessCalendar against an independent oracle, numpy's business-day functions.

numpy (a test-only dependency) implements business days with a week mask and a holiday list, which
is exactly our work week and closures. Its conventions differ from ours, so each comparison
translates carefully:

* ``due(d, n)``, ``n >= 1`` (n-th business day strictly after d) is
  ``busday_offset(d, n, roll="backward")``: rolling back first to the business day ``p <= d`` does
  not change which business days lie after d, since none lies in ``(p, d]``.
  ``due(d, 0)`` is ``busday_offset(d, 0, roll="forward")``.
* ``subtract(d, n)``, ``n >= 1``, is ``busday_offset(d, -n, roll="forward")`` (the mirror image);
  ``subtract(d, 0)`` is ``busday_offset(d, 0, roll="backward")``.
* ``business_days_between(a, b)`` counts ``(a, b]``. ``busday_count(x, y)`` counts ``[x, y)`` when
  ``x <= y``, but for ``y < x`` it returns minus the count of ``[y + 1, x + 1)`` -- not the mirror
  image. So for ``a <= b`` we compare with ``busday_count(a + 1, b + 1)`` and for ``b < a`` with
  ``-busday_count(b + 1, a + 1)``.

Dates are drawn over several centuries, closures cluster around the dates being tested (so that
they actually matter) and sometimes come as long ranges, work weeks are any non-empty subset.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import darkroom.scheduling.calendar as calendar_module
from darkroom.scheduling import BusinessCalendar, CalendarRangeError

SETTINGS = settings(max_examples=200, deadline=None)


@dataclass(frozen=True)
class Case:
    """A calendar, the same calendar as numpy sees it, and where its closures cluster."""

    calendar: BusinessCalendar
    numpy_calendar: np.busdaycalendar
    anchor: date


def _numpy_calendar(work_days: frozenset[int], closures: list[date]) -> np.busdaycalendar:
    mask = [w in work_days for w in range(7)]
    return np.busdaycalendar(weekmask=mask, holidays=np.array(closures, dtype="datetime64[D]"))


@st.composite
def cases(draw: st.DrawFn, lo: date = date(1700, 1, 1), hi: date = date(2300, 1, 1)) -> Case:
    work_days = frozenset(draw(st.sets(st.integers(0, 6), min_size=1)))
    anchor = draw(st.dates(lo, hi))
    offsets = draw(st.lists(st.integers(-1500, 4000), max_size=40))
    ranges = st.tuples(st.integers(-1500, 4000), st.integers(1, 400))
    for start, length in draw(st.lists(ranges, max_size=2)):
        offsets.extend(range(start, start + length))
    closures = [c for c in (_shift(anchor, off) for off in offsets) if c is not None]
    return Case(BusinessCalendar(work_days, closures), _numpy_calendar(work_days, closures), anchor)


def _shift(d: date, days: int) -> date | None:
    """``d`` moved by ``days``, or None if that leaves date.min .. date.max."""
    try:
        return d + timedelta(days=days)
    except OverflowError:
        return None


def _near(draw: st.DrawFn, anchor: date) -> date:
    """A date near the anchor (mostly inside the closure cluster), sometimes decades away."""
    off = draw(st.integers(-2000, 5000) | st.integers(-40_000, 40_000))
    return _shift(anchor, off) or anchor


counts = st.integers(0, 2000) | st.integers(0, 50_000) | st.sampled_from([0, 1, 2, 5, 7])


def _np_due(case: Case, d: date, n: int) -> date:
    roll = "backward" if n else "forward"
    result: date = np.busday_offset(d, n, roll=roll, busdaycal=case.numpy_calendar).item()
    return result


def _np_subtract(case: Case, d: date, n: int) -> date:
    roll = "forward" if n else "backward"
    result: date = np.busday_offset(d, -n, roll=roll, busdaycal=case.numpy_calendar).item()
    return result


def _np_between(case: Case, a: date, b: date) -> int:
    x, y = np.datetime64(a, "D"), np.datetime64(b, "D")
    one = np.timedelta64(1, "D")
    if a <= b:
        return int(np.busday_count(x + one, y + one, busdaycal=case.numpy_calendar))
    return -int(np.busday_count(y + one, x + one, busdaycal=case.numpy_calendar))


@SETTINGS
@given(case=cases(), data=st.data())
def test_due_matches_numpy(case: Case, data: st.DataObject) -> None:
    for _ in range(5):
        d = _near(data.draw, case.anchor)
        n = data.draw(counts)
        assert case.calendar.due(d, n) == _np_due(case, d, n), (d, n)


@SETTINGS
@given(case=cases(), data=st.data())
def test_subtract_matches_numpy(case: Case, data: st.DataObject) -> None:
    for _ in range(5):
        d = _near(data.draw, case.anchor)
        n = data.draw(counts)
        assert case.calendar.subtract(d, n) == _np_subtract(case, d, n), (d, n)


@SETTINGS
@given(case=cases(), data=st.data())
def test_business_days_between_matches_numpy(case: Case, data: st.DataObject) -> None:
    for _ in range(5):
        a = _near(data.draw, case.anchor)
        if data.draw(st.booleans()):
            b = _shift(a, data.draw(st.integers(-10, 10))) or a
        else:
            b = _near(data.draw, case.anchor)
        assert case.calendar.business_days_between(a, b) == _np_between(case, a, b), (a, b)


@SETTINGS
@given(case=cases(), data=st.data())
def test_is_business_day_and_neighbours_match_numpy(case: Case, data: st.DataObject) -> None:
    for _ in range(5):
        d = _near(data.draw, case.anchor)
        cal = case.calendar
        assert cal.is_business_day(d) == bool(np.is_busday(d, busdaycal=case.numpy_calendar))
        assert cal.next_business_day(d) == _np_due(case, d, 1)
        assert cal.previous_business_day(d) == _np_subtract(case, d, 1)


@settings(max_examples=200, deadline=None)
@given(
    studio=cases(), vendor_offsets=st.lists(st.integers(-1500, 4000), max_size=40), data=st.data()
)
def test_combined_calendar_matches_numpy_with_the_union_of_closures(
    studio: Case, vendor_offsets: list[int], data: st.DataObject
) -> None:
    vendor_closures = [studio.anchor + timedelta(days=off) for off in vendor_offsets]
    vendor = BusinessCalendar(data.draw(st.sets(st.integers(0, 6), min_size=1)), vendor_closures)
    both = studio.calendar.combined_with(vendor)
    union = [*studio.calendar.closures, *vendor_closures]
    oracle = Case(both, _numpy_calendar(studio.calendar.work_days, union), studio.anchor)
    for _ in range(5):
        d = _near(data.draw, studio.anchor)
        n = data.draw(counts)
        assert both.due(d, n) == _np_due(oracle, d, n)
        assert both.subtract(d, n) == _np_subtract(oracle, d, n)


@settings(max_examples=200, deadline=None)
@given(case=cases(lo=date(9990, 1, 1), hi=date(9999, 12, 31)), data=st.data())
def test_near_date_max_answers_or_raises_range_error(case: Case, data: st.DataObject) -> None:
    d = data.draw(st.dates(date(9985, 1, 1), date.max))
    n = data.draw(st.integers(0, 5000))
    expected = np.busday_offset(
        d, n, roll="backward" if n else "forward", busdaycal=case.numpy_calendar
    )
    if expected > np.datetime64(date.max):
        with pytest.raises(CalendarRangeError):
            case.calendar.due(d, n)
    else:
        assert case.calendar.due(d, n) == expected.item()


@settings(max_examples=200, deadline=None)
@given(case=cases(lo=date(1, 1, 1), hi=date(20, 12, 31)), data=st.data())
def test_near_date_min_answers_or_raises_range_error(case: Case, data: st.DataObject) -> None:
    d = data.draw(st.dates(date.min, date(30, 12, 31)))
    n = data.draw(st.integers(0, 5000))
    expected = np.busday_offset(
        d, -n, roll="forward" if n else "backward", busdaycal=case.numpy_calendar
    )
    if expected < np.datetime64(date.min):
        with pytest.raises(CalendarRangeError):
            case.calendar.subtract(d, n)
    else:
        assert case.calendar.subtract(d, n) == expected.item()


@SETTINGS
@given(case=cases(), data=st.data())
def test_due_subtract_and_between_agree(case: Case, data: st.DataObject) -> None:
    """Internal consistency, no oracle: the three operations are inverses of each other."""
    cal = case.calendar
    for _ in range(5):
        d = _near(data.draw, case.anchor)
        n = data.draw(counts)
        later = cal.due(d, n)
        assert cal.is_business_day(later)
        assert later >= d
        if n >= 1:
            assert later > d
            assert cal.business_days_between(d, later) == n
            assert cal.business_days_between(later, d) == -n
            assert cal.subtract(later, n) == cal.subtract(d, 0)
        earlier = cal.subtract(d, n)
        assert cal.is_business_day(earlier)
        assert earlier <= d
        if n >= 1:
            assert cal.due(earlier, n) == cal.due(d, 0)


@settings(max_examples=100, deadline=None)
@given(case=cases(), data=st.data())
def test_arithmetic_path_matches_the_window_path(case: Case, data: st.DataObject) -> None:
    """The same calendar with its lookup window disabled gives the same answers everywhere."""
    cal = case.calendar
    plain = BusinessCalendar(cal.work_days, cal.closures)
    object.__setattr__(plain, "_window", calendar_module._NO_WINDOW)
    for _ in range(5):
        d = _near(data.draw, case.anchor)
        other = _near(data.draw, case.anchor)
        n = data.draw(counts)
        assert plain.due(d, n) == cal.due(d, n) == _np_due(case, d, n)
        assert plain.subtract(d, n) == cal.subtract(d, n) == _np_subtract(case, d, n)
        assert plain.business_days_between(d, other) == cal.business_days_between(d, other)
