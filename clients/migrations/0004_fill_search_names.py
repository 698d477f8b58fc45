"""Fill the folded search names of the people, and of the companies with their people's names."""

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
    company_model = apps.get_model("clients", "Company")
    person_model = apps.get_model("clients", "Entrepreneur")
    people = {}
    pending = []
    for row in person_model.objects.only("pk", "company_id", "first_name", "last_name").order_by("pk").iterator(
        chunk_size=CHUNK
    ):
        row.search_name = fold(row.first_name, row.last_name)[:201]
        if row.company_id is not None:
            people.setdefault(row.company_id, []).append(f"{row.first_name} {row.last_name}")
        pending.append(row)
        if len(pending) == CHUNK:
            person_model.objects.bulk_update(pending, ["search_name"])
            pending = []
    person_model.objects.bulk_update(pending, ["search_name"])
    pending = []
    for row in company_model.objects.only("pk", "legal_name", "trade_name").order_by("pk").iterator(chunk_size=CHUNK):
        row.search_name = fold(row.legal_name, row.trade_name, *people.get(row.pk, []))[:1000]
        pending.append(row)
        if len(pending) == CHUNK:
            company_model.objects.bulk_update(pending, ["search_name"])
            pending = []
    company_model.objects.bulk_update(pending, ["search_name"])


class Migration(migrations.Migration):
    dependencies = [("clients", "0003_search_names_and_list_indexes")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
