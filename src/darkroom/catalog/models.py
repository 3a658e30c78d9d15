"""The studio's catalog: price list, vendors and their products, render profiles, order types,
reorder reasons and priority codes. All are maintenance records: referenced records are PROTECTed,
so one in use can only be made inactive."""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Upper

from darkroom.record_shapes import OrderedRecord, RetirableRecord

DUPLICATE_IDENTIFIER = "duplicate_identifier"
NOT_NEGATIVE = MinValueValidator(Decimal("0"), "Must not be negative.")


class OrderKind(models.TextChoices):
    PRINT = "print", "Print (with image details)"
    GENERIC = "generic", "Generic"


class ProductionOrderType(OrderedRecord):
    """A kind of production order (“Lab Print Order”, “Album Order”); each has its own cycle."""

    name = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=10, choices=OrderKind.choices, default=OrderKind.GENERIC)

    class Meta(OrderedRecord.Meta):
        verbose_name = "production order type"

    def __str__(self) -> str:
        return self.name


class RenderProfile(RetirableRecord):
    """Items rendered with the same instructions (size, resolution, bleed, destination)."""

    name = models.CharField(max_length=80, unique=True)
    size = models.CharField(max_length=40, blank=True, help_text="e.g. 8x10 in")
    dpi = models.PositiveIntegerField("DPI", null=True, blank=True)
    bleed_mm = models.DecimalField(
        "bleed (mm)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[NOT_NEGATIVE],
    )
    destination = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Vendor(RetirableRecord):
    """A lab, framer, album maker — or one of the studio's own departments acting as a vendor."""

    name = models.CharField(max_length=120, unique=True)
    account_number = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    notes = models.TextField(blank=True)
    is_in_house = models.BooleanField("in-house", default=False)
    auto_assigns_numbers = models.BooleanField("auto-assign order numbers", default=False)
    next_order_number = models.PositiveIntegerField(default=1)
    default_order_type = models.ForeignKey(
        ProductionOrderType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ftp_host = models.CharField("FTP host", max_length=200, blank=True)
    ftp_user = models.CharField("FTP user", max_length=80, blank=True)
    ftp_folder = models.CharField("FTP folder", max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ItemType(models.TextChoices):
    PRINT = "print", "Print"
    ALBUM = "album", "Album"
    FRAME = "frame", "Frame"
    DIGITAL = "digital", "Digital"
    SERVICE = "service", "Service"
    OTHER = "other", "Other"


class PriceListItem(RetirableRecord):
    """Something the studio sells. Once sold it is never deleted, only made inactive."""

    identifier = models.CharField(
        max_length=12,
        validators=[RegexValidator(r"^[A-Za-z0-9]+$", "Use only letters and digits (at most 12).")],
        help_text="Up to 12 letters or digits, unique.",
    )
    description = models.CharField(max_length=200)
    item_type = models.CharField(
        "type", max_length=10, choices=ItemType.choices, default=ItemType.PRINT
    )
    group = models.CharField(max_length=60, blank=True)
    price = models.DecimalField(max_digits=10, decimal_places=2, validators=[NOT_NEGATIVE])
    cost = models.DecimalField(
        max_digits=10, decimal_places=2, default=Decimal("0"), validators=[NOT_NEGATIVE]
    )
    preferred_vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, null=True, blank=True, related_name="preferred_items"
    )
    render_profile = models.ForeignKey(
        RenderProfile, on_delete=models.PROTECT, null=True, blank=True, related_name="items"
    )

    class Meta:
        ordering = ["identifier"]
        constraints = [
            models.UniqueConstraint(
                Upper("identifier"),
                name="price_list_identifier_unique",
                violation_error_message="Another price list item already has this identifier.",
                violation_error_code=DUPLICATE_IDENTIFIER,
            )
        ]

    def __str__(self) -> str:
        return f"{self.identifier} — {self.description}"

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        """Report a duplicate identifier beside the identifier field, where people look."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict({})
            duplicate = [
                e
                for e in errors.get(NON_FIELD_ERRORS, [])
                if getattr(e, "code", None) == DUPLICATE_IDENTIFIER
            ]
            if not duplicate:
                raise
            errors[NON_FIELD_ERRORS] = [e for e in errors[NON_FIELD_ERRORS] if e not in duplicate]
            if not errors[NON_FIELD_ERRORS]:
                del errors[NON_FIELD_ERRORS]
            errors.setdefault("identifier", []).extend(duplicate)
            raise ValidationError(errors) from exc


class VendorProduct(models.Model):
    """The vendor's own code for one of the studio's price list items."""

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="products")
    item = models.ForeignKey(
        PriceListItem, on_delete=models.PROTECT, related_name="vendor_products"
    )
    product_code = models.CharField(max_length=60)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["vendor__name", "product_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "item"],
                name="vendor_product_once_per_item",
                violation_error_message="This vendor already has a code for this item.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.vendor}: {self.product_code}"


class ReorderReason(RetirableRecord):
    """Why an order is redone; non-chargeable when it was the vendor's fault."""

    description = models.CharField(max_length=120, unique=True)
    is_non_chargeable = models.BooleanField("non-chargeable", default=False)

    class Meta:
        ordering = ["description"]

    def __str__(self) -> str:
        return self.description


class PriorityCode(OrderedRecord):
    """A studio-defined priority for production orders (“Rush”, “Wedding season”)."""

    code = models.CharField(max_length=20, unique=True)
    description = models.CharField(max_length=120, blank=True)

    class Meta(OrderedRecord.Meta):
        pass

    def __str__(self) -> str:
        return self.code
