"""Lists count exactly while it is cheap and say "more than" beyond the limit, with pages up to it."""

import pytest
from django.urls import reverse

from clients.tests.test_views import bulk_companies
from core import pagination

pytestmark = pytest.mark.django_db


def test_a_list_under_the_limit_shows_its_exact_count(client_for, promoter, lima, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_LIMIT", 50)
    bulk_companies(30, lima, promoter)
    response = client_for(promoter).get(reverse("clients:company_list"))
    paginator = response.context["page_obj"].paginator
    assert (paginator.count, paginator.is_capped, paginator.num_pages) == (30, False, 2)
    assert "30 registros" in response.content.decode()


def test_a_list_over_the_limit_says_more_than_and_offers_pages_up_to_the_limit(client_for, promoter, lima, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_LIMIT", 50)
    bulk_companies(80, lima, promoter)
    response = client_for(promoter).get(reverse("clients:company_list"), {"page": "9"})
    page = response.context["page_obj"]
    assert (page.paginator.count, page.paginator.is_capped, page.number) == (50, True, 2)
    assert "Más de 50 registros" in response.content.decode()
    assert [c.legal_name for c in page][-1] == "Empresa 00049"


def test_a_deep_page_shows_the_same_rows_as_a_plain_offset_would(client_for, promoter, lima, monkeypatch):
    monkeypatch.setattr(pagination, "DEFERRED_JOIN_FROM", 20)
    bulk_companies(80, lima, promoter)
    page = client_for(promoter).get(reverse("clients:company_list"), {"page": "3", "o": "-annual_sales"})
    assert [c.legal_name for c in page.context["page_obj"]] == [f"Empresa {i:05d}" for i in range(29, 4, -1)]
