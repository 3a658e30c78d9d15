"""The hub's reads: every filter, flag and sort against an oracle written here, keyset pages with
no duplicates or gaps while orders change, the summary, and a query count independent of rows."""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import replace
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from darkroom.hub.filters import FLAGS, SORTS, HubFilter
from darkroom.hub.selectors.conditions import week_end
from darkroom.hub.selectors.pages import board_column, hub_page
from darkroom.hub.summary import hub_summary
from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.production.numbers import number_order_key
from darkroom.studio.calendar.cache import vendor_calendar
from darkroom.studio.selectors import studio_preferences
from darkroom.tracking.models import Cycle, CycleKind
from darkroom.tracking.services import (
    cycle_create,
    records_create_started,
    status_add,
    status_change,
)
from darkroom.tracking.standing import standing
from tests import factories as f
from tests.production.test_production_orders import production_cycle

# The hub sorts and flags orders around today: today is pinned.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ordinary_day")]

DAY = dt.timedelta(days=1)


# -- a studio with open and finished orders of both kinds ----------------------------------------


def started(model: Any, rows: list[dict[str, Any]], *, on: dt.date, by: Any) -> list[Any]:
    """Orders made already started in their cycle's first step (as the services make them)."""
    records = [model(order_date=on, entered_by=by, **row) for row in rows]
    records_create_started(records=records, started_on=on, by=by)
    return records


def move(order: Any, to: Any, *, by: Any, due: dt.date | None = None, **assign: Any) -> None:
    """Change the order's status through the status engine, due ``due`` (a final status has
    none); the step left is completed two days before the due date when that is past, so an
    order can be made overdue."""
    today = studio_preferences().today()
    completed = min(due, today) - 2 * DAY if due is not None else today
    status_change(
        record=order,
        expected_version=order.version,
        updated_by=by,
        to_status=to,
        due_date=due,
        date_completed=max(completed, order.status_entered_on),
        **assign,
    )


