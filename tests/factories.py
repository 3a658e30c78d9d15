"""Factories for the studio's records (valid by default, override what a test needs).

The factory_boy classes make plain rows. A record in a status cycle is made by the functions at
the end (``cycle_with_statuses``, ``started_production_order``, ``started_proof_order``,
``started_session``, ``started_invoice``, ``new_task``): they enter and move statuses through
the status engine (``tracking/services/``), as the studio's own pages do, so a test's
record has the due dates, history and running totals a real one has.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from darkroom.catalog import models as catalog
from darkroom.clients import models as clients
from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.production.numbers import order_numbers_take
from darkroom.production.services.proof_orders import preproduction_order_create
from darkroom.studio import models as studio
from darkroom.studio.selectors import studio_preferences
from darkroom.todos.models import Task
from darkroom.todos.services import task_create
from darkroom.tracking.models import Cycle, CycleKind, Status, TrackedRecord, cycle_scope
from darkroom.tracking.services import cycle_create, record_start, status_add, status_change


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = studio.Department

    name = factory.Sequence(lambda n: f"Department {n}")


class OrderTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = catalog.ProductionOrderType

    name = factory.Sequence(lambda n: f"Order type {n}")
    position = factory.Sequence(lambda n: n + 1)


class RenderProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = catalog.RenderProfile

    name = factory.Sequence(lambda n: f"Profile {n}")
    size = "8x10 in"
    dpi = 300


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = catalog.Vendor

    name = factory.Sequence(lambda n: f"Vendor {n}")
    email = factory.Sequence(lambda n: f"orders{n}@vendor.example")


class PriceListItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = catalog.PriceListItem

    identifier = factory.Sequence(lambda n: f"ITEM{n}")
    description = factory.Sequence(lambda n: f"Item {n}")
    price = Decimal("25.00")
    cost = Decimal("8.00")
    preferred_vendor = factory.SubFactory(VendorFactory)


class VendorProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = catalog.VendorProduct

    vendor = factory.SubFactory(VendorFactory)
    item = factory.SubFactory(PriceListItemFactory)
    product_code = factory.Sequence(lambda n: f"VP-{n}")


class ReorderReasonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = catalog.ReorderReason

    description = factory.Sequence(lambda n: f"Reason {n}")


class PriorityCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = catalog.PriorityCode

    code = factory.Sequence(lambda n: f"P{n}")
    position = factory.Sequence(lambda n: n + 1)


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = clients.Client

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Faker("email")
    mobile = "+15550100"


class SessionTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = clients.SessionType

    name = factory.Sequence(lambda n: f"Session type {n}")
    position = factory.Sequence(lambda n: n + 1)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = clients.Session

    client = factory.SubFactory(ClientFactory)
    session_type = factory.SubFactory(SessionTypeFactory)
    date = dt.date(2026, 10, 1)


class InvoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = clients.Invoice

    client = factory.SubFactory(ClientFactory)
    invoice_date = dt.date(2026, 10, 5)


class InvoiceLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = clients.InvoiceLine

    invoice = factory.SubFactory(InvoiceFactory)
    item = factory.SubFactory(PriceListItemFactory)
    quantity = 1
    price = Decimal("25.00")


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = clients.Payment

    invoice = factory.SubFactory(InvoiceFactory)
    date = dt.date(2026, 10, 5)
    amount = Decimal("10.00")


class ProductionOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "production.ProductionOrder"

    invoice = factory.SubFactory(InvoiceFactory)
    vendor = factory.SubFactory(VendorFactory)
    order_type = factory.SubFactory(OrderTypeFactory)
    number = factory.LazyFunction(lambda: order_numbers_take(1)[0])  # as the services give them
    order_date = factory.LazyFunction(lambda: dt.date(2026, 3, 2))
    promised_date = factory.SelfAttribute("invoice.approximate_delivery_date")
    client = factory.SelfAttribute("invoice.client")
    entered_by = factory.SubFactory(UserFactory)


# -- cycles and records in them -----------------------------------------------------------------

# A step of a cycle: (description, default duration in days), or with more of ``status_add``'s
# arguments: ("On hold", 0, {"is_inactive": True}).
Step = tuple[str, int] | tuple[str, int, Mapping[str, Any]]
_Tracked = TypeVar("_Tracked", bound=TrackedRecord)


@dataclass(frozen=True)
class CycleWithStatuses:
    """A cycle and its statuses in the order they were added (the final one last, if any)."""

    cycle: Cycle
    statuses: list[Status]
    order_type: catalog.ProductionOrderType | None = None

    @property
    def initial(self) -> Status:
        return next(status for status in self.statuses if status.is_initial)

    @property
    def final(self) -> Status:
        return next(status for status in self.statuses if status.is_final)

    def __getitem__(self, description: str) -> Status:
        """The status of that description: ``prints["At the lab"]``."""
        return next(status for status in self.statuses if status.description == description)


def cycle_with_statuses(
    *,
    kind: CycleKind | str = CycleKind.PRODUCTION,
    name: str | None = None,
    order_type: catalog.ProductionOrderType | None = None,
    session_type: clients.SessionType | None = None,
    steps: Sequence[Step] = (("Ordered", 1), ("At the lab", 2)),
    final: str | None = "Picked up",
    department: studio.Department | None = None,
) -> CycleWithStatuses:
    """A cycle made through the cycle services: ``steps`` in order (the first is initial), then
    a final status named ``final`` (None: no final status yet).

    A production cycle belongs to ``order_type`` (default a new order type); ``department`` is
    the default department of every step but the final one; the name defaults to the order
    type's name, or the kind's label.
    """
    if kind == CycleKind.PRODUCTION and order_type is None:
        order_type = OrderTypeFactory()
    if name is None:
        name = order_type.name if order_type is not None else str(CycleKind(kind).label)
    cycle = cycle_create(kind=kind, name=name, order_type=order_type, session_type=session_type)
    statuses = []
    for step in steps:
        description, days, *more = step
        options: dict[str, Any] = {"default_department": department, **(more[0] if more else {})}
        statuses.append(
            status_add(cycle=cycle, description=description, default_duration=days, **options)
        )
    if final is not None:
        statuses.append(status_add(cycle=cycle, description=final, is_final=True))
    return CycleWithStatuses(cycle=cycle, statuses=statuses, order_type=order_type)


def _with_a_cycle(kind: CycleKind, order_type: catalog.ProductionOrderType | None = None) -> None:
    """Make the default cycle for these records when the studio has none yet."""
    scope = cycle_scope(kind, order_type.pk if order_type is not None else None, None)
    if not Cycle.objects.filter(scope=scope).exists():
        cycle_with_statuses(kind=kind, order_type=order_type)


def _started(
    record: _Tracked,
    *,
    started_on: dt.date | None,
    by: AbstractBaseUser,
    status: Status | None,
    moved_on: dt.date | None,
) -> _Tracked:
    """Start ``record`` in its cycle's initial status, then move it to ``status`` (when that is
    another one); read back from the database, as the next page would see it."""
    model = type(record)
    if record.status_id is None:
        record_start(record=record, started_on=started_on or studio_preferences().today(), by=by)
    if status is not None and status.pk != record.status_id:
        status_change(
            record=record,
            expected_version=record.version,
            updated_by=by,
            to_status=status,
            date_completed=moved_on,
        )
    return model.objects.get(pk=record.pk)


def started_production_order(
    *,
    order_type: catalog.ProductionOrderType | None = None,
    status: Status | None = None,
    started_on: dt.date | None = None,
    moved_on: dt.date | None = None,
    by: AbstractBaseUser | None = None,
    **fields: Any,
) -> ProductionOrder:
    """A production order started in its order type's cycle and moved to ``status``.

    ``fields`` go to :class:`ProductionOrderFactory` (vendor, invoice, client, number, …).
    The order type defaults to ``status``'s cycle's, or a new one with its own cycle; a type
    without a cycle gets the default one. It starts on ``started_on`` (default today) by
    ``by`` (default the person who entered it) and moves to ``status`` on ``moved_on``
    (default today).
    """
    if order_type is None:
        order_type = (
            status.cycle.order_type
            if status is not None
            else cycle_with_statuses(kind=CycleKind.PRODUCTION).order_type
        )
    _with_a_cycle(CycleKind.PRODUCTION, order_type)
    if "invoice" not in fields and "client" in fields:
        fields["invoice"] = InvoiceFactory(client=fields["client"])
    order = ProductionOrderFactory(order_type=order_type, **fields)
    return _started(
        order, started_on=started_on, by=by or order.entered_by, status=status, moved_on=moved_on
    )


def started_proof_order(
    *,
    session: clients.Session | None = None,
    vendor: catalog.Vendor | None = None,
    status: Status | None = None,
    order_date: dt.date | None = None,
    moved_on: dt.date | None = None,
    by: AbstractBaseUser | None = None,
    **fields: Any,
) -> PreproductionOrder:
    """A proof (preproduction) order sent out through ``preproduction_order_create``, which
    starts it on ``order_date`` (default today), then moved to ``status``. ``fields`` are that
    service's (vendor_number, notes); the studio gets a default proofs cycle if it has none."""
    _with_a_cycle(CycleKind.PREPRODUCTION)
    by = by or UserFactory()
    order = preproduction_order_create(
        session=session or SessionFactory(),
        vendor=vendor or VendorFactory(),
        by=by,
        order_date=order_date,
        **fields,
    )
    return _started(order, started_on=None, by=by, status=status, moved_on=moved_on)


