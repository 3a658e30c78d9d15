"""Status pages opened from another record's page lead back there (``?next=``).

An order's page changes its invoice's status and due date with the invoice's own status pages;
after the change the person is back on the order, not sent to the invoice.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from darkroom.formats import format_date


def day_words(date: dt.date) -> str:
    return format_date(date)


def came_from(request: HttpRequest) -> str:
    """The page of this site to go back to after a change (``next``), or ""."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    local = wanted.startswith("/") and not wanted.startswith("//")
    return wanted if local and url_has_allowed_host_and_scheme(wanted, allowed_hosts=None) else ""


def urls_leading_back(urls: dict[str, str], back: str) -> dict[str, str]:
    """The record's status pages, each carrying ``next``; closing leads back there too."""
    if not back:
        return urls
    query = urlencode({"next": back})
    keep = {"status", "start", "due_date", "reassign"}
    return {
        **{key: f"{url}?{query}" if key in keep else url for key, url in urls.items()},
        "record": back,
    }
