"""The demo studio's message templates and triggers: what a small studio would set up first.

Each template reads (name, channel, subject, body) with placeholders from
``messaging.placeholders.PLACEHOLDERS``; each trigger (cycle, status, when, days, action, …) as the
trigger form would take it. The demo then moves a few open invoices on through the status-change
service, so the review queue, the outbox and the communication logs have something to show on
first login.
"""

from __future__ import annotations

from dataclasses import dataclass

from darkroom.sample_data.demo.catalog import LAB_PRINT, RETOUCH
from darkroom.sample_data.demo.cycles import FRONT_DESK, RETOUCHING

# fmt: off
TEMPLATES = (
    ("Order in production", "email",
     "We've started on your order, {client_first_name}",
     "Hello {client_first_name},\n\nThank you for your order {invoice_number}. It is in "
     "production now, and we expect it to be ready by {promised_date}.\n\nWarm regards,\n"
     "{studio_name}\n{studio_phone}"),
    ("Ready for pickup", "email",
     "Your order is ready for pickup, {client_first_name}",
     "Hello {client_first_name},\n\nGood news: your order {invoice_number} is ready. Come by "
     "the studio any weekday; we keep it for you until you do.\n\n{studio_name}\n"
     "{studio_phone}"),
    ("Pickup reminder (SMS)", "sms", "",
     "{studio_name}: {client_first_name}, your order {invoice_number} is still waiting for "
     "you. Questions? {studio_phone}"),
    ("Pickup reminder (email)", "email",
     "A reminder: your order is waiting, {client_first_name}",
     "Hello {client_first_name},\n\nYour order {invoice_number} has been ready since "
     "{due_date}. We look forward to seeing you.\n\n{studio_name}\n{studio_phone}"),
)
# fmt: on


@dataclass(frozen=True)
class DemoTrigger:
    name: str
    cycle: str
    status: str
    action: str
    processing: str
    when: str = "entered"
    days: int = 0
    template: str = ""
    fallback_template: str = ""
    task_subject: str = ""
    task_department: str = ""
    hold_until_business_hours: bool = False
    skip_do_not_market: bool = False
    skip_do_not_call: bool = False


INVOICES = "Invoices"

TRIGGERS = (
    DemoTrigger(
        "Tell the client the order is in production",
        INVOICES,
        "In production",
        "email",
        "automatic",
        template="Order in production",
        skip_do_not_market=True,
        hold_until_business_hours=True,
    ),
    DemoTrigger(
        "Ready for pickup: email the client",
        INVOICES,
        "Ready for pickup",
        "email",
        "review",
        template="Ready for pickup",
    ),
    DemoTrigger(
        "Not picked up yet: remind the client",
        INVOICES,
        "Ready for pickup",
        "sms_else_email",
        "automatic",
        when="after_due",
        days=2,
        template="Pickup reminder (SMS)",
        fallback_template="Pickup reminder (email)",
        skip_do_not_call=True,
        hold_until_business_hours=True,
    ),
    DemoTrigger(
        "Prints not back from the lab: call the lab",
        LAB_PRINT,
        "Sent to Lab",
        "call",
        "automatic",
        when="after_due",
        days=0,  # the step lasts three business days: three days after the order went out
        task_subject="Prints for {client_name} not back from {vendor} (order {order_number})",
        task_department=FRONT_DESK,
    ),
    DemoTrigger(
        "Retouching: start the edit",
        RETOUCH,
        "Retouching",
        "task",
        "automatic",
        task_subject="Retouch {client_name}'s images (invoice {invoice_number})",
        task_department=RETOUCHING,
    ),
)

# Open invoices the demo moves on after the triggers exist, newest first: the first ones go
# into production, the next ones on to "Ready for pickup" (the showcase invoice stays as it is).
IN_PRODUCTION = 3
READY_FOR_PICKUP = 3
