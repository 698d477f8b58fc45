"""Course documents read back from the PDF: the attendance list and the completion certificate."""

import pytest

from clients.tests.factories import CompanyFactory, EntrepreneurFactory
from core.models import ReportJob
from core.pdftext import pdf_text
from core.reports import report_request
from training import services
from training.tests.factories import build_offering, person

pytestmark = pytest.mark.django_db


def _text(user, kind, pk, capture) -> str:
    with capture(execute=True):
        job = report_request(user=user, kind=kind, object_id=pk)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    return " ".join(pdf_text(job.file.read()).split())


@pytest.fixture
def finished_course(lima, coordinator):
    offering = build_offering("running", coordinator=coordinator, centre=lima, start_in=-8, sessions=2)
    rosa = services.enrolment_create(
        user=coordinator,
        offering=offering,
        entrepreneur=EntrepreneurFactory(
            centre=lima,
            first_name="Rosa",
            last_name="Huamán",
            company=CompanyFactory(centre=lima, legal_name="Chocolates Amazonía SAC"),
        ),
    )
    luis = services.enrolment_create(
        user=coordinator, offering=offering, entrepreneur=person(lima, first_name="Luis", last_name="Pari")
    )
    first, second = offering.sessions.order_by("date")
    services.attendance_record(
        user=coordinator,
        offering=offering,
        marks=[(rosa.pk, first.pk, True), (rosa.pk, second.pk, True), (luis.pk, first.pk, True)],
    )
    services.offering_set_status(user=coordinator, offering=offering, status="finished")
    rosa.refresh_from_db()
    return offering, rosa


def test_the_attendance_list_prints_each_participant_with_their_attendance_and_the_price(
    finished_course, coordinator, django_capture_on_commit_callbacks
):
    offering, _rosa = finished_course
    text = _text(coordinator, "training.attendance", offering.pk, django_capture_on_commit_callbacks)

    assert "Lista de asistencia" in text and offering.module.name in text
    assert "Huamán, Rosa" in text and "Chocolates Amazonía SAC" in text and "2/2 (100 %)" in text
    assert "Pari, Luis" in text and "1/2 (50 %)" in text
    assert "S/ 100.00" in text and "S/ 40.00" in text


def test_the_certificate_prints_the_person_the_course_and_its_verification_code(
    finished_course, coordinator, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://cat.example.pe"
    offering, rosa = finished_course
    text = _text(coordinator, "training.certificate", rosa.pk, django_capture_on_commit_callbacks)

    assert "Certificado" in text and "Rosa Huamán" in text and "Chocolates Amazonía SAC" in text
    assert offering.module.name in text and rosa.certificate_code in text
    assert f"https://cat.example.pe/training/certificates/?code={rosa.certificate_code}" in text  # whole, on paper
    assert "CentroPyME Lima" in text
