"""The status reports' figures against an independent count of the raw rows.

Records are written straight into their tables in random statuses (the report reads what is
stored; how it got there is the tracking engine's business and tested there), some finished,
some orders sharing an invoice, some invoices worth nothing; the test then asks the report with
a random filter and compares every number — counts and values per status, the rows and their
order, across pages — with the same question answered here over the rows in Python.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from darkroom.clients.models import Invoice, Session
from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.production.numbers import number_order_key
from darkroom.reports.selectors.status_report import (
    INVOICES,
    ORDERS,
    PREPRODUCTION,
    SESSIONS,
    StatusReportFilter,
    report_page,
    report_rows,
    status_totals,
)
from darkroom.tracking.models import CycleKind
from tests.factories import (
    ClientFactory,
    InvoiceFactory,
    ProductionOrderFactory,
    SessionFactory,
    UserFactory,
    VendorFactory,
    cycle_with_statuses,
    started_proof_order,
)

TODAY = dt.date(2026, 12, 2)
NAMES = [("Ann", "Adams"), ("bob", "adams"), ("Émile", "Zola"), ("Cy", "Brown"), ("Dee", "Brown")]
TOTALS = [Decimal("0.00"), Decimal("120.50"), Decimal("2592.00"), Decimal("19.99")]


def _sort_key(sort: str, number: str, due: dt.date | None, first: str, last: str, pk: int):
    if sort == "number":
        return (number_order_key(number), pk)
    if sort == "due":
        return (due, pk)
    return (last, first, pk)


order_spec = st.tuples(
    st.integers(0, 3),  # status: three open steps and the final one
    st.integers(-4, 4),  # due date, days from today
    st.integers(0, 4),  # invoice (several orders share one)
    st.booleans(),  # finished
    st.integers(0, 1),  # vendor
    st.integers(0, 2),  # assigned to (2: nobody)
)


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    specs=st.lists(order_spec, min_size=0, max_size=14),
    status=st.one_of(st.none(), st.integers(0, 3)),
    due_by=st.one_of(st.none(), st.integers(-5, 5)),
    vendor=st.one_of(st.none(), st.integers(0, 1)),
    user=st.one_of(st.none(), st.integers(0, 1)),
    sort=st.sampled_from(["number", "due", "client"]),
    batch=st.integers(1, 4),
)
def test_production_orders_match_an_independent_count(
    specs, status, due_by, vendor, user, sort, batch
):
    with transaction.atomic():
        prints = cycle_with_statuses(
            steps=(("Ordered", 1), ("At the lab", 2), ("Retouching", 1)), final="Picked up"
        )
        vendors = [VendorFactory(), VendorFactory()]
        users = [UserFactory(), UserFactory()]
        invoices = []
        for i, total in enumerate([*TOTALS, Decimal("75.25")]):
            first, last = NAMES[i % len(NAMES)]
            invoices.append(
                InvoiceFactory(total=total, client=ClientFactory(first_name=first, last_name=last))
            )
        made = []
        for status_at, due_in, invoice_at, finished, vendor_at, user_at in specs:
            step = prints.statuses[status_at]
            order = ProductionOrderFactory(
                order_type=prints.order_type,
                invoice=invoices[invoice_at],
                vendor=vendors[vendor_at],
                status=step,
                status_due_date=None if step.is_final else TODAY + dt.timedelta(days=due_in),
                status_user=None if user_at == 2 else users[user_at],
                completed_date=TODAY if finished or step.is_final else None,
            )
            made.append(order)
        f = StatusReportFilter(
            report=ORDERS,
            status=None if status is None else prints.statuses[status].pk,
            due_by=None if due_by is None else TODAY + dt.timedelta(days=due_by),
            vendor=None if vendor is None else vendors[vendor].pk,
            user=None if user is None else users[user].pk,
            sort=sort,
        )

        # The oracle: the raw rows, filtered and added up here.
        rows = list(
            ProductionOrder.objects.filter(pk__in=[o.pk for o in made]).values(
                "pk",
                "number",
                "status_id",
                "status_due_date",
                "vendor_id",
                "status_user_id",
                "completed_date",
                "invoice_id",
                "invoice__total",
                "client__first_name",
                "client__last_name",
            )
        )
        wanted = [
            r
            for r in rows
            if r["completed_date"] is None
            and (f.status is None or r["status_id"] == f.status)
            and (f.due_by is None or r["status_due_date"] <= f.due_by)
            and (f.vendor is None or r["vendor_id"] == f.vendor)
            and (f.user is None or r["status_user_id"] == f.user)
        ]
        expected: dict[int, tuple[int, Decimal]] = {}
        for status_id in {r["status_id"] for r in wanted}:
            mine = [r for r in wanted if r["status_id"] == status_id]
            distinct = {r["invoice_id"]: r["invoice__total"] for r in mine}
            expected[status_id] = (len(mine), sum(distinct.values(), Decimal("0.00")))
        ordered = sorted(
            wanted,
            key=lambda r: _sort_key(
                sort,
                r["number"],
                r["status_due_date"],
                r["client__first_name"],
                r["client__last_name"],
                r["pk"],
            ),
        )

        totals = status_totals(f)
        assert {s.status_id: (s.count, s.invoice_value) for s in totals.statuses} == expected
        positions = [s.position for s in prints.statuses]
        shown = [s.status_id for s in totals.statuses]
        assert shown == sorted(
            shown, key=lambda pk: positions[[s.pk for s in prints.statuses].index(pk)]
        )
        assert totals.count == len(wanted)
        got = list(report_rows(f, batch=batch))
        assert [r.id for r in got] == [r["pk"] for r in ordered]
        for row, raw in zip(got, ordered, strict=True):
            assert row.invoice_value == raw["invoice__total"]
            assert row.due_date == raw["status_due_date"]
            assert row.client == f"{raw['client__first_name']} {raw['client__last_name']}"
            assert row.number == raw["number"]
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_due_by_is_inclusive_and_finished_orders_never_count():
    prints = cycle_with_statuses(steps=(("Ordered", 1),), final="Picked up")
    ordered = prints["Ordered"]
    on_the_day = ProductionOrderFactory(
        order_type=prints.order_type, status=ordered, status_due_date=TODAY
    )
    ProductionOrderFactory(
        order_type=prints.order_type, status=ordered, status_due_date=TODAY + dt.timedelta(1)
    )
    ProductionOrderFactory(
        order_type=prints.order_type,
        status=ordered,
        status_due_date=TODAY,
        completed_date=TODAY,
    )
    # An open order whose due date someone cleared: in every report but one due by a date,
    # after the dated ones.
    undated = ProductionOrderFactory(
        order_type=prints.order_type, status=ordered, status_due_date=None
    )
    f = StatusReportFilter(report=ORDERS, due_by=TODAY)
    assert [r.id for r in report_page(f).rows] == [on_the_day.pk]
    assert status_totals(f).count == 1
    assert status_totals(StatusReportFilter(report=ORDERS)).count == 3
    by_due = StatusReportFilter(report=ORDERS, sort="due")
    assert [r.id for r in report_rows(by_due, batch=1)][::2] == [on_the_day.pk, undated.pk]


@pytest.mark.django_db
def test_proof_orders_have_no_invoice_value():
    proofs = cycle_with_statuses(kind=CycleKind.PREPRODUCTION, steps=(("Sent", 2),))
    one = started_proof_order(status=proofs["Sent"])
    two = started_proof_order(status=proofs["Sent"])
    f = StatusReportFilter(report=ORDERS, stage=PREPRODUCTION, sort="due")
    totals = status_totals(f)
    assert [(s.status, s.count) for s in totals.statuses] == [("Sent", 2)]
    rows = report_page(f).rows
    assert {r.id for r in rows} == {one.pk, two.pk}
    assert all(r.invoice_value is None for r in rows)
    assert PreproductionOrder.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["number", "due", "client"])
def test_sessions_and_invoices_match_their_rows(sort):
    sessions_cycle = cycle_with_statuses(kind=CycleKind.SESSION, steps=(("Booked", 3), ("Shot", 2)))
    invoice_cycle = cycle_with_statuses(kind=CycleKind.INVOICE, steps=(("Open", 3), ("Paid", 2)))
    made_sessions, made_invoices = [], []
    for i in range(7):
        first, last = NAMES[i % len(NAMES)]
        client = ClientFactory(first_name=first, last_name=last)
        step = sessions_cycle.statuses[i % 3]
        session = SessionFactory(
            client=client,
            status=step,
            status_due_date=None if i == 3 else TODAY + dt.timedelta(days=i % 4),
            completed_date=TODAY if step.is_final else None,
        )
        made_sessions.append(session)
        for j in range(i % 3):  # none, one or two invoices, some worth nothing
            made_invoices.append(
                InvoiceFactory(
                    client=client,
                    session=session,
                    total=TOTALS[(i + j) % len(TOTALS)],
                    status=invoice_cycle.statuses[(i + j) % 3],
                    status_due_date=TODAY + dt.timedelta(days=j),
                    completed_date=TODAY if (i + j) % 3 == 2 else None,
                )
            )
    for report, model in [(SESSIONS, Session), (INVOICES, Invoice)]:
        f = StatusReportFilter(report=report, sort=sort)
        records = [r for r in model.objects.select_related("client") if r.completed_date is None]
        values = {
            r.pk: (
                sum((i.total for i in Invoice.objects.filter(session=r)), Decimal("0.00"))
                if model is Session
                else r.total
            )
            for r in records
        }
        expected: dict[int, tuple[int, Decimal]] = {}
        for r in records:
            count, value = expected.get(r.status_id, (0, Decimal("0.00")))
            expected[r.status_id] = (count + 1, value + values[r.pk])
        totals = status_totals(f)
        assert {s.status_id: (s.count, s.invoice_value) for s in totals.statuses} == expected

        def key(r):
            if sort == "number":
                return (r.pk,)
            if sort == "due":  # empty due dates last
                return (r.status_due_date is None, r.status_due_date or TODAY, r.pk)
            return (r.client.last_name, r.client.first_name, r.pk)

        got = list(report_rows(f, batch=2))
        assert [r.id for r in got] == [r.pk for r in sorted(records, key=key)]
        assert [r.invoice_value for r in got] == [values[r.pk] for r in sorted(records, key=key)]


@pytest.mark.django_db
def test_queries_do_not_grow_with_orders(django_assert_num_queries):
    prints = cycle_with_statuses(steps=(("Ordered", 1),), final="Picked up")
    for _ in range(5):
        ProductionOrderFactory(
            order_type=prints.order_type, status=prints["Ordered"], status_due_date=TODAY
        )
    f = StatusReportFilter(report=ORDERS, sort="due")
    with django_assert_num_queries(2):  # the totals, the statuses' names
        status_totals(f)
    with django_assert_num_queries(1):
        report_page(f, limit=3)
