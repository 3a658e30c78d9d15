"""The hub sorts order numbers as numbers ("9" before "10"): its indexes of open orders by
number become indexes of the numeric key (``production.numbers.number_order_sql``), by id, so
a page sorted by number still reads 51 entries of an index instead of sorting every open order.
"""

from django.db import migrations

from darkroom.production.numbers import number_order_sql

OPEN = "WHERE completed_date IS NULL"
INDEXES = [
    # (name, table): the key of the number, then the id; open orders only
    ("hub_po_number_idx", "production_productionorder"),
    ("hub_pre_number_idx", "production_preproductionorder"),
]


def _create(schema_editor, key: str) -> None:
    for name, table in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}", params=None)
        schema_editor.execute(f"CREATE INDEX {name} ON {table} ({key}, id) {OPEN}", params=None)


def numeric(apps, schema_editor) -> None:
    _create(schema_editor, number_order_sql("number", schema_editor.connection.vendor))


def as_text(apps, schema_editor) -> None:
    postgresql = schema_editor.connection.vendor == "postgresql"
    _create(schema_editor, '(number COLLATE "C")' if postgresql else "number")


class Migration(migrations.Migration):
    dependencies = [("hub", "0005_client_name_order"), ("production", "0010_detail_notes")]

    operations = [migrations.RunPython(numeric, as_text, elidable=False)]
