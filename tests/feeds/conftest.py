"""What the calendar feeds' tests share: a studio whose work is assigned to people and
departments, and reading a feed the way a calendar app does (parsed with ``icalendar``)."""

from __future__ import annotations

import datetime as dt
import gzip
from dataclasses import dataclass
from typing import Any

import icalendar
import pytest
from django.test import Client as WebClient

from darkroom.feeds.models import FeedScope
from darkroom.feeds.services import calendar_feed_issue
from darkroom.tracking.models import CycleKind
from tests import factories as f


@dataclass
class Feed:
    """A feed as a calendar app receives it: the answer, and its calendar parsed."""

    status: int
    body: bytes
    headers: Any
    calendar: icalendar.Calendar | None

    def events(self) -> dict[str, icalendar.Event]:
        """The feed's events by UID."""
        assert self.calendar is not None
        return {str(e["UID"]): e for e in self.calendar.walk("VEVENT")}

    def summaries(self) -> list[str]:
        return sorted(str(e["SUMMARY"]) for e in self.events().values())


def read_feed(url: str, **headers: str) -> Feed:
    """GET the feed as an anonymous calendar app would, and parse it when it came (``body``
    unpacked when it came gzip'd)."""
    response = WebClient().get(url, headers=headers)
    body = response.content
    if response.headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    calendar = icalendar.Calendar.from_ical(body) if response.status_code == 200 else None
    return Feed(response.status_code, body, response.headers, calendar)


def feed_url(key: str) -> str:
    return f"/feeds/{key}.ics"


@pytest.fixture
def make_feed(people):
    """``make_feed("person", user=…)`` → the feed's path (as a calendar app is given it)."""

    def make(scope: str = FeedScope.PERSON, **owner: Any) -> str:
        _, key = calendar_feed_issue(by=people["manager"], scope=scope, **owner)
        return feed_url(key)

    return make


@pytest.fixture
def retouching(db):
    return f.DepartmentFactory(name="Retouching")


@pytest.fixture
def albums(people, retouching):
    """An album cycle: Design (3 days) then Print (2), both Ada's (the staff person) in
    Retouching, then Delivered."""
    return f.cycle_with_statuses(
        kind=CycleKind.PRODUCTION,
        name="Album Order",
        order_type=f.OrderTypeFactory(name="Album Order"),
        steps=[
            ("Design", 3, {"default_user": people["staff"]}),
            ("Print", 2, {"default_user": people["staff"]}),
        ],
        final="Delivered",
        department=retouching,
    )


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
