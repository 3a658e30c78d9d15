"""Production orders: the studio's order to one vendor (or in-house department) for an invoice.

An invoice may have several, one per vendor. Each follows the status cycle of its order type
(``TrackedRecord``); its due dates count on its vendor's calendar (the studio's plus the vendor's
own closures) and, in the studio's backward mode, back from the date promised to the client.
``promised_date`` is that date, copied from the invoice's approximate delivery date and kept in
step with it by the invoice services, so "at risk" is a comparison on the order's own row.

Most of this module is :class:`ProductionOrder`'s own fields, indexes and constraints, which
belong together.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from darkroom.production.numbers import order_number_give
from darkroom.tracking.models import TrackedRecord

# An order type named "Lab Print Order" is not a "Lab Print Order order".
ENDS_WITH_ORDER = re.compile(r"\border$", re.IGNORECASE)


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
    promised_date = models.DateField(
        null=True, blank=True, editable=False, help_text="The invoice's approximate delivery date."
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Copied from the invoice when the order is created (the order keeps what was sent).
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="production_orders"
    )
    # The client's names while the order is open, a copy the database keeps itself
    # (``hub/migrations/0007_client_names.py``): the hub sorts and searches the open orders by
    # them through indexes of the orders alone. Not kept once the order is finished.
    client_first_name = models.CharField(max_length=80, null=True, editable=False)
    client_last_name = models.CharField(max_length=80, null=True, editable=False)
    shipping_address = models.TextField(blank=True)
    priority_code = models.ForeignKey(
        "catalog.PriorityCode", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reorder_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reorders"
    )
    reorder_reason = models.ForeignKey(
        "catalog.ReorderReason", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    vendor_invoice_amount = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="What the vendor charged for this order.",
    )
    studio_notes = models.TextField(blank=True, help_text="For the studio only (work order).")
    vendor_notes = models.TextField(blank=True, help_text="For the vendor (purchase order).")
    created_at = models.DateTimeField(auto_now_add=True)

    PROMISED_DATE_FIELD = "promised_date"
    VENDOR_FIELD = "vendor"
    BACKWARD_SCHEDULED = True

    class Meta:
        ordering = ["-order_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["number"],
                condition=Q(number__isnull=False),
                name="production_order_number_unique",
            ),
            models.UniqueConstraint(
                fields=["vendor", "vendor_number"],
                condition=Q(vendor_number__isnull=False),
                name="production_vendor_number_per_vendor",
            ),
        ]
        indexes = [
            TrackedRecord.open_due_date_index("production_open_due_idx"),
            models.Index(fields=["invoice"], name="production_invoice_idx"),
            # The hub's search by a vendor's number names no vendor: the unique (vendor,
            # vendor_number) index can't find it.
            models.Index(fields=["vendor_number"], name="production_vendor_num_idx"),
            # The hub (hub/selectors/): open orders only, each filter in due-date order,
            # id last so pages resume exactly where they stopped.
            *[
                models.Index(
                    fields=[*first, "status_due_date", "id"],
                    condition=Q(completed_date__isnull=True),
                    name=name,
                )
                for first, name in [
                    ([], "hub_po_due_idx"),
                    (["vendor"], "hub_po_vendor_due_idx"),
                    (["status"], "hub_po_status_due_idx"),
                    (["status_user"], "hub_po_user_due_idx"),
                    (["status_department"], "hub_po_dept_due_idx"),
                    (["order_type"], "hub_po_type_due_idx"),
                    (["priority_code"], "hub_po_priority_due_idx"),
                ]
            ],
            models.Index(
                fields=["status_due_date", "id"],
                condition=Q(
                    completed_date__isnull=True, projected_completion__gt=F("promised_date")
                ),
                name="hub_po_at_risk_idx",
            ),
            # The late ones among them (hub/selectors/at_risk.py, late_at_risk_parts): open
            # orders by remaining days and promise, so each number of days is one range up to
            # its threshold, with all else the count asks (its last entry also gives the most
            # remaining days an open order has).
            models.Index(
                fields=[
                    "remaining_days",
                    "promised_date",
                    "status_due_date",
                    "projected_completion",
                    "vendor",
                    "completed_date",
                ],
                condition=Q(completed_date__isnull=True),
                name="hub_po_remaining_idx",
            ),
            # The all-orders list (production/order_list/): open and finished, newest
            # first, each filter in order-date order, id last so pages resume exactly.
            models.Index(fields=["order_date", "id"], name="po_list_date_idx"),
            models.Index(fields=["vendor", "order_date", "id"], name="po_list_vendor_idx"),
            models.Index(fields=["status", "order_date", "id"], name="po_list_status_idx"),
            models.Index(fields=["order_type", "order_date", "id"], name="po_list_type_idx"),
            models.Index(fields=["client", "order_date", "id"], name="po_list_client_idx"),
            # The reorders report (reports/selectors/reorders.py): reorders alone, by order date,
            # id next so pages resume exactly, then every column the report reads, so a year of
            # them is one range of a small index and SQLite never reads the orders' rows.
            models.Index(
                fields=[
                    "order_date",
                    "id",
                    "reorder_reason",
                    "vendor",
                    "vendor_invoice_amount",
                    "reorder_of",
                ],
                condition=Q(reorder_of__isnull=False),
                name="po_reorder_date_idx",
            ),
            # Finished orders by the day they were finished: the workload report
            # (reports/selectors/workload.py, with their type) and vendor performance
            # (reports/selectors/vendor_performance.py, with the vendor, order date and promise).
            # Every column either reads, so a year of them is one range of this index alone.
            models.Index(
                fields=["completed_date", "order_type", "vendor", "order_date", "promised_date"],
                condition=Q(completed_date__isnull=False),
                name="po_finished_idx",
            ),
            # The summary reads this index alone: it holds every column the summary reads,
            # completed_date too (always empty here), else SQLite reads each order's row.
            models.Index(
                fields=[
                    "status",
                    "invoice",
                    "status_due_date",
                    "projected_completion",
                    "promised_date",
                    "remaining_days",
                    "vendor",
                    "completed_date",
                ],
                condition=Q(completed_date__isnull=True),
                name="hub_po_summary_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind_name} #{self.number} ({self.vendor})"

    @property
    def kind_name(self) -> str:
        """ "Album order", or "Lab Print Order" as it stands: the order type's name with "order"
        after it unless the name ends with that word already."""
        name = str(self.order_type).strip()
        return name if ENDS_WITH_ORDER.search(name) else f"{name} order"

    def save(self, *args: Any, **kwargs: Any) -> None:
        order_number_give(self)
        super().save(*args, **kwargs)

    def tracking_scopes(self) -> tuple[str, ...]:
        return (f"production:{self.order_type_id}",)

    def get_absolute_url(self) -> str:
        return reverse("production:order-detail", args=[self.pk])
