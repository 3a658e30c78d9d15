"""An endpoint's health: failing since when, disabled when it is gone or has failed for a day,
and the studio's managers told.

Every try tells on its endpoint: a delivery clears ``failing_since`` and sets
``last_success_at``; a failure sets ``failing_since`` if it was clear. An endpoint that answers
410 Gone is disabled at once; one whose every try has failed for more than a day
(``FAILING_FOR``: longer than a delivery's own retries last) is disabled at its next failure.
Either way each active manager gets a task saying which endpoint and why, linking to its page,
since nobody may be watching the endpoint's list when it happens.

A disabled endpoint gets no new deliveries (``fanout``) and the worker does not send the ones
it has waiting: they keep their state and say why, and go once a person enables the endpoint
again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from darkroom.errors import DarkroomError
from darkroom.studio.roles import GROUP_NAMES, Role
from darkroom.studio.selectors import studio_preferences
from darkroom.todos.services import task_create
from darkroom.webhooks.models import WAITING_STATES, Delivery, DeliveryState, Endpoint

log = logging.getLogger(__name__)

# Failing this long, with no delivery since, disables an endpoint at its next failure.
FAILING_FOR = timedelta(hours=24)
HELD = "Held: the endpoint is disabled. It goes once the endpoint is enabled again."


def endpoint_page(endpoint_id: int) -> str:
    return f"/webhooks/{endpoint_id}/"


@dataclass
class Tally:
    """What one group of tries said about each endpoint, in the order they ended."""

    last_success: dict[int, datetime] = field(default_factory=dict)
    # The first failure after the last success (or since the group began).
    failing_since: dict[int, datetime] = field(default_factory=dict)
    last_failure: dict[int, str] = field(default_factory=dict)
    gone: dict[int, str] = field(default_factory=dict)

    def delivered(self, endpoint_id: int, *, at: datetime) -> None:
        self.last_success[endpoint_id] = at
        self.failing_since.pop(endpoint_id, None)
        self.last_failure.pop(endpoint_id, None)

    def failed(self, endpoint_id: int, *, at: datetime, words: str, gone: bool = False) -> None:
        self.failing_since.setdefault(endpoint_id, at)
        self.last_failure[endpoint_id] = words
        if gone:
            self.gone[endpoint_id] = words


def endpoints_tally(*, tally: Tally, now: datetime) -> list[tuple[Endpoint, str]]:
    """Write down what ``tally`` says of each endpoint; the endpoints it disabled, with why.
    In the caller's transaction; tell the managers (:func:`managers_tell`) after it."""
    for endpoint_id, at in tally.last_success.items():
        Endpoint.objects.filter(pk=endpoint_id).update(
            last_success_at=at, failing_since=tally.failing_since.get(endpoint_id)
        )
    for endpoint_id, at in tally.failing_since.items():
        if endpoint_id not in tally.last_success:
            Endpoint.objects.filter(pk=endpoint_id, failing_since__isnull=True).update(
                failing_since=at
            )
    disabled = []
    for endpoint_id, words in tally.gone.items():
        reason = f"Disabled on its answer 410 Gone: {words}"
        endpoint = endpoint_disable(endpoint_id=endpoint_id, reason=reason, now=now)
        if endpoint is not None:
            disabled.append((endpoint, reason))
    long_failing = Endpoint.objects.filter(
        pk__in=[pk for pk in tally.last_failure if pk not in tally.gone],
        is_active=True,
        failing_since__lte=now - FAILING_FOR,
    ).values_list("pk", "failing_since")
    for endpoint_id, since in list(long_failing):
        reason = (
            f"Disabled after every delivery failed for more than a day (since "
            f"{since:%Y-%m-%d %H:%M} UTC). The last: {tally.last_failure[endpoint_id]}"
        )
        endpoint = endpoint_disable(endpoint_id=endpoint_id, reason=reason, now=now)
        if endpoint is not None:
            disabled.append((endpoint, reason))
    return disabled


def endpoint_disable(*, endpoint_id: int, reason: str, now: datetime) -> Endpoint | None:
    """Disable an active endpoint saying why; its waiting deliveries say they are held. The
    endpoint, or None when it was no longer active."""
    reason = reason[:300]
    moved = Endpoint.objects.filter(pk=endpoint_id, is_active=True).update(
        is_active=False, disabled_reason=reason, disabled_at=now, version=F("version") + 1
    )
    if not moved:
        return None
    # Those being sent now too: a round gives back the ones it did not reach, saying so.
    Delivery.objects.filter(
        endpoint_id=endpoint_id, state__in=[*WAITING_STATES, DeliveryState.SENDING]
    ).update(reason=HELD)
    return Endpoint.objects.get(pk=endpoint_id)


def managers() -> list[object]:
    """The people who look after the studio's endpoints: every active manager."""
    people = get_user_model().objects.filter(is_active=True)
    chosen = people.filter(Q(is_superuser=True) | Q(groups__name=GROUP_NAMES[Role.MANAGER]))
    return list(chosen.distinct().order_by("pk"))


def managers_tell(*, endpoint: Endpoint, reason: str) -> int:
    """A task for each active manager: this endpoint was disabled, why, and where to see it.
    Each in its own savepoint: a task refused is logged, not a reason to lose the others."""
    told = 0
    today = studio_preferences().today()
    notes = (
        f"The webhook endpoint “{endpoint.name}” ({endpoint.url}) was disabled "
        f"{timezone.localtime(endpoint.disabled_at or timezone.now()):%Y-%m-%d %H:%M}.\n\n"
        f"{reason}\n\nIts deliveries wait until it is enabled again: "
        f"{endpoint_page(endpoint.pk)}"
    )
    for person in managers():
        try:
            with transaction.atomic():
                task_create(
                    by=person,  # type: ignore[arg-type]
                    subject=f"Webhook endpoint “{endpoint.name}” was disabled"[:200],
                    notes=notes,
                    due_on=today,
                    urgent=True,
                    assigned_user=person,  # type: ignore[arg-type]
                )
            told += 1
        except (ValidationError, DarkroomError) as trouble:
            log.warning("Endpoint %s disabled; no task for %s: %s", endpoint.pk, person, trouble)
    if not told:
        log.warning("Endpoint %s disabled (%s); no manager to tell.", endpoint.pk, reason)
    return told
