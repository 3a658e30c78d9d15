"""Making production orders from invoices: one invoice (``production_orders_create``) or many at
once (``production_orders_create_many``).

An invoice's orders are made all at once or not at all (one transaction): one order per vendor
its lines need, each of its vendor's default order type, started in that type's cycle by the
status-change service. The plan (vendors, order types, skipped lines) is ``invoice_plans.py``;
the answer says which lines were skipped and why, so nothing is left out silently.

Every order takes the studio's next order number when it is made (``production/numbers.py``: one
count for production and proof orders, so a number names one order studio-wide). A vendor that
auto-assigns numbers also gives the order its own next number (``vendor_numbers.py``). The
vendor rows are locked while orders are made for them: that serialises the vendors' counts and
the "already ordered" check of one invoice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from darkroom.catalog.models import ProductionOrderType, Vendor
from darkroom.clients.models import Invoice
from darkroom.errors import DarkroomError
from darkroom.production.models import ProductionOrder, ProductionOrderDetail
from darkroom.production.numbers import order_numbers_take
from darkroom.production.services.checks import _check_cycles, _cycle_problems, _order_date
from darkroom.production.services.invoice_plans import (
    SkippedLine,
    _InvoiceOrders,
    _lines_of,
    _order_types,
    _plan_invoice,
)
from darkroom.production.services.vendor_numbers import _chunks, _locked_vendors, _next_numbers
from darkroom.tracking.services import records_create_started
from darkroom.tracking.status_rows import insert_rows

Details = Literal["automatic", "manual"]
DETAILS: Final = ("automatic", "manual")


class DuplicateOrder(DarkroomError):
    """The invoice already has an order at this vendor; a second one must be confirmed."""

    code = "duplicate_order"
    status = 409


@dataclass(frozen=True)
class OrdersCreated:
    """What creating orders from an invoice made, and the lines it left out."""

    orders: list[ProductionOrder]
    skipped_lines: list[SkippedLine]


def orders_created_message(created: OrdersCreated) -> str:
    """What creating orders did, in one sentence: each order with its vendor and number, and
    how many lines were skipped (their reasons are listed beside it)."""
    made = "; ".join(f"#{order.number} at {order.vendor}" for order in created.orders)
    count = len(created.orders)
    text = f"Made {count} order{'s' if count != 1 else ''}" + (f": {made}." if made else ".")
    skipped = len(created.skipped_lines)
    if skipped:
        text += f" {skipped} line{'s' if skipped != 1 else ''} got no order (see skipped_lines)."
    return text


def _already_ordered(plans: Sequence[_InvoiceOrders]) -> dict[int, list[str]]:
    """The invoices (by id) that already have orders at one of their planned vendors: the
    names of those vendors, sorted."""
    vendor_ids = {pk for plan in plans for pk in plan.kinds}
    planned = {plan.invoice.pk: plan.kinds for plan in plans}
    found: dict[int, set[str]] = {}
    for part in _chunks(list(planned)):
        rows = (
            ProductionOrder.objects.filter(invoice_id__in=part, vendor_id__in=vendor_ids)
            .order_by()  # the default ordering would make DISTINCT repeat a vendor's name
            .values_list("invoice_id", "vendor_id", "vendor__name")
            .distinct()
        )
        for invoice_id, vendor_id, name in rows:
            if vendor_id in planned[invoice_id]:
                found.setdefault(invoice_id, set()).add(name)
    return {pk: sorted(names) for pk, names in found.items()}


def _orders_write(
    plans: Sequence[_InvoiceOrders],
    *,
    by: User,
    placed: dt.date,
    details: str,
    duplicates: Callable[[_InvoiceOrders, list[str]], DarkroomError] | None,
) -> list[OrdersCreated]:
    """Write the planned orders in one transaction: all of them or none.

    Locks the vendors (their numbers and the duplicate check are serialised per vendor), refuses
    an invoice already ordered at one of its vendors with ``duplicates(plan, names)`` (None: don't
    check), numbers the orders of vendors that auto-assign in the plans' order, inserts the
    orders started in their cycles with their first history rows, then their detail lines.
    """
    with transaction.atomic():
        locked = _locked_vendors(pk for plan in plans for pk in plan.kinds)
        if duplicates is not None:
            ordered = _already_ordered(plans)
            for plan in plans:
                if plan.invoice.pk in ordered:
                    raise duplicates(plan, ordered[plan.invoice.pk])
        wanted: dict[int, int] = {}
        for plan in plans:
            for chosen in plan.vendors:
                if locked[chosen.pk].auto_assigns_numbers:
                    wanted[chosen.pk] = wanted.get(chosen.pk, 0) + 1
        numbers = {
            pk: iter(given)
            for pk, given in _next_numbers([(locked[pk], n) for pk, n in wanted.items()]).items()
        }
        ours = iter(order_numbers_take(sum(len(plan.vendors) for plan in plans)))
        orders = [
            ProductionOrder(
                invoice_id=plan.invoice.pk,
                vendor=locked[chosen.pk],
                order_type=plan.kinds[chosen.pk],
                number=next(ours),
                vendor_number=next(numbers[chosen.pk]) if chosen.pk in numbers else None,
                order_date=placed,
                promised_date=plan.invoice.approximate_delivery_date,
                entered_by=by,
                client_id=plan.invoice.client_id,
                shipping_address=plan.invoice.shipping_address,
            )
            for plan in plans
            for chosen in plan.vendors
        ]
        # Inserted already in their cycles' initial statuses, with their first history rows.
        records_create_started(records=orders, started_on=placed, by=by)
        made = iter(orders)
        answers = [
            OrdersCreated(orders=[next(made) for _ in plan.vendors], skipped_lines=plan.skipped)
            for plan in plans
        ]
        if details == "automatic":
            insert_rows(
                [
                    ProductionOrderDetail(
                        order_id=order.pk,
                        position=position,
                        invoice_line_id=line.pk,
                        item_id=line.item_id,
                        description=line.description or line.item.description,
                        quantity=line.quantity,
                        # Annotated on each line by invoice_plans._lines_of (a subquery).
                        vendor_product_code=line.vendor_code,  # type: ignore[attr-defined]
                        render_profile_id=line.item.render_profile_id,
                    )
                    for plan, answer in zip(plans, answers, strict=True)
                    for chosen, order in zip(plan.vendors, answer.orders, strict=True)
                    for position, line in enumerate(
                        (line for line in plan.lines if line.vendor == chosen), start=1
                    )
                ],
                ids=False,  # the answer names the orders, not their lines
            )
    return answers


def production_orders_create(
    *,
    invoice: Invoice,
    by: User,
    vendor: Vendor | None = None,
    details: Details = "automatic",
    order_type: ProductionOrderType | None = None,
    order_types: Mapping[int, ProductionOrderType] | None = None,
    confirm_duplicate: bool = False,
    order_date: dt.date | None = None,
) -> OrdersCreated:
    """Make the invoice's production orders: one per vendor its lines need (or ``vendor`` only).

    ``details="automatic"`` gives each order a detail line per invoice line of its vendor (item,
    description, quantity, the vendor's product code, the item's render profile); ``"manual"``
    makes orders without details. Each order takes ``order_type``, else the type given for its
    vendor in ``order_types`` (vendor id → type), else its vendor's default type; with all
    necessary vendors, a vendor with none of those is left out and its lines are skipped with
    that reason (the other vendors' orders are made). Each order takes the studio's next number,
    the vendor's next number when its vendor auto-assigns them, the invoice's client, shipping
    address and promised date, and starts in its type's cycle on ``order_date`` (default today).
    An invoice that already has an order at one of the vendors is refused (``duplicate_order``)
    unless ``confirm_duplicate``. All orders or none.
    """
    if details not in DETAILS:
        raise ValidationError({"details": "Details are “automatic” or “manual”."})
    placed = _order_date(order_date)
    plan = _plan_invoice(
        invoice,
        _lines_of([invoice.pk])[invoice.pk],
        vendor=vendor,
        details=details,
        order_type=order_type,
        order_types=_order_types(order_types),
        skip_untyped=True,
    )
    _check_cycles(plan.kinds.values())

    def refused(plan: _InvoiceOrders, names: list[str]) -> DarkroomError:
        return DuplicateOrder(
            f"This invoice already has production orders at {', '.join(names)}. "
            "Confirm to make another one anyway."
        )

    return _orders_write(
        [plan],
        by=by,
        placed=placed,
        details=details,
        duplicates=None if confirm_duplicate else refused,
    )[0]


def production_orders_create_many(
    *, invoices: Iterable[Invoice], by: User, order_date: dt.date | None = None
) -> list[OrdersCreated]:
    """Make the production orders of many invoices at once: for each, what
    ``production_orders_create(invoice=…)`` makes with its defaults (one order per vendor its
    lines need, each vendor's default order type, automatic details), in the invoices' order.

    All invoices' orders or none: one refused invoice refuses the call, naming the invoice and
    why (ValidationError on ``invoices``, or the DarkroomError of its order type's cycle), and
    nothing is written. An invoice already ordered at one of its vendors is refused
    (``duplicate_order``; order it on its own to confirm another order), as is an invoice given
    twice. Orders of a vendor that auto-assigns numbers are numbered in the invoices' order. The
    whole batch takes a handful of statements (per CHUNK invoices), not a handful per invoice.
    """
    invoices = list(invoices)
    placed = _order_date(order_date)
    seen: set[int] = set()
    for invoice in invoices:
        if invoice.pk in seen:
            raise ValidationError({"invoices": f"{invoice} is given twice."})
        seen.add(invoice.pk)
    if not invoices:
        return []
    lines = _lines_of([invoice.pk for invoice in invoices])
    plans = []
    for invoice in invoices:
        try:
            plans.append(_plan_invoice(invoice, lines[invoice.pk]))
        except ValidationError as exc:
            raise ValidationError(
                {"invoices": [f"{invoice}: {message}" for message in exc.messages]}
            ) from exc
    problems = _cycle_problems(kind for plan in plans for kind in plan.kinds.values())
    for plan in plans:
        for kind in plan.kinds.values():
            if kind.pk in problems:
                problem = problems[kind.pk]
                raise DarkroomError(f"{plan.invoice}: {problem.message}", code=problem.code)

    def refused(plan: _InvoiceOrders, names: list[str]) -> DarkroomError:
        return DuplicateOrder(
            f"{plan.invoice} already has production orders at {', '.join(names)}: no order "
            "was made. Order it on its own to confirm another one."
        )

    return _orders_write(plans, by=by, placed=placed, details="automatic", duplicates=refused)
