"""The hub sorts order numbers as numbers: "9" before "10" before "100", on both databases,
both ways and page after page (the key is in the cursor), with a legacy number that holds letters
among the numbers of its length and orders with no number last."""

from __future__ import annotations

import pytest

from darkroom.hub.filters import HubFilter
from darkroom.hub.selectors.pages import hub_page
from darkroom.production.models import ProductionOrder
from darkroom.studio.selectors import studio_preferences
from tests import factories as f
from tests.hub.test_selectors import started
from tests.production.test_production_orders import production_cycle

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ordinary_day")]

NUMBERS = ["100", "9", "10", "P9", "1000", "99", "2", "11"]


@pytest.fixture
def numbered(db) -> list[ProductionOrder]:
    today = studio_preferences().today()
    prints = f.OrderTypeFactory(name="Prints")
    production_cycle(prints, [2, 1, 0])
    invoice = f.InvoiceFactory()
    vendor = f.VendorFactory(name="Bay Lab")
    rows = [
        {"invoice": invoice, "client": invoice.client, "vendor": vendor, "order_type": prints}
        for _ in NUMBERS
    ]
    orders = started(ProductionOrder, rows, on=today, by=f.UserFactory())
    ProductionOrder.objects.update(number=None)
    for order, number in zip(orders, NUMBERS, strict=True):
        ProductionOrder.objects.filter(pk=order.pk).update(number=number)
    # One order with no number (the column is nullable for old orders).
    ProductionOrder.objects.filter(pk=orders[0].pk).update(number=None)
    return orders


def pages(sort: str, limit: int) -> list[str | None]:
    shown, cursor = [], None
    today = studio_preferences().today()
    for _ in range(50):
        page = hub_page(HubFilter(sort=sort), today=today, cursor=cursor, limit=limit)
        shown += [row.number for row in page.rows]
        if page.next_cursor is None:
            return shown
        cursor = page.next_cursor
    raise AssertionError("the pages never ended")


@pytest.mark.parametrize("limit", [1, 3, 50])
def test_the_hub_sorts_numbers_as_numbers(numbered, limit):
    assert pages("number", limit) == ["2", "9", "10", "11", "99", "P9", "1000", None]
    assert pages("-number", limit) == ["1000", "P9", "99", "11", "10", "9", "2", None]
