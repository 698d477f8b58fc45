"""Create one group per role. Their permissions are synced after every migrate (core.roles)."""

from django.db import migrations

ROLES = ["promoter", "consultant", "coordinator", "national_manager", "administrator", "credit_officer", "front_desk"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_centres_and_users"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
