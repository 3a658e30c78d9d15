"""Webhook endpoints, their deliveries and every attempt at one.

The shape is Saleor's: a delivery row per (event, endpoint), written in the transaction of the
change that caused the event (``webhooks.fanout``), and one attempt row per try with the
answer's status code, how long it took and a short excerpt of what the receiver said. The
delivery's state is ours, not a task queue's (MESSAGING.md): the worker claims a delivery with
a lease (``sending_since``), and one left ``sending`` past its lease by a worker that died goes
back in the queue, so nothing is lost and a receiver may see an event twice, with the same
``webhook-id``.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from darkroom.events.models import Event


class Endpoint(models.Model):
    """ "The website's order tracker": a URL the studio's other system listens on, the event
    types it wants and the secret deliveries are signed with."""

    name = models.CharField(max_length=80)
    url = models.URLField(max_length=500)
    # The event types it wants (``events.kinds.event_types``); empty means every type.
    event_types = models.JSONField(default=list, blank=True)
    # ``whsec_`` + base64 of 24 random bytes (Standard Webhooks). Kept readable: signing needs it.
    secret = models.CharField(max_length=80)
    # While a secret is rotated, the one before still signs (a second signature) until then.
    previous_secret = models.CharField(max_length=80, blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    # The first failure since the last success: a day of failures disables the endpoint.
    failing_since = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["id"], condition=Q(is_active=True), name="endpoint_active"),
        ]

    def __str__(self) -> str:
        return self.name

    def wants(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types

    def signing_secrets(self, now: datetime) -> list[str]:
        """The secrets a delivery sent ``now`` is signed with: the current one, and the one
        before while its rotation's overlap lasts."""
        keep_previous = (
            self.previous_secret
            and self.previous_secret_until is not None
            and now < self.previous_secret_until
        )
        return [self.secret, self.previous_secret] if keep_previous else [self.secret]


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Sending"
    RETRY = "retry", "Waiting to retry"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


# States the worker still acts on.
WAITING_STATES = (DeliveryState.PENDING, DeliveryState.RETRY)


class Delivery(models.Model):
    """One event for one endpoint, from when it was recorded until it was delivered or given
    up. A replay by hand puts it back in the queue: same event, same ``webhook-id``."""

    # No index of their own: the unique (event, endpoint) serves lookups by event, the index
    # (endpoint, -id) those by endpoint; each index less is a B-tree less that every status
    # change with endpoints writes to.
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="+", db_index=False)
    endpoint = models.ForeignKey(
        Endpoint, on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    sending_since = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="delivery_once_per_endpoint")
        ]
        indexes = [
            # By endpoint first: the worker reads each enabled endpoint's due deliveries, so a
            # disabled endpoint's held backlog, however long, is never read until it is back.
            # (With id: deliveries due at the same moment go in order from the index, unsorted.)
            models.Index(
                fields=["endpoint", "next_attempt_at", "id"],
                condition=Q(state__in=["pending", "retry"]),
                name="delivery_waiting",
            ),
            # The failed ones of an endpoint, newest first: its count on the list, its "failed"
            # filter and the replay of all failed since a date read only those.
            models.Index(
                fields=["endpoint", "-id"], condition=Q(state="failed"), name="delivery_failed"
            ),
            models.Index(
                fields=["sending_since"], condition=Q(state="sending"), name="delivery_sending"
            ),
            models.Index(fields=["endpoint", "-id"], name="delivery_endpoint_newest"),
        ]

    def __str__(self) -> str:
        return f"event {self.event_id} → {self.endpoint_id} ({self.state})"


class DeliveryAttempt(models.Model):
    """One try: when, how long, the status code (none when no answer came) and what the
    receiver said, cut short."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="tries")
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=10)  # delivered / retry / failed
    excerpt = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"{self.outcome} at {self.started_at:%Y-%m-%d %H:%M}"
