"""Records the client, session and invoice tests share, and a check that a refused write left
the database exactly as it was."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from darkroom.clients.invoice_lines import LineInput
from darkroom.clients.models import Client, Invoice, InvoiceLine, Payment, Session
from darkroom.clients.services import invoice_create
from tests.factories import (
    ClientFactory,
    PriceListItemFactory,
    SessionFactory,
    SessionTypeFactory,
    VendorFactory,
)


@pytest.fixture
def catalog(db) -> SimpleNamespace:
    """Two vendors and a retired one; items with a preferred vendor, one without, one retired."""
    lab = VendorFactory(name="Bay Photo Lab")
    framer = VendorFactory(name="Frame Works")
    closed_lab = VendorFactory(name="Old Lab", is_inactive=True)
    print8x10 = PriceListItemFactory(
        identifier="P8X10", description="8x10 print", price=Decimal("25.00"), preferred_vendor=lab
    )
    frame = PriceListItemFactory(
        identifier="FR1620",
        description="16x20 frame",
        price=Decimal("189.00"),
        preferred_vendor=framer,
    )
    retouch = PriceListItemFactory(
        identifier="RETOUCH",
        description="Retouching",
        price=Decimal("35.00"),
        preferred_vendor=None,
    )
    canvas = PriceListItemFactory(
        identifier="CANVAS", description="Old canvas", price=Decimal("99.00"), is_inactive=True
    )
    return SimpleNamespace(
        lab=lab,
        framer=framer,
        closed_lab=closed_lab,
        print8x10=print8x10,
        frame=frame,
        retouch=retouch,
        canvas=canvas,
    )


@pytest.fixture
def client_record(db) -> Client:
    return ClientFactory(
        first_name="Ana", last_name="Garcia", email="ana@example.com", address="1 Main St"
    )


@pytest.fixture
def session_record(client_record) -> Session:
    return SessionFactory(
        client=client_record,
        session_type=SessionTypeFactory(name="Wedding"),
        date=dt.date(2026, 9, 5),
    )


@pytest.fixture
def invoice(catalog, client_record, session_record, people) -> Invoice:
    """Ana's invoice: two 8x10 prints (50.00) and a frame (189.00) = 239.00, nothing paid."""
    return invoice_create(
        client=client_record,
        session=session_record,
        by=people["staff"],
        invoice_date=dt.date(2026, 9, 10),
        approximate_delivery_date=dt.date(2026, 10, 1),
        lines=[
            LineInput(item_id=catalog.print8x10.pk, quantity=2),
            LineInput(item_id=catalog.frame.pk, quantity=1),
        ],
    )


def database_state() -> dict[str, list[dict[str, Any]]]:
    """Every client, session, invoice, line and payment, field by field."""
    return {
        "clients": list(Client.objects.order_by("pk").values()),
        "sessions": list(Session.objects.order_by("pk").values()),
        "invoices": list(Invoice.objects.order_by("pk").values()),
        "lines": list(InvoiceLine.objects.order_by("pk").values()),
        "payments": list(Payment.objects.order_by("pk").values()),
    }


@pytest.fixture
def unchanged() -> Callable[[], AbstractContextManager[None]]:
    """``with unchanged(): …`` fails if anything in the block changed a client record."""

    @contextmanager
    def check() -> Iterator[None]:
        before = database_state()
        yield
        assert database_state() == before, "a refused write changed the database"

    return check
