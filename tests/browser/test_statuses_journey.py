"""A manager reshapes the Lab Print Order cycle: inserts a step, moves it up, retires another."""

import pytest
from playwright.sync_api import expect
from tests.browser.journey import log_in, screenshot
from tests.conftest import PASSWORD
from tests.factories import DepartmentFactory, OrderTypeFactory

from darkroom.catalog.models import OrderKind
from darkroom.sample_data.demo.catalog import LAB_PRINT
from darkroom.sample_data.demo.cycles import CYCLES, PRINTING
from darkroom.tracking.models import CycleKind, Status
from darkroom.tracking.services import cycle_create, status_add

pytestmark = pytest.mark.browser


def demo_cycle(name: str, **extra):
    """One of the demo studio's cycles, made the way the demo makes it."""
    row = next(c for c in CYCLES if c.name == name)
    departments = {PRINTING: DepartmentFactory(name=PRINTING)} if row.order_type else {}
    cycle = cycle_create(kind=row.kind, name=row.name, **extra)
    for index, (description, days, department) in enumerate(row.steps):
        status_add(
            cycle=cycle,
            description=description,
            default_duration=days,
            default_department=departments.get(department),
            is_final=index == len(row.steps) - 1,
        )
    return cycle


def test_a_manager_inserts_moves_and_retires_steps_of_a_cycle(page, people):
    cycle_create(kind=CycleKind.SESSION, name="Sessions")  # shown first, until another is chosen
    lab_print = demo_cycle(
        LAB_PRINT, order_type=OrderTypeFactory(name=LAB_PRINT, kind=OrderKind.PRINT)
    )
    steps = page.locator("table.statuses-table tbody th[scope=row] a")

    log_in(page, "manager", PASSWORD)
    page.goto("/maintenance/statuses/")
    expect(page.get_by_role("heading", name="Statuses", level=1)).to_be_visible()
    page.get_by_label("Status cycle").select_option(label=LAB_PRINT)
    page.get_by_role("button", name="Show").click()
    expect(
        page.get_by_role("heading", level=2, name=f"{LAB_PRINT} · Production orders")
    ).to_be_visible()
    expect(steps).to_have_text(
        ["Ordered", "Sent to Lab", "Received from Lab", "Quality Check", "Ready for Pickup"]
    )
    expect(page.get_by_role("row", name="Ordered")).to_contain_text("Initial")
    expect(page.get_by_role("row", name="Sent to Lab")).to_contain_text("3 business days")
    expect(page.get_by_role("row", name="Sent to Lab")).to_contain_text(PRINTING)
    screenshot(page, "statuses-cycle")

    # Insert a step at position 3, before "Received from Lab".
    page.get_by_role("link", name="Insert before Received from Lab").click()
    expect(page.get_by_role("heading", name="New status", level=1)).to_be_visible()
    place = page.get_by_label("Place in the cycle")
    expect(place.locator("option:checked")).to_have_text("3. Before “Received from Lab”")
    page.get_by_label("Description").fill("Colour Correction")
    page.get_by_label("Default duration (business days)").fill("-2")
    page.get_by_role("button", name="Add status").click()
    expect(page.get_by_text("The duration can't be negative.")).to_be_visible()
    expect(page.get_by_label("Description")).to_have_value("Colour Correction")
    page.get_by_label("Default duration (business days)").fill("2")
    page.get_by_label("Default department").select_option(label=PRINTING)
    screenshot(page, "statuses-insert")
    page.get_by_role("button", name="Add status").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Added “Colour Correction” at position 3 of {LAB_PRINT}."
    )
    expect(steps).to_have_text(
        [
            "Ordered",
            "Sent to Lab",
            "Colour Correction",
            "Received from Lab",
            "Quality Check",
            "Ready for Pickup",
        ]
    )

    # Move it up, from the keyboard.
    page.get_by_role("button", name="Move Colour Correction up").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(
        "Moved “Colour Correction” up to position 2."
    )
    expect(steps.nth(1)).to_have_text("Colour Correction")
    expect(page.get_by_role("row", name="Colour Correction")).to_contain_text("2 business days")

    # Make "Quality Check" inactive from its form.
    page.get_by_role("link", name="Modify Quality Check").click()
    expect(page.get_by_role("heading", name="Quality Check", level=1)).to_be_visible()
    page.get_by_label("Inactive").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Saved “Quality Check”.")
    expected = [
        "Ordered",
        "Colour Correction",
        "Sent to Lab",
        "Received from Lab",
        "Quality Check",
        "Ready for Pickup",
    ]
    expect(steps).to_have_text(expected)
    expect(page.get_by_role("row", name="Quality Check")).to_contain_text("Inactive")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "statuses-reordered")

    # The initial step can't be deleted: the page says why and nothing changes.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete Ordered").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "“Ordered” is the cycle's initial status: make another one initial before deleting it."
    )
    screenshot(page, "statuses-refused")
    page.get_by_role("link", name="Keep it as it is").click()

    page.get_by_role("button", name="Hide inactive").click()
    expect(steps).to_have_text([s for s in expected if s != "Quality Check"])
    expect(page.get_by_text("5 statuses · 1 inactive hidden")).to_be_visible()

    page.set_viewport_size({"width": 820, "height": 1100})
    page.get_by_role("button", name="Hide inactive").click()
    expect(steps).to_have_text(expected)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "statuses-tablet")

    page.set_viewport_size({"width": 1366, "height": 768})
    page.get_by_role("link", name="Print").click()
    expect(page.get_by_role("heading", name=f"Statuses of {LAB_PRINT}", level=1)).to_be_visible()
    expect(page.get_by_role("row", name="Quality Check")).to_contain_text("Inactive")
    screenshot(page, "statuses-print")

    rows = Status.objects.filter(cycle=lab_print).order_by("position")
    assert [(s.position, s.description, s.is_inactive) for s in rows] == [
        (1, "Ordered", False),
        (2, "Colour Correction", False),
        (3, "Sent to Lab", False),
        (4, "Received from Lab", False),
        (5, "Quality Check", True),
        (6, "Ready for Pickup", False),
    ]
    added = rows.get(description="Colour Correction")
    assert (added.default_duration, str(added.default_department)) == (2, PRINTING)
