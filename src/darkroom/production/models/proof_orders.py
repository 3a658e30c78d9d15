"""Proof (preproduction) orders: proofs sent out before the client orders, made from a session,
on the proof orders' own cycle.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from darkroom.production.numbers import order_number_give
from darkroom.tracking.models import TrackedRecord


class PreproductionOrder(TrackedRecord):
    """Proofs sent out before the client orders: created from a session, with its own cycle."""

    session = models.ForeignKey(
        "clients.Session", on_delete=models.PROTECT, related_name="preproduction_orders"
    )
    vendor = models.ForeignKey(
        "catalog.Vendor", on_delete=models.PROTECT, related_name="preproduction_orders"
    )
    # Always set (production/numbers.py); the column stays nullable so that the upgrade that
    # brought studio-wide numbers did not rebuild the table on SQLite (and lose the hub's
    # triggers and indexes made in SQL): a partial unique index keeps it unique.
    number = models.CharField(
        "order number",
        max_length=20,
        null=True,
        editable=False,
        help_text="The studio's number, unique across production and proof orders.",
    )
    vendor_number = models.CharField(
        "vendor's order number",
        max_length=20,
        null=True,
        blank=True,
        help_text="The vendor's own number for the order; unique per vendor.",
    )
    order_date = models.DateField()
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    vendor_invoice_amount = models.DecimalField(
        "preproduction cost",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The names of its session's client while the order is open (as a production order's).
    client_first_name = models.CharField(max_length=80, null=True, editable=False)
    client_last_name = models.CharField(max_length=80, null=True, editable=False)

    VENDOR_FIELD = "vendor"

    class Meta:
        ordering = ["-order_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["number"],
                condition=Q(number__isnull=False),
                name="proof_order_number_unique",
            )
        ]
        indexes = [
            TrackedRecord.open_due_date_index("preproduction_open_due_idx"),
            *TrackedRecord.open_assignment_indexes("proof"),
            models.Index(fields=["vendor_number"], name="proof_vendor_number_idx"),
            # The hub: open proof orders by due date, by status (board, summary), by vendor.
            models.Index(
                fields=["status_due_date", "id"],
                condition=Q(completed_date__isnull=True),
                name="hub_pre_due_idx",
            ),
            models.Index(
                fields=["status", "status_due_date", "id"],
                condition=Q(completed_date__isnull=True),
                name="hub_pre_status_due_idx",
            ),
            models.Index(
                fields=["vendor", "status_due_date", "id"],
                condition=Q(completed_date__isnull=True),
                name="hub_pre_vendor_due_idx",
            ),
            # The all-orders list, as for production orders.
            models.Index(fields=["order_date", "id"], name="pre_list_date_idx"),
            models.Index(fields=["vendor", "order_date", "id"], name="pre_list_vendor_idx"),
            models.Index(fields=["status", "order_date", "id"], name="pre_list_status_idx"),
            # The workload report: finished proof orders by the day they were finished.
            models.Index(
                fields=["completed_date"],
                condition=Q(completed_date__isnull=False),
                name="pre_finished_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Proof order #{self.number} ({self.vendor})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        order_number_give(self)
        super().save(*args, **kwargs)

    def tracking_scopes(self) -> tuple[str, ...]:
        return ("preproduction",)

    def get_absolute_url(self) -> str:
        return reverse("production:proof-order-detail", args=[self.pk])
