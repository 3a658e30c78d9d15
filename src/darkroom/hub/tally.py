"""Read the hub's running totals, and count them again from the orders.

The totals (``hub/models.py``) are kept by database triggers, so they are right after any write.
Counting them again is for what triggers can't see: a database restored from a copy taken
without them, or tables emptied in an order that left the totals behind (a test database being
reset). ``darkroom hub-recount`` runs it; it takes about a second per million orders.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import connection, transaction

from darkroom.clients.models import Invoice
from darkroom.hub.models import InvoiceInStatus, StatusTally
from darkroom.production.models import PreproductionOrder, ProductionOrder

CENT = Decimal("0.01")


def status_totals(status_ids: tuple[int, ...] = ()) -> dict[int, tuple[int, Decimal]]:
    """Open orders and invoice value per status (only these statuses, if any are given):
    ``{status_id: (orders, value)}``. One query over a few hundred rows at most."""
    tally = StatusTally._meta.db_table
    where, params = "", list(status_ids)
    if status_ids:
        where = f"WHERE status_id IN ({', '.join(['%s'] * len(status_ids))})"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT status_id, SUM(orders), SUM(invoice_cents) FROM {tally} {where} "
            "GROUP BY status_id HAVING SUM(orders) > 0",
            params,
        )
        return {
            status_id: (int(orders), (Decimal(int(cents)) * CENT).quantize(CENT))
            for status_id, orders, cents in cursor.fetchall()
        }


def changes_stamp() -> tuple[int, int]:
    """Where the running totals stand: their newest row and how many rows there are.

    Every change to what the hub shows of an open order adds a row (``hub/migrations/0003``),
    so two reads that get the same stamp read the same hub. The count matters beside the id:
    on PostgreSQL a transaction can commit a row older than the newest one already seen. Only
    committed rows count, so this is asked outside a transaction (see ``hub/summary.py``).
    """
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id), COUNT(*) FROM {StatusTally._meta.db_table}")
        newest, rows = cursor.fetchone()
    return int(newest or 0), int(rows)


def count_again() -> None:
    """Throw the running totals away and count them from the open orders.

    On PostgreSQL the two tables are locked first: a status change waits the second this takes,
    and one already under way finishes before it starts, so nothing is counted twice or missed.
    """
    tally, per_invoice = StatusTally._meta.db_table, InvoiceInStatus._meta.db_table
    orders, proofs = ProductionOrder._meta.db_table, PreproductionOrder._meta.db_table
    invoices = Invoice._meta.db_table
    counted = "completed_date IS NULL AND status_id IS NOT NULL"
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {tally}, {per_invoice} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {tally}")
        cursor.execute(f"DELETE FROM {per_invoice}")
        cursor.execute(
            f"INSERT INTO {per_invoice} (invoice_id, status_id, orders) "
            f"SELECT invoice_id, status_id, COUNT(*) FROM {orders} WHERE {counted} "
            "GROUP BY invoice_id, status_id"
        )
        cursor.execute(
            f"INSERT INTO {tally} (status_id, orders, invoice_cents) "
            "SELECT t.status_id, SUM(t.orders), SUM(t.cents) FROM ("
            "SELECT h.status_id AS status_id, h.orders AS orders, "
            "CAST(ROUND(i.total * 100) AS BIGINT) AS cents "
            f"FROM {per_invoice} h INNER JOIN {invoices} i ON i.id = h.invoice_id "
            f"UNION ALL SELECT status_id, 1, 0 FROM {proofs} WHERE {counted}"
            ") t GROUP BY t.status_id"
        )