def started_session(
    *,
    status: Status | None = None,
    started_on: dt.date | None = None,
    moved_on: dt.date | None = None,
    by: AbstractBaseUser | None = None,
    **fields: Any,
) -> clients.Session:
    """A session (``fields`` to :class:`SessionFactory`) started in the session cycle on
    ``started_on`` (default today) and moved to ``status``."""
    _with_a_cycle(CycleKind.SESSION)
    return _started(
        SessionFactory(**fields),
        started_on=started_on,
        by=by or UserFactory(),
        status=status,
        moved_on=moved_on,
    )


def started_invoice(
    *,
    status: Status | None = None,
    started_on: dt.date | None = None,
    moved_on: dt.date | None = None,
    by: AbstractBaseUser | None = None,
    **fields: Any,
) -> clients.Invoice:
    """An invoice (``fields`` to :class:`InvoiceFactory`) started in the invoice cycle on
    ``started_on`` (default today) and moved to ``status``."""
    _with_a_cycle(CycleKind.INVOICE)
    return _started(
        InvoiceFactory(**fields),
        started_on=started_on,
        by=by or UserFactory(),
        status=status,
        moved_on=moved_on,
    )


def new_task(
    *,
    subject: str = "Call the client",
    by: AbstractBaseUser | None = None,
    status: Status | None = None,
    moved_on: dt.date | None = None,
    **fields: Any,
) -> Task:
    """A task written through ``task_create`` (``fields`` are its arguments: assigned_user,
    links, …). It enters the task cycle today when the studio has one (a studio without one
    still has tasks), and moves to ``status`` if given."""
    by = by or UserFactory()
    task = task_create(by=by, subject=subject, **fields)
    if status is None:
        return task
    return _started(task, started_on=None, by=by, status=status, moved_on=moved_on)
