"""Benchmark BusinessCalendar.due() and business_days_between() against numpy.

Why: due dates are computed in bulk (every open order when a closure is added, every row of a
projected-completion report), so the pure-Python calendar must stay fast. The reference points are
numpy's C implementations of the same arithmetic (numpy is a test/bench-only dependency):

* vectorised over prepared ``datetime64`` arrays -- the speed of light for this job, what a batch
  job could do if it kept everything in arrays;
* called one date at a time, as a web request computing one due date would, including the
  conversion from ``date`` and back (timed on a subset and scaled; the output says so).

Inputs: a Mon-Fri calendar with 10 closures a year over 2024-2026, random dates over those three
years, n in 0..20 (between(): random pairs of such dates). Every figure is the median of REPEATS
runs (ONE_AT_A_TIME_REPEATS for numpy one at a time). Results are checked against numpy once,
outside the timings. The "arithmetic path only" lines switch off the lookup window (see
darkroom/scheduling/calendar.py): the speed for dates outside the closures' span.
Targets: >= 1,000,000 due() calls/s, within 10x of vectorised numpy, faster than numpy one at a
time.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta

import numpy as np

import throwaway
from darkroom.scheduling import BusinessCalendar
from darkroom.scheduling.calendar import _NO_WINDOW

CALLS = throwaway.size(1_000_000, smoke=2_000)
ONE_AT_A_TIME_CALLS = throwaway.size(100_000, smoke=200)
REPEATS = throwaway.size(5, smoke=1)
# These runs are the slow ones; keep the whole benchmark under a minute.
ONE_AT_A_TIME_REPEATS = throwaway.size(3, smoke=1)
FIRST, LAST = date(2024, 1, 1), date(2026, 12, 31)
ONE_DAY = timedelta(days=1)


def _median_seconds(run: Callable[[], object], repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _setup() -> tuple[BusinessCalendar, np.busdaycalendar, list[date], list[int], list[date]]:
    rng = random.Random(20150731)
    span = (LAST - FIRST).days + 1
    closures: list[date] = []
    for year in range(FIRST.year, LAST.year + 1):
        days = [date(year, 1, 1) + timedelta(days=i) for i in range(365)]
        closures.extend(rng.sample([d for d in days if d.weekday() < 5], 10))
    calendar = BusinessCalendar(range(5), closures)
    numpy_calendar = np.busdaycalendar(
        weekmask="1111100", holidays=np.array(closures, dtype="datetime64[D]")
    )
    first = FIRST.toordinal()
    dates = [date.fromordinal(first + rng.randrange(span)) for _ in range(CALLS)]
    others = [date.fromordinal(first + rng.randrange(span)) for _ in range(CALLS)]
    ns = [rng.randrange(21) for _ in range(CALLS)]
    return calendar, numpy_calendar, dates, ns, others


def _arithmetic_only(calendar: BusinessCalendar) -> BusinessCalendar:
    """The same calendar with its lookup window switched off: the general (arithmetic) path."""
    plain = BusinessCalendar(calendar.work_days, calendar.closures)
    object.__setattr__(plain, "_window", _NO_WINDOW)
    return plain


def _line(label: str, calls_per_second: float, note: str = "") -> None:
    print(f"  {label:<80} {calls_per_second:>13,.0f} calls/s{note}")


def bench_due(
    calendar: BusinessCalendar, numpy_calendar: np.busdaycalendar, dates: list[date], ns: list[int]
) -> None:
    due = calendar.due
    ours = _median_seconds(lambda: list(map(due, dates, ns)))
    plain_due = _arithmetic_only(calendar).due
    plain = _median_seconds(lambda: list(map(plain_due, dates, ns)))

    # numpy: due(d, 0) rolls forward, due(d, n >= 1) rolls backward then offsets; split beforehand.
    d64 = np.array(dates, dtype="datetime64[D]")
    n64 = np.array(ns, dtype=np.int64)
    zero = n64 == 0
    d_zero, d_more, n_more = d64[zero], d64[~zero], n64[~zero]

    def vectorised() -> tuple[np.ndarray, np.ndarray]:
        return (
            np.busday_offset(d_zero, 0, roll="forward", busdaycal=numpy_calendar),
            np.busday_offset(d_more, n_more, roll="backward", busdaycal=numpy_calendar),
        )

    vec = _median_seconds(vectorised)

    few_dates, few_ns = dates[:ONE_AT_A_TIME_CALLS], ns[:ONE_AT_A_TIME_CALLS]
    offset = np.busday_offset

    def one_at_a_time() -> list[date]:
        return [
            offset(d, n, roll="backward" if n else "forward", busdaycal=numpy_calendar).item()
            for d, n in zip(few_dates, few_ns, strict=True)
        ]

    single = _median_seconds(one_at_a_time, ONE_AT_A_TIME_REPEATS) * (CALLS / ONE_AT_A_TIME_CALLS)

    # Correctness, untimed.
    expected = np.empty(CALLS, dtype="datetime64[D]")
    expected[zero], expected[~zero] = vectorised()
    assert np.array_equal(np.array(list(map(due, dates, ns)), dtype="datetime64[D]"), expected)
    assert one_at_a_time() == list(map(due, few_dates, few_ns))
    assert list(map(plain_due, few_dates, few_ns)) == list(map(due, few_dates, few_ns))

    print(
        f"due(d, n): {CALLS:,} calls, Mon-Fri, 30 closures over {FIRST.year}-{LAST.year}, "
        f"n in 0..20, median of {REPEATS}"
    )
    _line("darkroom BusinessCalendar.due (pure Python, map)", CALLS / ours)
    _line("  same, arithmetic path only (lookup window off)", CALLS / plain)
    _line(
        "numpy.busday_offset vectorised (prepared arrays)",
        CALLS / vec,
        f"  -> darkroom is {ours / vec:.1f}x slower",
    )
    _line(
        f"numpy.busday_offset one date at a time ({ONE_AT_A_TIME_CALLS:,} calls, scaled, "
        f"median of {ONE_AT_A_TIME_REPEATS})",
        CALLS / single,
        f"  -> darkroom is {single / ours:.1f}x faster",
    )


def bench_between(
    calendar: BusinessCalendar,
    numpy_calendar: np.busdaycalendar,
    dates: list[date],
    others: list[date],
) -> None:
    between = calendar.business_days_between
    ours = _median_seconds(lambda: list(map(between, dates, others)))
    plain_between = _arithmetic_only(calendar).business_days_between
    plain = _median_seconds(lambda: list(map(plain_between, dates, others)))

    # numpy counts [x, y); ours counts (a, b], negated when b < a: count [min+1, max+1), signed.
    a64 = np.array(dates, dtype="datetime64[D]")
    b64 = np.array(others, dtype="datetime64[D]")
    lo = np.minimum(a64, b64) + 1
    hi = np.maximum(a64, b64) + 1
    sign = np.where(b64 < a64, -1, 1)

    def vectorised() -> np.ndarray:
        return np.busday_count(lo, hi, busdaycal=numpy_calendar) * sign

    vec = _median_seconds(vectorised)

    few = list(zip(dates[:ONE_AT_A_TIME_CALLS], others[:ONE_AT_A_TIME_CALLS], strict=True))
    count = np.busday_count

    def one_at_a_time() -> list[int]:
        return [
            int(count(a + ONE_DAY, b + ONE_DAY, busdaycal=numpy_calendar))
            if a <= b
            else -int(count(b + ONE_DAY, a + ONE_DAY, busdaycal=numpy_calendar))
            for a, b in few
        ]

    single = _median_seconds(one_at_a_time, ONE_AT_A_TIME_REPEATS) * (CALLS / ONE_AT_A_TIME_CALLS)

    assert np.array_equal(np.array(list(map(between, dates, others))), vectorised())
    assert one_at_a_time() == [between(a, b) for a, b in few]
    assert [plain_between(a, b) for a, b in few] == [between(a, b) for a, b in few]

    print(f"business_days_between(a, b): {CALLS:,} calls, same calendar, median of {REPEATS}")
    _line("darkroom BusinessCalendar.business_days_between", CALLS / ours)
    _line("  same, arithmetic path only (lookup window off)", CALLS / plain)
    _line(
        "numpy.busday_count vectorised (prepared arrays)",
        CALLS / vec,
        f"  -> darkroom is {ours / vec:.1f}x slower",
    )
    _line(
        f"numpy.busday_count one pair at a time ({ONE_AT_A_TIME_CALLS:,} calls, scaled, "
        f"median of {ONE_AT_A_TIME_REPEATS})",
        CALLS / single,
        f"  -> darkroom is {single / ours:.1f}x faster",
    )


def main() -> None:
    print(f"Python {sys.version.split()[0]}, numpy {np.__version__}, {os.cpu_count()} CPUs")
    calendar, numpy_calendar, dates, ns, others = _setup()
    bench_due(calendar, numpy_calendar, dates, ns)
    bench_between(calendar, numpy_calendar, dates, others)


if __name__ == "__main__":
    main()
