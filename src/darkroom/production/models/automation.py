"""The studio's production automation: when an invoice's production orders are made without
anyone choosing "Create", and what happens when they are all finished (the rules are
``production/automation.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AutomationMoment(models.TextChoices):
    """When an invoice's production orders are made without anyone choosing "Create"."""

    NEVER = "never", "Never (staff create them)"
    INVOICE_SAVED = "invoice_saved", "When the invoice is first saved"
    FIRST_PAYMENT = "first_payment", "When the invoice gets its first payment"
    PAID_PERCENT = "paid_percent", "When the invoice is paid at least a share of its total"
    PAID_IN_FULL = "paid_in_full", "When the invoice is paid in full"
    INVOICE_STATUS = "invoice_status", "When the invoice enters a chosen status"


class AutomationAction(models.TextChoices):
    """What happens at that moment: the orders are made, or the person is asked."""

    CREATE = "create", "Create the orders for all necessary vendors"
    PROMPT = "prompt", "Ask the person whether to create them"


class ProductionAutomation(models.Model):
    """The studio's production automation (a single row, like the studio preferences).

    *Creating*: at ``moment`` an invoice that has no production orders yet gets them (one per
    vendor its lines need, details automatic) or the person is prompted. *Finishing*: when every
    production order of an invoice is final, the invoice may move to ``finished_invoice_status``,
    get its delivered date, and a task may go to ``finished_task_user``. The rules live in
    ``production/automation.py``.
    """

    moment = models.CharField(
        max_length=20, choices=AutomationMoment.choices, default=AutomationMoment.NEVER
    )
    action = models.CharField(
        max_length=10, choices=AutomationAction.choices, default=AutomationAction.CREATE
    )
    paid_percent = models.PositiveSmallIntegerField(
        "paid at least (%)",
        null=True,
        blank=True,
        help_text="For “paid at least a share”: the share of the total, 1 to 100.",
    )
    invoice_status = models.ForeignKey(
        "tracking.Status",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="For “enters a chosen status”: a status of the invoice cycle.",
    )
    finished_invoice_status = models.ForeignKey(
        "tracking.Status",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="When every order is final, move the invoice to this status (empty: leave it).",
    )
    finished_sets_delivered_date = models.BooleanField(
        "set the delivered date",
        default=False,
        help_text="When every order is final, set the invoice's delivered date to that day.",
    )
    finished_task_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="When every order is final, give this person a task to deliver the invoice.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "production automation"
        verbose_name_plural = "production automation"

    def __str__(self) -> str:
        return "Production automation"
