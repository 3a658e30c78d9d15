"""``demo_studio_load``: write the demo studio through the same services the pages use."""

from __future__ import annotations

import datetime as dt
import enum
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import Q

from darkroom.catalog.models import PriceListItem, Vendor
from darkroom.clients.models import Client, Invoice, InvoiceLine, Payment, Session
from darkroom.messaging.firings import firings_process_due
from darkroom.messaging.models import MessageTemplate, Trigger
from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.sample_data.demo import catalog, messages
from darkroom.sample_data.demo.front_desk import DemoHistory, clients_entered
from darkroom.sample_data.demo.invoice_and_session_routes import invoice_routes, session_routes
from darkroom.sample_data.demo.lists import (
    catalog_save,
    cycles_save,
    departments_save,
    session_types_save,
    triggers_save,
)
from darkroom.sample_data.demo.order_routes import (
    order_dates,
    order_routes,
    pick_moved_on,
    production_orders,
    proof_orders,
    reorders,
)
from darkroom.sample_data.demo.people import (
    INVOICES_ENTERED_BY,
    MANAGER,
    STUDIO,
    TEAM,
    DemoPerson,
)
from darkroom.sample_data.demo.situations import every_step_held, flags_shown
from darkroom.sample_data.demo.timeline import DemoTimeline, OrderPlan
from darkroom.sample_data.demo.writing import (
    costs_and_priorities,
    routes_write,
    sessions_due_on_shoot_day,
)
from darkroom.studio.models import Department
from darkroom.studio.roles import GROUP_NAMES, Role
from darkroom.studio.selectors import studio_preferences
from darkroom.studio.services import studio_preferences_update, user_create
from darkroom.tracking.models import Cycle, Status
from darkroom.tracking.services import status_change

DEMO_PASSWORD = "darkroom-demo"
SEED = 1839  # the year of the daguerreotype; any fixed number makes every load alike


class DemoOutcome(enum.Enum):
    LOADED = "loaded"
    ALREADY_LOADED = "already loaded"
    STUDIO_IN_USE = "studio in use"


@dataclass(frozen=True)
class DemoLogin:
    """A manager to log in as; ``password`` is None when the demo doesn't know it."""

    username: str
    password: str | None
    created: bool


@dataclass(frozen=True)
class DemoLoad:
    """What ``demo_studio_load`` did, for the command to tell the person."""

    outcome: DemoOutcome
    studio_name: str
    login: DemoLogin | None = None
    team: tuple[DemoPerson, ...] = ()  # the people created with the demo password
    counts: dict[str, int] = field(default_factory=dict)
    in_use: tuple[str, ...] = ()  # what a studio that refused the demo already holds


def demo_studio_load(*, login_password: str = DEMO_PASSWORD) -> DemoLoad:
    """Load the demo studio into an empty studio, once.

    Loading twice changes nothing (the demo's vendors mark it as loaded). A studio that already
    has its own clients, invoices, vendors or price list is left alone, so ``make run`` never mixes
    the demo into real work. Either way, a studio without any manager gets the demo manager login.
    Everything is written in one transaction: a failure leaves no half-loaded demo.
    """
    validate_password(login_password)
    with transaction.atomic():
        if Vendor.objects.filter(name__in=[v.name for v in catalog.VENDORS]).exists():
            departments = {d.name: d for d in Department.objects.all()}
            login = _manager_login(login_password, departments)
            return DemoLoad(DemoOutcome.ALREADY_LOADED, studio_preferences().name, login)
        in_use = _records_in_use()
        if in_use:
            return DemoLoad(DemoOutcome.STUDIO_IN_USE, studio_preferences().name, in_use=in_use)

        prefs = studio_preferences_update(**STUDIO)
        departments = departments_save()
        login = _manager_login(login_password, departments)
        people, team = _team(departments)
        items, vendors = catalog_save()
        history = DemoHistory(random.Random(SEED), prefs, items, vendors)
        # Sessions are booked before the cycles exist, so each enters "Booked" on the day it
        # was booked (weeks ago) rather than today, and can move on from there.
        sessions = history.sessions(clients_entered(), session_types_save(), _photographers(people))
        cycles_save(departments)
        front_desk = people.get(INVOICES_ENTERED_BY)
        invoices, showcase = history.invoices(sessions, by=front_desk)
        manager = get_user_model().objects.get(username=login.username)
        by = front_desk or manager
        if login.created:
            people = {**people, MANAGER.username: manager}
        timeline = _lived_in(history, sessions, invoices, showcase, people, by)
        triggers_save(departments, by)
        _move_on(by, timeline)
        return DemoLoad(DemoOutcome.LOADED, prefs.name, login, team, _counts())


def _records_in_use() -> tuple[str, ...]:
    kinds = (
        ("clients", Client),
        ("invoices", Invoice),
        ("vendors", Vendor),
        ("price list items", PriceListItem),
    )
    return tuple(name for name, model in kinds if model.objects.exists())


def _create_person(
    person: DemoPerson, password: str, departments: dict[str, Department], username: str = ""
) -> AbstractUser:
    user = user_create(
        username=username or person.username,
        password=password,
        role=person.role,
        first_name=person.first_name,
        last_name=person.last_name,
        email=person.email,
    )
    for name in person.departments:
        if name in departments:
            departments[name].members.add(user)
    return user


