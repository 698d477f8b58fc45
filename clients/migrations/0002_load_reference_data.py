from django.db import migrations


def load(apps, schema_editor):
    from clients.reference_data import load_reference_data

    load_reference_data(
        Ubigeo=apps.get_model("clients", "Ubigeo"),
        UitValue=apps.get_model("clients", "UitValue"),
        SizeRule=apps.get_model("clients", "SizeRule"),
        Subsector=apps.get_model("clients", "Subsector"),
    )


class Migration(migrations.Migration):
    dependencies = [("clients", "0001_registry")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