def make_world() -> SimpleNamespace:
    """Two order types and the proof cycle; three vendors (one named in lower case, which sorts
    after capitals byte by byte); clients whose names start alike; orders due over three
    weeks, some assigned, numbered, prioritised, promised too early (at risk); some finished."""
    today = studio_preferences().today()
    person = f.UserFactory(username="frontdesk", first_name="Fran", last_name="Desk")
    ines = f.UserFactory(username="ines", first_name="Ines", last_name="Kahn")
    olaf = f.UserFactory(username="olaf", first_name="", last_name="")
    retouch, printing = f.DepartmentFactory(name="Retouching"), f.DepartmentFactory(name="Printing")
    prints, albums = f.OrderTypeFactory(name="Prints"), f.OrderTypeFactory(name="Albums")
    print_steps = production_cycle(prints, [2, 1, 0])
    album_steps = production_cycle(albums, [3, 5, 0])
    proof_steps = f.cycle_with_statuses(
        kind=CycleKind.PREPRODUCTION,
        name="Proofs",
        steps=[("Proof step 1", 1), ("Proof step 2", 2), ("Proof step 3", 3, {"is_final": True})],
        final=None,
    ).statuses
    bay, album_co, frames = (
        f.VendorFactory(name="Bay Lab"),
        f.VendorFactory(name="Album Co"),
        f.VendorFactory(name="frame shop"),
    )
    rush, slow = (
        f.PriorityCodeFactory(code="RUSH", position=1),
        f.PriorityCodeFactory(code="SLOW", position=2),
    )
    names = [("Anna", "Smith"), ("Ben", "Smithers"), ("Carla", "Jones"), ("dora", "de Vries")]
    clients = [f.ClientFactory(first_name=a, last_name=b) for a, b in names]
    clients.append(f.ClientFactory(first_name="Émile", last_name="Zola"))
    promised = [today - 30 * DAY, today + 300 * DAY, None, today + 300 * DAY, today + 300 * DAY]
    invoices = [
        f.InvoiceFactory(client=c, approximate_delivery_date=p, total=Decimal(100 * (n + 1)))
        for n, (c, p) in enumerate(zip(clients, promised, strict=True))
    ]

    def po(n: int, vendor: Any, kind: Any, **more: Any) -> dict[str, Any]:
        invoice = invoices[n]
        return {
            "invoice": invoice,
            "client": invoice.client,
            "vendor": vendor,
            "order_type": kind,
            "promised_date": invoice.approximate_delivery_date,
            **more,
        }

    orders = started(
        ProductionOrder,
        [
            po(0, bay, prints, number="1001", priority_code=rush),
            po(0, bay, prints, number="1002"),
            po(0, album_co, albums, priority_code=slow),
            po(1, bay, prints, number="2001"),
            po(1, frames, albums, number="77"),
            po(2, album_co, albums, priority_code=rush),
            po(3, frames, prints),
            po(3, bay, albums, number="1003"),
            po(4, album_co, prints),
            po(4, bay, prints, number="3001"),
        ],
        on=today - 10 * DAY,
        by=person,
    )
    later = started(
        ProductionOrder,
        [po(1, bay, prints), po(2, frames, prints, number="1004"), po(4, album_co, albums)],
        on=today - 2 * DAY,
        by=person,
    )
    orders += later
    step = {prints.pk: print_steps, albums.pk: album_steps}
    # Spread the due dates: overdue, today, this week, later; assign some.
    plan = [
        (0, -3, retouch, ines),
        (1, 0, None, None),
        (3, 0, printing, olaf),
        (4, 2, retouch, None),
        (5, 9, None, ines),
        (6, -1, printing, ines),
        (8, 15, None, None),
        (10, 4, retouch, olaf),
    ]
    for index, days, department, user in plan:
        order = orders[index]
        move(
            order,
            step[order.order_type_id][1],
            by=person,
            due=today + days * DAY,
            department=department,
            user=user,
        )
    for index in (9, 11):  # finished: never shown
        order = orders[index]
        move(order, step[order.order_type_id][2], by=person)
    sessions = [f.SessionFactory(client=c) for c in clients[:4]]
    proof_orders = started(
        PreproductionOrder,
        [
            {"session": sessions[0], "vendor": bay, "number": "1001"},
            {"session": sessions[1], "vendor": album_co},
            {"session": sessions[2], "vendor": frames, "number": "P9"},
            {"session": sessions[3], "vendor": bay},
        ],
        on=today - 10 * DAY,
        by=person,
    )
    move(proof_orders[1], proof_steps[1], by=person, due=today - DAY, department=retouch, user=ines)
    move(proof_orders[3], proof_steps[2], by=person)  # finished
    return SimpleNamespace(**locals())


@pytest.fixture
def world(db) -> SimpleNamespace:
    return make_world()


# -- the oracle ----------------------------------------------------------------------------------


def open_orders() -> list[dict[str, Any]]:
    """Every open order of both tables with what filters and sorts read, straight from the ORM."""
    found = []
    for kind, model, client in (
        ("production", ProductionOrder, "client"),
        ("preproduction", PreproductionOrder, "session__client"),
    ):
        production = kind == "production"
        related = (
            ["vendor", "priority_code", "client"]
            if kind == "production"
            else [
                "vendor",
                "session__client",
            ]
        )
        for o in model.objects.filter(completed_date__isnull=True).select_related(*related):
            c = o.client if production else o.session.client
            found.append(
                {
                    "kind": kind,
                    "id": o.pk,
                    "order_type": o.order_type_id if production else None,
                    "priority": o.priority_code_id if production else None,
                    "priority_position": o.priority_code.position
                    if production and o.priority_code_id
                    else None,
                    "status": o.status_id,
                    "vendor": o.vendor_id,
                    "vendor_name": o.vendor.name,
                    "department": o.status_department_id,
                    "user": o.status_user_id,
                    "due": o.status_due_date,
                    "projected": o.projected_completion,
                    "remaining": o.remaining_days,
                    "promised": o.promised_date if production else None,
                    "order_date": o.order_date,
                    "number": o.number,
                    "first": c.first_name,
                    "last": c.last_name,
                    "invoice": o.invoice_id if production else None,
                }
            )
        del client
    return found


