"""Shapes the studio's maintained records share: retired rather than deleted, arranged by hand.

Abstract, so they have no tables of their own: the catalog, the clients' session types and the
statuses of the tracking engine build on them, and none of those needs the maintenance pages.
"""

from __future__ import annotations

from django.db import models


class RetirableRecord(models.Model):
    """A record that is made inactive rather than deleted once anything uses it."""

    is_inactive = models.BooleanField("inactive", default=False)

    class Meta:
        abstract = True


class OrderedRecord(RetirableRecord):
    """A record of a list the studio arranges by hand (move up / move down)."""

    position = models.PositiveIntegerField(default=0, db_index=True)

    class Meta:
        abstract = True
        ordering = ["position", "id"]
