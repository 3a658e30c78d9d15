"""The hub's running totals: how many open orders sit in each status, and the invoice value there.

Why they exist: the summary strip for all open orders must answer in milliseconds with fifty
thousand orders open. Counting them, and adding up the totals of the distinct invoices behind
them, reads every open order (about 200 ms at that size, measured); keeping the totals as orders
move costs a few row writes per change instead.

Who keeps them: the database itself, through triggers on the order and invoice tables
(``hub/running_totals.py``, installed by the hub's migrations), so every write is counted — a
single or bulk status change, a start, an order made in bulk, a delete, an invoice whose lines
change, even SQL typed by hand. Nothing in Python has to remember to update them.
``darkroom.hub.tally`` reads them and can count them again from the orders.

An order counts when it is open (``completed_date`` empty) and in a status, like everywhere in
the hub.
"""

from __future__ import annotations

from django.db import models


class StatusTally(models.Model):
    """A change to one status's totals: +1 order when one enters, -1 when one leaves, and the
    invoice value that came or went with it (in cents, so sums are exact on every database).

    A status's totals are the sum of its rows. Rows are only ever added — two people moving
    orders at once never wait for each other on a shared counter — and every 500th row the
    database folds the rows so far into one per status, so a read adds up a few hundred rows.
    """

    status_id = models.BigIntegerField()
    orders = models.IntegerField()
    invoice_cents = models.BigIntegerField()

    class Meta:
        db_table = "hub_status_tally"

    def __str__(self) -> str:
        return f"status {self.status_id}: {self.orders:+d} orders, {self.invoice_cents:+d} cents"


class InvoiceInStatus(models.Model):
    """How many open production orders of one invoice sit in one status.

    This is what makes the invoice value *distinct*: an invoice's total is added to a status when
    its first order there arrives (0 → 1) and taken away when its last one leaves (1 → 0). The
    row is also the lock that keeps two people moving orders of the same invoice from counting
    it twice.
    """

    invoice_id = models.BigIntegerField()
    status_id = models.BigIntegerField()
    orders = models.IntegerField()

    class Meta:
        db_table = "hub_invoice_in_status"
        constraints = [
            models.UniqueConstraint(
                fields=["invoice_id", "status_id"], name="hub_invoice_in_status_unique"
            )
        ]

    def __str__(self) -> str:
        return f"invoice {self.invoice_id} in status {self.status_id}: {self.orders} orders"
