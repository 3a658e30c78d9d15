"""Reads of production and preproduction orders, shared by the pages and the API."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from darkroom.production.models import PreproductionOrder, ProductionOrder, ProductionOrderDetail

ORDER_RELATIONS = (
    "vendor",
    "order_type",
    "client",
    "entered_by",
    "priority_code",
    "reorder_reason",
    "status",
    "status_department",
    "status_user",
)


def _with_details(orders: QuerySet[ProductionOrder]) -> QuerySet[ProductionOrder]:
    details = ProductionOrderDetail.objects.select_related("item", "render_profile")
    return orders.select_related(*ORDER_RELATIONS).prefetch_related(
        Prefetch("details", queryset=details)
    )


def production_order_list(
    *, invoice: int | None = None, vendor: int | None = None, number: str | None = None
) -> QuerySet[ProductionOrder]:
    """Orders, newest first, narrowed to an invoice, a vendor and/or an order number."""
    orders = ProductionOrder.objects.all()
    if invoice is not None:
        orders = orders.filter(invoice_id=invoice)
    if vendor is not None:
        orders = orders.filter(vendor_id=vendor)
    if number is not None and number.strip():
        orders = orders.filter(number=number.strip())
    return _with_details(orders).order_by("-order_date", "-id")


def production_order_detail(*, pk: int) -> ProductionOrder:
    """One order with everything its page shows (DoesNotExist when there is none)."""
    return _with_details(ProductionOrder.objects.all()).get(pk=pk)


def preproduction_order_detail(*, pk: int) -> PreproductionOrder:
    return PreproductionOrder.objects.select_related(
        "vendor", "session", "entered_by", "status", "status_department", "status_user"
    ).get(pk=pk)
