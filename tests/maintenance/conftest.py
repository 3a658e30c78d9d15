"""What the maintenance page tests share: one sample per registry list, and page readers.

A list added to the registry without a sample here fails ``test_every_list_has_a_sample``, so the
generic page tests always run over the whole registry.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django import forms
from django.db import models
from openpyxl import load_workbook

from darkroom.maintenance.registry import MaintenanceList, maintenance_lists
from tests import factories as f


@dataclass(frozen=True)
class Sample:
    """How the page tests make records of one list and fill in its form.

    ``make(label, **fields)`` makes a record whose first column reads ``label``; ``create``
    (given the ``people`` fixture) is a valid form for a new record and ``created`` finds it;
    ``change`` is a field and a new value the edit test types in; ``use`` makes another record
    refer to one, so deleting it must be refused; ``filters`` say, per filter, what to give the
    first record so that filtering on the returned value shows it alone.
    """

    make: Callable[..., models.Model]
    create: Callable[[dict[str, Any]], dict[str, Any]]
    created: dict[str, Any]
    change: tuple[str, str]
    use: Callable[[Any], Any] | None = None
    filters: dict[str, Callable[[], tuple[dict[str, Any], Callable[[Any], str]]]] = field(
        default_factory=dict
    )


def _in_house() -> tuple[dict[str, Any], Callable[[Any], str]]:
    return {"is_in_house": True}, lambda record: "yes"


def _item_type() -> tuple[dict[str, Any], Callable[[Any], str]]:
    return {"item_type": "album"}, lambda record: "album"


def _preferred_vendor() -> tuple[dict[str, Any], Callable[[Any], str]]:
    vendor = f.VendorFactory(name="Filter lab")
    return {"preferred_vendor": vendor}, lambda record: str(vendor.pk)


def _product_vendor() -> tuple[dict[str, Any], Callable[[Any], str]]:
    return {}, lambda record: str(record.vendor_id)


def _print_kind() -> tuple[dict[str, Any], Callable[[Any], str]]:
    return {"kind": "print"}, lambda record: "print"


SAMPLES: dict[str, Sample] = {
    "price-list-items": Sample(
        make=lambda label, **kw: f.PriceListItemFactory(identifier=label, **kw),
        create=lambda people: {
            "identifier": "PRINT8X10",
            "description": "8x10 print",
            "item_type": "print",
            "group": "Prints",
            "price": "25.00",
            "cost": "8.50",
            "preferred_vendor": f.VendorFactory().pk,
            "render_profile": f.RenderProfileFactory().pk,
        },
        created={"identifier": "PRINT8X10", "price": "25.00"},
        change=("description", "Lustre 8x10 print"),
        use=lambda item: f.InvoiceLineFactory(item=item),
        filters={"item_type": _item_type, "preferred_vendor": _preferred_vendor},
    ),
    "vendors": Sample(
        make=lambda label, **kw: f.VendorFactory(name=label, **kw),
        create=lambda people: {
            "name": "Bay Photo Lab",
            "account_number": "A-100",
            "email": "orders@bay.example",
            "auto_assigns_numbers": "on",
            "next_order_number": "100",
            "default_order_type": f.OrderTypeFactory().pk,
            "notes": "Ships Monday to Thursday",
        },
        created={"name": "Bay Photo Lab", "auto_assigns_numbers": True, "next_order_number": 100},
        change=("account_number", "B-200"),
        use=lambda vendor: f.PriceListItemFactory(preferred_vendor=vendor),
        filters={"is_in_house": _in_house},
    ),
    "vendor-products": Sample(
        make=lambda label, **kw: f.VendorProductFactory(vendor=f.VendorFactory(name=label), **kw),
        create=lambda people: {
            "vendor": f.VendorFactory().pk,
            "item": f.PriceListItemFactory().pk,
            "product_code": "BP-810",
            "description": "Lustre 8x10",
        },
        created={"product_code": "BP-810"},
        change=("product_code", "BP-811"),
        filters={"vendor": _product_vendor},
    ),
    "render-profiles": Sample(
        make=lambda label, **kw: f.RenderProfileFactory(name=label, **kw),
        create=lambda people: {
            "name": "Wall art",
            "size": "16x20 in",
            "dpi": "300",
            "bleed_mm": "3.50",
            "destination": "lab",
        },
        created={"name": "Wall art", "dpi": 300, "bleed_mm": "3.50"},
        change=("destination", "in-house printer"),
        use=lambda profile: f.PriceListItemFactory(render_profile=profile),
    ),
    "production-order-types": Sample(
        make=lambda label, **kw: f.OrderTypeFactory(name=label, **kw),
        create=lambda people: {"name": "Album Order", "kind": "generic"},
        created={"name": "Album Order", "kind": "generic"},
        change=("name", "Lab Print Order"),
        use=lambda order_type: f.VendorFactory(default_order_type=order_type),
        filters={"kind": _print_kind},
    ),
    "reorder-reasons": Sample(
        make=lambda label, **kw: f.ReorderReasonFactory(description=label, **kw),
        create=lambda people: {"description": "Lab colour shift", "is_non_chargeable": "on"},
        created={"description": "Lab colour shift", "is_non_chargeable": True},
        change=("description", "Lab colour cast"),
    ),
    "priority-codes": Sample(
        make=lambda label, **kw: f.PriorityCodeFactory(code=label, **kw),
        create=lambda people: {"code": "RUSH", "description": "Rush: within two days"},
        created={"code": "RUSH"},
        change=("description", "Same day"),
    ),
    "session-types": Sample(
        make=lambda label, **kw: f.SessionTypeFactory(name=label, **kw),
        create=lambda people: {"name": "Wedding"},
        created={"name": "Wedding"},
        change=("name", "Newborn"),
        use=lambda session_type: f.SessionFactory(session_type=session_type),
    ),
    "departments": Sample(
        make=lambda label, **kw: f.DepartmentFactory(name=label, **kw),
        create=lambda people: {
            "name": "Retouching",
            "description": "Skin, colour, composites",
            "members": [people["staff"].pk, people["manager"].pk],
        },
        created={"name": "Retouching"},
        change=("description", "Retouch and colour"),
    ),
}

ENTRIES = list(maintenance_lists())
ORDERED = [e for e in ENTRIES if e.ordered]
RETIRABLE = [e for e in ENTRIES if e.retirable]
IN_USE = [e for e in ENTRIES if SAMPLES[e.slug].use is not None]
LABELS = ("Bravo", "Alpha", "Charlie")  # made in this order, so ids and names disagree


def ids(entry: MaintenanceList) -> str:
    return entry.slug


def list_url(entry: MaintenanceList) -> str:
    return f"/maintenance/{entry.slug}/"


def row_ids(content: bytes) -> list[int]:
    """The record ids of a list page's rows, top to bottom."""
    return [int(pk) for pk in re.findall(rb'<tr id="row-(\d+)"', content)]


