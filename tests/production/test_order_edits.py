"""Editing an order's type, date and people: the rule for the status, and the history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from darkroom.errors import Conflict
from darkroom.production.models import ProductionOrder
from darkroom.production.services.order_changes import production_order_update
from darkroom.tracking.models import NoteKind, StatusNote
from darkroom.tracking.services import record_reassign, status_change
from tests.factories import OrderTypeFactory, UserFactory
from tests.production.test_scans import order_state, production_cycle, started_order
from tests.tracking.conftest import MONDAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def album(db):
    return production_cycle("Album", "Ordered", "Retouch", "Ready")


@pytest.fixture
def prints(db):
    """Shares "Retouch" with the album cycle (spelled otherwise), not "Ordered"."""
    return production_cycle("Prints", "Sent", "retouch ", "Printed", "Delivered")


@pytest.fixture
def desk(db):
    return UserFactory(username="desk", first_name="Front", last_name="Desk")


def _edit(order, by, **fields):
    return production_order_update(
        order=order, expected_version=order.version, updated_by=by, **fields
    )


def _edit_notes(order):
    return list(StatusNote.objects.filter(object_id=order.pk, kind=NoteKind.EDIT))


def test_a_new_type_keeps_a_step_of_the_same_name(album, prints, desk):
    order = started_order(album, "T1", desk)
    status_change(
        record=order, expected_version=order.version, updated_by=desk, date_completed=MONDAY
    )
    ana = UserFactory(username="ana")
    record_reassign(
        record=order, expected_version=order.version, department=None, user=ana, updated_by=desk
    )
    entered = ProductionOrder.objects.get(pk=order.pk).status_entered_on
    _edit(order, desk, order_type=prints.order_type)
    stored = ProductionOrder.objects.get(pk=order.pk)
    assert stored.order_type == prints.order_type
    assert stored.status == prints.statuses[1]  # "retouch " in the prints cycle
    assert stored.status_entered_on == entered and stored.status_user == ana  # the step stays
    assert order.version == stored.version and order.status_id == stored.status_id
    (note,) = _edit_notes(order)
    assert (note.from_status, note.to_status) == (album.statuses[1], prints.statuses[1])
    assert note.note == ("Edited: order type Album → Prints; status “Retouch” kept")
    assert note.updated_by == desk


def test_a_new_type_without_the_step_starts_at_its_first_status(album, prints, desk):
    order = started_order(album, "T2", desk)  # "Ordered": not a step of prints
    _edit(order, desk, order_type=prints.order_type)
    stored = ProductionOrder.objects.get(pk=order.pk)
    assert stored.status == prints.statuses[0]
    (note,) = _edit_notes(order)
    assert (note.from_status, note.to_status) == (album.statuses[0], prints.statuses[0])
    assert "“Ordered” is not a step of Prints orders: started again at “Sent”" in note.note


def test_a_final_order_keeps_its_type(album, prints, desk):
    order = started_order(album, "T3", desk)
    status_change(
        record=order,
        expected_version=order.version,
        updated_by=desk,
        to_status=album.statuses[-1],
        date_completed=MONDAY,
    )
    before = order_state()
    with pytest.raises(ValidationError) as caught:
        _edit(order, desk, order_type=prints.order_type)
    assert "order_type" in caught.value.error_dict
    assert order_state() == before


def test_a_type_without_a_cycle_or_inactive_is_refused(album, desk):
    order = started_order(album, "T4", desk)
    before = order_state()
    for kind in (OrderTypeFactory(name="No cycle"), OrderTypeFactory(is_inactive=True)):
        with pytest.raises(ValidationError) as caught:
            _edit(order, desk, order_type=kind)
        assert "order_type" in caught.value.error_dict
    assert order_state() == before


def test_order_date_and_entered_by_are_edited_and_kept_in_history(album, desk):
    order = started_order(album, "T5", desk)
    ana = UserFactory(username="ana", first_name="Ana", last_name="")
    was = order.entered_by.get_full_name()
    _edit(
        order, desk, order_date=MONDAY - dt.timedelta(days=3), entered_by=ana, studio_notes="Rush"
    )
    stored = ProductionOrder.objects.get(pk=order.pk)
    assert (stored.order_date, stored.entered_by, stored.studio_notes) == (
        dt.date(2026, 2, 27),
        ana,
        "Rush",
    )
    (note,) = _edit_notes(order)
    assert note.note == f"Edited: order date 2026-03-02 → 2026-02-27; entered by {was} → Ana"
    assert note.from_status == note.to_status == stored.status


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("order_date", dt.date(2999, 1, 1)),
        ("order_date", "yesterday"),
        ("entered_by", "gone"),
        ("completed_by", "ana"),  # not final: nobody completed it yet
    ],
)
def test_bad_edits_write_nothing(album, desk, field, value):
    order = started_order(album, "T6", desk)
    people = {"gone": UserFactory(is_active=False), "ana": UserFactory(username="ana")}
    before = order_state()
    with pytest.raises(ValidationError) as caught:
        _edit(order, desk, **{field: people.get(value, value)})
    assert field in caught.value.error_dict
    assert order_state() == before


def test_completed_by_is_corrected_once_final(album, desk):
    order = started_order(album, "T7", desk)
    status_change(
        record=order,
        expected_version=order.version,
        updated_by=desk,
        to_status=album.statuses[-1],
        date_completed=MONDAY,
    )
    ben = UserFactory(username="ben", first_name="Ben", last_name="")
    _edit(order, desk, completed_by=ben)
    assert ProductionOrder.objects.get(pk=order.pk).completed_by == ben
    assert _edit_notes(order)[0].note == f"Edited: completed by {desk.get_full_name()} → Ben"


def test_a_stale_version_is_a_conflict(album, desk):
    order = started_order(album, "T8", desk)
    before = order_state()
    with pytest.raises(Conflict):
        production_order_update(
            order=order,
            expected_version=order.version - 1,
            updated_by=desk,
            order_date=MONDAY - dt.timedelta(days=1),
        )
    assert order_state() == before


def test_the_hubs_running_totals_follow_a_new_type(album, prints, desk):
    from tests.tracking.test_reassign import _tallies

    order = started_order(album, "T9", desk)
    counted = dict(_tallies())
    assert counted.get(album.statuses[0].pk) == 1 and prints.statuses[0].pk not in counted
    _edit(order, desk, order_type=prints.order_type)
    counted = dict(_tallies())
    assert counted.get(album.statuses[0].pk) == 0 and counted.get(prints.statuses[0].pk) == 1
