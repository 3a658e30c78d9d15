"""The demo studio itself: its preferences, departments and the people who work there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from darkroom.studio.models import MONDAY_TO_FRIDAY, DueDateMode
from darkroom.studio.roles import Role

STUDIO_NAME = "Lumen & Grain Photography"

STUDIO = {
    "name": STUDIO_NAME,
    "address": "1418 Sherman Avenue\nEvanston, IL 60201",
    "phone": "(847) 555-0100",
    "email": "hello@lumen-grain.example",
    "time_zone": "America/Chicago",
    "work_days_mask": MONDAY_TO_FRIDAY,
    "due_date_mode": DueDateMode.FORWARD,
    "country": "US",
    "opens_at": dt.time(9, 0),
    "closes_at": dt.time(18, 0),
}

DEPARTMENTS = (
    ("Front Desk", "Bookings, phone calls, pick-ups and payments"),
    ("Retouching", "Culling, colour, skin and composites"),
    ("Print & Finishing", "Printing, mounting, framing and packing"),
)


@dataclass(frozen=True)
class DemoPerson:
    """Someone on the demo studio's team; ``photographs`` puts them behind the camera."""

    username: str
    first_name: str
    last_name: str
    role: Role
    job: str
    departments: tuple[str, ...] = ()
    photographs: bool = False

    @property
    def email(self) -> str:
        return f"{self.username}@lumen-grain.example"


# The manager is created only when the studio has no manager yet (see load.py).
MANAGER = DemoPerson(
    "manager",
    "Dana",
    "Whitfield",
    Role.MANAGER,
    "studio manager",
    ("Front Desk", "Print & Finishing"),
)

TEAM = (
    DemoPerson(
        "maya", "Maya", "Okafor", Role.STAFF, "lead photographer", ("Retouching",), photographs=True
    ),
    DemoPerson(
        "theo", "Theo", "Lindqvist", Role.STAFF, "photographer", ("Print & Finishing",), True
    ),
    DemoPerson("priya", "Priya", "Raman", Role.STAFF, "retoucher", ("Retouching",)),
    DemoPerson("jonah", "Jonah", "Bell", Role.STAFF, "front desk", ("Front Desk",)),
    DemoPerson("ruth", "Ruth", "Castellano", Role.READONLY, "bookkeeper"),
)

# Who rings up invoices at the front desk.
INVOICES_ENTERED_BY = "jonah"
