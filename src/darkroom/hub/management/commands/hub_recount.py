"""``darkroom hub-recount``: count the hub's running totals again from the open orders.

The database keeps the totals itself as orders move (``darkroom.hub.models``); this is for a
database restored from a copy taken without them, or totals someone edited by hand. It is safe
while people work: on PostgreSQL status changes wait the second it takes.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from darkroom.hub.tally import count_again, status_totals


class Command(BaseCommand):
    help = "Count the production hub's running totals (orders and invoice value per status) again."

    def handle(self, *args: Any, **options: Any) -> None:
        before = status_totals()
        started = time.perf_counter()
        count_again()
        after = status_totals()
        changed = sum(
            1 for key in before.keys() | after.keys() if before.get(key) != after.get(key)
        )
        orders = sum(n for n, _ in after.values())
        verdict = "all were right."
        if changed:
            verdict = f"{changed} of them {'was' if changed == 1 else 'were'} wrong and now right."
        self.stdout.write(
            f"Counted {orders:,} open orders in {len(after)} statuses in "
            f"{time.perf_counter() - started:.1f} s; {verdict}"
        )
