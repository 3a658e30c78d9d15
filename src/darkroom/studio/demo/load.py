"""``demo_studio_load``: write the demo studio through the same services the pages use."""

from __future__ import annotations

import datetime as dt
import enum
import random
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone

from darkroom.catalog.models import (
    PriceListItem,
    PriorityCode,
    ProductionOrderType,
    RenderProfile,
    ReorderReason,
    Vendor,
    VendorProduct,
)
from darkroom.clients.models import Client, Invoice, InvoiceLine, Payment, Session, SessionType
from darkroom.clients.services import (
    LineInput,
    client_save,
    invoice_create,
    payment_add,
    session_save,
)
from darkroom.messaging.firings import firings_process_due
from darkroom.messaging.models import MessageTemplate, Trigger
from darkroom.messaging.trigger_services import trigger_create
from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.record_writes import record_save
from darkroom.studio.demo import catalog, messages
from darkroom.studio.demo.clientele import (
    CLIENTS,
    LATER_ORDERS,
    RETURNS_FOR,
    SESSION_TYPES,
    DemoClient,
)
from darkroom.studio.demo.cycles import CYCLES
from darkroom.studio.demo.people import (
    DEPARTMENTS,
    INVOICES_ENTERED_BY,
    MANAGER,
    STUDIO,
    TEAM,
    DemoPerson,
)
from darkroom.studio.demo.timeline import DemoTimeline, OrderPlan
from darkroom.studio.models import Department, StudioPreferences
from darkroom.studio.roles import GROUP_NAMES, Role
from darkroom.studio.selectors import studio_preferences
from darkroom.studio.services import studio_preferences_update, user_create
from darkroom.tracking.cycles import cycle_create, status_add
from darkroom.tracking.models import Cycle, Status, cycle_scope
from darkroom.tracking.status_change import status_change

DEMO_PASSWORD = "darkroom-demo"
SEED = 1839  # the year of the daguerreotype; any fixed number makes every load alike
SESSIONS = 60
INVOICES = 80
CHOOSING_DAYS = 10  # shoots this recent may have no order yet: the proofs are with the client
LATE_ORDERS = 3  # open invoices whose promised date has passed: the hub should show some trouble
# The newest invoice, always the same: an order waiting for its production orders, with lines for
# two vendors and one the studio delivers itself, so "Create production orders" shows it all.
SHOWCASE_NOTE = "Album, wall print and the digital gallery: ready to send to the labs."
SHOWCASE_LINES = ("ALB12", "16X20", "DIGFULL")  # Heirloom, Prairie, no vendor

M = TypeVar("M", bound=Model)


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
        departments = _departments()
        login = _manager_login(login_password, departments)
        people, team = _team(departments)
        items, vendors = _catalog()
        history = _DemoHistory(random.Random(SEED), prefs, items, vendors)
        # Sessions are booked before the cycles exist, so each enters "Booked" on the day it
        # was booked (weeks ago) rather than today, and can move on from there.
        sessions = history.sessions(_clients(), _session_types(), _photographers(people))
        _cycles(departments)
        front_desk = people.get(INVOICES_ENTERED_BY)
        invoices, showcase = history.invoices(sessions, by=front_desk)
        manager = get_user_model().objects.get(username=login.username)
        by = front_desk or manager
        if login.created:
            people = {**people, MANAGER.username: manager}
        timeline = _lived_in(history, sessions, invoices, showcase, people, by)
        _triggers(departments, by)
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


def _named(model: type[M], lookup: dict[str, object], **fields: object) -> M:
    """The studio's record of that name if it has one (kept as it is), else a new one."""
    existing = model.objects.filter(**lookup).first()  # type: ignore[attr-defined]
    return existing or record_save(record=model(**lookup, **fields))


def _departments() -> dict[str, Department]:
    return {
        name: _named(Department, {"name": name}, description=description)
        for name, description in DEPARTMENTS
    }


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


