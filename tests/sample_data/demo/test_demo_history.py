"""The demo studio looks lived-in: months of orders through every step, written by the services.

A newcomer's hub, board, "My work" and scan station have work in them: proof and production
orders in every step of their cycles, some overdue, one due today, some at risk, numbered, with
their history dated on the days things happened, and none of it sends a message.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count, F, Min
from django.test import Client as Browser

from darkroom.clients.models import Invoice, Session
from darkroom.hub.filters import HubFilter
from darkroom.hub.selectors.pages import hub_page
from darkroom.hub.summary import hub_summary
from darkroom.messaging.models import Firing, Message
from darkroom.production.models import PreproductionOrder, ProductionOrder, ProductionOrderDetail
from darkroom.sample_data.demo import DEMO_PASSWORD, demo_studio_load
from darkroom.studio.calendar.cache import calendar_now
from darkroom.tracking.models import CycleKind, Status, StatusNote

pytestmark = pytest.mark.django_db
User = get_user_model()


def open_steps(kind: str) -> dict[str, set[str]]:
    """Each cycle of ``kind``: the descriptions of its steps but the final one."""
    steps: dict[str, set[str]] = {}
    for status in Status.objects.filter(cycle__kind=kind, is_final=False).select_related("cycle"):
        steps.setdefault(status.cycle.name, set()).add(status.description)
    return steps


def held(model) -> dict[str, set[str]]:
    """Each cycle: the steps its open records are in."""
    found: dict[str, set[str]] = {}
    for cycle, step in model.objects.filter(completed_date=None).values_list(
        "status__cycle__name", "status__description"
    ):
        found.setdefault(cycle, set()).add(step)
    return found


def test_the_demo_has_orders_in_every_step_with_their_history():
    demo_studio_load()
    today = calendar_now().today
    calendar = calendar_now().calendar

    # Every step of every order cycle holds open orders; every cycle has finished ones.
    assert held(ProductionOrder) == open_steps(CycleKind.PRODUCTION)
    assert held(PreproductionOrder) == open_steps(CycleKind.PREPRODUCTION)
    for model in (ProductionOrder, PreproductionOrder):
        finished = model.objects.exclude(completed_date=None)
        assert finished.count() >= 20
        assert not finished.filter(status__is_final=False).exists()
    finished_kinds = ProductionOrder.objects.exclude(completed_date=None).values("order_type")
    assert finished_kinds.distinct().count() == 3

    # What the hub shows: trouble, today's work and orders that may miss their promise.
    summary = hub_summary(HubFilter(), today=today)
    assert summary.open >= 20
    assert summary.overdue >= 1 and summary.due_today >= 1 and summary.at_risk >= 1

    # Every order has the studio's number, one of its own; the vendor's number: every order of
    # a vendor that numbers its orders, most of the others by hand ("#").
    orders = ProductionOrder.objects.all()
    assert not orders.filter(number=None).exists()
    assert not PreproductionOrder.objects.filter(number=None).exists()
    shared = orders.values("number").annotate(n=Count("id")).filter(n__gt=1)
    assert not shared.exists()  # a scanned label names one order
    assert not orders.filter(vendor__auto_assigns_numbers=True, vendor_number=None).exists()
    assert orders.exclude(vendor_number=None).count() >= 0.8 * orders.count()
    assert not orders.annotate(n=Count("details")).filter(n=0).exists()
    assert ProductionOrderDetail.objects.filter(invoice_line=None).exists()  # added by hand

    # Reorders with their reasons, chargeable or not; what vendors charged; who holds what.
    reorders = orders.exclude(reorder_of=None)
    assert reorders.count() >= 2 and not reorders.filter(reorder_reason=None).exists()
    assert reorders.filter(reorder_reason__is_non_chargeable=True).exists()
    assert reorders.filter(reorder_reason__is_non_chargeable=False).exists()
    assert orders.exclude(vendor_invoice_amount=None).count() >= orders.count() // 2
    assert PreproductionOrder.objects.exclude(vendor_invoice_amount=None).exists()
    assert orders.exclude(priority_code=None).exists()
    assigned = orders.filter(completed_date=None).exclude(status_user=None)
    assert {"manager"} <= set(assigned.values_list("status_user__username", flat=True))

    # Invoices and sessions went through their cycles; delivered ones were picked up that day.
    for model in (Invoice, Session):
        in_steps = set(model.objects.values_list("status__position", flat=True))
        assert len(in_steps) == Status.objects.filter(cycle__kind=model.__name__.lower()).count()
    delivered = Invoice.objects.exclude(delivered_date=None)
    assert delivered.count() >= 20
    assert not delivered.exclude(completed_date=F("delivered_date")).exists()
    assert not delivered.filter(status__is_final=False).exists()

    # The history is dated when things happened, and each open step is due from the day it
    # began (or on a date someone set, marked overridden).
    first = StatusNote.objects.aggregate(first=Min("date_completed"))["first"]
    assert first <= today - dt.timedelta(days=120)
    assert StatusNote.objects.filter(kind="change").count() >= 500
    for model in (ProductionOrder, PreproductionOrder, Invoice, Session):
        for record in model.objects.filter(completed_date=None, status_due_overridden=False):
            expected = calendar.due(record.status_entered_on, record.status.default_duration)
            assert record.status_due_date == expected, record
            assert record.status_entered_on <= today

    # None of that history sent anything: only what the demo moves on after its triggers.
    assert Message.objects.count() <= 10
    assert Firing.objects.count() <= 12


def test_the_demo_manager_has_work_waiting():
    demo_studio_load()
    manager = User.objects.get(username="manager")
    today = calendar_now().today
    mine = hub_page(HubFilter(users=(manager.pk,)), today=today, limit=50).rows
    assert mine

    browser = Browser()
    browser.post("/login/", {"username": "manager", "password": DEMO_PASSWORD})
    home = browser.get("/").content.decode()
    assert len(re.findall('data-testid="my-work-row"', home)) >= 5
    # The scan station finds an order by the number on its label.
    order = ProductionOrder.objects.filter(completed_date=None).exclude(number=None)[0]
    found = browser.post("/production/scan/", {"code": order.number, "mode": "lookup"})
    assert (found.status_code, found["Location"]) == (302, order.get_absolute_url())