def fold(text: str) -> str:
    """A name as the database compares it case-blind: SQLite's ``UPPER`` knows ASCII letters
    only, PostgreSQL's knows accented ones too."""
    if connection.vendor == "sqlite":
        return "".join(c.upper() if c.isascii() else c for c in text)
    return text.upper()


def matches(o: dict[str, Any], flt: HubFilter, today: dt.date) -> bool:
    # At risk is the standing rule's (tracking/standing.py), as each row says it.
    at_risk = standing(
        is_open=True,
        due=o["due"],
        projected=o["projected"],
        remaining=o["remaining"],
        promised=o["promised"],
        today=today,
        calendar=vendor_calendar(o["vendor"]),
    ).at_risk
    checks = [
        flt.kind in ("all", o["kind"]),
        not flt.order_types or o["order_type"] in flt.order_types,
        not flt.priorities or o["priority"] in flt.priorities,
        not flt.statuses or o["status"] in flt.statuses,
        not flt.vendors or o["vendor"] in flt.vendors,
        not flt.departments or o["department"] in flt.departments,
        not flt.users or o["user"] in flt.users,
        flt.flag != "overdue" or o["due"] < today,
        flt.flag != "due_today" or o["due"] == today,
        flt.flag != "due_this_week" or today <= o["due"] <= week_end(today),
        flt.flag != "at_risk" or at_risk,
        flt.due_before is None or o["due"] < flt.due_before,
    ]
    if flt.q:
        if any(ch.isdigit() for ch in flt.q):
            checks.append((o["number"] or "").startswith(flt.q))
        else:
            names = [fold(o["first"]), fold(o["last"])]
            checks += [any(n.startswith(fold(w)) for n in names) for w in flt.q.split()]
    return all(checks)


SORT_VALUES = {
    "due": lambda o: [o["due"]],
    "client": lambda o: [o["last"], o["first"]],
    "number": lambda o: [number_order_key(o["number"]) if o["number"] else None],  # as numbers
    "vendor": lambda o: [o["vendor_name"]],
    "promised": lambda o: [o["promised"]],
    "projected": lambda o: [o["projected"]],
    "order_date": lambda o: [o["order_date"]],
    "priority": lambda o: [o["priority_position"], o["due"]],
}


def expected(flt: HubFilter, today: dt.date) -> list[tuple[str, int]]:
    """The orders the filter asks for, in its order: empty values last in both directions,
    then id, then production before preproduction (reversed with the direction)."""
    desc = flt.sort.startswith("-")
    rows = [o for o in open_orders() if matches(o, flt, today)]
    rank = {"production": 0, "preproduction": 1}
    rows.sort(key=lambda o: (o["id"], rank[o["kind"]]), reverse=desc)
    # Stable sorts from the last value to the first; empty values go last whatever the direction.
    values = SORT_VALUES[flt.sort.removeprefix("-")]
    for place in reversed(range(len(values(rows[0])) if rows else 0)):
        filled = [o for o in rows if values(o)[place] is not None]
        empty = [o for o in rows if values(o)[place] is None]
        filled.sort(key=lambda o, p=place: values(o)[p], reverse=desc)
        rows = filled + empty
    return [(o["kind"], o["id"]) for o in rows]


def every_page(flt: HubFilter, today: dt.date, limit: int) -> list[tuple[str, int]]:
    shown, cursor = [], None
    for _ in range(100):
        page = hub_page(flt, today=today, cursor=cursor, limit=limit)
        assert len(page.rows) <= limit
        shown += [(row.kind, row.id) for row in page.rows]
        if page.next_cursor is None:
            return shown
        assert len(page.rows) == limit
        cursor = page.next_cursor
    raise AssertionError("the pages never ended")


