from django.db import migrations


def load(apps, schema_editor):
    from consultations.reference_data import load_reference_data

    load_reference_data(Topic=apps.get_model("consultations", "Topic"))


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_consultations_and_library")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
