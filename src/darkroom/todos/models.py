"""The studio's tasks: to-dos, phone calls and letters for a person and/or a department.

A task may stand alone or point at the records it is about (a client, a session, an invoice, a
preproduction or production order). It follows the task status cycle like any tracked record
(``TrackedRecord``: those fields belong to the status engine); who owns the task and when it is
due are the task's own ``assigned_user``/``assigned_department`` and ``due_on``, which a person
sets, whatever the current step's defaults are.

A *private* task is seen only by the person who wrote it and the person it is assigned to.
"""

from __future__ import annotations

from typing import NamedTuple, cast

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from darkroom.tracking.models import TrackedRecord

# The records a task may point at: field name → what the studio calls it.
LINKS = {
    "client": "client",
    "session": "session",
    "invoice": "invoice",
    "preproduction_order": "preproduction order",
    "production_order": "production order",
}


def linked_model(name: str) -> type[models.Model]:
    """The model a task's link ``name`` points at (every link is a foreign key to a model)."""
    return cast("type[models.Model]", Task._meta.get_field(name).related_model)


class TaskLink(NamedTuple):
    name: str  # the field: "invoice"
    label: str  # what the studio calls it: "invoice"
    text: str  # the record in words: "Invoice 00012"
    url: str


class TaskKind(models.TextChoices):
    TODO = "todo", "To-do"
    CALL = "call", "Phone call"
    LETTER = "letter", "Letter"


class Task(TrackedRecord):
    """ "Call Ann Lee about her album proofs", due Thursday, for the front desk."""

    kind = models.CharField(max_length=10, choices=TaskKind.choices, default=TaskKind.TODO)
    subject = models.CharField(max_length=200)
    notes = models.TextField(blank=True)
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    session = models.ForeignKey(
        "clients.Session", on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    invoice = models.ForeignKey(
        "clients.Invoice", on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    preproduction_order = models.ForeignKey(
        "production.PreproductionOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
    )
    production_order = models.ForeignKey(
        "production.ProductionOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
    )
    assigned_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name="for",
    )
    assigned_department = models.ForeignKey(
        "studio.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name="department",
    )
    due_on = models.DateField("due", null=True, blank=True)
    urgent = models.BooleanField(default=False)
    private = models.BooleanField(
        default=False, help_text="Only you and the person it is for can see it."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            # Department members can't see a private task, so it can't be theirs alone.
            models.CheckConstraint(
                condition=~Q(
                    private=True, assigned_user__isnull=True, assigned_department__isnull=False
                ),
                name="task_private_is_for_a_person",
            )
        ]
        indexes = [
            # "My open tasks" and "my departments' open tasks", soonest due first.
            models.Index(
                fields=["assigned_user", "due_on"],
                condition=Q(completed_date__isnull=True),
                name="task_open_user_due_idx",
            ),
            models.Index(
                fields=["assigned_department", "due_on"],
                condition=Q(completed_date__isnull=True),
                name="task_open_dept_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def tracking_scopes(self) -> tuple[str, ...]:
        return ("task",)

    def get_absolute_url(self) -> str:
        return reverse("todos:task-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.completed_date is None

    def links(self) -> list[TaskLink]:
        """The records the task is about, in a fixed order, as a page shows them."""
        found = []
        for name, label in LINKS.items():
            if getattr(self, f"{name}_id") is None:
                continue
            record = getattr(self, name)
            text = record.name if name == "client" else str(record)
            if name == "session":
                text = f"Session {text}"
            found.append(TaskLink(name, label, text, record.get_absolute_url()))
        return found
