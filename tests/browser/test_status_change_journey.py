"""Staff start a session in its status cycle and advance it twice with the status dialog (once
by mouse, once by keyboard alone), then read its history with the due dates; then tick two
sessions in the list and move them on together."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect
from tests.browser.journey import log_in, screenshot
from tests.conftest import PASSWORD
from tests.factories import ClientFactory, SessionFactory, SessionTypeFactory

from darkroom.clients.models import Session
from darkroom.studio.calendar.cache import studio_calendar
from darkroom.studio.selectors import studio_preferences
from darkroom.tracking.models import CycleKind
from darkroom.tracking.services import cycle_create, record_start, status_add

# The studio's today is pinned (an ordinary Wednesday): the journey means the same on any day.
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ordinary_day")]

MONDAY = dt.date(2026, 3, 2)


def long_date(day: dt.date) -> str:
    """A date as the studio's default preferences (en-US) write it."""
    return f"{day:%b} {day.day}, {day.year}"


def test_staff_advance_a_session_with_the_status_dialog(page, people):
    cycle = cycle_create(kind=CycleKind.SESSION, name="Sessions")
    booked = status_add(cycle=cycle, description="Booked", default_duration=1)
    shot = status_add(cycle=cycle, description="Shot", default_duration=2)
    proofing = status_add(cycle=cycle, description="Proofing", default_duration=3)
    status_add(cycle=cycle, description="Delivered", is_final=True)
    client = ClientFactory(first_name="Ada", last_name="Lovelace")
    session = SessionFactory(
        client=client, session_type=SessionTypeFactory(name="Portrait"), date=MONDAY
    )
    calendar, today = studio_calendar(), studio_preferences().today()
    wednesday = MONDAY + dt.timedelta(days=2)
    shot_due = calendar.due(wednesday, shot.default_duration)  # Friday, March 6
    proofing_due = calendar.due(today, proofing.default_duration)

    log_in(page, "staff", PASSWORD)
    page.goto(session.get_absolute_url())
    status = page.get_by_role("region", name="Status", exact=True)
    expect(status).to_contain_text("Not started yet: starting puts it in “Booked”.")
    status.get_by_label("Started on").fill(MONDAY.isoformat())
    status.get_by_role("button", name="Start").click()
    expect(page.get_by_role("status")).to_contain_text("started in Booked, due Mar 3, 2026.")
    expect(page.get_by_test_id("current-status")).to_contain_text("Booked")
    page.wait_for_load_state()  # htmx (a deferred script) opens the dialog from here, not a page

    # First change, by mouse: a new date completed re-proposes the due date.
    page.get_by_role("link", name="Change status").click()
    dialog = page.get_by_role("dialog", name=re.compile("Change status"))
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Change to")).to_be_focused()
    expect(dialog.get_by_label("Change to")).to_have_value(str(shot.pk))
    expect(dialog.get_by_label("Status updated by")).to_have_value(str(people["staff"].pk))
    dialog.get_by_label("Date completed").fill(wednesday.isoformat())
    expect(dialog.get_by_label("Due date")).to_have_value(shot_due.isoformat())
    expect(dialog.get_by_test_id("proposed-due")).to_contain_text("2 business days for “Shot”")
    dialog.get_by_label("Note").fill("Shot in the garden")
    page.set_viewport_size({"width": 1366, "height": 768})
    screenshot(page, "status-dialog-1366")
    page.set_viewport_size({"width": 820, "height": 1100})
    screenshot(page, "status-dialog-820")
    page.set_viewport_size({"width": 1366, "height": 768})
    dialog.get_by_role("button", name="Change status").click()
    expect(page.get_by_role("status")).to_contain_text("Booked → Shot, due Mar 6, 2026.")
    expect(page.get_by_test_id("current-status")).to_contain_text("Shot")
    expect(page.get_by_test_id("status-due")).to_contain_text(long_date(shot_due))
    page.wait_for_load_state()  # the change reloaded the page: htmx is listening again from here

    # Esc closes the dialog without changing anything.
    page.get_by_role("link", name="Change status").click()
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.get_by_test_id("current-status")).to_contain_text("Shot")

    # Second change, by keyboard alone: Enter opens the dialog, Enter changes the status.
    page.get_by_role("link", name="Change status").focus()
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    change_to = dialog.get_by_label("Change to")
    expect(change_to).to_be_focused()
    expect(change_to).to_have_value(str(proofing.pk))
    expect(dialog.get_by_label("Due date")).to_have_value(proofing_due.isoformat())
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Shot → Proofing")
    expect(page.get_by_test_id("current-status")).to_contain_text("Proofing")

    history = page.get_by_role("region", name="Status history")
    rows = history.get_by_role("row")
    expect(rows).to_have_count(4)  # the header and three changes, newest first
    expect(rows.nth(1)).to_contain_text("Shot → Proofing")
    expect(rows.nth(1)).to_contain_text(long_date(proofing_due))
    expect(rows.nth(2)).to_contain_text("Booked → Shot")
    expect(rows.nth(2)).to_contain_text(long_date(shot_due))
    expect(rows.nth(2)).to_contain_text("2 of 1 business day")  # Monday to Wednesday
    expect(rows.nth(2)).to_contain_text("Shot in the garden")
    expect(rows.nth(3)).to_contain_text("Started in Booked")
    expect(rows.nth(3)).to_contain_text(long_date(MONDAY + dt.timedelta(days=1)))
    screenshot(page, "status-history-1366")
    page.set_viewport_size({"width": 820, "height": 1100})
    screenshot(page, "status-history-820")

    stored = Session.objects.get(pk=session.pk)
    assert stored.status == proofing and stored.status_due_date == proofing_due
    assert booked.pk != stored.status_id


