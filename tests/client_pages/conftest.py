"""What the client pages' tests share: a studio with an album on its way to a client, whose
records carry everything a client must never read (internal notes, the vendor and its cost,
staff and department names, a hidden step's name)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest

from darkroom.clients.models import Client, Invoice
from darkroom.clients.status_links import status_link_issue
from darkroom.production.models import ProductionOrder, ProductionOrderDetail
from darkroom.studio.models import StudioPreferences
from darkroom.tracking.models import CycleKind, Status
from darkroom.tracking.services import status_change, status_update
from tests import factories as f

# Words that must never reach a client's page.
SECRETS = {
    "vendor": "Millerton Lab",
    "cost": "987.65",
    "studio note": "Reprint free of charge, she complained",
    "vendor note": "Use the matte stock from bin 7",
    "status note": "Client was rude on the phone",
    "hidden step": "Skin fix in the back room",
    "department": "Backroom Retouch Crew",
    "staff first name": "Quillon",
    "staff last name": "Vexbridge",
    "detail note": "crop tighter on the left",
    "vendor number": "VND-55501",
    "work order number": "WO77123",
    "item price": "432.10",
    "item cost": "123.40",
}


@dataclass
class World:
    client: Client
    invoice: Invoice
    order: ProductionOrder
    design: Status
    hidden: Status
    printing: Status
    delivered: Status


@pytest.fixture
def studio(db):
    StudioPreferences.objects.update_or_create(
        pk=1,
        defaults={"name": "Bright Light Studio", "phone": "555-0100", "email": "hi@bright.test"},
    )


@pytest.fixture
def world(studio, ordinary_day, people) -> World:
    """Maya's album: Design (shown as "Designing your album"), a hidden retouching step, Print
    (shown as "Printing"), Delivered (shown as "Ready for pickup"). The order went through
    Design and the hidden step and is now at the hidden step; the invoice promises Dec 18."""
    department = f.DepartmentFactory(name=SECRETS["department"])
    worker = f.UserFactory(
        first_name=SECRETS["staff first name"], last_name=SECRETS["staff last name"]
    )
    album = f.cycle_with_statuses(
        kind=CycleKind.PRODUCTION,
        name="Album",
        order_type=f.OrderTypeFactory(name="Wedding album"),
        steps=[
            ("Design", 2, {"default_user": worker}),
            (SECRETS["hidden step"], 1, {"default_user": worker}),
            ("Print", 2),
        ],
        final="Delivered",
        department=department,
    )
    design, hidden, printing, delivered = album.statuses
    status_update(status=design, client_visible=True, client_name="Designing your album")
    status_update(status=printing, client_visible=True, client_name="Printing")
    status_update(status=delivered, client_visible=True, client_name="Ready for pickup")
    client = f.ClientFactory(first_name="Maya", last_name="Lind")
    invoice = f.started_invoice(client=client, approximate_delivery_date=dt.date(2026, 12, 18))
    order = f.started_production_order(
        status=design,
        invoice=invoice,
        vendor=f.VendorFactory(name=SECRETS["vendor"]),
        entered_by=worker,
        started_on=dt.date(2026, 11, 30),
        studio_notes=SECRETS["studio note"],
        vendor_notes=SECRETS["vendor note"],
        vendor_number=SECRETS["vendor number"],
        number=SECRETS["work order number"],
        vendor_invoice_amount=Decimal(SECRETS["cost"]),
    )
    ProductionOrderDetail.objects.create(
        order=order,
        item=f.PriceListItemFactory(
            description="Leather album, 30 pages",
            price=Decimal(SECRETS["item price"]),
            cost=Decimal(SECRETS["item cost"]),
        ),
        quantity=1,
        notes=SECRETS["detail note"],
    )
    status_change(
        record=order,
        expected_version=order.version,
        updated_by=worker,
        to_status=hidden,
        date_completed=dt.date(2026, 12, 1),
        note=SECRETS["status note"],
    )
    order.refresh_from_db()
    return World(client, invoice, order, design, hidden, printing, delivered)


@pytest.fixture
def link(world, people) -> str:
    """The path of a working link to Maya's page."""
    _, key = status_link_issue(invoice=world.invoice, by=people["staff"])
    return f"/status/{key}/"


def text_of(html: str) -> str:
    """The page's words, tags left out, spaces collapsed."""
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
    return re.sub(r" ([.,])", r"\1", words)
