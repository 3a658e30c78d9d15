"""A small studio for the trigger tests: an Album Order cycle (orders have a vendor), a session
cycle, a task cycle, templates of each channel, a department."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from darkroom.messaging.models import Channel, MessageTemplate
from darkroom.tracking.cycles import cycle_create, status_add
from darkroom.tracking.models import Cycle, CycleKind, Status
from tests import factories as f


@dataclass
class World:
    albums: Cycle
    ordered: Status
    at_lab: Status
    ready: Status
    picked_up: Status
    sessions: Cycle
    booked: Status
    shot: Status
    tasks: Cycle
    open_task: Status
    email: MessageTemplate
    sms: MessageTemplate
    letter: MessageTemplate
    department: Any
    order_type: Any


def make_world() -> World:
    order_type = f.OrderTypeFactory(name="Album Order")
    albums = cycle_create(kind=CycleKind.PRODUCTION, name="Album Order", order_type=order_type)
    ordered = status_add(cycle=albums, description="Ordered", default_duration=1)
    at_lab = status_add(cycle=albums, description="At the lab", default_duration=5)
    ready = status_add(cycle=albums, description="Ready", default_duration=3)
    picked_up = status_add(cycle=albums, description="Picked up", is_final=True)
    sessions = cycle_create(kind=CycleKind.SESSION, name="Sessions")
    booked = status_add(cycle=sessions, description="Booked", default_duration=1)
    shot = status_add(cycle=sessions, description="Shot", default_duration=2)
    status_add(cycle=sessions, description="Delivered", is_final=True)
    tasks = cycle_create(kind=CycleKind.TASK, name="Tasks")
    open_task = status_add(cycle=tasks, description="Open", default_duration=2)
    status_add(cycle=tasks, description="Done", is_final=True)
    return World(
        albums=albums,
        ordered=ordered,
        at_lab=at_lab,
        ready=ready,
        picked_up=picked_up,
        sessions=sessions,
        booked=booked,
        shot=shot,
        tasks=tasks,
        open_task=open_task,
        email=MessageTemplate.objects.create(
            name="Album ready (email)",
            channel=Channel.EMAIL,
            subject="Your album is ready",
            body="Hello {client_first_name}, your album is ready.",
        ),
        sms=MessageTemplate.objects.create(
            name="Album ready (SMS)", channel=Channel.SMS, body="Your album is ready."
        ),
        letter=MessageTemplate.objects.create(
            name="Album ready (letter)",
            channel=Channel.LETTER,
            subject="Your album",
            body="Dear {client_name}, your album is ready.",
        ),
        department=f.DepartmentFactory(name="Front desk"),
        order_type=order_type,
    )


def email_on_ready(world: World, **extra: Any) -> dict[str, Any]:
    """The fields of "email the client when an order enters Ready", changed by ``extra``."""
    return {
        "name": "Album ready email",
        "cycle": world.albums,
        "status": world.ready,
        "when": "entered",
        "days": 0,
        "action": "email",
        "recipient": "client",
        "template": world.email,
        "processing": "review",
        **extra,
    }
