"""The hub's running totals (``hub/models.py``) and the triggers that keep them.

The triggers are written once per database, in each one's own language, and do the same thing:
when a production or preproduction order starts counting (it is open and in a status), leaves
that state, or moves to another status, they add a row of +1 or -1 to ``hub_status_tally``;
for a production order they also count it in ``hub_invoice_in_status`` and add or take away
its invoice's total when it is the invoice's first order in that status or its last. When an
invoice's total changes, every status its open orders sit in gets the difference.

On PostgreSQL the invoice's row is locked (as editing the invoice does) before its count is
touched, so a change to the invoice's lines and an order moving at the same moment are counted
one after the other, never with the other's total unseen. SQLite has one writer at a time.

Every 500th tally row folds the rows so far into one per status. The totals are then counted
once from the orders already there.
"""

from django.db import migrations, models

ORDERS = "production_productionorder"
PROOFS = "production_preproductionorder"
INVOICES = "clients_invoice"


# -- SQLite --------------------------------------------------------------------------------------


def _cents(row: str) -> str:
    return (
        f"COALESCE((SELECT CAST(ROUND(i.total * 100) AS INTEGER) FROM {INVOICES} i "
        f"WHERE i.id = {row}.invoice_id), 0)"
    )


def _sqlite_enters(row: str, invoice: bool) -> str:
    if not invoice:
        return f"INSERT INTO hub_status_tally (status_id, orders, invoice_cents) VALUES ({row}.status_id, 1, 0);"
    here = f"invoice_id = {row}.invoice_id AND status_id = {row}.status_id"
    return f"""
    INSERT INTO hub_invoice_in_status (invoice_id, status_id, orders)
        VALUES ({row}.invoice_id, {row}.status_id, 1)
        ON CONFLICT (invoice_id, status_id) DO UPDATE SET orders = orders + 1;
    INSERT INTO hub_status_tally (status_id, orders, invoice_cents) VALUES ({row}.status_id, 1,
        CASE WHEN (SELECT orders FROM hub_invoice_in_status WHERE {here}) = 1
             THEN {_cents(row)} ELSE 0 END);"""


def _sqlite_leaves(row: str, invoice: bool) -> str:
    if not invoice:
        return f"INSERT INTO hub_status_tally (status_id, orders, invoice_cents) VALUES ({row}.status_id, -1, 0);"
    here = f"invoice_id = {row}.invoice_id AND status_id = {row}.status_id"
    return f"""
    UPDATE hub_invoice_in_status SET orders = orders - 1 WHERE {here};
    INSERT INTO hub_status_tally (status_id, orders, invoice_cents) VALUES ({row}.status_id, -1,
        CASE WHEN (SELECT orders FROM hub_invoice_in_status WHERE {here}) = 0
             THEN -{_cents(row)} ELSE 0 END);
    DELETE FROM hub_invoice_in_status WHERE {here} AND orders <= 0;"""


def _counted(row: str) -> str:
    return f"{row}.completed_date IS NULL AND {row}.status_id IS NOT NULL"


def _same_place() -> str:
    return "OLD.status_id = NEW.status_id AND OLD.invoice_id IS NEW.invoice_id"


def _sqlite_triggers(table: str, name: str, invoice: bool) -> list[str]:
    columns = "status_id, completed_date" + (", invoice_id" if invoice else "")
    same = _same_place() if invoice else "OLD.status_id = NEW.status_id"
    return [
        f"""CREATE TRIGGER hub_{name}_insert AFTER INSERT ON {table}
        WHEN {_counted("NEW")} BEGIN {_sqlite_enters("NEW", invoice)} END""",
        f"""CREATE TRIGGER hub_{name}_delete AFTER DELETE ON {table}
        WHEN {_counted("OLD")} BEGIN {_sqlite_leaves("OLD", invoice)} END""",
        f"""CREATE TRIGGER hub_{name}_leave AFTER UPDATE OF {columns} ON {table}
        WHEN {_counted("OLD")} AND NOT ({_counted("NEW")} AND {same})
        BEGIN {_sqlite_leaves("OLD", invoice)} END""",
        f"""CREATE TRIGGER hub_{name}_enter AFTER UPDATE OF {columns} ON {table}
        WHEN {_counted("NEW")} AND NOT ({_counted("OLD")} AND {same})
        BEGIN {_sqlite_enters("NEW", invoice)} END""",
    ]


