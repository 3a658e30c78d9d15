"""Cycle rules: one initial and one final that move, positions, move, delete, never left without."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from darkroom.errors import RecordInUse
from darkroom.studio.services import studio_preferences_update
from darkroom.tracking.models import CycleKind, Status
from darkroom.tracking.selectors import cycles_to_set_up
from darkroom.tracking.services import (
    cycle_create,
    cycle_set_up,
    record_start,
    status_add,
    status_change,
    status_delete,
    status_move,
    status_update,
)
from tests.factories import DepartmentFactory, OrderTypeFactory, SessionTypeFactory
from tests.tracking.conftest import MONDAY

pytestmark = pytest.mark.django_db


def order(cycle) -> list[tuple[str, int]]:
    return list(Status.objects.filter(cycle=cycle).values_list("description", "position"))


def flags(cycle) -> tuple[list[str], list[str]]:
    statuses = Status.objects.filter(cycle=cycle)
    return (
        [s.description for s in statuses if s.is_initial],
        [s.description for s in statuses if s.is_final],
    )


def test_cycles_are_one_per_scope():
    album = OrderTypeFactory(name="Album Order")
    production = cycle_create(kind=CycleKind.PRODUCTION, name="Albums", order_type=album)
    invoices = cycle_create(kind=CycleKind.INVOICE, name="Invoices")
    wedding = SessionTypeFactory(name="Wedding")
    by_type = cycle_create(kind=CycleKind.SESSION, name="Weddings", session_type=wedding)
    assert production.scope == f"production:{album.pk}"
    assert invoices.scope == "invoice"
    assert by_type.scope == f"session:type:{wedding.pk}"
    with pytest.raises(ValidationError, match="already exists"):
        cycle_create(kind=CycleKind.INVOICE, name="Invoices again")
    with pytest.raises(ValidationError) as refused:
        cycle_create(kind=CycleKind.PRODUCTION, name="No type")
    assert "order_type" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        cycle_create(kind=CycleKind.INVOICE, name="Typed", order_type=album)
    assert "order_type" in refused.value.message_dict


def test_first_status_is_initial_and_flags_move(session_cycle):
    cycle = session_cycle.cycle
    assert flags(cycle) == (["Booked"], ["Delivered"])
    status_add(cycle=cycle, description="Inquiry", is_initial=True, position=1)
    assert flags(cycle) == (["Inquiry"], ["Delivered"])
    status_update(status=session_cycle.proofing, is_final=True)
    assert flags(cycle) == (["Inquiry"], ["Proofing"])
    status_update(status=session_cycle.shot, is_initial=True)
    assert flags(cycle) == (["Shot"], ["Proofing"])


def test_insert_at_a_position_moves_the_later_steps_down(session_cycle):
    status_add(cycle=session_cycle.cycle, description="Culling", default_duration=2, position=3)
    assert order(session_cycle.cycle) == [
        ("Booked", 1),
        ("Shot", 2),
        ("Culling", 3),
        ("On hold", 4),
        ("Proofing", 5),
        ("Delivered", 6),
    ]


@pytest.mark.parametrize("position", [0, 7, -1, "2", True])
def test_insert_outside_the_cycle_is_refused(session_cycle, position, unchanged):
    with unchanged(), pytest.raises(ValidationError) as refused:
        status_add(cycle=session_cycle.cycle, description="Lost", position=position)
    assert "position" in refused.value.message_dict


def test_move_up_and_down(session_cycle):
    status_move(status=session_cycle.proofing, direction="up")
    assert [d for d, _ in order(session_cycle.cycle)][:4] == [
        "Booked",
        "Shot",
        "Proofing",
        "On hold",
    ]
    status_move(status=session_cycle.booked, direction="down")
    assert [d for d, _ in order(session_cycle.cycle)][:3] == ["Shot", "Booked", "Proofing"]
    assert [p for _, p in order(session_cycle.cycle)] == [1, 2, 3, 4, 5]


def test_moving_one_cycle_leaves_another_alone(session_cycle, invoice_cycle):
    before = order(invoice_cycle.cycle)
    status_move(status=session_cycle.shot, direction="up")
    assert order(invoice_cycle.cycle) == before


def test_delete_unused_status_closes_the_gap(session_cycle):
    status_delete(status=session_cycle.hold)
    assert order(session_cycle.cycle) == [
        ("Booked", 1),
        ("Shot", 2),
        ("Proofing", 3),
        ("Delivered", 4),
    ]


def test_delete_a_status_a_record_is_in_is_refused(session_cycle, session, person, unchanged):
    record_start(record=session, started_on=MONDAY, by=person)
    status_change(
        record=session,
        expected_version=session.version,
        updated_by=person,
        date_completed=MONDAY,
    )
    with unchanged(), pytest.raises(RecordInUse, match="inactive"):
        status_delete(status=session_cycle.shot)  # the session is in it


def test_delete_a_status_only_history_names_is_refused(session_cycle, session, person, unchanged):
    record_start(record=session, started_on=MONDAY, by=person)
    status_change(
        record=session, expected_version=session.version, updated_by=person, date_completed=MONDAY
    )
    status_change(
        record=session, expected_version=session.version, updated_by=person, date_completed=MONDAY
    )
    assert session.status == session_cycle.proofing
    with unchanged(), pytest.raises(RecordInUse, match="inactive"):
        status_delete(status=session_cycle.shot)


@pytest.mark.parametrize("which", ["booked", "delivered"])
def test_initial_and_final_are_never_deleted(session_cycle, which, unchanged):
    with unchanged(), pytest.raises(RecordInUse, match="make another one"):
        status_delete(status=getattr(session_cycle, which))


@pytest.mark.parametrize(
    ("which", "changes", "field"),
    [
        ("booked", {"is_initial": False}, "is_initial"),
        ("delivered", {"is_final": False}, "is_final"),
        ("booked", {"is_final": True}, "is_final"),
        ("delivered", {"is_initial": True}, "is_initial"),
        ("booked", {"is_inactive": True}, "is_inactive"),
        ("delivered", {"is_inactive": True}, "is_inactive"),
        ("shot", {"is_initial": True, "is_final": True}, "is_final"),
        ("shot", {"is_initial": True, "is_inactive": True}, "is_inactive"),
        ("shot", {"default_duration": -1}, "default_duration"),
        ("shot", {"default_duration": 1000}, "default_duration"),
        ("shot", {"description": ""}, "description"),
        ("shot", {"colour": "red"}, "colour"),
    ],
)
def test_status_updates_that_would_break_the_cycle_are_refused(
    session_cycle, which, changes, field, unchanged
):
    with unchanged(), pytest.raises(ValidationError) as refused:
        status_update(status=getattr(session_cycle, which), **changes)
    assert field in refused.value.message_dict


def test_an_inactive_department_is_not_a_default(session_cycle, unchanged):
    closed = DepartmentFactory(name="Old lab", is_inactive=True)
    with unchanged(), pytest.raises(ValidationError) as refused:
        status_update(status=session_cycle.shot, default_department=closed)
    assert "default_department" in refused.value.message_dict


def test_update_changes_the_step(session_cycle):
    retouch = DepartmentFactory(name="Retouching")
    status_update(
        status=session_cycle.shot,
        description="Shot & backed up",
        default_duration=4,
        default_department=retouch,
        is_inactive=True,
    )
    stored = Status.objects.get(pk=session_cycle.shot.pk)
    assert (stored.description, stored.default_duration, stored.default_department) == (
        "Shot & backed up",
        4,
        retouch,
    )
    assert stored.is_inactive


def test_the_database_keeps_one_initial_per_cycle(session_cycle):
    with pytest.raises(IntegrityError), transaction.atomic():
        Status.objects.filter(pk=session_cycle.shot.pk).update(is_initial=True)


def test_the_cycles_still_to_set_up(db):
    albums = OrderTypeFactory(name="Album Order")
    OrderTypeFactory(name="Old frames", is_inactive=True)
    portrait = SessionTypeFactory(name="Portrait")
    cycle_create(kind=CycleKind.INVOICE, name="Invoices")
    scopes = [c.scope for c in cycles_to_set_up()]
    assert scopes == ["session", "preproduction", "task", f"production:{albums.pk}"]
    studio_preferences_update(statuses_by_session_type=True)
    assert f"session:type:{portrait.pk}" in [c.scope for c in cycles_to_set_up()]
    cycle = cycle_set_up(scope=f"production:{albums.pk}")
    assert (cycle.kind, cycle.name, cycle.order_type) == ("production", "Album Order", albums)
    assert f"production:{albums.pk}" not in [c.scope for c in cycles_to_set_up()]
    with pytest.raises(ValidationError):
        cycle_set_up(scope="invoice")  # it exists already
