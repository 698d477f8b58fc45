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


def _href(html: str, marker: str) -> str:
    """The href of the first link whose tag contains ``marker`` (e.g. ``rel="next"``)."""
    import re

    tag = next(t for t in re.findall(r"<a [^>]*>", html) if marker in t)
    return re.search(r'href="([^"]*)"', tag).group(1).replace("&amp;", "&")


def test_the_next_page_link_opens_the_next_page_and_keeps_the_search(client_for, promoter, lima):
    # Django 5.2's {% querystring %} writes the "?" itself: a second one made "??page=2", which opened page 1 again.
    bulk_companies(30, lima, promoter)
    client = client_for(promoter)
    url = reverse("clients:company_list")
    first = client.get(url, {"q": "Empresa"}).content.decode()
    href = _href(first, 'rel="next"')
    assert href.startswith("?") and not href.startswith("??")
    second = client.get(url + href)
    assert second.context["page_obj"].number == 2
    assert second.context["filter"].form.cleaned_data["q"] == "Empresa"


def test_the_export_links_download_the_list_as_shown(client_for, promoter, lima):
    bulk_companies(3, lima, promoter)
    client = client_for(promoter)
    url = reverse("clients:company_list")
    page = client.get(url, {"q": "Empresa"}).content.decode()
    for fmt, content_type in (("csv", "text/csv"), ("xlsx", "application/vnd.openxmlformats")):
        href = _href(page, f"export={fmt}")
        assert href.startswith("?") and not href.startswith("??")
        response = client.get(url + href)
        assert response["Content-Type"].startswith(content_type), fmt