def test_staff_move_two_sessions_on_from_the_list(page, people):
    cycle = cycle_create(kind=CycleKind.SESSION, name="Sessions")
    booked = status_add(cycle=cycle, description="Booked", default_duration=1)
    shot = status_add(cycle=cycle, description="Shot", default_duration=2)
    status_add(cycle=cycle, description="Delivered", is_final=True)
    sessions = [
        SessionFactory(client=ClientFactory(last_name=name), date=MONDAY)
        for name in ("Hopper", "Noether", "Curie")
    ]
    for session in sessions:
        record_start(record=session, started_on=MONDAY, by=people["manager"])

    log_in(page, "staff", PASSWORD)
    page.goto("/sessions/")
    bar = page.get_by_role("form", name=re.compile("Change status"))
    expect(bar.get_by_role("button", name="Change status")).to_be_disabled()
    page.get_by_role("checkbox", name=re.compile("Hopper")).check()
    page.get_by_role("checkbox", name=re.compile("Noether")).check()
    expect(bar).to_contain_text("of 2 sessions ticked")
    expect(page.locator("td.status-cell", has_text="overdue").first).to_be_visible()
    bar.get_by_label("Date completed").fill((MONDAY + dt.timedelta(days=1)).isoformat())
    screenshot(page, "status-bulk-list-1366")
    page.set_viewport_size({"width": 820, "height": 1000})
    screenshot(page, "status-bulk-list-820")
    bar.get_by_role("button", name="Change status").click()
    expect(page.get_by_role("status")).to_contain_text("Changed the status of 2 sessions.")
    screenshot(page, "status-bulk-report")
    moved = {s.client.last_name: s.status for s in Session.objects.select_related("client")}
    assert moved == {"Hopper": shot, "Noether": shot, "Curie": booked}

    # All or nothing: Curie is already Booked, so Hopper is not sent back to it either.
    page.get_by_role("link", name="Back to sessions").click()
    page.get_by_role("checkbox", name=re.compile("Hopper")).check()
    page.get_by_role("checkbox", name=re.compile("Curie")).check()
    bar.get_by_label("Change to").select_option(label="Booked")
    bar.get_by_role("button", name="Change status").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Nothing was changed. 1 of 2 sessions can't be changed"
    )
    refused = page.get_by_role("row").filter(has_text="Curie")
    expect(refused).to_contain_text("Refused")
    expect(refused).to_contain_text("already “Booked”")
    screenshot(page, "status-bulk-refused")
    assert Session.objects.get(client__last_name="Hopper").status == shot
