"""How late each step was left against its due date, on the change that left it.

Nullable: adding it is an ALTER TABLE ... ADD COLUMN on SQLite, not a rebuild of the history
table. The history already written is filled in by ``reports/0003_vendor_performance``.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tracking", "0007_detail_notes")]

    operations = [
        migrations.AddField(
            model_name="statusnote",
            name="business_days_late",
            field=models.IntegerField(blank=True, null=True),
        ),
    ]
