"""Redoing a production order: a new order linked to the first, same vendor, type and detail
lines, with the reason (non-chargeable when the vendor was at fault), started in its cycle.

Apart because a reorder is made from an order, not from an invoice: it copies what was ordered
rather than planning it again from the invoice's lines.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from darkroom.catalog.models import ReorderReason
from darkroom.production.models import ProductionOrder, ProductionOrderDetail
from darkroom.production.numbers import order_numbers_take
from darkroom.production.services.checks import _active_vendor, _check_cycles, _order_date
from darkroom.production.services.vendor_numbers import _locked_vendors, _take_numbers
from darkroom.tracking.services import record_start


def production_order_reorder(
    *,
    order: ProductionOrder,
    reason: ReorderReason,
    by: User,
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
            number=order_numbers_take(1)[0],
            vendor_number=_take_numbers(vendor, 1)[0] if vendor.auto_assigns_numbers else None,
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
                notes=detail.notes,
            )
            for detail in original.details.all()
        )
        record_start(record=again, started_on=placed, by=by)
    return again
