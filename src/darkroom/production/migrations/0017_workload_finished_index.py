"""The workload report's indexes: finished orders (and proof orders) by the day they were finished."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("production", "0016_reorder_date_index")]

    operations = [
        migrations.AddIndex(
            model_name="preproductionorder",
            index=models.Index(
                condition=models.Q(("completed_date__isnull", False)),
                fields=["completed_date"],
                name="pre_finished_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="productionorder",
            index=models.Index(
                condition=models.Q(("completed_date__isnull", False)),
                fields=["completed_date", "order_type"],
                name="po_finished_idx",
            ),
        ),
    ]
