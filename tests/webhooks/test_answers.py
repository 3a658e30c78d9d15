"""What a receiver's answer means, read without a receiver: Retry-After's two forms and the
waits it may not ask for."""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime

import pytest

from darkroom.webhooks.answers import retry_after, verdict

NOW = dt.datetime(2026, 12, 2, 12, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("value", "wait"),
    [
        ("30", dt.timedelta(seconds=30)),
        (format_datetime(NOW + dt.timedelta(minutes=7), usegmt=True), dt.timedelta(minutes=7)),
        (format_datetime(NOW - dt.timedelta(minutes=7), usegmt=True), dt.timedelta(0)),
        ("999999", dt.timedelta(hours=10)),
        ("soon", None),
        ("-5", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_reads_seconds_or_a_date_and_asks_ten_hours_at_most(value, wait):
    assert retry_after(value, now=NOW) == wait


def test_retry_after_counts_only_on_429_and_503():
    asked = {"retry-after": "600"}
    assert verdict(429, asked, now=NOW).retry_after == dt.timedelta(minutes=10)
    assert verdict(503, asked, now=NOW).retry_after == dt.timedelta(minutes=10)
    assert verdict(500, asked, now=NOW).retry_after is None


@pytest.mark.parametrize(
    ("code", "outcome"),
    [
        (200, "delivered"),
        (204, "delivered"),
        (301, "failed"),
        (307, "failed"),
        (400, "failed"),
        (408, "retry"),
        (410, "gone"),
        (429, "retry"),
        (500, "retry"),
        (599, "retry"),
    ],
)
def test_each_answer_has_its_outcome(code, outcome):
    assert verdict(code, {}, now=NOW).outcome == outcome
