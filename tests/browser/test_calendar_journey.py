"""A manager trims the work week, imports the holidays and checks December in the month view."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect
from tests.browser.journey import log_in, screenshot
from tests.conftest import PASSWORD

from darkroom.studio.calendar.writes import work_week_update
from darkroom.studio.models import Closure
from darkroom.studio.selectors import studio_preferences

# The studio's today is pinned (an ordinary Wednesday): the journey means the same on any day.
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ordinary_day")]


def test_a_manager_sets_up_the_studio_calendar(page, people):
    work_week_update(work_days={0, 1, 2, 3, 4, 5})  # Monday to Saturday, to begin with
    year = studio_preferences().today().year
    first_saturday = next(
        day for day in (dt.date(year, 12, d) for d in range(1, 8)) if day.weekday() == 5
    )

    log_in(page, "manager", PASSWORD)
    page.goto("/maintenance/calendar/")
    expect(page.get_by_role("heading", name="Calendar", level=1)).to_be_visible()

    saturday = page.get_by_label("Saturday")
    expect(saturday).to_be_checked()
    saturday.uncheck()
    page.get_by_role("button", name="Save work week").click()
    expect(page.get_by_role("status").filter(has_text="Saved the work week")).to_be_visible()
    recomputing = page.get_by_role("status").filter(has_text="being recomputed")
    expect(recomputing).to_contain_text("waiting for the background worker")
    expect(page.get_by_label("Saturday")).not_to_be_checked()
    expect(page.get_by_label("Friday")).to_be_checked()

    page.get_by_label("Country").select_option(label="United States (US)")
    expect(page.get_by_label("From year")).to_have_value(str(year))
    expect(page.get_by_label("To year")).to_have_value(str(year))
    page.get_by_role("button", name="Import holidays").click()
    added = re.compile(rf"Added \d+ holidays of United States \(US\), {year}\.")
    expect(page.get_by_role("status").filter(has_text=added)).to_be_visible()

    month = page.get_by_role("heading", level=2, name=re.compile(rf"^\w+ {year}$"))
    for _ in range(12):
        if month.inner_text() == f"December {year}":
            break
        page.get_by_role("link", name="Next month").click()
    expect(page.get_by_role("heading", level=2, name=f"December {year}")).to_be_visible()

    days = page.locator("td.cal-day")
    expect(days.filter(has_text="Closed: Christmas Day")).to_have_count(1)
    expect(page.locator(f'[data-date="{first_saturday.isoformat()}"]')).to_contain_text(
        "Not a work day"
    )
    expect(page.locator(f'[data-date="{first_saturday.isoformat()}"]')).not_to_contain_text(
        "Business day"
    )
    expect(page.get_by_role("table").filter(has_text="Christmas Day").last).to_be_visible()
    page.evaluate("window.scrollTo(0, 0)")  # the sticky top bar belongs at the top of the picture
    screenshot(page, "calendar-month")

    # Choosing another year of closures shows it at once, without pressing a button.
    page.get_by_label("Show", exact=True).select_option(label="All years")
    page.wait_for_url("**when=all**")
    expect(page.get_by_label("Show", exact=True)).to_have_value("all")

    assert studio_preferences().work_days == {0, 1, 2, 3, 4}
    assert Closure.objects.filter(country="US", first_date__year=year).count() >= 10