SQLITE = [
    *_sqlite_triggers(ORDERS, "production_order", invoice=True),
    *_sqlite_triggers(PROOFS, "proof_order", invoice=False),
    f"""CREATE TRIGGER hub_invoice_total AFTER UPDATE OF total ON {INVOICES}
    WHEN OLD.total IS NOT NEW.total BEGIN
        INSERT INTO hub_status_tally (status_id, orders, invoice_cents)
        SELECT h.status_id, 0,
               CAST(ROUND(NEW.total * 100) AS INTEGER) - CAST(ROUND(OLD.total * 100) AS INTEGER)
        FROM hub_invoice_in_status h WHERE h.invoice_id = NEW.id;
    END""",
    """CREATE TRIGGER hub_status_tally_fold AFTER INSERT ON hub_status_tally
    WHEN NEW.id % 500 = 0 BEGIN
        INSERT INTO hub_status_tally (status_id, orders, invoice_cents)
        SELECT status_id, SUM(orders), SUM(invoice_cents) FROM hub_status_tally
        WHERE id <= NEW.id GROUP BY status_id
        HAVING SUM(orders) <> 0 OR SUM(invoice_cents) <> 0;
        DELETE FROM hub_status_tally WHERE id <= NEW.id;
    END""",
]
SQLITE_DROP = [
    *(
        f"DROP TRIGGER IF EXISTS hub_{name}_{event}"
        for name in ("production_order", "proof_order")
        for event in ("insert", "delete", "leave", "enter")
    ),
    "DROP TRIGGER IF EXISTS hub_invoice_total",
    "DROP TRIGGER IF EXISTS hub_status_tally_fold",
]


# -- PostgreSQL ----------------------------------------------------------------------------------

POSTGRESQL = [
    """CREATE FUNCTION hub_tally_add(p_status bigint, p_orders integer, p_cents bigint)
    RETURNS void LANGUAGE plpgsql AS $$
    DECLARE added bigint;
    BEGIN
        INSERT INTO hub_status_tally (status_id, orders, invoice_cents)
            VALUES (p_status, p_orders, p_cents) RETURNING id INTO added;
        IF added % 500 = 0 THEN
            -- One statement: the rows it folds are exactly the rows it deletes, and a row
            -- another transaction has not committed yet is neither.
            WITH folded AS (
                DELETE FROM hub_status_tally WHERE id <= added
                RETURNING status_id, orders, invoice_cents
            )
            INSERT INTO hub_status_tally (status_id, orders, invoice_cents)
            SELECT status_id, SUM(orders), SUM(invoice_cents) FROM folded GROUP BY status_id
            HAVING SUM(orders) <> 0 OR SUM(invoice_cents) <> 0;
        END IF;
    END $$""",
    f"""CREATE FUNCTION hub_order_moves(p_status bigint, p_invoice bigint, p_step integer)
    RETURNS void LANGUAGE plpgsql AS $$
    DECLARE
        total numeric;
        here integer;
        cents bigint := 0;
    BEGIN
        IF p_invoice IS NOT NULL THEN
            SELECT i.total INTO total FROM {INVOICES} i WHERE i.id = p_invoice
                FOR NO KEY UPDATE;
            IF p_step > 0 THEN
                INSERT INTO hub_invoice_in_status AS h (invoice_id, status_id, orders)
                    VALUES (p_invoice, p_status, 1)
                    ON CONFLICT (invoice_id, status_id) DO UPDATE SET orders = h.orders + 1
                    RETURNING h.orders INTO here;
                IF here = 1 THEN cents := ROUND(COALESCE(total, 0) * 100); END IF;
            ELSE
                UPDATE hub_invoice_in_status SET orders = orders - 1
                    WHERE invoice_id = p_invoice AND status_id = p_status
                    RETURNING orders INTO here;
                IF here IS NOT NULL AND here <= 0 THEN
                    DELETE FROM hub_invoice_in_status
                        WHERE invoice_id = p_invoice AND status_id = p_status;
                    cents := -ROUND(COALESCE(total, 0) * 100);
                END IF;
            END IF;
        END IF;
        PERFORM hub_tally_add(p_status, p_step, cents);
    END $$""",
    """CREATE FUNCTION hub_order_counts() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE invoice_column boolean := TG_ARGV[0] = 'invoice';
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE')
           AND OLD.completed_date IS NULL AND OLD.status_id IS NOT NULL THEN
            PERFORM hub_order_moves(OLD.status_id,
                CASE WHEN invoice_column THEN (to_jsonb(OLD) ->> 'invoice_id')::bigint END, -1);
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT')
           AND NEW.completed_date IS NULL AND NEW.status_id IS NOT NULL THEN
            PERFORM hub_order_moves(NEW.status_id,
                CASE WHEN invoice_column THEN (to_jsonb(NEW) ->> 'invoice_id')::bigint END, 1);
        END IF;
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER hub_production_order_counts AFTER INSERT OR DELETE ON {ORDERS}
    FOR EACH ROW EXECUTE FUNCTION hub_order_counts('invoice')""",
    f"""CREATE TRIGGER hub_production_order_moves
    AFTER UPDATE OF status_id, completed_date, invoice_id ON {ORDERS} FOR EACH ROW
    WHEN (OLD.status_id IS DISTINCT FROM NEW.status_id
          OR (OLD.completed_date IS NULL) <> (NEW.completed_date IS NULL)
          OR OLD.invoice_id IS DISTINCT FROM NEW.invoice_id)
    EXECUTE FUNCTION hub_order_counts('invoice')""",
    f"""CREATE TRIGGER hub_proof_order_counts AFTER INSERT OR DELETE ON {PROOFS}
    FOR EACH ROW EXECUTE FUNCTION hub_order_counts('none')""",
    f"""CREATE TRIGGER hub_proof_order_moves
    AFTER UPDATE OF status_id, completed_date ON {PROOFS} FOR EACH ROW
    WHEN (OLD.status_id IS DISTINCT FROM NEW.status_id
          OR (OLD.completed_date IS NULL) <> (NEW.completed_date IS NULL))
    EXECUTE FUNCTION hub_order_counts('none')""",
    """CREATE FUNCTION hub_invoice_total_changes() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE difference bigint := ROUND(NEW.total * 100) - ROUND(OLD.total * 100);
    BEGIN
        IF difference <> 0 THEN
            PERFORM hub_tally_add(h.status_id, 0, difference)
            FROM hub_invoice_in_status h WHERE h.invoice_id = NEW.id;
        END IF;
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER hub_invoice_total AFTER UPDATE OF total ON {INVOICES} FOR EACH ROW
    WHEN (OLD.total IS DISTINCT FROM NEW.total) EXECUTE FUNCTION hub_invoice_total_changes()""",
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS hub_production_order_counts ON {ORDERS}",
    f"DROP TRIGGER IF EXISTS hub_production_order_moves ON {ORDERS}",
    f"DROP TRIGGER IF EXISTS hub_proof_order_counts ON {PROOFS}",
    f"DROP TRIGGER IF EXISTS hub_proof_order_moves ON {PROOFS}",
    f"DROP TRIGGER IF EXISTS hub_invoice_total ON {INVOICES}",
    "DROP FUNCTION IF EXISTS hub_invoice_total_changes()",
    "DROP FUNCTION IF EXISTS hub_order_counts()",
    "DROP FUNCTION IF EXISTS hub_order_moves(bigint, bigint, integer)",
    "DROP FUNCTION IF EXISTS hub_tally_add(bigint, integer, bigint)",
]

