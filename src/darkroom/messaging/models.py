"""Triggers, their templates, the firings they plan and the messages they send.

A *trigger* watches one status of one cycle: when a record enters that status (or N business
days before or after its due date for it) the trigger *fires* for that record's *stay* in the
status. Each firing is a row written in the status change's own transaction, unique per
(trigger, stay), with the studio day it is due and a state that ends visibly (processed,
skipped, deleted, cancelled, suppressed) with a reason. A stay is named by the moment the record
entered the status, so leaving the status and coming back is a new stay and may fire again.

Processing a firing makes a task (a to-do, a phone call or a letter, in ``todos``) or writes
*messages*: the outbox. A message is recorded, its text frozen, before anything is attempted;
the worker delivers it with retries. Its ``key`` is derived from its firing, channel and
recipient, so one event can never queue the same message twice, and the email's Message-ID is
made from it, so a repeat after a crash is recognisable.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

# The furthest a trigger may fire from a due date: a year of business days.
MOST_OFFSET_DAYS = 250


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "SMS"
    LETTER = "letter", "Letter"


class MessageTemplate(models.Model):
    """ "Your album is ready": the words of an email, SMS or letter, with placeholders."""

    name = models.CharField(max_length=80, unique=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    subject = models.CharField(
        max_length=200, blank=True, help_text="Emails and letters; placeholders allowed."
    )
    body = models.TextField()
    is_inactive = models.BooleanField("inactive", default=False)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class TriggerWhen(models.TextChoices):
    ENTERED = "entered", "On entering the status"
    BEFORE_DUE = "before_due", "Business days before the due date"
    AFTER_DUE = "after_due", "Business days after the due date"


class TriggerAction(models.TextChoices):
    TASK = "task", "Task"
    CALL = "call", "Phone call"
    LETTER = "letter", "Letter"
    EMAIL = "email", "Email"
    SMS = "sms", "SMS"
    EMAIL_ELSE_CALL = "email_else_call", "Email, else a phone call"
    EMAIL_ELSE_LETTER = "email_else_letter", "Email, else a letter"
    SMS_ELSE_EMAIL = "sms_else_email", "SMS, else an email"
    SMS_ELSE_CALL = "sms_else_call", "SMS, else a phone call"


class Recipient(models.TextChoices):
    CLIENT = "client", "The client"
    VENDOR = "vendor", "The order's vendor"
    ASSIGNED_USER = "assigned_user", "The assigned person"
    DEPARTMENT = "department", "Everyone in the assigned department"
    FIXED = "fixed", "A fixed address or number"


class Processing(models.TextChoices):
    AUTOMATIC = "automatic", "Automatic"
    REVIEW = "review", "Review first"


class Trigger(models.Model):
    """ "Call the client 3 business days after an album went to the lab, if it is not back"."""

    name = models.CharField(max_length=120)
    cycle = models.ForeignKey("tracking.Cycle", on_delete=models.PROTECT, related_name="triggers")
    status = models.ForeignKey("tracking.Status", on_delete=models.PROTECT, related_name="triggers")
    when = models.CharField(max_length=12, choices=TriggerWhen.choices, default=TriggerWhen.ENTERED)
    days = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(MOST_OFFSET_DAYS, f"At most {MOST_OFFSET_DAYS} days.")],
        help_text="Business days before or after the due date (not used on entering).",
    )
    action = models.CharField(max_length=20, choices=TriggerAction.choices)
    recipient = models.CharField(max_length=16, choices=Recipient.choices, default=Recipient.CLIENT)
    fixed_to = models.CharField(
        "fixed address or number",
        max_length=254,
        blank=True,
        help_text="An email address or a mobile number, for the fixed recipient.",
    )
    template = models.ForeignKey(
        MessageTemplate, on_delete=models.PROTECT, null=True, blank=True, related_name="triggers"
    )
    fallback_template = models.ForeignKey(
        MessageTemplate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The words of the email or letter a fallback sends (SMS else email, "
        "email else letter).",
    )
    task_subject = models.CharField(
        "task title",
        max_length=200,
        blank=True,
        help_text="Tasks, calls and letters; placeholders allowed.",
    )
    task_department = models.ForeignKey(
        "studio.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    task_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    task_due_days = models.PositiveSmallIntegerField(
        "task due in (business days)",
        default=0,
        validators=[MaxValueValidator(MOST_OFFSET_DAYS, f"At most {MOST_OFFSET_DAYS} days.")],
    )
    skip_do_not_market = models.BooleanField("skip do-not-market clients", default=False)
    skip_do_not_call = models.BooleanField("skip do-not-call clients", default=False)
    processing = models.CharField(
        max_length=10, choices=Processing.choices, default=Processing.REVIEW
    )
    hold_until_business_hours = models.BooleanField(default=False)
    is_active = models.BooleanField("active", default=True)
    # Events before this moment never fire the trigger: it acts going forward only.
    active_since = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["cycle", "status__position", "name", "id"]
        indexes = [models.Index(fields=["status", "is_active"], name="trigger_status_active")]

    def __str__(self) -> str:
        return self.name


class FiringState(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    DUE = "due", "Due"
    IN_REVIEW = "in_review", "In review"
    PROCESSED = "processed", "Processed"
    SKIPPED = "skipped", "Skipped"
    DELETED = "deleted", "Deleted"
    CANCELLED = "cancelled", "Cancelled"
    SUPPRESSED = "suppressed", "Suppressed"


# A firing in one of these states still has something to do.
WAITING_STATES = (FiringState.SCHEDULED, FiringState.DUE)


class Firing(models.Model):
    """One trigger firing for one stay of one record in the trigger's status."""

    # Every status change into a watched status inserts firings, so the table carries no index
    # it does not need: the trigger and the content type lead the unique constraint and the
    # record index below, and the person and the task (empty until a firing is decided) have
    # partial indexes.
    trigger = models.ForeignKey(
        Trigger, on_delete=models.PROTECT, related_name="firings", db_index=False
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    object_id = models.PositiveBigIntegerField()
    # The record's version right after it entered the status: it names the stay (versions
    # are never reused). A timed firing acts only while the record is still in the status it
    # entered at ``stay_started_at`` (its ``status_changed_at``).
    stay = models.PositiveIntegerField()
    stay_started_at = models.DateTimeField()
    due_on = models.DateField(help_text="The studio day the firing acts.")
    state = models.CharField(
        max_length=12, choices=FiringState.choices, default=FiringState.SCHEDULED
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    task = models.ForeignKey(
        "todos.Task",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["trigger", "content_type", "object_id", "stay"],
                name="firing_once_per_stay",
            )
        ]
        indexes = [
            models.Index(
                fields=["due_on"],
                condition=Q(state__in=["scheduled", "due"]),
                name="firing_waiting_due",
            ),
            models.Index(
                fields=["trigger"], condition=Q(state="in_review"), name="firing_in_review"
            ),
            models.Index(fields=["content_type", "object_id"], name="firing_record"),
            models.Index(
                fields=["decided_by"],
                condition=Q(decided_by__isnull=False),
                name="firing_decided_by",
            ),
            models.Index(fields=["task"], condition=Q(task__isnull=False), name="firing_task"),
        ]

    def __str__(self) -> str:
        return f"{self.trigger} for {self.content_type.model} {self.object_id} ({self.state})"


class MessageState(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    RETRY = "retry", "Waiting to retry"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    ABORTED = "aborted", "Aborted"


# States the worker still acts on.
PENDING_STATES = (MessageState.QUEUED, MessageState.RETRY)


class Message(models.Model):
    """One email or SMS in the outbox: its text frozen when it was written, before any attempt."""

    key = models.CharField(max_length=64, unique=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    to = models.CharField(max_length=254)
    to_name = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    state = models.CharField(max_length=10, choices=MessageState.choices, default="queued")
    reason = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When the worker may next try: the moment it was written, the studio's opening time for
    # a held message, or the end of a back-off.
    next_attempt_at = models.DateTimeField()
    sending_since = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_reference = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    firing = models.ForeignKey(
        Firing, on_delete=models.PROTECT, null=True, blank=True, related_name="messages"
    )
    resend_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="resends"
    )
    # What the message is about, for the communication logs of each page.
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    session = models.ForeignKey(
        "clients.Session", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    invoice = models.ForeignKey(
        "clients.Invoice", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state__in=["queued", "retry"]),
                name="message_pending",
            ),
            models.Index(
                fields=["sending_since"], condition=Q(state="sending"), name="message_sending"
            ),
            models.Index(fields=["state", "created_at"], name="message_state_created"),
            models.Index(fields=["content_type", "object_id"], name="message_record"),
            models.Index(fields=["client", "created_at"], name="message_client"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to {self.to} ({self.state})"


class MessageAttempt(models.Model):
    """One try at delivering a message: when, how it ended, what the server said."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="tries")
    started_at = models.DateTimeField()
    outcome = models.CharField(max_length=10)  # sent / retry / failed
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"{self.outcome} at {self.started_at:%Y-%m-%d %H:%M}"
