"""A trigger that sends a template, for the message template tests (the triggers' own tests
build whole cycles in their conftest)."""

from __future__ import annotations

from django.utils import timezone

from darkroom.messaging.models import MessageTemplate, Trigger, TriggerAction
from darkroom.tracking.models import Cycle, CycleKind
from darkroom.tracking.services import cycle_create, status_add


def trigger_sending(template: MessageTemplate, *, fallback: bool = False) -> Trigger:
    """A trigger of the session cycle that sends the template (as its fallback when asked):
    the row the triggers' pages and services would write."""
    cycle = Cycle.objects.filter(kind=CycleKind.SESSION).first() or cycle_create(
        kind=CycleKind.SESSION, name="Sessions"
    )
    status = cycle.statuses.first() or status_add(
        cycle=cycle, description="Album ready", default_duration=1
    )
    return Trigger.objects.create(
        name="Album ready",
        cycle=cycle,
        status=status,
        action=TriggerAction.SMS_ELSE_EMAIL if fallback else TriggerAction.SMS,
        template=None if fallback else template,
        fallback_template=template if fallback else None,
        active_since=timezone.now(),
    )
