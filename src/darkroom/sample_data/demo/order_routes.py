"""The demo's proof and production orders: made by the production services on their order dates,
and how far each got (a route each): finished before a picked-up invoice, at its own pace
otherwise, a few redone (reorders), and the invoices the demo moves on once its triggers exist.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from darkroom.catalog.models import (
    PriceListItem,
    ProductionOrderType,
    ReorderReason,
    Vendor,
)
from darkroom.clients.models import Invoice, InvoiceLine, Session
from darkroom.production.details import production_order_detail_add
from darkroom.production.models import ProductionOrder
from darkroom.production.services import (
    order_number_assign,
    preproduction_order_create,
    production_order_reorder,
    production_orders_create,
    production_orders_create_many,
)
from darkroom.sample_data.demo import catalog, messages
from darkroom.sample_data.demo.cycles import WORKS_IN
from darkroom.sample_data.demo.timeline import DemoTimeline, OrderPlan

PROOF_SHARE = 0.8  # shoots whose proofs went out on a proof order
NUMBERED_BY_HAND = 0.85  # orders at vendors that don't number: most got their number with "#"
PROOF_NOTES = ("Viewing proofs, small lustre", "Online gallery proofs printed for the viewing")
# Reorders, one per reason: the original's last step, and what the studio wrote on it.
REORDERS = (
    ("Lab colour error", "Colour cast on the skin tones: sent back for a reprint."),
    ("Damaged in shipping", "Corner crushed in the box: the lab reprints it."),
    ("Client changed crop", "The client wants a tighter crop: reordered."),
    ("Client chose another image", "The client swapped one image at pickup: reordered."),
)
# What a frame holds: the print that goes to the framer with it.
FRAMED_PRINT = {"FRM8X10": "8X10", "FRM11X14": "11X14", "FRM16X20": "16X20"}


def order_dates(timeline: DemoTimeline, plans: Sequence[OrderPlan]) -> None:
    """Orders go out a day or two after the invoice; the newest may wait a little."""
    for plan in plans:
        invoice = plan.invoice
        if invoice.pk == timeline.showcase.pk or not any(line.vendor for line in plan.lines):
            continue
        placed = timeline.work_day(
            invoice.invoice_date + dt.timedelta(days=timeline.rng.choice((0, 0, 1, 1, 2)))
        )
        placed = max(placed, invoice.invoice_date)
        if invoice.delivered_date is not None:
            placed = min(placed, invoice.delivered_date)
        elif (timeline.today - invoice.invoice_date).days <= 2 and timeline.rng.random() < 0.5:
            continue  # still waiting for its production orders
        plan.order_date = placed


def proof_orders(
    timeline: DemoTimeline, sessions: Sequence[Session], first_orders: dict[int, Invoice]
) -> None:
    """Proofs out after most shoots; approved when the client orders."""
    rng = timeline.rng
    vendors = Vendor.objects.in_bulk(field_name="name")
    for session in sessions:
        if session.date >= timeline.today or session.pk == timeline.showcase.session_id:
            continue
        if rng.random() > PROOF_SHARE:
            continue
        ordered = first_orders.get(session.pk)
        placed = max(session.date, timeline.work_day(session.date + dt.timedelta(days=1)))
        if ordered is not None:
            placed = min(placed, ordered.invoice_date)
        vendor = vendors[catalog.PRAIRIE if rng.random() < 0.3 else catalog.PRINT_ROOM_VENDOR]
        order = preproduction_order_create(
            session=session,
            vendor=vendor,
            by=timeline.person(WORKS_IN["Retouching"]) or timeline.by,
            order_date=placed,
            notes=rng.choice(PROOF_NOTES) if rng.random() < 0.4 else "",
        )
        route = timeline.route(order, placed)
        if ordered is not None:
            out = min(
                timeline.calendar.due(placed, 1 + rng.choice((0, 0, 1))), ordered.invoice_date
            )
            timeline.move(route, out)
            timeline.move(route, ordered.invoice_date)
        else:
            timeline.walk(route)
            if route.done:  # no order yet: the proofs are still with the client
                route.moves.pop()


def production_orders(timeline: DemoTimeline, plans: Sequence[OrderPlan]) -> None:
    """Each invoice's orders on its order date, by the production services, in date order."""
    by_day: dict[dt.date, list[OrderPlan]] = defaultdict(list)
    timeline.plans = {plan.invoice.pk: plan for plan in plans}
    for plan in plans:
        if plan.order_date is not None:
            by_day[plan.order_date].append(plan)
    clerk = timeline.person(WORKS_IN["Front Desk"]) or timeline.by
    types = ProductionOrderType.objects.in_bulk(field_name="name")
    for day in sorted(by_day):
        together = [p for p in by_day[day] if not any(_framed(line) for line in p.lines)]
        if together:
            made = production_orders_create_many(
                invoices=[p.invoice for p in together], by=clerk, order_date=day
            )
            for plan, answer in zip(together, made, strict=True):
                plan.orders = answer.orders
        for plan in by_day[day]:
            if plan in together:
                continue
            for vendor in _vendors(plan.lines):
                framer = vendor.default_order_type_id is None
                answer = production_orders_create(
                    invoice=plan.invoice,
                    by=clerk,
                    vendor=vendor,
                    order_type=types[catalog.LAB_PRINT] if framer else None,
                    order_date=day,
                )
                plan.orders += answer.orders
                if framer:
                    framed_prints(timeline, answer.orders[0], plan.lines)
        for plan in by_day[day]:
            for order in plan.orders:
                if not order.vendor_number and timeline.rng.random() < NUMBERED_BY_HAND:
                    order_number_assign(order=order)


