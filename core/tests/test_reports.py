"""Printable documents: requested on a page, rendered to PDF by a Celery task, downloaded by who may see them."""

from unittest import mock

import pytest
from django.urls import reverse

from assistance.tests.factories import BudgetLineFactory, ServiceFactory
from clients.models import Ubigeo
from clients.tests.factories import HUANCAYO_DISTRICT, CompanyFactory
from core.models import ReportJob
from core.tasks import render_report

pytestmark = pytest.mark.django_db(transaction=True)


def _request(client, service):
    return client.post(reverse("report_request", args=["assistance.expediente", service.pk]))


def test_the_expediente_is_rendered_to_a_real_pdf_by_the_task(client_for, coordinator, lima):
    service = ServiceFactory(company=CompanyFactory(centre=lima, legal_name="Lácteos Santa Rosa"), stage="proposal")
    BudgetLineFactory(service=service)
    client = client_for(coordinator)
    response = _request(client, service)
    job = ReportJob.objects.get()
    # Celery runs in-process in tests: the task ran when the request's transaction committed.
    assert response["Location"] == reverse("report_status", args=[job.pk])
    assert job.status == ReportJob.Status.DONE
    waiting = client.get(reverse("report_status", args=[job.pk])).content.decode()
    assert reverse("report_download", args=[job.pk]) in waiting
    download = client.get(reverse("report_download", args=[job.pk]))
    pdf = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/pdf"
    assert pdf.startswith(b"%PDF")
    assert f"expediente-{service.code}.pdf" in download["Content-Disposition"]


def test_rendering_twice_does_no_harm(client_for, coordinator, lima):
    service = ServiceFactory(company=CompanyFactory(centre=lima))
    _request(client_for(coordinator), service)
    job = ReportJob.objects.get()
    first_file = job.file.name
    with mock.patch("core.reports.render_pdf") as render:
        assert render_report.delay(str(job.pk)).get() == "done"
        render.assert_not_called()
    job.refresh_from_db()
    assert job.file.name == first_file


def test_a_failed_rendering_is_recorded_and_shown(client_for, coordinator, lima):
    service = ServiceFactory(company=CompanyFactory(centre=lima))
    with mock.patch("core.reports.render_pdf", side_effect=RuntimeError("no fonts")):
        _request(client_for(coordinator), service)
    job = ReportJob.objects.get()
    assert job.status == ReportJob.Status.FAILED and "no fonts" in job.error
    page = client_for(coordinator).get(reverse("report_status", args=[job.pk])).content.decode()
    assert "no se pudo preparar" in page
    assert client_for(coordinator).get(reverse("report_download", args=[job.pk])).status_code == 404


def test_a_document_of_another_centre_cannot_be_requested(client_for, promoter, huancayo):
    service = ServiceFactory(
        company=CompanyFactory(centre=huancayo, district=Ubigeo.objects.get(code=HUANCAYO_DISTRICT))
    )
    assert _request(client_for(promoter), service).status_code == 404
    assert not ReportJob.objects.exists()


def test_only_the_person_who_asked_follows_and_downloads_the_document(client_for, coordinator, promoter, lima):
    service = ServiceFactory(company=CompanyFactory(centre=lima))
    _request(client_for(coordinator), service)
    job = ReportJob.objects.get()
    other = client_for(promoter)
    assert other.get(reverse("report_status", args=[job.pk])).status_code == 404
    assert other.get(reverse("report_download", args=[job.pk])).status_code == 404


def test_the_waiting_page_polls_while_the_document_is_prepared(client_for, coordinator, lima):
    service = ServiceFactory(company=CompanyFactory(centre=lima))
    job = ReportJob.objects.create(kind="assistance.expediente", object_id=service.pk, requested_by=coordinator)
    body = client_for(coordinator).get(reverse("report_status", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in body
    assert "<html" not in body


def test_an_unknown_kind_of_document_is_a_404_and_no_job(client_for, coordinator, lima):
    response = client_for(coordinator).post(reverse("report_request", args=["nothing.here", 1]))
    assert response.status_code == 404
    assert not ReportJob.objects.exists()
