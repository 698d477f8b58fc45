import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from clients.models import NeedType
from clients.tests.factories import CompanyFactory
from consultations.models import Consultation
from consultations.tests.factories import ConsultationFactory, FactSheetFactory, SupplierFactory, topic

pytestmark = pytest.mark.django_db


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_desk_logs_a_referral_through_the_api_and_it_becomes_a_need(front_desk, lima):
    company = CompanyFactory(centre=lima)
    response = _api(front_desk).post(
        reverse("consultation-list"),
        {
            "topic": topic().pk,
            "channel": "internet",
            "question": "¿Tienen crédito para un horno?",
            "started_at": "2026-11-30T10:00:00-05:00",
            "ended_at": "2026-11-30T10:12:00-05:00",
            "company": company.pk,
            "referral": "credit",
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["over_limit"] is True and response.data["duration_minutes"] == 12.0
    assert response.data["need_status"] == "open"
    assert Consultation.objects.get().need.need_type == NeedType.CREDIT


def test_an_end_before_the_start_is_a_400_with_the_reason(front_desk, lima):
    response = _api(front_desk).post(
        reverse("consultation-list"),
        {
            "topic": topic().pk,
            "question": "¿?",
            "contact_name": "Ana",
            "started_at": "2026-11-30T10:00:00-05:00",
            "ended_at": "2026-11-30T09:00:00-05:00",
        },
        format="json",
    )
    assert response.status_code == 400
    assert Consultation.objects.count() == 0


def test_the_api_lists_only_the_users_centres_consultations(front_desk, lima, huancayo):
    mine = ConsultationFactory(centre=lima)
    ConsultationFactory(centre=huancayo)
    response = _api(front_desk).get(reverse("consultation-list"))
    assert [row["id"] for row in response.data["results"]] == [mine.pk]


def test_the_library_api_shows_network_entries_and_the_users_centres(credit_officer, lima, huancayo):
    network = SupplierFactory(centre=None, source="ipenbal")
    SupplierFactory(centre=lima)
    sheet = FactSheetFactory(centre=huancayo)
    client = _api(credit_officer)
    assert [row["id"] for row in client.get(reverse("supplier-list")).data["results"]] == [network.pk]
    assert [row["id"] for row in client.get(reverse("fact-sheet-list")).data["results"]] == [sheet.pk]
