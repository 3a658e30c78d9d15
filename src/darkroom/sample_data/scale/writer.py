"""A large studio made in bulk: ten years of invoices and their production orders, to measure on.

Why: the hub, the order pages and their API must stay fast on a studio that has worked for
years (a million production orders, most of them long finished, a few percent open). Making
such a studio through the services would take hours, one transaction per change; this writes it
with one prepared INSERT per table and batch (``executemany``; ``COPY`` on PostgreSQL), each
batch in its own transaction, in a few minutes.

What it makes is what the services would have left behind, so the pages read it as they read
any studio's records:

* the small records through the ORM and the services (studio preferences, people and their
  roles, departments, vendors, price list, order types, and the cycles through
  ``tracking.cycles``), reusing those that exist by name, so a second run adds to the first;
* in bulk: clients, their sessions, invoices with lines, payments and totals, and ≈3 production
  orders an invoice, each with a detail line and its status history (a "start" note, then a
  "change" note per step it went through: ≈5 an order). About 95 % of the orders are final
  (completed on the day they reached their final step); the most recent ≈5 % are open in one of
  their type's other steps, entered in the last days, so some are overdue, some due today or
  this week, and some projected past the date promised to the client. Some open proof
  (preproduction) orders too.

Dates are computed on the studio's calendar with the same functions the status-change service
uses (forward mode: the seeded studio schedules forward). Everything random comes from one
seeded generator, so a size and a seed always make the same studio. A run is not one
transaction: stopped halfway, it leaves the batches already written.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from darkroom.catalog.models import (
    ItemType,
    OrderKind,
    PriceListItem,
    PriorityCode,
    ProductionOrderType,
    Vendor,
)
from darkroom.clients.models import Client, Invoice, InvoiceLine, Payment, Session, SessionType
from darkroom.errors import DarkroomError
from darkroom.production.models import PreproductionOrder, ProductionOrder, ProductionOrderDetail
from darkroom.production.numbers import order_numbers_move_past, order_numbers_take
from darkroom.studio.calendar import calendar_now
from darkroom.studio.models import Department, StudioPreferences
from darkroom.studio.roles import Role
from darkroom.studio.services import user_set_role
from darkroom.tracking.cycles import cycle_create, status_add
from darkroom.tracking.models import Cycle, CycleKind, NoteKind, Status, StatusNote, cycle_scope
from darkroom.tracking.status_change import projected_completion

YEARS = 10
OPEN_SHARE = 0.05
USERS = 50
VENDORS = 200
BATCH_ORDERS = 20_000  # orders written per transaction (with their invoices, notes, …)
START, CHANGE = NoteKind.START.value, NoteKind.CHANGE.value  # plain text: faster to bind

FRONT_DESK, RETOUCHING, PRINTING = "Front Desk", "Retouching", "Print & Finishing"
DESIGN, FRAMING, SHIPPING = "Design", "Framing", "Shipping"
DEPARTMENTS = (FRONT_DESK, RETOUCHING, PRINTING, DESIGN, FRAMING, SHIPPING)

# (description, business days, default department, default user: index into the people, or None)
StepSpec = tuple[str, int, str | None, int | None]

# Order type -> (kind, item type of its products, steps): 6 to 8 steps, the last one final.
ORDER_TYPES: dict[str, tuple[str, str, tuple[StepSpec, ...]]] = {
    "Lab Print Order": (
        OrderKind.PRINT,
        ItemType.PRINT,
        (
            ("Ordered", 1, PRINTING, None),
            ("Files Prepared", 1, RETOUCHING, None),
            ("Sent to Lab", 2, PRINTING, None),
            ("At the Lab", 4, None, None),
            ("Received from Lab", 1, PRINTING, None),
            ("Quality Check", 1, PRINTING, 2),
            ("Ready for Pickup", 0, None, None),
        ),
    ),
    "Album Order": (
        OrderKind.GENERIC,
        ItemType.ALBUM,
        (
            ("Design", 5, DESIGN, None),
            ("Client Approval", 7, FRONT_DESK, None),
            ("Sent to Bindery", 2, PRINTING, None),
            ("At the Bindery", 10, None, None),
            ("Received from Bindery", 1, PRINTING, None),
            ("Quality Check", 1, PRINTING, 3),
            ("Ready for Pickup", 0, None, None),
        ),
    ),
    "Canvas Order": (
        OrderKind.PRINT,
        ItemType.PRINT,
        (
            ("Ordered", 1, PRINTING, None),
            ("Sent to Lab", 2, PRINTING, None),
            ("At the Lab", 5, None, None),
            ("Received", 1, SHIPPING, None),
            ("Stretch Check", 1, FRAMING, None),
            ("Ready for Pickup", 0, None, None),
        ),
    ),
    "Framing Order": (
        OrderKind.GENERIC,
        ItemType.FRAME,
        (
            ("Ordered", 1, FRAMING, None),
            ("Frame Chosen", 3, FRONT_DESK, None),
            ("At the Framer", 8, None, None),
            ("Received", 1, SHIPPING, None),
            ("Fitted and Checked", 1, FRAMING, 4),
            ("Wrapped", 1, SHIPPING, None),
            ("Ready for Pickup", 0, None, None),
        ),
    ),
    "Retouch Order": (
        OrderKind.GENERIC,
        ItemType.SERVICE,
        (
            ("Queued", 1, RETOUCHING, None),
            ("Retouching", 3, RETOUCHING, None),
            ("Review", 1, RETOUCHING, 1),
            ("Client Proof", 5, FRONT_DESK, None),
            ("Final Edits", 2, RETOUCHING, None),
            ("Exported", 0, None, None),
        ),
    ),
    "Wall Art Order": (
        OrderKind.PRINT,
        ItemType.PRINT,
        (
            ("Ordered", 1, FRONT_DESK, None),
            ("Layout", 3, DESIGN, None),
            ("Client Approval", 5, FRONT_DESK, None),
            ("Sent to Lab", 1, PRINTING, None),
            ("At the Lab", 7, None, None),
            ("Received", 1, SHIPPING, None),
            ("Installation Check", 1, FRAMING, None),
            ("Ready for Pickup", 0, None, None),
        ),
    ),
    "Digital Delivery": (
        OrderKind.GENERIC,
        ItemType.DIGITAL,
        (
            ("Queued", 1, RETOUCHING, None),
            ("Culling", 2, RETOUCHING, None),
            ("Editing", 3, RETOUCHING, None),
            ("Review", 1, RETOUCHING, 1),
            ("Uploading", 1, SHIPPING, None),
            ("Gallery Sent", 0, None, None),
        ),
    ),
    "Press Print Order": (
        OrderKind.PRINT,
        ItemType.PRINT,
        (
            ("Ordered", 1, PRINTING, None),
            ("Color Check", 1, RETOUCHING, None),
            ("Sent to Press", 2, PRINTING, None),
            ("At the Press", 5, None, None),
            ("Received", 1, SHIPPING, None),
            ("Trim and Pack", 1, SHIPPING, None),
            ("Ready for Pickup", 0, None, None),
        ),
    ),
}
INVOICE_STEPS: tuple[StepSpec, ...] = (
    ("Entered", 0, FRONT_DESK, None),
    ("In Production", 10, PRINTING, None),
    ("Ready for Pickup", 3, FRONT_DESK, None),
    ("Picked Up", 0, None, None),
)
PROOF_STEPS: tuple[StepSpec, ...] = (
    ("Proofs Prepared", 2, RETOUCHING, None),
    ("Proofs at Lab", 3, None, None),
    ("Proofs with Client", 5, FRONT_DESK, None),
    ("Proofs Approved", 0, None, None),
)
# Price list items no vendor makes: (identifier, description, price).
SERVICES = (
    ("SCFEE", "Session fee", "150.00"),
    ("SCRUSH", "Rush handling", "40.00"),
    ("SCSHIP", "Shipping", "12.50"),
)
SESSION_TYPES = ("Wedding", "Portrait", "Newborn", "Family", "School", "Event")
PRIORITIES = (("Rush", "Wanted as soon as possible"), ("Season", "Wedding season"), ("VIP", ""))
_FIRST_NAMES = (
    "Ada Ben Chloe Dev Emma Farid Grace Hugo Iris Jonas Kira Liam Maya Noah Olga Pablo Quinn "
    "Rosa Sami Tara Umar Vera Wes Xenia Yara Zane Alma Bruno Cleo Dario Elif Femi Gita Hana "
    "Ivo Jade"
)
FIRST_NAMES = tuple(_FIRST_NAMES.split())
_LAST_NAMES = (
    "Abbott Baker Costa Diaz Evans Fischer Garcia Hughes Ito Jensen Kowalski Lopez Moreau "
    "Novak Okafor Patel Quint Rossi Silva Tanaka Ueda Varga Weber Xu Young Zhang Arendt "
    "Becker Chen Dubois Eriksen Fontaine Gallo Horvat Ibarra Jovanovic Keller Lindqvist "
    "Murphy Nakamura"
)
LAST_NAMES = tuple(_LAST_NAMES.split())
_PLACES = (
    "Harbor Bay Summit Cedar Northgate Riverside Lakeview Granite Meadow Pioneer Beacon "
    "Copper Willow Silver Oak Hillcrest Ironwood Maple Seaside"
)
PLACES = tuple(_PLACES.split())
VENDOR_WORDS = ("Photo Lab", "Imaging", "Bindery", "Frames", "Print Works", "Digital", "Canvas Co")


@dataclass(frozen=True)
class ScaleReport:
    """What a run made, and how long it took (``rows`` counts every row written in bulk)."""

    orders: int
    open_orders: int
    preproduction_orders: int
    open_preproduction_orders: int
    invoices: int
    clients: int
    status_notes: int
    rows: int
    seconds: float
    today: dt.date

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


# -- the small records: through the ORM and the services ----------------------------------------


@dataclass(frozen=True)
class _Step:
    pk: int
    duration: int
    department: int | None
    user: int | None
    final: bool
    status: Status  # for projected_completion


@dataclass(frozen=True)
class _Cycle:
    steps: list[_Step]  # active steps in order: initial first, final last
    rows: list[Status]  # every step, as projected_completion wants them


@dataclass
class _VendorPlan:
    pk: int
    order_type: int
    auto_numbers: bool
    prefix: str
    counter: int
    items: list[tuple[int, str, Decimal, Decimal]]  # (item id, description, price, cost)


@dataclass
class _Studio:
    today: dt.date
    users: list[int]
    departments: list[int]
    vendors: list[_VendorPlan]
    cycles: dict[int, _Cycle]  # order type id -> its cycle
    invoice_cycle: _Cycle
    proof_cycle: _Cycle
    services: list[tuple[int, str, Decimal]]  # price list items no vendor makes
    session_types: list[int]
    priorities: list[int]


def _cycle(
    kind: str,
    name: str,
    specs: Sequence[StepSpec],
    *,
    order_type: Any = None,
    departments: dict[str, Department],
    users: list[Any],
) -> _Cycle:
    """The cycle of this scope: the studio's own if it has one, else made from ``specs``."""
    scope = cycle_scope(kind, order_type.pk if order_type else None, None)
    cycle = Cycle.objects.filter(scope=scope).first()
    if cycle is None:
        cycle = cycle_create(kind=kind, name=name, order_type=order_type)
        for position, (description, days, department, user) in enumerate(specs, start=1):
            status_add(
                cycle=cycle,
                description=description,
                default_duration=days,
                default_department=departments[department] if department else None,
                default_user=users[user] if user is not None else None,
                is_final=position == len(specs),
            )
    rows = list(Status.objects.filter(cycle=cycle).order_by("position", "id"))
    active = [s for s in rows if not s.is_inactive]
    if len(active) < 2 or not active[0].is_initial or not active[-1].is_final:
        raise DarkroomError(
            f"The studio's cycle “{cycle}” has no initial first and final last status: "
            "a large studio can't be made on it.",
            code="cycle_unusable",
        )
    steps = [
        _Step(s.pk, s.default_duration, s.default_department_id, s.default_user_id, s.is_final, s)
        for s in active
    ]
    return _Cycle(steps=steps, rows=rows)


