"""The reorders report's figures against an independent count of the raw rows.

Reorders are written straight into the orders' table (the report reads what is stored; how a
reorder is made is ``production/services/reorders.py``'s business, tested there), on random
days around the range's edges, at random vendors, for reasons chargeable or not (and none),
some with a cost and some without; ordinary orders beside them must never count. The test asks
the report with a random filter and compares every figure — per reason, vendor and month,
chargeable and not, with and without a cost — and the rows across pages with the same question
answered here over the rows in Python.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from darkroom.reports.forms.common import default_start
from darkroom.reports.selectors.reorders import (
    NO_REASON,
    ReordersFilter,
    months_of,
    reorder_page,
    reorder_rows,
    reorder_totals,
)
from tests.factories import ProductionOrderFactory, ReorderReasonFactory, VendorFactory

START, END = dt.date(2026, 1, 30), dt.date(2026, 3, 2)
COSTS = [None, Decimal("0.00"), Decimal("12.50"), Decimal("99.99")]

reorder_spec = st.tuples(
    st.integers(-3, 35),  # order date: days after START - 2 (both edges and beyond)
    st.integers(0, 1),  # vendor
    st.integers(0, 2),  # reason: chargeable, the vendor's fault, none recorded
    st.integers(0, 3),  # cost (None: no bill yet)
    st.booleans(),  # a reorder (else an ordinary order, which never counts)
)


def _oracle(rows, f):
    """The figures, added up here over the raw rows the test wrote."""
    kept = [
        r
        for r in rows
        if r["reorder"]
        and f.start <= r["date"] <= f.end
        and (f.vendor is None or r["vendor"] == f.vendor)
        and (f.reason is None or r["reason"] == f.reason)
    ]

    def figure(group):
        costs = [r["cost"] for r in group if r["cost"] is not None]
        return (len(group), len(group) - len(costs), sum(costs, Decimal("0.00")))

    def grouped(key):
        groups = defaultdict(list)
        for r in kept:
            groups[key(r)].append(r)
        return {k: figure(v) for k, v in groups.items()}

    months = {m: ([], []) for m in months_of(f.start, f.end)}
    for r in kept:
        months[r["date"].replace(day=1)][0 if r["chargeable"] else 1].append(r)
    return {
        "kept": sorted(kept, key=lambda r: (r["date"], r["id"])),
        "reasons": grouped(lambda r: r["reason_name"]),
        "vendors": grouped(lambda r: r["vendor_name"]),
        "chargeable": figure([r for r in kept if r["chargeable"]]),
        "non_chargeable": figure([r for r in kept if not r["chargeable"]]),
        "months": {m: (figure(a), figure(b)) for m, (a, b) in months.items()},
    }


def _figure(figure):
    return (figure.count, figure.uncosted, figure.cost)


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    specs=st.lists(reorder_spec, min_size=0, max_size=14),
    vendor=st.one_of(st.none(), st.integers(0, 1)),
    reason=st.one_of(st.none(), st.integers(0, 1)),
    batch=st.integers(1, 4),
)
def test_the_figures_match_an_independent_count(specs, vendor, reason, batch):
    with transaction.atomic():
        vendors = [VendorFactory(name="Bay Photo"), VendorFactory(name="Miller's")]
        reasons = [
            ReorderReasonFactory(description="Customer changed crop"),
            ReorderReasonFactory(description="Lab colour shift", is_non_chargeable=True),
        ]
        first = ProductionOrderFactory(order_date=START - dt.timedelta(days=60))
        rows = []
        for day, vendor_at, reason_at, cost_at, is_reorder in specs:
            why = reasons[reason_at] if reason_at < 2 else None
            order = ProductionOrderFactory(
                vendor=vendors[vendor_at],
                order_date=START + dt.timedelta(days=day - 2),
                reorder_of=first if is_reorder else None,
                reorder_reason=why,
                vendor_invoice_amount=COSTS[cost_at],
            )
            rows.append(
                {
                    "id": order.pk,
                    "number": order.number,
                    "date": order.order_date,
                    "vendor": order.vendor_id,
                    "vendor_name": order.vendor.name,
                    "reason": None if why is None else why.pk,
                    "reason_name": NO_REASON if why is None else why.description,
                    "chargeable": why is None or not why.is_non_chargeable,
                    "cost": COSTS[cost_at],
                    "reorder": is_reorder,
                }
            )
        f = ReordersFilter(
            start=START,
            end=END,
            vendor=None if vendor is None else vendors[vendor].pk,
            reason=None if reason is None else reasons[reason].pk,
        )
        want = _oracle(rows, f)

        totals = reorder_totals(f)
        assert {r.reason: _figure(r) for r in totals.reasons} == want["reasons"]
        assert {r.reason: r.chargeable for r in totals.reasons} == {
            r["reason_name"]: r["chargeable"] for r in want["kept"]
        }
        assert {v.vendor: _figure(v) for v in totals.vendors} == want["vendors"]
        assert _figure(totals.chargeable) == want["chargeable"]
        assert _figure(totals.non_chargeable) == want["non_chargeable"]
        assert totals.all.count == len(want["kept"])
        assert {
            m.month: (_figure(m.chargeable), _figure(m.non_chargeable)) for m in totals.months
        } == want["months"]
        assert [m.month for m in totals.months] == [
            dt.date(2026, 1, 1),
            dt.date(2026, 2, 1),
            dt.date(2026, 3, 1),
        ]

        # The rows, a page of ``batch`` at a time, cursor to cursor.
        seen, cursor = [], None
        while True:
            page = reorder_page(f, cursor=cursor, limit=batch)
            assert len(page.rows) <= batch
            seen += page.rows
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        assert [r.id for r in seen] == [r["id"] for r in want["kept"]]
        assert [r.id for r in reorder_rows(f, batch=batch)] == [r["id"] for r in want["kept"]]
        for row, raw in zip(seen, want["kept"], strict=True):
            assert (row.order_date, row.vendor, row.reason, row.chargeable, row.cost) == (
                raw["date"],
                raw["vendor_name"],
                raw["reason_name"],
                raw["chargeable"],
                raw["cost"],
            )
            assert (row.number, row.original_id, row.original_number) == (
                raw["number"],
                first.pk,
                first.number,
            )
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_both_edges_of_the_range_are_included():
    first = ProductionOrderFactory(order_date=START - dt.timedelta(days=90))
    for day in [START - dt.timedelta(days=1), START, END, END + dt.timedelta(days=1)]:
        ProductionOrderFactory(order_date=day, reorder_of=first, reorder_reason=None)
    totals = reorder_totals(ReordersFilter(start=START, end=END))
    assert totals.all.count == 2
    assert [r.order_date for r in reorder_page(ReordersFilter(start=START, end=END)).rows] == [
        START,
        END,
    ]
    one_day = ReordersFilter(start=END, end=END)
    assert reorder_totals(one_day).all.count == 1


@pytest.mark.django_db
def test_reorders_without_a_cost_are_counted_never_zero():
    first = ProductionOrderFactory(order_date=START)
    fault = ReorderReasonFactory(description="Lab scratch", is_non_chargeable=True)
    for cost in [None, None, Decimal("40.00")]:
        ProductionOrderFactory(
            order_date=START, reorder_of=first, reorder_reason=fault, vendor_invoice_amount=cost
        )
    totals = reorder_totals(ReordersFilter(start=START, end=END))
    assert _figure(totals.non_chargeable) == (3, 2, Decimal("40.00"))
    assert _figure(totals.chargeable) == (0, 0, Decimal("0.00"))
    assert [r.cost for r in reorder_page(ReordersFilter(start=START, end=END)).rows] == [
        None,
        None,
        Decimal("40.00"),
    ]


@pytest.mark.django_db
def test_an_empty_range_has_every_month_and_no_reorders():
    totals = reorder_totals(ReordersFilter(start=START, end=END))
    assert totals.all.count == 0 and totals.reasons == [] and totals.vendors == []
    assert [m.count for m in totals.months] == [0, 0, 0]
    assert reorder_page(ReordersFilter(start=START, end=END)).rows == []


@pytest.mark.parametrize(
    "today, start",
    [
        (dt.date(2026, 12, 5), dt.date(2026, 1, 1)),
        (dt.date(2026, 1, 31), dt.date(2025, 2, 1)),
        (dt.date(2024, 2, 29), dt.date(2023, 3, 1)),
        (dt.date(2026, 11, 1), dt.date(2025, 12, 1)),
    ],
)
def test_the_default_range_is_twelve_months_up_to_today(today, start):
    assert default_start(today) == start
    assert len(months_of(default_start(today), today)) == 12
