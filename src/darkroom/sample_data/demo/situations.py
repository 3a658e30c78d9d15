"""What a newcomer must see in the demo: each open step of each order cycle holding an order,
and at least one order overdue, one due today and one at risk of missing its promised date.
The plan is changed here (orders waiting, catching up, redone) before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence

from darkroom.catalog.models import ReorderReason
from darkroom.production.models import ProductionOrder
from darkroom.production.services import production_order_reorder
from darkroom.sample_data.demo.timeline import DemoTimeline, Route

REDONE = "Client chose another image"  # a client back about a finished order


def every_step_held(timeline: DemoTimeline, routes: Sequence[Route]) -> None:
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
                catch_up(timeline, route, index)
            else:
                redo(timeline, cycle_routes, index)


def catch_up(timeline: DemoTimeline, route: Route, index: int) -> None:
    """Move the route on to step ``index``, each step on its due day (today at the latest)."""
    while route.at < index:
        step = route.steps[route.at]
        due = timeline.calendar.due(route.entered, step.default_duration)
        timeline.move(route, min(timeline.today, due))


def redo(timeline: DemoTimeline, cycle_routes: list[Route], index: int) -> None:
    """Too few open orders of a kind to fill its steps: the client comes back about the
    latest finished one (a reorder, chargeable), and the new order has reached step
    ``index`` by today."""
    finished = [r for r in cycle_routes if r.done and isinstance(r.record, ProductionOrder)]
    if not finished:
        return
    route = max(finished, key=lambda r: (r.entered, r.record.pk))
    plan = timeline.plans[route.record.invoice_id]
    durations = sum(step.default_duration for step in route.steps[:index])
    placed = timeline.calendar.subtract(timeline.work_day(timeline.today), durations)
    placed = max(placed, route.entered)
    reason = ReorderReason.objects.get(description=REDONE)
    again = production_order_reorder(
        order=route.record, reason=reason, by=timeline.by, order_date=placed
    )
    plan.orders.append(again)
    redo = timeline.route(again, placed, plan.invoice.approximate_delivery_date)
    plan.routes.append(redo)
    cycle_routes.append(redo)
    catch_up(timeline, redo, index)


def flags_shown(timeline: DemoTimeline, routes: Sequence[Route]) -> None:
    """At least one open order overdue, one due today and one at risk."""
    open_routes = [r for r in routes if not r.done and not r.fixed and r.moves]
    if not open_routes:
        return
    today = timeline.today
    if not any((timeline.due(r) or today) < today for r in open_routes):
        route = max(open_routes, key=lambda r: (today - r.entered, r.record.pk))
        route.moves[-1].due_date = max(route.entered, today - dt.timedelta(days=1))
        route.moves[-1].note = route.moves[-1].note or "The lab is behind: it ships later."
    if not any(timeline.due(r) == today for r in open_routes):
        chosen = None
        for route in open_routes:
            duration = route.steps[route.at].default_duration
            begin = (
                timeline.calendar.subtract(today, duration)
                if timeline.calendar.is_business_day(today)
                else None
            )
            before = route.moves[-2].day if len(route.moves) > 1 else route.started
            if (
                begin is not None
                and before <= begin <= today
                and (timeline.due(route) or today) > today
            ):
                chosen = route
                route.moves[-1].day = begin
                break
        if chosen is None:  # a Saturday or a closure: the client collects today anyway
            route = max(open_routes, key=lambda r: (r.entered, r.record.pk))
            route.moves[-1].due_date = today
            route.moves[-1].note = "The client collects it today."
    promised = [r for r in open_routes if r.promised is not None]
    if promised and not any((timeline.projected(r) or today) > r.promised for r in promised):
        route = min(promised, key=lambda r: (r.promised, r.record.pk))
        later = timeline.calendar.due(max(route.promised, route.entered), 2)
        route.moves[-1].due_date = later
        route.moves[-1].note = "The vendor can't make it before the promised date."
