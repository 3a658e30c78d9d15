"""The feed's iCalendar text against an independent parser (``icalendar``): whatever a record's
words are — commas, semicolons, backslashes, line breaks, accents, emoji, control characters —
they come back as written (less the control characters iCalendar can't hold), every line ends
with CRLF and holds at most 75 octets, and no character is cut in two by a fold."""

from __future__ import annotations

import datetime as dt
import re

import icalendar
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar.parser import unescape_backslash

from darkroom.feeds.ics import calendar_text, folded
from darkroom.feeds.selectors import FeedEntry

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")

words = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"]),  # any character UTF-8 can carry
    max_size=300,
)


def entry(summary: str, description: str) -> FeedEntry:
    return FeedEntry(
        uid="invoice-7-due",
        day=dt.date(2026, 12, 31),
        summary=summary,
        description=description,
        path="/invoices/7/",
        changed_at=dt.datetime(2026, 12, 2, 11, 30, 5, tzinfo=dt.UTC),
        sequence=3,
    )


def kept(value: str) -> str:
    """What iCalendar keeps of a text: line breaks as newlines, other control characters gone."""
    return CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", ""))


@settings(max_examples=150, deadline=None)
@given(summary=words, description=words, name=words)
def test_any_words_come_back_as_written(summary, description, name):
    body = calendar_text(
        [entry(summary, description)], name=name, domain="studio.example", base_url="https://s"
    )
    raw = body.encode()
    assert raw.endswith(b"\r\n")
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75
        line.decode()  # a fold never cuts a character in two
    calendar = icalendar.Calendar.from_ical(raw)
    # icalendar keeps NAME (RFC 7986) as it came, escaped: its own unescaping reads it.
    calendar_name = unescape_backslash(str(calendar["NAME"]))
    assert calendar_name == kept(" ".join(name.split()))  # one line
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == kept(summary)
    assert str(event["DESCRIPTION"]) == kept(description)
    assert str(event["UID"]) == "invoice-7-due@studio.example"
    assert event.decoded("DTSTART") == dt.date(2026, 12, 31)
    assert event.decoded("DTEND") == dt.date(2027, 1, 1)
    assert event.decoded("DTSTAMP") == dt.datetime(2026, 12, 2, 11, 30, 5, tzinfo=dt.UTC)
    assert int(event["SEQUENCE"]) == 3
    assert str(event["URL"]) == "https://s/invoices/7/"


def test_a_fold_goes_back_to_the_start_of_a_character():
    line = "SUMMARY:" + "a" * 66 + "€uro"  # the € would straddle octet 75
    folds = folded(line).split("\r\n ")
    assert folds == ["SUMMARY:" + "a" * 66, "€uro"]
    assert all(len(part.encode()) <= 74 for part in folds[1:])
