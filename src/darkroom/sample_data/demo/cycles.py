"""The demo studio's status cycles: the steps its sessions, invoices, orders and tasks go through.

Each step reads (description, business days, default department); the first step of a cycle is
its initial one and the last its final one, which has no duration.
"""

from __future__ import annotations

from dataclasses import dataclass

from darkroom.sample_data.demo.catalog import ALBUM, LAB_PRINT, RETOUCH
from darkroom.tracking.models import CycleKind

FRONT_DESK = "Front Desk"
RETOUCHING = "Retouching"
PRINTING = "Print & Finishing"

Step = tuple[str, int, str | None]


@dataclass(frozen=True)
class DemoCycle:
    kind: CycleKind
    name: str
    steps: tuple[Step, ...]
    order_type: str | None = None  # production cycles: the order type's name


CYCLES = (
    DemoCycle(
        CycleKind.SESSION,
        "Sessions",
        (
            ("Booked", 1, FRONT_DESK),
            ("Shot", 2, RETOUCHING),
            ("Proofs sent", 5, FRONT_DESK),
            ("Ordering", 7, FRONT_DESK),
            ("Delivered", 0, None),
        ),
    ),
    DemoCycle(
        CycleKind.INVOICE,
        "Invoices",
        (
            ("Entered", 0, FRONT_DESK),
            ("In production", 10, PRINTING),
            ("Ready for pickup", 3, FRONT_DESK),
            ("Picked up", 0, None),
        ),
    ),
    DemoCycle(
        CycleKind.PREPRODUCTION,
        "Proofing",
        (
            ("Proofs prepared", 2, RETOUCHING),
            ("Proofs with client", 5, FRONT_DESK),
            ("Proofs approved", 0, None),
        ),
    ),
    DemoCycle(
        CycleKind.PRODUCTION,
        LAB_PRINT,
        (
            ("Ordered", 1, PRINTING),
            ("Sent to Lab", 3, PRINTING),
            ("Received from Lab", 1, PRINTING),
            ("Quality Check", 1, PRINTING),
            ("Ready for Pickup", 0, None),
        ),
        order_type=LAB_PRINT,
    ),
    DemoCycle(
        CycleKind.PRODUCTION,
        ALBUM,
        (
            ("Design", 5, RETOUCHING),
            ("Client Approval", 7, FRONT_DESK),
            ("Sent to Bindery", 10, PRINTING),
            ("Received from Bindery", 1, PRINTING),
            ("Ready for Pickup", 0, None),
        ),
        order_type=ALBUM,
    ),
    DemoCycle(
        CycleKind.PRODUCTION,
        RETOUCH,
        (
            ("Queued", 1, RETOUCHING),
            ("Retouching", 3, RETOUCHING),
            ("Review", 1, RETOUCHING),
            ("Delivered", 0, None),
        ),
        order_type=RETOUCH,
    ),
    DemoCycle(CycleKind.TASK, "Tasks", (("To do", 1, None), ("Done", 0, None))),
)

# Who the demo's work goes to when it enters a step (cycle, step): a username. The steps not
# named here go to their department only.
HOLDERS = {
    (LAB_PRINT, "Received from Lab"): "theo",
    (LAB_PRINT, "Quality Check"): "manager",
    (ALBUM, "Client Approval"): "jonah",
    (ALBUM, "Received from Bindery"): "manager",
    (RETOUCH, "Retouching"): "priya",
    (RETOUCH, "Review"): "maya",
    ("Proofing", "Proofs with client"): "jonah",
}

# Who usually completes a department's steps (the history's "updated by").
WORKS_IN = {FRONT_DESK: "jonah", RETOUCHING: "priya", PRINTING: "theo"}

# What the demo's clients read of a step on their status page (cycle, step): the steps not
# named here stay hidden from clients (they show as the last step named, or "In progress").
FOR_CLIENTS = {
    ("Invoices", "In production"): "In production",
    ("Invoices", "Ready for pickup"): "Ready for pickup",
    ("Invoices", "Picked up"): "Picked up — thank you!",
    ("Proofing", "Proofs with client"): "Your proofs are ready to view",
    ("Proofing", "Proofs approved"): "Proofs approved",
    (LAB_PRINT, "Ordered"): "Order received",
    (LAB_PRINT, "Sent to Lab"): "Being printed",
    (LAB_PRINT, "Quality Check"): "Final check",
    (LAB_PRINT, "Ready for Pickup"): "Ready for pickup",
    (ALBUM, "Design"): "Designing your album",
    (ALBUM, "Client Approval"): "Waiting for your approval",
    (ALBUM, "Sent to Bindery"): "Being bound",
    (ALBUM, "Ready for Pickup"): "Ready for pickup",
    (RETOUCH, "Retouching"): "Being retouched",
    (RETOUCH, "Delivered"): "Delivered",
}
