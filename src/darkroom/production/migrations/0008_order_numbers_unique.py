"""Studio-wide order numbers, part 3: each number names one order (a partial unique index per
table, the count shared by both keeps them apart), the vendor's number is unique per vendor and
looked up by its index."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("production", "0007_renumber_orders")]

    operations = [
        migrations.AddIndex(
            model_name='preproductionorder',
            index=models.Index(fields=['vendor_number'], name='proof_vendor_number_idx'),
        ),
        migrations.AddIndex(
            model_name='productionorder',
            index=models.Index(fields=['vendor_number'], name='production_vendor_num_idx'),
        ),
        migrations.AddConstraint(
            model_name='preproductionorder',
            constraint=models.UniqueConstraint(condition=models.Q(('number__isnull', False)), fields=('number',), name='proof_order_number_unique'),
        ),
        migrations.AddConstraint(
            model_name='productionorder',
            constraint=models.UniqueConstraint(condition=models.Q(('number__isnull', False)), fields=('number',), name='production_order_number_unique'),
        ),
        migrations.AddConstraint(
            model_name='productionorder',
            constraint=models.UniqueConstraint(condition=models.Q(('vendor_number__isnull', False)), fields=('vendor', 'vendor_number'), name='production_vendor_number_per_vendor'),
        ),
    ]
