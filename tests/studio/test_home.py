"""The home page shows what is promised soon, what is late, what is unpaid and recent sessions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from darkroom.studio.selectors import studio_preferences
from tests.factories import InvoiceFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_home_lists_promised_late_and_unpaid(studio_today, web):
    today = studio_today
    soon = InvoiceFactory(
        approximate_delivery_date=today + dt.timedelta(days=3), client__last_name="Soonwell"
    )
    InvoiceFactory(
        approximate_delivery_date=today + dt.timedelta(days=40), client__last_name="Faraway"
    )
    late = InvoiceFactory(
        approximate_delivery_date=today - dt.timedelta(days=2), client__last_name="Latimer"
    )
    InvoiceFactory(
        approximate_delivery_date=today - dt.timedelta(days=2),
        delivered_date=today,
        client__last_name="Delivered",
    )
    unpaid = InvoiceFactory(
        total=Decimal("120.00"), paid=Decimal("20.00"), client__last_name="Owing"
    )
    SessionFactory(date=today - dt.timedelta(days=1), client__last_name="Shotyesterday")

    page = web("staff").get("/").content.decode()
    assert f"today is {today:%A} {today.day} {today:%B %Y}" in page

    due_part, rest = page.split('id="late-heading"')
    late_part, rest = rest.split('id="unpaid-heading"')
    unpaid_part, sessions_part = rest.split('id="sessions-heading"')
    assert "Soonwell" in due_part and "Faraway" not in page
    assert "Latimer" in late_part and "Delivered" not in late_part
    assert soon.get_absolute_url() in due_part and late.get_absolute_url() in late_part
    assert "Owing" in unpaid_part and "100.00" in unpaid_part
    assert unpaid.get_absolute_url() in unpaid_part
    assert "Shotyesterday" in sessions_part


def test_home_query_count_does_not_grow_with_rows(web):
    client = web("manager")
    client.get("/")
    today = studio_preferences().today()
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for i in range(6):
        InvoiceFactory(
            approximate_delivery_date=today + dt.timedelta(days=i),
            total=Decimal("5"),
            paid=Decimal("0"),
        )
        SessionFactory(date=today)
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(many) == len(few)
