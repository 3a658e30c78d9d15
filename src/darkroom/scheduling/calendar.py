"""The studio's business calendar: which days count, and date arithmetic in business days.

Why this module exists
----------------------
Every due date in Darkroom is "n business days after" (or before) some date, where a business day
is a day of the studio's work week that is not a closure (a holiday, a vacation). The
definitions are given on each method below.

Due dates are computed constantly: for every status change, for every open order when a closure
is added, for every row of a report that projects completion dates. So the arithmetic must never
walk the calendar day by day (an order promised two years out, or ``n`` in the thousands, would
make that slow and the cost unpredictable). Every operation here is O(1) in the distance and
O(log c) in the number ``c`` of closures (O(1) inside the window described below).

How it works (read this before changing anything)
-------------------------------------------------
Dates are handled as proleptic Gregorian ordinals (``date.toordinal()``; ordinal 1 is Monday
0001-01-01, so the weekday of ordinal ``o`` is ``(o + 6) % 7`` and ordinals ``7q+1 .. 7q+7`` are
one Monday-to-Sunday week). With ``k`` work days per week:

* the *work rank* of ``o`` -- how many work days fall in ordinals ``1 .. o`` -- is
  ``(o // 7) * k + pre[o % 7]``, where ``pre[r]`` counts the work days among weekdays ``0 .. r-1``;
* the ``j``-th work day (``j >= 1``) is ordinal ``((j-1) // k) * 7 + pos[(j-1) % k]``, where
  ``pos`` lists the work weekdays in order, plus one. This inverts the work rank.

Closures are only interesting when they fall on a work day; those are kept as a sorted list of
ordinals ``cl``. Then:

* the *business rank* of ``o`` (business days in ``1 .. o``) is the work rank minus
  ``bisect_right(cl, o)``, the number of closures on or before ``o``;
* to find the ``t``-th business day we must know how many closures ``m`` precede it; it is then the
  ``(t + m)``-th work day. Closure ``i`` (0-based, in date order) is preceded by exactly
  ``g[i] = work_rank(cl[i]) - 1 - i`` business days, a non-decreasing sequence, and it precedes
  the ``t``-th business day exactly when ``g[i] < t``; so ``m = bisect_left(g, t)``. One bisection,
  no iteration: shifting past closures can never "uncover" further ones.

Every operation is then "business rank of the input, plus or minus ``n``, back to a date":
``due(d, n)`` is the ``(rank(d) + n)``-th business day, ``subtract(d, n)`` the
``(rank(d - 1) - n + 1)``-th, and ``business_days_between(a, b)`` is ``rank(b) - rank(a)``.

The window (the fast path)
--------------------------
The arithmetic above is the general path and works for any date. But due dates are computed in
bulk, so ``due``, ``subtract`` and ``business_days_between`` first try plain table lookups over a
*window*: the span from the first to the last closure on a work day, plus a margin of
``_WINDOW_MARGIN`` days on each side (which is where nearly all real dates fall). Built once, on
first use, from the arithmetic's own definitions (C-level list operations, no per-call cost):

* ``cum[i]`` = the number of business days in ``[lo, lo + i)``, for ``i`` in ``0 .. size``, and
  ``after[i] = cum[i + 1]`` (the same shifted by one, which saves an addition per call);
* ``sel[j]`` = the ``j``-th business day (0-based) of the window, as a ``date`` object.

Then, with ``i = d.toordinal() - lo``, ``due(d, n)`` for ``n >= 1`` is ``sel[after[i] + n - 1]``,
``due(d, 0)`` is ``sel[cum[i]]``, ``subtract(d, n)`` is ``sel[cum[i] - n]`` or, for ``n = 0``,
``sel[after[i] - 1]``, and ``business_days_between(a, b)`` is ``after[i_b] - after[i_a]``. An
answer beyond the window falls back to the arithmetic. This roughly triples the speed
(``bench/bench_calendar.py``: about three million ``due()`` calls a second on a quiet machine,
against about one million for the arithmetic alone). The window is capped at ``_WINDOW_MAX_DAYS``
days (about 40 bytes per day, so at most ~0.8 MB; building it takes well under a millisecond for a
few years of closures, a few milliseconds at the cap); calendars whose closures span more than
that, and calendars without closures on work days, always use the arithmetic. The window is built
lazily because many calendars are only asked ``is_business_day``; two threads racing to build it
build the same tables, and either result is fine. The property tests check both paths against numpy.

Keep the hot methods fast: locals rather than attribute lookups, no allocation beyond the result,
anything slow (validation of unusual arguments, error messages) in the module-level helpers.

Results outside ``date.min .. date.max`` raise :class:`CalendarRangeError` (both a
``ValueError`` and an ``OverflowError``, the two errors the standard library uses for that).

One module on purpose: a fifth of it is this explanation, and the rest is one class whose
methods all read the same representation (ordinals, ranks, the window) and the checks that keep
slow work out of them. Split, a reader changing the representation would have to find every
method that relies on it in several files; the property tests check it as one.
"""

