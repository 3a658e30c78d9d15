"""Reads of production and preproduction orders, shared by the pages and the API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from darkroom.clients.models import Invoice
from darkroom.production.models import PreproductionOrder, ProductionOrder, ProductionOrderDetail
from darkroom.tracking.standing import Standing, standings

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


# -- the orders of a client, a session or an invoice ---------------------------------------------

FINISHED_SHOWN = 20  # a record's page shows its latest finished orders; the list has the rest


@dataclass(frozen=True)
class OrderRow:
    """One production or proof order as a client, session or invoice page (and the API) shows
    it: what it is, where it stands, and the same overdue / at-risk rule as the hub."""

    kind: str  # "production" | "preproduction"
    order: ProductionOrder | PreproductionOrder
    order_type: str  # "Album", or "Proofs" for a proof order
    invoice_id: int | None
    standing: Standing

    @property
    def finished(self) -> bool:
        return self.order.completed_date is not None

    @property
    def id(self) -> int:
        return self.order.pk


@dataclass(frozen=True)
class OrdersOf:
    """A record's orders: every open one, then the latest finished ones (``more_finished``: the
    all-orders list has older ones)."""

    open: list[OrderRow]
    finished: list[OrderRow]
    more_finished: bool

    @property
    def rows(self) -> list[OrderRow]:
        return [*self.open, *self.finished]


PROOFS = "Proofs"


def _orders_scope(
    client: int | None, session: int | None, invoice: Invoice | None
) -> tuple[Q, Q | None]:
    """Which production orders and proof orders belong to the record (None: no proof orders)."""
    if client is not None:
        return Q(client_id=client), Q(session__client_id=client)
    if session is not None:
        return Q(invoice__session_id=session), Q(session_id=session)
    assert invoice is not None
    proofs = Q(session_id=invoice.session_id) if invoice.session_id else None
    return Q(invoice_id=invoice.pk), proofs


def _row(order: ProductionOrder | PreproductionOrder, found: Standing) -> OrderRow:
    production = isinstance(order, ProductionOrder)
    return OrderRow(
        kind="production" if production else "preproduction",
        order=order,
        order_type=order.order_type.name if isinstance(order, ProductionOrder) else PROOFS,
        invoice_id=order.invoice_id if isinstance(order, ProductionOrder) else None,
        standing=found,
    )


def order_rows(
    orders: list[ProductionOrder | PreproductionOrder], *, today: dt.date | None = None
) -> list[OrderRow]:
    """Orders of either kind (vendor, order type, status loaded) as rows, in the order given:
    one query (the calendar key) for all of them."""
    return [_row(o, found) for o, found in zip(orders, standings(orders, today=today), strict=True)]


def orders_of(
    *,
    client: int | None = None,
    session: int | None = None,
    invoice: Invoice | None = None,
    include_finished: bool = True,
    finished_limit: int = FINISHED_SHOWN,
    today: dt.date | None = None,
) -> OrdersOf:
    """The production and proof orders of one client, session or invoice (give one).

    Open orders soonest due first (every one: a record has a handful open), then the
    ``finished_limit`` latest finished ones, newest first. Five queries at most whatever the
    number of orders: open and finished of each table, and the calendar key.
    """
    if [client, session, invoice].count(None) != 2:
        raise TypeError("Give one of client, session or invoice.")
    production_scope, proof_scope = _orders_scope(client, session, invoice)
    production = ProductionOrder.objects.filter(production_scope).select_related(
        "vendor", "order_type", "status", "client"
    )
    proofs = (
        PreproductionOrder.objects.filter(proof_scope).select_related(
            "vendor", "status", "session__client"
        )
        if proof_scope is not None
        else PreproductionOrder.objects.none()
    )
    open_orders: list[Any] = [
        *production.filter(completed_date__isnull=True),
        *proofs.filter(completed_date__isnull=True),
    ]
    open_orders.sort(key=_open_order)
    done: list[Any] = []
    more = False
    if include_finished and finished_limit > 0:
        newest = ("-completed_date", "-id")
        done = [
            *production.filter(completed_date__isnull=False).order_by(*newest)[
                : finished_limit + 1
            ],
            *proofs.filter(completed_date__isnull=False).order_by(*newest)[: finished_limit + 1],
        ]
        done.sort(key=lambda o: (o.completed_date, o.pk), reverse=True)
        more = len(done) > finished_limit
        done = done[:finished_limit]
    rows = order_rows([*open_orders, *done], today=today)
    return OrdersOf(
        open=rows[: len(open_orders)], finished=rows[len(open_orders) :], more_finished=more
    )


def _open_order(order: ProductionOrder | PreproductionOrder) -> tuple[Any, ...]:
    """Soonest due first; not started (no due date) last; production before proofs; by id."""
    due = order.status_due_date
    return (due is None, due or dt.date.min, isinstance(order, PreproductionOrder), order.pk)
