"""Every change to what the hub's filters read marks the running totals.

A filtered summary strip (a vendor, a person, overdue…) is counted from the open orders, which
takes tens of milliseconds at a large studio's size; it is kept per process until something it
depends on changes (``hub/summary.py``). The running totals already change when an order enters
or leaves a status or its invoice's total changes. These triggers add a row of nothing (0
orders, 0 cents) when an open order's due date, projected or promised date, vendor, order type,
priority, department or person changes, so the totals' newest row and row count together say
"nothing the hub shows has changed since" — or that it has.
"""

from django.db import migrations

WATCHED = {
    "production_productionorder": [
        "status_due_date",
        "projected_completion",
        "promised_date",
        "vendor_id",
        "order_type_id",
        "priority_code_id",
        "status_user_id",
        "status_department_id",
    ],
    "production_preproductionorder": [
        "status_due_date",
        "projected_completion",
        "vendor_id",
        "status_user_id",
        "status_department_id",
    ],
}
NAMES = {
    "production_productionorder": "production_order",
    "production_preproductionorder": "proof_order",
}
OPEN = "NEW.completed_date IS NULL AND NEW.status_id IS NOT NULL"


def _sqlite(table: str) -> str:
    columns = WATCHED[table]
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
    return f"""CREATE TRIGGER hub_{NAMES[table]}_touch AFTER UPDATE OF {", ".join(columns)}
    ON {table} WHEN {OPEN} AND ({changed}) BEGIN
        INSERT INTO hub_status_tally (status_id, orders, invoice_cents)
        VALUES (NEW.status_id, 0, 0);
    END"""


def _postgresql(table: str) -> str:
    columns = WATCHED[table]
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)
    return f"""CREATE TRIGGER hub_{NAMES[table]}_touch AFTER UPDATE OF {", ".join(columns)}
    ON {table} FOR EACH ROW WHEN ({OPEN} AND ({changed}))
    EXECUTE FUNCTION hub_order_touched()"""


TOUCHED = """CREATE FUNCTION hub_order_touched() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM hub_tally_add(NEW.status_id, 0, 0);
    RETURN NULL;
END $$"""


def install(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [_sqlite(table) for table in WATCHED]
    elif vendor == "postgresql":
        statements = [TOUCHED, *(_postgresql(table) for table in WATCHED)]
    else:
        raise RuntimeError(f"The hub's running totals have no triggers for {vendor}.")
    for sql in statements:
        schema_editor.execute(sql, params=None)


def uninstall(apps, schema_editor) -> None:
    postgresql = schema_editor.connection.vendor == "postgresql"
    for table, name in NAMES.items():
        on = f" ON {table}" if postgresql else ""
        schema_editor.execute(f"DROP TRIGGER IF EXISTS hub_{name}_touch{on}", params=None)
    if postgresql:
        schema_editor.execute("DROP FUNCTION IF EXISTS hub_order_touched()", params=None)


class Migration(migrations.Migration):
    dependencies = [("hub", "0002_sort_indexes")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
