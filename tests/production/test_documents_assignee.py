"""The work order names the order's priority and who holds it; the purchase order names the
client it ships to and the date the studio needs it by. Read back from the PDF."""

from __future__ import annotations

import datetime as dt

from darkroom.formats import format_date
from darkroom.production.documents import (
    orders_for_printing,
    purchase_order_pdf,
    work_order_pdf,
)
from darkroom.production.models import ProductionOrder
from darkroom.tracking.services import record_reassign, record_start
from tests.factories import (
    DepartmentFactory,
    PriorityCodeFactory,
    UserFactory,
    cycle_with_statuses,
)
from tests.production.test_documents import make_order, pages_text, studio  # noqa: F401


def _started(order: ProductionOrder) -> ProductionOrder:
    cycle_with_statuses(
        name="Albums", order_type=order.order_type, steps=[("Sent to lab", 3)], final="Received"
    )
    record_start(record=order, started_on=dt.date(2026, 3, 2), by=order.entered_by)
    return ProductionOrder.objects.get(pk=order.pk)


def test_work_order_prints_the_priority_and_the_assignee(studio, tmp_path):  # noqa: F811
    order = _started(make_order())
    ProductionOrder.objects.filter(pk=order.pk).update(
        priority_code=PriorityCodeFactory(code="RUSH")
    )
    ana = UserFactory(username="ana", first_name="Ana", last_name="Ruiz")
    record_reassign(
        record=order,
        expected_version=order.version,
        department=DepartmentFactory(name="Retouching"),
        user=ana,
        updated_by=ana,
    )
    [page] = pages_text(work_order_pdf(orders_for_printing([order.pk])[0]), tmp_path)
    assert "RUSH" in page
    assert "Retouching / Ana Ruiz" in page


def test_work_order_says_when_nobody_holds_it(studio, tmp_path):  # noqa: F811
    order = _started(make_order())
    [page] = pages_text(work_order_pdf(orders_for_printing([order.pk])[0]), tmp_path)
    line = next(line for line in page.splitlines() if "Assigned to" in line)
    assert line.split("Assigned to")[1].strip() == "nobody"


def test_purchase_order_ships_to_the_client_and_says_the_need_by_date(studio, tmp_path):  # noqa: F811
    order = _started(make_order())
    [page] = pages_text(purchase_order_pdf(orders_for_printing([order.pk])[0]), tmp_path)
    ship_to = page[page.index("Ship to") :]
    assert "Ada Lovelace" in ship_to and "Studio back door" in ship_to
    assert "Need by: Mar 20, 2026" in page  # the date promised to the client


def test_without_a_promise_the_need_by_date_is_the_steps_due_date(studio, tmp_path):  # noqa: F811
    order = make_order()
    ProductionOrder.objects.filter(pk=order.pk).update(promised_date=None)
    order = _started(ProductionOrder.objects.get(pk=order.pk))
    [page] = pages_text(purchase_order_pdf(orders_for_printing([order.pk])[0]), tmp_path)
    assert f"Need by: {format_date(order.status_due_date)}" in page
