"""The studio's own records: its preferences, departments and API tokens."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from darkroom.formats import is_currency, is_locale

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONDAY_TO_FRIDAY = 0b0011111


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a time zone name (e.g. Europe/London).")


def validate_work_days(value: int) -> None:
    if not 0 < value < 128:
        raise ValidationError("The work week needs at least one day.")


class DueDateMode(models.TextChoices):
    FORWARD = "forward", "Forward from the date each step starts"
    BACKWARD = "backward", "Backward from the invoice's promised delivery date"


class ProfitCosts(models.TextChoices):
    """Where the profit analysis takes the cost of what a session's invoices sold."""

    PRICE_LIST = "price_list", "The price list's item costs (invoice lines × item cost)"
    VENDOR_INVOICES = "vendor_invoices", "The production orders' vendor invoice amounts"


class StudioPreferences(models.Model):
    """The studio's name, address, time zone and calendar choices (a single row)."""

    name = models.CharField(max_length=120, default="My Studio")
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    # Bit i set = weekday i (Monday = 0) is a work day.
    work_days_mask = models.PositiveSmallIntegerField(
        default=MONDAY_TO_FRIDAY, validators=[validate_work_days]
    )
    due_date_mode = models.CharField(
        max_length=10, choices=DueDateMode.choices, default=DueDateMode.FORWARD
    )
    opens_at = models.TimeField(
        "opens at",
        default=dt.time(9, 0),
        help_text="Messages held until business hours wait for this time on a business day.",
    )
    closes_at = models.TimeField(
        "closes at",
        default=dt.time(17, 30),
        help_text="Held messages written after this time wait for the next business day.",
    )
    country = models.CharField(
        max_length=2,
        default="US",
        help_text="Two letters (US, GB, DE…): phone numbers without a country code are read as "
        "this country's.",
    )
    locale = models.CharField(
        "dates and money written as in",
        max_length=16,
        default="en-US",
        help_text="Language and region (en-US, en-GB, de-DE…): how every page, document, export "
        "and message writes a date and an amount.",
    )
    currency = models.CharField(
        max_length=3,
        default="USD",
        help_text="Three letters (ISO 4217: USD, EUR, GBP…): the currency of every amount.",
    )
    statuses_by_session_type = models.BooleanField(
        "statuses by session type",
        default=False,
        help_text="Each session type may have its own status cycle (else all share one).",
    )
    profit_costs = models.CharField(
        "profit analysis costs",
        max_length=20,
        choices=ProfitCosts.choices,
        default=ProfitCosts.PRICE_LIST,
        help_text="Where the profit analysis takes product costs from (preproduction costs are "
        "always added).",
    )
    # A new random number on every calendar write (calendar_changed, studio/calendar/): part of
    # the key under which each process keeps its business calendar. Random rather than counted so
    # that the number of a write that was rolled back never comes back meaning something else.
    calendar_version = models.BigIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "studio preferences"
        verbose_name_plural = "studio preferences"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Rules between fields and against the phone-number library: the country must be one
        ``phonenumbers`` knows (numbers without a country code are read as its), the locale and
        currency ones dates and money can be written in, and the studio closes after it opens
        (held messages wait for those hours)."""
        import phonenumbers

        errors: dict[str, str] = {}
        if self.country not in phonenumbers.SUPPORTED_REGIONS:
            errors["country"] = (
                f"“{self.country}” is not a country code phone numbers know: two letters such "
                "as US, GB or DE."
            )
        if not is_locale(self.locale):
            errors["locale"] = (
                f"“{self.locale}” is not a language and region Darkroom writes dates in: "
                "such as en-US, en-GB or de-DE."
            )
        if not is_currency(self.currency):
            errors["currency"] = (
                f"“{self.currency}” is not a currency code: three letters such as USD, EUR or GBP."
            )
        hours = (self.opens_at, self.closes_at)
        if None not in hours and self.closes_at <= self.opens_at:
            errors["closes_at"] = "The studio must close after it opens."
        if errors:
            raise ValidationError(errors)

    @property
    def work_days(self) -> frozenset[int]:
        return frozenset(i for i in range(7) if self.work_days_mask >> i & 1)

    @property
    def work_day_names(self) -> list[str]:
        return [WEEKDAY_NAMES[i] for i in sorted(self.work_days)]

    def today(self) -> dt.date:
        """The studio's local date: what "today" means for due dates."""
        return timezone.now().astimezone(zoneinfo.ZoneInfo(self.time_zone)).date()


