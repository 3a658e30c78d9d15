"""A task cycle, departments with people in them, and a check that a refusal changed nothing."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from darkroom.todos.models import Task
from darkroom.tracking.cycles import cycle_create, status_add
from darkroom.tracking.models import CycleKind
from tests.factories import DepartmentFactory


@pytest.fixture
def task_cycle(db) -> SimpleNamespace:
    """To do (initial, 2 days) → Waiting (3) → Done (final)."""
    cycle = cycle_create(kind=CycleKind.TASK, name="Tasks")
    return SimpleNamespace(
        cycle=cycle,
        todo=status_add(cycle=cycle, description="To do", default_duration=2),
        waiting=status_add(cycle=cycle, description="Waiting", default_duration=3),
        done=status_add(cycle=cycle, description="Done", is_final=True),
    )


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