def _catalog() -> tuple[dict[str, PriceListItem], dict[str, Vendor]]:
    order_types = {
        name: _named(ProductionOrderType, {"name": name}, kind=kind)
        for name, kind in catalog.ORDER_TYPES
    }
    profiles = {
        p.name: _named(
            RenderProfile,
            {"name": p.name},
            size=p.size,
            dpi=p.dpi,
            bleed_mm=p.bleed_mm,
            destination=p.destination,
        )
        for p in catalog.RENDER_PROFILES
    }
    vendors = {
        v.name: record_save(
            record=Vendor(
                name=v.name,
                account_number=v.account_number,
                email=v.email,
                phone=v.phone,
                address=v.address,
                notes=v.notes,
                is_in_house=v.in_house,
                auto_assigns_numbers=v.auto_numbers,
                next_order_number=v.next_number,
                default_order_type=order_types[v.order_type] if v.order_type else None,
                ftp_host=v.ftp_host,
                ftp_user=v.ftp_user,
                ftp_folder=v.ftp_folder,
            )
        )
        for v in catalog.VENDORS
    }
    items = {
        i.identifier: record_save(
            record=PriceListItem(
                identifier=i.identifier,
                description=i.description,
                item_type=i.item_type,
                group=i.group,
                price=Decimal(i.price),
                cost=Decimal(i.cost),
                preferred_vendor=vendors[i.vendor] if i.vendor else None,
                render_profile=profiles[i.render_profile] if i.render_profile else None,
            )
        )
        for i in catalog.PRICE_LIST
    }
    for vendor, identifier, code, description in catalog.VENDOR_PRODUCTS:
        record_save(
            record=VendorProduct(
                vendor=vendors[vendor],
                item=items[identifier],
                product_code=code,
                description=description,
            )
        )
    for description, non_chargeable in catalog.REORDER_REASONS:
        _named(ReorderReason, {"description": description}, is_non_chargeable=non_chargeable)
    for code, description in catalog.PRIORITY_CODES:
        _named(PriorityCode, {"code": code}, description=description)
    return items, vendors


def _cycles(departments: dict[str, Department]) -> None:
    """The studio's status cycles; a cycle the studio already has is kept as it is."""
    for row in CYCLES:
        order_type = (
            ProductionOrderType.objects.get(name=row.order_type) if row.order_type else None
        )
        scope = cycle_scope(row.kind, order_type.pk if order_type else None, None)
        if Cycle.objects.filter(scope=scope).exists():
            continue
        cycle = cycle_create(kind=row.kind, name=row.name, order_type=order_type)
        last = len(row.steps) - 1
        for index, (description, days, department) in enumerate(row.steps):
            status_add(
                cycle=cycle,
                description=description,
                default_duration=days,
                default_department=departments.get(department) if department else None,
                is_final=index == last,
            )


def _triggers(departments: dict[str, Department], by: AbstractUser) -> None:
    """The studio's message templates and triggers (``demo.messages``)."""
    templates = {
        name: record_save(
            record=MessageTemplate(name=name, channel=channel, subject=subject, body=body)
        )
        for name, channel, subject, body in messages.TEMPLATES
    }
    for row in messages.TRIGGERS:
        cycle = Cycle.objects.get(name=row.cycle)
        trigger_create(
            by=by,
            name=row.name,
            cycle=cycle,
            status=cycle.statuses.get(description=row.status),
            when=row.when,
            days=row.days,
            action=row.action,
            processing=row.processing,
            template=templates.get(row.template),
            fallback_template=templates.get(row.fallback_template),
            task_subject=row.task_subject,
            task_department=departments.get(row.task_department),
            hold_until_business_hours=row.hold_until_business_hours,
            skip_do_not_market=row.skip_do_not_market,
            skip_do_not_call=row.skip_do_not_call,
        )


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
    history: _DemoHistory,
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
    timeline.order_dates(plans)
    timeline.proof_orders(sessions, first_orders)
    timeline.production_orders(plans)
    timeline.order_routes(plans)
    timeline.reorders(plans)
    timeline.pick_moved_on(plans)
    order_routes = [r for r in timeline.routes if isinstance(r.record, ProductionOrder)]
    proof_routes = [r for r in timeline.routes if isinstance(r.record, PreproductionOrder)]
    timeline.every_step_held(order_routes)
    timeline.every_step_held(proof_routes)
    timeline.flags_shown(order_routes)
    timeline.invoice_routes(plans)
    booked = {s.pk: min(s.date - dt.timedelta(days=21), today) for s in sessions}
    ahead = timeline.session_routes(sessions, booked, first_orders)
    timeline.write()
    timeline.sessions_due_on_shoot_day(ahead)
    timeline.costs_and_priorities(plans)
    return timeline


