"""The time-in-status report's filter: a cycle, an order type or vendor, a range of months."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError

from darkroom.catalog.models import ProductionOrderType, Vendor
from darkroom.reports.forms.common import DateRangeForm, RecordChoice, range_day
from darkroom.reports.selectors.time_in_status import HAS_VENDOR, TimeInStatusFilter
from darkroom.tracking.models import Cycle, CycleKind


def default_cycle() -> Cycle | None:
    """The cycle the report opens on: the first production cycle by name (orders are what a
    studio asks this of), else the first cycle; None when the studio has none."""
    cycles = Cycle.objects.order_by("name", "pk")
    return cycles.filter(kind=CycleKind.PRODUCTION).first() or cycles.first()


class TimeInStatusForm(DateRangeForm):
    """The time-in-status report's filter: a cycle (default :func:`default_cycle`; an order
    type alone picks its own cycle), one order type or vendor or all, and a range (default: the
    last twelve months), read in whole months. An order type is a production cycle's own, and
    only orders have vendors: another choice is refused with the reason."""

    start = range_day("Left from", "Read in whole months.")
    end = range_day("Left to", "Both months included.")
    cycle = RecordChoice(Cycle.objects.order_by("kind", "name", "pk"), "cycle")
    order_type = RecordChoice(
        ProductionOrderType.objects.order_by("name", "pk"),
        "order type",
        label="Order type",
        empty_label="All order types",
    )
    vendor = RecordChoice(
        Vendor.objects.order_by("name", "pk"), "vendor", empty_label="All vendors"
    )

    def __init__(self, data: Mapping[str, Any], *, today: dt.date) -> None:
        filled = dict(data.items())
        if (
            not str(filled.get("cycle") or "").strip()
            and not str(filled.get("order_type") or "").strip()
        ):
            found = default_cycle()
            if found is not None:
                filled["cycle"] = str(found.pk)
        super().__init__(filled, today=today)
        self.fields["cycle"].empty_label = None if filled.get("cycle") else "Choose a cycle"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        cycle, order_type, vendor = data.get("cycle"), data.get("order_type"), data.get("vendor")
        if "cycle" in self.errors or "order_type" in self.errors:
            return data
        if cycle is None and order_type is not None:
            cycle = Cycle.objects.filter(kind=CycleKind.PRODUCTION, order_type=order_type).first()
            if cycle is None:
                self.add_error("order_type", f"{order_type.name} orders have no cycle yet.")
                return data
            data["cycle"] = cycle
        if cycle is None:
            self.add_error("cycle", "The studio has no status cycles yet: add one first.")
            return data
        if order_type is not None and cycle.order_type_id != order_type.pk:
            self.add_error(
                "order_type",
                f"{order_type.name} orders don't follow the {cycle.name} cycle: "
                "choose their cycle or all order types.",
            )
        if vendor is not None and cycle.kind not in HAS_VENDOR:
            self.add_error(
                "vendor",
                f"The {cycle.name} cycle's records have no vendor: choose all vendors.",
            )
        return data

    def report_filter(self) -> TimeInStatusFilter:
        """The filter of a valid form."""
        data = self.cleaned_data
        order_type, vendor = data.get("order_type"), data.get("vendor")
        return TimeInStatusFilter(
            cycle=int(data["cycle"].pk),
            start=data["start"],
            end=data["end"],
            order_type=None if order_type is None else int(order_type.pk),
            vendor=None if vendor is None else int(vendor.pk),
        )


def parse_time_in_status(params: Mapping[str, Any], *, today: dt.date) -> TimeInStatusFilter:
    """The filter a query string asks for; ``ValidationError({parameter: [message]})`` if any
    value is refused (the API answers it with 422)."""
    form = TimeInStatusForm(params, today=today)
    if not form.is_valid():
        raise ValidationError(
            {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        )
    return form.report_filter()


def time_in_status_params(f: TimeInStatusFilter) -> list[tuple[str, str]]:
    """The query string that asks for ``f``: cycle and range always, the others when chosen."""
    params = [
        ("cycle", str(f.cycle)),
        ("start", f.start.isoformat()),
        ("end", f.end.isoformat()),
    ]
    if f.order_type is not None:
        params.append(("order_type", str(f.order_type)))
    if f.vendor is not None:
        params.append(("vendor", str(f.vendor)))
    return params
