"""Studio-wide order numbers, part 2: every order gets a number of its own.

The number each order had (unique per vendor only, so two vendors' orders could both be "1")
moves to ``vendor_number``, where it stays the vendor's number for the order. Then every
production and proof order, oldest first, takes a new studio-wide number. The new numbers start
after the highest old one, so a barcode printed before the upgrade never names another order
now: it names no order (the hub still finds it as the vendor's number). The count's row is made
to go on from there.
"""

from django.db import migrations
from django.db.models import F

BATCH = 2_000
LONGEST = 18  # digits of an old number read as a number (production/numbers.py)


def _highest(numbers) -> int:
    return max(
        (int(n) for n in numbers if n and n.isascii() and n.isdigit() and len(n) <= LONGEST),
        default=0,
    )


def renumber(apps, schema_editor) -> None:
    Production = apps.get_model("production", "ProductionOrder")
    Proof = apps.get_model("production", "PreproductionOrder")
    OrderNumbers = apps.get_model("production", "OrderNumbers")
    models = (Production, Proof)
    start = 1 + max(
        _highest(model.objects.exclude(number=None).values_list("number", flat=True).iterator())
        for model in models
    )
    for model in models:
        model.objects.update(vendor_number=F("number"))
    orders = sorted(
        (created, kind, pk)
        for kind, model in enumerate(models)
        for pk, created in model.objects.values_list("pk", "created_at").iterator()
    )
    given = {kind: [] for kind in range(len(models))}
    for offset, (_, kind, pk) in enumerate(orders):
        given[kind].append((pk, str(start + offset)))
    for kind, model in enumerate(models):
        rows = given[kind]
        # Only the id and the number are needed to write the number: no row is read again.
        model.objects.bulk_update(
            [model(pk=pk, number=number) for pk, number in rows], ["number"], batch_size=BATCH
        )
    OrderNumbers.objects.update_or_create(pk=1, defaults={"next_number": start + len(orders)})


def restore(apps, schema_editor) -> None:
    """Back to per-vendor numbers: each order's number is its vendor's number again."""
    for name in ("ProductionOrder", "PreproductionOrder"):
        apps.get_model("production", name).objects.update(number=F("vendor_number"))


class Migration(migrations.Migration):
    dependencies = [("production", "0006_order_numbers")]

    operations = [migrations.RunPython(renumber, restore, elidable=False)]
