"""Fill the folded search names of the companies and people registered before the column existed."""

import unicodedata

from django.db import migrations

CHUNK = 2000


def fold(*parts):
    # A copy of core.text.fold as it was when this migration was written: migrations must not change
    # behaviour when the application code does.
    text = " ".join(part for part in parts if part)
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


def fill(apps, schema_editor):
    for model_name, fields in (("Company", ("legal_name", "trade_name")), ("Entrepreneur", ("first_name", "last_name"))):
        model = apps.get_model("clients", model_name)
        pending = []
        for row in model.objects.only("pk", *fields).order_by("pk").iterator(chunk_size=CHUNK):
            row.search_name = fold(*(getattr(row, field) for field in fields))
            pending.append(row)
            if len(pending) == CHUNK:
                model.objects.bulk_update(pending, ["search_name"])
                pending = []
        model.objects.bulk_update(pending, ["search_name"])


class Migration(migrations.Migration):
    dependencies = [("clients", "0003_search_names_and_list_indexes")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
