"""What the trigger planner costs the status engine, in queries.

Every status change tells the planner, so a change into a status no trigger watches must cost
exactly what it cost before triggers existed, and a change into a watched status one INSERT of
all its firings, however many triggers watch it; a bulk change the same, however many records.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from darkroom.production.models import ProductionOrder
from darkroom.tracking.services import BulkItem, status_change, status_change_bulk
from tests.factories import (
    ClientFactory,
    OrderTypeFactory,
    cycle_with_statuses,
    started_production_order,
)
from tests.messaging.conftest import MONDAY

pytestmark = pytest.mark.django_db


def statements(run: Callable[[], object]) -> list[str]:
    """The SQL ``run`` sent, savepoints and transaction markers left out."""
    with CaptureQueriesContext(connection) as captured:
        run()
    skipped = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN")
    return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(skipped)]


def about_messaging(sql: list[str]) -> list[str]:
    return [q for q in sql if "messaging_" in q]


def change(order: ProductionOrder, to, by) -> Callable[[], object]:
    return lambda: status_change(
        record=order, expected_version=order.version, updated_by=by, to_status=to
    )


@pytest.fixture
def prints(db, people):
    """A second production cycle like the album's, watched by no trigger: a studio before
    triggers existed."""
    prints = cycle_with_statuses(
        order_type=OrderTypeFactory(name="Prints"),
        steps=[("Ordered", 1), ("At the lab", 5), ("Ready for pickup", 3)],
    )

    def make() -> ProductionOrder:
        return started_production_order(
            order_type=prints.order_type,
            started_on=MONDAY,
            by=people["staff"],
            client=ClientFactory(),
        )

    return make, prints.statuses


def five_triggers(make_trigger, album) -> None:
    """Five triggers on "Ready for pickup": two on entering (for review), three timed."""
    make_trigger(name="Ready email", processing="review")
    make_trigger(name="Ready call", action="call", processing="review")
    make_trigger(name="Chase", when="after_due", days=3)
    make_trigger(name="Remind", when="before_due", days=1)
    make_trigger(name="On the day", when="after_due", days=0, processing="review")


def test_a_change_into_a_status_no_trigger_watches_costs_what_it_cost_without_triggers(
    frozen_today, make_trigger, make_order, album, prints, people
):
    frozen_today(MONDAY)
    staff = people["staff"]
    five_triggers(make_trigger, album)
    make_print, print_steps = prints
    warm_album, album_order = make_order(), make_order()
    warm_print, print_order = make_print(), make_print()
    # The first change of each cycle reads its steps (and the planner its triggers) once.
    change(warm_album, album.lab, staff)()
    change(warm_print, print_steps[1], staff)()

    watched_cycle = statements(change(album_order, album.lab, staff))
    no_triggers = statements(change(print_order, print_steps[1], staff))

    assert about_messaging(watched_cycle) == []
    assert len(watched_cycle) == len(no_triggers)


@pytest.mark.parametrize("count", [1, 5])
def test_a_change_into_a_watched_status_adds_one_insert_whatever_the_triggers(
    frozen_today, make_trigger, make_order, album, people, count
):
    frozen_today(MONDAY)
    staff = people["staff"]
    if count == 5:
        five_triggers(make_trigger, album)
    else:
        make_trigger(processing="review")
    warm, unwatched, watched = make_order(), make_order(), make_order()
    for order in (warm, watched):
        change(order, album.lab, staff)()
    change(warm, album.ready, staff)()  # reads the cycle's triggers, once

    into_lab = statements(change(unwatched, album.lab, staff))
    into_ready = statements(change(watched, album.ready, staff))

    added = about_messaging(into_ready)
    assert len(added) == 1 and added[0].startswith('INSERT INTO "messaging_firing"'), added
    assert len(into_ready) == len(into_lab) + 1


def test_a_bulk_change_adds_one_insert_whatever_the_number_of_records(
    frozen_today, make_trigger, make_order, album, people
):
    frozen_today(MONDAY)
    staff = people["staff"]
    five_triggers(make_trigger, album)

    def bulk(records: list[ProductionOrder], to) -> list[str]:
        fresh = ProductionOrder.objects.filter(pk__in=[r.pk for r in records])
        items = [BulkItem(id=r.pk, expected_version=r.version) for r in fresh]
        return statements(
            lambda: status_change_bulk(
                model=ProductionOrder, items=items, updated_by=staff, to_status=to
            )
        )

    warm = [make_order() for _ in range(2)]
    bulk(warm, album.lab)
    bulk(warm, album.ready)  # the cycle's steps and triggers, read once
    for size in (4, 20):  # 20 and 100 firings: one INSERT each
        orders = [make_order() for _ in range(size)]
        into_lab = bulk(orders, album.lab)
        into_ready = bulk(orders, album.ready)
        added = about_messaging(into_ready)
        assert len(added) == 1 and added[0].startswith('INSERT INTO "messaging_firing"'), added
        # The change's own writes may grow with the records (SQLite: an UPDATE each); what
        # the triggers add does not.
        assert len(into_ready) == len(into_lab) + 1
