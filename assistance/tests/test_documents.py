"""The service's printable documents: each rendered for real and read back from the PDF."""

import pytest

from assistance.models import Stage
from assistance.tests.factories import build_service
from clients.tests.factories import CompanyFactory, EntrepreneurFactory
from core.models import ReportJob
from core.pdftext import pdf_text
from core.reports import report_request
from core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_service(lima, promoter, coordinator, consultant):
    company = CompanyFactory(centre=lima, legal_name="Panificadora Santa Rosa SAC", created_by=promoter)
    EntrepreneurFactory(
        centre=lima, company=company, relationship="owner", first_name="Rosa", last_name="Quispe", dni="40123456"
    )
    return build_service(
        Stage.CLOSED,
        promoter=promoter,
        coordinator=coordinator,
        consultant_user=consultant,
        centre=lima,
        company=company,
    )


def _text(user, kind, service, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        job = report_request(user=user, kind=kind, object_id=service.pk)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    return " ".join(pdf_text(job.file.read()).split())  # one line: a wrapped cell reads as it prints


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("assistance.expediente", ["Expediente del servicio", "Horno sin mantenimiento", "S/ 400.00"]),
        (
            "assistance.proposal",
            ["Propuesta técnica económica", "S/ 400.00", "Rosa Quispe", "DNI 40123456", "El propietario, por"],
        ),
        ("assistance.action_plan", ["Plan de acción", "Merma", "15.00", "5.00"]),
        ("assistance.technical_report", ["Informe técnico"]),
        ("assistance.evaluation", ["Evaluación del servicio", "Merma", "15.00", "5.00", "4.00", "meta cumplida"]),
    ],
)
def test_each_document_of_a_service_prints_the_company_and_its_figures(
    kind, expected, closed_service, coordinator, django_capture_on_commit_callbacks
):
    text = _text(coordinator, kind, closed_service, django_capture_on_commit_callbacks)

    assert "Panificadora Santa Rosa SAC" in text
    assert closed_service.code in text
    assert "CentroPyME Lima" in text and "Página 1 de" in text
    for words in expected:
        assert words in text, f"{words!r} missing from {kind}"


def test_a_consultant_not_on_the_service_cannot_ask_for_its_documents(closed_service):
    from django.http import Http404

    outsider = UserFactory(roles=["consultant"], centres=[closed_service.centre])
    with pytest.raises(Http404):
        report_request(user=outsider, kind="assistance.proposal", object_id=closed_service.pk)
