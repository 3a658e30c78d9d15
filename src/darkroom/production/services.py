"""Writes of production and preproduction orders: creating them from an invoice or a session,
numbering them, reordering, and their detail lines.

An invoice's orders are made all at once or not at all (one transaction): one order per vendor
its lines need (a line's vendor is its override, else its item's preferred vendor), each of its
vendor's default order type, started in that type's cycle by the status-change service. A line
with no vendor gets no detail; the answer says which lines were skipped and why, so nothing is
left out silently. The vendor rows are locked while orders are made for them: that serialises
order numbers (each vendor counts its own) and the "already ordered" check of one invoice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Final, Literal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from darkroom.catalog.models import (
    PriceListItem,
    PriorityCode,
    ProductionOrderType,
    RenderProfile,
    ReorderReason,
    Vendor,
    VendorProduct,
)
from darkroom.clients.models import Invoice, InvoiceLine, Session
from darkroom.errors import Conflict, DarkroomError
from darkroom.production.models import (
    PreproductionOrder,
    ProductionOrder,
    ProductionOrderDetail,
)
from darkroom.studio.selectors import studio_preferences
from darkroom.tracking.models import Cycle, CycleKind, Status, cycle_scope
from darkroom.tracking.status_change import record_start, records_create_started

Details = Literal["automatic", "manual"]
DETAILS: Final = ("automatic", "manual")
NO_VENDOR = "no vendor: neither the line nor its price list item names one"
MOST_QUANTITY = 100_000

UPDATABLE = {"vendor_invoice_amount", "priority_code", "studio_notes", "vendor_notes", "number"}
DETAIL_FIELDS = {
    "item",
    "description",
    "quantity",
    "vendor_product_code",
    "render_profile",
    "image_names",
}


class DuplicateOrder(DarkroomError):
    """The invoice already has an order at this vendor; a second one must be confirmed."""

    code = "duplicate_order"
    status = 409


@dataclass(frozen=True)
class SkippedLine:
    """An invoice line that got no detail line, and why (shown to the person who asked)."""

    line: InvoiceLine
    reason: str


@dataclass(frozen=True)
class OrdersCreated:
    """What creating orders from an invoice made, and the lines it left out."""

    orders: list[ProductionOrder]
    skipped_lines: list[SkippedLine]


# -- checks shared by the services ---------------------------------------------------------------


def _order_date(value: dt.date | None) -> dt.date:
    """The order date (default the studio's today); an order isn't placed in the future."""
    today = studio_preferences().today()
    if value is None:
        return today
    if type(value) is not dt.date:
        raise ValidationError({"order_date": "Give a date (YYYY-MM-DD)."})
    if value > today:
        raise ValidationError(
            {"order_date": f"The order date can't be after today ({today:%Y-%m-%d})."}
        )
    return value


def _active_vendor(vendor: Vendor, field: str = "vendor") -> None:
    if vendor.is_inactive:
        raise ValidationError({field: f"“{vendor}” is inactive; choose an active vendor."})


def _check_cycles(order_types: Iterable[ProductionOrderType]) -> None:
    """Every order type must have a cycle with an initial status, or no order is made."""
    kinds = {kind.pk: kind for kind in order_types}
    scopes = {cycle_scope(CycleKind.PRODUCTION, pk, None): pk for pk in kinds}
    ready = set(
        Status.objects.filter(
            cycle__scope__in=scopes, is_initial=True, is_inactive=False
        ).values_list("cycle__scope", flat=True)
    )
    for scope, pk in scopes.items():
        if scope not in ready:
            known = Cycle.objects.filter(scope=scope).exists()
            what = "no initial status" if known else "no status cycle"
            raise DarkroomError(
                f"The order type “{kinds[pk]}” has {what} yet: add its statuses first.",
                code="no_initial" if known else "no_cycle",
            )


def _number_taken(vendor_id: int, number: str, *, exclude: int | None = None) -> bool:
    orders = ProductionOrder.objects.filter(vendor_id=vendor_id, number=number)
    if exclude is not None:
        orders = orders.exclude(pk=exclude)
    return orders.exists()


def _take_numbers(vendor: Vendor, count: int) -> list[str]:
    """The vendor's next ``count`` free order numbers; its counter moves past them.

    The vendor row must be locked by the caller. A number typed by hand on an earlier order is
    skipped rather than given twice.
    """
    numbers: list[str] = []
    candidate = vendor.next_order_number
    while len(numbers) < count:
        batch = [str(n) for n in range(candidate, candidate + count - len(numbers))]
        taken = set(
            ProductionOrder.objects.filter(vendor_id=vendor.pk, number__in=batch).values_list(
                "number", flat=True
            )
        )
        numbers += [n for n in batch if n not in taken]
        candidate += len(batch)
    Vendor.objects.filter(pk=vendor.pk).update(next_order_number=candidate)
    vendor.next_order_number = candidate
    return numbers


def _locked_vendors(vendor_ids: Iterable[int]) -> dict[int, Vendor]:
    """The vendors, locked in id order (two requests never wait on each other crosswise)."""
    return {v.pk: v for v in Vendor.objects.select_for_update().filter(pk__in=vendor_ids)}


# -- orders from an invoice ----------------------------------------------------------------------


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
            numbers = ", ".join(str(line.position + 1) for line in lines if line.vendor == found)
            raise ValidationError(
                {
                    "vendor": f"“{found}” (line {numbers}) is inactive: send the line to "
                    "another vendor first."
                }
            )
    return list(vendors.values()), skipped


def _order_type_for(vendor: Vendor, order_type: ProductionOrderType | None) -> ProductionOrderType:
    chosen = order_type or vendor.default_order_type
    if chosen is None:
        raise ValidationError(
            {"order_type": f"“{vendor}” has no default order type: choose the order type."}
        )
    if chosen.is_inactive:
        raise ValidationError(
            {"order_type": f"The order type “{chosen}” is inactive; choose an active one."}
        )
    return chosen


def production_orders_create(
    *,
    invoice: Invoice,
    by: AbstractBaseUser,
    vendor: Vendor | None = None,
    details: Details = "automatic",
    order_type: ProductionOrderType | None = None,
    confirm_duplicate: bool = False,
    order_date: dt.date | None = None,
) -> OrdersCreated:
    """Make the invoice's production orders: one per vendor its lines need (or ``vendor`` only).

    ``details="automatic"`` gives each order a detail line per invoice line of its vendor (item,
    description, quantity, the vendor's product code, the item's render profile); ``"manual"``
    makes orders without details. Each order takes ``order_type`` or its vendor's default type,
    a number when its vendor auto-assigns them, the invoice's client, shipping address and
    promised date, and starts in its type's cycle on ``order_date`` (default today). An invoice
    that already has an order at one of the vendors is refused (``duplicate_order``) unless
    ``confirm_duplicate``. All orders or none.
    """
    if details not in DETAILS:
        raise ValidationError({"details": "Details are “automatic” or “manual”."})
    placed = _order_date(order_date)
    lines = list(
        InvoiceLine.objects.filter(invoice_id=invoice.pk).select_related(
            "item__preferred_vendor__default_order_type",
            "vendor_override__default_order_type",
        )
    )
    if not lines:
        raise ValidationError(
            {"invoice": "This invoice has no lines: add what the client ordered first."}
        )
    vendors, skipped = _plan_vendors(lines, vendor, details)
    kinds = {v.pk: _order_type_for(v, order_type) for v in vendors}
    _check_cycles(kinds.values())
    with transaction.atomic():
        locked = _locked_vendors(kinds)
        if not confirm_duplicate:
            ordered = (
                ProductionOrder.objects.filter(invoice_id=invoice.pk, vendor_id__in=kinds)
                .order_by()  # the default ordering would make DISTINCT repeat a vendor's name
                .values_list("vendor__name", flat=True)
                .distinct()
            )
            names = sorted(ordered)
            if names:
                raise DuplicateOrder(
                    f"This invoice already has production orders at {', '.join(names)}. "
                    "Confirm to make another one anyway."
                )
        codes = dict(
            ((vp.vendor_id, vp.item_id), vp.product_code)
            for vp in VendorProduct.objects.filter(
                vendor_id__in=kinds, item_id__in={line.item_id for line in lines}
            ).only("vendor_id", "item_id", "product_code")
        )
        orders = [
            ProductionOrder(
                invoice_id=invoice.pk,
                vendor=locked[chosen.pk],
                order_type=kinds[chosen.pk],
                number=(
                    _take_numbers(locked[chosen.pk], 1)[0]
                    if locked[chosen.pk].auto_assigns_numbers
                    else None
                ),
                order_date=placed,
                promised_date=invoice.approximate_delivery_date,
                entered_by=by,
                client_id=invoice.client_id,
                shipping_address=invoice.shipping_address,
            )
            for chosen in vendors
        ]
        # Inserted already in their cycles' initial statuses, with their first history rows.
        records_create_started(records=orders, started_on=placed, by=by)
        if details == "automatic":
            ProductionOrderDetail.objects.bulk_create(
                ProductionOrderDetail(
                    order=order,
                    position=position,
                    invoice_line=line,
                    item_id=line.item_id,
                    description=line.description or line.item.description,
                    quantity=line.quantity,
                    vendor_product_code=codes.get((chosen.pk, line.item_id), ""),
                    render_profile_id=line.item.render_profile_id,
                )
                for chosen, order in zip(vendors, orders, strict=True)
                for position, line in enumerate(
                    (line for line in lines if line.vendor == chosen), start=1
                )
            )
    return OrdersCreated(orders=orders, skipped_lines=skipped)


# -- numbers and changes -------------------------------------------------------------------------


def _bump(order: ProductionOrder, expected_version: int, fields: dict[str, Any]) -> None:
    """Write ``fields`` if the order is still at ``expected_version`` (else a Conflict)."""
    written = ProductionOrder.objects.filter(pk=order.pk, version=expected_version).update(
        **fields, version=F("version") + 1
    )
    if not written:
        raise Conflict(
            "This production order was changed by someone else since you opened it. "
            "Reload it to see their change, then make yours again."
        )
    for name, value in fields.items():
        setattr(order, name, value)
    order.version = expected_version + 1


def order_number_assign(*, order: ProductionOrder) -> ProductionOrder:
    """The "#" action: give the order its vendor's next order number now."""
    with transaction.atomic():
        vendor = _locked_vendors([order.vendor_id])[order.vendor_id]
        fresh = ProductionOrder.objects.select_for_update().get(pk=order.pk)
        if fresh.number:
            raise DarkroomError(f"This order already has number {fresh.number}.", code="has_number")
        _bump(order, fresh.version, {"number": _take_numbers(vendor, 1)[0]})
    return order


def _amount(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        amount = Decimal("NaN")
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01"), rounding="ROUND_DOWN"):
        raise ValidationError(
            {"vendor_invoice_amount": "Give an amount like 12.50 (two decimals at most)."}
        )
    if amount < 0:
        raise ValidationError({"vendor_invoice_amount": "The amount must not be negative."})
    if amount >= Decimal("10000000000"):
        raise ValidationError({"vendor_invoice_amount": "The amount is too large."})
    return amount


def _number(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError({"number": "An order number is text."})
    number = value.strip()
    if len(number) > 20:
        raise ValidationError({"number": "An order number has at most 20 characters."})
    return number or None


def production_order_update(
    *, order: ProductionOrder, expected_version: int, **fields: Any
) -> ProductionOrder:
    """Change what the studio records on an order: the vendor's invoice amount, priority code,
    notes and order number (unique per vendor). Status, department and user change through the
    status-change service. A stale ``expected_version`` is a Conflict; nothing is written."""
    unknown = sorted(set(fields) - UPDATABLE)
    if unknown:
        raise ValidationError({name: "This can't be changed here." for name in unknown})
    changes: dict[str, Any] = {}
    if "vendor_invoice_amount" in fields:
        changes["vendor_invoice_amount"] = _amount(fields["vendor_invoice_amount"])
    if "priority_code" in fields:
        code = fields["priority_code"]
        if code is not None and not isinstance(code, PriorityCode):
            raise ValidationError({"priority_code": "Choose a priority code."})
        if code is not None and code.is_inactive and code.pk != order.priority_code_id:
            raise ValidationError({"priority_code": f"“{code}” is inactive; choose another."})
        changes["priority_code"] = code
    for name in ("studio_notes", "vendor_notes"):
        if name in fields:
            value = fields[name] if fields[name] is not None else ""
            if not isinstance(value, str) or "\x00" in value:
                raise ValidationError({name: "Notes are plain text."})
            changes[name] = value
    with transaction.atomic():
        if "number" in fields:
            number = _number(fields["number"])
            _locked_vendors([order.vendor_id])
            if number is not None and _number_taken(order.vendor_id, number, exclude=order.pk):
                raise ValidationError(
                    {"number": f"“{order.vendor}” already has an order numbered {number}."}
                )
            changes["number"] = number
        _bump(order, expected_version, changes)
    return order


def production_order_reorder(
    *,
    order: ProductionOrder,
    reason: ReorderReason,
    by: AbstractBaseUser,
    order_date: dt.date | None = None,
) -> ProductionOrder:
    """Redo an order: a new order linked to it, same vendor, type and details, with the reason
    (non-chargeable when the vendor was at fault), started in its cycle."""
    if reason is None or not isinstance(reason, ReorderReason):
        raise ValidationError({"reason": "Choose why the order is redone."})
    if reason.is_inactive:
        raise ValidationError({"reason": f"“{reason}” is inactive; choose another reason."})
    placed = _order_date(order_date)
    original = ProductionOrder.objects.select_related("vendor", "order_type").get(pk=order.pk)
    _active_vendor(original.vendor)
    if original.order_type.is_inactive:
        raise ValidationError(
            {"order_type": f"The order type “{original.order_type}” is inactive."}
        )
    _check_cycles([original.order_type])
    with transaction.atomic():
        vendor = _locked_vendors([original.vendor_id])[original.vendor_id]
        again = ProductionOrder(
            invoice_id=original.invoice_id,
            vendor=vendor,
            order_type=original.order_type,
            number=_take_numbers(vendor, 1)[0] if vendor.auto_assigns_numbers else None,
            order_date=placed,
            promised_date=original.promised_date,
            entered_by=by,
            client_id=original.client_id,
            shipping_address=original.shipping_address,
            priority_code_id=original.priority_code_id,
            reorder_of=original,
            reorder_reason=reason,
            vendor_notes=original.vendor_notes,
        )
        again.save(force_insert=True)
        ProductionOrderDetail.objects.bulk_create(
            ProductionOrderDetail(
                order=again,
                position=detail.position,
                invoice_line_id=detail.invoice_line_id,
                item_id=detail.item_id,
                description=detail.description,
                quantity=detail.quantity,
                vendor_product_code=detail.vendor_product_code,
                render_profile_id=detail.render_profile_id,
                image_names=detail.image_names,
            )
            for detail in original.details.all()
        )
        record_start(record=again, started_on=placed, by=by)
    return again


# -- detail lines --------------------------------------------------------------------------------


def _check_detail(detail: ProductionOrderDetail) -> None:
    errors: dict[str, str] = {}
    if not isinstance(detail.quantity, int) or isinstance(detail.quantity, bool):
        errors["quantity"] = "The quantity is a whole number."
    elif not 1 <= detail.quantity <= MOST_QUANTITY:
        errors["quantity"] = f"The quantity is between 1 and {MOST_QUANTITY:,}."
    try:
        detail.full_clean(exclude=["order", "item", "render_profile", "invoice_line", "quantity"])
    except ValidationError as exc:
        errors.update({f: " ".join(m) for f, m in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)


def production_order_detail_add(
    *,
    order: ProductionOrder,
    item: PriceListItem,
    quantity: int = 1,
    description: str = "",
    vendor_product_code: str | None = None,
    render_profile: RenderProfile | None = None,
    image_names: str = "",
) -> ProductionOrderDetail:
    """Add a line to an order (manual details). The vendor's code and the render profile default
    to the vendor's product code for the item and the item's profile."""
    if item.is_inactive:
        raise ValidationError({"item": f"“{item}” is inactive; choose an active item."})
    if vendor_product_code is None:
        vendor_product_code = (
            VendorProduct.objects.filter(vendor_id=order.vendor_id, item_id=item.pk)
            .values_list("product_code", flat=True)
            .first()
            or ""
        )
    if render_profile is not None and render_profile.is_inactive:
        raise ValidationError({"render_profile": f"“{render_profile}” is inactive."})
    with transaction.atomic():
        last = (
            ProductionOrderDetail.objects.filter(order_id=order.pk)
            .order_by("-position")
            .values_list("position", flat=True)
            .first()
        )
        detail = ProductionOrderDetail(
            order=order,
            position=(last or 0) + 1,
            item=item,
            description=(description or "").strip() or item.description,
            quantity=quantity,
            vendor_product_code=(vendor_product_code or "").strip(),
            render_profile=render_profile if render_profile is not None else item.render_profile,
            image_names=image_names or "",
        )
        _check_detail(detail)
        detail.save(force_insert=True)
    return detail


def production_order_detail_update(
    *, detail: ProductionOrderDetail, **fields: Any
) -> ProductionOrderDetail:
    """Change a detail line's item, description, quantity, vendor's code, profile or images."""
    unknown = sorted(set(fields) - DETAIL_FIELDS)
    if unknown:
        raise ValidationError({name: "This can't be changed here." for name in unknown})
    item = fields.get("item")
    if "item" in fields and (item is None or (item.is_inactive and item.pk != detail.item_id)):
        raise ValidationError({"item": "Choose an active item."})
    profile = fields.get("render_profile")
    if profile is not None and profile.is_inactive and profile.pk != detail.render_profile_id:
        raise ValidationError({"render_profile": f"“{profile}” is inactive."})
    with transaction.atomic():
        fresh = ProductionOrderDetail.objects.select_for_update().get(pk=detail.pk)
        for name, value in fields.items():
            setattr(fresh, name, value.strip() if isinstance(value, str) else value)
        _check_detail(fresh)
        fresh.save(update_fields=list(fields))
    for name in fields:
        setattr(detail, name, getattr(fresh, name))
    return detail


def production_order_detail_delete(*, detail: ProductionOrderDetail) -> None:
    """Remove a detail line entered by mistake (the order keeps its other lines)."""
    ProductionOrderDetail.objects.filter(pk=detail.pk).delete()


# -- preproduction orders ------------------------------------------------------------------------


def preproduction_order_create(
    *,
    session: Session,
    vendor: Vendor,
    by: AbstractBaseUser,
    number: str | None = None,
    order_date: dt.date | None = None,
    notes: str = "",
) -> PreproductionOrder:
    """Send a session's proofs out: an order at ``vendor``, started in the preproduction cycle.

    Without a ``number`` a vendor that auto-assigns numbers gives its next one.
    """
    _active_vendor(vendor)
    placed = _order_date(order_date)
    given = _number(number)
    if not isinstance(notes, str) or "\x00" in notes:
        raise ValidationError({"notes": "Notes are plain text."})
    with transaction.atomic():
        locked = _locked_vendors([vendor.pk])[vendor.pk]
        if given is None and locked.auto_assigns_numbers:
            given = _take_numbers(locked, 1)[0]
        order = PreproductionOrder(
            session=session,
            vendor=locked,
            number=given,
            order_date=placed,
            entered_by=by,
            notes=notes.strip(),
        )
        order.save(force_insert=True)
        record_start(record=order, started_on=placed, by=by)
    return order