# Count the totals once from the orders already there (portable SQL).
COUNT_AGAIN = [
    "DELETE FROM hub_status_tally",
    "DELETE FROM hub_invoice_in_status",
    f"""INSERT INTO hub_invoice_in_status (invoice_id, status_id, orders)
    SELECT o.invoice_id, o.status_id, COUNT(*) FROM {ORDERS} o
    WHERE o.completed_date IS NULL AND o.status_id IS NOT NULL
    GROUP BY o.invoice_id, o.status_id""",
    f"""INSERT INTO hub_status_tally (status_id, orders, invoice_cents)
    SELECT t.status_id, SUM(t.orders), SUM(t.cents) FROM (
        SELECT h.status_id AS status_id, h.orders AS orders,
               CAST(ROUND(i.total * 100) AS BIGINT) AS cents
        FROM hub_invoice_in_status h INNER JOIN {INVOICES} i ON i.id = h.invoice_id
        UNION ALL
        SELECT p.status_id, 1, 0 FROM {PROOFS} p
        WHERE p.completed_date IS NULL AND p.status_id IS NOT NULL
    ) t GROUP BY t.status_id""",
]


def _run(statements: list[str]):
    def run(apps, schema_editor) -> None:
        for sql in statements:
            schema_editor.execute(sql, params=None)

    return run


def install(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(vendor)
    if statements is None:
        raise RuntimeError(f"The hub's running totals have no triggers for {vendor}.")
    _run([*statements, *COUNT_AGAIN])(apps, schema_editor)


def uninstall(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}.get(vendor, []))(
        apps, schema_editor
    )


class Migration(migrations.Migration):
    dependencies = [
        ("production", "0005_hub_indexes"),
        ("clients", "0005_invoice_production_orders_prompt"),
    ]

    operations = [
        migrations.CreateModel(
            name="StatusTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("status_id", models.BigIntegerField()),
                ("orders", models.IntegerField()),
                ("invoice_cents", models.BigIntegerField()),
            ],
            options={"db_table": "hub_status_tally"},
        ),
        migrations.CreateModel(
            name="InvoiceInStatus",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("invoice_id", models.BigIntegerField()),
                ("status_id", models.BigIntegerField()),
                ("orders", models.IntegerField()),
            ],
            options={
                "db_table": "hub_invoice_in_status",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("invoice_id", "status_id"), name="hub_invoice_in_status_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(install, uninstall, elidable=False),
    ]
