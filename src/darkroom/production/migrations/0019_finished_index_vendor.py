"""The finished orders' index holds the vendor performance report's columns too (the vendor, the
order date and the promise) beside the workload report's type: one index of finished orders
for both, rather than two kept on every order finished."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("production", "0018_proof_open_assignment_indexes")]

    operations = [
        migrations.RemoveIndex(model_name="productionorder", name="po_finished_idx"),
        migrations.AddIndex(
            model_name="productionorder",
            index=models.Index(
                condition=models.Q(("completed_date__isnull", False)),
                fields=["completed_date", "order_type", "vendor", "order_date", "promised_date"],
                name="po_finished_idx",
            ),
        ),
    ]
