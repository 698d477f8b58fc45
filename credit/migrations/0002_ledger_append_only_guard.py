"""The ledger is append-only under the ORM too: the database refuses to change or delete an entry.

On PostgreSQL (production and CI) both UPDATE and DELETE raise. On SQLite (a developer's
machine) only UPDATE does: Django's test runner empties tables with DELETE there,
whereas on PostgreSQL it uses TRUNCATE, which row triggers do not see.
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION credit_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'credit ledger entries are append-only: post a reversing entry';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER credit_ledger_no_update BEFORE UPDATE ON credit_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION credit_ledger_append_only();
CREATE TRIGGER credit_ledger_no_delete BEFORE DELETE ON credit_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION credit_ledger_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS credit_ledger_no_update ON credit_ledgerentry;
DROP TRIGGER IF EXISTS credit_ledger_no_delete ON credit_ledgerentry;
DROP FUNCTION IF EXISTS credit_ledger_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER credit_ledger_no_update BEFORE UPDATE ON credit_ledgerentry
BEGIN
    SELECT RAISE(ABORT, 'credit ledger entries are append-only: post a reversing entry');
END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS credit_ledger_no_update;"


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("credit", "0001_fund_ledger_and_loans")]

    operations = [migrations.RunPython(install, remove)]
