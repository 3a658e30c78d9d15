"""Cycles, records in them, and a check that a refused write left the database as it was."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from types import SimpleNamespace
from typing import Any

import pytest

from darkroom.clients.models import Invoice, Session
from darkroom.production.models import ProductionOrder
from darkroom.tracking.cycles import cycle_create, status_add
from darkroom.tracking.models import Cycle, CycleKind, Status, StatusNote
from tests.factories import InvoiceFactory, SessionFactory, UserFactory

# A Monday well in the past, so "not after today" never gets in the way.
MONDAY = dt.date(2026, 3, 2)


@pytest.fixture
def person(db):
    return UserFactory(username="retoucher")


@pytest.fixture
def session_cycle(db) -> SimpleNamespace:
    """Booked (initial, 1) → Shot (2) → On hold (inactive) → Proofing (3) → Delivered (final)."""
    cycle = cycle_create(kind=CycleKind.SESSION, name="Sessions")
    return SimpleNamespace(
        cycle=cycle,
        booked=status_add(cycle=cycle, description="Booked", default_duration=1),
        shot=status_add(cycle=cycle, description="Shot", default_duration=2),
        hold=status_add(cycle=cycle, description="On hold", default_duration=0, is_inactive=True),
        proofing=status_add(cycle=cycle, description="Proofing", default_duration=3),
        delivered=status_add(cycle=cycle, description="Delivered", is_final=True),
    )


@pytest.fixture
def invoice_cycle(db) -> SimpleNamespace:
    """Ordered (initial, 0) → In production (5) → Ready (1) → Picked up (final)."""
    cycle = cycle_create(kind=CycleKind.INVOICE, name="Invoices")
    return SimpleNamespace(
        cycle=cycle,
        ordered=status_add(cycle=cycle, description="Ordered", default_duration=0),
        production=status_add(cycle=cycle, description="In production", default_duration=5),
        ready=status_add(cycle=cycle, description="Ready", default_duration=1),
        picked_up=status_add(cycle=cycle, description="Picked up", is_final=True),
    )


@pytest.fixture
def session(db) -> Session:
    return SessionFactory(date=MONDAY)


@pytest.fixture
def invoice(db) -> Invoice:
    return InvoiceFactory(invoice_date=MONDAY)


def tracking_state() -> list[Any]:
    """Every row a status write may touch: cycles, statuses, history, tracked records."""
    return [
        list(model.objects.order_by("pk").values())
        for model in (Cycle, Status, StatusNote, Session, Invoice, ProductionOrder)
    ]


@pytest.fixture
def unchanged() -> Callable[[], AbstractContextManager[None]]:
    """``with unchanged(): ...`` fails the test if the block changed any tracking row."""

    @contextmanager
    def check() -> Iterator[None]:
        before = tracking_state()
        yield
        assert tracking_state() == before

    return check
