"""The studio's own records: its preferences, departments and API tokens."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

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
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "studio preferences"
        verbose_name_plural = "studio preferences"

    def __str__(self) -> str:
        return self.name

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


class ApiToken(models.Model):
    """A secret an integrator sends as ``Authorization: Bearer …``; only its hash is kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"token {self.pk} of {self.user}"
