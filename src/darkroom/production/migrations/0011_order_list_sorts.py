"""Indexes for the all-orders list's sorts (``production/order_list/``): each sort reads an
index in its own order from the page's cursor, open and finished orders alike.

* By a column of the order (number, due date, completed date): the column and the id, for the
  orders that have a value (those without are read by id: the index of the orders with no
  number holds none, and most orders have no due date or a completed one). The number is
  indexed as its numeric key (``production.numbers.number_order_sql``), and, on PostgreSQL,
  byte by byte too, for a search by the start of a number (SQLite's unique index of numbers
  serves that).
* Each holds only the orders with a value. The hub's queries ask for open orders
  (``completed_date IS NULL``) and read the hub's own indexes of open orders; only a range of
  due dates (overdue) can also be read from the index of due dates, which holds open orders
  only too (the final status has no due date). An index of every order's completed date
  would have SQLite look open orders up there and sort them, for every hub page (measured).
* By a vendor, order type, status or client: the order's reference and the id, so each one's
  orders are read in id order. SQLite has these already: an index of a reference ends with
  the row's id there. PostgreSQL's indexes of references don't, so they are made for it.

Written as SQL: indexes of expressions, and indexes for one database only.
"""

from django.db import migrations

from darkroom.production.numbers import number_order_sql

PO, PRE = "production_productionorder", "production_preproductionorder"
EVERYWHERE = [
    # (name, table, columns, the orders it holds)
    ("list_po_number_idx", PO, "{number}, id", "number IS NOT NULL"),
    ("list_po_no_number_idx", PO, "id", "number IS NULL"),
    ("list_po_due_idx", PO, "status_due_date, id", "status_due_date IS NOT NULL"),
    ("list_po_completed_idx", PO, "completed_date, id", "completed_date IS NOT NULL"),
    ("list_pre_number_idx", PRE, "{number}, id", "number IS NOT NULL"),
    ("list_pre_no_number_idx", PRE, "id", "number IS NULL"),
    ("list_pre_due_idx", PRE, "status_due_date, id", "status_due_date IS NOT NULL"),
    ("list_pre_completed_idx", PRE, "completed_date, id", "completed_date IS NOT NULL"),
]
POSTGRESQL_ONLY = [
    ("list_po_number_prefix_idx", PO, '(number COLLATE "C")', None),
    ("list_pre_number_prefix_idx", PRE, '(number COLLATE "C")', None),
    ("list_po_vendor_id_idx", PO, "vendor_id, id", None),
    ("list_po_type_id_idx", PO, "order_type_id, id", None),
    ("list_po_status_id_idx", PO, "status_id, id", None),
    ("list_po_client_id_idx", PO, "client_id, id", None),
    ("list_pre_vendor_id_idx", PRE, "vendor_id, id", None),
    ("list_pre_status_id_idx", PRE, "status_id, id", None),
    ("list_pre_session_id_idx", PRE, "session_id, id", None),
]


def create(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    number = number_order_sql("number", vendor)
    indexes = EVERYWHERE + (POSTGRESQL_ONLY if vendor == "postgresql" else [])
    for name, table, columns, holds in indexes:
        shown = columns.format(number=number)
        where = f" WHERE {holds}" if holds else ""
        schema_editor.execute(f"CREATE INDEX {name} ON {table} ({shown}){where}", params=None)


def drop(apps, schema_editor) -> None:
    for name, *_ in EVERYWHERE + POSTGRESQL_ONLY:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}", params=None)


class Migration(migrations.Migration):
    dependencies = [("production", "0010_detail_notes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
