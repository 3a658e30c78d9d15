"""The reorders report's filter: a range of order dates, a vendor, a reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError

from darkroom.catalog.models import ReorderReason, Vendor
from darkroom.reports.forms.common import (
    DateRangeForm,
    RecordChoice,
    range_day,
)
from darkroom.reports.selectors.reorders import ReordersFilter


class ReordersForm(DateRangeForm):
    """The reorders report's filter: a range of order dates (default: the last twelve months, the
    current one up to today), one vendor or all, one reason or all."""

    start = range_day("Ordered from")
    end = range_day("Ordered to", "Both days included.")
    vendor = RecordChoice(
        Vendor.objects.order_by("name", "pk"), "vendor", empty_label="All vendors"
    )
    reason = RecordChoice(
        ReorderReason.objects.order_by("description", "pk"),
        "reorder reason",
        label="Reason",
        empty_label="All reasons",
    )

    def report_filter(self) -> ReordersFilter:
        """The filter of a valid form."""
        data = self.cleaned_data
        vendor, reason = data.get("vendor"), data.get("reason")
        return ReordersFilter(
            start=data["start"],
            end=data["end"],
            vendor=None if vendor is None else int(vendor.pk),
            reason=None if reason is None else int(reason.pk),
        )


def parse_reorders(params: Mapping[str, Any], *, today: dt.date) -> ReordersFilter:
    """The reorders filter a query string asks for; ``ValidationError({parameter: [message]})``
    if any value is refused (the API answers it with 422)."""
    form = ReordersForm(params, today=today)
    if not form.is_valid():
        raise ValidationError(
            {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        )
    return form.report_filter()


def reorders_params(f: ReordersFilter) -> list[tuple[str, str]]:
    """The query string that asks for ``f``: the range always (a link keeps its meaning
    tomorrow), vendor and reason when chosen."""
    params = [("start", f.start.isoformat()), ("end", f.end.isoformat())]
    if f.vendor is not None:
        params.append(("vendor", str(f.vendor)))
    if f.reason is not None:
        params.append(("reason", str(f.reason)))
    return params
