"""A task cycle, departments with people in them, and a check that a refusal changed nothing."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from darkroom.todos.models import Task
from darkroom.tracking.models import CycleKind
from tests.factories import DepartmentFactory, cycle_with_statuses


@pytest.fixture
def task_cycle(db) -> SimpleNamespace:
    """To do (initial, 2 days) → Waiting (3) → Done (final)."""
    tasks = cycle_with_statuses(
        kind=CycleKind.TASK, steps=[("To do", 2), ("Waiting", 3)], final="Done"
    )
    todo, waiting, done = tasks.statuses
    return SimpleNamespace(cycle=tasks.cycle, todo=todo, waiting=waiting, done=done)


@pytest.fixture
def front_desk(people):
    """The front desk, where the staff person works."""
    department = DepartmentFactory(name="Front desk")
    department.members.add(people["staff"])
    return department


@pytest.fixture
def lab(people):
    """The lab: nobody in ``people`` works there."""
    return DepartmentFactory(name="Lab")


def task_rows() -> list[dict]:
    return list(Task.objects.order_by("pk").values())
