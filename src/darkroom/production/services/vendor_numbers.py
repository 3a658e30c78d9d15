"""The vendor's own order numbers (``vendor_number``): the vendor knows an order by it alone,
so it is unique per vendor across its production and proof orders.

A vendor that auto-assigns numbers gives each new order its next one from its own count
(``next_order_number``); a number typed by hand on an earlier order is skipped, never given
twice. The vendor rows are locked (in id order) while numbers are taken or typed: that
serialises the count and the "already taken" check. The studio's own number, one count for
every order, is ``production/numbers.py``.

Apart because creation, the "#" action, reorders, order changes and proof orders all take or
check these numbers. ``_chunks`` cuts long IN lists for SQLite, here and for the invoices'
plans and orders.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Q

from darkroom.catalog.models import Vendor
from darkroom.database_limits import MOST_PARAMETERS
from darkroom.errors import duplicate_value
from darkroom.production.models import PreproductionOrder, ProductionOrder

_T = TypeVar("_T")


def vendor_number_taken(
    vendor_id: int,
    number: str,
    *,
    production: int | None = None,
    proof: int | None = None,
) -> bool:
    """Whether one of the vendor's production or proof orders (other than ``production`` /
    ``proof``, the order being changed) has this vendor's number: the vendor knows an order
    by it alone."""
    orders = ProductionOrder.objects.filter(vendor_id=vendor_id, vendor_number=number)
    proofs = PreproductionOrder.objects.filter(vendor_id=vendor_id, vendor_number=number)
    return orders.exclude(pk=production or 0).exists() or proofs.exclude(pk=proof or 0).exists()


def _next_numbers(wanted: Sequence[tuple[Vendor, int]]) -> dict[int, list[str]]:
    """Each vendor's next ``count`` free vendor's numbers, by vendor id; the counters move past.

    The vendor rows must be locked by the caller. A number typed by hand on an earlier order is
    skipped rather than given twice: one probe for all the vendors' candidates (per CHUNK of
    them), again only when a typed number was in the way, and one UPDATE per vendor.
    """
    numbers: dict[int, list[str]] = {vendor.pk: [] for vendor, _ in wanted}
    counts = {vendor.pk: count for vendor, count in wanted}
    candidates = {vendor.pk: vendor.next_order_number for vendor, _ in wanted}
    while short := {
        pk: counts[pk] - len(numbers[pk]) for pk in counts if len(numbers[pk]) < counts[pk]
    }:
        batches = {
            pk: [str(n) for n in range(candidates[pk], candidates[pk] + missing)]
            for pk, missing in short.items()
        }
        pairs = [(pk, number) for pk, batch in batches.items() for number in batch]
        taken: set[tuple[int, str | None]] = set()
        for part in _chunks(pairs):
            wanted_here = Q()
            for pk in {pk for pk, _ in part}:
                wanted_here |= Q(vendor_id=pk, vendor_number__in=[n for v, n in part if v == pk])
            for model in (ProductionOrder, PreproductionOrder):
                taken.update(
                    model.objects.filter(wanted_here)
                    .order_by()
                    .values_list("vendor_id", "vendor_number")
                )
        for pk, batch in batches.items():
            numbers[pk] += [n for n in batch if (pk, n) not in taken]
            candidates[pk] += len(batch)
    for vendor, _ in wanted:
        Vendor.objects.filter(pk=vendor.pk).update(next_order_number=candidates[vendor.pk])
        vendor.next_order_number = candidates[vendor.pk]
    return numbers


def _take_numbers(vendor: Vendor, count: int) -> list[str]:
    """The vendor's next ``count`` free vendor's numbers (see :func:`_next_numbers`)."""
    return _next_numbers([(vendor, count)])[vendor.pk]


def _locked_vendors(vendor_ids: Iterable[int]) -> dict[int, Vendor]:
    """The vendors, locked in id order (two requests never wait on each other crosswise)."""
    return {
        v.pk: v
        for v in Vendor.objects.select_for_update().filter(pk__in=set(vendor_ids)).order_by("pk")
    }


CHUNK = MOST_PARAMETERS  # ids per IN (...)


def _chunks(values: Sequence[_T]) -> Iterator[Sequence[_T]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _number(value: object, field: str = "vendor_number") -> str | None:
    """A vendor's number as typed: trimmed, at most 20 characters, empty for none."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError({field: "A vendor's order number is text."})
    number = value.strip()
    if len(number) > 20:
        raise ValidationError({field: "A vendor's order number has at most 20 characters."})
    return number or None


def vendor_number_change(order: ProductionOrder | PreproductionOrder, value: object) -> str | None:
    """The vendor's number to write on ``order`` (call inside the writing transaction): the
    vendor row is locked so two people typing the same number can't both keep it."""
    number = _number(value)
    _locked_vendors([order.vendor_id])
    mine = {"production" if isinstance(order, ProductionOrder) else "proof": order.pk}
    if number is not None and vendor_number_taken(order.vendor_id, number, **mine):
        taken = f"“{order.vendor}” already has an order with its number {number}."
        raise ValidationError({"vendor_number": duplicate_value(taken)})
    return number
