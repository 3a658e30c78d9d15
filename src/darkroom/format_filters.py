"""Template filters for the studio's one way of writing dates and money (``darkroom/formats.py``),
available in every template without ``{% load %}``:

- ``{{ order.promised_date|studio_date }}`` → "Dec 5, 2026" (or "05.12.2026" in de-DE)
- ``{{ note.changed_at|studio_datetime }}`` → "Dec 5, 2026, 2:30 PM"
- ``{{ invoice.total|money }}`` → "$1,234.50" (or "1.234,50 €")

Each gives "" for None, so ``|default:"—"`` says what is missing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

from darkroom.formats import format_date, format_datetime, format_money

register = template.Library()


@register.filter
def studio_date(value: Any) -> str:
    if not isinstance(value, dt.date):
        return ""
    return format_date(value)


@register.filter
def studio_datetime(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    return format_date(value) if isinstance(value, dt.date) else ""


@register.filter
def money(value: Any) -> str:
    if value is None or value == "":
        return ""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ""
    return format_money(amount) if amount.is_finite() else ""