def framed_prints(
    timeline: DemoTimeline, order: ProductionOrder, lines: Sequence[InvoiceLine]
) -> None:
    """The framer gets the print to mount with each frame: a detail line added by hand."""
    items = {line.item.identifier: line.item for line in lines}
    for line in lines:
        wanted = FRAMED_PRINT.get(line.item.identifier)
        if wanted is None:
            continue
        item = items.get(wanted) or PriceListItem.objects.get(identifier=wanted)
        production_order_detail_add(
            order=order,
            expected_version=ProductionOrder.objects.values_list("version", flat=True).get(
                pk=order.pk
            ),
            by=order.entered_by,
            item=item,
            quantity=line.quantity,
            description=f"{item.description}, for the {line.item.description.lower()}",
        )


def order_routes(timeline: DemoTimeline, plans: Sequence[OrderPlan]) -> None:
    """How far each order got: finished before a delivered invoice was picked up; else
    each step at its pace, the late invoices' orders still not done."""
    rng = timeline.rng
    for plan in plans:
        invoice = plan.invoice
        for order in plan.orders:
            route = timeline.route(order, order.order_date, invoice.approximate_delivery_date)
            plan.routes.append(route)
            if invoice.delivered_date is not None:
                route.fixed = True  # picked up: its orders were done by then
                end = max(
                    order.order_date,
                    invoice.delivered_date - dt.timedelta(days=rng.randint(0, 3)),
                )
                timeline.fit(route, end)
                continue
            timeline.walk(route)
            late = invoice.approximate_delivery_date is not None and (
                invoice.approximate_delivery_date < timeline.today
            )
            if late and route.done:
                route.moves.pop()  # the reason the client is still waiting


def reorders(timeline: DemoTimeline, plans: Sequence[OrderPlan]) -> None:
    """A few orders redone, one per reason: the original stops where the problem was found,
    the reorder starts that day."""
    reasons = ReorderReason.objects.in_bulk(field_name="description")
    candidates = [
        (plan, route)
        for plan in plans
        if plan.invoice.delivered_date is None
        for route in plan.routes
        if route.done
        and route.record.order_type.name == catalog.LAB_PRINT
        and route.moves[-1].day <= timeline.today - dt.timedelta(days=4)
    ]
    candidates.sort(key=lambda pair: (pair[1].moves[-1].day, pair[1].record.pk))
    picked = candidates[-len(REORDERS) * 2 :: 2]
    for (plan, route), (reason, note) in zip(picked, REORDERS, strict=False):
        route.moves[-1].note = note
        route.fixed = True
        again = production_order_reorder(
            order=route.record,
            reason=reasons[reason],
            by=route.moves[-1].by,
            order_date=route.moves[-1].day,
        )
        plan.orders.append(again)
        redo = timeline.route(again, again.order_date, plan.invoice.approximate_delivery_date)
        plan.routes.append(redo)
        timeline.walk(redo)


def pick_moved_on(timeline: DemoTimeline, plans: Sequence[OrderPlan]) -> None:
    """The invoices the demo moves on after its triggers exist (``load._move_on``): the
    newest ones with orders go into production, others whose orders are done are ready."""
    open_plans = [
        p
        for p in plans
        if p.invoice.delivered_date is None
        and p.routes
        and not _late(p.invoice, timeline.today)
        and not any(r.record.reorder_of_id for r in p.routes)
    ]
    newest = sorted(open_plans, key=lambda p: (p.invoice.invoice_date, p.invoice.pk))
    timeline.moved_on_to_production = [p.invoice for p in newest[-messages.IN_PRODUCTION :]]
    rest = [p for p in newest[: -messages.IN_PRODUCTION] if p.invoice.approximate_delivery_date]
    ready = [p for p in rest if all(r.done for r in p.routes)]
    if len(ready) < messages.READY_FOR_PICKUP:
        for plan in [p for p in rest if p not in ready][: messages.READY_FOR_PICKUP - len(ready)]:
            for route in plan.routes:
                while not route.done:
                    step = route.steps[route.at]
                    timeline.move(
                        route,
                        min(
                            timeline.today,
                            timeline.calendar.due(route.entered, step.default_duration),
                        ),
                    )
                route.fixed = True
            ready.append(plan)
    ready.sort(key=lambda p: (max(r.entered for r in p.routes), p.invoice.pk))
    chosen = ready[-messages.READY_FOR_PICKUP :]
    for plan in chosen:
        for route in plan.routes:
            route.fixed = True
    timeline.moved_on_to_pickup = [p.invoice for p in chosen]


def _late(invoice: Invoice, today: dt.date) -> bool:
    promised = invoice.approximate_delivery_date
    return promised is not None and promised < today


def _framed(line: InvoiceLine) -> bool:
    vendor = line.vendor
    return vendor is not None and vendor.default_order_type_id is None


def _vendors(lines: Sequence[InvoiceLine]) -> list[Vendor]:
    found: dict[int, Vendor] = {}
    for line in lines:
        if line.vendor is not None:
            found.setdefault(line.vendor.pk, line.vendor)
    return list(found.values())