def _people() -> list[Any]:
    """Fifty people: a handful with a role (given through the studio's service), the rest
    without one (they are assigned work, they don't log in)."""
    User = get_user_model()
    wanted = [f"scale{n:02d}" for n in range(1, USERS + 1)]
    have = {u.username: u for u in User.objects.filter(username__in=wanted)}
    new = []
    for number, username in enumerate(wanted):
        if username in have:
            continue
        first, last = FIRST_NAMES[number % len(FIRST_NAMES)], LAST_NAMES[number % len(LAST_NAMES)]
        user = User(
            username=username, first_name=first, last_name=last, email=f"{username}@studio.example"
        )
        user.set_unusable_password()
        new.append(user)
    User.objects.bulk_create(new)
    people = list(User.objects.filter(username__in=wanted).order_by("username"))
    for user, role in zip(
        people, [Role.MANAGER, Role.STAFF, Role.STAFF, Role.STAFF, Role.READONLY], strict=False
    ):
        if user.username not in have:
            user_set_role(user=user, role=role)
    return people


def _studio(rng: random.Random) -> _Studio:
    """The studio's small records, made (or found) in one transaction."""
    with transaction.atomic():
        prefs, _ = StudioPreferences.objects.get_or_create(
            pk=1, defaults={"name": "Northlight Portraits"}
        )
        people = _people()
        departments = {}
        for name in DEPARTMENTS:
            departments[name], _ = Department.objects.get_or_create(name=name)
        for index, user in enumerate(people):
            departments[DEPARTMENTS[index % len(DEPARTMENTS)]].members.add(user)
        kinds, cycles = [], {}
        for position, (name, (kind, _item, specs)) in enumerate(ORDER_TYPES.items(), start=1):
            order_type, _ = ProductionOrderType.objects.get_or_create(
                name=name, defaults={"kind": kind, "position": position}
            )
            kinds.append(order_type)
            cycles[order_type.pk] = _cycle(
                CycleKind.PRODUCTION,
                name,
                specs,
                order_type=order_type,
                departments=departments,
                users=people,
            )
        invoice_cycle = _cycle(
            CycleKind.INVOICE, "Invoices", INVOICE_STEPS, departments=departments, users=people
        )
        proof_cycle = _cycle(
            CycleKind.PREPRODUCTION, "Proofing", PROOF_STEPS, departments=departments, users=people
        )
        vendors = _vendors(rng, kinds)
        services = []
        for identifier, description, price in SERVICES:
            item, _ = PriceListItem.objects.get_or_create(
                identifier=identifier,
                defaults={
                    "description": description,
                    "item_type": ItemType.SERVICE,
                    "price": Decimal(price),
                },
            )
            services.append((item.pk, item.description, item.price))
        session_types = []
        for position, name in enumerate(SESSION_TYPES, start=1):
            kind, _ = SessionType.objects.get_or_create(name=name, defaults={"position": position})
            session_types.append(kind.pk)
        priorities = []
        for position, (code, description) in enumerate(PRIORITIES, start=1):
            priority, _ = PriorityCode.objects.get_or_create(
                code=code, defaults={"description": description, "position": position}
            )
            priorities.append(priority.pk)
    return _Studio(
        today=prefs.today(),
        users=[u.pk for u in people],
        departments=[d.pk for d in departments.values()],
        vendors=vendors,
        cycles=cycles,
        invoice_cycle=invoice_cycle,
        proof_cycle=proof_cycle,
        services=services,
        session_types=session_types,
        priorities=priorities,
    )


