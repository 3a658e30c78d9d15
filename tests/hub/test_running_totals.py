"""The hub's running totals stay equal to a count of the open orders, whatever writes them.

The oracle here counts the open orders in Python, straight from the ORM: per status, how many,
and the totals of the distinct invoices behind them. After every kind of write — the status
engine's single and bulk changes, finishing an order, orders made in bulk, an invoice's total
changing, a delete, an UPDATE typed by hand, reopening — the running totals must equal it, the
summary strip read from them must equal the summary counted from the orders, and counting them
again must change nothing. Two people moving orders of the same invoice at the same moment (in
two threads, on two connections) must not count it twice or lose it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction

from darkroom.clients.models import Invoice
from darkroom.hub.filters import HubFilter
from darkroom.hub.models import StatusTally
from darkroom.hub.running_totals import RunningTotalsTriggers
from darkroom.hub.summary import hub_summary, summary_counted, uses_running_totals
from darkroom.hub.tally import changes_stamp, count_again, status_totals
from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.tracking.services import BulkItem, status_change_bulk
from tests.at_once import at_once
from tests.conftest import sqlite_in_a_file
from tests.hub.test_selectors import DAY, make_world, move, started

# The hub sorts and flags orders around today: today is pinned.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ordinary_day")]


def oracle() -> dict[int, tuple[int, Decimal]]:
    """Open orders in a status, per status: (how many, the distinct invoices' totals)."""
    counts: dict[int, int] = {}
    invoices: dict[int, set[int]] = {}
    for model in (ProductionOrder, PreproductionOrder):
        for o in model.objects.filter(completed_date__isnull=True, status__isnull=False):
            counts[o.status_id] = counts.get(o.status_id, 0) + 1
            if model is ProductionOrder:
                invoices.setdefault(o.status_id, set()).add(o.invoice_id)
    totals = dict(Invoice.objects.values_list("pk", "total"))
    return {
        status: (n, sum((totals[i] for i in invoices.get(status, ())), Decimal("0.00")))
        for status, n in counts.items()
    }


def assert_totals_hold(today: Any) -> None:
    assert status_totals() == oracle()
    assert hub_summary(HubFilter(), today=today) == summary_counted(HubFilter(), today=today)
    count_again()
    assert status_totals() == oracle()


@pytest.fixture
def world(db):
    return make_world()


def test_every_kind_of_write_keeps_the_totals(world):
    w = world
    assert_totals_hold(w.today)
    assert status_totals()  # the world has open orders in several statuses
    # A single change, within the cycle: one of two orders of an invoice in a status leaves it.
    anna_prints = [o for o in w.orders if o.invoice_id == w.invoices[0].pk][:2]
    for order in anna_prints:
        order.refresh_from_db()
    assert {o.status_id for o in anna_prints} == {w.print_steps[1].pk}
    move(anna_prints[1], w.print_steps[0], by=w.person, due=w.today + 3 * DAY)
    assert_totals_hold(w.today)
    # Finishing an order: it leaves the open orders.
    order = ProductionOrder.objects.get(pk=anna_prints[0].pk)
    move(order, w.print_steps[2], by=w.person)
    assert_totals_hold(w.today)
    # A bulk change of several orders of the same invoices.
    movable = list(
        ProductionOrder.objects.filter(
            completed_date__isnull=True, order_type=w.prints, status=w.print_steps[1]
        )
    )
    assert len(movable) >= 2
    status_change_bulk(
        model=ProductionOrder,
        items=[BulkItem(o.pk, o.version) for o in movable],
        updated_by=w.person,
        to_status=w.print_steps[0],
        due_date=w.today + 2 * DAY,
        date_completed=w.today,
    )
    assert_totals_hold(w.today)
    # Orders made already started, in bulk; a proof order too.
    started(
        ProductionOrder,
        [w.po(4, w.bay, w.prints), w.po(4, w.frames, w.prints)],
        on=w.today,
        by=w.person,
    )
    started(
        PreproductionOrder, [{"session": w.sessions[0], "vendor": w.bay}], on=w.today, by=w.person
    )
    assert_totals_hold(w.today)
    # An invoice's total changes: every status its open orders are in follows.
    invoice = Invoice.objects.get(pk=w.invoices[4].pk)
    invoice.total = Decimal("1234.56")
    invoice.save()
    Invoice.objects.filter(pk=w.invoices[1].pk).update(total=Decimal("0.10"))
    assert_totals_hold(w.today)
    # Writes that bypass the services: an UPDATE by hand, a reopened order, deletes.
    ProductionOrder.objects.filter(pk=w.orders[3].pk).update(status=w.print_steps[1])
    ProductionOrder.objects.filter(pk=anna_prints[0].pk).update(
        completed_date=None, status=w.print_steps[0]
    )
    assert_totals_hold(w.today)
    ProductionOrder.objects.filter(pk=w.orders[6].pk).delete()
    PreproductionOrder.objects.filter(pk=w.proof_orders[0].pk).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {ProductionOrder._meta.db_table} WHERE id = %s", [w.orders[8].pk]
        )
    assert_totals_hold(w.today)


