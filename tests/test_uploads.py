"""Uploaded files are personal documents: served only by views that check who asks, never by URL.

Every FileField of the project has a row here naming the view that serves it; a new FileField
without a row fails ``test_every_file_field_has_a_permission_checked_download``.
"""

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import models
from django.test import Client
from django.urls import get_resolver, reverse
from django.views import static

from assistance.models import TechnicalReport, Visit
from assistance.tests.factories import ServiceFactory
from clients.tests.factories import CompanyFactory
from consultants.tests.factories import PDF_BYTES, ConsultantFactory, DocumentFactory
from consultations.tests.factories import FactSheetFactory
from core.roles import Role
from core.tests.factories import UserFactory
from funds.tests.factories import AEOFactory

pytestmark = pytest.mark.django_db

# field -> the view that serves it and where its centre check is tested
DOWNLOADS = {
    "assistance.Visit.attachment": "assistance:service_file (another centre: 404, below)",
    "assistance.TechnicalReport.file": "assistance:service_file (another centre: 404, below)",
    "consultants.AccreditationDocument.file": "consultants:document_download (another centre: 404, below)",
    "consultations.FactSheet.file": "consultations:fact_sheet_file (another centre's sheet: 404, below)",
    "funds.AEO.minutes": "funds:aeo_minutes (another centre's AEO: 404, below)",
    "training.ModuleComponent.file": "training:component_download (the network's catalogue: any staff)",
    "core.ReportJob.file": "report_download (only who asked: core/tests/test_reports.py)",
}


def test_every_file_field_has_a_permission_checked_download():
    found = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if not model._meta.label.startswith("simple_history") and not model.__name__.startswith("Historical")
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    }
    assert found == set(DOWNLOADS)


def _walk(patterns):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _walk(pattern.url_patterns)
        else:
            yield pattern


def test_no_url_serves_the_media_folder():
    assert not [p for p in _walk(get_resolver().url_patterns) if getattr(p, "callback", None) is static.serve]


def test_a_stored_file_is_not_reachable_at_its_media_url_even_for_an_administrator(client_for, administrator):
    document = DocumentFactory()
    assert document.file.storage.exists(document.file.name)
    assert client_for(administrator).get(document.file.url).status_code == 404


def _other_centre_user(huancayo, role, username):
    return UserFactory(username=username, roles=[role], centres=[huancayo])


def test_a_report_file_of_another_centres_service_answers_404(client_for, coordinator, lima, huancayo):
    service = ServiceFactory(company=CompanyFactory(centre=lima))
    report = TechnicalReport.objects.create(
        service=service,
        summary="Trabajo",
        results="Resultados",
        submitted_by=coordinator,
        file=ContentFile(PDF_BYTES, name="informe.pdf"),
    )
    url = reverse("assistance:service_file", args=[service.pk, "report", report.pk])
    mine = client_for(coordinator).get(url)
    assert mine.status_code == 200 and b"".join(mine.streaming_content).startswith(b"%PDF")
    other = Client()
    other.force_login(_other_centre_user(huancayo, Role.COORDINATOR, "coord_hyo"))
    assert other.get(url).status_code == 404


def test_a_visit_attachment_named_under_another_service_answers_404(client_for, coordinator, lima):
    service = ServiceFactory(company=CompanyFactory(centre=lima))
    elsewhere = ServiceFactory(company=CompanyFactory(centre=lima))
    visit = Visit.objects.create(
        service=elsewhere,
        consultant=ConsultantFactory(centres=[lima]),
        date="2026-01-05",
        hours=2,
        notes="Visita",
        attachment=ContentFile(PDF_BYTES, name="acta.pdf"),
    )
    url = reverse("assistance:service_file", args=[service.pk, "visit", visit.pk])
    assert client_for(coordinator).get(url).status_code == 404


def test_a_consultant_document_of_another_centre_answers_404(client_for, coordinator, huancayo):
    document = DocumentFactory(consultant=ConsultantFactory(centres=[huancayo]))
    url = reverse("consultants:document_download", args=[document.consultant_id, document.pk])
    assert client_for(coordinator).get(url).status_code == 404


def test_a_fact_sheet_file_of_another_centre_answers_404(client_for, front_desk, huancayo, lima):
    theirs = FactSheetFactory(centre=huancayo, file=ContentFile(PDF_BYTES, name="hoja.pdf"))
    ours = FactSheetFactory(centre=lima, file=ContentFile(PDF_BYTES, name="hoja2.pdf"))
    client = client_for(front_desk)
    assert client.get(reverse("consultations:fact_sheet_file", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("consultations:fact_sheet_file", args=[ours.pk])).status_code == 200


def test_an_aeos_minutes_are_served_to_its_centre_and_a_404_elsewhere(client_for, coordinator, huancayo, lima):
    ours, theirs = AEOFactory(centre=lima), AEOFactory(centre=huancayo)
    client = client_for(coordinator)
    mine = client.get(reverse("funds:aeo_minutes", args=[ours.pk]))
    assert mine.status_code == 200 and b"".join(mine.streaming_content).startswith(b"%PDF")
    assert mine["X-Content-Type-Options"] == "nosniff"
    assert client.get(reverse("funds:aeo_minutes", args=[theirs.pk])).status_code == 404
    assert reverse("funds:aeo_minutes", args=[ours.pk]) in client.get(reverse("funds:aeo_detail", args=[ours.pk])).text


def test_an_anonymous_visitor_gets_no_file(lima):
    sheet = FactSheetFactory(centre=lima, file=ContentFile(PDF_BYTES, name="hoja.pdf"))
    response = Client().get(reverse("consultations:fact_sheet_file", args=[sheet.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]
