"""What an invoice's production orders will be, before anything is written: its lines, the
vendors they need (a line's vendor is its override, else its item's preferred vendor), each
vendor's order type, and the lines left out with the reason.

A line with no vendor gets no detail; a vendor with no default order type (and none chosen for
it) is left out the same way with "all necessary vendors", its lines skipped with that reason:
one vendor never stops the others. Every refusal is a ValidationError naming the field.

Apart from the writing (``creation.py``) because both creation services, and the page asking
which vendors still need an order type, plan with these same functions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from darkroom.catalog.models import ProductionOrderType, Vendor, VendorProduct
from darkroom.clients.models import Invoice, InvoiceLine
from darkroom.production.services.checks import _active_vendor
from darkroom.production.services.vendor_numbers import _chunks

NO_VENDOR = "no vendor: neither the line nor its price list item names one"


@dataclass(frozen=True)
class SkippedLine:
    """An invoice line that got no detail line, and why (shown to the person who asked)."""

    line: InvoiceLine
    reason: str


@dataclass(frozen=True)
class _InvoiceOrders:
    """What one invoice's orders will be, before anything is written."""

    invoice: Invoice
    lines: list[InvoiceLine]
    vendors: list[Vendor]  # one order each, in the order their lines come
    kinds: dict[int, ProductionOrderType]  # each vendor's (by id) order type
    skipped: list[SkippedLine]


def _lines_of(invoice_ids: Sequence[int]) -> dict[int, list[InvoiceLine]]:
    """The invoices' lines in order, by invoice id, in one query per CHUNK invoices.

    Each line comes with its item, its vendor (the override, else the item's preferred vendor)
    with that vendor's default order type, and ``vendor_code``: that vendor's product code for
    the item ("" when it has none).
    """
    code = (
        VendorProduct.objects.filter(
            item_id=OuterRef("item_id"),
            vendor_id=Coalesce(
                OuterRef("vendor_override_id"), OuterRef("item__preferred_vendor_id")
            ),
        )
        .order_by()
        .values("product_code")[:1]
    )
    found: dict[int, list[InvoiceLine]] = {pk: [] for pk in invoice_ids}
    for part in _chunks(invoice_ids):
        lines = (
            InvoiceLine.objects.filter(invoice_id__in=part)
            .select_related(
                "item__preferred_vendor__default_order_type",
                "vendor_override__default_order_type",
            )
            .annotate(vendor_code=Coalesce(Subquery(code), Value("")))
        )
        for line in lines:
            found[line.invoice_id].append(line)
    return found


def _plan_vendors(
    lines: Sequence[InvoiceLine], vendor: Vendor | None, details: str
) -> tuple[list[Vendor], list[SkippedLine]]:
    """The vendors to order from, in the order their lines come, and the lines left out."""
    skipped = [SkippedLine(line, NO_VENDOR) for line in lines if line.vendor is None]
    if vendor is not None:
        _active_vendor(vendor)
        if details == "automatic" and not any(line.vendor == vendor for line in lines):
            raise ValidationError(
                {
                    "vendor": f"No line of this invoice is for “{vendor}”: choose manual details "
                    "to order from it anyway."
                }
            )
        return [vendor], skipped
    vendors: dict[int, Vendor] = {}
    for line in lines:
        if line.vendor is not None:
            vendors.setdefault(line.vendor.pk, line.vendor)
    if not vendors:
        raise ValidationError(
            {
                "vendor": "No line of this invoice has a vendor: give its items a preferred "
                "vendor, or choose one vendor and manual details."
            }
        )
    for found in vendors.values():
        if found.is_inactive:
            numbers = ", ".join(str(line.position) for line in lines if line.vendor == found)
            raise ValidationError(
                {
                    "vendor": f"“{found}” (line {numbers}) is inactive: send the line to "
                    "another vendor first."
                }
            )
    return list(vendors.values()), skipped


def _order_type_for(
    vendor: Vendor,
    order_type: ProductionOrderType | None,
    order_types: Mapping[int, ProductionOrderType] | None = None,
) -> ProductionOrderType:
    chosen = order_type or (order_types or {}).get(vendor.pk) or vendor.default_order_type
    if chosen is None:
        raise ValidationError(
            {"order_type": f"“{vendor}” has no default order type: choose the order type."}
        )
    if chosen.is_inactive:
        raise ValidationError(
            {"order_type": f"The order type “{chosen}” is inactive; choose an active one."}
        )
    return chosen


def no_order_type(vendor: Vendor) -> str:
    """Why a line of a vendor with no order type got no order."""
    return f"no order type: “{vendor}” has no default order type and none was chosen for it"


def _plan_invoice(
    invoice: Invoice,
    lines: list[InvoiceLine],
    *,
    vendor: Vendor | None = None,
    details: str = "automatic",
    order_type: ProductionOrderType | None = None,
    order_types: Mapping[int, ProductionOrderType] | None = None,
    skip_untyped: bool = False,
) -> _InvoiceOrders:
    """The invoice's orders (vendor split, order types) or the ValidationError refusing them.

    ``order_types``: the type of each vendor (by id) that has no default. ``skip_untyped``
    (all necessary vendors): a vendor still without a type is left out, its lines skipped with
    the reason, instead of refusing the others' orders; when no vendor is left, it is refused.
    """
    if not lines:
        raise ValidationError(
            {"invoice": "This invoice has no lines: add what the client ordered first."}
        )
    vendors, skipped = _plan_vendors(lines, vendor, details)
    if vendor is None and skip_untyped:
        untyped = [
            v
            for v in vendors
            if order_type is None
            and (order_types or {}).get(v.pk) is None
            and v.default_order_type is None
        ]
        if untyped and len(untyped) == len(vendors):
            names = ", ".join(f"“{v}”" for v in untyped)
            raise ValidationError(
                {"order_type": f"No order type for {names}: choose the order type of each."}
            )
        for left_out in untyped:
            vendors.remove(left_out)
            skipped += [
                SkippedLine(line, no_order_type(left_out))
                for line in lines
                if line.vendor == left_out
            ]
        skipped.sort(key=lambda s: (s.line.position, s.line.pk))
    kinds = {v.pk: _order_type_for(v, order_type, order_types) for v in vendors}
    return _InvoiceOrders(invoice, lines, vendors, kinds, skipped)


def vendors_without_order_type(invoice: Invoice) -> list[Vendor]:
    """The active vendors the invoice's lines need that have no default order type: "all
    necessary vendors" asks the order type of each (else their lines are skipped)."""
    found: dict[int, Vendor] = {}
    for line in _lines_of([invoice.pk])[invoice.pk]:
        needed = line.vendor
        if needed is not None and needed.default_order_type is None and not needed.is_inactive:
            found.setdefault(needed.pk, needed)
    return list(found.values())


def _order_types(
    given: Mapping[int, ProductionOrderType] | None,
) -> dict[int, ProductionOrderType]:
    """The order types chosen per vendor, checked: each is an active order type."""
    types: dict[int, ProductionOrderType] = {}
    for vendor_id, kind in (given or {}).items():
        if not isinstance(kind, ProductionOrderType):
            raise ValidationError({"order_types": "Choose an order type for each vendor."})
        if kind.is_inactive:
            raise ValidationError(
                {"order_types": f"The order type “{kind}” is inactive; choose an active one."}
            )
        types[vendor_id] = kind
    return types