def test_the_totals_fold_as_they_grow_and_stay_right(world):
    w = world
    order = ProductionOrder.objects.get(pk=w.orders[0].pk)
    for n in range(300):  # 600 tally rows: one fold on the way
        ProductionOrder.objects.filter(pk=order.pk).update(
            status=w.print_steps[1] if n % 2 == 0 else w.print_steps[0]
        )
    assert StatusTally.objects.count() < 500
    assert_totals_hold(w.today)


def test_counting_again_restores_totals_lost_or_wrong(world):
    w = world
    wanted = oracle()
    StatusTally.objects.all().delete()
    StatusTally.objects.create(status_id=w.print_steps[0].pk, orders=7, invoice_cents=99)
    assert status_totals() != wanted
    count_again()
    assert status_totals() == wanted


def test_the_summary_uses_the_totals_only_for_kind_and_status_filters(world):
    w = world
    assert uses_running_totals(HubFilter())
    assert uses_running_totals(HubFilter(kind="production", statuses=(w.print_steps[1].pk,)))
    assert not uses_running_totals(HubFilter(vendors=(w.bay.pk,)))
    assert not uses_running_totals(HubFilter(flag="overdue"))
    assert not uses_running_totals(HubFilter(q="smi"))
    for flt in (
        HubFilter(kind="production"),
        HubFilter(kind="preproduction"),
        HubFilter(statuses=(w.print_steps[1].pk, w.proof_steps[1].pk)),
        HubFilter(kind="preproduction", statuses=(w.print_steps[1].pk,)),
    ):
        for today in (w.today, w.today - 5 * DAY, w.today + 20 * DAY):
            assert hub_summary(flt, today=today) == summary_counted(flt, today=today)


# -- two people at once --------------------------------------------------------------------------


@pytest.fixture
def race_world(transactional_db, tmp_path: Path) -> Iterator[Any]:
    """The world, where other threads' connections see it and wait for each other's locks.

    PostgreSQL does that as it is. An in-memory SQLite test database is shared by connections
    that fail at once instead of waiting their turn, so there the test runs on a copy in a file,
    as a studio's database is.
    """
    w = make_world()
    with sqlite_in_a_file(tmp_path / "race.sqlite3"):
        yield w


def _at_once(*changes: Any) -> None:
    """Each change in its own transaction, released together; none of them may fail."""

    def atomically(change: Any) -> Callable[[], None]:
        def run() -> None:
            with transaction.atomic():
                change()

        return run

    outcomes = at_once(*(atomically(change) for change in changes))
    assert [o for o in outcomes if isinstance(o, BaseException)] == []


