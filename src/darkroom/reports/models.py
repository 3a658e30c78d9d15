"""What the reports keep beside the records they read: the status history summed per status and
day (``StatusFlow``), kept by the database's triggers on the history rows.

Why a summary: the workload report's backlog — how many open orders sat in each status at the end
of each week — would otherwise replay every status note ever written (5.6 million at a studio of a
million orders) on every request. Summed per (status, day) it is a few tens of thousands of rows:
the backlog of a status on a day is what entered it minus what left it up to that day.
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
