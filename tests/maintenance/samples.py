"""One sample per maintenance list, so every API test can run over the whole registry.

A list added to the registry without a sample here fails ``test_every_list_has_a_sample``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

from darkroom.maintenance.registry import MaintenanceList, maintenance_lists
from tests import factories as f


@dataclass(frozen=True)
class Sample:
    """How to make a record of a list, a valid body for it, a change, and a user of it."""

    make: Callable[[], models.Model]
    body: Callable[[dict[str, Any]], dict[str, Any]]  # given the ``people`` fixture
    change: tuple[str, Any]  # a field and a new value for PATCH, as the API answers it
    use: Callable[[Any], Any] | None = None  # makes another record refer to this one


SAMPLES: dict[str, Sample] = {
    "price-list-items": Sample(
        make=f.PriceListItemFactory,
        body=lambda people: {
            "identifier": "PRINT8X10",
            "description": "8x10 print",
            "item_type": "print",
            "group": "Prints",
            "price": "25.00",
            "cost": "8.50",
            "preferred_vendor": f.VendorFactory().pk,
            "render_profile": f.RenderProfileFactory().pk,
            "is_inactive": False,
        },
        change=("price", "31.50"),
        use=lambda item: f.InvoiceLineFactory(item=item),
    ),
    "vendors": Sample(
        make=f.VendorFactory,
        body=lambda people: {
            "name": "Bay Photo Lab",
            "account_number": "A-100",
            "email": "orders@bay.example",
            "is_in_house": False,
            "auto_assigns_numbers": True,
            "next_order_number": 100,
            "default_order_type": f.OrderTypeFactory().pk,
            "notes": "Ships Mon–Thu",
        },
        change=("account_number", "B-200"),
        use=lambda vendor: f.PriceListItemFactory(preferred_vendor=vendor),
    ),
    "vendor-products": Sample(
        make=f.VendorProductFactory,
        body=lambda people: {
            "vendor": f.VendorFactory().pk,
            "item": f.PriceListItemFactory().pk,
            "product_code": "BP-810",
            "description": "Lustre 8x10",
        },
        change=("product_code", "BP-811"),
    ),
    "render-profiles": Sample(
        make=f.RenderProfileFactory,
        body=lambda people: {
            "name": "Wall art",
            "size": "16x20 in",
            "dpi": 300,
            "bleed_mm": "3.50",
            "destination": "lab",
        },
        change=("bleed_mm", "2.25"),
        use=lambda profile: f.PriceListItemFactory(render_profile=profile),
    ),
    "production-order-types": Sample(
        make=f.OrderTypeFactory,
        body=lambda people: {"name": "Album Order", "kind": "generic"},
        change=("kind", "print"),
        use=lambda order_type: f.VendorFactory(default_order_type=order_type),
    ),
    "reorder-reasons": Sample(
        make=f.ReorderReasonFactory,
        body=lambda people: {"description": "Lab colour shift", "is_non_chargeable": True},
        change=("is_non_chargeable", True),
    ),
    "priority-codes": Sample(
        make=f.PriorityCodeFactory,
        body=lambda people: {"code": "RUSH", "description": "Rush: within two days"},
        change=("description", "Same day"),
    ),
    "session-types": Sample(
        make=f.SessionTypeFactory,
        body=lambda people: {"name": "Wedding"},
        change=("name", "Newborn"),
        use=lambda session_type: f.SessionFactory(session_type=session_type),
    ),
    "departments": Sample(
        make=f.DepartmentFactory,
        body=lambda people: {
            "name": "Retouching",
            "description": "Skin, colour, composites",
            "members": sorted([people["staff"].pk, people["manager"].pk]),
        },
        change=("description", "Retouch and colour"),
    ),
}

ENTRIES = list(maintenance_lists())
ORDERED = [e for e in ENTRIES if e.ordered]
IN_USE = [e for e in ENTRIES if SAMPLES[e.slug].use is not None]


def ids(entry: MaintenanceList) -> str:
    return entry.slug


def snapshot(entry: MaintenanceList) -> list[dict[str, Any]]:
    """Every row of the list's table (and its many-to-many links): to prove nothing changed."""
    rows = list(entry.model._default_manager.order_by("pk").values())
    for field in entry.model._meta.many_to_many:
        links = entry.model._default_manager.order_by("pk").values_list("pk", field.name)
        rows.append({field.name: sorted(links, key=lambda pair: (pair[0], pair[1] or 0))})
    return rows