def _session_types() -> dict[str, SessionType]:
    return {name: _named(SessionType, {"name": name}) for name in SESSION_TYPES}


def _clients() -> list[tuple[DemoClient, Client]]:
    return [
        (
            row,
            client_save(
                client=Client(
                    first_name=row.first_name,
                    last_name=row.last_name,
                    email=row.email,
                    mobile=row.mobile,
                    phone=row.phone,
                    address=row.address,
                    lead_source=row.lead_source,
                    do_not_market=row.do_not_market,
                    do_not_call=row.do_not_call,
                    # Every other client with a mobile agreed to texts when booking.
                    sms_consent=bool(row.mobile) and index % 2 == 0,
                    notes=row.notes,
                )
            ),
        )
        for index, row in enumerate(CLIENTS)
    ]


SESSION_NOTES = {
    "Wedding": "Second shooter from 2 pm; family formals right after the ceremony.",
    "Newborn": "Bring the cream wrap and the wooden bowl; keep the studio warm.",
    "Family": "Golden hour at Lighthouse Beach if the weather holds.",
    "Senior Portrait": "Two outfit changes; wants the varsity jacket in a few frames.",
    "Headshot": "Navy backdrop to match the firm's website.",
    "Event": "Same-night slideshow; two photographers.",
}
INVOICE_NOTES = (
    "Pick up at the studio.",
    "Gift for the grandparents: please gift-wrap.",
    "Client is travelling; call before shipping.",
    "Ship to the client's address.",
)
ENTERED_AT = dt.time(10, 30)  # studio time: the front desk enters records mid-morning
PAYMENT_METHODS = ("card", "card", "card", "card", "cash", "check", "transfer")


def _saturday_on_or_before(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() - 5) % 7)


def _weekday_on_or_after(day: dt.date) -> dt.date:
    """The day itself from Monday to Friday, else the Monday after."""
    return day + dt.timedelta(days=7 - day.weekday() if day.weekday() >= 5 else 0)


@dataclass(frozen=True)
class _Order:
    """An invoice to be entered: for which shoot, when, which items, linked to the session?"""

    session: Session
    date: dt.date
    picks: list[str]
    linked: bool


