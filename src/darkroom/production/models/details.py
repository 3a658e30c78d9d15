"""A production order's detail lines: what the vendor makes, and how."""

from __future__ import annotations

from django.db import models

from darkroom.production.models.orders import ProductionOrder


class ProductionOrderDetail(models.Model):
    """One line of a production order: what the vendor makes, and how."""

    order = models.ForeignKey(ProductionOrder, on_delete=models.CASCADE, related_name="details")
    position = models.PositiveIntegerField(default=0)
    invoice_line = models.ForeignKey(
        "clients.InvoiceLine",
        on_delete=models.SET_NULL,  # an invoice edited later keeps its orders as they were sent
        null=True,
        blank=True,
        related_name="production_details",
    )
    item = models.ForeignKey("catalog.PriceListItem", on_delete=models.PROTECT, related_name="+")
    description = models.CharField(max_length=200, blank=True)
    quantity = models.PositiveIntegerField(default=1)
    vendor_product_code = models.CharField(max_length=40, blank=True)
    render_profile = models.ForeignKey(
        "catalog.RenderProfile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    image_names = models.TextField(
        blank=True, help_text="Print orders: the image files, one per line."
    )
    notes = models.TextField(blank=True, help_text="For the vendor: how to make this line.")

    class Meta:
        ordering = ["order", "position", "id"]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.item}"
