"""Clients, the sessions shot for them and the invoices they order on."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from darkroom.catalog.models import PriceListItem, Vendor
from darkroom.record_shapes import OrderedRecord
from darkroom.tracking.models import TrackedRecord

MONEY = {"max_digits": 12, "decimal_places": 2}


class Client(models.Model):
    """The studio's customer."""

    first_name = models.CharField(max_length=80, blank=True)
    last_name = models.CharField(max_length=80)
    email = models.EmailField(blank=True)
    mobile = models.CharField(
        "mobile phone", max_length=40, blank=True, help_text="For text messages."
    )
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    lead_source = models.CharField(max_length=80, blank=True)
    do_not_market = models.BooleanField("do not market", default=False)
    do_not_call = models.BooleanField("do not call", default=False)
    sms_consent = models.BooleanField(
        "texts allowed",
        default=False,
        help_text="The client agreed to receive text messages (SMS) from the studio.",
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("clients:client-detail", args=[self.pk])

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class SessionType(OrderedRecord):
    """A kind of shoot: wedding, newborn, school portrait, family."""

    name = models.CharField(max_length=80, unique=True)

    class Meta(OrderedRecord.Meta):
        pass

    def __str__(self) -> str:
        return self.name


class Session(TrackedRecord):
    """A shoot for a client; it follows the session status cycle (``TrackedRecord``)."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="sessions")
    session_type = models.ForeignKey(SessionType, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    photographer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["date", "id"], name="session_date_idx"),
            TrackedRecord.open_due_date_index("session_open_due_idx"),
            *TrackedRecord.open_assignment_indexes("session"),
        ]

    def __str__(self) -> str:
        return f"{self.session_type} — {self.client} ({self.date:%Y-%m-%d})"

    def tracking_scopes(self) -> tuple[str, ...]:
        """The session type's own cycle first (when the studio tracks sessions by type)."""
        return (f"session:type:{self.session_type_id}", "session")

    def get_absolute_url(self) -> str:
        return reverse("clients:session-detail", args=[self.pk])


class Invoice(TrackedRecord):
    """The client's order with the studio: lines from the price list and payments; it follows
    the invoice status cycle (``TrackedRecord``).

    ``total`` and ``paid`` are kept by the invoice services whenever lines or payments change, so
    lists and the production hub can show values without summing lines. ``version`` rises on each
    change (header, lines, payments or status) so two people editing at once never overwrite
    each other silently.
    """

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="invoices")
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, null=True, blank=True, related_name="invoices"
    )
    invoice_date = models.DateField()
    approximate_delivery_date = models.DateField(
        null=True, blank=True, help_text="The date promised to the client."
    )
    shipping_address = models.TextField(blank=True)
    delivered_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    # Production automation's question, kept until answered: the moment (an AutomationMoment
    # value) at which the studio asks whether to create the orders; blank when nothing is asked.
    production_orders_prompt = models.CharField(max_length=20, blank=True, editable=False)
    total = models.DecimalField(**MONEY, default=Decimal("0"))
    paid = models.DecimalField(**MONEY, default=Decimal("0"))
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-invoice_date", "-id"]
        # The invoice list sorts by date; "promised in the next N days" looks up the delivery date.
        indexes = [
            models.Index(fields=["invoice_date", "id"], name="invoice_date_idx"),
            models.Index(fields=["approximate_delivery_date"], name="invoice_promised_idx"),
            TrackedRecord.open_due_date_index("invoice_open_due_idx"),
            *TrackedRecord.open_assignment_indexes("invoice"),
        ]

    PROMISED_DATE_FIELD = "approximate_delivery_date"

    def __str__(self) -> str:
        return f"Invoice {self.number}"

    def tracking_scopes(self) -> tuple[str, ...]:
        return ("invoice",)

    def get_absolute_url(self) -> str:
        return reverse("clients:invoice-detail", args=[self.pk])

    @property
    def number(self) -> str:
        return f"{self.pk:05d}" if self.pk else "new"

    @property
    def balance(self) -> Decimal:
        return self.total - self.paid


class InvoiceLine(models.Model):
    """One product on an invoice; its vendor is the override, else the item's preferred vendor."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    item = models.ForeignKey(PriceListItem, on_delete=models.PROTECT, related_name="invoice_lines")
    description = models.CharField(max_length=200, blank=True)
    quantity = models.PositiveIntegerField(
        default=1, validators=[MinValueValidator(1, "Quantity must be at least 1.")]
    )
    price = models.DecimalField(
        **MONEY, validators=[MinValueValidator(Decimal("0"), "Price must not be negative.")]
    )
    vendor_override = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.item.identifier}"

    @property
    def amount(self) -> Decimal:
        return self.price * self.quantity

    @property
    def vendor(self) -> Vendor | None:
        """The vendor who fulfils this line: the line's override, else the item's preferred one."""
        return self.vendor_override or self.item.preferred_vendor


class PaymentMethod(models.TextChoices):
    CARD = "card", "Card"
    CASH = "cash", "Cash"
    CHECK = "check", "Check"
    TRANSFER = "transfer", "Bank transfer"
    OTHER = "other", "Other"


class Payment(models.Model):
    """Money the client paid towards an invoice."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="payments")
    date = models.DateField()
    amount = models.DecimalField(
        **MONEY, validators=[MinValueValidator(Decimal("0.01"), "A payment must be positive.")]
    )
    method = models.CharField(
        max_length=10, choices=PaymentMethod.choices, default=PaymentMethod.CARD
    )
    reference = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.amount} on {self.date}"


class StatusLink(models.Model):
    """The private address of an invoice's status page ("/status/drst_…/"), which the client
    opens without logging in to see where their orders are.

    The address is the key, so Darkroom keeps only its hash (``studio.services.secret_hash``)
    and its first characters, to tell links apart. It is not random but *derived*: an HMAC,
    under the installation's secret key, of the invoice and the link's ``generation`` (the
    invoice's first link is 1, the next 2, …; ``clients.status_links.status_link_key``). That
    is what lets a message template say ``{status_page_link}`` long after the link was made,
    and lets the invoice page offer "Copy the link" at any time, without the address being
    stored anywhere in clear: whoever can read the database still can't open a page without the
    secret key. Revoking a link and making a new one moves to the next generation, so the old
    address never works again. Changing the secret key changes every derivation: a link made
    before then keeps working (its hash is what is looked up) but can no longer be re-derived,
    so the next message or "Copy" makes a fresh one.

    A link is revoked, never deleted; at most one per invoice works at a time (the database
    keeps that true), and it may stop working by itself at ``expires_at``.
    """

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="status_links")
    generation = models.PositiveIntegerField(help_text="1 for the invoice's first link, and so on.")
    key_hash = models.CharField(max_length=64, unique=True)
    key_prefix = models.CharField(
        max_length=12, help_text="The address's first characters, to tell links apart."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when a message made it (a trigger's template used the link).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="When it stops working by itself; empty = never."
    )
    last_opened_at = models.DateTimeField(
        null=True, blank=True, help_text="When the page was last opened (noted every few minutes)."
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-generation"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "generation"], name="statuslink_one_per_generation"
            ),
            # One working link per invoice: making a new one revokes the one before.
            models.UniqueConstraint(
                fields=["invoice"],
                condition=Q(revoked_at__isnull=True),
                name="statuslink_one_working_per_invoice",
            ),
        ]

    def __str__(self) -> str:
        return f"status link {self.key_prefix}… of invoice {self.invoice_id}"

    def works_at(self, moment: dt.datetime) -> bool:
        """Whether the address opens the page at ``moment``: not revoked, not expired."""
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > moment)
