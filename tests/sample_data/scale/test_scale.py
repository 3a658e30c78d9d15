"""The large studio made in bulk (``darkroom seed-scale``): its shape, and the pages reading it."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from io import StringIO
from itertools import pairwise

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, F, Max, Q

from darkroom.catalog.models import Vendor
from darkroom.clients.models import Invoice, InvoiceLine, Payment
from darkroom.errors import DarkroomError
from darkroom.hub.tally import status_totals
from darkroom.production.models import PreproductionOrder, ProductionOrder, ProductionOrderDetail
from darkroom.production.numbers import order_numbers_take
from darkroom.reports import vendor_steps
from darkroom.reports.models import VendorStepDay
from darkroom.sample_data.scale import seed_scale
from darkroom.sample_data.scale.bulk import secondary_indexes
from darkroom.sample_data.scale.plan import OPEN_SHARE, USERS, VENDORS
from darkroom.studio.calendar.cache import studio_calendar
from darkroom.studio.selectors import studio_preferences
from darkroom.tracking.models import Status, StatusNote
from darkroom.tracking.selectors import at_risk, open_records, overdue
from darkroom.tracking.standing import business_days_late

ORDERS = 300
BULK_TABLES = [
    ProductionOrder,
    StatusNote,
    Invoice,
    InvoiceLine,
    Payment,
    ProductionOrderDetail,
    PreproductionOrder,
]


def _indexes() -> dict[str, list[tuple[str, str]]]:
    return {m._meta.db_table: secondary_indexes(m._meta.db_table) for m in BULK_TABLES}


@pytest.fixture
def studio(db):
    """A studio of 300 orders, with the secondary indexes seen before it was made."""
    before = _indexes()
    seen = []
    report = seed_scale(orders=ORDERS, seed=7, progress=lambda done, total: seen.append(done))
    return report, before, seen


def test_the_studio_has_the_asked_size_and_a_twentieth_open(studio):
    report, _before, seen = studio
    assert ProductionOrder.objects.count() == report.orders == ORDERS
    assert seen[0] == 0 and seen[-1] == ORDERS and seen == sorted(seen)
    assert Vendor.objects.count() == VENDORS
    assert Status.objects.filter(cycle__kind="production").values("cycle").distinct().count() == 8
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.filter(username__startswith="scale").count() == USERS
    open_orders = ProductionOrder.objects.filter(completed_date__isnull=True)
    assert open_orders.count() == report.open_orders == round(ORDERS * OPEN_SHARE)
    invoices = Invoice.objects.count()
    assert report.invoices == invoices and 2.5 <= ORDERS / invoices <= 3.5
    assert PreproductionOrder.objects.filter(completed_date__isnull=True).count() >= 1
    # The open ones are what the hub shows: due around today, some late, some at risk.
    today = studio_preferences().today()
    assert open_records(ProductionOrder).count() == report.open_orders
    assert overdue(ProductionOrder, today=today).exists()
    assert open_orders.filter(status_due_date__gte=today).exists()
    assert at_risk(ProductionOrder).exists()
    assert not open_orders.filter(projected_completion__isnull=True).exists()
    assert not open_orders.filter(status_due_date__lt=F("status_entered_on")).exists()
    # Ten years of invoices, up to the studio's today, with totals that add up their lines.
    span = Invoice.objects.aggregate(first=Max("invoice_date"))["first"]
    assert span == today
    assert Invoice.objects.order_by("invoice_date").first().invoice_date.year <= today.year - 9
    for invoice in Invoice.objects.order_by("?")[:20]:
        lines = sum(line.amount for line in invoice.lines.all())
        assert invoice.total == lines > 0
        assert invoice.paid == sum(p.amount for p in invoice.payments.all())


def test_every_order_is_in_its_own_types_cycle_and_final_ones_are_completed(studio):
    orders = ProductionOrder.objects.select_related("status__cycle", "order_type")
    assert not orders.exclude(status__cycle__order_type=F("order_type")).exists()
    final = orders.filter(status__is_final=True)
    assert final.count() == ORDERS - round(ORDERS * OPEN_SHARE)
    assert not final.filter(Q(completed_date__isnull=True) | Q(completed_by__isnull=True)).exists()
    assert not final.exclude(status_due_date__isnull=True).exists()
    assert not orders.filter(status__is_final=False, completed_date__isnull=False).exists()
    assert not orders.filter(version__lt=2).exists()
    # Every order has the studio's own number, production and proof orders alike, and the
    # studio's count is past them; vendors' numbers are unique per vendor, each vendor's counter
    # past the numbers it gave.
    ours = [
        int(n)
        for model in (ProductionOrder, PreproductionOrder)
        for n in model.objects.values_list("number", flat=True)
    ]
    assert len(ours) == len(set(ours)) == ORDERS + PreproductionOrder.objects.count()
    assert order_numbers_take(1) == [str(max(ours) + 1)]
    numbered = orders.filter(vendor_number__isnull=False)
    assert numbered.exists()
    pairs = Counter(numbered.values_list("vendor_id", "vendor_number"))
    assert max(pairs.values()) == 1
    for vendor in Vendor.objects.filter(auto_assigns_numbers=True, production_orders__isnull=False):
        used = [int(n) for n in vendor.production_orders.values_list("vendor_number", flat=True)]
        assert vendor.next_order_number > max(used)


def test_each_orders_history_follows_its_path_to_where_it_is(studio):
    kind = ContentType.objects.get_for_model(ProductionOrder)
    notes = StatusNote.objects.filter(content_type=kind)
    assert 4.0 <= notes.count() / ORDERS <= 6.0
    by_order: dict[int, list[StatusNote]] = {}
    for note in notes.order_by("changed_at", "id"):
        by_order.setdefault(note.object_id, []).append(note)
    orders = {o.pk: o for o in ProductionOrder.objects.all()}
    assert set(by_order) == set(orders)
    for pk, history in by_order.items():
        order = orders[pk]
        assert history[0].kind == "start" and history[0].from_status_id is None
        assert history[0].date_completed == order.order_date
        for before, after in pairwise(history):
            assert after.kind == "change" and after.from_status_id == before.to_status_id
            assert after.date_completed >= before.date_completed
            assert after.changed_at > before.changed_at
            # How late the step was left, against the due date it was entered with.
            assert after.business_days_late == business_days_late(
                due=before.due_date, left=after.date_completed, calendar=studio_calendar()
            )
        assert history[-1].to_status_id == order.status_id
        assert history[-1].date_completed == order.status_entered_on
        assert history[-1].due_date == order.status_due_date
        assert order.version == 1 + len(history)


def test_the_data_breaks_no_constraint_and_the_indexes_are_as_before(studio):
    _report, before, _seen = studio
    connection.check_constraints()  # every foreign key points at a row
    assert _indexes() == before
    assert all(before.values())


def test_the_vendors_summary_counts_the_seeded_history_and_its_trigger_is_back(studio):
    columns = ["day", "vendor_id", "steps", "due_steps", "on_time", "late", "late_days"]
    kept = sorted(VendorStepDay.objects.values_list(*columns))
    assert (
        sum(row[2] for row in kept)
        == StatusNote.objects.filter(
            kind="change", content_type=ContentType.objects.get_for_model(ProductionOrder)
        ).count()
    )
    assert sum(row[5] for row in kept) > 0 and sum(row[4] for row in kept) > 0
    vendor_steps.count_again(connection)
    assert sorted(VendorStepDay.objects.values_list(*columns)) == kept
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
            if connection.vendor == "postgresql"
            else "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        )
        assert vendor_steps.triggers(connection.vendor) <= {n for (n,) in cursor.fetchall()}


def test_the_hubs_running_totals_count_the_seeded_orders(studio):
    from tests.hub.test_running_totals import oracle

    assert status_totals() == oracle()
    assert sum(n for n, _ in status_totals().values()) == (
        ProductionOrder.objects.filter(completed_date__isnull=True).count()
        + PreproductionOrder.objects.filter(completed_date__isnull=True).count()
    )


def test_the_order_page_the_hub_and_the_api_read_seeded_orders(studio, web, api):
    open_order = (
        open_records(ProductionOrder).order_by("status_due_date", "id").select_related("status")
    ).first()
    finished = ProductionOrder.objects.filter(completed_date__isnull=False).first()
    page = web("staff")
    for order in (open_order, finished):
        answer = page.get(order.get_absolute_url())
        assert answer.status_code == 200
        assert order.status.description in answer.content.decode()
    listing = page.get("/production/")
    assert listing.status_code == 200
    assert open_order.get_absolute_url() in listing.content.decode()
    caller = api("readonly")
    answer = caller.get(f"production-orders/{open_order.pk}")
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"]["id"] == open_order.status_id
    assert body["version"] == open_order.version and len(body["details"]) == 1
    history = caller.get(f"production-orders/{open_order.pk}/status-changes")
    assert history.status_code == 200
    kind = ContentType.objects.get_for_model(ProductionOrder)
    notes = StatusNote.objects.filter(content_type=kind, object_id=open_order.pk).count()
    assert len(history.json()["results"]) == notes
    listed = caller.get("production-orders")  # the hub's list: open orders, soonest due first
    assert listed.status_code == 200
    assert open_order.pk in [row["id"] for row in listed.json()["results"]]


def test_a_studio_with_orders_is_refused_unless_forced(db):
    first = seed_scale(orders=12, seed=3)
    with pytest.raises(DarkroomError) as refused:
        seed_scale(orders=12, seed=3)
    assert refused.value.code == "studio_in_use"
    assert ProductionOrder.objects.count() == 12
    again = seed_scale(orders=12, seed=3, force=True)
    assert again.orders == 12 and ProductionOrder.objects.count() == 24
    assert Vendor.objects.count() == VENDORS  # the same vendors, reused
    numbered = ProductionOrder.objects.filter(vendor_number__isnull=False)
    assert (
        numbered.values("vendor", "vendor_number").annotate(n=Count("id")).filter(n__gt=1).count()
        == 0
    )
    assert ProductionOrder.objects.values("number").distinct().count() == 24
    assert first.today == again.today


@pytest.mark.parametrize("orders", [0, -5, True, 2.5, "300"])
def test_a_size_that_is_not_a_whole_number_above_zero_is_refused(db, orders):
    with pytest.raises(ValidationError) as refused:
        seed_scale(orders=orders)
    assert "whole number above zero" in str(refused.value)
    assert not Vendor.objects.exists()


def test_the_command_shows_progress_and_a_summary_then_refuses_a_second_run(db):
    out = StringIO()
    call_command("seed_scale", "--orders", "40", stdout=out)
    text = out.getvalue()
    assert "100%  40/40 orders" in text
    assert "Made 40 production orders (2 open)" in text and "rows/s" in text
    with pytest.raises(CommandError, match="already has production orders"):
        call_command("seed_scale", "--orders", "40", stdout=StringIO())
    with pytest.raises(CommandError, match="whole number above zero"):
        call_command("seed_scale", "--orders", "0", stdout=StringIO())
    with pytest.raises(CommandError, match="“lots” is not a whole number"):
        call_command("seed_scale", "--orders", "lots", stdout=StringIO())
    assert ProductionOrder.objects.count() == 40


def test_darkroom_seed_scale_is_the_command_and_refuses_bad_sizes(tmp_path):
    """The hyphenated name reaches the command; bad sizes are refused before any database."""
    env = {"DARKROOM_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    for size, message in (("abc", "“abc” is not a whole number"), ("0", "above zero")):
        run = subprocess.run(
            [sys.executable, "-m", "darkroom", "seed-scale", "--orders", size],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode != 0
        assert message in run.stderr
        assert "Traceback" not in run.stderr