def filters(w: SimpleNamespace) -> dict[str, HubFilter]:
    return {
        "everything": HubFilter(),
        "production": HubFilter(kind="production"),
        "preproduction": HubFilter(kind="preproduction"),
        "order type": HubFilter(order_types=(w.albums.pk,)),
        "two statuses": HubFilter(statuses=(w.print_steps[1].pk, w.proof_steps[0].pk)),
        "vendor": HubFilter(vendors=(w.bay.pk,)),
        "two vendors": HubFilter(vendors=(w.frames.pk, w.album_co.pk)),
        "department": HubFilter(departments=(w.retouch.pk,)),
        "user": HubFilter(users=(w.ines.pk,)),
        "priority": HubFilter(priorities=(w.rush.pk,)),
        "due before": HubFilter(due_before=w.today + DAY),
        "name, any case": HubFilter(q="smi"),
        "two words": HubFilter(q="DORA de"),
        "non-ASCII name": HubFilter(q="Émile"),
        "number prefix": HubFilter(q="100"),
        "number": HubFilter(q="77"),
        "nothing": HubFilter(q="Nobody"),
        "vendor and user": HubFilter(vendors=(w.bay.pk,), users=(w.ines.pk, w.olaf.pk)),
        **{f"flag {flag}": HubFilter(flag=flag) for flag in FLAGS},
    }


FILTER_NAMES = [
    "everything", "production", "preproduction", "order type", "two statuses", "vendor",
    "two vendors", "department", "user", "priority", "due before", "name, any case", "two words",
    "non-ASCII name", "number prefix", "number", "nothing", "vendor and user",
    *[f"flag {flag}" for flag in FLAGS],
]  # fmt: skip


# -- tests ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FILTER_NAMES)
def test_each_filter_in_every_sort_pages_through_what_the_oracle_finds(world, name):
    flt = filters(world)[name]
    for sort in SORTS:
        wanted = expected(replace(flt, sort=sort), world.today)
        assert every_page(replace(flt, sort=sort), world.today, limit=2) == wanted, sort
        assert every_page(replace(flt, sort=sort), world.today, limit=50) == wanted, sort


def test_the_filters_find_what_they_should(world):
    """The oracle itself is checked against a few answers worked out by hand."""
    got = {name: expected(flt, world.today) for name, flt in filters(world).items()}
    production, proofs = world.orders, world.proof_orders
    assert len(got["everything"]) == 11 + 3  # two production and one proof order finished
    assert {k for k, _ in got["preproduction"]} == {"preproduction"}
    assert len(got["preproduction"]) == 3
    assert {i for _, i in got["number"]} == {production[4].pk}
    assert set(got["number prefix"]) == {  # 1004 is finished
        ("production", production[0].pk),
        ("production", production[1].pk),
        ("production", production[7].pk),
        ("preproduction", proofs[0].pk),
    }
    smith = {world.clients[0].pk, world.clients[1].pk}
    assert got["name, any case"] and all(
        ProductionOrder.objects.get(pk=i).client_id in smith
        if k == "production"
        else PreproductionOrder.objects.get(pk=i).session.client_id in smith
        for k, i in got["name, any case"]
    )
    assert got["nothing"] == []
    assert got["flag at_risk"] and {k for k, _ in got["flag at_risk"]} == {"production"}
    for flag in FLAGS:
        assert got[f"flag {flag}"], flag