class _DemoHistory:
    """Half a year of the studio's life: sessions, then the invoices and payments that followed.

    Every random choice comes from one seeded generator in a fixed order, and every date is
    counted from the studio's today.
    """

    def __init__(
        self,
        rng: random.Random,
        prefs: StudioPreferences,
        items: dict[str, PriceListItem],
        vendors: dict[str, Vendor],
    ) -> None:
        self.rng = rng
        self.today = prefs.today()
        self.zone = zoneinfo.ZoneInfo(prefs.time_zone)
        self.items = items
        self.vendors = vendors
        self.late_orders = 0

    def days_ago(self, days: int) -> dt.date:
        return self.today - dt.timedelta(days=days)

    def sessions(
        self,
        clients: list[tuple[DemoClient, Client]],
        types: dict[str, SessionType],
        photographers: list[AbstractUser],
    ) -> list[Session]:
        """Each client's first shoot in the last six months; some come back, a few next month."""
        rng = self.rng
        planned = [
            (client, row.shoot, self.days_ago(rng.randint(10, 185))) for row, client in clients
        ]
        for index in rng.sample(range(len(planned)), SESSIONS - len(planned)):
            client, shoot, first = planned[index]
            later = first + dt.timedelta(days=rng.randint(14, (self.today - first).days + 23))
            planned.append((client, RETURNS_FOR[shoot], later))
        planned.sort(key=lambda plan: plan[2])
        for client, _, first in reversed(planned):  # the earliest session is backdated last
            self.backdate(client, first - dt.timedelta(days=14))
        sessions = []
        for client, shoot, date in planned:
            if shoot == "Wedding":
                date = _saturday_on_or_before(date)
            photographer = rng.choice(photographers) if photographers else None
            session = Session(
                client=client,
                session_type=types[shoot],
                date=date,
                photographer=photographer,
                notes=SESSION_NOTES[shoot] if rng.random() < 0.3 else "",
            )
            sessions.append(session_save(session=session))
            self.backdate(session, date - dt.timedelta(days=21))
        return sessions

    def backdate(self, record: Client | Session | Invoice, day: dt.date) -> None:
        """Say the record was entered on that day (not in the future), as if the studio had
        used Darkroom all along; ``created_at`` is set by the database, so it is corrected after."""
        entered = min(dt.datetime.combine(day, ENTERED_AT, tzinfo=self.zone), timezone.now())
        type(record).objects.filter(pk=record.pk).update(created_at=entered)
        record.created_at = entered

    def invoices(
        self, sessions: Sequence[Session], *, by: AbstractUser | None
    ) -> tuple[list[Invoice], Invoice]:
        """An order after every past shoot but the latest few, then later orders (albums,
        reprints) up to 80, entered in date order so invoice numbers follow the calendar; the
        invoices and the showcase among them."""
        rng = self.rng
        shot = [s for s in sessions if s.date < self.today]
        weddings = [s for s in shot if s.session_type.name == "Wedding"]
        showcased = weddings[-1] if weddings else shot[-1]
        # The latest shoots' clients are still looking at their proofs: no order yet.
        choosing = [
            s for s in shot if (self.today - s.date).days <= CHOOSING_DAYS and s is not showcased
        ]
        ordered = [s for s in shot if s not in choosing]
        older = [s for s in shot if (self.today - s.date).days > 25]
        orders = [self.first_order(s) for s in ordered]
        orders += [self.later_order(s) for s in rng.choices(older, k=INVOICES - len(ordered) - 1)]
        orders.sort(key=lambda order: order.date)
        invoices = [self.invoice(order, by=by) for order in orders]
        showcase = self.showcase(showcased, by=by)
        return [*invoices, showcase], showcase

    def showcase(self, session: Session, *, by: AbstractUser | None) -> Invoice:
        """The newest invoice (SHOWCASE_NOTE): the latest wedding's album, wall print and
        gallery, entered on the last work day with a deposit, no production orders yet."""
        date = self.work_day(self.today)
        invoice = invoice_create(
            client=session.client,
            session=session,
            invoice_date=date,
            approximate_delivery_date=_weekday_on_or_after(date + dt.timedelta(days=28)),
            notes=SHOWCASE_NOTE,
            lines=[LineInput(item_id=self.items[i].pk, quantity=1) for i in SHOWCASE_LINES],
            by=by,
        )
        self.pay(invoice, (invoice.total * Decimal("0.3")).quantize(Decimal("1")), date)
        self.backdate(invoice, date)
        return invoice

    def first_order(self, session: Session) -> _Order:
        """What the client ordered at the viewing, a few days after the shoot."""
        rng = self.rng
        pool = SESSION_TYPES[session.session_type.name]
        fee = [pool[0]] if rng.random() < 0.85 else []
        picks = fee + rng.sample(pool[1:], rng.randint(0 if fee else 1, 4))
        days = rng.randint(1, min(10, (self.today - session.date).days))
        date = max(self.work_day(session.date + dt.timedelta(days=days)), session.date)
        return _Order(session, date, picks, True)

    def later_order(self, session: Session) -> _Order:
        """A client back weeks later for wall art, reprints or the album."""
        rng = self.rng
        wedding = session.session_type.name == "Wedding"
        picks = rng.sample(LATER_ORDERS["Wedding" if wedding else "other"], rng.randint(1, 3))
        days = rng.randint(20, min(75, (self.today - session.date).days))
        linked = wedding or rng.random() < 0.5
        return _Order(session, self.work_day(session.date + dt.timedelta(days=days)), picks, linked)

    def work_day(self, day: dt.date) -> dt.date:
        """The front desk works Monday to Friday: the next weekday, or the last one before today."""
        day = _weekday_on_or_after(day)
        if day > self.today:
            day = self.today
            while day.weekday() >= 5:
                day -= dt.timedelta(days=1)
        return day

    def invoice(self, order: _Order, *, by: AbstractUser | None) -> Invoice:
        rng = self.rng
        date = order.date
        delivered = None
        age = (self.today - date).days
        if age >= 75 or (age >= 40 and rng.random() < 0.85):
            promised = _weekday_on_or_after(date + dt.timedelta(days=rng.randint(21, 35)))
            delivered = max(self.work_day(date + dt.timedelta(days=rng.randint(14, 38))), date)
        elif rng.random() < 0.1:
            promised = None
        else:
            promised = _weekday_on_or_after(date + dt.timedelta(days=rng.randint(21, 42)))
            if promised <= self.today:
                if self.late_orders < LATE_ORDERS:
                    self.late_orders += 1
                else:
                    promised = _weekday_on_or_after(
                        self.today + dt.timedelta(days=rng.randint(3, 28))
                    )
        invoice = invoice_create(
            client=order.session.client,
            session=order.session if order.linked else None,
            invoice_date=date,
            approximate_delivery_date=promised,
            delivered_date=delivered,
            notes=rng.choice(INVOICE_NOTES) if rng.random() < 0.15 else "",
            lines=[self.line(identifier) for identifier in order.picks],
            by=by,
        )
        self.payments(invoice, delivered)
        self.backdate(invoice, date)
        return invoice

    def line(self, identifier: str) -> LineInput:
        rng = self.rng
        if identifier == "RETBASIC":
            quantity = rng.randint(3, 15)
        elif identifier in {"RETADV", "RETSWAP"}:
            quantity = rng.randint(1, 5)
        elif identifier == "ALBSPREAD":
            quantity = rng.randint(2, 6)
        elif identifier in {"4X6", "5X7", "8X10", "WALLETS8"}:
            quantity = rng.choice((1, 1, 2, 2, 3, 4))
        else:
            quantity = 1
        override = None
        if identifier in catalog.OVERRIDES and rng.random() < 0.2:
            override = self.vendors[catalog.OVERRIDES[identifier]].pk
        return LineInput(
            item_id=self.items[identifier].pk, quantity=quantity, vendor_override_id=override
        )

    def payments(self, invoice: Invoice, delivered: dt.date | None) -> None:
        """Delivered orders are (nearly always) paid in full; open ones unpaid, deposit or paid."""
        rng = self.rng
        total = invoice.total
        chance = rng.random()
        if delivered is not None:
            deposit_first = chance < 0.45
            balance_due = chance > 0.95
        else:
            if chance < 0.25:
                return
            deposit_first = balance_due = chance < 0.75
        if (deposit_first or balance_due) and total >= 100:
            deposit = (
                total * rng.choice((Decimal("0.3"), Decimal("0.4"), Decimal("0.5")))
            ).quantize(Decimal("1"))
            self.pay(invoice, deposit, invoice.invoice_date)
            if not balance_due:
                self.pay(invoice, total - deposit, delivered or self.today)
        else:
            self.pay(invoice, total, invoice.invoice_date)

    def pay(self, invoice: Invoice, amount: Decimal, date: dt.date) -> None:
        method = self.rng.choice(PAYMENT_METHODS)
        reference = {
            "check": f"Check {self.rng.randint(1001, 4999)}",
            "transfer": f"Transfer {self.rng.randint(100000, 999999)}",
        }.get(method, "")
        payment_add(invoice=invoice, amount=amount, date=date, method=method, reference=reference)


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