def test_two_people_moving_orders_of_one_invoice_at_once_count_it_once(race_world):
    w = race_world
    invoice = w.invoices[2]
    for round_ in range(3):
        pair = started(
            ProductionOrder,
            [w.po(2, w.bay, w.prints), w.po(2, w.frames, w.prints)],
            on=w.today,
            by=w.person,
        )
        to = w.print_steps[1]
        moves = [
            lambda o=o, to=to: ProductionOrder.objects.filter(pk=o.pk).update(status=to)
            for o in pair
        ]
        _at_once(*moves)
        assert status_totals() == oracle(), f"round {round_}"
        # One finishes its order while the other changes the invoice's total.
        _at_once(
            lambda o=pair[0]: ProductionOrder.objects.filter(pk=o.pk).update(
                status=w.print_steps[0]
            ),
            lambda r=round_: Invoice.objects.filter(pk=invoice.pk).update(total=Decimal(500 + r)),
        )
        assert status_totals() == oracle(), f"round {round_}"
    count_again()
    assert status_totals() == oracle()


def test_darkroom_hub_recount_puts_wrong_totals_right_and_says_so(world):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("hub_recount", stdout=out)
    assert "all were right" in out.getvalue()
    StatusTally.objects.create(status_id=world.print_steps[1].pk, orders=3, invoice_cents=0)
    out = StringIO()
    call_command("hub_recount", stdout=out)
    assert "1 of them was wrong and now right." in out.getvalue()
    assert status_totals() == oracle()


# -- filtered summaries kept until something changes ---------------------------------------------


def test_a_filtered_summary_is_counted_again_after_any_change_it_shows(transactional_db):
    from django.test.utils import CaptureQueriesContext

    w = make_world()
    bay, ines = HubFilter(vendors=(w.bay.pk,)), HubFilter(users=(w.ines.pk,))

    def fresh(flt: HubFilter) -> Any:
        with transaction.atomic():  # inside a transaction nothing kept is used
            return summary_counted(flt, today=w.today)

    def queries(flt: HubFilter) -> int:
        with CaptureQueriesContext(connection) as captured:
            hub_summary(flt, today=w.today)
        return len(captured.captured_queries)

    queries(ines)  # the first summary of a process reads the statuses' names, kept for the next
    counted, kept = queries(bay), queries(bay)
    # the stamp, the calendar's key, the bounds of the at-risk thresholds
    # (hub/selectors/at_risk.py), one count per kind of order, the statuses' names
    assert counted == 6
    assert kept == 3  # the stamp, the calendar's key and the names: the figures were kept
    everything = HubFilter()  # from the running totals, its flags counted over indexes
    assert queries(everything) == 6  # the stamp, the key, the totals, the bounds, the flags, names
    assert queries(everything) == 3  # the stamp, the key and the names: the figures were kept
    assert hub_summary(bay, today=w.today) == fresh(bay)
    assert (
        queries(HubFilter(q="smi")) == queries(HubFilter(q="smi")) == 6
    )  # its clients, the key, the bounds, two counts, the names: never kept

    bay_order = ProductionOrder.objects.filter(vendor=w.bay, completed_date__isnull=True).first()
    other = ProductionOrder.objects.exclude(vendor=w.bay).filter(completed_date__isnull=True)
    changes = [
        lambda: ProductionOrder.objects.filter(pk=bay_order.pk).update(
            status_due_date=w.today - 20 * DAY
        ),
        lambda: ProductionOrder.objects.filter(pk=other.first().pk).update(vendor=w.bay),
        lambda: Invoice.objects.filter(pk=bay_order.invoice_id).update(total=Decimal("77.70")),
        lambda: ProductionOrder.objects.filter(pk=bay_order.pk).update(status=w.print_steps[0]),
        lambda: ProductionOrder.objects.filter(pk=bay_order.pk).update(status_user=w.ines),
        lambda: PreproductionOrder.objects.filter(vendor=w.bay).update(
            status_due_date=w.today + 40 * DAY
        ),
    ]
    for number, change in enumerate(changes):
        before = {flt: hub_summary(flt, today=w.today) for flt in (bay, ines, everything)}
        change()
        after = {flt: hub_summary(flt, today=w.today) for flt in (bay, ines, everything)}
        assert after == {flt: fresh(flt) for flt in (bay, ines, everything)}
        assert after[bay] != before[bay] or after[ines] != before[ines]
        if number in (0, 2, 3, 5):  # a due date, an invoice's total, a status: every order's
            assert after[everything] != before[everything]


