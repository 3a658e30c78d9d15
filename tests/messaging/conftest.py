"""What the message template tests share: a trigger that sends a template."""

from __future__ import annotations

import pytest
from django.utils import timezone

from darkroom.messaging.models import MessageTemplate, Trigger, TriggerAction
from darkroom.tracking.cycles import cycle_create, status_add
from darkroom.tracking.models import Cycle, CycleKind


@pytest.fixture
def trigger_of(db):
    """``trigger_of(template)``: a trigger of the session cycle that sends the template (the
    triggers' own pages and services are elsewhere; this is the row they would write)."""

    def make(template: MessageTemplate, *, fallback: bool = False) -> Trigger:
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

    return make
