"""The Django admin's company and people changelists search as the pages do and page deep through the index."""

import pytest
from django.urls import reverse

from clients.tests.factories import CompanyFactory, EntrepreneurFactory
from core import pagination

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_for(client_for, administrator):
    administrator.is_staff = True
    administrator.save(update_fields=["is_staff"])
    return client_for(administrator)


def test_the_admin_finds_panaderia_without_accents_like_the_pages(admin_client_for, lima):
    CompanyFactory(centre=lima, legal_name="PANADERÍA EL TRIGAL")
    CompanyFactory(centre=lima, legal_name="Lácteos Mantaro")
    EntrepreneurFactory(centre=lima, first_name="Óscar", last_name="Ñahui")
    companies = admin_client_for.get(reverse("admin:clients_company_changelist"), {"q": "panaderia"})
    assert [c.legal_name for c in companies.context["cl"].result_list] == ["PANADERÍA EL TRIGAL"]
    people = admin_client_for.get(reverse("admin:clients_entrepreneur_changelist"), {"q": "oscar"})
    assert [p.last_name for p in people.context["cl"].result_list] == ["Ñahui"]


def test_a_deep_admin_page_lists_the_same_companies_as_an_offset_would(admin_client_for, lima, monkeypatch):
    monkeypatch.setattr(pagination, "DEFERRED_JOIN_FROM", 50)
    for n in range(130):
        CompanyFactory(centre=lima, legal_name=f"Empresa {n:03d}")
    response = admin_client_for.get(reverse("admin:clients_company_changelist"), {"p": "2"})
    assert [c.legal_name for c in response.context["cl"].result_list] == [f"Empresa {n:03d}" for n in range(100, 130)]