# -- the migration operation that installs the triggers ------------------------------------------


def _operations() -> list[RunningTotalsTriggers]:
    """The running totals' operations of the hub's migrations, in the order they run."""
    found = []
    for name in ("0001_running_totals", "0003_changes_stamped"):
        migration = importlib.import_module(f"darkroom.hub.migrations.{name}").Migration
        found += [op for op in migration.operations if isinstance(op, RunningTotalsTriggers)]
    return found


def _definitions() -> dict[str, str]:
    """Every trigger and (on PostgreSQL) function of the hub, as the database defines it."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'hub%'"
            )
            return dict(cursor.fetchall())
        cursor.execute(
            "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger"
            " WHERE NOT tgisinternal AND tgname LIKE 'hub%'"
        )
        found = dict(cursor.fetchall())
        cursor.execute(
            "SELECT proname, pg_get_functiondef(oid) FROM pg_proc WHERE proname LIKE 'hub%'"
        )
        return {**found, **{f"{name}()": sql for name, sql in cursor.fetchall()}}


def test_the_operation_drops_and_installs_the_triggers_and_the_totals_follow(transactional_db):
    w = make_world()
    installed, operations = _definitions(), _operations()
    ours = {name for op in operations for name in op.triggers(connection.vendor)}
    assert len(operations) == 4 and ours <= installed.keys()
    order = ProductionOrder.objects.filter(completed_date__isnull=True).first()
    assert order is not None
    with connection.schema_editor() as editor:
        for op in reversed(operations):
            op.database_backwards("hub", editor, None, None)
    try:
        left = _definitions()
        assert ours & left.keys() == set()
        assert {
            "hub_tally_add()",
            "hub_order_counts()",
            "hub_order_touched()",
        } & left.keys() == set()
        stamp = changes_stamp()  # nothing writes the totals now
        ProductionOrder.objects.filter(pk=order.pk).update(status=w.print_steps[0])
        assert changes_stamp() == stamp
    finally:
        with connection.schema_editor() as editor:
            for op in operations:
                op.database_forwards("hub", editor, None, None)
    assert _definitions() == installed  # the very same triggers (and functions) again
    count_again()
    assert_totals_hold(w.today)
    # Insert, and a change of status, of department (stamped), open to closed and back, delete.
    started(ProductionOrder, [w.po(4, w.bay, w.prints)], on=w.today, by=w.person)
    assert_totals_hold(w.today)
    ProductionOrder.objects.filter(pk=order.pk).update(status=w.print_steps[1])
    assert_totals_hold(w.today)
    stamp = changes_stamp()
    ProductionOrder.objects.filter(pk=order.pk).update(status_department=w.printing)
    assert changes_stamp() != stamp
    assert_totals_hold(w.today)
    ProductionOrder.objects.filter(pk=order.pk).update(completed_date=w.today)
    assert_totals_hold(w.today)
    ProductionOrder.objects.filter(pk=order.pk).update(completed_date=None)
    assert_totals_hold(w.today)
    PreproductionOrder.objects.filter(completed_date__isnull=True).first().delete()
    ProductionOrder.objects.filter(pk=order.pk).delete()
    assert_totals_hold(w.today)


def test_the_operation_says_what_it_keeps_and_is_written_back_as_it_was_made():
    from django.db.migrations.writer import OperationWriter

    for op in _operations():
        name, args, kwargs = op.deconstruct()
        again = RunningTotalsTriggers(*args, **kwargs)
        assert again.deconstruct() == (name, args, kwargs)
        assert again.triggers("sqlite") == op.triggers("sqlite")
        assert again.triggers("postgresql") == op.triggers("postgresql")
        assert op.reversible and op.table in op.describe()
        text, imports = OperationWriter(op, indentation=0).serialize()
        assert "import darkroom.hub.running_totals" in imports
        assert text.startswith("darkroom.hub.running_totals.RunningTotalsTriggers(")
    with pytest.raises(ValueError):
        RunningTotalsTriggers("production_productionorder", "production_order", counts=False)