def xlsx_rows(content: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def snapshot(entry: MaintenanceList) -> list[dict[str, Any]]:
    """Every row of the list's table (and its many-to-many links): to prove nothing changed."""
    rows = list(entry.model._default_manager.order_by("pk").values())
    for m2m in entry.model._meta.many_to_many:
        links = entry.model._default_manager.order_by("pk").values_list("pk", m2m.name)
        rows.append({m2m.name: sorted(links, key=lambda pair: (pair[0], pair[1] or 0))})
    return rows


def form_data(form: forms.BaseForm) -> dict[str, Any]:
    """What a browser would post back for a form as it was shown (unchanged)."""
    data: dict[str, Any] = {}
    for bound in form:
        value = bound.value()
        if isinstance(bound.field.widget, forms.CheckboxInput):
            if value:
                data[bound.name] = "on"
        elif isinstance(value, (list, tuple)):
            data[bound.name] = [str(v) for v in value]
        else:
            data[bound.name] = "" if value is None else str(value)
    return data


@pytest.fixture
def three(db) -> Callable[[MaintenanceList], list[models.Model]]:
    """``three(entry)``: records labelled Bravo, Alpha, Charlie (made in that order)."""

    def make(entry: MaintenanceList) -> list[models.Model]:
        return [SAMPLES[entry.slug].make(label) for label in LABELS]

    return make
