"""Writes of production and preproduction orders: creating them from an invoice or a session,
numbering them and reordering (an order's detail lines: ``production/details.py``).

An invoice's orders are made all at once or not at all (one transaction): one order per vendor
its lines need (a line's vendor is its override, else its item's preferred vendor), each of its
vendor's default order type, started in that type's cycle by the status-change service. A line
with no vendor gets no detail; the answer says which lines were skipped and why, so nothing is
left out silently. A vendor that has no default order type (and for which none is chosen) is
left out the same way, its lines skipped with that reason: one vendor never stops the others.

Every order takes the studio's next order number when it is made (``production/numbers.py``: one
count for production and proof orders, so a number names one order studio-wide). A vendor that
auto-assigns numbers also gives the order its own next number (``vendor_number``, counted per
vendor). The vendor rows are locked while orders are made for them: that serialises the vendors'
counts and the "already ordered" check of one invoice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Final, Literal, TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from darkroom.catalog.models import (
    PriorityCode,
    ProductionOrderType,
    ReorderReason,
    Vendor,
    VendorProduct,
)
from darkroom.clients.models import Invoice, InvoiceLine, Session
from darkroom.database_limits import MOST_PARAMETERS
from darkroom.errors import Conflict, DarkroomError, duplicate_value
from darkroom.production import order_edits
from darkroom.production.models import (
    PreproductionOrder,
    ProductionOrder,
    ProductionOrderDetail,
)
from darkroom.production.numbers import order_numbers_take
from darkroom.studio.calendar import calendar_now
from darkroom.tracking.models import Cycle, CycleKind, cycle_scope
from darkroom.tracking.status_change import record_start, records_create_started
from darkroom.tracking.status_rows import insert_rows, steps_of

Details = Literal["automatic", "manual"]
DETAILS: Final = ("automatic", "manual")
NO_VENDOR = "no vendor: neither the line nor its price list item names one"

UPDATABLE = {
    "vendor_invoice_amount",
    "priority_code",
    "studio_notes",
    "vendor_notes",
    "vendor_number",
}
_T = TypeVar("_T")


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


# -- checks shared by the services ---------------------------------------------------------------


def _order_date(value: dt.date | None) -> dt.date:
    """The order date (default the studio's today); an order isn't placed in the future.

    Today comes from the calendar key (one small query the status engine makes anyway)."""
    today = calendar_now().today
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


def _cycle_problems(order_types: Iterable[ProductionOrderType]) -> dict[int, DarkroomError]:
    """The order types (by id) whose cycle can't start an order yet, and why.

    One query for the cycles; their steps come from the status engine's per-process cache, read
    again only when a cycle's version moved.
    """
    kinds = {kind.pk: kind for kind in order_types}
    scopes = {cycle_scope(CycleKind.PRODUCTION, pk, None): pk for pk in kinds}
    cycles = {cycle.scope: cycle for cycle in Cycle.objects.filter(scope__in=scopes)}
    problems: dict[int, DarkroomError] = {}
    for scope, pk in scopes.items():
        cycle = cycles.get(scope)
        if cycle is None:
            what, code = "no status cycle", "no_cycle"
        elif any(s.is_initial and not s.is_inactive for s in steps_of(cycle.pk, cycle.version)):
            continue
        else:
            what, code = "no initial status", "no_initial"
        problems[pk] = DarkroomError(
            f"The order type “{kinds[pk]}” has {what} yet: add its statuses first.", code=code
        )
    return problems


def _check_cycles(order_types: Iterable[ProductionOrderType]) -> None:
    """Every order type must have a cycle with an initial status, or no order is made."""
    for problem in _cycle_problems(order_types).values():
        raise problem


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
    skipped rather than given twice: one probe for all the vendors' candidates (per 900 of
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
        taken: set[tuple[int, str]] = set()
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


# -- orders from invoices ------------------------------------------------------------------------
#
# Both services below plan each invoice with the same functions (its lines, the vendor split,
# each vendor's order type) and write through _orders_write: the rules live in one place.


@dataclass(frozen=True)
class _InvoiceOrders:
    """What one invoice's orders will be, before anything is written."""

    invoice: Invoice
    lines: list[InvoiceLine]
    vendors: list[Vendor]  # one order each, in the order their lines come
    kinds: dict[int, ProductionOrderType]  # each vendor's (by id) order type
    skipped: list[SkippedLine]


def _lines_of(invoice_ids: Sequence[int]) -> dict[int, list[InvoiceLine]]:
    """The invoices' lines in order, by invoice id, in one query per 900 invoices.

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
    by: AbstractBaseUser,
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
                        vendor_product_code=line.vendor_code,
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


def production_orders_create(
    *,
    invoice: Invoice,
    by: AbstractBaseUser,
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
    *, invoices: Iterable[Invoice], by: AbstractBaseUser, order_date: dt.date | None = None
) -> list[OrdersCreated]:
    """Make the production orders of many invoices at once: for each, what
    ``production_orders_create(invoice=…)`` makes with its defaults (one order per vendor its
    lines need, each vendor's default order type, automatic details), in the invoices' order.

    All invoices' orders or none: one refused invoice refuses the call, naming the invoice and
    why (ValidationError on ``invoices``, or the DarkroomError of its order type's cycle), and
    nothing is written. An invoice already ordered at one of its vendors is refused
    (``duplicate_order``; order it on its own to confirm another order), as is an invoice given
    twice. Orders of a vendor that auto-assigns numbers are numbered in the invoices' order. The
    whole batch takes a handful of statements (per 900 invoices), not a handful per invoice.
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
        except ValidationError as refused:
            raise ValidationError(
                {"invoices": [f"{invoice}: {message}" for message in refused.messages]}
            ) from refused
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
    """The "#" action: give the order its vendor's next number now (``vendor_number``, from the
    vendor's own count). The studio's number it has had since it was made."""
    with transaction.atomic():
        vendor = _locked_vendors([order.vendor_id])[order.vendor_id]
        fresh = ProductionOrder.objects.select_for_update().get(pk=order.pk)
        if fresh.vendor_number:
            raise DarkroomError(
                f"This order already has the vendor's number {fresh.vendor_number}.",
                code="has_number",
            )
        _bump(order, fresh.version, {"vendor_number": _take_numbers(vendor, 1)[0]})
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


def production_order_update(
    *,
    order: ProductionOrder,
    expected_version: int,
    updated_by: AbstractBaseUser | None = None,
    **fields: Any,
) -> ProductionOrder:
    """Change what the studio records on an order: the vendor's invoice amount, priority code,
    notes and the vendor's order number (unique per vendor; the studio's number never changes);
    and, kept in its history with ``updated_by``, its order type, order date, entered by and
    completed by (``production.order_edits``: the rules, and what a new type does to the status).
    Status, department and user change through the status engine. A stale ``expected_version``
    is a Conflict; nothing is written."""
    unknown = sorted(set(fields) - UPDATABLE - order_edits.EDITABLE)
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
        if "vendor_number" in fields:
            changes["vendor_number"] = vendor_number_change(order, fields["vendor_number"])
        if _edit_order(order, expected_version, fields, changes, updated_by):
            return order
        _bump(order, expected_version, changes)
    return order


def _edit_order(
    order: ProductionOrder,
    expected_version: int,
    fields: dict[str, Any],
    other: dict[str, Any],
    updated_by: AbstractBaseUser | None,
) -> bool:
    """The order's type, date and people, when given and changed: checked against the order as
    stored, written with ``other`` and kept in its history. False when there is nothing of
    theirs to write (the caller writes ``other`` alone)."""
    given = {name: fields[name] for name in order_edits.EDITABLE & set(fields)}
    if not given:
        return False
    fresh = (
        ProductionOrder.objects.select_for_update(of=("self",))
        .select_related("order_type", "entered_by", "completed_by")
        .get(pk=order.pk)
    )
    if fresh.version != expected_version:
        raise Conflict(
            "This production order was changed by someone else since you opened it. "
            "Reload it to see their change, then make yours again."
        )
    edits = order_edits.plan_order_edits(order=fresh, fields=given)
    if not edits:
        return False
    if edits.order_type is not None:
        try:
            _check_cycles([edits.order_type])
        except DarkroomError as exc:  # the new type's cycle can't take the order yet
            raise ValidationError({"order_type": exc.message}) from None
    if updated_by is None:
        raise ValidationError("Say who made the edit: it is kept in the order's history.")
    order_edits.write_order_edits(
        order=fresh,
        expected_version=expected_version,
        other=other,
        edits=edits,
        updated_by=updated_by,
    )
    for model_field in ProductionOrder._meta.concrete_fields:
        setattr(order, model_field.attname, getattr(fresh, model_field.attname))
    return True


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


# -- preproduction orders ------------------------------------------------------------------------


def preproduction_order_create(
    *,
    session: Session,
    vendor: Vendor,
    by: AbstractBaseUser,
    vendor_number: str | None = None,
    order_date: dt.date | None = None,
    notes: str = "",
) -> PreproductionOrder:
    """Send a session's proofs out: an order at ``vendor``, started in the preproduction cycle.

    The order takes the studio's next order number. ``vendor_number`` is the vendor's own number
    (unique per vendor); without one, a vendor that auto-assigns numbers gives its next one.
    """
    _active_vendor(vendor)
    placed = _order_date(order_date)
    given = _number(vendor_number)
    if not isinstance(notes, str) or "\x00" in notes:
        raise ValidationError({"notes": "Notes are plain text."})
    with transaction.atomic():
        locked = _locked_vendors([vendor.pk])[vendor.pk]
        if given is None and locked.auto_assigns_numbers:
            given = _take_numbers(locked, 1)[0]
        elif given is not None and vendor_number_taken(locked.pk, given):
            taken = f"“{locked}” already has an order with its number {given}."
            raise ValidationError({"vendor_number": duplicate_value(taken)})
        order = PreproductionOrder(
            session=session,
            vendor=locked,
            number=order_numbers_take(1)[0],
            vendor_number=given,
            order_date=placed,
            entered_by=by,
            notes=notes.strip(),
        )
        order.save(force_insert=True)
        record_start(record=order, started_on=placed, by=by)
    return order
