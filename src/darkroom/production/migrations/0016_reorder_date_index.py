"""The reorders report's index: reorders alone, by order date, with every column it reads."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("production", "0015_client_names")]

    operations = [
        migrations.AddIndex(
            model_name="productionorder",
            index=models.Index(
                condition=models.Q(("reorder_of__isnull", False)),
                fields=[
                    "order_date",
                    "id",
                    "reorder_reason",
                    "vendor",
                    "vendor_invoice_amount",
                    "reorder_of",
                ],
                name="po_reorder_date_idx",
            ),
        ),
    ]
