"""Tests of schedule_backward and project_forward: the worked backward example, edges, and more."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from darkroom.scheduling import (
    BusinessCalendar,
    CalendarError,
    Projection,
    Step,
    project_forward,
    schedule_backward,
)

MON_FRI = BusinessCalendar(range(5))
SEED_STEPS = [Step("Retouch", 3), Step("Printing", 2), Step("QA", 1)]  # then Shipped (final)


def test_backward_seed_example_from_domain() -> None:
    # Retouch (3), Printing (2), QA (1), Shipped (final), P = Fri 2015-07-31, Mon-Fri.
    dues = schedule_backward(MON_FRI, SEED_STEPS, date(2015, 7, 31))
    assert dues == (date(2015, 7, 28), date(2015, 7, 30), date(2015, 7, 31))


def test_backward_rolls_a_weekend_promise_back_to_friday() -> None:
    dues = schedule_backward(MON_FRI, SEED_STEPS, date(2015, 8, 2))  # a Sunday
    assert dues == (date(2015, 7, 28), date(2015, 7, 30), date(2015, 7, 31))


def test_backward_skips_closures() -> None:
    cal = MON_FRI.with_closures([date(2015, 7, 29), date(2015, 7, 31)])
    # QA: P itself is closed -> Thu 07-30; Printing: 1 business day before -> Tue 07-28 (07-29 is
    # closed); Retouch: 2 business days before -> Fri 07-24.
    dues = schedule_backward(cal, SEED_STEPS, date(2015, 7, 31))
    assert dues == (date(2015, 7, 24), date(2015, 7, 28), date(2015, 7, 30))


def test_backward_first_duration_is_not_used_and_zero_durations_share_a_day() -> None:
    steps = [Step("a", 99), Step("b", 0), Step("c", 0)]
    assert schedule_backward(MON_FRI, steps, date(2015, 7, 31)) == (date(2015, 7, 31),) * 3


def test_backward_with_no_steps_and_a_single_step() -> None:
    assert schedule_backward(MON_FRI, [], date(2015, 7, 31)) == ()
    assert schedule_backward(MON_FRI, [Step("QA", 5)], date(2015, 8, 1)) == (date(2015, 7, 31),)


def test_backward_accepts_any_iterable_and_any_key() -> None:
    steps = (Step(status_id, d) for status_id, d in [(10, 3), (11, 2), (12, 1)])
    dues = schedule_backward(MON_FRI, steps, date(2015, 7, 31))
    assert dues == (date(2015, 7, 28), date(2015, 7, 30), date(2015, 7, 31))


def test_forward_chains_due_dates() -> None:
    # Entered Retouch on Wed 2015-07-22: Retouch due Mon 07-27, Printing Wed 07-29, QA Thu 07-30.
    projection = project_forward(MON_FRI, date(2015, 7, 22), SEED_STEPS)
    assert projection.due_dates == (date(2015, 7, 27), date(2015, 7, 29), date(2015, 7, 30))
    assert projection.completion == date(2015, 7, 30)
    assert not projection.at_risk(date(2015, 7, 31))
    assert not projection.at_risk(date(2015, 7, 30))
    assert projection.at_risk(date(2015, 7, 29))
    assert not projection.at_risk(None)


def test_forward_from_a_weekend_and_over_a_closure() -> None:
    cal = MON_FRI.with_closures([date(2015, 8, 4)])
    projection = project_forward(cal, date(2015, 8, 1), [Step("QA", 1), Step("Pack", 0)])
    assert projection.due_dates == (date(2015, 8, 3), date(2015, 8, 3))
    projection = project_forward(cal, date(2015, 8, 1), [Step("QA", 2)])
    assert projection.completion == date(2015, 8, 5)


def test_forward_with_no_steps_completes_on_the_start_rolled_to_a_business_day() -> None:
    assert project_forward(MON_FRI, date(2015, 8, 1), []) == Projection((), date(2015, 8, 3))
    assert project_forward(MON_FRI, date(2015, 7, 31), []).completion == date(2015, 7, 31)


@pytest.mark.parametrize("bad", [1.5, "2", None, True])
def test_step_duration_must_be_an_int(bad: object) -> None:
    with pytest.raises(TypeError, match="duration must be an int"):
        Step("Retouch", bad)  # type: ignore[arg-type]


def test_step_duration_must_not_be_negative() -> None:
    with pytest.raises(CalendarError, match="must not be negative"):
        Step("Retouch", -1)


def test_steps_must_be_steps() -> None:
    with pytest.raises(TypeError, match="Step"):
        schedule_backward(MON_FRI, [("Retouch", 3)], date(2015, 7, 31))  # type: ignore[list-item]
    with pytest.raises(TypeError, match="Step"):
        project_forward(MON_FRI, date(2015, 7, 31), [("Retouch", 3)])  # type: ignore[list-item]


def test_steps_and_projections_are_immutable() -> None:
    step = Step("QA", 1)
    with pytest.raises(AttributeError):
        step.duration = 2  # type: ignore[misc]
    projection = project_forward(MON_FRI, date(2015, 7, 31), [step])
    with pytest.raises(AttributeError):
        projection.completion = date(2015, 8, 1)  # type: ignore[misc]


calendars = st.builds(
    lambda days, offsets: BusinessCalendar(
        days, [date(2015, 1, 1) + timedelta(days=o) for o in offsets]
    ),
    st.sets(st.integers(0, 6), min_size=1),
    st.lists(st.integers(0, 1500), max_size=60),
)
step_lists = st.lists(st.builds(Step, st.just("s"), st.integers(0, 30)), max_size=12)
some_dates = st.dates(date(2014, 6, 1), date(2019, 6, 1))


@settings(max_examples=200, deadline=None)
@given(cal=calendars, steps=step_lists, promised=some_dates)
def test_backward_schedule_properties(
    cal: BusinessCalendar, steps: list[Step[str]], promised: date
) -> None:
    dues = schedule_backward(cal, steps, promised)
    assert len(dues) == len(steps)
    if not steps:
        return
    assert dues[-1] == cal.subtract(promised, 0)
    assert all(cal.is_business_day(d) for d in dues)
    for i in range(1, len(steps)):
        assert cal.business_days_between(dues[i - 1], dues[i]) == steps[i].duration
    # Going forward again from the first due date lands every later step on its backward date.
    again = project_forward(cal, dues[0], steps[1:])
    assert again.due_dates == dues[1:]


@settings(max_examples=200, deadline=None)
@given(cal=calendars, steps=step_lists, start=some_dates)
def test_forward_projection_properties(
    cal: BusinessCalendar, steps: list[Step[str]], start: date
) -> None:
    projection = project_forward(cal, start, steps)
    assert len(projection.due_dates) == len(steps)
    previous = start
    for step, due in zip(steps, projection.due_dates, strict=True):
        assert due == cal.due(previous, step.duration)
        previous = due
    # Chaining adds up: from a business day, n then m business days is n + m. Only a leading
    # zero-length step differs: it first rolls a non-business start forward.
    total = sum(step.duration for step in steps)
    base = start if steps and steps[0].duration > 0 else cal.due(start, 0)
    assert projection.completion == cal.due(base, total)
    assert projection.at_risk(projection.completion) is False
