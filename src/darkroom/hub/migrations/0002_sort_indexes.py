"""Indexes for the hub's sorts by a column of the order itself: its number, promised date,
projected completion and order date.

Each holds open orders only (as the hub's other indexes, ``production/models.py``), by the
column and id, so a page sorted that way reads 51 entries of it instead of sorting every open
order. The order number is compared byte by byte on PostgreSQL (``COLLATE "C"``, as the hub
sorts text: ``hub/selectors/sorts.py``), so its index there is of that expression; SQLite compares
bytes anyway. They are written as SQL for that reason, and live with the hub that reads them.
"""

from django.db import migrations

OPEN = "WHERE completed_date IS NULL"
INDEXES = [
    # (name, table, columns on SQLite, columns on PostgreSQL)
    ("hub_po_number_idx", "production_productionorder", "number, id", '(number COLLATE "C"), id'),
    ("hub_po_promised_idx", "production_productionorder", "promised_date, id", None),
    ("hub_po_projected_idx", "production_productionorder", "projected_completion, id", None),
    ("hub_po_ordered_idx", "production_productionorder", "order_date, id", None),
    (
        "hub_pre_number_idx",
        "production_preproductionorder",
        "number, id",
        '(number COLLATE "C"), id',
    ),
    ("hub_pre_projected_idx", "production_preproductionorder", "projected_completion, id", None),
    ("hub_pre_ordered_idx", "production_preproductionorder", "order_date, id", None),
]


def create(apps, schema_editor) -> None:
    postgresql = schema_editor.connection.vendor == "postgresql"
    for name, table, columns, pg_columns in INDEXES:
        shown = pg_columns if postgresql and pg_columns else columns
        schema_editor.execute(f"CREATE INDEX {name} ON {table} ({shown}) {OPEN}", params=None)


def drop(apps, schema_editor) -> None:
    for name, *_ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}", params=None)


class Migration(migrations.Migration):
    dependencies = [("hub", "0001_running_totals")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
