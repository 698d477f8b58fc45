"""The course certificate: requested on the course page, rendered to a real PDF by the task."""

from unittest import mock

import pytest
from django.urls import reverse

from core import reports
from core.models import ReportJob
from training import services
from training.tests.factories import build_offering, person

pytestmark = pytest.mark.django_db(transaction=True)


def _completed(centre, coordinator):
    offering = build_offering("running", coordinator=coordinator, centre=centre, start_in=-8, sessions=1)
    enrolment = services.enrolment_create(
        user=coordinator, offering=offering, entrepreneur=person(centre, first_name="Rosa", last_name="Huamán")
    )
    services.attendance_record(
        user=coordinator, offering=offering, marks=[(enrolment.pk, offering.sessions.get().pk, True)]
    )
    services.offering_set_status(user=coordinator, offering=offering, status="finished")
    enrolment.refresh_from_db()
    return enrolment


def test_the_certificate_is_rendered_to_a_real_pdf_with_its_verification_code(client_for, coordinator, lima):
    enrolment = _completed(lima, coordinator)
    client = client_for(coordinator)
    rendered = []

    def spy(template, context):
        rendered.append(reports.render_to_string(template, context))
        return real(template, context)

    real = reports.render_pdf
    with mock.patch("core.reports.render_pdf", side_effect=spy):
        response = client.post(reverse("report_request", args=["training.certificate", enrolment.pk]))
    job = ReportJob.objects.get()
    assert response["Location"] == reverse("report_status", args=[job.pk])
    assert job.status == ReportJob.Status.DONE, job.error
    download = client.get(reverse("report_download", args=[job.pk]))
    pdf = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/pdf" and pdf.startswith(b"%PDF")
    assert f"certificado-{enrolment.certificate_code}.pdf" in download["Content-Disposition"]
    # What was printed: the person, the course and the code anyone can check on the public page.
    assert "Rosa Huamán" in rendered[0] and enrolment.offering.module.name in rendered[0]
    assert f"?code={enrolment.certificate_code}" in rendered[0]


def test_no_certificate_for_someone_who_did_not_complete_nor_for_another_centres_staff(
    client_for, coordinator, promoter_huancayo, lima
):
    offering = build_offering("running", coordinator=coordinator, centre=lima, start_in=-8, sessions=1)
    absent = services.enrolment_create(user=coordinator, offering=offering, entrepreneur=person(lima))
    services.offering_set_status(user=coordinator, offering=offering, status="finished")
    assert (
        client_for(coordinator).post(reverse("report_request", args=["training.certificate", absent.pk])).status_code
        == 404
    )
    enrolment = _completed(lima, coordinator)
    assert (
        client_for(promoter_huancayo)
        .post(reverse("report_request", args=["training.certificate", enrolment.pk]))
        .status_code
        == 404
    )
    assert not ReportJob.objects.exists()
