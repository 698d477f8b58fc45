from django.db import migrations

from funds.reference_data import CHAINS


def load(apps, schema_editor):
    ProductiveChain = apps.get_model("funds", "ProductiveChain")
    for name in CHAINS:
        ProductiveChain.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_vouchers_aeos_contests_and_procurement")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
