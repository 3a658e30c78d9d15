"""A person at the front desk sees what is waiting for them on the home page, writes a phone
call from a production order's page, finds it in their task list (overdue first) and marks it
done with the status dialog, by keyboard."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect
from tests import factories as f
from tests.browser.journey import log_in, screenshot
from tests.conftest import PASSWORD

from darkroom.todos.models import Task
from darkroom.todos.services import task_create
from darkroom.tracking.models import CycleKind
from darkroom.tracking.services import cycle_create, status_add

pytestmark = pytest.mark.browser


def test_staff_write_a_call_from_an_order_and_mark_it_done(page, people):
    staff = people["staff"]
    cycle = cycle_create(kind=CycleKind.TASK, name="Tasks")
    status_add(cycle=cycle, description="To do", default_duration=2)
    status_add(cycle=cycle, description="Done", is_final=True)
    front_desk = f.DepartmentFactory(name="Front desk")
    front_desk.members.add(staff)
    order = f.ProductionOrderFactory(number="1001")
    task_create(
        by=people["manager"],
        subject="Reorder mat board",
        assigned_department=front_desk,
        due_on=dt.date(2020, 1, 6),
        urgent=True,
    )
    task_create(
        by=people["manager"], subject="Lab's own chore", assigned_department=f.DepartmentFactory()
    )

    log_in(page, "staff", PASSWORD)
    panel = page.get_by_role("region", name="My tasks")
    expect(panel).to_contain_text("Reorder mat board")
    expect(panel).to_contain_text("Overdue")
    expect(panel).not_to_contain_text("Lab's own chore")
    screenshot(page, "tasks-home")

    page.goto(f"/tasks/new/?production_order={order.pk}")
    expect(page.get_by_text(str(order))).to_be_visible()
    page.get_by_label("Subject").fill("Ask the lab when the album ships")
    page.get_by_label("Kind").select_option(label="Phone call")
    page.get_by_label("Due").fill("2031-01-06")
    page.get_by_label("Department").select_option(label="Front desk")
    screenshot(page, "tasks-new")
    page.get_by_role("button", name="Add task").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ask the lab when the album ships")
    task = Task.objects.get(subject="Ask the lab when the album ships")
    assert task.production_order == order and task.kind == "call"
    assert (task.assigned_user, task.assigned_department) == (staff, front_desk)
    status = page.get_by_role("region", name="Status", exact=True)
    expect(status).to_contain_text("To do")
    screenshot(page, "tasks-detail")

    page.goto("/tasks/")
    rows = page.locator("table.task-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Reorder mat board")
    expect(rows.nth(1)).to_contain_text("Ask the lab when the album ships")
    screenshot(page, "tasks-list")
    page.set_viewport_size({"width": 800, "height": 900})
    screenshot(page, "tasks-list-tablet")
    page.set_viewport_size({"width": 1366, "height": 768})

    page.goto(task.get_absolute_url())
    page.get_by_role("link", name="Change status").focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Change to").select_option(label="Done")
    dialog.get_by_role("button", name="Change status").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("current-status")).to_contain_text("Done")
    assert not Task.objects.get(pk=task.pk).is_open
    page.goto("/tasks/")
    expect(page.locator("table.task-table tbody tr")).to_have_count(1)
