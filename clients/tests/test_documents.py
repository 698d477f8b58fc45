"""The diagnosis report: baseline figures and the problem tree drawn, read back from the PDF."""

from decimal import Decimal

import pytest
from django.urls import reverse

from clients.tests.factories import CompanyFactory, DiagnosisFactory, ProblemNodeFactory
from core.models import ReportJob
from core.pdftext import pdf_text

pytestmark = pytest.mark.django_db


def test_the_diagnosis_report_prints_the_baseline_and_draws_the_problem_tree(
    client_for, promoter, lima, django_capture_on_commit_callbacks
):
    company = CompanyFactory(centre=lima, legal_name="Lácteos del Valle EIRL")
    diagnosis = DiagnosisFactory(company=company, promoter=promoter, monthly_sales=Decimal("12500.50"), workers_men=3)
    central = ProblemNodeFactory(diagnosis=diagnosis, kind="central", text="Ventas estancadas")
    cause = ProblemNodeFactory(diagnosis=diagnosis, kind="cause", parent=central, text="Sin registro sanitario")
    ProblemNodeFactory(diagnosis=diagnosis, kind="cause", parent=cause, text="Local sin acabados")
    ProblemNodeFactory(diagnosis=diagnosis, kind="effect", parent=central, text="No entra a bodegas")

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(promoter).post(reverse("report_request", args=["clients.diagnosis", diagnosis.pk]))
    job = ReportJob.objects.get()
    assert response["Location"] == reverse("report_status", args=[job.pk]) and job.status == "done", job.error

    lines = pdf_text(job.file.read()).splitlines()
    text = " ".join(" ".join(lines).split())
    assert "Diagnóstico empresarial" in text and "Lácteos del Valle EIRL" in text
    assert "S/ 12,500.50" in text
    # The tree reads top to bottom: effects, the central problem, causes with their own causes.
    order = [lines.index(t) for t in ("No entra a bodegas", "Ventas estancadas", "Sin registro sanitario")]
    assert order == sorted(order)
    assert "· Local sin acabados" in text
