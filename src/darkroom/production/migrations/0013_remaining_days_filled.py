"""The remaining business days of the open records projected before they were stored
(``tracking/remaining.py``): sessions, invoices, both kinds of orders and tasks."""

from django.db import migrations

from darkroom.tracking.remaining import calendars_from, remaining_days_fill

# (app, model, the field naming the vendor whose closures add to the studio's)
TRACKED = [
    ("clients", "Session", None),
    ("clients", "Invoice", None),
    ("production", "ProductionOrder", "vendor"),
    ("production", "PreproductionOrder", "vendor"),
    ("todos", "Task", None),
]


def fill(apps, schema_editor) -> None:
    preferences = apps.get_model("studio", "StudioPreferences")
    closure = apps.get_model("studio", "Closure")
    mask = preferences.objects.filter(pk=1).values_list("work_days_mask", flat=True).first()
    if mask is None:  # a studio that never saved its preferences: the default work week
        mask = preferences._meta.get_field("work_days_mask").default
    calendar_of = calendars_from(
        mask, closure.objects.values_list("vendor_id", "first_date", "last_date")
    )
    for app, name, vendor_field in TRACKED:
        model = apps.get_model(app, name)
        remaining_days_fill(model, vendor_field=vendor_field, calendar_of=calendar_of)


class Migration(migrations.Migration):
    dependencies = [
        ("production", "0012_remaining_days"),
        ("clients", "0007_remaining_days"),
        ("todos", "0002_remaining_days"),
        ("studio", "0008_lists_stamp"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=False)]
