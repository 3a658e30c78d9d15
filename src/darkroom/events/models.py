"""The event log: one row per thing that happened that the outside world may want to know.

Rows are written in the transaction of the change that caused them (``events.recording``), so
an event exists exactly when its change committed, and they are never edited or deleted. The
events feed (``GET /api/v1/events``) pages through them in commit order; each webhook delivery
points at one, and its ``webhook-id`` is the event's public id, so a receiver that reads both
the feed and webhooks sees one id per event.

**Commit order.** Ids come from a sequence, handed out when a row is inserted, not when its
transaction commits: on PostgreSQL a change can insert event 100, a quicker one event 101 and
commit first. A reader paging by id alone would take 101, move its cursor past 100 and never
see it. So each row also keeps ``tx``, the id of the transaction that wrote it
(``pg_current_xact_id()``, the column's default there), and the feed reads in ``(tx, id)``
order and only rows whose transaction is older than every transaction still running (the
snapshot's ``xmin``): nothing can later commit in front of a row the feed has shown. On SQLite
one writer works at a time, so ids are handed out in commit order and ``tx`` stays 0.
"""

from __future__ import annotations

from django.db import models


class Event(models.Model):
    """ "Production order 5 moved from Ordered to At the lab", as the outside world reads it."""

    id = models.BigAutoField(primary_key=True)
    # The writing transaction on PostgreSQL (see the module's docstring); 0 on SQLite.
    tx = models.BigIntegerField(db_default=0, editable=False)
    type = models.CharField(max_length=48)
    occurred_at = models.DateTimeField()
    # The record it is about ("production_order", 5), when it is about one.
    record_kind = models.CharField(max_length=24, blank=True)
    record_id = models.BigIntegerField(null=True, blank=True)
    # The payload's "data": ids, kinds, statuses, dates and API links, frozen when written.
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["tx", "id"]
        indexes = [models.Index(fields=["tx", "id"], name="event_commit_order")]

    def __str__(self) -> str:
        return f"{self.public_id} {self.type}"

    @property
    def public_id(self) -> str:
        """The id the outside world sees, in the feed and as every delivery's ``webhook-id``."""
        return f"evt_{self.pk}"

    def payload(self) -> dict[str, object]:
        """The event as the feed answers it and a webhook's body carries it (Standard Webhooks'
        shape: type, timestamp, data)."""
        return {
            "id": self.public_id,
            "type": self.type,
            "timestamp": self.occurred_at.isoformat().replace("+00:00", "Z"),
            "data": self.data,
        }
