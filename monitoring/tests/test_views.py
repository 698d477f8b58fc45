"""The dashboard page, its downloads and its API: scoping, numbers, links and a fixed number of queries."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.tests.factories import UserFactory
from monitoring.tests.factories import build_world

pytestmark = pytest.mark.django_db

PERIOD = {"date_from": "2024-01-01", "date_to": "2024-12-31"}


@pytest.fixture
def world(lima, huancayo):
    return build_world(lima, huancayo, UserFactory(username="builder"))


def test_a_promoter_may_not_open_the_dashboard_and_a_coordinator_may(client_for, promoter, coordinator, world):
    assert client_for(promoter).get(reverse("monitoring:dashboard"), PERIOD).status_code == 403
    response = client_for(coordinator).get(reverse("monitoring:dashboard"), PERIOD)
    assert response.status_code == 200
    assert response.context["data"]["cuadro2"]["totals"]["companies"] > 0


def test_the_menu_shows_the_dashboard_to_managers_only(client_for, coordinator, promoter):
    url = reverse("monitoring:dashboard")
    assert url.encode() in client_for(coordinator).get(reverse("home")).content
    assert url.encode() not in client_for(promoter).get(reverse("home")).content


def test_a_lima_coordinator_sees_lima_only_and_cannot_choose_a_centre(client_for, coordinator, huancayo, world):
    response = client_for(coordinator).get(reverse("monitoring:dashboard"), {**PERIOD, "centre": huancayo.pk})
    assert "centre" not in response.context["form"].fields
    html = response.content.decode()
    assert "CentroPyME Lima" in html and "CentroPyME Huancayo" not in html


def test_the_national_manager_sees_both_centres_the_total_and_may_choose_one(
    client_for, national_manager, lima, huancayo, world
):
    client = client_for(national_manager)
    every = client.get(reverse("monitoring:dashboard"), PERIOD).context["data"]["cuadro2"]
    assert {r["centre"] for r in every["rows"]} == {lima.name, huancayo.name}
    one = client.get(reverse("monitoring:dashboard"), {**PERIOD, "centre": huancayo.pk}).context["data"]["cuadro2"]
    assert {r["centre"] for r in one["rows"]} == {huancayo.name}
    assert one["totals"]["companies"] < every["totals"]["companies"]


def test_a_period_that_ends_before_it_starts_is_refused(client_for, coordinator):
    response = client_for(coordinator).get(
        reverse("monitoring:dashboard"), {"date_from": "2024-12-31", "date_to": "2024-01-01"}
    )
    assert response.status_code == 400
    assert "date_to" in response.context["form"].errors


def test_numbers_link_to_the_filtered_list_behind_them(client_for, coordinator, lima, world):
    html = client_for(coordinator).get(reverse("monitoring:dashboard"), PERIOD).content.decode()
    assert f"{reverse('assistance:service_list')}?centre={lima.pk}" in html
    assert f'{reverse("assistance:service_list")}?stage=promotion"' in html
    assert f"{reverse('consultations:consultation_list')}?date_from=2024-01-01&amp;date_to=2024-12-31" in html


def test_the_page_runs_as_many_queries_with_ten_times_the_data(client_for, national_manager, lima, huancayo):
    builder = UserFactory(username="builder")
    build_world(lima, huancayo, builder, scale=1, seed=1)
    client = client_for(national_manager)
    client.get(reverse("monitoring:dashboard"), PERIOD)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("monitoring:dashboard"), PERIOD).status_code == 200
    build_world(lima, huancayo, builder, scale=10, seed=2)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("monitoring:dashboard"), PERIOD)
    assert len(large) == len(small)


def test_each_table_downloads_as_csv_and_xlsx_with_the_pages_numbers(client_for, national_manager, world):
    client = client_for(national_manager)
    table = client.get(reverse("monitoring:dashboard"), PERIOD).context["data"]["cuadro2"]
    url = reverse("monitoring:dashboard_export", args=["cuadro2"])
    response = client.get(url, {**PERIOD, "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["Servicio", "Centro", "Empresas", "Protoempresas"] or rows[0][2:] == [
        "Companies",
        "Protoempresas",
    ]
    assert rows[-1][2:] == [str(table["totals"]["companies"]), str(table["totals"]["protoempresas"])]
    response = client.get(url, {**PERIOD, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    last = list(sheet.iter_rows(values_only=True))[-1]
    assert list(last[2:]) == [table["totals"]["companies"], table["totals"]["protoempresas"]]
    for key in ("pipeline", "impact", "training", "consultations_topic", "credit_operator", "profile_people",
                "economics"):  # fmt: skip
        assert client.get(reverse("monitoring:dashboard_export", args=[key]), PERIOD).status_code == 200
    assert client.get(reverse("monitoring:dashboard_export", args=["nothing"]), PERIOD).status_code == 404


def test_the_api_gives_the_same_figures_scoped_like_the_page(client_for, coordinator, national_manager, lima, world):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(coordinator)
    body = api.get(reverse("monitoring-summary"), PERIOD).json()
    assert {row["centre"] for row in body["cuadro2"]} == {lima.name}
    assert set(body["cuadro2"][0]) == {"service", "centre", "companies", "protoempresas"}
    api.force_authenticate(national_manager)
    body = api.get(reverse("monitoring-summary"), PERIOD).json()
    page = client_for(national_manager).get(reverse("monitoring:dashboard"), PERIOD).context["data"]["cuadro2"]
    assert body["totals"] == page["totals"]
    assert len(body["cuadro2"]) == 6
    assert body["training"]["participants"] > 0 and "by_operator" in body["credit"]


def test_the_api_answers_400_with_the_field_on_a_bad_date(national_manager):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(national_manager)
    response = api.get(reverse("monitoring-summary"), {"date_from": "2024-13-01", "date_to": "2024-12-31"})
    assert response.status_code == 400 and "date_from" in response.json()
    response = api.get(reverse("monitoring-summary"), {"date_from": "2024-12-01", "date_to": "2024-01-31"})
    assert response.status_code == 400 and "date_to" in response.json()
    response = api.get(reverse("monitoring-summary"), {**PERIOD, "centre": 999999})
    assert response.status_code == 400 and "centre" in response.json()
