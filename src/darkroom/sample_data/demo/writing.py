"""The demo's plan written: every route's moves day by day through the bulk status change, the
booked sessions due on their shoot day, and what vendors charged, priorities and notes through
the order services. Nothing here chooses a day; the plan did.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from darkroom.catalog.models import PriorityCode
from darkroom.clients.models import Session
from darkroom.production.models import PreproductionOrder, ProductionOrder, ProductionOrderDetail
from darkroom.production.proof_orders import preproduction_order_update
from darkroom.production.services import production_order_update
from darkroom.sample_data.demo.timeline import DemoTimeline, Move, OrderPlan, Route
from darkroom.tracking.models import TrackedRecord
from darkroom.tracking.services import DEFAULT, BulkItem, status_change_bulk, status_due_date_set

STUDIO_NOTES = (
    "Check skin tones against the proof before it goes out.",
    "Client will pick up with the rest of the order.",
    "Pack flat; no rolled prints.",
)
VENDOR_NOTES = (
    "Lustre finish, no border, colour correct as usual.",
    "Please ship with the studio's account; no client-facing invoice.",
    "Match the colour of the previous order for this client.",
)


def routes_write(timeline: DemoTimeline) -> None:
    """Every route's moves, day by day: the records moving on the same day with the same
    person, assignee and note in one bulk change."""
    days: dict[dt.date, list[tuple[int, Route, Move]]] = defaultdict(list)
    for route in timeline.routes:
        seen: dict[dt.date, int] = defaultdict(int)
        previous = route.started
        for move in route.moves:
            assert move.day >= previous and move.day <= timeline.today, (route.record, move)
            previous = move.day
            days[move.day].append((seen[move.day], route, move))
            seen[move.day] += 1
    for day in sorted(days):
        groups: dict[tuple[Any, ...], list[TrackedRecord]] = defaultdict(list)
        for turn, route, move in days[day]:
            user = move.user.pk if move.user is not DEFAULT and move.user else move.user
            key = (turn, type(route.record), move.by.pk, user, move.note, move.due_date)
            groups[key].append((route.record, move))  # type: ignore[arg-type]
        for key in sorted(groups, key=lambda k: (k[0], k[1].__name__, str(k[2:]))):
            pairs: list[Any] = groups[key]
            move = pairs[0][1]
            status_change_bulk(
                model=key[1],
                items=[BulkItem(id=record.pk) for record, _ in pairs],
                updated_by=move.by,
                date_completed=day,
                due_date=move.due_date,
                user=move.user,
                note=move.note,
            )


def sessions_due_on_shoot_day(timeline: DemoTimeline, ahead: Iterable[Session]) -> None:
    """A booked session's step is due on the shoot day, not the day after the booking."""
    for session in ahead:
        fresh = Session.objects.get(pk=session.pk)
        if fresh.status_due_date != session.date and session.date >= (
            fresh.status_entered_on or session.date
        ):
            status_due_date_set(
                record=fresh,
                expected_version=fresh.version,
                due_date=session.date,
                updated_by=timeline.by,
                note="Due on the shoot day.",
            )


def costs_and_priorities(timeline: DemoTimeline, plans: Sequence[OrderPlan]) -> None:
    """What vendors charged (on orders they sent back), priorities and notes, through the
    order services; reorders at the vendor's fault cost nothing."""
    rng = timeline.rng
    codes = PriorityCode.objects.in_bulk(field_name="code")
    routes = {r.record.pk: r for r in timeline.routes if isinstance(r.record, ProductionOrder)}
    costs: dict[int, Decimal] = defaultdict(Decimal)
    for detail in ProductionOrderDetail.objects.filter(order_id__in=routes).select_related("item"):
        costs[detail.order_id] += detail.item.cost * detail.quantity
    fresh = ProductionOrder.objects.select_related("reorder_reason", "vendor").in_bulk(list(routes))
    for plan in plans:
        rush = any(line.item.identifier == "RUSH" for line in plan.lines)
        for order in plan.orders:
            order = fresh[order.pk]
            route = routes[order.pk]
            fields: dict[str, Any] = {}
            if (route.done or route.at >= 2) and costs[order.pk] and not order.vendor.is_in_house:
                factor = Decimal(rng.choice(("0.95", "1.00", "1.00", "1.05", "1.12")))
                fields["vendor_invoice_amount"] = (costs[order.pk] * factor).quantize(
                    Decimal("0.01")
                )
            if order.reorder_reason is not None and order.reorder_reason.is_non_chargeable:
                fields["vendor_invoice_amount"] = Decimal("0.00")
            chance = rng.random()
            if rush:
                fields["priority_code"] = codes["Rush"]
            elif chance < 0.5:
                fields["priority_code"] = codes["Normal"]
            elif chance < 0.6:
                fields["priority_code"] = codes["Low"]
            if rng.random() < 0.15:
                fields["studio_notes"] = rng.choice(STUDIO_NOTES)
            if rng.random() < 0.2 and not order.vendor.is_in_house:
                fields["vendor_notes"] = rng.choice(VENDOR_NOTES)
            if fields:
                production_order_update(order=order, expected_version=order.version, **fields)
    proofs = [r for r in timeline.routes if isinstance(r.record, PreproductionOrder) and r.moves]
    fresh_proofs = PreproductionOrder.objects.select_related("vendor").in_bulk(
        [r.record.pk for r in proofs]
    )
    for route in proofs:
        proof = fresh_proofs[route.record.pk]
        amount = (
            Decimal(rng.randint(900, 4500)) / 100
            if not proof.vendor.is_in_house
            else Decimal(rng.randint(300, 900)) / 100
        )
        preproduction_order_update(
            order=proof, expected_version=proof.version, vendor_invoice_amount=amount
        )