def _manager_login(password: str, departments: dict[str, Department]) -> DemoLogin:
    """The demo manager when the studio has no manager, else how to log in as an existing one."""
    User = get_user_model()
    managers = list(
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=GROUP_NAMES[Role.MANAGER]))
        .distinct()
        .order_by("username")
    )
    if not managers:
        taken = User.objects.filter(username=MANAGER.username).exists()
        username = "demo-manager" if taken else MANAGER.username
        _create_person(MANAGER, password, departments, username=username)
        return DemoLogin(username, password, created=True)
    demo = next((m for m in managers if m.username == MANAGER.username), None)
    if demo is not None and demo.check_password(password):
        return DemoLogin(demo.username, password, created=False)
    return DemoLogin(managers[0].username, None, created=False)


def _team(
    departments: dict[str, Department],
) -> tuple[dict[str, AbstractUser], tuple[DemoPerson, ...]]:
    """The studio's staff; a username the studio already uses keeps its own person."""
    User = get_user_model()
    people: dict[str, AbstractUser] = {}
    created = []
    for person in TEAM:
        existing = User.objects.filter(username=person.username).first()
        if existing is None:
            existing = _create_person(person, DEMO_PASSWORD, departments)
            created.append(person)
        people[person.username] = existing
    return people, tuple(created)


def _photographers(people: dict[str, AbstractUser]) -> list[AbstractUser]:
    return [people[p.username] for p in TEAM if p.photographs and p.username in people]


def _move_on(by: AbstractUser, timeline: DemoTimeline) -> None:
    """Move a few open invoices on through the status-change service, so the triggers fire as
    they will every day: the newest ones with production orders go into production (an email
    each, in the outbox), some whose orders are all done on to "Ready for pickup" (an email
    waiting in the review queue, a reminder scheduled); then the worker's tick acts on what is
    due now."""
    cycle = Cycle.objects.get(name=messages.INVOICES)
    steps = {s.description: s for s in cycle.statuses.all()}
    routes = [
        *((invoice, ["In production"]) for invoice in timeline.moved_on_to_production),
        *((invoice, ["Ready for pickup"]) for invoice in timeline.moved_on_to_pickup),
    ]
    for invoice, route in routes:
        fresh = Invoice.objects.get(pk=invoice.pk)
        for description in route:
            status_change(
                record=fresh,
                expected_version=fresh.version,
                updated_by=by,
                to_status=steps[description],
            )
    firings_process_due()


def _lived_in(
    history: DemoHistory,
    sessions: list[Session],
    invoices: list[Invoice],
    showcase: Invoice,
    people: dict[str, AbstractUser],
    by: AbstractUser,
) -> DemoTimeline:
    """Months of work on the sessions and invoices (``timeline``), written before the
    triggers exist so none of it sends anything."""
    today = history.today
    timeline = DemoTimeline(rng=history.rng, today=today, people=people, by=by, showcase=showcase)
    lines: dict[int, list[InvoiceLine]] = {invoice.pk: [] for invoice in invoices}
    for line in InvoiceLine.objects.filter(invoice__in=invoices).select_related(
        "item__preferred_vendor", "vendor_override"
    ):
        lines[line.invoice_id].append(line)
    first_orders: dict[int, Invoice] = {}
    for invoice in sorted(invoices, key=lambda i: (i.invoice_date, i.pk)):
        if invoice.session_id and invoice.pk != showcase.pk:
            first_orders.setdefault(invoice.session_id, invoice)
    plans = [OrderPlan(invoice, lines[invoice.pk]) for invoice in invoices]
    order_dates(timeline, plans)
    proof_orders(timeline, sessions, first_orders)
    production_orders(timeline, plans)
    order_routes(timeline, plans)
    reorders(timeline, plans)
    pick_moved_on(timeline, plans)
    production_routes = [r for r in timeline.routes if isinstance(r.record, ProductionOrder)]
    proof_routes = [r for r in timeline.routes if isinstance(r.record, PreproductionOrder)]
    every_step_held(timeline, production_routes)
    every_step_held(timeline, proof_routes)
    flags_shown(timeline, production_routes)
    invoice_routes(timeline, plans)
    booked = {s.pk: min(s.date - dt.timedelta(days=21), today) for s in sessions}
    ahead = session_routes(timeline, sessions, booked, first_orders)
    routes_write(timeline)
    sessions_due_on_shoot_day(timeline, ahead)
    costs_and_priorities(timeline, plans)
    return timeline


def _counts() -> dict[str, int]:
    return {
        "departments": Department.objects.count(),
        "people": get_user_model().objects.count(),
        "clients": Client.objects.count(),
        "sessions": Session.objects.count(),
        "vendors": Vendor.objects.count(),
        "in-house vendors": Vendor.objects.filter(is_in_house=True).count(),
        "price list items": PriceListItem.objects.count(),
        "invoices": Invoice.objects.count(),
        "invoice lines": InvoiceLine.objects.count(),
        "payments": Payment.objects.count(),
        "status cycles": Cycle.objects.count(),
        "statuses": Status.objects.count(),
        "message templates": MessageTemplate.objects.count(),
        "triggers": Trigger.objects.count(),
    }
