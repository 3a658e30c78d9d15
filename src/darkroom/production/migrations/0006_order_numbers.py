"""Studio-wide order numbers, part 1: the count they are taken from, and a field for the
vendor's own number. The old per-vendor uniqueness of ``number`` goes; part 2 renumbers, part 3
makes the new numbers unique. (No table is rebuilt on SQLite: its hub triggers and indexes stay.)
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("production", "0005_hub_indexes")]

    operations = [
        migrations.CreateModel(
            name='OrderNumbers',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('next_number', models.PositiveBigIntegerField(default=1)),
            ],
            options={
                'verbose_name': 'order numbers',
                'verbose_name_plural': 'order numbers',
            },
        ),
        migrations.RemoveConstraint(
            model_name='productionorder',
            name='production_order_number_per_vendor',
        ),
        migrations.RemoveIndex(
            model_name='productionorder',
            name='production_number_idx',
        ),
        migrations.AddField(
            model_name='preproductionorder',
            name='vendor_number',
            field=models.CharField(blank=True, help_text="The vendor's own number for the order; unique per vendor.", max_length=20, null=True, verbose_name="vendor's order number"),
        ),
        migrations.AddField(
            model_name='productionorder',
            name='vendor_number',
            field=models.CharField(blank=True, help_text="The vendor's own number for the order; unique per vendor.", max_length=20, null=True, verbose_name="vendor's order number"),
        ),
        migrations.AlterField(
            model_name='preproductionorder',
            name='number',
            field=models.CharField(editable=False, help_text="The studio's number, unique across production and proof orders.", max_length=20, null=True, verbose_name='order number'),
        ),
        migrations.AlterField(
            model_name='productionorder',
            name='number',
            field=models.CharField(editable=False, help_text="The studio's number, unique across production and proof orders.", max_length=20, null=True, verbose_name='order number'),
        ),
    ]
