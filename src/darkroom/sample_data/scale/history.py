"""Each record's way through its status cycle, as the status-change service would have written
it: a "start" note, a "change" note per step it went through, and the status columns it ends
with (where it stands, since when, due when, projected to finish when).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from darkroom.sample_data.scale.bulk import Table
from darkroom.sample_data.scale.dates import Dates
from darkroom.sample_data.scale.small_records import CycleSteps, Step
from darkroom.tracking.models import NoteKind

START, CHANGE = NoteKind.START.value, NoteKind.CHANGE.value  # plain text: faster to bind


def _pick(random: Callable[[], float], steps: list[Step], lo: int, hi: int, k: int) -> list[Step]:
    """``k`` of ``steps[lo:hi]`` at random, in their order (selection sampling)."""
    left = hi - lo
    k = min(k, left)
    chosen = []
    for index in range(lo, hi):
        if random() * left < k:
            chosen.append(steps[index])
            k -= 1
        left -= 1
    return chosen


class StatusHistory:
    """Writes the status notes of the records the writer makes (into the notes table) and
    answers their status columns."""

    def __init__(self, notes: Table, dates: Dates, rng: random.Random, users: list[int]) -> None:
        self.notes, self.dates, self.rng, self.users = notes, dates, rng, users

    def path(
        self,
        content_type: int,
        record_id: int,
        cycle: CycleSteps,
        placed: int,
        is_open: bool,
        entered_by: int,
    ) -> tuple[tuple[Any, ...], int, int]:
        """The record's notes from its start to where it is now; its status columns, the date
        it reached its current step and the date it started (its order date).

        A finished record went through two to four of its cycle's middle steps (skipping the
        others) to the final one, each step taking about its planned time; an open one is in a
        step that is not final, entered in the last days (after some of the earlier steps).
        """
        random, d, users = self.rng.random, self.dates, self.users
        iso, stamp, due_on, between, today = d.iso, d.stamp, d.due, d.between, d.today
        steps = cycle.steps
        final = len(steps) - 1
        if is_open:
            at = int(random() * final)  # any step but the final one
            path = [steps[0]]
            if at > 1:
                path += _pick(random, steps, 1, at, 1 + int(random() * 3))
            if at:
                path.append(steps[at])
            entered = max(placed, today - int(random() * 12))
            count = len(path) - 1  # the earlier steps, spread from the order date to then
            days = [placed + ((entered - placed) * i) // count for i in range(count)] + [entered]
        else:
            path = [steps[0], *_pick(random, steps, 1, final, 2 + int(random() * 3)), steps[-1]]
            days = [placed]
            day = placed
            for step in path[:-1]:
                late = step.duration + int(random() * 5) - 1
                day = min(due_on[day << 10 | (late if late > 0 else 0)], today)
                days.append(day)
        notes = self.notes
        add, tail, note_id = notes.rows.append, notes.tail, notes.next_id
        n_users = len(users)
        last = len(path) - 1
        previous: Step | None = None
        by = entered_by
        department = user = due = None
        late_by = d.late
        for number, step in enumerate(path):
            day = days[number]
            department, user = step.department, step.user
            left_due = due  # the due date of the step this change leaves
            due = None if step.final else due_on[day << 10 | step.duration]
            due_text = None if due is None else iso[due]
            if previous is None:
                row = (
                    note_id,
                    content_type,
                    record_id,
                    START,
                    None,
                    step.pk,
                    iso[day],
                    due_text,
                    by,
                    department,
                    user,
                    stamp[day << 5 | 9],
                    None,
                    None,
                    None,
                )
            else:
                by = users[int(random() * n_users)]
                if number == last and is_open and random() < 0.3:
                    user = users[int(random() * n_users)]
                row = (
                    note_id,
                    content_type,
                    record_id,
                    CHANGE,
                    previous.pk,
                    step.pk,
                    iso[day],
                    due_text,
                    by,
                    department,
                    user,
                    stamp[day << 5 | (9 + number)],
                    between[days[number - 1] << 20 | day],
                    previous.duration,
                    None if left_due is None else late_by[left_due << 20 | day],
                )
            add(row + tail)
            note_id += 1
            previous = step
        notes.next_id = note_id
        step, day = path[-1], days[-1]
        done = step.final
        tracked = (
            step.pk,
            iso[day],
            None if due is None else iso[due],
            department,
            user,
            stamp[day << 5 | (9 + last)],
            by if done else None,
            iso[day] if done else None,
            None if done else d.projected(cycle, step, due),
            1 + len(path),
        )
        return tracked, day, days[0]

    def note(
        self,
        content_type: int,
        record_id: int,
        kind: str,
        previous: Step | None,
        step: Step,
        day: int,
        due: int | None,
        by: int,
        department: int | None,
        user: int | None,
        hour: int,
        since: int = 0,
        left_due: int | None = None,
    ) -> None:
        """One history row (``since``: the day ``previous`` was entered; ``left_due``: the due
        date it had)."""
        d = self.dates
        self.notes.add(
            (
                self.notes.take_id(),
                content_type,
                record_id,
                kind,
                None if previous is None else previous.pk,
                step.pk,
                d.iso[day],
                None if due is None else d.iso[due],
                by,
                department,
                user,
                d.stamp[day << 5 | hour],
                None if previous is None else d.between[since << 20 | day],
                None if previous is None else previous.duration,
                None if previous is None or left_due is None else d.late[left_due << 20 | day],
            )
        )

    # -- batches -------------------------------------------------------------------------------