def test_rows_carry_what_the_hub_shows_and_their_flags(world):
    rows = {(r.kind, r.id): r for r in hub_page(HubFilter(), today=world.today, limit=100).rows}
    first = rows["production", world.orders[0].pk]
    assert (first.client_name, first.vendor, first.order_type, first.number) == (
        "Anna Smith",
        "Bay Lab",
        "Prints",
        "1001",
    )
    assert (first.department, first.user, first.priority) == ("Retouching", "Ines Kahn", "RUSH")
    assert first.invoice_id == world.invoices[0].pk
    assert first.invoice_number == f"{world.invoices[0].pk:05d}"
    assert first.status_id == world.print_steps[1].pk
    assert first.status == world.print_steps[1].description
    assert first.cycle_id == world.print_steps[1].cycle_id
    assert first.url == f"/production/orders/{world.orders[0].pk}/"
    assert (first.overdue, first.due_today, first.at_risk) == (True, False, True)
    assert rows["production", world.orders[3].pk].user == "olaf"  # no name: the login
    proof = rows["preproduction", world.proof_orders[1].pk]
    assert (proof.invoice_id, proof.order_type, proof.priority, proof.promised_date) == (
        None,
        None,
        None,
        None,
    )
    assert proof.client_name == "Ben Smithers"
    assert proof.url == f"/production/proof-orders/{world.proof_orders[1].pk}/"
    assert (proof.overdue, proof.at_risk) == (True, False)
    for key, row in rows.items():
        order = (ProductionOrder if key[0] == "production" else PreproductionOrder).objects.get(
            pk=key[1]
        )
        assert row.version == order.version
        assert row.status_due_date == order.status_due_date
        # A late order's remaining steps count from today: its projection is never past.
        calendar = vendor_calendar(order.vendor_id)
        live = order.projected_completion
        if order.status_due_date < world.today:
            left = calendar.business_days_between(order.status_due_date, live)
            live = max(live, calendar.due(calendar.due(world.today, 0), left))
        assert row.projected_completion == live >= world.today
        assert row.overdue == (order.status_due_date < world.today)
        assert row.due_today == (order.status_due_date == world.today)
        promised = getattr(order, "promised_date", None)
        assert row.at_risk == (promised is not None and live > promised)


def test_flags_follow_the_day_asked_about(world):
    everything = expected(HubFilter(), world.today)
    late = hub_page(HubFilter(flag="overdue"), today=world.today + 60 * DAY, limit=100).rows
    assert [(r.kind, r.id) for r in late] == everything
    assert all(r.overdue and not r.due_today for r in late)
    early = world.today - 60 * DAY
    assert hub_page(HubFilter(flag="overdue"), today=early, limit=100).rows == []
    assert not any(r.overdue for r in hub_page(HubFilter(), today=early, limit=100).rows)


def test_pages_neither_repeat_nor_skip_orders_that_change_meanwhile(world):
    """Between page loads an order already shown moves later and one not shown yet changes
    status: every order that didn't move is shown exactly once, in order; the one not shown
    yet once, at its new place; the one shown again at its new place (a live list)."""
    flt = HubFilter()
    before = expected(flt, world.today)
    first = hub_page(flt, today=world.today, limit=4)
    shown = [(r.kind, r.id) for r in first.rows]
    initial = {world.print_steps[0].pk, world.album_steps[0].pk}
    waiting = [o for o in world.orders if o.status_id in initial]
    seen_order = next(o for o in waiting if ("production", o.pk) in shown)
    unseen = next(o for o in waiting if ("production", o.pk) not in shown)
    for order, due in ((seen_order, 40), (unseen, 30)):
        steps = world.print_steps if order.order_type_id == world.prints.pk else world.album_steps
        move(order, steps[1], by=world.person, due=world.today + due * DAY)
    cursor = first.next_cursor
    while cursor:
        page = hub_page(flt, today=world.today, cursor=cursor, limit=4)
        shown += [(r.kind, r.id) for r in page.rows]
        cursor = page.next_cursor
    moved = {("production", seen_order.pk), ("production", unseen.pk)}
    steady = [key for key in shown if key not in moved]
    assert steady == [key for key in before if key not in moved]
    assert shown.count(("production", seen_order.pk)) == 2  # again, at its new place
    assert shown[-2:] == [("production", unseen.pk), ("production", seen_order.pk)]
    assert len(shown) == len(set(shown)) + 1


def test_a_finished_order_leaves_the_next_pages(world):
    first = hub_page(HubFilter(), today=world.today, limit=3)
    last = [key for key in expected(HubFilter(), world.today) if key[0] == "production"][-1]
    assert last not in [(r.kind, r.id) for r in first.rows]
    order = ProductionOrder.objects.get(pk=last[1])
    steps = world.print_steps if order.order_type_id == world.prints.pk else world.album_steps
    move(order, steps[2], by=world.person)
    rest = every_page(HubFilter(), world.today, limit=3)
    assert last not in rest
    assert [(r.kind, r.id) for r in first.rows] == rest[:3]


