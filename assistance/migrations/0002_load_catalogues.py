from django.db import migrations


def load(apps, schema_editor):
    from assistance.reference_data import load_reference_data

    load_reference_data(
        ServiceType=apps.get_model("assistance", "ServiceType"),
        SpecialtyArea=apps.get_model("assistance", "SpecialtyArea"),
        Subsector=apps.get_model("clients", "Subsector"),
    )


class Migration(migrations.Migration):
    dependencies = [("assistance", "0001_services_and_directory"), ("clients", "0002_load_reference_data")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
