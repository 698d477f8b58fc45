from django.db import migrations


def load(apps, schema_editor):
    # The specialty areas were then a model of this app; they now belong to the directory (consultants).
    from assistance.reference_data import load_reference_data
    from consultants.reference_data import load_specialty_areas

    load_specialty_areas(SpecialtyArea=apps.get_model("assistance", "SpecialtyArea"))
    load_reference_data(ServiceType=apps.get_model("assistance", "ServiceType"), Subsector=apps.get_model("clients", "Subsector"))


class Migration(migrations.Migration):
    dependencies = [("assistance", "0001_services_and_directory"), ("clients", "0002_load_reference_data")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
