"""The calendar services and selectors: closures, holiday imports, the work week, the cache."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from darkroom.studio.calendar.cache import studio_calendar, vendor_calendar
from darkroom.studio.calendar.holidays import holiday_countries, holidays_import
from darkroom.studio.calendar.reads import calendar_days, due_date
from darkroom.studio.calendar.writes import (
    calendar_changed,
    closure_add,
    closure_remove,
    work_week_update,
)
from darkroom.studio.models import Closure, ClosureSource, StudioPreferences
from darkroom.studio.selectors import studio_preferences
from darkroom.studio.services import studio_preferences_update
from tests.studio.conftest import CHRISTMAS, FRI, MON, TUE, snapshot

pytestmark = pytest.mark.django_db


def refused(call, field: str | None = None) -> ValidationError:
    """Run a write that must be refused; check nothing changed and return the error."""
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        call()
    assert snapshot() == before
    if field is not None:
        assert field in caught.value.message_dict, caught.value
    return caught.value


# Closures -----------------------------------------------------------------------------------------


def test_a_single_day_closure_is_not_a_business_day():
    closure = closure_add(first_date=MON, label="  Stocktake  ")
    assert (closure.first_date, closure.last_date, closure.label) == (MON, MON, "Stocktake")
    assert closure.source == ClosureSource.MANUAL and closure.vendor is None
    assert not studio_calendar().is_business_day(MON)
    assert studio_calendar().due(FRI, 1) == TUE


def test_a_range_closes_every_day_in_it():
    closure_add(first_date=MON, last_date=dt.date(2026, 12, 31), label="Winter break")
    calendar = studio_calendar()
    assert not any(calendar.is_business_day(MON + dt.timedelta(days=i)) for i in range(11))
    assert calendar.due(FRI, 1) == dt.date(2027, 1, 1)


def test_a_closure_that_ends_before_it_starts_is_refused():
    error = refused(lambda: closure_add(first_date=TUE, last_date=MON, label="Oops"), "last_date")
    assert error.message_dict["last_date"] == ["The closure ends before it starts."]


def test_a_closure_longer_than_366_days_is_refused_and_366_is_fine():
    first = dt.date(2027, 1, 1)
    refused(
        lambda: closure_add(first_date=first, last_date=dt.date(2028, 1, 2), label="Sabbatical"),
        "last_date",
    )
    closure = closure_add(first_date=first, last_date=dt.date(2028, 1, 1), label="Sabbatical")
    assert closure.days == 366


def test_a_closure_needs_a_label():
    refused(lambda: closure_add(first_date=MON, label="   "), "label")


def test_the_same_closure_twice_is_refused():
    closure_add(first_date=MON, label="Stocktake")
    error = refused(lambda: closure_add(first_date=MON, last_date=MON, label="stocktake"))
    assert "already on the calendar" in str(error)


def test_removing_a_closure_opens_the_day_again():
    closure = closure_add(first_date=MON, label="Stocktake")
    assert studio_calendar().due(FRI, 1) == TUE
    closure_remove(closure=closure)
    assert not Closure.objects.exists()
    assert studio_calendar().due(FRI, 1) == MON


def test_a_vendors_closures_count_only_on_that_vendors_calendar(vendor):
    other = vendor.__class__.objects.create(name="Frame Works")
    closure_add(first_date=MON, label="Lab stocktake", vendor=vendor)
    closure_add(first_date=TUE, label="Studio training day")
    assert studio_calendar().due(FRI, 1) == dt.date(2026, 12, 21)  # the vendor's day is open
    assert vendor_calendar(vendor).due(FRI, 1) == dt.date(2026, 12, 23)  # both days closed
    assert vendor_calendar(vendor.pk) == vendor_calendar(vendor)
    assert vendor_calendar(other).due(FRI, 1) == MON  # another vendor: the studio's only
    assert vendor_calendar(None) == studio_calendar()
    assert due_date(start=FRI, days=1, vendor=vendor) == dt.date(2026, 12, 23)


# The cached calendar -----------------------------------------------------------------------------


def test_the_calendar_is_built_once_until_something_changes():
    first = studio_calendar()
    assert studio_calendar() is first
    closure_add(first_date=MON, label="Stocktake")
    second = studio_calendar()
    assert second is not first and studio_calendar() is second


def test_due_dates_follow_a_new_closure_right_after_it_is_added():
    assert studio_calendar().due(FRI, 1) == MON  # built and cached
    closure_add(first_date=MON, label="Stocktake")
    assert studio_calendar().due(FRI, 1) == TUE


def test_a_work_week_saved_on_the_preferences_page_is_seen_too():
    assert studio_calendar().due(FRI, 1) == MON
    studio_preferences_update(work_days_mask=0b0111111)  # Monday to Saturday
    assert studio_calendar().due(FRI, 1) == dt.date(2026, 12, 19)


def test_closures_written_around_the_services_are_seen_too():
    assert studio_calendar().due(FRI, 1) == MON
    Closure.objects.create(first_date=MON, last_date=MON, label="Written directly")
    assert studio_calendar().due(FRI, 1) == TUE


def test_a_calendar_built_inside_a_rolled_back_write_is_never_used_again():
    with pytest.raises(RuntimeError), transaction.atomic():
        closure_add(first_date=MON, label="Rolled back")
        assert studio_calendar().due(FRI, 1) == TUE
        raise RuntimeError("the surrounding write failed")
    assert not Closure.objects.exists()
    # The next closure may even get the same id (SQLite reuses it after a rollback), so the
    # closures' count and last id are what they were inside the failed write; the calendar's
    # version is not, so the calendar cached in there is not taken for this one.
    closure_add(first_date=TUE, label="Kept")
    calendar = studio_calendar()
    assert calendar.is_business_day(MON) and not calendar.is_business_day(TUE)


def test_calendar_changed_gives_a_new_version_and_stores_default_preferences():
    assert not StudioPreferences.objects.exists()
    calendar_changed()
    first = StudioPreferences.objects.get().calendar_version
    calendar_changed()
    assert StudioPreferences.objects.get().calendar_version not in (0, first)


# The work week ------------------------------------------------------------------------------------


def test_the_work_week_can_include_the_weekend():
    work_week_update(work_days={0, 1, 2, 3, 4, 5}, due_date_mode="backward")
    prefs = studio_preferences()
    assert prefs.work_days == {0, 1, 2, 3, 4, 5}
    assert prefs.due_date_mode == "backward"
    assert studio_calendar().due(FRI, 1) == dt.date(2026, 12, 19)


def test_an_empty_work_week_is_refused():
    work_week_update(work_days={0, 1, 2, 3, 4})
    error = refused(lambda: work_week_update(work_days=set()), "work_days")
    assert "at least one day" in error.message_dict["work_days"][0]
    assert studio_preferences().work_days == {0, 1, 2, 3, 4}


@pytest.mark.parametrize("days", [{7}, {-1, 2}, {"Monday"}])
def test_work_days_are_weekday_numbers(days):
    refused(lambda: work_week_update(work_days=days), "work_days")


def test_an_unknown_due_date_mode_is_refused():
    refused(lambda: work_week_update(work_days={0}, due_date_mode="sideways"), "due_date_mode")


# Holidays ---------------------------------------------------------------------------------------


def test_us_holidays_become_closures_and_importing_again_adds_nothing():
    added = holidays_import(country="US", years=[2026])
    assert added == Closure.objects.count() >= 10
    observed = Closure.objects.get(first_date=dt.date(2026, 7, 3))
    assert observed.label == "Independence Day (observed)"
    assert (observed.source, observed.country, observed.subdivision) == ("holidays", "US", "")
    assert Closure.objects.filter(first_date=CHRISTMAS, label="Christmas Day").exists()
    assert studio_calendar().due(dt.date(2026, 12, 24), 1) == dt.date(2026, 12, 28)

    before = snapshot()
    assert holidays_import(country="us", years=[2026]) == 0
    assert snapshot() == before


def test_a_region_adds_only_its_own_holidays_after_the_countrys():
    national = holidays_import(country="US", years=[2026])
    added = holidays_import(country="US", subdivision="ca", years=[2026])
    assert 0 < added < national
    california = Closure.objects.filter(subdivision="CA")
    assert california.count() == added
    assert not california.filter(label="Christmas Day").exists()


def test_scotland_has_its_own_holidays():
    added = holidays_import(country="GB", subdivision="SCT", years=[2026, 2027])
    assert added == Closure.objects.filter(country="GB", subdivision="SCT").count()
    assert Closure.objects.filter(first_date=dt.date(2026, 11, 30)).exists()  # St Andrew's Day
    assert Closure.objects.filter(first_date=dt.date(2027, 1, 2)).exists()  # 2 January
    assert holidays_import(country="GB", subdivision="Scotland", years=[2026]) == 0


def test_an_unknown_country_is_refused_with_a_way_to_find_codes():
    error = refused(lambda: holidays_import(country="XX", years=[2026]), "country")
    message = error.message_dict["country"][0]
    assert "“XX”" in message and "two-letter" in message and "holiday-countries" in message


def test_an_unknown_subdivision_is_refused_with_the_known_ones():
    error = refused(
        lambda: holidays_import(country="GB", subdivision="ZZ", years=[2026]), "subdivision"
    )
    message = error.message_dict["subdivision"][0]
    assert "United Kingdom (GB)" in message and "SCT" in message


@pytest.mark.parametrize(
    "years", [[], list(range(2020, 2031)), [1899], [2101], ["next year"]], ids=str
)
def test_years_must_be_few_and_sane(years):
    refused(lambda: holidays_import(country="US", years=years), "years")


def test_holidays_can_be_a_vendors_own(vendor):
    added = holidays_import(country="DE", years=[2026], vendor=vendor)
    assert added == Closure.objects.filter(vendor=vendor).count() > 0
    assert not Closure.objects.filter(vendor__isnull=True).exists()
    assert studio_calendar().is_business_day(dt.date(2026, 10, 5))
    assert not vendor_calendar(vendor).is_business_day(dt.date(2026, 12, 25))
    # The same holidays for the studio are the studio's, not skipped as the vendor's.
    assert holidays_import(country="DE", years=[2026]) == added


def test_the_country_list_names_each_country_with_its_regions():
    countries = {code: (name, regions) for code, name, regions in holiday_countries()}
    assert countries["US"][0] == "United States"
    assert "CA" in countries["US"][1]
    assert countries["GB"] == ("United Kingdom", ("ENG", "NIR", "SCT", "WLS"))
    names = [name for _code, name, _regions in holiday_countries()]
    assert names == sorted(names)


# What the month view shows ------------------------------------------------------------------------


def test_each_day_is_business_closed_or_not_a_work_day(vendor):
    closure_add(first_date=dt.date(2026, 12, 24), last_date=dt.date(2026, 12, 27), label="Break")
    closure_add(first_date=CHRISTMAS, label="Christmas Day")
    closure_add(first_date=dt.date(2026, 12, 23), label="Lab stocktake", vendor=vendor)
    days = {d.date.day: d for d in calendar_days(first=MON, last=dt.date(2026, 12, 28))}
    assert days[23].kind == "business"
    assert (days[24].kind, days[24].description) == ("closed", "Closed: Break")
    assert days[25].label == "Break; Christmas Day"
    assert (days[26].kind, days[26].description) == ("non_work", "Not a work day (Break)")
    assert days[28].description == "Business day"
    mine = {
        d.date.day: d for d in calendar_days(first=MON, last=MON.replace(day=23), vendor=vendor)
    }
    assert (mine[23].kind, mine[23].label) == ("closed", "Lab stocktake")


def test_at_most_366_days_are_shown_at_once():
    with pytest.raises(ValidationError):
        calendar_days(first=dt.date(2026, 1, 1), last=dt.date(2027, 1, 2))
    with pytest.raises(ValidationError):
        calendar_days(first=TUE, last=MON)
    assert len(calendar_days(first=dt.date(2026, 1, 1), last=dt.date(2027, 1, 1))) == 366


def test_a_due_date_beyond_the_calendar_is_a_validation_error():
    with pytest.raises(ValidationError):
        due_date(start=dt.date(9999, 12, 30), days=5)
