"""The large studio's small records, made through the ORM and the services as the pages would
make them: studio preferences, people and their roles, departments, vendors and their products,
the price list, order types, session types, priority codes, and the cycles (through
``tracking.services.cycles``). Those that exist by name are reused, so a second run adds to the
first.

What the writer needs of them comes back as plain ids and numbers (``StudioRecords``): the
writer runs millions of times and touches no model instance.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from darkroom.catalog.models import (
    ItemType,
    PriceListItem,
    PriorityCode,
    ProductionOrderType,
    Vendor,
)
from darkroom.clients.models import SessionType
from darkroom.errors import DarkroomError
from darkroom.sample_data.scale.plan import (
    DEPARTMENTS,
    FIRST_NAMES,
    INVOICE_STEPS,
    LAST_NAMES,
    ORDER_TYPES,
    PLACES,
    PRIORITIES,
    PROOF_STEPS,
    SERVICES,
    SESSION_TYPES,
    USERS,
    VENDOR_WORDS,
    VENDORS,
    StepSpec,
)
from darkroom.studio.models import Department, StudioPreferences
from darkroom.studio.roles import Role
from darkroom.studio.services import user_set_role
from darkroom.tracking.models import Cycle, CycleKind, Status, cycle_scope
from darkroom.tracking.services import cycle_create, status_add


@dataclass(frozen=True)
class Step:
    pk: int
    duration: int
    department: int | None
    user: int | None
    final: bool
    status: Status  # for projected_completion


@dataclass(frozen=True)
class CycleSteps:
    steps: list[Step]  # active steps in order: initial first, final last
    rows: list[Status]  # every step, as projected_completion wants them


@dataclass
class VendorPlan:
    pk: int
    order_type: int
    auto_numbers: bool
    prefix: str
    counter: int
    items: list[tuple[int, str, Decimal, Decimal]]  # (item id, description, price, cost)


@dataclass
class StudioRecords:
    today: dt.date
    users: list[int]
    departments: list[int]
    vendors: list[VendorPlan]
    cycles: dict[int, CycleSteps]  # order type id -> its cycle
    invoice_cycle: CycleSteps
    proof_cycle: CycleSteps
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
) -> CycleSteps:
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
        Step(s.pk, s.default_duration, s.default_department_id, s.default_user_id, s.is_final, s)
        for s in active
    ]
    return CycleSteps(steps=steps, rows=rows)


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


def studio_records(rng: random.Random) -> StudioRecords:
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
    return StudioRecords(
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


def _vendors(rng: random.Random, kinds: list[ProductionOrderType]) -> list[VendorPlan]:
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
            VendorPlan(
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
