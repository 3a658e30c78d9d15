"""Messages held until business hours wait for the studio's opening time on a business day."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from darkroom.messaging.actions import opening_after
from darkroom.messaging.firings import firings_process_due
from darkroom.messaging.models import Message
from darkroom.studio.calendar.writes import closure_add
from darkroom.studio.models import StudioPreferences
from tests.messaging.conftest import MONDAY, advance

pytestmark = pytest.mark.django_db

ZONE = zoneinfo.ZoneInfo("America/Chicago")


@pytest.fixture
def studio(db) -> StudioPreferences:
    prefs, _ = StudioPreferences.objects.get_or_create(pk=1)
    prefs.time_zone = "America/Chicago"
    prefs.opens_at, prefs.closes_at = dt.time(9), dt.time(17, 30)
    prefs.save()
    return prefs


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZONE)


TUESDAY = MONDAY + dt.timedelta(days=1)
WEDNESDAY = MONDAY + dt.timedelta(days=2)
THURSDAY = MONDAY + dt.timedelta(days=3)
SATURDAY = MONDAY + dt.timedelta(days=5)
NEXT_MONDAY = MONDAY + dt.timedelta(days=7)


@pytest.mark.parametrize(
    "written,goes",
    [
        (at(TUESDAY, 10), at(TUESDAY, 10)),  # open: now
        (at(TUESDAY, 7, 59), at(TUESDAY, 9)),  # before opening: at opening
        (at(TUESDAY, 17, 30), at(WEDNESDAY, 9)),  # at closing: the next business day
        (at(SATURDAY, 11), at(NEXT_MONDAY, 9)),  # the weekend: Monday
    ],
)
def test_held_messages_wait_for_the_next_opening(studio, written, goes):
    assert opening_after(written, studio) == goes


def test_a_closure_is_not_business_hours(studio):
    closure_add(first_date=WEDNESDAY, label="Inventory")
    assert opening_after(at(TUESDAY, 20), studio) == at(THURSDAY, 9)


def test_a_held_email_is_written_now_and_sent_at_opening(
    studio, frozen_today, make_trigger, make_order, album, people, email_template
):
    frozen_today(SATURDAY)
    make_trigger(action="email", template=email_template, hold_until_business_hours=True)
    advance(make_order(email="ann@example.com"), album.ready, people["staff"], on=SATURDAY)
    firings_process_due()
    (message,) = Message.objects.all()
    assert message.state == "queued"
    assert message.next_attempt_at == at(NEXT_MONDAY, 9)
