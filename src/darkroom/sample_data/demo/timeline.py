"""The demo studio's months of work: proof and production orders, and every record moved through
its status cycle on the day it happened.

Nothing here writes a row itself. Orders are made by the production services on their order
dates (so vendors number them in calendar order), and each step is a status change through the
status engine with its *date completed* in the past, so due dates, projected completions, the
history rows, the hub's running totals and the time each step took are what a studio that had
used Darkroom all along would have. The plan comes first, as data (a :class:`Route` per record:
the days it moved on), then it is written day by day, the records that move on the same day in
one bulk change (``writing``).

The history is written before the demo's triggers exist: a trigger acts only on changes made
after it was saved, so months of back-dated steps send nothing. The plan makes sure a newcomer
sees every kind of situation: each step of each order cycle holds open orders, some overdue,
one due today, some at risk of missing the date promised to the client, work assigned to the
team, reorders, and finished orders with what the vendor charged.

The plan's steps, in the order ``load`` takes them: ``order_routes`` (proof and production
orders made, and how far each got), ``situations`` (what a newcomer must see),
``invoice_and_session_routes``, then ``writing``. This module holds what they share: the routes
and the studio's calendar.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractUser

from darkroom.clients.models import Invoice, InvoiceLine
from darkroom.production.models import ProductionOrder
from darkroom.sample_data.demo.cycles import HOLDERS, WORKS_IN
from darkroom.scheduling import BusinessCalendar
from darkroom.studio.calendar import calendar_now
from darkroom.tracking.models import Cycle, Status, TrackedRecord
from darkroom.tracking.selectors import cycle_steps
from darkroom.tracking.services import DEFAULT, projected_completion

# A step takes its planned business days plus one of these (a few run late, some early).
PACE = (-1, 0, 0, 0, 1, 1, 2, 3, 5)


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