class Department(models.Model):
    """A group of people work can be assigned to (a person may be in several)."""

    name = models.CharField(max_length=80, unique=True)
    description = models.CharField(max_length=200, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="departments", blank=True
    )
    is_inactive = models.BooleanField("inactive", default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TokenState(models.TextChoices):
    ACTIVE = "active", "Active"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"


class ApiToken(models.Model):
    """A secret an integrator sends as ``Authorization: Bearer …``; only its hash is kept.

    A person may hold several, each named for what it is for. The first characters of the secret
    (``key_prefix``) are kept in clear so people can tell their tokens apart. A revoked token
    keeps its row, with who revoked it and when, so the studio can see what was cut off; it never
    works again, whatever happens to its person afterwards.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key_hash = models.CharField(max_length=64, unique=True)
    key_prefix = models.CharField(
        max_length=12, blank=True, help_text="Empty for tokens made before prefixes were kept."
    )
    name = models.CharField(max_length=80, blank=True, help_text="What the token is for.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty: works until revoked."
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
        indexes = [models.Index(fields=["user", "-created_at"], name="apitoken_user_newest")]

    def __str__(self) -> str:
        return f"token {self.name or self.pk} of {self.user}"

    def state(self, now: dt.datetime | None = None) -> TokenState:
        """Whether the token still opens the API: the one rule for revoked and expired."""
        if self.revoked_at is not None:
            return TokenState.REVOKED
        if self.expires_at is not None and self.expires_at <= (now or timezone.now()):
            return TokenState.EXPIRED
        return TokenState.ACTIVE


MAX_CLOSURE_DAYS = 366


class ClosureSource(models.TextChoices):
    MANUAL = "manual", "Added by hand"
    HOLIDAYS = "holidays", "Imported holidays"


class Closure(models.Model):
    """A day, or a run of days, when the studio (or one vendor) is closed: a holiday, a vacation.

    Closures are not business days, so due dates skip them. A closure without a vendor is the
    studio's own; a vendor's closures add to the studio's when an order of that vendor is
    scheduled. Written only through the services in studio/calendar/, which keep every
    process's cached calendar current.
    """

    first_date = models.DateField()
    last_date = models.DateField(help_text="The same as the first date for a single day.")
    label = models.CharField(max_length=200, help_text="e.g. “Studio vacation”, “Christmas Day”")
    source = models.CharField(
        max_length=10, choices=ClosureSource.choices, default=ClosureSource.MANUAL
    )
    # Where imported holidays came from (ISO 3166 country, and subdivision such as "CA" or "SCT").
    country = models.CharField(max_length=3, blank=True)
    subdivision = models.CharField(max_length=10, blank=True)
    vendor = models.ForeignKey(
        "catalog.Vendor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="closures",
        help_text="Empty: the studio itself is closed.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["first_date", "last_date", "id"]
        indexes = [models.Index(fields=["vendor", "first_date"], name="closure_vendor_first_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_date__gte=models.F("first_date")),
                name="closure_ends_on_or_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.dates_text})"

    def clean(self) -> None:
        if self.first_date is None or self.last_date is None:
            return
        if self.last_date < self.first_date:
            raise ValidationError({"last_date": "The closure ends before it starts."})
        if self.days > MAX_CLOSURE_DAYS:
            raise ValidationError(
                {
                    "last_date": f"A closure can last at most {MAX_CLOSURE_DAYS} days; "
                    "add a longer one in parts."
                }
            )

    @property
    def days(self) -> int:
        """How many calendar days the closure covers (1 for a single date)."""
        return (self.last_date - self.first_date).days + 1

    @property
    def dates_text(self) -> str:
        """The dates as people read them: 2026-12-25, or 2026-12-21 to 2027-01-01 for a range."""
        if self.first_date == self.last_date:
            return self.first_date.isoformat()
        return f"{self.first_date.isoformat()} to {self.last_date.isoformat()}"

    @property
    def source_text(self) -> str:
        """Where the closure came from: added by hand, or imported holidays ("Holidays US-CA")."""
        if self.source == ClosureSource.HOLIDAYS:
            region = "-".join(code for code in (self.country, self.subdivision) if code)
            return f"Holidays {region}".strip()
        return self.get_source_display()


class ListsStamp(models.Model):
    """Where the studio's lists stand: one row whose ``stamp`` the database sets to a new random
    number whenever a list that pages keep per process changes (vendors, order types, priority
    codes, departments, people and their roles, statuses and cycles, the preferences).

    Why: every hub page offered the same few hundred choices and checked the same person's
    permissions, six and three queries each time, though those lists change a few times a
    year. A page now asks for this one row and reuses what it read while the stamp stays the
    same (``darkroom/studio/kept.py``); with several worker processes, each finds out from the
    database itself. Triggers set it (``migrations/0008_lists_stamp.py``), so no write can
    forget to, whatever path it takes. Random, not counted up: a number once seen never comes
    back, not after a rolled-back change nor after the tables are emptied and filled again.
    """

    stamp = models.BigIntegerField()

    class Meta:
        db_table = "studio_lists_stamp"

    def __str__(self) -> str:
        return f"lists stamp {self.stamp}"
