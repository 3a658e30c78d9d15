"""The scan station page and a production order's page, as each role sees them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from darkroom.production.models import ProductionOrder, ProductionOrderDetail
from darkroom.production.scans import scan_advance
from darkroom.studio.selectors import studio_preferences
from darkroom.studio.services import studio_preferences_update
from darkroom.todos.services import task_create
from darkroom.tracking.models import StatusNote
from tests.factories import PriceListItemFactory, ProductionOrderFactory
from tests.production.test_scans import order_state, production_cycle, started_order

pytestmark = pytest.mark.django_db

SCAN = reverse("production:scan")
HTMX = {"HX-Request": "true"}


@pytest.fixture
def album(db):
    return production_cycle("Album", "Ordered", "At the lab", "Retouch", "Ready for Pickup")


@pytest.fixture
def prints(db):
    return production_cycle("Prints", "Sent", "Printed", "Delivered")


# The scan station ------------------------------------------------------------------------------


def test_readonly_may_look_up_only(web, album, people):
    started_order(album, "1001", people["staff"])
    page = web("readonly").get(SCAN)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'name="mode" value="lookup"' in text and 'value="advance"' not in text
    assert "Your role can look orders up; staff move them on." in text
    before = order_state()
    refused = web("readonly").post(SCAN, {"code": "1001", "mode": "advance"})
    assert refused.status_code == 403
    assert order_state() == before


def test_staff_see_both_modes_and_the_statuses_to_advance_to(web, album, prints):
    page = web("staff").get(SCAN)
    text = page.content.decode()
    assert 'value="advance"' in text and "autofocus" in text
    assert '<optgroup label="Album orders">' in text and '<optgroup label="Prints orders">' in text
    for status in album.statuses:
        assert f'<option value="{status.pk}" >{status}</option>' in text


def test_a_batch_scan_with_htmx_answers_one_result_line(web, album, people):
    order = started_order(album, "1001", people["staff"])
    staff = web("staff")
    response = staff.post(SCAN, {"code": "1001\n", "mode": "advance"}, headers=HTMX)
    assert response.status_code == 200
    text = response.content.decode()
    assert text.count('data-testid="scan-result"') == 1
    assert "Ordered → At the lab" in text and order.client.name in text
    assert order.get_absolute_url() in text
    assert ProductionOrder.objects.get(pk=order.pk).status == album.statuses[1]
    failed = staff.post(SCAN, {"code": "9999", "mode": "advance"}, headers=HTMX)
    assert failed.status_code == 200
    assert "scan-failed" in failed.content.decode()
    assert "No order has number 9999." in failed.content.decode()
    # The running list keeps both, newest first, for a reload.
    page = staff.get(SCAN).content.decode()
    assert page.index("No order has number 9999.") < page.index("Ordered → At the lab")


def test_a_batch_scan_to_a_chosen_status(web, album, people):
    order = started_order(album, "1001", people["staff"])
    ready = album.statuses[-1]
    response = web("staff").post(
        SCAN, {"code": "1001", "mode": "advance", "to_status": ready.pk}, headers=HTMX
    )
    assert "Ordered → Ready for Pickup" in response.content.decode()
    assert ProductionOrder.objects.get(pk=order.pk).status == ready


def test_a_target_that_is_not_a_production_status_changes_nothing(web, album, people):
    started_order(album, "1001", people["staff"])
    before = order_state()
    response = web("staff").post(
        SCAN, {"code": "1001", "mode": "advance", "to_status": "999999"}, headers=HTMX
    )
    assert response.status_code == 200
    assert "That “advance to” status no longer exists" in response.content.decode()
    assert order_state() == before


def test_without_javascript_a_scan_answers_the_whole_page(web, album, people):
    started_order(album, "1001", people["staff"])
    response = web("staff").post(SCAN, {"code": "'; DROP TABLE x", "mode": "advance"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "<h1>Scan station</h1>" in text
    assert "is not an order number" in text and "&#x27;; DROP TABLE x" in text
    assert 'value="advance" checked' in text  # the mode stays as chosen


def test_a_look_up_opens_the_order(web, album, people):
    order = started_order(album, "1001", people["staff"])
    plain = web("readonly").post(SCAN, {"code": "1001", "mode": "lookup"})
    assert plain.status_code == 302 and plain["Location"] == order.get_absolute_url()
    htmx = web("readonly").post(SCAN, {"code": " 1001 ", "mode": "lookup"}, headers=HTMX)
    assert htmx["HX-Redirect"] == order.get_absolute_url()
    missing = web("readonly").post(SCAN, {"code": "1002", "mode": "lookup"}, headers=HTMX)
    assert "No order has number 1002." in missing.content.decode()


def test_clearing_the_list(web, album, people):
    staff = web("staff")
    staff.post(SCAN, {"code": "4711", "mode": "lookup"}, headers=HTMX)
    assert "No order has number 4711." in staff.get(SCAN).content.decode()
    staff.post(SCAN, {"clear": "1"})
    assert "No scans yet." in staff.get(SCAN).content.decode()


# The order's page ------------------------------------------------------------------------------


def test_the_order_page_shows_what_the_order_is(web, album, people):
    order = started_order(
        album,
        "1001",
        people["staff"],
        vendor_invoice_amount=Decimal("84.50"),
        studio_notes="Check the crop on page 3",
        vendor_notes="Linen cover, please",
    )
    ProductionOrderDetail.objects.create(
        order=order,
        item=PriceListItemFactory(),
        quantity=3,
        vendor_product_code="AL-10X10",
        image_names="IMG_0001.jpg\nIMG_0002.jpg",
    )
    page = web("readonly").get(order.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    for shown in (
        order.client.name,
        f"Invoice {order.invoice.number}",
        reverse("clients:invoice-detail", args=[order.invoice_id]),
        str(order.vendor),
        "Album",
        "1001",
        "Mar 2, 2026",
        "84.50",
        "Check the crop on page 3",
        "Linen cover, please",
        "AL-10X10",
        "IMG_0002.jpg",
        'data-testid="current-status"',
        "Ordered",
        "Started in <strong>Ordered</strong>",
    ):
        assert shown in text, shown
    assert "Change status" not in text  # readonly sees, staff change


@pytest.mark.parametrize(
    ("time_zone", "hour"),
    # 8 pm in Pago Pago (UTC-11) is already tomorrow in UTC; 8 am on Kiritimati (UTC+14) is
    # still yesterday there: the date completed is the studio's today, not the machine's.
    [("UTC", 12), ("Pacific/Pago_Pago", 20), ("Pacific/Kiritimati", 8)],
    ids=["utc", "west-of-utc", "east-of-utc"],
)
def test_staff_change_the_status_from_the_order_page(
    studio_today, frozen_today, web, album, people, time_zone, hour
):
    studio_preferences_update(time_zone=time_zone)
    today = frozen_today(studio_today, at=dt.time(hour))
    order = started_order(album, "1001", people["staff"])
    staff = web("staff")
    assert "Change status" in staff.get(order.get_absolute_url()).content.decode()
    dialog = staff.get(reverse("tracking:order-status", args=[order.pk]))
    assert dialog.status_code == 200
    response = staff.post(
        reverse("tracking:order-status", args=[order.pk]),
        {
            "version": order.version,
            "to_status": album.statuses[2].pk,
            "date_completed": studio_preferences().today().isoformat(),
            "note": "Straight to retouch",
        },
    )
    assert response.status_code == 302
    changed = ProductionOrder.objects.get(pk=order.pk)
    assert (changed.status, changed.status_entered_on) == (album.statuses[2], today)
    assert StatusNote.objects.get(note="Straight to retouch").date_completed == today
    page = staff.get(order.get_absolute_url()).content.decode()
    assert "Straight to retouch" in page and "Ordered → <strong>Retouch</strong>" in page


def test_an_order_not_yet_in_its_cycle_can_be_started(web, album, people):
    order = ProductionOrderFactory(number="1001", order_type=album.order_type)
    text = web("staff").get(order.get_absolute_url()).content.decode()
    assert "Not started yet: starting puts it in “Ordered”." in text


def test_the_order_page_of_an_order_that_is_not_there(web):
    assert web("readonly").get(reverse("production:order-detail", args=[987654])).status_code == 404


def test_the_order_page_runs_a_fixed_number_of_queries(web, album, people):
    """More detail lines, more history and more tasks about it cost no more queries."""
    order = started_order(album, "1001", people["staff"])
    browser = web("staff")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert browser.get(order.get_absolute_url()).status_code == 200
        return len(captured)

    ProductionOrderDetail.objects.create(order=order, item=PriceListItemFactory())
    queries()  # the first page of a process reads the studio's lists, kept for the next ones
    few = queries()
    for n in range(5):
        ProductionOrderDetail.objects.create(order=order, item=PriceListItemFactory())
        task_create(
            by=people["staff"],
            subject=f"Call the lab ({n})",
            assigned_user=people["staff"],
            links={"production_order": order},
        )
    scan_advance(raw="1001", by=people["staff"])
    page = browser.get(order.get_absolute_url()).content.decode()
    assert "Call the lab (4)" in page and "?production_order=" in page  # the Tasks panel
    # 13 for the order, its lines, history and tasks; 2 for its communication log; 1 for the
    # calendar its projected completion counts on (tracking/standing.py); 2 for the choices of
    # the form adding a line (price list items, render profiles).
    assert queries() == few <= 18
