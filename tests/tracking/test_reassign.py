"""Handing a record's work to another department or person without a status change; who did a
step (and who entered it) on a status change."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from darkroom.errors import Conflict, DarkroomError
from darkroom.hub.models import StatusTally
from darkroom.production.models import ProductionOrder
from darkroom.tracking.models import NoteKind, StatusNote
from darkroom.tracking.services import (
    BulkItem,
    BulkRefused,
    reassign_words,
    record_reassign,
    records_reassign,
    status_change,
    status_change_bulk,
)
from tests.factories import DepartmentFactory, UserFactory
from tests.production.test_scans import order_state, production_cycle, started_order
from tests.tracking.conftest import MONDAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def album(db):
    return production_cycle("Album", "Ordered", "Retouch", "Ready")


@pytest.fixture
def people(db):
    return {
        "desk": UserFactory(username="desk", first_name="Front", last_name="Desk"),
        "ana": UserFactory(username="ana", first_name="Ana", last_name=""),
        "gone": UserFactory(username="gone", is_active=False),
    }


@pytest.fixture
def rooms(db):
    return {
        "front": DepartmentFactory(name="Front desk"),
        "retouch": DepartmentFactory(name="Retouching"),
        "closed": DepartmentFactory(name="Darkroom", is_inactive=True),
    }


def _tallies() -> list[tuple[int, int]]:
    """The hub's running totals per status (rows of nothing folded away)."""
    totals: dict[int, int] = {}
    for status_id, orders in StatusTally.objects.values_list("status_id", "orders"):
        totals[status_id] = totals.get(status_id, 0) + orders
    return sorted(totals.items())


def test_reassigning_keeps_the_status_and_writes_a_reassign_row(album, people, rooms):
    order = started_order(album, "A1", people["desk"])
    ProductionOrder.objects.filter(pk=order.pk).update(status_department=rooms["front"])
    order.refresh_from_db()
    before = (order.status_id, order.status_due_date, order.status_entered_on, order.version)
    tallies = _tallies()
    note = record_reassign(
        record=order,
        expected_version=order.version,
        department=rooms["retouch"],
        user=people["ana"],
        updated_by=people["desk"],
        note=" Retouching is swamped ",
    )
    stored = ProductionOrder.objects.get(pk=order.pk)
    assert (stored.status_department, stored.status_user) == (rooms["retouch"], people["ana"])
    assert (stored.status_id, stored.status_due_date, stored.status_entered_on) == before[:3]
    assert stored.version == before[3] + 1 == order.version
    assert note.kind == NoteKind.REASSIGN and note.from_status == note.to_status == order.status
    assert (note.previous_department, note.previous_user) == (rooms["front"], None)
    assert note.updated_by == people["desk"] and note.note == "Retouching is swamped"
    assert reassign_words(note) == "Reassigned to Retouching / Ana (was Front desk / —)"
    assert _tallies() == tallies  # the hub's totals count statuses: a reassignment moves none


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"department": "closed"}, "department"),
        ({"user": "gone"}, "user"),
        ({}, "department"),  # already with nobody: nothing would change
    ],
)
def test_a_refused_reassignment_writes_nothing(album, people, rooms, given, field):
    order = started_order(album, "A2", people["desk"])
    before = order_state()
    with pytest.raises(ValidationError) as caught:
        record_reassign(
            record=order,
            expected_version=order.version,
            department=rooms[given["department"]] if "department" in given else None,
            user=people[given["user"]] if "user" in given else None,
            updated_by=people["desk"],
        )
    assert field in caught.value.error_dict
    assert order_state() == before


def test_a_stale_version_or_a_final_order_is_refused(album, people, rooms):
    order = started_order(album, "A3", people["desk"])
    before = order_state()
    with pytest.raises(Conflict):
        record_reassign(
            record=order,
            expected_version=order.version - 1,
            department=rooms["retouch"],
            user=None,
            updated_by=people["desk"],
        )
    assert order_state() == before
    status_change(
        record=order,
        expected_version=order.version,
        updated_by=people["desk"],
        to_status=album.statuses[-1],
        date_completed=MONDAY,
    )
    with pytest.raises(DarkroomError) as caught:
        record_reassign(
            record=order,
            expected_version=order.version,
            department=rooms["retouch"],
            user=None,
            updated_by=people["desk"],
        )
    assert caught.value.code == "final"


def test_many_records_are_reassigned_at_once_or_none_are(album, people, rooms):
    one = started_order(album, "B1", people["desk"])
    two = started_order(album, "B2", people["desk"])
    outcomes = records_reassign(
        model=ProductionOrder,
        items=[BulkItem(one.pk, one.version), BulkItem(two.pk, two.version)],
        department=rooms["retouch"],
        user=people["ana"],
        updated_by=people["desk"],
    )
    assert [o.ok for o in outcomes] == [True, True]
    assert outcomes[0].message == "Reassigned to Retouching / Ana (was — / —)"
    assert set(
        ProductionOrder.objects.values_list("status_department", "status_user").distinct()
    ) == {(rooms["retouch"].pk, people["ana"].pk)}
    assert StatusNote.objects.filter(kind=NoteKind.REASSIGN).count() == 2
    three = started_order(album, "B3", people["desk"])
    before = order_state()
    with pytest.raises(BulkRefused) as caught:
        records_reassign(
            model=ProductionOrder,
            items=[BulkItem(three.pk, three.version), BulkItem(one.pk, one.version)],  # one: stale
            department=rooms["front"],
            user=None,
            updated_by=people["desk"],
        )
    assert [(o.id, o.ok, o.field) for o in caught.value.outcomes] == [
        (three.pk, True, None),
        (one.pk, False, "version"),
    ]
    assert order_state() == before


def test_a_status_change_records_who_did_it_and_who_entered_it(album, people):
    order = started_order(album, "C1", people["desk"])
    note = status_change(
        record=order,
        expected_version=order.version,
        updated_by=people["ana"],
        entered_by=people["desk"],
        date_completed=MONDAY,
    )
    assert (note.updated_by, note.entered_by) == (people["ana"], people["desk"])
    same = status_change(
        record=order,
        expected_version=order.version,
        updated_by=people["desk"],
        entered_by=people["desk"],
        date_completed=MONDAY,
    )
    assert (same.updated_by, same.entered_by) == (people["desk"], None)
    order.refresh_from_db()
    assert order.completed_by == people["desk"]  # who did the final step completed it


def test_who_did_it_must_be_able_to_sign_in(album, people):
    order = started_order(album, "C2", people["desk"])
    before = order_state()
    with pytest.raises(ValidationError) as caught:
        status_change(
            record=order,
            expected_version=order.version,
            updated_by=people["gone"],
            entered_by=people["desk"],
            date_completed=MONDAY,
        )
    assert "updated_by" in caught.value.error_dict
    with pytest.raises(ValidationError):
        status_change_bulk(
            model=ProductionOrder,
            items=[BulkItem(order.pk, order.version)],
            updated_by=people["gone"],
            entered_by=people["desk"],
        )
    assert order_state() == before


def test_a_bulk_change_records_who_did_it(album, people):
    order = started_order(album, "C3", people["desk"])
    status_change_bulk(
        model=ProductionOrder,
        items=[BulkItem(order.pk, order.version)],
        updated_by=people["ana"],
        entered_by=people["desk"],
        date_completed=MONDAY,
    )
    note = StatusNote.objects.filter(object_id=order.pk, kind=NoteKind.CHANGE).get()
    assert (note.updated_by, note.entered_by) == (people["ana"], people["desk"])
