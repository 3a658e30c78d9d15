"""The demo studio's months of work: proof and production orders, and every record moved through
its status cycle on the day it happened.

Nothing here writes a row itself. Orders are made by the production services on their order
dates (so vendors number them in calendar order), and each step is a status change through the
status engine with its *date completed* in the past, so due dates, projected completions, the
history rows, the hub's running totals and the time each step took are what a studio that had
used Darkroom all along would have. The plan comes first, as data (a :class:`Route` per record:
the days it moved on), then it is written day by day, the records that move on the same day in
one bulk change.

The history is written before the demo's triggers exist: a trigger acts only on changes made
after it was saved, so months of back-dated steps send nothing. The plan makes sure a newcomer
sees every kind of situation: each step of each order cycle holds open orders, some overdue,
one due today, some at risk of missing the date promised to the client, work assigned to the
team, reorders, and finished orders with what the vendor charged.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractUser

from darkroom.catalog.models import (
    PriceListItem,
    PriorityCode,
    ProductionOrderType,
    ReorderReason,
    Vendor,
)
from darkroom.clients.models import Invoice, InvoiceLine, Session
from darkroom.production.details import production_order_detail_add
from darkroom.production.models import PreproductionOrder, ProductionOrder, ProductionOrderDetail
from darkroom.production.proof_orders import preproduction_order_update
from darkroom.production.services import (
    order_number_assign,
    preproduction_order_create,
    production_order_reorder,
    production_order_update,
    production_orders_create,
    production_orders_create_many,
)
from darkroom.sample_data.demo import catalog, messages
from darkroom.sample_data.demo.cycles import HOLDERS, WORKS_IN
from darkroom.scheduling import BusinessCalendar
from darkroom.studio.calendar import calendar_now
from darkroom.tracking.bulk import BulkItem, status_change_bulk
from darkroom.tracking.due_dates import status_due_date_set
from darkroom.tracking.models import Cycle, Status, TrackedRecord
from darkroom.tracking.selectors import cycle_steps
from darkroom.tracking.status_change import DEFAULT, projected_completion, record_start

PROOF_SHARE = 0.8  # shoots whose proofs went out on a proof order
NUMBERED_BY_HAND = 0.85  # orders at vendors that don't number: most got their number with "#"
# A step takes its planned business days plus one of these (a few run late, some early).
PACE = (-1, 0, 0, 0, 1, 1, 2, 3, 5)
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
PROOF_NOTES = ("Viewing proofs, small lustre", "Online gallery proofs printed for the viewing")
# Reorders, one per reason: the original's last step, and what the studio wrote on it.
REORDERS = (
    ("Lab colour error", "Colour cast on the skin tones: sent back for a reprint."),
    ("Damaged in shipping", "Corner crushed in the box: the lab reprints it."),
    ("Client changed crop", "The client wants a tighter crop: reordered."),
    ("Client chose another image", "The client swapped one image at pickup: reordered."),
)
REDONE = "Client chose another image"  # a client back about a finished order
# What a frame holds: the print that goes to the framer with it.
FRAMED_PRINT = {"FRM8X10": "8X10", "FRM11X14": "11X14", "FRM16X20": "16X20"}


@dataclass
class Move:
    """One step completed: the day, who did it, whom the next step goes to."""

    day: dt.date
    by: AbstractUser
    user: Any = DEFAULT
    note: str = ""
    due_date: dt.date | None = None  # kept as an override (the lab's own date)


@dataclass
class Route:
    """A record's days in its cycle: entered the first step on ``started``, then ``moves``."""

    record: TrackedRecord
    steps: list[Status]
    started: dt.date
    moves: list[Move] = field(default_factory=list)
    promised: dt.date | None = None
    fixed: bool = False  # its days are decided elsewhere (it must stay as planned)

    @property
    def at(self) -> int:
        return len(self.moves)

    @property
    def done(self) -> bool:
        return self.at >= len(self.steps) - 1

    @property
    def entered(self) -> dt.date:
        return self.moves[-1].day if self.moves else self.started