def _vendors(rng: random.Random, kinds: list[ProductionOrderType]) -> list[_VendorPlan]:
    """Two hundred vendors, each with a default order type and one or two products of its own;
    a third of them give order numbers themselves (``auto_assigns_numbers``). Those of the
    same names are kept as they are."""
    item_types = {name: item for name, (_kind, item, _steps) in ORDER_TYPES.items()}
    numbers = range(1, VENDORS + 1)
    names = {
        n: f"{PLACES[n % len(PLACES)]} {VENDOR_WORDS[n % len(VENDOR_WORDS)]} {n:03d}"
        for n in numbers
    }
    have = set(Vendor.objects.filter(name__in=names.values()).values_list("name", flat=True))
    Vendor.objects.bulk_create(
        Vendor(
            name=names[n],
            default_order_type=kinds[n % len(kinds)],
            auto_assigns_numbers=n % 3 == 0,
            is_in_house=n <= 4,
            account_number=f"AC-{n:05d}",
            email=f"orders{n}@vendor.example",
        )
        for n in numbers
        if names[n] not in have
    )
    vendors = {v.name: v for v in Vendor.objects.filter(name__in=names.values())}
    wanted = {}
    for n in numbers:
        vendor = vendors[names[n]]
        kind = kinds[n % len(kinds)]
        for variant in range(1 + n % 2):
            price = Decimal(rng.randrange(2_000, 90_000)) / 100
            wanted[f"SC{n:03d}{variant}"] = PriceListItem(
                identifier=f"SC{n:03d}{variant}",
                description=f"{kind.name.replace(' Order', '')} {variant + 1} ({vendor.name})",
                item_type=item_types[kind.name],
                group=kind.name,
                price=price,
                cost=(price * Decimal("0.4")).quantize(Decimal("0.01")),
                preferred_vendor=vendor,
            )
    have = set(
        PriceListItem.objects.filter(identifier__in=wanted).values_list("identifier", flat=True)
    )
    PriceListItem.objects.bulk_create(item for key, item in wanted.items() if key not in have)
    items: dict[int, list[tuple[int, str, Decimal, Decimal]]] = {}
    for item in PriceListItem.objects.filter(identifier__in=wanted).order_by("identifier"):
        items.setdefault(item.preferred_vendor_id, []).append(
            (item.pk, item.description, item.price, item.cost)
        )
    plans = []
    for n in numbers:
        vendor = vendors[names[n]]
        plans.append(
            _VendorPlan(
                pk=vendor.pk,
                order_type=vendor.default_order_type_id or kinds[n % len(kinds)].pk,
                auto_numbers=vendor.auto_assigns_numbers,
                prefix="" if vendor.auto_assigns_numbers else f"V{n:03d}-",
                counter=vendor.next_order_number,
                items=items.get(vendor.pk) or [_any_item(vendor)],
            )
        )
    return plans


