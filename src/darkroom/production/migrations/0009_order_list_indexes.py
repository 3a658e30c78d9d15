"""Indexes for the all-orders list: each filter walks its index in order-date order from the
page's cursor (a proof order's number is found through its unique index)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [('production', '0008_order_numbers_unique')]

    operations = [
        migrations.AddIndex(
            model_name='preproductionorder',
            index=models.Index(fields=['order_date', 'id'], name='pre_list_date_idx'),
        ),
        migrations.AddIndex(
            model_name='preproductionorder',
            index=models.Index(fields=['vendor', 'order_date', 'id'], name='pre_list_vendor_idx'),
        ),
        migrations.AddIndex(
            model_name='preproductionorder',
            index=models.Index(fields=['status', 'order_date', 'id'], name='pre_list_status_idx'),
        ),
        migrations.AddIndex(
            model_name='productionorder',
            index=models.Index(fields=['order_date', 'id'], name='po_list_date_idx'),
        ),
        migrations.AddIndex(
            model_name='productionorder',
            index=models.Index(fields=['vendor', 'order_date', 'id'], name='po_list_vendor_idx'),
        ),
        migrations.AddIndex(
            model_name='productionorder',
            index=models.Index(fields=['status', 'order_date', 'id'], name='po_list_status_idx'),
        ),
        migrations.AddIndex(
            model_name='productionorder',
            index=models.Index(fields=['order_type', 'order_date', 'id'], name='po_list_type_idx'),
        ),
        migrations.AddIndex(
            model_name='productionorder',
            index=models.Index(fields=['client', 'order_date', 'id'], name='po_list_client_idx'),
        ),
    ]
