"""The profit analysis's figures against an independent computation over the raw rows.

Sessions of two types, by two photographers or none, for clients with a lead source or none;
invoices on random days around the range's edges (some of one session, several of another,
some of none), with lines of items that have a cost or none, and production orders with a
vendor amount or none; proof orders with a cost or none. The test asks the report with a random
filter, grouping and cost source and compares every figure of every group, the totals and the
sessions' rows across pages with the same question answered here in Python.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from darkroom.production.models import PreproductionOrder
from darkroom.reports.selectors.profit import (
    LEAD_SOURCE,
    PHOTOGRAPHER,
    SESSION_TYPE,
    ProfitFilter,
    profit_page,
    profit_rows,
    profit_totals,
)
from darkroom.studio.models import ProfitCosts
from tests.factories import (
    ClientFactory,
    InvoiceFactory,
    InvoiceLineFactory,
    PriceListItemFactory,
    ProductionOrderFactory,
    SessionFactory,
    SessionTypeFactory,
    UserFactory,
    VendorFactory,
)

START, END = dt.date(2026, 1, 30), dt.date(2026, 3, 2)
ITEM_COSTS = [Decimal("4.00"), Decimal("0.00"), Decimal("12.35")]
AMOUNTS = [None, Decimal("0.00"), Decimal("19.99"), Decimal("40.00")]
ZERO = Decimal("0.00")

session_spec = st.tuples(st.integers(0, 1), st.integers(0, 2), st.integers(0, 1))
invoice_spec = st.tuples(
    st.one_of(st.none(), st.integers(0, 3)),  # its session (of those made), or none
    st.integers(-2, 34),  # invoice date: days after START - 1 (both edges and beyond)
    st.lists(st.tuples(st.integers(0, 2), st.integers(1, 3)), max_size=3),  # (item, quantity)
    st.lists(st.integers(0, 3), max_size=2),  # its production orders' vendor amounts
)
proof_spec = st.tuples(st.integers(0, 3), st.integers(0, 3))


def _oracle(sessions, invoices, proofs, f):
    """The figures, added up here over the raw rows the test wrote: {key: figure}."""
    kept = [
        i
        for i in invoices
        if f.start <= i["date"] <= f.end
        and (f.client is None or i["client"] == f.client)
        and (
            f.session_type is None
            or (i["session"] is not None and sessions[i["session"]]["type"] == f.session_type)
        )
    ]

    def key_of(session, client_lead):
        if f.group_by == LEAD_SOURCE:
            return session["lead"] if session is not None else client_lead
        if session is None:
            return ""
        value = session["type"] if f.group_by == SESSION_TYPE else session["photographer"]
        return "" if value is None else str(value)

    groups = defaultdict(
        lambda: {
            "sessions": set(),
            "invoices": 0,
            "revenue": ZERO,
            "product": ZERO,
            "proof": ZERO,
            "lines": 0,
            "orders": 0,
            "proofs": 0,
        }
    )
    counted = {}
    for i in kept:
        session = None if i["session"] is None else sessions[i["session"]]
        g = groups[key_of(session, i["lead"])]
        g["invoices"] += 1
        g["revenue"] += i["total"]
        if session is not None:
            g["sessions"].add(i["session"])
            counted[i["session"]] = key_of(session, i["lead"])
        if f.costs == ProfitCosts.PRICE_LIST:
            g["product"] += sum((q * c for c, q in i["lines"]), ZERO)
            g["lines"] += sum(1 for c, _ in i["lines"] if c == 0)
        else:
            g["product"] += sum((a for a in i["orders"] if a is not None), ZERO)
            g["orders"] += sum(1 for a in i["orders"] if a is None)
    for p in proofs:
        if p["session"] in counted:
            g = groups[counted[p["session"]]]
            if p["amount"] is None:
                g["proofs"] += 1
            else:
                g["proof"] += p["amount"]
    return (
        {
            k: (
                len(g["sessions"]),
                g["invoices"],
                g["revenue"],
                g["product"],
                g["proof"],
                g["lines"],
                g["orders"],
                g["proofs"],
            )
            for k, g in groups.items()
        },
        counted,
        kept,
    )


def _figure(g):
    return (
        g.sessions,
        g.invoices,
        g.revenue,
        g.product_cost,
        g.preproduction_cost,
        g.lines_without_cost,
        g.orders_without_amount,
        g.proofs_without_cost,
    )


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    session_specs=st.lists(session_spec, min_size=4, max_size=4),
    invoice_specs=st.lists(invoice_spec, max_size=8),
    proof_specs=st.lists(proof_spec, max_size=4),
    group_by=st.sampled_from([SESSION_TYPE, PHOTOGRAPHER, LEAD_SOURCE]),
    costs=st.sampled_from(list(ProfitCosts)),
    session_type=st.one_of(st.none(), st.integers(0, 1)),
    client=st.one_of(st.none(), st.integers(0, 1)),
    batch=st.integers(1, 3),
)
def test_the_figures_match_an_independent_computation(
    session_specs, invoice_specs, proof_specs, group_by, costs, session_type, client, batch
):
    with transaction.atomic():
        types = [SessionTypeFactory(name="Wedding"), SessionTypeFactory(name="Newborn")]
        people = [UserFactory(first_name="Ann"), UserFactory(first_name="Bob"), None]
        clients = [
            ClientFactory(lead_source="Referral"),
            ClientFactory(lead_source=""),
        ]
        items = [PriceListItemFactory(cost=c, price=Decimal("25.00")) for c in ITEM_COSTS]
        vendor = VendorFactory()
        sessions = []
        for type_at, person_at, client_at in session_specs:
            s = SessionFactory(
                session_type=types[type_at],
                photographer=people[person_at],
                client=clients[client_at],
            )
            sessions.append(
                {
                    "id": s.pk,
                    "type": s.session_type_id,
                    "photographer": s.photographer_id,
                    "lead": clients[client_at].lead_source,
                    "client": s.client_id,
                }
            )
        invoices = []
        for session_at, day, lines, orders in invoice_specs:
            session = None if session_at is None else sessions[session_at]
            owner = (
                clients[0]
                if session is None
                else clients[[c.pk for c in clients].index(session["client"])]
            )
            total = sum((items[i].price * q for i, q in lines), ZERO)
            invoice = InvoiceFactory(
                client=owner,
                session_id=None if session is None else session["id"],
                invoice_date=START + dt.timedelta(days=day - 1),
                total=total,
            )
            for i, q in lines:
                InvoiceLineFactory(invoice=invoice, item=items[i], quantity=q, price=items[i].price)
            for a in orders:
                ProductionOrderFactory(
                    invoice=invoice, vendor=vendor, vendor_invoice_amount=AMOUNTS[a]
                )
            invoices.append(
                {
                    "session": session_at,
                    "date": invoice.invoice_date,
                    "client": owner.pk,
                    "lead": owner.lead_source,
                    "total": total,
                    "lines": [(items[i].cost * 1, q) for i, q in lines],
                    "orders": [AMOUNTS[a] for a in orders],
                }
            )
        proofs = []
        for session_at, a in proof_specs:
            PreproductionOrder.objects.create(
                session_id=sessions[session_at]["id"],
                vendor=vendor,
                order_date=START,
                entered_by=people[0],
                vendor_invoice_amount=AMOUNTS[a],
            )
            proofs.append({"session": session_at, "amount": AMOUNTS[a]})
        f = ProfitFilter(
            start=START,
            end=END,
            group_by=group_by,
            costs=costs,
            session_type=None if session_type is None else types[session_type].pk,
            client=None if client is None else clients[client].pk,
        )
        want, counted, kept = _oracle(sessions, invoices, proofs, f)

        totals = profit_totals(f)
        assert {g.key: _figure(g) for g in totals.groups} == want
        everything = totals.all
        assert everything.revenue == sum((i["total"] for i in kept), ZERO)
        assert everything.sessions == len(counted)
        assert everything.profit == everything.revenue - everything.costs
        if everything.sessions:
            assert everything.average_profit == (everything.profit / everything.sessions).quantize(
                Decimal("0.01")
            )
        if everything.revenue:
            assert everything.margin == (everything.profit * 100 / everything.revenue).quantize(
                Decimal("0.1")
            )
        else:
            assert everything.margin is None

        # The sessions, a page of ``batch`` at a time, cursor to cursor, each with its figures.
        seen, cursor = [], None
        while True:
            page = profit_page(f, cursor=cursor, limit=batch)
            assert len(page.rows) <= batch
            seen += page.rows
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        wanted_ids = sorted(sessions[s]["id"] for s in counted)
        assert [r.id for r in seen] == wanted_ids
        assert [r.id for r in profit_rows(f, batch=batch)] == wanted_ids
        by_id = {sessions[s]["id"]: s for s in counted}
        for row in seen:
            mine = [i for i in kept if i["session"] == by_id[row.id]]
            assert row.revenue == sum((i["total"] for i in mine), ZERO)
            assert row.invoices == len(mine)
        assert sum((r.revenue for r in seen), ZERO) == sum(
            (i["total"] for i in kept if i["session"] is not None), ZERO
        )
        # One group's sessions: those of its key only.
        for g in totals.groups:
            only = list(profit_rows(ProfitFilter(**{**f.__dict__, "group": g.key})))
            assert [r.id for r in only] == sorted(
                sessions[s]["id"] for s, k in counted.items() if k == g.key
            )
        transaction.set_rollback(True)