from __future__ import annotations

import operator
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from datetime import date, datetime
from itertools import accumulate, compress
from typing import Any, NoReturn, SupportsIndex

__all__ = [
    "BusinessCalendar",
    "CalendarError",
    "CalendarRangeError",
    "closure_range",
]

_fromordinal = date.fromordinal
_MAX_ORDINAL = date.max.toordinal()

# The window: lookup tables over the span of the closures, extended by a margin on each side so
# that "n business days after a date near the last closure" is still answered from the tables.
# Capped so that a calendar's tables stay small (about 40 bytes per day: at most ~0.8 MB); a
# calendar whose closures span more than that uses the arithmetic path for everything.
_WINDOW_MARGIN = 400
_WINDOW_MAX_DAYS = 20_000

# (first ordinal lo, number of days, cum, after, business days as dates, number of business days);
# see the module docstring.
_Window = tuple[int, int, "array[int]", "array[int]", list[date], int]
_NO_WINDOW: _Window = (0, 0, array("i"), array("i"), [], 0)
_WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class CalendarError(ValueError):
    """A calendar or a calendar computation was given values that make no sense.

    Raised for a work week with no work days, a weekday number outside 0..6, a negative number of
    business days. (Arguments of the wrong *type* raise ``TypeError`` instead.)
    """


class CalendarRangeError(CalendarError, OverflowError):
    """The answer would fall outside ``date.min .. date.max`` (years 1 to 9999)."""


def closure_range(first: date, last: date) -> tuple[date, ...]:
    """All dates from ``first`` to ``last`` inclusive: a vacation or a range closure, as closures.

    ``BusinessCalendar`` takes closures as individual dates; this expands a range (a closure is
    a single date or a range). Raises ``CalendarError`` if ``last`` is before ``first``.
    """
    _check_date(first)
    _check_date(last)
    if last < first:
        raise CalendarError(f"closure range ends ({last}) before it starts ({first})")
    start = first.toordinal()
    return tuple(_fromordinal(o) for o in range(start, last.toordinal() + 1))


