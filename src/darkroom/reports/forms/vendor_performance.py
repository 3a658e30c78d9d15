"""The vendor performance report's filter: a range of days and a vendor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError

from darkroom.catalog.models import Vendor
from darkroom.reports.forms.common import DateRangeForm, RecordChoice
from darkroom.reports.selectors.vendor_performance import VendorPerformanceFilter


class VendorPerformanceForm(DateRangeForm):
    """The vendor performance report's filter: the days steps were left and orders finished
    (default: the last twelve months, the current one up to today), one vendor or all. An
    inverted or absurd range, or a vendor that doesn't exist, is refused beside its field."""

    vendor = RecordChoice(
        Vendor.objects.order_by("name", "pk"), "vendor", empty_label="All vendors"
    )

    def report_filter(self) -> VendorPerformanceFilter:
        """The filter of a valid form."""
        data = self.cleaned_data
        vendor = data.get("vendor")
        return VendorPerformanceFilter(
            start=data["start"], end=data["end"], vendor=None if vendor is None else int(vendor.pk)
        )


def parse_vendor_performance(
    params: Mapping[str, Any], *, today: dt.date
) -> VendorPerformanceFilter:
    """The filter a query string asks for; ``ValidationError({parameter: [message]})`` if any
    value is refused (the API answers it with 422)."""
    form = VendorPerformanceForm(params, today=today)
    if not form.is_valid():
        raise ValidationError(
            {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        )
    return form.report_filter()


def vendor_performance_params(f: VendorPerformanceFilter) -> list[tuple[str, str]]:
    """The query string that asks for ``f``: the range always (a link keeps its meaning
    tomorrow), the vendor when chosen."""
    params = [("start", f.start.isoformat()), ("end", f.end.isoformat())]
    if f.vendor is not None:
        params.append(("vendor", str(f.vendor)))
    return params