def _any_item(vendor: Vendor) -> tuple[int, str, Decimal, Decimal]:
    """A product for a vendor whose seeded items were moved to another: one made for it."""
    item, _ = PriceListItem.objects.get_or_create(
        identifier=f"SCX{vendor.pk}",
        defaults={
            "description": f"Work by {vendor.name}",
            "price": Decimal("50.00"),
            "preferred_vendor": vendor,
        },
    )
    return item.pk, item.description, item.price, item.cost


# -- writing in bulk -----------------------------------------------------------------------------


class _Table:
    """One table written in bulk: the columns a row gives (id first), the others' defaults.

    Rows are tuples in ``columns`` order; the columns a row doesn't give get the model's
    default, prepared once as the ORM would. A NOT NULL column without a default that the rows
    don't give is a mistake here, found before anything is written.
    """

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        self.model = model
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise RuntimeError(f"{model.__name__} has no column {sorted(unknown)}")
        blank, now = model(), timezone.now()
        rest = [f for name, f in fields.items() if name not in columns]
        tail = []
        for field in rest:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            else:
                value = getattr(blank, field.attname)
            if value is None and not field.null:
                raise RuntimeError(f"{model.__name__}.{field.attname} needs a value")
            tail.append(field.get_db_prep_save(value, connection))
        self.tail = tuple(tail)
        self.columns = [fields[name].column for name in columns] + [f.column for f in rest]
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0
        self.next_id = (model.objects.aggregate(last=Max("pk"))["last"] or 0) + 1

    def take_id(self) -> int:
        pk = self.next_id
        self.next_id += 1
        return pk

    def add(self, row: tuple[Any, ...]) -> None:
        self.rows.append(row + self.tail)

    def flush(self, cursor: Any) -> None:
        if not self.rows:
            return
        q = connection.ops.quote_name
        table, names = q(self.model._meta.db_table), ", ".join(q(c) for c in self.columns)
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in self.rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(self.columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", self.rows)
        self.written += len(self.rows)
        self.rows = []


@contextmanager
def _bulk_load() -> Iterator[None]:
    """SQLite, for the load only: no fsync, a large page cache, foreign keys checked by the
    tests of this generator rather than on every row; the previous settings come back after.

    Inside a transaction (a test's) SQLite keeps all but the cache as it is.
    """
    if connection.vendor != "sqlite":
        yield
        return
    names = ["cache_size"]
    if not connection.in_atomic_block:
        names += ["synchronous", "temp_store", "foreign_keys"]
    with connection.cursor() as cursor:
        saved = {}
        for name in names:
            cursor.execute(f"PRAGMA {name}")
            saved[name] = int(cursor.fetchone()[0])
        load = {"cache_size": -262_144, "temp_store": 2, "synchronous": 0, "foreign_keys": 0}
        for name in names:  # 256 MiB of cache, temporary b-trees in memory
            cursor.execute(f"PRAGMA {name}={load[name]}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, value in saved.items():
                cursor.execute(f"PRAGMA {name}={value}")


def _secondary_indexes(table: str) -> list[tuple[str, str]]:
    """A table's indexes that enforce nothing (not unique, not the key): name and definition."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%' ORDER BY name",
                [table],
            )
        else:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                "AND tablename = %s AND indexdef NOT LIKE 'CREATE UNIQUE%%' ORDER BY indexname",
                [table],
            )
        return list(cursor.fetchall())


@contextmanager
def _indexes_set_aside(tables: Sequence[_Table], *, when: bool) -> Iterator[None]:
    """Drop the tables' secondary indexes for the load and build them again after it.

    Building an index once over every row is several times faster than keeping it up to date
    row by row; the unique indexes stay, so the rules they enforce hold throughout. The
    indexes come back even when the load fails (a process killed outright can't: run
    ``darkroom migrate`` on a copy to compare, or make the studio again).
    """
    if not when:
        yield
        return
    q = connection.ops.quote_name
    aside = [index for t in tables for index in _secondary_indexes(t.model._meta.db_table)]
    with _checks_done(), connection.cursor() as cursor:
        for name, _definition in aside:
            cursor.execute(f"DROP INDEX {q(name)}")
    try:
        yield
    finally:
        with _checks_done(), connection.cursor() as cursor:
            for _name, definition in aside:
                cursor.execute(definition)


@contextmanager
def _checks_done() -> Iterator[None]:
    """PostgreSQL inside a transaction (a test's): the foreign keys' deferred checks run now,
    since a table with checks pending can't have its indexes changed; deferred again after."""
    pending = connection.vendor == "postgresql" and connection.in_atomic_block
    if pending:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    try:
        yield
    finally:
        if pending:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _analyze(tables: Sequence[_Table]) -> None:
    """Statistics for the planner over what was written (sampled on SQLite: a full ANALYZE of
    millions of rows would take as long as writing them)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit=2000")
            cursor.execute("ANALYZE")
        else:
            for table in tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table.model._meta.db_table)}")


def _reset_sequences(tables: Sequence[_Table]) -> None:
    """PostgreSQL: the ids were given here, so each table's sequence moves past them."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [t.model for t in tables]):
            cursor.execute(sql)


# -- the generator -------------------------------------------------------------------------------


class _Memo(dict):  # type: ignore[type-arg]
    """A dict that computes a value the first time its key is asked for."""

    def __init__(self, compute: Callable[[Any], Any]) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.compute(key)
        return value


class _Dates:
    """Dates as the database takes them, and the calendar's answers, remembered: the same few
    thousand dates and durations come back millions of times. Dates are ordinals here, and the
    keys are packed in one number: ``due[o << 10 | days]``, ``between[a << 20 | b]``,
    ``stamp[o << 5 | hour]``."""

    def __init__(self, today: dt.date) -> None:
        calendar = self.calendar = calendar_now(None).calendar
        day = dt.date.fromordinal
        offset = "+00:00" if connection.vendor == "postgresql" else ""
        self.today = today.toordinal()
        self.iso = iso = _Memo(lambda o: day(o).isoformat())
        self.stamp = _Memo(
            lambda k: f"{iso[k >> 5]} {k & 31:02d}:{(k >> 5) * 7 % 60:02d}:00{offset}"
        )
        self.due = _Memo(lambda k: calendar.due(day(k >> 10), k & 1023).toordinal())
        self.between = _Memo(
            lambda k: calendar.business_days_between(day(k >> 20), day(k & 0xFFFFF))
        )
        self._projected: dict[tuple[int, int], str | None] = {}

    def projected(self, cycle: _Cycle, step: _Step, due: int) -> str | None:
        """What ``projected_completion`` says of a record in ``step`` due on ``due``."""
        key = (step.pk, due)
        if key not in self._projected:
            done = projected_completion(
                steps=cycle.rows,
                status=step.status,
                due=dt.date.fromordinal(due),
                calendar=self.calendar,
            )
            self._projected[key] = None if done is None else done.isoformat()
        return self._projected[key]


def _pick(random: Callable[[], float], steps: list[_Step], lo: int, hi: int, k: int) -> list[_Step]:
    """``k`` of ``steps[lo:hi]`` at random, in their order (selection sampling)."""
    left = hi - lo
    k = min(k, left)
    chosen = []
    for index in range(lo, hi):
        if random() * left < k:
            chosen.append(steps[index])
            k -= 1
        left -= 1
    return chosen


class _Writer:
    """Builds the rows of every bulk table, invoice by invoice, and writes them in batches."""

    def __init__(self, studio: _Studio, rng: random.Random, *, orders: int) -> None:
        self.s, self.rng, self.total = studio, rng, orders
        self.dates = _Dates(studio.today)
        # The studio's order numbers go on from its count (moved past them by ``finish``).
        self.next_number = int(order_numbers_take(1)[0])
        self.clients = _Table(Client, ["id", "first_name", "last_name", "email", "phone"])
        self.sessions = _Table(
            Session, ["id", "client_id", "session_type_id", "date", "photographer_id"]
        )
        tracked = [
            "status_id",
            "status_entered_on",
            "status_due_date",
            "status_department_id",
            "status_user_id",
            "status_changed_at",
            "completed_by_id",
            "completed_date",
            "projected_completion",
            "version",
        ]
        self.invoices = _Table(
            Invoice,
            [
                "id",
                "client_id",
                "session_id",
                "invoice_date",
                "approximate_delivery_date",
                "delivered_date",
                "total",
                "paid",
                "created_by_id",
                *tracked,
            ],
        )
        self.lines = _Table(
            InvoiceLine,
            ["id", "invoice_id", "position", "item_id", "description", "quantity", "price"],
        )
        self.payments = _Table(Payment, ["id", "invoice_id", "date", "amount", "method"])
        self.orders = _Table(
            ProductionOrder,
            [
                "id",
                "invoice_id",
                "vendor_id",
                "order_type_id",
                "number",
                "vendor_number",
                "order_date",
                "promised_date",
                "entered_by_id",
                "client_id",
                "priority_code_id",
                "vendor_invoice_amount",
                *tracked,
            ],
        )
        self.details = _Table(
            ProductionOrderDetail,
            ["id", "order_id", "invoice_line_id", "item_id", "description", "quantity"],
        )
        self.proofs = _Table(
            PreproductionOrder,
            [
                "id",
                "session_id",
                "vendor_id",
                "number",
                "vendor_number",
                "order_date",
                "entered_by_id",
                *tracked,
            ],
        )
        self.notes = _Table(
            StatusNote,
            [
                "id",
                "content_type_id",
                "object_id",
                "kind",
                "from_status_id",
                "to_status_id",
                "date_completed",
                "due_date",
                "updated_by_id",
                "department_id",
                "user_id",
                "changed_at",
                "business_days_taken",
                "planned_duration",
            ],
        )
        # In the order their foreign keys need them.
        self.tables = [
            self.clients,
            self.sessions,
            self.invoices,
            self.lines,
            self.payments,
            self.orders,
            self.details,
            self.proofs,
            self.notes,
        ]
        types = ContentType.objects.get_for_models(ProductionOrder, PreproductionOrder, Invoice)
        self.order_ct = types[ProductionOrder].pk
        self.proof_ct = types[PreproductionOrder].pk
        self.invoice_ct = types[Invoice].pk
        weights = [1 / (rank + 1) ** 0.8 for rank in range(len(studio.vendors))]
        rng.shuffle(weights)
        self.vendor_weights = list(_cumulative(weights))
        self.made_clients: list[tuple[int, int, int]] = []  # (client id, session id, date)
        self.open_orders = self.open_proofs = self.proof_count = 0

    # -- one invoice and its orders ----------------------------------------------------------

    def invoice(
        self, day: int, first_order: int, count: int, open_orders: set[int], open_proof: bool
    ) -> None:
        rng, d, s = self.rng, self.dates, self.s
        client_id, session_id = self._client(day, open_proof)
        invoice_id = self.invoices.take_id()
        vendors = self._vendors(count)
        lines, total = [], Decimal("0")
        for position, vendor in enumerate(vendors):
            item_id, description, price, cost = vendor.items[int(rng.random() * len(vendor.items))]
            quantity = 1 + (rng.random() < 0.3) + (rng.random() < 0.1)
            line_id = self.lines.take_id()
            self.lines.add(
                (line_id, invoice_id, position, item_id, description, quantity, str(price))
            )
            lines.append((line_id, item_id, description, quantity, cost))
            total += price * quantity
        if rng.random() < 0.5:
            item_id, description, price = s.services[int(rng.random() * len(s.services))]
            self.lines.add(
                (
                    self.lines.take_id(),
                    invoice_id,
                    len(vendors),
                    item_id,
                    description,
                    1,
                    str(price),
                )
            )
            total += price
        is_open = any(first_order + i in open_orders for i in range(count))
        promised = None
        if is_open:
            promised = max(day + 7, d.today + rng.randrange(0, 60))
        elif d.today - day < 400:
            promised = day + 14 + int(rng.random() * 31)
        promised_text = None if promised is None else d.iso[promised]
        entered_by = s.users[int(rng.random() * len(s.users))]
        finished = day
        for index, (vendor, line) in enumerate(zip(vendors, lines, strict=True)):
            done = self._order(
                invoice_id,
                client_id,
                vendor,
                line,
                day,
                promised,
                promised_text,
                entered_by,
                first_order + index in open_orders,
            )
            finished = max(finished, done)
        self._invoice_row(
            invoice_id,
            client_id,
            session_id,
            day,
            promised_text,
            total,
            is_open,
            finished,
            entered_by,
        )

    def _client(self, day: int, open_proof: bool) -> tuple[int, int]:
        """A new client (with the session they were photographed in), or now and then one who
        came back; sometimes proofs were sent out for the session."""
        rng = self.rng
        if self.made_clients and rng.random() < 0.2:
            client_id, session_id, session_day = self.made_clients[
                int(rng.random() * len(self.made_clients))
            ]
        else:
            client_id, session_id = self.clients.take_id(), self.sessions.take_id()
            first = FIRST_NAMES[int(rng.random() * len(FIRST_NAMES))]
            last = LAST_NAMES[int(rng.random() * len(LAST_NAMES))]
            self.clients.add(
                (
                    client_id,
                    first,
                    last,
                    f"{first}.{last}{client_id}@mail.example".lower(),
                    f"555-{client_id % 10_000:04d}",
                )
            )
            session_day = day - 3 - int(rng.random() * 27)
            self.sessions.add(
                (
                    session_id,
                    client_id,
                    self.s.session_types[client_id % len(self.s.session_types)],
                    self.dates.iso[session_day],
                    self.s.users[int(rng.random() * len(self.s.users))],
                )
            )
            self.made_clients.append((client_id, session_id, session_day))
            if not open_proof and rng.random() < 0.05:
                self._proof(session_id, session_day + 1, is_open=False)
        if open_proof:
            self._proof(session_id, max(session_day + 1, day - rng.randrange(0, 10)), is_open=True)
        return client_id, session_id

    def _vendors(self, count: int) -> list[_VendorPlan]:
        """``count`` different vendors, the busy ones more often than the others."""
        chosen: dict[int, _VendorPlan] = {}
        vendors, weights, random = self.s.vendors, self.vendor_weights, self.rng.random
        top = weights[-1]
        while len(chosen) < count:
            vendor = vendors[bisect_right(weights, random() * top)]
            chosen.setdefault(vendor.pk, vendor)
        return list(chosen.values())

    def _studio_number(self) -> str:
        """The studio's next order number (one count for production and proof orders)."""
        self.next_number += 1
        return str(self.next_number - 1)

    def _number(self, vendor: _VendorPlan) -> str | None:
        if not vendor.auto_numbers and self.rng.random() < 0.5:
            return None  # numbers typed by hand, when the vendor sends one: not always
        number = f"{vendor.prefix}{vendor.counter}"
        vendor.counter += 1
        return number

    def _order(
        self,
        invoice_id: int,
        client_id: int,
        vendor: _VendorPlan,
        line: tuple[int, int, str, int, Decimal],
        day: int,
        promised: int | None,
        promised_text: str | None,
        entered_by: int,
        is_open: bool,
    ) -> int:
        rng, d, s = self.rng, self.dates, self.s
        order_id = self.orders.take_id()
        cycle = s.cycles[vendor.order_type]
        placed = min(day + int(rng.random() * 3), d.today)
        tracked, done, placed = self._history(
            self.order_ct, order_id, cycle, placed, is_open, entered_by
        )
        line_id, item_id, description, quantity, cost = line
        priority = (
            s.priorities[int(rng.random() * len(s.priorities))] if rng.random() < 0.08 else None
        )
        amount = None if is_open else str(cost * quantity)
        self.orders.add(
            (
                order_id,
                invoice_id,
                vendor.pk,
                vendor.order_type,
                self._studio_number(),
                self._number(vendor),
                d.iso[placed],
                promised_text,
                entered_by,
                client_id,
                priority,
                amount,
                *tracked,
            )
        )
        self.details.add(
            (self.details.take_id(), order_id, line_id, item_id, description, quantity)
        )
        self.open_orders += is_open
        return done

    def _proof(self, session_id: int, day: int, *, is_open: bool) -> None:
        rng, d = self.rng, self.dates
        vendor = self.s.vendors[int(rng.random() * len(self.s.vendors))]
        placed = min(day, d.today)
        proof_id = self.proofs.take_id()
        entered_by = self.s.users[int(rng.random() * len(self.s.users))]
        tracked, _, placed = self._history(
            self.proof_ct, proof_id, self.s.proof_cycle, placed, is_open, entered_by
        )
        number = f"{vendor.counter}" if vendor.auto_numbers else None
        if number is not None:
            vendor.counter += 1
        self.proofs.add(
            (
                proof_id,
                session_id,
                vendor.pk,
                self._studio_number(),
                number,
                d.iso[placed],
                entered_by,
                *tracked,
            )
        )
        self.proof_count += 1
        self.open_proofs += is_open

    def _invoice_row(
        self,
        invoice_id: int,
        client_id: int,
        session_id: int,
        day: int,
        promised_text: str | None,
        total: Decimal,
        is_open: bool,
        finished: int,
        entered_by: int,
    ) -> None:
        """The invoice, "In Production" while an order is open, else picked up the day its last
        order was done; paid in full once picked up, a deposit before."""
        d, rng = self.dates, self.rng
        steps = self.s.invoice_cycle.steps
        first, then = steps[0], (steps[1] if is_open else steps[-1])
        when = day if is_open else finished
        user = self.s.users[int(rng.random() * len(self.s.users))]
        due = d.due[when << 10 | then.duration] if is_open else None
        self._note(
            self.invoice_ct,
            invoice_id,
            START,
            None,
            first,
            day,
            d.due[day << 10 | first.duration],
            entered_by,
            first.department,
            first.user,
            9,
        )
        self._note(
            self.invoice_ct,
            invoice_id,
            CHANGE,
            first,
            then,
            when,
            due,
            user,
            then.department,
            then.user,
            10,
            since=day,
        )
        paid = (total / 2).quantize(Decimal("0.01")) if is_open else total
        self.invoices.add(
            (
                invoice_id,
                client_id,
                session_id,
                d.iso[day],
                promised_text,
                None if is_open else d.iso[when],
                str(total),
                str(paid),
                entered_by,
                then.pk,
                d.iso[when],
                None if due is None else d.iso[due],
                then.department,
                then.user,
                d.stamp[when << 5 | 10],
                None if is_open else user,
                None if is_open else d.iso[when],
                None if due is None else d.projected(self.s.invoice_cycle, then, due),
                3,
            )
        )
        if paid:
            self.payments.add(
                (
                    self.payments.take_id(),
                    invoice_id,
                    d.iso[day if is_open else when],
                    str(paid),
                    "card" if rng.random() < 0.7 else "cash",
                )
            )

    # -- a record's path through its cycle -----------------------------------------------------

    def _history(
        self,
        content_type: int,
        record_id: int,
        cycle: _Cycle,
        placed: int,
        is_open: bool,
        entered_by: int,
    ) -> tuple[tuple[Any, ...], int, int]:
        """The record's notes from its start to where it is now; its status columns, the date
        it reached its current step and the date it started (its order date).

        A finished record went through two to four of its cycle's middle steps (skipping the
        others) to the final one, each step taking about its planned time; an open one is in a
        step that is not final, entered in the last days (after some of the earlier steps).
        """
        random, d, users = self.rng.random, self.dates, self.s.users
        iso, stamp, due_on, between, today = d.iso, d.stamp, d.due, d.between, d.today
        steps = cycle.steps
        final = len(steps) - 1
        if is_open:
            at = int(random() * final)  # any step but the final one
            path = [steps[0]]
            if at > 1:
                path += _pick(random, steps, 1, at, 1 + int(random() * 3))
            if at:
                path.append(steps[at])
            entered = max(placed, today - int(random() * 12))
            count = len(path) - 1  # the earlier steps, spread from the order date to then
            days = [placed + ((entered - placed) * i) // count for i in range(count)] + [entered]
        else:
            path = [steps[0], *_pick(random, steps, 1, final, 2 + int(random() * 3)), steps[-1]]
            days = [placed]
            day = placed
            for step in path[:-1]:
                late = step.duration + int(random() * 5) - 1
                day = min(due_on[day << 10 | (late if late > 0 else 0)], today)
                days.append(day)
        notes = self.notes
        add, tail, note_id = notes.rows.append, notes.tail, notes.next_id
        n_users = len(users)
        last = len(path) - 1
        previous: _Step | None = None
        by = entered_by
        department = user = due = None
        for number, step in enumerate(path):
            day = days[number]
            department, user = step.department, step.user
            due = None if step.final else due_on[day << 10 | step.duration]
            due_text = None if due is None else iso[due]
            if previous is None:
                row = (
                    note_id,
                    content_type,
                    record_id,
                    START,
                    None,
                    step.pk,
                    iso[day],
                    due_text,
                    by,
                    department,
                    user,
                    stamp[day << 5 | 9],
                    None,
                    None,
                )
            else:
                by = users[int(random() * n_users)]
                if number == last and is_open and random() < 0.3:
                    user = users[int(random() * n_users)]
                row = (
                    note_id,
                    content_type,
                    record_id,
                    CHANGE,
                    previous.pk,
                    step.pk,
                    iso[day],
                    due_text,
                    by,
                    department,
                    user,
                    stamp[day << 5 | (9 + number)],
                    between[days[number - 1] << 20 | day],
                    previous.duration,
                )
            add(row + tail)
            note_id += 1
            previous = step
        notes.next_id = note_id
        step, day = path[-1], days[-1]
        done = step.final
        tracked = (
            step.pk,
            iso[day],
            None if due is None else iso[due],
            department,
            user,
            stamp[day << 5 | (9 + last)],
            by if done else None,
            iso[day] if done else None,
            None if done else d.projected(cycle, step, due),
            1 + len(path),
        )
        return tracked, day, days[0]

    def _note(
        self,
        content_type: int,
        record_id: int,
        kind: str,
        previous: _Step | None,
        step: _Step,
        day: int,
        due: int | None,
        by: int,
        department: int | None,
        user: int | None,
        hour: int,
        since: int = 0,
    ) -> None:
        """One history row (``since``: the day ``previous`` was entered)."""
        d = self.dates
        self.notes.add(
            (
                self.notes.take_id(),
                content_type,
                record_id,
                kind,
                None if previous is None else previous.pk,
                step.pk,
                d.iso[day],
                None if due is None else d.iso[due],
                by,
                department,
                user,
                d.stamp[day << 5 | hour],
                None if previous is None else d.between[since << 20 | day],
                None if previous is None else previous.duration,
            )
        )

    # -- batches -------------------------------------------------------------------------------

    def flush(self) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            for table in self.tables:
                table.flush(cursor)

    def finish(self) -> None:
        """The studio's and the vendors' counters move past the numbers given; the planner
        learns the tables."""
        with transaction.atomic():
            order_numbers_move_past(self.next_number - 1)
            for vendor in self.s.vendors:
                Vendor.objects.filter(pk=vendor.pk, next_order_number__lt=vendor.counter).update(
                    next_order_number=vendor.counter
                )
        _reset_sequences(self.tables)
        _analyze(self.tables)


def _cumulative(weights: Sequence[float]) -> Iterator[float]:
    total = 0.0
    for weight in weights:
        total += weight
        yield total


def _orders_per_invoice(rng: random.Random, orders: int) -> list[int]:
    """How many orders each invoice has (1 to 5, three on average), adding up to ``orders``."""
    counts, left = [], orders
    while left > 0:
        count = min(left, rng.choices((1, 2, 3, 4, 5), (10, 25, 30, 20, 15))[0])
        counts.append(count)
        left -= count
    return counts


def check_orders(value: object) -> int:
    """The number of orders asked for: a whole number above zero."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValidationError({"orders": "The number of orders is a whole number above zero."})
    return value


def seed_scale(
    *,
    orders: int,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
    force: bool = False,
) -> ScaleReport:
    """Make a large studio of ``orders`` production orders (see the module docstring).

    ``progress(done, total)`` is called as the orders are written (``done`` of ``total``
    orders). A studio that already has production orders is refused unless ``force``: the new
    ones are added to them (reusing the vendors, cycles and people of the same names).
    """
    check_orders(orders)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValidationError({"seed": "The seed is a whole number."})
    if not force and ProductionOrder.objects.exists():
        raise DarkroomError(
            "This studio already has production orders: a large studio is made in an empty "
            "database (or add to it on purpose with force).",
            code="studio_in_use",
        )
    started = time.perf_counter()
    rng = random.Random(seed)
    studio = _studio(rng)
    counts = _orders_per_invoice(rng, orders)
    open_count = round(orders * OPEN_SHARE)
    window = min(orders, math.ceil(open_count / 0.8))
    open_orders = set(rng.sample(range(orders - window, orders), open_count))
    invoices = len(counts)
    proof_window = max(1, math.ceil(invoices * OPEN_SHARE))
    open_proofs = set(
        rng.sample(
            range(invoices - proof_window, invoices), min(proof_window, max(2, orders // 200))
        )
    )
    writer = _Writer(studio, rng, orders=orders)
    today = studio.today.toordinal()
    first_day = today - 365 * YEARS
    if progress is not None:
        progress(0, orders)
    done = batch = 0
    # Set the indexes aside when the new rows are the bulk of the table (always, when empty).
    set_aside = orders >= ProductionOrder.objects.count()
    with _bulk_load(), _indexes_set_aside(writer.tables, when=set_aside):
        for index, count in enumerate(counts):
            day = first_day + ((today - first_day) * index) // max(1, invoices - 1)
            writer.invoice(day, done, count, open_orders, index in open_proofs)
            done += count
            batch += count
            if batch >= BATCH_ORDERS or index == invoices - 1:
                writer.flush()
                batch = 0
                if progress is not None:
                    progress(done, orders)
    writer.finish()
    return ScaleReport(
        orders=writer.orders.written,
        open_orders=writer.open_orders,
        preproduction_orders=writer.proof_count,
        open_preproduction_orders=writer.open_proofs,
        invoices=writer.invoices.written,
        clients=writer.clients.written,
        status_notes=writer.notes.written,
        rows=sum(table.written for table in writer.tables),
        seconds=time.perf_counter() - started,
        today=studio.today,
    )
