"""A small studio for the trigger tests: an Album Order cycle (orders have a vendor), a session
cycle, a task cycle, templates of each channel, a department."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from darkroom.messaging.models import Channel, MessageTemplate
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
    albums = f.cycle_with_statuses(
        order_type=order_type, steps=[("Ordered", 1), ("At the lab", 5), ("Ready", 3)]
    )
    sessions = f.cycle_with_statuses(
        kind=CycleKind.SESSION, steps=[("Booked", 1), ("Shot", 2)], final="Delivered"
    )
    tasks = f.cycle_with_statuses(kind=CycleKind.TASK, steps=[("Open", 2)], final="Done")
    return World(
        albums=albums.cycle,
        ordered=albums["Ordered"],
        at_lab=albums["At the lab"],
        ready=albums["Ready"],
        picked_up=albums.final,
        sessions=sessions.cycle,
        booked=sessions["Booked"],
        shot=sessions["Shot"],
        tasks=tasks.cycle,
        open_task=tasks.initial,
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