def test_board_columns_page_one_status_each(world):
    status = world.print_steps[1]
    wanted = expected(HubFilter(statuses=(status.pk,)), world.today)
    assert len(wanted) > 2
    page = board_column(HubFilter(), status_id=status.pk, today=world.today, limit=2)
    more = board_column(
        HubFilter(), status_id=status.pk, today=world.today, cursor=page.next_cursor, limit=20
    )
    assert [(r.kind, r.id) for r in page.rows + more.rows] == wanted
    assert more.next_cursor is None
    vendor = HubFilter(vendors=(world.bay.pk,))
    column = board_column(vendor, status_id=status.pk, today=world.today)
    assert [(r.kind, r.id) for r in column.rows] == expected(
        replace(vendor, statuses=(status.pk,)), world.today
    )
    other = HubFilter(statuses=(world.album_steps[1].pk,))
    assert board_column(other, status_id=status.pk, today=world.today).rows == []


def test_the_summary_counts_and_values_each_status(world):
    today = world.today
    for flt in (HubFilter(), HubFilter(vendors=(world.bay.pk,)), HubFilter(q="smi")):
        summary = hub_summary(flt, today=today)
        rows = [o for o in open_orders() if matches(o, flt, today)]
        by_status: dict[int, list[dict[str, Any]]] = {}
        for o in rows:
            by_status.setdefault(o["status"], []).append(o)
        assert {s.status_id: s.count for s in summary.statuses} == {
            k: len(v) for k, v in by_status.items()
        }
        totals = {i.pk: i.total for i in world.invoices}
        assert {s.status_id: s.invoice_value for s in summary.statuses} == {
            k: sum((totals[i] for i in {o["invoice"] for o in v if o["invoice"]}), Decimal("0"))
            for k, v in by_status.items()
        }
        assert summary.open == len(rows)
        for flag, value in [
            ("overdue", summary.overdue),
            ("due_today", summary.due_today),
            ("due_this_week", summary.due_this_week),
            ("at_risk", summary.at_risk),
        ]:
            assert value == sum(1 for o in rows if matches(o, replace(flt, flag=flag), today))
    # Anna's invoice has two orders in the second print step: its total counts once there.
    step2 = world.print_steps[1]
    there = ProductionOrder.objects.filter(status=step2, completed_date__isnull=True)
    assert there.filter(invoice=world.invoices[0]).count() == 2
    value = next(
        s for s in hub_summary(HubFilter(), today=today).statuses if s.status_id == step2.pk
    )
    distinct = {o.invoice_id: o.invoice.total for o in there}
    assert value.invoice_value == sum(distinct.values(), Decimal("0"))
    assert value.invoice_value < sum((o.invoice.total for o in there), Decimal("0"))


def test_the_summary_lists_statuses_in_cycle_order(world):
    summary = hub_summary(HubFilter(), today=world.today)
    cycles = [s.cycle for s in summary.statuses]
    assert cycles == sorted(cycles, key=cycles.index)  # each cycle's statuses together
    steps = {s.pk: s.position for s in world.print_steps + world.album_steps + world.proof_steps}
    for cycle in set(cycles):
        positions = [steps[s.status_id] for s in summary.statuses if s.cycle == cycle]
        assert positions == sorted(positions)


