"""The studio's order numbers: one count for production and proof orders alike.

Every order takes its number when it is made, so a number (and the barcode printed from it)
names exactly one order in the whole studio; a partial unique index on each table refuses a
number twice. A batch (an invoice's orders) takes its block of numbers in one statement. This
module is the one place that knows where the count is kept:

* **PostgreSQL**: a sequence (``production_order_number_seq``, made by migration 0014 past every
  number given before). ``nextval`` never waits for another transaction and is never undone, so
  two people making orders at the same moment don't wait on each other, and a number taken by a
  transaction that is rolled back is never given again: it is a gap. A batch's block is
  ``SELECT nextval(…) FROM generate_series(1, n)``: ascending, and consecutive unless another
  batch took numbers at the same instant.
* **SQLite**: the count's row (:class:`OrderNumbers`, its table here), moved by ``UPDATE …
  RETURNING``. SQLite
  lets one writer at a time into the database anyway, so holding the row to the end of the
  transaction costs no one anything more. A transaction rolled back takes its move of the count
  with it, so the next order may get a number that the rolled-back one had: no order, label or
  page ever had it (it was never committed), so it names one order still.

Gaps are fine: numbers are unique, not dense. The row is made when the count is first needed on
SQLite (a new studio, or tables emptied): it then starts after the highest number already given.

The orders sit above this module: each takes its number when it is saved without one
(``order_number_give``, from their ``save``), so this module never imports them. It reads the
numbers they were given only to start a count made anew, and names them for that by label
(``NUMBERED``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import IntegrityError, connection, models, transaction

COUNTER = 1  # the id of the one row
SEQUENCE = "production_order_number_seq"  # PostgreSQL's count (migration 0014)
LONGEST = 18  # digits of a number read as one (a PositiveBigIntegerField holds 18 safely)
# The orders numbered from the count (``production/models/``), by label: they import this.
NUMBERED = ("production.ProductionOrder", "production.PreproductionOrder")


class OrderNumbers(models.Model):
    """The studio's one count of order numbers on SQLite, shared by production and proof orders.

    A single row (id 1): ``next_number`` is the number the next order gets. Orders take their
    numbers with one ``UPDATE … RETURNING`` (``order_numbers_take``), which holds the row until
    the transaction ends (SQLite lets one writer in at a time anyway). On PostgreSQL the count is
    a sequence instead, which holds no one up; this row is left as it was when the sequence was
    made, and takes the sequence's place again if that migration is undone.
    """

    next_number = models.PositiveBigIntegerField(default=1)

    class Meta:
        verbose_name = "order numbers"
        verbose_name_plural = "order numbers"

    def __str__(self) -> str:
        return f"Next order number: {self.next_number}"


def order_number_give(order: Any) -> None:
    """An order saved for the first time without a number takes the studio's next one, so no
    way of making an order leaves it without (the services give theirs before; bulk inserts,
    which skip ``save``, give theirs too). Called by the orders' ``save``."""
    if order._state.adding and order.number is None:
        order.number = order_numbers_take(1)[0]


def highest_number(numbers: Iterable[str | None]) -> int:
    """The highest of ``numbers`` that are whole numbers (0 when none is)."""
    return max(
        (int(n) for n in numbers if n and n.isascii() and n.isdigit() and len(n) <= LONGEST),
        default=0,
    )


def _first_free() -> int:
    """After the highest number of any order: where a count made now starts."""
    given = [
        number
        for label in NUMBERED
        for number in apps.get_model(label).objects.values_list("number", flat=True)
    ]
    return highest_number(given) + 1


def _in_sequence() -> bool:
    return connection.vendor == "postgresql"


def order_numbers_take(count: int) -> list[str]:
    """The studio's next ``count`` order numbers, ascending, taken in one statement; call it
    inside the transaction that writes the orders."""
    if count <= 0:
        return []
    if _in_sequence():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [SEQUENCE, count]
            )
            return [str(number) for number in sorted(row[0] for row in cursor.fetchall())]
    table = connection.ops.quote_name(OrderNumbers._meta.db_table)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET next_number = next_number + %s WHERE id = %s "
                "RETURNING next_number",
                [count, COUNTER],
            )
            row = cursor.fetchone()
        if row is None:
            start = _first_free()
            try:
                with transaction.atomic():
                    OrderNumbers.objects.create(pk=COUNTER, next_number=start + count)
            except IntegrityError:  # made meanwhile by another request: take from it
                return order_numbers_take(count)
            end = start + count
        else:
            end = int(row[0])
    return [str(number) for number in range(end - count, end)]


def order_numbers_next() -> int:
    """The number the next order would get now (another request may take it first)."""
    if _in_sequence():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END "
                f"FROM {SEQUENCE}"
            )
            return int(cursor.fetchone()[0])
    found = OrderNumbers.objects.filter(pk=COUNTER).values_list("next_number", flat=True).first()
    return found if found is not None else _first_free()


def order_numbers_move_past(number: int) -> None:
    """The count goes on after ``number``: for a bulk loader that numbered orders itself (the
    benchmark studio, ``sample_data/scale``), from the number :func:`order_numbers_take` gave it.
    A count already past it stays where it is."""
    if _in_sequence():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(%s::regclass, %s) FROM {SEQUENCE} "
                "WHERE CASE WHEN is_called THEN last_value ELSE last_value - 1 END < %s",
                [SEQUENCE, number, number],
            )
        return
    order_numbers_take(1)  # the row exists from here on
    OrderNumbers.objects.filter(pk=COUNTER, next_number__lte=number).update(next_number=number + 1)


# -- the order of numbers --------------------------------------------------------------------------

NUMBER_WIDTH = 20  # the longest a number is (the column's max_length)


def number_order_sql(column: str, vendor: str) -> str:
    """SQL for the key that sorts order numbers as numbers ("9" before "10"): the number padded
    on the left with zeros to the column's width, compared byte by byte.

    A number is text (a legacy one may hold letters), so it is never cast: padding puts whole
    numbers in numeric order and leaves any other text in a fixed order. The hub and the
    all-orders list sort by this very expression, and their indexes are of it
    (``hub/migrations/0006_number_order.py``, ``production/migrations/0011_order_list_sorts.py``):
    a database uses an index of an expression only for the same expression.
    """
    if vendor == "postgresql":
        return f"(LPAD({column}, {NUMBER_WIDTH}, '0') COLLATE \"C\")"
    return f"SUBSTR('{'0' * NUMBER_WIDTH}' || {column}, -{NUMBER_WIDTH})"


def number_order_key(number: str) -> str:
    """The sort key of one number, as ``number_order_sql`` computes it in the database."""
    return number.rjust(NUMBER_WIDTH, "0")[-NUMBER_WIDTH:]
