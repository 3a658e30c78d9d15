"""Production orders: the studio's order to one vendor (or in-house department) for an invoice.

An invoice may have several, one per vendor. Each follows the status cycle of its order type
(``TrackedRecord``); its due dates count on its vendor's calendar (the studio's plus the vendor's
own closures) and, in the studio's backward mode, back from the date promised to the client.
``promised_date`` is that date, copied from the invoice's approximate delivery date and kept in
step with it by the invoice services, so "at risk" is a comparison on the order's own row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from darkroom.tracking.models import TrackedRecord


class ProductionOrder(TrackedRecord):
    """ "The Album Order for invoice 01234 at Bay Photo"."""

    invoice = models.ForeignKey(
        "clients.Invoice", on_delete=models.PROTECT, related_name="production_orders"
    )
    vendor = models.ForeignKey(
        "catalog.Vendor", on_delete=models.PROTECT, related_name="production_orders"
    )
    order_type = models.ForeignKey(
        "catalog.ProductionOrderType", on_delete=models.PROTECT, related_name="production_orders"
    )
    number = models.CharField(
        "order number", max_length=20, null=True, blank=True, help_text="Unique per vendor."
    )
    order_date = models.DateField()
    promised_date = models.DateField(
        null=True, blank=True, editable=False, help_text="The invoice's approximate delivery date."
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    PROMISED_DATE_FIELD = "promised_date"
    VENDOR_FIELD = "vendor"
    BACKWARD_SCHEDULED = True

    class Meta:
        ordering = ["-order_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "number"],
                condition=Q(number__isnull=False),
                name="production_order_number_per_vendor",
            )
        ]
        indexes = [
            TrackedRecord.open_due_date_index("production_open_due_idx"),
            models.Index(fields=["invoice"], name="production_invoice_idx"),
        ]

    def __str__(self) -> str:
        number = f" #{self.number}" if self.number else ""
        return f"{self.order_type} order{number} ({self.vendor})"

    def tracking_scopes(self) -> tuple[str, ...]:
        return (f"production:{self.order_type_id}",)