class BusinessCalendar:
    """A work week plus closures; answers "which day is n business days after/before D".

    ``work_days`` are weekday numbers as ``date.weekday()`` gives them (Monday = 0 ... Sunday = 6);
    at least one is required. ``closures`` are dates that are not business days; closures that fall
    on a day outside the work week are accepted and simply change nothing.

    Instances are immutable values: equal when their work days and closures are equal, hashable
    (usable as cache keys), picklable. To add closures -- a vendor's own on top of the studio's --
    make a new calendar with :meth:`with_closures` or :meth:`combined_with`.

    Dates passed in must be ``date`` objects, not ``datetime`` (which is a ``date`` subclass):
    convert to the studio's local date first, since "today" is the studio's local date. Day counts
    must be ``int`` and not negative (``bool`` is refused).
    """

    __slots__ = (
        "_closure_set",
        "_closures",
        "_fast",
        "_hash",
        "_is_work",
        "_window",
        "_work_days",
    )

    _work_days: frozenset[int]
    _closures: tuple[date, ...]
    _closure_set: frozenset[int]
    _is_work: tuple[bool, ...]
    _fast: tuple[int, tuple[int, ...], tuple[int, ...], list[int], list[int]]
    _hash: int
    _window: _Window | None

    def __init__(self, work_days: Iterable[int], closures: Iterable[date] = ()) -> None:
        days = _check_work_days(work_days)
        given = frozenset(_check_closure(c) for c in closures)
        ordered = tuple(sorted(given))

        is_work = tuple(w in days for w in range(7))
        k = len(days)
        # pre[r]: work days among weekdays 0 .. r-1, i.e. among ordinals 7q+1 .. 7q+r.
        pre = tuple(sum(is_work[:r]) for r in range(7))
        # pos[i]: ordinal offset within a week (1 = Monday) of the i-th work weekday.
        pos = tuple(w + 1 for w in sorted(days))
        # Closures that fall on work days, as sorted ordinals, and for each the number of business
        # days before it counted from ordinal 1 (see the module docstring).
        cl = [c.toordinal() for c in ordered if is_work[c.weekday()]]
        g = [(o // 7) * k + pre[o % 7] - 1 - i for i, o in enumerate(cl)]

        setattr_ = object.__setattr__
        setattr_(self, "_work_days", days)
        setattr_(self, "_closures", ordered)
        setattr_(self, "_closure_set", frozenset(cl))
        setattr_(self, "_is_work", is_work)
        setattr_(self, "_fast", (k, pre, pos, cl, g))
        setattr_(self, "_hash", hash((days, given)))
        setattr_(self, "_window", None)  # built on first use, see _build_window()

    # -- value-object plumbing ------------------------------------------------------------------

    @property
    def work_days(self) -> frozenset[int]:
        """The work week, as weekday numbers (Monday = 0 ... Sunday = 6)."""
        return self._work_days

    @property
    def closures(self) -> tuple[date, ...]:
        """Every closure given (including ones on non-work days), sorted, without duplicates."""
        return self._closures

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"BusinessCalendar is immutable (cannot set {name!r})")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"BusinessCalendar is immutable (cannot delete {name!r})")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BusinessCalendar):
            return NotImplemented
        return self._work_days == other._work_days and self._closures == other._closures

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> tuple[Any, ...]:
        return (BusinessCalendar, (tuple(sorted(self._work_days)), self._closures))

    def __repr__(self) -> str:
        week = "+".join(_WEEKDAY_NAMES[w] for w in sorted(self._work_days))
        n = len(self._closures)
        span = f" {self._closures[0]}..{self._closures[-1]}" if n else ""
        return f"<BusinessCalendar {week}, {n} closure{'' if n == 1 else 's'}{span}>"

    # -- combining ------------------------------------------------------------------------------

    def with_closures(self, closures: Iterable[date]) -> BusinessCalendar:
        """A new calendar: this work week, this calendar's closures plus ``closures``."""
        return BusinessCalendar(self._work_days, (*self._closures, *closures))

    def combined_with(self, other: BusinessCalendar) -> BusinessCalendar:
        """A new calendar: this work week, and the closures of both calendars.

        Use it to put a vendor's own closures on top of the studio's:
        ``studio.combined_with(vendor)``. The work week is this (the base) calendar's; ``other``'s
        work week is ignored -- if a vendor also keeps a different work week, build
        ``BusinessCalendar(studio.work_days & vendor.work_days, ...)`` explicitly.
        """
        if not isinstance(other, BusinessCalendar):
            raise TypeError(f"combined_with() needs a BusinessCalendar, not {type(other).__name__}")
        return BusinessCalendar(self._work_days, (*self._closures, *other._closures))

    # -- queries ----------------------------------------------------------------------------------

    def is_business_day(self, d: date) -> bool:
        """Whether ``d`` is in the work week and not a closure."""
        if type(d) is not date:
            _check_date(d)
        o = d.toordinal()
        return self._is_work[(o + 6) % 7] and o not in self._closure_set

    def due(self, d: date, n: int) -> date:
        """The ``n``-th business day strictly after ``d``; for ``n == 0``, ``d`` itself if it is a
        business day, else the next business day.

        With Mon-Fri: Friday + 1 = Monday, Saturday + 1 = Monday, Saturday + 0 = Monday.
        """
        if type(n) is not int:
            n = _check_count(n)
        if type(d) is not date:
            _check_date(d)
        o = d.toordinal()
        window = self._window
        if window is None:
            window = self._build_window()
        lo, size, cum, after, sel, nsel = window
        i = o - lo
        if 0 <= i < size:  # fast path, see "The window" in the module docstring
            if n > 0:
                j = after[i] + n - 1
            elif n == 0:
                j = cum[i]
            else:
                _negative_count(n)
            if j < nsel:
                return sel[j]
        k, pre, pos, cl, g = self._fast
        if n > 0:
            # business rank of d, plus n
            t = (o // 7) * k + pre[o % 7] + n
            if cl:
                t -= bisect_right(cl, o)
        elif n == 0:
            # business days strictly before d, plus one
            p = o - 1
            t = (p // 7) * k + pre[p % 7] + 1
            if cl:
                t -= bisect_right(cl, p)
        else:
            _negative_count(n)
        if cl:
            t += bisect_left(g, t)
        t -= 1
        try:
            return _fromordinal((t // k) * 7 + pos[t % k])
        except (ValueError, OverflowError):
            raise _out_of_range("due", d, n) from None

    def subtract(self, d: date, n: int) -> date:
        """The ``n``-th business day strictly before ``d``; for ``n == 0``, ``d`` itself if it is a
        business day, else the previous business day.

        With Mon-Fri: Monday - 1 = Friday, Sunday - 1 = Friday, Sunday - 0 = Friday.
        """
        if type(n) is not int:
            n = _check_count(n)
        if type(d) is not date:
            _check_date(d)
        o = d.toordinal()
        window = self._window
        if window is None:
            window = self._build_window()
        lo, size, cum, after, sel, _nsel = window
        i = o - lo
        if 0 <= i < size:  # fast path, see "The window" in the module docstring
            if n > 0:
                j = cum[i] - n
            elif n == 0:
                j = after[i] - 1
            else:
                _negative_count(n)
            if j >= 0:
                return sel[j]
        k, pre, pos, cl, g = self._fast
        if n > 0:
            # business days strictly before d, minus n, plus one
            p = o - 1
            t = (p // 7) * k + pre[p % 7] + 1 - n
            if cl:
                t -= bisect_right(cl, p)
        elif n == 0:
            # business rank of d
            t = (o // 7) * k + pre[o % 7]
            if cl:
                t -= bisect_right(cl, o)
        else:
            _negative_count(n)
        if cl:
            t += bisect_left(g, t)
        t -= 1
        try:
            if t < 0:  # before the first business day of year 1
                raise ValueError
            return _fromordinal((t // k) * 7 + pos[t % k])
        except (ValueError, OverflowError):
            raise _out_of_range("subtract", d, n) from None

    def business_days_between(self, a: date, b: date) -> int:
        """The number of business days in ``(a, b]``: after ``a``, up to and including ``b``.

        Negative when ``b`` is before ``a`` (minus the count in ``(b, a]``), 0 when equal. So
        ``due(a, n)`` is ``n`` business days after ``a`` for every ``n >= 1``, and
        ``business_days_between(a, due(a, n)) == n``.
        """
        if type(a) is not date:
            _check_date(a)
        if type(b) is not date:
            _check_date(b)
        oa = a.toordinal()
        ob = b.toordinal()
        window = self._window
        if window is None:
            window = self._build_window()
        lo, size, _cum, after, _sel, _nsel = window
        ia = oa - lo
        ib = ob - lo
        if 0 <= ia < size and 0 <= ib < size:  # fast path
            return after[ib] - after[ia]
        k, pre, _pos, cl, _g = self._fast
        count = (ob // 7 - oa // 7) * k + pre[ob % 7] - pre[oa % 7]
        if cl:
            count -= bisect_right(cl, ob) - bisect_right(cl, oa)
        return count

    def next_business_day(self, d: date) -> date:
        """The first business day strictly after ``d`` (``due(d, 1)``)."""
        return self.due(d, 1)

    def previous_business_day(self, d: date) -> date:
        """The last business day strictly before ``d`` (``subtract(d, 1)``)."""
        return self.subtract(d, 1)

    # -- the window (see the module docstring) ---------------------------------------------------

    def _build_window(self) -> _Window:
        """Build (once, on first use) the lookup tables over the closures' span plus a margin."""
        _k, _pre, _pos, cl, _g = self._fast
        window = _NO_WINDOW
        if cl:
            lo = max(1, cl[0] - _WINDOW_MARGIN)
            hi = min(_MAX_ORDINAL, cl[-1] + _WINDOW_MARGIN)
            size = hi - lo + 1
            if size <= _WINDOW_MAX_DAYS:
                is_work = self._is_work
                week = [is_work[(lo + r + 6) % 7] for r in range(7)]
                flags = (week * (size // 7 + 1))[:size]
                for o in cl:
                    flags[o - lo] = False
                cum = array("i", accumulate(flags, initial=0))
                sel = list(map(_fromordinal, compress(range(lo, hi + 1), flags)))
                window = (lo, size, cum, cum[1:], sel, len(sel))
        object.__setattr__(self, "_window", window)
        return window


# -- slow-path helpers, kept out of the hot methods ----------------------------------------------


def _check_work_days(work_days: Iterable[int]) -> frozenset[int]:
    if isinstance(work_days, (str, bytes)):
        raise TypeError(
            "work_days must be weekday numbers (Monday = 0 ... Sunday = 6), not a string"
        )
    days: set[int] = set()
    for w in work_days:
        if isinstance(w, bool) or not isinstance(w, int):
            raise TypeError(f"work days are weekday numbers 0..6 (Monday = 0), not {w!r}")
        if not 0 <= w <= 6:
            raise CalendarError(f"weekday number {w} is outside 0..6 (Monday = 0 ... Sunday = 6)")
        days.add(int(w))
    if not days:
        raise CalendarError(
            "a business calendar needs at least one work day: with an empty work week no date "
            "could ever be due"
        )
    return frozenset(days)


def _check_date(d: object) -> None:
    if isinstance(d, datetime):
        raise TypeError(
            f"expected a date, got the datetime {d!r}: convert it to the studio's local date first"
        )
    if not isinstance(d, date):
        raise TypeError(f"expected a datetime.date, got {type(d).__name__}: {d!r}")


def _check_closure(d: object) -> date:
    _check_date(d)
    assert isinstance(d, date)
    return date(d.year, d.month, d.day) if type(d) is not date else d


def _check_count(n: object) -> int:
    """Validate a number of business days that is not a plain ``int``."""
    if isinstance(n, bool):
        raise TypeError(f"a number of business days must be an int, not the bool {n!r}")
    try:
        if not isinstance(n, SupportsIndex):  # int subclasses and numpy integers are accepted
            raise TypeError
        value = operator.index(n)
    except TypeError:
        raise TypeError(
            f"a number of business days must be an int, not {type(n).__name__}: {n!r}"
        ) from None
    if value < 0:
        _negative_count(value)
    return value


def _negative_count(n: int) -> NoReturn:
    raise CalendarError(
        f"a number of business days must not be negative (got {n}); "
        "use subtract() to go back in time"
    )


def _out_of_range(operation: str, d: date, n: int) -> CalendarRangeError:
    return CalendarRangeError(
        f"{operation}({d.isoformat()}, {n}) falls outside the supported dates "
        f"{date.min.isoformat()}..{date.max.isoformat()}"
    )
