"""The hub's running totals (``hub/models.py``) and the triggers that keep them.

The triggers (``hub/running_totals.py``, which holds their SQL for SQLite and PostgreSQL) count
every production and preproduction order that starts counting (open and in a status), stops or
moves to another status, and for a production order the total of its invoice, distinct per
status. The totals are then counted once from the orders already there.
"""

from django.db import migrations, models

from darkroom.hub.running_totals import RunningTotalsTriggers

ORDERS = "production_productionorder"
PROOFS = "production_preproductionorder"
INVOICES = "clients_invoice"

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
        RunningTotalsTriggers(ORDERS, "production_order", invoice=True),
        RunningTotalsTriggers(PROOFS, "proof_order"),
        migrations.RunSQL(COUNT_AGAIN, migrations.RunSQL.noop, elidable=False),
    ]
