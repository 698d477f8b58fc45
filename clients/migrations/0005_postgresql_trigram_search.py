"""On PostgreSQL, trigram (pg_trgm, GIN) indexes on the folded search names, so that a search
("%pan%") reads an index instead of every company; and a pattern index on the RUC for its prefix.

SQLite has no such index: there the migration does nothing and the search scans (fine at its size).
Creating pg_trgm needs a superuser or, since PostgreSQL 13, the owner of the database (it is a
trusted extension).
"""

from django.db import migrations

INDEXES = [
    ("company_search_trgm", "CREATE INDEX IF NOT EXISTS company_search_trgm ON clients_company "
     "USING gin (search_name gin_trgm_ops)"),
    ("entrepreneur_search_trgm", "CREATE INDEX IF NOT EXISTS entrepreneur_search_trgm ON clients_entrepreneur "
     "USING gin (search_name gin_trgm_ops)"),
    ("company_ruc_prefix", "CREATE INDEX IF NOT EXISTS company_ruc_prefix ON clients_company "
     "(ruc varchar_pattern_ops)"),
]  # fmt: skip


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for _name, sql in INDEXES:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _sql in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("clients", "0004_fill_search_names")]

    operations = [migrations.RunPython(create, drop)]
