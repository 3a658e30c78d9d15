"""Bulk status changes: mixed cycles advance each by its own cycle, a named target needs one cycle,
and any refusal leaves everything as it was, with a reason for each record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from darkroom.production.models import ProductionOrder
from darkroom.tracking.models import StatusNote
from darkroom.tracking.services import BulkItem, BulkRefused, status_change_bulk
from tests.factories import OrderTypeFactory, cycle_with_statuses, started_production_order
from tests.tracking.conftest import MONDAY

pytestmark = pytest.mark.django_db

TUESDAY = MONDAY + dt.timedelta(days=1)


def _cycle(name, *durations):
    made = cycle_with_statuses(
        order_type=OrderTypeFactory(name=name),
        steps=[(f"{name} {n}", days) for n, days in enumerate(durations, start=1)],
        final=f"{name} done",
    )
    return made.order_type, made.statuses


@pytest.fixture
def orders(person):
    """Two prints orders and one album order, all started on Monday."""
    prints, print_steps = _cycle("Prints", 1, 3)
    albums, album_steps = _cycle("Albums", 2, 5)
    made = [
        started_production_order(order_type=kind, started_on=MONDAY, by=person)
        for kind in (prints, prints, albums)
    ]
    return made, print_steps, album_steps


def items(records):
    return [BulkItem(r.pk, r.version) for r in records]


def test_advance_moves_each_record_by_its_own_cycle(orders, person):
    made, print_steps, album_steps = orders
    outcomes = status_change_bulk(
        model=ProductionOrder, items=items(made), updated_by=person, date_completed=TUESDAY
    )
    assert [o.ok for o in outcomes] == [True, True, True]
    stored = {o.pk: o for o in ProductionOrder.objects.all()}
    assert [stored[r.pk].status for r in made] == [print_steps[1], print_steps[1], album_steps[1]]
    assert stored[made[0].pk].status_due_date == dt.date(2026, 3, 6)  # Tuesday + 3
    assert stored[made[2].pk].status_due_date == dt.date(2026, 3, 10)  # Tuesday + 5
    assert outcomes[0].message == "Prints 1 → Prints 2, due 2026-03-06"
    notes = StatusNote.objects.filter(kind="change")
    assert notes.count() == 3
    assert {n.business_days_taken for n in notes} == {1}
    assert all(stored[r.pk].version == r.version + 1 for r in made)


def test_a_named_target_needs_every_record_in_its_cycle(orders, person, unchanged):
    made, print_steps, _ = orders
    with unchanged(), pytest.raises(BulkRefused) as refused:
        status_change_bulk(
            model=ProductionOrder, items=items(made), updated_by=person, to_status=print_steps[2]
        )
    outcomes = refused.value.outcomes
    assert [o.ok for o in outcomes] == [True, True, False]
    assert outcomes[2].field == "to_status"
    assert "another cycle" in outcomes[2].message
    assert "1 of 3 records can't be changed; nothing was changed." in str(refused.value)


def test_one_stale_record_refuses_the_whole_request(orders, person, unchanged):
    made, _, _ = orders
    stale = [BulkItem(made[0].pk, made[0].version - 1), *items(made[1:])]
    with unchanged(), pytest.raises(BulkRefused) as refused:
        status_change_bulk(model=ProductionOrder, items=stale, updated_by=person)
    first = refused.value.outcomes[0]
    assert (first.ok, first.field) == (False, "version")
    assert "Someone else changed it" in first.message


def test_a_final_record_and_a_missing_one_are_reported(orders, person, unchanged):
    made, print_steps, _ = orders
    status_change_bulk(
        model=ProductionOrder,
        items=items(made[:1]),
        updated_by=person,
        to_status=print_steps[-1],
    )
    made[0].refresh_from_db()
    request = [*items(made[:1]), BulkItem(987654)]
    with unchanged(), pytest.raises(BulkRefused) as refused:
        status_change_bulk(model=ProductionOrder, items=request, updated_by=person)
    final, missing = refused.value.outcomes
    assert "last active status" in final.message and final.field == "to_status"
    assert missing.message == "It no longer exists."


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        ({"items": []}, "items", "Choose at least one record."),
        ({"date_completed": dt.date(2999, 1, 1)}, "date_completed", "can't be after today"),
        ({"duplicate": True}, "items", "more than once"),
    ],
)
def test_bad_requests_change_nothing(orders, person, unchanged, given, field, message):
    made, _, _ = orders
    request = items(made)
    if given.pop("duplicate", False):
        request = [*request, request[0]]
    given.setdefault("items", request)
    with unchanged(), pytest.raises(ValidationError) as refused:
        status_change_bulk(model=ProductionOrder, updated_by=person, **given)
    assert message in " ".join(refused.value.message_dict[field])
