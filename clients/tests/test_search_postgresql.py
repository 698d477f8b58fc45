"""On PostgreSQL the searches read the trigram indexes (migration 0005), not every company."""

import pytest
from django.db import connection

from clients import selectors
from clients.models import Company, Entrepreneur
from clients.tests.factories import CompanyFactory, EntrepreneurFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.integration,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="trigram indexes exist only on PostgreSQL: set DATABASE_URL to a PostgreSQL database (CI does)",
    ),
]


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # A test database is small: the planner may rightly prefer reading the table, or walking the list's
        # order index and filtering. Without those two, the search condition must be served by an index
        # that understands it: the assertion then says whether the trigram index can serve the query as
        # written (at national scale the planner picks it by itself for a rare word: see make bench).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def registry(lima, national_manager):
    """Thousands of companies and people, a few of them matching: a search the index should serve."""
    company = CompanyFactory(centre=lima, legal_name="Panadería Santa Rosa")
    EntrepreneurFactory(centre=lima, company=company, first_name="Rosa", last_name="Panta Quispe")
    template = CompanyFactory(centre=lima, legal_name="Empresa modelo")
    fields = {"centre_id": lima.pk, "subsector_id": template.subsector_id, "district_id": template.district_id}
    others = Company.objects.bulk_create(
        Company(legal_name=f"Empresa {n:05d}", name_key=f"empresa {n:05d}", created_by=national_manager, **fields)
        for n in range(5000)
    )
    Entrepreneur.objects.bulk_create(
        Entrepreneur(
            centre_id=lima.pk, company=other, first_name="Juan", last_name=f"Rojas {n}", gender="M",
            created_by=national_manager,
        )
        for n, other in enumerate(others[:2500])
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Company._meta.db_table}")
        cursor.execute(f"ANALYZE {Entrepreneur._meta.db_table}")
    return company


def test_the_company_search_uses_the_trigram_indexes_and_no_sequential_scan_of_companies(national_manager, registry):
    queryset = selectors.company_search(selectors.company_list(user=national_manager), "panta")
    plan = _plan(queryset)
    assert "company_search_trgm" in plan, plan
    assert "Seq Scan on clients_company" not in plan, plan
    assert registry in queryset
