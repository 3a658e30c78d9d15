"""Every change to what the hub's filters read marks the running totals.

A filtered summary strip (a vendor, a person, overdue…) is counted from the open orders, which
takes tens of milliseconds at a large studio's size; it is kept per process until something it
depends on changes (``hub/summary.py``). The running totals already change when an order enters
or leaves a status or its invoice's total changes. These triggers add a row of nothing (0
orders, 0 cents) when an open order's due date, projected or promised date, vendor, order type,
priority, department or person changes, so the totals' newest row and row count together say
"nothing the hub shows has changed since" — or that it has. Their SQL, for SQLite and
PostgreSQL, is in ``hub/running_totals.py``.
"""

from django.db import migrations

from darkroom.hub.running_totals import RunningTotalsTriggers

ORDERS = "production_productionorder"
PROOFS = "production_preproductionorder"
WATCHED = {
    ORDERS: [
        "status_due_date",
        "projected_completion",
        "promised_date",
        "vendor_id",
        "order_type_id",
        "priority_code_id",
        "status_user_id",
        "status_department_id",
    ],
    PROOFS: [
        "status_due_date",
        "projected_completion",
        "vendor_id",
        "status_user_id",
        "status_department_id",
    ],
}


class Migration(migrations.Migration):
    dependencies = [("hub", "0002_sort_indexes")]

    operations = [
        RunningTotalsTriggers(ORDERS, "production_order", counts=False, stamps=WATCHED[ORDERS]),
        RunningTotalsTriggers(PROOFS, "proof_order", counts=False, stamps=WATCHED[PROOFS]),
    ]