def cursor_of(data: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "not base64 at all!",
        "e30",  # {}
        cursor_of([1, 2]),
        cursor_of({"s": "due", "v": ["2026-01-01"], "id": 1}),
        cursor_of({"s": "client", "v": ["A", "B"], "id": 1, "k": "production"}),  # other sort
        cursor_of({"s": "due", "v": ["2026-02-30"], "id": 1, "k": "production"}),
        cursor_of({"s": "due", "v": ["yesterday"], "id": 1, "k": "production"}),
        cursor_of({"s": "due", "v": [None], "id": 1, "k": "production"}),
        cursor_of({"s": "due", "v": ["2026-01-01"], "id": -4, "k": "production"}),
        cursor_of({"s": "due", "v": ["2026-01-01"], "id": "4", "k": "production"}),
        cursor_of({"s": "due", "v": ["2026-01-01"], "id": True, "k": "production"}),
        cursor_of({"s": "due", "v": ["2026-01-01"], "id": 4, "k": "invoice"}),
        cursor_of({"s": "due", "v": ["2026-01-01", 3], "id": 4, "k": "production"}),
        "é" * 10,
        "A" * 2000,
    ],
)
def test_a_malformed_cursor_is_refused_by_name(world, cursor):
    with pytest.raises(ValidationError) as refused:
        hub_page(HubFilter(), today=world.today, cursor=cursor)
    assert list(refused.value.message_dict) == ["cursor"]
    assert "start from the first page" in refused.value.message_dict["cursor"][0]
    with pytest.raises(ValidationError):
        board_column(
            HubFilter(), status_id=world.print_steps[1].pk, today=world.today, cursor=cursor
        )


@pytest.mark.parametrize("limit", [0, -1, 501])
def test_a_limit_out_of_range_is_refused(world, limit):
    with pytest.raises(ValidationError) as refused:
        hub_page(HubFilter(), today=world.today, limit=limit)
    assert list(refused.value.message_dict) == ["limit"]


def test_a_cursor_of_a_text_sort_round_trips_quotes_and_accents(world):
    flt = HubFilter(sort="-client")
    assert every_page(flt, world.today, limit=1) == expected(flt, world.today)


def many_orders(count: int) -> None:
    person = f.UserFactory(username=f"maker{count}")
    kind = f.OrderTypeFactory(name=f"Type {count}")
    steps = production_cycle(kind, [1, 0])
    vendor = f.VendorFactory()
    client = f.ClientFactory(first_name="Anna", last_name="Able")
    invoice = f.InvoiceFactory(client=client, total=Decimal("10"))
    started(
        ProductionOrder,
        [
            {
                "invoice": invoice,
                "client": invoice.client,
                "vendor": vendor,
                "order_type": kind,
                "status_user": person,
            }
            for _ in range(count)
        ],
        on=studio_preferences().today(),
        by=person,
    )
    if not Cycle.objects.filter(kind=CycleKind.PREPRODUCTION).exists():
        proofs = cycle_create(kind=CycleKind.PREPRODUCTION, name="Proofs")
        status_add(cycle=proofs, description="Out", default_duration=1)
    session = f.SessionFactory(client=client)
    started(
        PreproductionOrder,
        [{"session": session, "vendor": vendor} for _ in range(count)],
        on=studio_preferences().today(),
        by=person,
    )
    del steps


def queries_of(run: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "flt",
    [HubFilter(), HubFilter(q="an", sort="client"), HubFilter(flag="overdue", sort="-number")],
    ids=["plain", "search", "flagged"],
)
def test_the_number_of_queries_does_not_depend_on_the_rows(db, flt):
    today = studio_preferences().today() + 10 * DAY  # every order overdue: all filters find some
    many_orders(5)
    status = ProductionOrder.objects.first().status_id
    few = [
        queries_of(lambda: hub_page(flt, today=today, limit=50)),
        queries_of(lambda: hub_summary(flt, today=today)),
        queries_of(lambda: board_column(flt, status_id=status, today=today)),
    ]
    assert len(hub_page(flt, today=today, limit=100).rows) == 10  # 5 of each kind
    many_orders(60)
    many = [
        queries_of(lambda: hub_page(flt, today=today, limit=50)),
        queries_of(lambda: hub_summary(flt, today=today)),
        queries_of(lambda: board_column(flt, status_id=status, today=today)),
    ]
    assert few == many
    named = 1 if flt.q else 0  # a search by name reads the clients it finds first
    # A page: one query per kind of order, and the calendar key (tracking/standing.py); the
    # summary and a board column also read the lists stamp (studio/kept.py); the summary reads
    # the calendar key and the bounds of the at-risk thresholds too (hub/selectors/at_risk.py).
    assert few[0] <= 3 + named and few[1] <= 6 + named and few[2] <= 4 + named
    assert len(hub_page(flt, today=today, limit=100).rows) == 100  # the second time: full pages
