"""Status cycles, their statuses, the status each tracked record is in, and its history.

A *cycle* is the ordered list of steps one kind of record goes through (sessions, invoices,
preproduction orders, each production order type, tasks). A *status* is one step. A record that
is tracked carries the fields of :class:`TrackedRecord`; they are written only by
``darkroom.tracking.services`` (ARCHITECTURE rule 2), which also appends a
:class:`StatusNote` for each change.

Code branches on ``is_initial``, ``is_final``, ``is_inactive`` and position, never on a
description: the studio names its steps as it likes.

One module: cycles, statuses, the tracked record's fields and the history rows refer to one
another (a note names two statuses, a record its status and cycle), and Django's migrations
read them as one app's models.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import ClassVar

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

from darkroom.record_shapes import OrderedRecord

# Longer than any real step; keeps due dates far from the calendar's year-9999 edge.
MOST_BUSINESS_DAYS = 999


class CycleKind(models.TextChoices):
    SESSION = "session", "Sessions"
    INVOICE = "invoice", "Invoices"
    PREPRODUCTION = "preproduction", "Preproduction orders"
    PRODUCTION = "production", "Production orders"
    TASK = "task", "Tasks"


def cycle_scope(kind: str, order_type_id: int | None, session_type_id: int | None) -> str:
    """The key that names a cycle uniquely: "invoice", "production:3", "session:type:7".

    Stored in ``Cycle.scope`` under a plain unique constraint. A unique constraint over
    (kind, order_type, session_type) would not do: both SQLite and PostgreSQL treat NULLs as
    distinct, so two "invoice" cycles (both NULLs) would pass; ``nulls_distinct`` is
    PostgreSQL-15-only. One computed key is portable and is also what a lookup uses.
    """
    if order_type_id is not None:
        return f"{kind}:{order_type_id}"
    if session_type_id is not None:
        return f"{kind}:type:{session_type_id}"
    return kind


class Cycle(models.Model):
    """The ordered steps one kind of record goes through: "the Album Order cycle"."""

    kind = models.CharField(max_length=16, choices=CycleKind.choices)
    order_type = models.ForeignKey(
        "catalog.ProductionOrderType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cycles",
        help_text="Production cycles: the order type whose cycle this is.",
    )
    session_type = models.ForeignKey(
        "clients.SessionType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cycles",
        help_text="Session cycles, when the studio tracks sessions by type.",
    )
    name = models.CharField(max_length=80)
    scope = models.CharField(max_length=40, unique=True, editable=False)
    # A new random number whenever one of its statuses is written (tracking/services/cycles.py):
    # the key under which each process keeps the cycle's steps for the status-change service.
    # Random, not counted, so that a version rolled back with its transaction never names other
    # steps.
    version = models.BigIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["kind", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="production", order_type__isnull=False)
                | (~Q(kind="production") & Q(order_type__isnull=True)),
                name="cycle_order_type_only_for_production",
            ),
            models.CheckConstraint(
                condition=Q(session_type__isnull=True) | Q(kind="session"),
                name="cycle_session_type_only_for_sessions",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Status(OrderedRecord):
    """One step of a cycle: "Retouch" (3 business days, Retouching department)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="statuses")
    description = models.CharField(max_length=80)
    default_duration = models.PositiveSmallIntegerField(
        "default duration",
        default=0,
        validators=[
            MaxValueValidator(MOST_BUSINESS_DAYS, f"At most {MOST_BUSINESS_DAYS} business days.")
        ],
        help_text="Business days the step usually takes; 0 = due the day it starts.",
    )
    default_department = models.ForeignKey(
        "studio.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    default_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_initial = models.BooleanField("initial", default=False)
    is_final = models.BooleanField("final", default=False)
    # What the client's status page says of this step (client_pages). Hidden by default: a
    # step's own description is the studio's word ("Send to Miller's", "Fix skin — Ana") and
    # may name a vendor or a person, so a studio shows a step only once it has chosen to.
    client_visible = models.BooleanField(
        "shown to clients",
        default=False,
        help_text="Show this step on the client's status page. A hidden step shows as the "
        "last shown step the order reached (or “In progress”).",
    )
    client_name = models.CharField(
        "name for clients",
        max_length=80,
        blank=True,
        help_text="What the client reads, e.g. “Being retouched”; empty = the description.",
    )

    class Meta:
        verbose_name_plural = "statuses"
        ordering = ["cycle", "position", "id"]
        indexes = [models.Index(fields=["cycle", "position"], name="status_cycle_position")]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle"], condition=Q(is_initial=True), name="status_one_initial_per_cycle"
            ),
            models.UniqueConstraint(
                fields=["cycle"], condition=Q(is_final=True), name="status_one_final_per_cycle"
            ),
            models.CheckConstraint(
                condition=~Q(is_initial=True, is_final=True), name="status_initial_is_not_final"
            ),
            models.CheckConstraint(
                condition=~Q(is_initial=True, is_inactive=True)
                & ~Q(is_final=True, is_inactive=True),
                name="status_initial_and_final_stay_active",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def is_active(self) -> bool:
        return not self.is_inactive

    @property
    def client_label(self) -> str:
        """The step's name on the client's status page (whether it is shown is
        ``client_visible``'s to say)."""
        return self.client_name.strip() or self.description


class TrackedRecord(models.Model):
    """The fields a record carries once it follows a cycle (sessions, invoices, orders, tasks).

    Written only by the status-change service. ``status_entered_on`` is the studio date the
    record entered its current status (the *date completed* of the previous step): forward due
    dates are counted from it, so recomputing them after a closure needs nothing else, and a
    new change may not be dated before it. ``version`` rises on every change, so two people
    changing the same record at once get a conflict rather than a lost change.
    """

    # Not columns: the status's cycle and that cycle's version, which ``status_rows.read_record``
    # reads with the record so a change needs no other query to find the cycle's steps.
    cycle_of_status: int
    cycle_version: int

    status = models.ForeignKey(
        "tracking.Status", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status_entered_on = models.DateField(null=True, blank=True, editable=False)
    status_due_date = models.DateField("status due date", null=True, blank=True)
    status_due_overridden = models.BooleanField(default=False)
    status_department = models.ForeignKey(
        "studio.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="assigned department",
    )
    status_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="assigned user",
    )
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_date = models.DateField(null=True, blank=True)
    projected_completion = models.DateField(
        "projected completion",
        null=True,
        blank=True,
        editable=False,
        help_text="When the record should reach its final status: the remaining steps' "
        "durations chained on the calendar from the current due date.",
    )
    remaining_days = models.PositiveIntegerField(
        "remaining business days",
        null=True,
        blank=True,
        editable=False,
        help_text="Business days from the current due date to the projected completion, on the "
        "calendar the projection was made on: what a late record's projection counts from today "
        "(tracking/standing.py), so that SQL can tell which late orders are at risk.",
    )
    version = models.PositiveIntegerField(default=1)

    # The relations a list joins so that each record's state (status, assigned department and
    # person) costs no query of its own when it is shown or answered.
    STATE_RELATIONS: ClassVar[tuple[str, ...]] = ("status", "status_department", "status_user")

    # What a kind of record tells the engine about itself (class attributes, overridden below):
    # the field holding the date promised to the client (None: no promise, never at risk);
    # the vendor whose closures add to the studio's for its due dates (None: the studio's own);
    # whether the studio's backward due-date mode applies to it (production orders only).
    PROMISED_DATE_FIELD: ClassVar[str | None] = None
    VENDOR_FIELD: ClassVar[str | None] = None
    BACKWARD_SCHEDULED: ClassVar[bool] = False

    class Meta:
        abstract = True

    def tracking_scopes(self) -> tuple[str, ...]:
        """The cycle scopes this record may follow, most specific first (see ``cycle_for``)."""
        raise NotImplementedError(f"{type(self).__name__} does not follow a status cycle")

    def tracking_vendor_id(self) -> int | None:
        """The vendor whose closures add to the studio's for this record's due dates."""
        return getattr(self, f"{self.VENDOR_FIELD}_id") if self.VENDOR_FIELD else None

    @classmethod
    def schedule_fields(cls) -> list[str]:
        """The fields a due date is computed from: what recomputing needs to read."""
        fields = ["id", "status", "status_entered_on", "status_due_date"]
        fields += ["status_due_overridden", "projected_completion", "remaining_days"]
        fields += ["version", "status_changed_at"]
        return fields + [f for f in (cls.PROMISED_DATE_FIELD, cls.VENDOR_FIELD) if f]

    def promised_delivery(self) -> dt.date | None:
        """The date promised to the client, when this kind of record has one."""
        field = self.PROMISED_DATE_FIELD
        return getattr(self, field) if field else None

    @classmethod
    def open_due_date_index(cls, name: str) -> models.Index:
        """An index over the due dates of open records only ("what is overdue" stays fast)."""
        return models.Index(
            fields=["status_due_date"], condition=Q(completed_date__isnull=True), name=name
        )

    @classmethod
    def open_assignment_indexes(cls, prefix: str) -> list[models.Index]:
        """Indexes over the open records assigned to one person and to one department, by due
        date: what a person's or a department's calendar feed reads (feeds/selectors.py)."""
        return [
            models.Index(
                fields=[field, "status_due_date", "id"],
                condition=Q(completed_date__isnull=True),
                name=f"{prefix}_open_{short}_due_idx",
            )
            for field, short in (("status_user", "user"), ("status_department", "dept"))
        ]


def tracked_models() -> Iterator[type[TrackedRecord]]:
    """Every kind of record that follows a status cycle."""
    for model in apps.get_models():
        if issubclass(model, TrackedRecord):
            yield model


class NoteKind(models.TextChoices):
    START = "start", "Started"
    CHANGE = "change", "Status changed"
    RECOMPUTE = "recompute", "Due date recomputed"
    DUE = "due", "Due date moved"
    REASSIGN = "reassign", "Reassigned"
    EDIT = "edit", "Edited"
    DETAILS = "details", "Detail lines changed"


class StatusNote(models.Model):
    """One status change of one record: from, to, when, by whom, due when. Never edited.

    Points at its record generically (sessions, invoices and orders all have histories). The
    first note of a record (kind "start") has no ``from_status``. A "recompute" note records a
    due date moved by the calendar or the promised date (``previous_due_date`` → ``due_date``,
    the reason in ``note``); its from and to are the status the record stayed in. A "due" note
    records a person moving the current status's due date by hand (``services.due_date_moves``),
    written the same way, with who did it. A "reassign" note records the work handed to another
    department or person without a status change (``previous_department``/``previous_user`` →
    ``department``/``user``; ``services.reassignment``); an "edit" note records a field of the
    record edited by hand (an order's type or date; what changed is in ``note``).
    A "details" note records a production order's detail line added, changed, moved or deleted
    (``production.services.details``): what happened is in ``note``, its from and to are the
    status the order stayed in. ``entered_by`` is set when the person who entered a change is not
    who did it.
    ``business_days_taken`` is how long the step that was left took, ``planned_duration`` what
    it was planned to take (the status's default then), so "time in status" reports need no
    recomputation. ``business_days_late`` is how late the step was left against the due date it
    had then (``tracking.standing.business_days_late``: positive when late, zero or negative
    when on time; empty when the step had no due date), on the record's calendar at the time of
    the change, so the vendor performance report needs no calendar.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=10, choices=NoteKind.choices, default=NoteKind.CHANGE)
    from_status = models.ForeignKey(
        Status, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_status = models.ForeignKey(Status, on_delete=models.PROTECT, related_name="+")
    date_completed = models.DateField()
    not_complete = models.BooleanField(
        default=False, help_text="The step left was not completed (e.g. put on hold)."
    )
    due_date = models.DateField(null=True, blank=True)
    due_overridden = models.BooleanField(default=False)
    previous_due_date = models.DateField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty on recompute notes: the calendar or the promised date moved the date.",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who entered the change when it is not who did the step (``updated_by``): "
        "the front desk recording a retoucher's work. Empty when they are the same person.",
    )
    department = models.ForeignKey(
        "studio.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    previous_department = models.ForeignKey(
        "studio.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Reassign rows: the department that held the work before.",
    )
    previous_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Reassign rows: the person who held the work before.",
    )
    note = models.TextField(blank=True)
    changed_at = models.DateTimeField()
    business_days_taken = models.IntegerField(null=True, blank=True)
    planned_duration = models.PositiveSmallIntegerField(null=True, blank=True)
    # Nullable on purpose: a NOT NULL column would make SQLite rebuild the table (and drop the
    # triggers that keep the vendors' summary, reports/migrations/0003_vendor_performance.py).
    business_days_late = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["changed_at", "id"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "changed_at"], name="statusnote_record"
            )
        ]

    def __str__(self) -> str:
        start = f"{self.from_status} → " if self.from_status_id else ""
        return f"{start}{self.to_status} on {self.date_completed:%Y-%m-%d}"
