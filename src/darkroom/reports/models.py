"""What the reports keep beside the records they read: the status history summed per status and
day (``StatusFlow``), kept by the database's triggers on the history rows.

Why a summary: the workload report's backlog — how many open orders sat in each status at the end
of each week — would otherwise replay every status note ever written (5.6 million at a studio of a
million orders) on every request. Summed per (status, day) it is a few tens of thousands of rows:
the backlog of a status on a day is what entered it minus what left it up to that day.

``StepsLeft`` is the time-in-status report's: how many steps of each status were left in each
month, and how many business days each took, kept by a trigger on the status history
(``reports/steps_left.py``), so that twelve months of a cycle are a few thousand rows to add up
rather than a million notes, whoever wrote the history.

``VendorStepDay`` is the vendor performance report's: per vendor and day, the steps of production
orders left, on time or late against their due date and by how many business days, kept by a
trigger on the status history (``reports/vendor_steps.py``).
"""

from __future__ import annotations

from django.db import models

from darkroom.tracking.models import Status


class StatusFlow(models.Model):
    """How many records entered and left one status on one day (the history's
    ``date_completed``: the business day the step happened).

    Written only by the triggers of ``reports/migrations/0001_workload.py``: a history row that
    moves a record ("start": into its first status; "change", or an "edit" that moved it to
    another cycle: from one status into another) adds one to ``entering`` of its ``to_status``
    and one to ``leaving`` of its ``from_status``; a row whose from and to are the same status
    (due dates, reassignments, edits, detail lines) moves nothing. A history row deleted takes
    its counts back out. No foreign key to the status: a status whose history rows are all gone
    may be deleted, and this row then counts nothing.
    """

    # No index of its own: the (status, day) key's index starts with it.
    status = models.ForeignKey(
        Status, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    day = models.DateField()
    entering = models.IntegerField(default=0)
    leaving = models.IntegerField(default=0)

    class Meta:
        db_table = "reports_status_flow"
        constraints = [
            models.UniqueConstraint(fields=["status", "day"], name="reports_status_flow_key")
        ]

    def __str__(self) -> str:
        return f"{self.status_id} on {self.day:%Y-%m-%d}: +{self.entering} -{self.leaving}"


class StepsLeft(models.Model):
    """A histogram of the steps left: ``passed`` steps of ``status`` left in ``month`` after
    ``days`` business days, ``over_plan`` of them past the duration planned then.

    One row per (status, month, order type, vendor, days). The order type and vendor are the
    production order's when the step was left (a proof order's vendor; 0 where the record has
    none: sessions, invoices, tasks): the vendor is the one that held the order when the step
    was left, not the one it has now. 0 rather than NULL, so that one unique key holds on
    SQLite and PostgreSQL alike (both take NULLs as distinct). Written only by the triggers:
    a "change" note with a step left (``from_status``) and its business days adds 1.
    """

    status_id = models.BigIntegerField()  # the status left (tracking.Status, never deleted)
    month = models.DateField()  # the first day of the month the step was left in
    order_type_id = models.BigIntegerField(default=0)
    vendor_id = models.BigIntegerField(default=0)
    days = models.IntegerField()  # the business days the step took
    passed = models.BigIntegerField(default=0)
    over_plan = models.BigIntegerField(default=0)

    class Meta:
        db_table = "reports_steps_left"
        constraints = [
            models.UniqueConstraint(
                fields=["status_id", "month", "order_type_id", "vendor_id", "days"],
                name="steps_left_key",
            )
        ]

    def __str__(self) -> str:
        return f"status {self.status_id}, {self.month:%Y-%m}: {self.passed} in {self.days} days"


class VendorStepDay(models.Model):
    """The steps of a vendor's production orders left on one day (one row per vendor and day
    with any): how many, how many had a due date, how many were left on time or late, and the
    business days the late ones were late by, added up.

    Written only by the triggers on the status history (``reports/vendor_steps.py``), on every
    "change" note of a production order, whichever writer inserted it; never by Python. The
    vendor is the order's when the step was left. Plain numbers, not foreign keys: a summary
    row never stops anything from being deleted or renamed.
    """

    day = models.DateField(help_text="The day the steps were left.")
    vendor_id = models.BigIntegerField()
    steps = models.IntegerField(help_text="Steps left (change notes).")
    due_steps = models.IntegerField(help_text="Of those, steps that had a due date.")
    on_time = models.IntegerField(help_text="Left on or before their due date.")
    late = models.IntegerField(help_text="Left after their due date.")
    late_days = models.BigIntegerField(help_text="The late steps' business days late, added up.")

    class Meta:
        db_table = "reports_vendor_step_day"
        constraints = [
            # Day first: a report reads a range of days (and a vendor's, within it).
            models.UniqueConstraint(
                fields=["day", "vendor_id"], name="reports_vendor_step_day_unique"
            )
        ]

    def __str__(self) -> str:
        return f"vendor {self.vendor_id}, {self.day:%Y-%m-%d}: {self.steps} steps"
