"""A calendar feed as iCalendar text (RFC 5545), written here rather than by a library: the
feed is a few fixed properties per event, and a studio's feed may hold thousands of them.

What the RFC asks and this does: CRLF line ends; lines folded at 75 octets (never inside a
UTF-8 character), each continuation starting with a space; TEXT values escaped (backslash,
semicolon, comma, newline) with control characters dropped; all-day events as DATE values with
DTEND the day after; DTSTAMP in UTC. There is no METHOD property: the feed is a published
calendar, so each DTSTAMP says when its record last changed, and the text stays the same while
nothing changes (what lets a calendar app's poll be answered "not modified").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator

from darkroom.feeds.selectors import FeedEntry

PRODUCT = "-//Darkroom//Calendar feeds//EN"
REFRESH = "PT1H"  # how often a calendar app should read the feed again (RFC 7986)
# Before any record changed (a record without a change time): a fixed moment, so the text of
# an unchanged feed stays the same.
NEVER_CHANGED = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
# Control characters TEXT may not hold (RFC 5545 3.3.11: any CTL but HTAB); a line break is
# escaped before this applies, and a CR (of a CRLF, or alone) is dropped.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")
_ONE_DAY = dt.timedelta(days=1)


def text(value: str) -> str:
    """A TEXT value escaped: ``\\`` ``;`` ``,`` and line breaks, control characters dropped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\n", "\\n")
    return _CONTROL.sub("", value) if _CONTROL.search(value) else value


def uri(value: str) -> str:
    """A URI value: no escaping in RFC 5545, so only characters a URI may hold are kept."""
    value = value.replace(" ", "%20")
    return _CONTROL.sub("", value) if _CONTROL.search(value) else value


def folded(line: str) -> str:
    """One content line folded at 75 octets: continuation lines start with a space (which
    counts in their 75), and a UTF-8 character is never cut in two."""
    if len(line) <= 75 and (len(line) <= 18 or line.isascii()):
        return line  # at most 75 octets: nothing to fold
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while start < len(encoded):
        end = min(start + limit, len(encoded))
        while end < len(encoded) and (encoded[end] & 0xC0) == 0x80:
            end -= 1  # back off to the start of a character
        parts.append(encoded[start:end].decode())
        start, limit = end, 74
    return "\r\n ".join(parts)


def _utc(moment: dt.datetime | None) -> str:
    m = (moment or NEVER_CHANGED).astimezone(dt.UTC)
    return f"{m.year:04d}{m.month:02d}{m.day:02d}T{m.hour:02d}{m.minute:02d}{m.second:02d}Z"


def _date(day: dt.date) -> str:
    return day.isoformat().replace("-", "")


def _event(entry: FeedEntry, domain: str, base_url: str) -> str:
    """One VEVENT, its lines folded and ended with CRLF (written whole: a feed has thousands)."""
    changed = _utc(entry.changed_at)
    return (
        f"BEGIN:VEVENT\r\n{folded(f'UID:{text(entry.uid)}@{domain}')}\r\n"
        f"DTSTAMP:{changed}\r\nLAST-MODIFIED:{changed}\r\nSEQUENCE:{entry.sequence}\r\n"
        f"DTSTART;VALUE=DATE:{_date(entry.day)}\r\n"
        f"DTEND;VALUE=DATE:{_date(entry.day + _ONE_DAY)}\r\n"
        f"{folded('SUMMARY:' + text(entry.summary))}\r\n"
        f"{folded('DESCRIPTION:' + text(entry.description))}\r\n"
        f"{folded('URL:' + uri(base_url + entry.path))}\r\n"
        # A due date marks a day; it does not make anyone busy.
        "TRANSP:TRANSPARENT\r\nEND:VEVENT\r\n"
    )


def _empty_calendar_component() -> Iterator[str]:
    """RFC 5545 asks a calendar for at least one component: a feed with nothing due holds the
    UTC time zone, which changes nothing in any calendar."""
    yield from (
        "BEGIN:VTIMEZONE",
        "TZID:UTC",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        "TZOFFSETFROM:+0000",
        "TZOFFSETTO:+0000",
        "TZNAME:UTC",
        "END:STANDARD",
        "END:VTIMEZONE",
    )


def calendar_text(entries: Iterable[FeedEntry], *, name: str, domain: str, base_url: str) -> str:
    """The whole feed: ``name`` is what calendar apps call it, ``domain`` ends every UID (so
    UIDs stay unique beside other calendars), ``base_url`` makes the records' links absolute."""
    name = " ".join(name.split())  # a calendar's name is one line
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT}",
        "CALSCALE:GREGORIAN",
        f"NAME:{text(name)}",
        f"X-WR-CALNAME:{text(name)}",
        f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}",
        f"X-PUBLISHED-TTL:{REFRESH}",
    ]
    domain = text(domain)
    events = [_event(entry, domain, base_url) for entry in entries]
    if not events:
        head.extend(_empty_calendar_component())
    return "".join(["\r\n".join(map(folded, head)), "\r\n", *events, "END:VCALENDAR\r\n"])
