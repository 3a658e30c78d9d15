"""The time-in-status report's summary of the steps left (``reports.models.StepsLeft``): the
table, the history written so far counted into it, and the trigger that counts every new note
(``reports/steps_left.py``)."""

from django.db import migrations, models

from darkroom.reports.steps_left import install, uninstall


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("tracking", "0007_detail_notes"),
        ("production", "0016_reorder_date_index"),
        ("reports", "0001_workload"),
    ]

    operations = [
        migrations.CreateModel(
            name="StepsLeft",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("status_id", models.BigIntegerField()),
                ("month", models.DateField()),
                ("order_type_id", models.BigIntegerField(default=0)),
                ("vendor_id", models.BigIntegerField(default=0)),
                ("days", models.IntegerField()),
                ("passed", models.BigIntegerField(default=0)),
                ("over_plan", models.BigIntegerField(default=0)),
            ],
            options={"db_table": "reports_steps_left"},
        ),
        migrations.AddConstraint(
            model_name="stepsleft",
            constraint=models.UniqueConstraint(
                fields=("status_id", "month", "order_type_id", "vendor_id", "days"),
                name="steps_left_key",
            ),
        ),
        migrations.RunPython(install, uninstall),
    ]
