"""At risk on the hub: its filter and its count say exactly what each order's row says (the
standing rule, ``tracking/standing.py``), late orders whose promise is still ahead included."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

import pytest

from darkroom.hub.filters import HubFilter
from darkroom.hub.selectors.pages import hub_page
from darkroom.hub.summary import hub_summary, summary_counted
from darkroom.production.models import ProductionOrder
from darkroom.studio.calendar.cache import vendor_calendar
from darkroom.studio.calendar.writes import closure_add
from darkroom.studio.models import Closure
from darkroom.studio.selectors import studio_preferences
from darkroom.tracking.remaining import calendars_from, open_records_fill
from darkroom.tracking.services import due_dates_recompute, status_change, status_due_date_set
from darkroom.tracking.standing import standing
from tests import factories as f
from tests.hub.test_selectors import started
from tests.production.test_production_orders import production_cycle

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ordinary_day")]

DAY = dt.timedelta(days=1)


def orders(
    kind: Any, vendor: Any, promises: list[dt.date | None], *, on: dt.date, by: Any
) -> list[ProductionOrder]:
    invoice = f.InvoiceFactory(total=Decimal("100.00"))
    rows = [
        {
            "invoice": invoice,
            "client": invoice.client,
            "vendor": vendor,
            "order_type": kind,
            "promised_date": promised,
        }
        for promised in promises
    ]
    return started(ProductionOrder, rows, on=on, by=by)


def at_risk_ids(today: dt.date, flt: HubFilter | None = None) -> set[int]:
    flt = flt or HubFilter()
    rows = hub_page(HubFilter(vendors=flt.vendors, flag="at_risk"), today=today, limit=500).rows
    return {row.id for row in rows}


def flagged_ids(today: dt.date, flt: HubFilter | None = None) -> set[int]:
    rows = hub_page(flt or HubFilter(), today=today, limit=500).rows
    return {row.id for row in rows if row.at_risk}


def test_a_late_order_whose_remaining_days_from_today_overrun_a_promise_ahead_is_at_risk():
    """Started two weeks ago in a one-day step with six days after it: due 13 days ago,
    projected (as stored) 5 days ago, and from today the six days end next Thursday."""
    today = studio_preferences().today()  # a Wednesday
    person = f.UserFactory()
    kind = f.OrderTypeFactory(name="Albums")
    production_cycle(kind, [1, 6, 0])
    vendor = f.VendorFactory(name="Bay Lab")
    overrun, fits = orders(
        kind, vendor, [today + 7 * DAY, today + 8 * DAY], on=today - 14 * DAY, by=person
    )
    for order in (overrun, fits):
        order.refresh_from_db()
        assert order.status_due_date == today - 13 * DAY
        assert order.projected_completion == today - 5 * DAY  # within both promises as stored
        assert order.remaining_days == 6
    assert at_risk_ids(today) == flagged_ids(today) == {overrun.pk}
    assert hub_summary(HubFilter(), today=today).at_risk == 1
    assert summary_counted(HubFilter(vendors=(vendor.pk,)), today=today).at_risk == 1
    # A day later the six days end a day later: the other one overruns its promise too.
    assert at_risk_ids(today + DAY) == flagged_ids(today + DAY) == {overrun.pk, fits.pk}
    assert hub_summary(HubFilter(), today=today + DAY).at_risk == 2


def test_a_vendors_own_closure_moves_the_day_its_late_orders_finish():
    today = studio_preferences().today()  # a Wednesday
    person = f.UserFactory()
    kind = f.OrderTypeFactory(name="Albums")
    production_cycle(kind, [1, 6, 0])
    open_lab, closed_lab = f.VendorFactory(name="Open Lab"), f.VendorFactory(name="Closed Lab")
    closure_add(first_date=today + DAY, label="Inventory", vendor=closed_lab)
    assert vendor_calendar(closed_lab).due(today, 6) == today + 9 * DAY
    studio_side = orders(kind, open_lab, [today + 8 * DAY], on=today - 14 * DAY, by=person)
    vendor_side = orders(kind, closed_lab, [today + 8 * DAY], on=today - 14 * DAY, by=person)
    assert at_risk_ids(today) == flagged_ids(today) == {vendor_side[0].pk}
    assert studio_side[0].pk not in at_risk_ids(today)
    assert hub_summary(HubFilter(), today=today).at_risk == 1
    assert summary_counted(HubFilter(vendors=(closed_lab.pk,)), today=today).at_risk == 1
    assert summary_counted(HubFilter(vendors=(open_lab.pk,)), today=today).at_risk == 0


def test_the_filter_and_the_count_are_the_rows_flags_for_many_orders():
    """Orders of three cycles (no, a few and many remaining days), started over the last
    five weeks, promised from before today to weeks ahead (or never), at four vendors, two
    with closures of their own: on several days, the filter finds exactly the orders whose
    rows are flagged, the counts say how many, and the rule itself agrees."""
    today = studio_preferences().today()
    rng = random.Random(20261205)
    person = f.UserFactory()
    kinds = []
    for name, durations in [("Prints", [0, 0, 0]), ("Albums", [1, 6, 0]), ("Frames", [2, 3, 9, 0])]:
        kind = f.OrderTypeFactory(name=name)
        production_cycle(kind, durations)
        kinds.append(kind)
    vendors = [f.VendorFactory(name=f"Lab {n}") for n in range(4)]
    closure_add(first_date=today + 2 * DAY, label="Stocktake", vendor=vendors[1])
    closure_add(
        first_date=today + 5 * DAY, last_date=today + 9 * DAY, label="Away", vendor=vendors[2]
    )
    for _ in range(40):
        promises = [
            None if rng.random() < 0.1 else today + rng.randrange(-5, 30) * DAY
            for _ in range(rng.randrange(1, 4))
        ]
        orders(
            rng.choice(kinds),
            rng.choice(vendors),
            promises,
            on=today - rng.randrange(0, 35) * DAY,
            by=person,
        )
    made = list(ProductionOrder.objects.filter(completed_date__isnull=True))
    assert len(made) > 60
    for day in (today, today + 2 * DAY, today + 6 * DAY, today + 15 * DAY):
        rule = {
            o.pk
            for o in made
            if standing(
                is_open=True,
                due=o.status_due_date,
                projected=o.projected_completion,
                remaining=o.remaining_days,
                promised=o.promised_date,
                today=day,
                calendar=vendor_calendar(o.vendor_id),
            ).at_risk
        }
        stored = {o.pk for o in made if o.projected_completion > (o.promised_date or dt.date.max)}
        assert rule - stored  # late orders with a promise ahead, beyond what was stored
        assert flagged_ids(day) == rule, day
        assert at_risk_ids(day) == rule, day
        assert hub_summary(HubFilter(), today=day).at_risk == len(rule), day
        assert summary_counted(HubFilter(), today=day).at_risk == len(rule), day
        for vendor in vendors:
            flt = HubFilter(vendors=(vendor.pk,))
            mine = {o.pk for o in made if o.vendor_id == vendor.pk} & rule
            assert at_risk_ids(day, flt) == mine, (day, vendor)
            assert summary_counted(flt, today=day).at_risk == len(mine), (day, vendor)


# -- the remaining days the status engine stores beside the projection ---------------------------


def test_every_write_of_a_projection_stores_its_remaining_days():
    """Entering a status, changing it, moving its due date by hand and recomputing after a
    closure each store the business days from the due date to the projection."""
    today = studio_preferences().today()
    person = f.UserFactory()
    kind = f.OrderTypeFactory(name="Albums")
    steps = production_cycle(kind, [1, 6, 2, 0])
    vendor = f.VendorFactory(name="Bay Lab")
    (order,) = orders(kind, vendor, [today + 30 * DAY], on=today - 14 * DAY, by=person)

    def stored() -> tuple[Any, ...]:
        order.refresh_from_db()
        calendar = vendor_calendar(vendor)
        counted = calendar.business_days_between(order.status_due_date, order.projected_completion)
        return order.remaining_days, counted

    assert stored() == (8, 8)
    status_change(record=order, expected_version=order.version, updated_by=person)
    assert order.status_id == steps[1].pk
    assert stored() == (2, 2)
    status_due_date_set(
        record=order,
        expected_version=order.version,
        due_date=today + 3 * DAY,
        updated_by=person,
    )
    assert stored() == (2, 2)
    ProductionOrder.objects.filter(pk=order.pk).update(remaining_days=None)
    closure_add(first_date=today + 4 * DAY, label="Stocktake", vendor=vendor)
    due_dates_recompute(reason="calendar changed")
    assert stored() == (2, 2)


def test_records_projected_before_the_column_get_their_remaining_days():
    """What the migration (and a studio written in bulk) fills in: the business days between
    the two stored dates on the record's calendar, the vendor's own closures included."""
    today = studio_preferences().today()
    person = f.UserFactory()
    kind = f.OrderTypeFactory(name="Frames")
    production_cycle(kind, [2, 3, 9, 0])
    plain, closed = f.VendorFactory(name="Plain"), f.VendorFactory(name="Closed")
    closure_add(first_date=today + 3 * DAY, label="Away", vendor=closed)
    made = orders(kind, plain, [None], on=today, by=person)
    made += orders(kind, closed, [None], on=today, by=person)
    expected = {o.pk: ProductionOrder.objects.get(pk=o.pk).remaining_days for o in made}
    assert set(expected.values()) == {12}
    ProductionOrder.objects.update(remaining_days=None)
    assert open_records_fill() == 2
    assert {o.pk: o.remaining_days for o in ProductionOrder.objects.all()} == expected
    assert open_records_fill() == 0  # only those without
    # The migration's own calendars (it can't read the app's) are the same.
    prefs = studio_preferences()
    calendar_of = calendars_from(
        prefs.work_days_mask,
        [(c.vendor_id, c.first_date, c.last_date) for c in Closure.objects.all()],
    )
    for vendor in (None, plain.pk, closed.pk):
        assert calendar_of(vendor) == vendor_calendar(vendor)
