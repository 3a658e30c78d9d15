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
from darkroom.tracking.models import Cycle, CycleKind, Status, StatusNote
from tests.factories import InvoiceFactory, SessionFactory, UserFactory, cycle_with_statuses

# A Monday well in the past, so "not after today" never gets in the way.
MONDAY = dt.date(2026, 3, 2)


@pytest.fixture
def person(db):
    return UserFactory(username="retoucher")


@pytest.fixture
def session_cycle(db) -> SimpleNamespace:
    """Booked (initial, 1) → Shot (2) → On hold (inactive) → Proofing (3) → Delivered (final)."""
    sessions = cycle_with_statuses(
        kind=CycleKind.SESSION,
        steps=[("Booked", 1), ("Shot", 2), ("On hold", 0, {"is_inactive": True}), ("Proofing", 3)],
        final="Delivered",
    )
    booked, shot, hold, proofing, delivered = sessions.statuses
    return SimpleNamespace(
        cycle=sessions.cycle,
        booked=booked,
        shot=shot,
        hold=hold,
        proofing=proofing,
        delivered=delivered,
    )


@pytest.fixture
def invoice_cycle(db) -> SimpleNamespace:
    """Ordered (initial, 0) → In production (5) → Ready (1) → Picked up (final)."""
    invoices = cycle_with_statuses(
        kind=CycleKind.INVOICE, steps=[("Ordered", 0), ("In production", 5), ("Ready", 1)]
    )
    ordered, production, ready, picked_up = invoices.statuses
    return SimpleNamespace(
        cycle=invoices.cycle,
        ordered=ordered,
        production=production,
        ready=ready,
        picked_up=picked_up,
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
