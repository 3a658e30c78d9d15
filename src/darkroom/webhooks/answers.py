"""What a receiver's answer means for a delivery (Saleor's and Standard Webhooks' rules).

- 2xx: delivered.
- 3xx: failed for good. Redirects are never followed (a redirect could send the studio's
  events, signed, somewhere nobody chose, or into its own network); the reason says where the
  endpoint redirected to, so a person can correct its URL.
- 408, 429, 5xx, and no answer at all (refused, reset, timed out): tried again later. A
  ``Retry-After`` on 429 or 503 (seconds or an HTTP date) is honoured, up to ten hours.
- 410 Gone: the receiver says the endpoint is no more: failed, and the endpoint is disabled.
- any other 4xx: failed for good (the receiver refuses this request; sending it again changes
  nothing).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Literal

Outcome = Literal["delivered", "retry", "failed", "gone"]

# The longest wait a receiver's Retry-After may ask for (the longest step of the back-off).
LONGEST_RETRY_AFTER = timedelta(hours=10)
RETRY_STATUSES = frozenset({408, 429})
RETRY_AFTER_STATUSES = frozenset({429, 503})


@dataclass(frozen=True)
class Verdict:
    """How a try ended, the words that say so, and the wait the receiver asked for."""

    outcome: Outcome
    words: str
    retry_after: timedelta | None = None


def status_words(code: int) -> str:
    """ "503 Service Unavailable"."""
    try:
        return f"{code} {HTTPStatus(code).phrase}"
    except ValueError:
        return str(code)


def retry_after(value: str | None, *, now: datetime) -> timedelta | None:
    """The wait a ``Retry-After`` header asks for (seconds, or an HTTP date), at most
    LONGEST_RETRY_AFTER; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        wait = timedelta(seconds=int(value))
    else:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if moment.tzinfo is None:
            return None
        wait = max(moment - now, timedelta(0))
    return min(wait, LONGEST_RETRY_AFTER)


def verdict(code: int, headers: Mapping[str, str], *, now: datetime) -> Verdict:
    """What the answer ``code`` (with ``headers``) means for the delivery."""
    said = status_words(code)
    if 200 <= code < 300:
        return Verdict("delivered", f"Delivered: the endpoint answered {said}.")
    if 300 <= code < 400:
        where = headers.get("location") or "no address given"
        return Verdict(
            "failed",
            f"The endpoint answered {said}, a redirect to {where}. Redirects are not followed: "
            "change the endpoint's URL to where it redirects, if that is right.",
        )
    if code == 410:
        return Verdict("gone", f"The endpoint answered {said}: it no longer takes deliveries.")
    if code in RETRY_STATUSES or code >= 500:
        asked = (
            retry_after(headers.get("retry-after"), now=now)
            if code in RETRY_AFTER_STATUSES
            else None
        )
        return Verdict("retry", f"The endpoint answered {said}; tried again later.", asked)
    return Verdict("failed", f"The endpoint answered {said}, refusing the delivery.")