@dataclass
class OrderPlan:
    """An invoice's fate: when its orders go out, when it's ready and picked up."""

    invoice: Invoice
    lines: list[InvoiceLine]
    order_date: dt.date | None = None
    orders: list[ProductionOrder] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)


class DemoTimeline:
    """Plans and writes the studio's months of work (see the module's docstring)."""

    def __init__(
        self,
        *,
        rng: random.Random,
        today: dt.date,
        people: dict[str, AbstractUser],
        by: AbstractUser,
        showcase: Invoice,
    ) -> None:
        self.rng = rng
        self.today = today
        # The demo's vendors have no closures of their own: the studio's calendar is theirs.
        self.calendar: BusinessCalendar = calendar_now().calendar
        self.people = people
        self.by = by
        self.showcase = showcase
        self.steps: dict[int, list[Status]] = {}
        self.cycle_names = dict(Cycle.objects.values_list("pk", "name"))
        self.routes: list[Route] = []
        self.moved_on_to_production: list[Invoice] = []
        self.moved_on_to_pickup: list[Invoice] = []
        self.plans: dict[int, OrderPlan] = {}

    # -- dates -------------------------------------------------------------------------------

    def work_day(self, day: dt.date) -> dt.date:
        """The day itself on a business day, else the next; never after today (then the last
        business day up to today)."""
        if not self.calendar.is_business_day(day):
            day = self.calendar.next_business_day(day)
        if day > self.today:
            day = self.today
            while not self.calendar.is_business_day(day):
                day -= dt.timedelta(days=1)
        return day

    def person(self, username: str | None) -> AbstractUser | None:
        return self.people.get(username) if username else None

    def doer(self, step: Status) -> AbstractUser:
        """Who completes a step (the history's "updated by"): whoever works in its department."""
        department = step.default_department.name if step.default_department_id else None
        return self.person(WORKS_IN.get(department or "")) or self.by

    def cycle(self, record: TrackedRecord) -> list[Status]:
        cycle_id = record.status.cycle_id
        if cycle_id not in self.steps:
            self.steps[cycle_id] = [s for s in cycle_steps(cycle_id) if not s.is_inactive]
        return self.steps[cycle_id]

    def route(
        self, record: TrackedRecord, started: dt.date, promised: dt.date | None = None
    ) -> Route:
        route = Route(record, self.cycle(record), started, promised=promised)
        self.routes.append(route)
        return route

    def move(self, route: Route, day: dt.date, **extra: Any) -> None:
        """Complete the route's current step on ``day`` (never before the step began); a
        cycle of the studio's own that is shorter than the demo's ends sooner."""
        if route.done:
            return
        current = route.steps[route.at]
        entering = route.steps[route.at + 1]
        holder = self.person(
            HOLDERS.get((self.cycle_names[entering.cycle_id], entering.description))
        )
        if holder is not None:
            extra.setdefault("user", holder)
        route.moves.append(Move(max(day, route.entered), self.doer(current), **extra))

    def walk(self, route: Route) -> None:
        """Each step takes its planned days, give or take; the steps not done by today wait."""
        while not route.done:
            step = route.steps[route.at]
            day = self.calendar.due(
                route.entered, max(0, step.default_duration + self.rng.choice(PACE))
            )
            if day > self.today:
                return
            self.move(route, day)

    def fit(self, route: Route, end: dt.date) -> None:
        """Finish the route by ``end``, the remaining steps spread over the days between."""
        start = route.entered
        remaining = len(route.steps) - 1 - route.at
        span = max(0, (end - start).days)
        for number in range(1, remaining + 1):
            day = start + dt.timedelta(days=span * number // remaining)
            if not self.calendar.is_business_day(day):
                day = self.calendar.previous_business_day(day)
            self.move(route, min(day, end))

    def due(self, route: Route) -> dt.date | None:
        """The due date of the route's current step, as the status engine will compute it."""
        if route.done:
            return None
        if route.moves and route.moves[-1].due_date:
            return route.moves[-1].due_date
        return self.calendar.due(route.entered, route.steps[route.at].default_duration)

    def projected(self, route: Route) -> dt.date | None:
        return projected_completion(
            steps=route.steps,
            status=route.steps[route.at],
            due=self.due(route),
            calendar=self.calendar,
        )

    # -- the plan ----------------------------------------------------------------------------

    def order_dates(self, plans: Sequence[OrderPlan]) -> None:
        """Orders go out a day or two after the invoice; the newest may wait a little."""
        for plan in plans:
            invoice = plan.invoice
            if invoice.pk == self.showcase.pk or not any(line.vendor for line in plan.lines):
                continue
            placed = self.work_day(
                invoice.invoice_date + dt.timedelta(days=self.rng.choice((0, 0, 1, 1, 2)))
            )
            placed = max(placed, invoice.invoice_date)
            if invoice.delivered_date is not None:
                placed = min(placed, invoice.delivered_date)
            elif (self.today - invoice.invoice_date).days <= 2 and self.rng.random() < 0.5:
                continue  # still waiting for its production orders
            plan.order_date = placed

    def proof_orders(self, sessions: Sequence[Session], first_orders: dict[int, Invoice]) -> None:
        """Proofs out after most shoots; approved when the client orders."""
        rng = self.rng
        vendors = Vendor.objects.in_bulk(field_name="name")
        for session in sessions:
            if session.date >= self.today or session.pk == self.showcase.session_id:
                continue
            if rng.random() > PROOF_SHARE:
                continue
            ordered = first_orders.get(session.pk)
            placed = max(session.date, self.work_day(session.date + dt.timedelta(days=1)))
            if ordered is not None:
                placed = min(placed, ordered.invoice_date)
            vendor = vendors[catalog.PRAIRIE if rng.random() < 0.3 else catalog.PRINT_ROOM_VENDOR]
            order = preproduction_order_create(
                session=session,
                vendor=vendor,
                by=self.person(WORKS_IN["Retouching"]) or self.by,
                order_date=placed,
                notes=rng.choice(PROOF_NOTES) if rng.random() < 0.4 else "",
            )
            route = self.route(order, placed)
            if ordered is not None:
                out = min(
                    self.calendar.due(placed, 1 + rng.choice((0, 0, 1))), ordered.invoice_date
                )
                self.move(route, out)
                self.move(route, ordered.invoice_date)
            else:
                self.walk(route)
                if route.done:  # no order yet: the proofs are still with the client
                    route.moves.pop()

    def production_orders(self, plans: Sequence[OrderPlan]) -> None:
        """Each invoice's orders on its order date, by the production services, in date order."""
        by_day: dict[dt.date, list[OrderPlan]] = defaultdict(list)
        self.plans = {plan.invoice.pk: plan for plan in plans}
        for plan in plans:
            if plan.order_date is not None:
                by_day[plan.order_date].append(plan)
        clerk = self.person(WORKS_IN["Front Desk"]) or self.by
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
                        self.framed_prints(answer.orders[0], plan.lines)
            for plan in by_day[day]:
                for order in plan.orders:
                    if not order.vendor_number and self.rng.random() < NUMBERED_BY_HAND:
                        order_number_assign(order=order)

    def framed_prints(self, order: ProductionOrder, lines: Sequence[InvoiceLine]) -> None:
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

    def order_routes(self, plans: Sequence[OrderPlan]) -> None:
        """How far each order got: finished before a delivered invoice was picked up; else
        each step at its pace, the late invoices' orders still not done."""
        rng = self.rng
        for plan in plans:
            invoice = plan.invoice
            for order in plan.orders:
                route = self.route(order, order.order_date, invoice.approximate_delivery_date)
                plan.routes.append(route)
                if invoice.delivered_date is not None:
                    route.fixed = True  # picked up: its orders were done by then
                    end = max(
                        order.order_date,
                        invoice.delivered_date - dt.timedelta(days=rng.randint(0, 3)),
                    )
                    self.fit(route, end)
                    continue
                self.walk(route)
                late = invoice.approximate_delivery_date is not None and (
                    invoice.approximate_delivery_date < self.today
                )
                if late and route.done:
                    route.moves.pop()  # the reason the client is still waiting

    def reorders(self, plans: Sequence[OrderPlan]) -> None:
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
            and route.moves[-1].day <= self.today - dt.timedelta(days=4)
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
            redo = self.route(again, again.order_date, plan.invoice.approximate_delivery_date)
            plan.routes.append(redo)
            self.walk(redo)

    def pick_moved_on(self, plans: Sequence[OrderPlan]) -> None:
        """The invoices the demo moves on after its triggers exist (``load._move_on``): the
        newest ones with orders go into production, others whose orders are done are ready."""
        open_plans = [
            p
            for p in plans
            if p.invoice.delivered_date is None
            and p.routes
            and not _late(p.invoice, self.today)
            and not any(r.record.reorder_of_id for r in p.routes)
        ]
        newest = sorted(open_plans, key=lambda p: (p.invoice.invoice_date, p.invoice.pk))
        self.moved_on_to_production = [p.invoice for p in newest[-messages.IN_PRODUCTION :]]
        rest = [p for p in newest[: -messages.IN_PRODUCTION] if p.invoice.approximate_delivery_date]
        ready = [p for p in rest if all(r.done for r in p.routes)]
        if len(ready) < messages.READY_FOR_PICKUP:
            for plan in [p for p in rest if p not in ready][
                : messages.READY_FOR_PICKUP - len(ready)
            ]:
                for route in plan.routes:
                    while not route.done:
                        step = route.steps[route.at]
                        self.move(
                            route,
                            min(
                                self.today, self.calendar.due(route.entered, step.default_duration)
                            ),
                        )
                    route.fixed = True
                ready.append(plan)
        ready.sort(key=lambda p: (max(r.entered for r in p.routes), p.invoice.pk))
        chosen = ready[-messages.READY_FOR_PICKUP :]
        for plan in chosen:
            for route in plan.routes:
                route.fixed = True
        self.moved_on_to_pickup = [p.invoice for p in chosen]

    # -- what a newcomer must see ------------------------------------------------------------

    def every_step_held(self, routes: Sequence[Route]) -> None:
        """Each open step of each cycle holds at least one open order: an order that went
        further (or finished lately, for an invoice not picked up yet) waits there instead,
        or one behind catches up (on days up to today)."""
        by_cycle: dict[int, list[Route]] = defaultdict(list)
        for route in routes:
            by_cycle[route.steps[0].cycle_id].append(route)
        for cycle_routes in by_cycle.values():
            steps = cycle_routes[0].steps
            for index in range(len(steps) - 1):
                held = Counter(r.at for r in cycle_routes if not r.done)
                if held[index]:
                    continue
                movable = [r for r in cycle_routes if not r.fixed]
                ahead = [r for r in movable if r.at > index and (r.done or held[r.at] > 1)]
                behind = [r for r in movable if not r.done and r.at < index and held[r.at] > 1]
                if ahead:
                    route = min(ahead, key=lambda r: (r.done, r.at, -r.entered.toordinal()))
                    del route.moves[index:]
                elif behind:
                    route = max(behind, key=lambda r: (r.at, r.entered))
                    self.catch_up(route, index)
                else:
                    self.redo(cycle_routes, index)

    def catch_up(self, route: Route, index: int) -> None:
        """Move the route on to step ``index``, each step on its due day (today at the latest)."""
        while route.at < index:
            step = route.steps[route.at]
            due = self.calendar.due(route.entered, step.default_duration)
            self.move(route, min(self.today, due))

    def redo(self, cycle_routes: list[Route], index: int) -> None:
        """Too few open orders of a kind to fill its steps: the client comes back about the
        latest finished one (a reorder, chargeable), and the new order has reached step
        ``index`` by today."""
        finished = [r for r in cycle_routes if r.done and isinstance(r.record, ProductionOrder)]
        if not finished:
            return
        route = max(finished, key=lambda r: (r.entered, r.record.pk))
        plan = self.plans[route.record.invoice_id]
        durations = sum(step.default_duration for step in route.steps[:index])
        placed = self.calendar.subtract(self.work_day(self.today), durations)
        placed = max(placed, route.entered)
        reason = ReorderReason.objects.get(description=REDONE)
        again = production_order_reorder(
            order=route.record, reason=reason, by=self.by, order_date=placed
        )
        plan.orders.append(again)
        redo = self.route(again, placed, plan.invoice.approximate_delivery_date)
        plan.routes.append(redo)
        cycle_routes.append(redo)
        self.catch_up(redo, index)

    def flags_shown(self, routes: Sequence[Route]) -> None:
        """At least one open order overdue, one due today and one at risk."""
        open_routes = [r for r in routes if not r.done and not r.fixed and r.moves]
        if not open_routes:
            return
        today = self.today
        if not any((self.due(r) or today) < today for r in open_routes):
            route = max(open_routes, key=lambda r: (today - r.entered, r.record.pk))
            route.moves[-1].due_date = max(route.entered, today - dt.timedelta(days=1))
            route.moves[-1].note = route.moves[-1].note or "The lab is behind: it ships later."
        if not any(self.due(r) == today for r in open_routes):
            chosen = None
            for route in open_routes:
                duration = route.steps[route.at].default_duration
                begin = (
                    self.calendar.subtract(today, duration)
                    if self.calendar.is_business_day(today)
                    else None
                )
                before = route.moves[-2].day if len(route.moves) > 1 else route.started
                if (
                    begin is not None
                    and before <= begin <= today
                    and (self.due(route) or today) > today
                ):
                    chosen = route
                    route.moves[-1].day = begin
                    break
            if chosen is None:  # a Saturday or a closure: the client collects today anyway
                route = max(open_routes, key=lambda r: (r.entered, r.record.pk))
                route.moves[-1].due_date = today
                route.moves[-1].note = "The client collects it today."
        promised = [r for r in open_routes if r.promised is not None]
        if promised and not any((self.projected(r) or today) > r.promised for r in promised):
            route = min(promised, key=lambda r: (r.promised, r.record.pk))
            later = self.calendar.due(max(route.promised, route.entered), 2)
            route.moves[-1].due_date = later
            route.moves[-1].note = "The vendor can't make it before the promised date."

    # -- invoices and sessions ---------------------------------------------------------------

    def invoice_routes(self, plans: Sequence[OrderPlan]) -> None:
        """Entered → In production when the orders go out → Ready when they're all done →
        Picked up on the delivered date."""
        rng = self.rng
        held = {i.pk for i in self.moved_on_to_production}
        ready_later = {i.pk for i in self.moved_on_to_pickup}
        for plan in plans:
            invoice = plan.invoice
            if invoice.pk == self.showcase.pk or invoice.pk in held:
                continue
            route = self.route(invoice, invoice.invoice_date)
            delivered = invoice.delivered_date
            # A reorder after the pickup (the client came back) doesn't reopen the invoice.
            orders = [r for r in plan.routes if delivered is None or r.started <= delivered]
            if orders:
                self.move(route, min(r.started for r in orders))
                if not all(r.done for r in orders) or invoice.pk in ready_later:
                    continue
                self.move(route, max(r.entered for r in orders))
            elif plan.order_date is None and any(line.vendor is not None for line in plan.lines):
                continue  # waiting for its production orders
            else:  # nothing for a vendor: the studio's own files and fees
                self.move(route, self.work_day(invoice.invoice_date + dt.timedelta(days=1)))
                ready = self.calendar.due(route.entered, rng.randint(1, 5))
                if delivered is not None:
                    ready = min(ready, delivered)
                if ready > self.today:
                    continue
                self.move(route, ready)
            if delivered is not None:
                self.move(route, delivered)

    def session_routes(
        self,
        sessions: Sequence[Session],
        booked: dict[int, dt.date],
        first_orders: dict[int, Invoice],
    ) -> list[Session]:
        """Booked → Shot on the shoot day → Proofs sent → Ordering → Delivered; the sessions
        still ahead are returned (their booking is due on the shoot day)."""
        proofs: dict[int, Route] = {
            r.record.session_id: r for r in self.routes if isinstance(r.record, PreproductionOrder)
        }
        ahead = []
        for session in sessions:
            if session.status_id is None:
                record_start(record=session, started_on=booked[session.pk], by=self.by)
            route = self.route(session, session.status_entered_on or booked[session.pk])
            if session.date >= self.today:
                ahead.append(session)
                continue
            photographer = session.photographer or self.by
            self.move(route, session.date)
            route.moves[-1].by = photographer
            proof = proofs.get(session.pk)
            ordered = first_orders.get(session.pk)
            if proof is not None and proof.moves:
                sent = proof.moves[0].day
            elif ordered is not None:
                sent = min(ordered.invoice_date, self.calendar.due(session.date, 2))
            else:
                sent = self.calendar.due(session.date, 3)
            if sent > self.today:
                continue
            self.move(route, sent)
            if ordered is None:
                continue
            self.move(route, ordered.invoice_date)
            if ordered.delivered_date is not None:
                self.move(route, ordered.delivered_date)
        return ahead

    # -- writing -----------------------------------------------------------------------------

    def write(self) -> None:
        """Every route's moves, day by day: the records moving on the same day with the same
        person, assignee and note in one bulk change."""
        days: dict[dt.date, list[tuple[int, Route, Move]]] = defaultdict(list)
        for route in self.routes:
            seen: dict[dt.date, int] = defaultdict(int)
            previous = route.started
            for move in route.moves:
                assert move.day >= previous and move.day <= self.today, (route.record, move)
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

    def sessions_due_on_shoot_day(self, ahead: Iterable[Session]) -> None:
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
                    updated_by=self.by,
                    note="Due on the shoot day.",
                )

    def costs_and_priorities(self, plans: Sequence[OrderPlan]) -> None:
        """What vendors charged (on orders they sent back), priorities and notes, through the
        order services; reorders at the vendor's fault cost nothing."""
        rng = self.rng
        codes = PriorityCode.objects.in_bulk(field_name="code")
        routes = {r.record.pk: r for r in self.routes if isinstance(r.record, ProductionOrder)}
        costs: dict[int, Decimal] = defaultdict(Decimal)
        for detail in ProductionOrderDetail.objects.filter(order_id__in=routes).select_related(
            "item"
        ):
            costs[detail.order_id] += detail.item.cost * detail.quantity
        fresh = ProductionOrder.objects.select_related("reorder_reason", "vendor").in_bulk(
            list(routes)
        )
        for plan in plans:
            rush = any(line.item.identifier == "RUSH" for line in plan.lines)
            for order in plan.orders:
                order = fresh[order.pk]
                route = routes[order.pk]
                fields: dict[str, Any] = {}
                if (
                    (route.done or route.at >= 2)
                    and costs[order.pk]
                    and not order.vendor.is_in_house
                ):
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
        proofs = [r for r in self.routes if isinstance(r.record, PreproductionOrder) and r.moves]
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
