"""The dashboard's monthly PDF report: the month and the centre are the job's parameters, cleaned and
checked against the user as the page checks them; jobs queued in the old form are refused plainly."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import ReportJob
from core.pdftext import pdf_text
from core.reports import report_render
from core.tests.factories import UserFactory
from monitoring import reports, selectors
from monitoring.tests.factories import build_world

pytestmark = pytest.mark.django_db

URL = reverse("report_request", args=["monitoring.monthly", reports.DASHBOARD])


@pytest.fixture
def world(lima, huancayo):
    return build_world(lima, huancayo, UserFactory(username="builder"))


def text_of(job) -> str:
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    return " ".join(pdf_text(job.file.read()).split())


def test_the_dashboard_asks_for_the_month_and_centre_it_shows(client_for, national_manager, huancayo):
    page = client_for(national_manager).get(
        reverse("monitoring:dashboard"), {"date_from": "2024-01-01", "date_to": "2024-03-31", "centre": huancayo.pk}
    )
    html = page.content.decode()
    assert f'action="{URL}"' in html
    assert 'name="param-month" value="2024-03"' in html
    assert f'name="param-centre" value="{huancayo.pk}"' in html


def test_the_report_of_one_month_and_centre_prints_that_centre_and_month(
    client_for, national_manager, huancayo, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(national_manager).post(URL, {"param-month": "2024-03", "param-centre": str(huancayo.pk)})
    job = ReportJob.objects.get(kind="monitoring.monthly")
    assert response.status_code == 302 and response["Location"] == reverse("report_status", args=[job.pk])
    assert (job.object_id, job.parameters) == (reports.DASHBOARD, {"month": "2024-03", "centre": huancayo.pk})
    assert job.file.name.endswith(f"tablero-2024-03-{huancayo.pk}.pdf")

    text = text_of(job)
    expected = selectors.dashboard(national_manager, datetime.date(2024, 3, 1), datetime.date(2024, 3, 31), huancayo)[
        "cuadro2"
    ]["totals"]
    assert "Informe mensual · marzo 2024" in text
    assert "CentroPyME Huancayo · 01/03/2024 – 31/03/2024" in text
    assert f"Empresas atendidas: {expected['companies']}" in text
    assert "CentroPyME Lima" not in text


def test_a_coordinators_report_without_a_centre_is_of_their_own_centres(
    client_for, coordinator, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(coordinator).post(URL, {"param-month": "2024-02"})
    job = ReportJob.objects.get(kind="monitoring.monthly")
    assert job.parameters == {"month": "2024-02"}
    text = text_of(job)
    expected = selectors.dashboard(coordinator, datetime.date(2024, 2, 1), datetime.date(2024, 2, 29), None)
    assert "Informe mensual · febrero 2024" in text and "Todos los centros · 01/02/2024 – 29/02/2024" in text
    assert f"Empresas atendidas: {expected['cuadro2']['totals']['companies']}" in text


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({}, "Elija el mes del informe (AAAA-MM)."),
        ({"param-month": "2024-13"}, "Elija el mes del informe (AAAA-MM)."),
        ({"param-month": "marzo"}, "Elija el mes del informe (AAAA-MM)."),
        ({"param-month": "1900-01"}, "Elija el mes del informe (AAAA-MM)."),
        ({"param-month": "2024-03", "param-centre": "Lima"}, "Centro desconocido."),
    ],
    ids=["no-month", "month-13", "words", "too-old", "centre-not-an-id"],
)
def test_bad_parameters_are_refused_in_spanish_and_no_job_is_made(client_for, national_manager, parameters, message):
    response = client_for(national_manager).post(URL, parameters, follow=True, HTTP_REFERER="/monitoring/")
    assert message in response.content.decode()
    assert not ReportJob.objects.exists()


def test_a_month_still_to_come_is_refused_and_this_month_is_not(client_for, national_manager):
    client = client_for(national_manager)
    today = timezone.localdate()
    next_month = (today.replace(day=28) + datetime.timedelta(days=5)).strftime("%Y-%m")
    response = client.post(URL, {"param-month": next_month}, follow=True, HTTP_REFERER="/monitoring/")
    assert "El informe mensual no puede ser de un mes que aún no llega." in response.content.decode()
    assert not ReportJob.objects.exists()
    assert client.post(URL, {"param-month": f"{today:%Y-%m}"}).status_code == 302
    assert ReportJob.objects.get().parameters == {"month": f"{today:%Y-%m}"}


def test_a_lima_coordinator_cannot_ask_for_huancayos_report_and_a_promoter_for_any(
    client_for, coordinator, promoter, huancayo, lima
):
    response = client_for(coordinator).post(URL, {"param-month": "2024-03", "param-centre": str(huancayo.pk)})
    assert response.status_code == 404
    assert client_for(promoter).post(URL, {"param-month": "2024-03"}).status_code == 403
    assert not ReportJob.objects.exists()
    # Their own centre, named, is theirs to ask for.
    assert (
        client_for(coordinator).post(URL, {"param-month": "2024-03", "param-centre": str(lima.pk)}).status_code == 302
    )


def test_a_job_whose_centre_the_requester_no_longer_sees_fails_and_is_not_handed_out(coordinator, lima, huancayo):
    job = ReportJob.objects.create(
        kind="monitoring.monthly",
        object_id=reports.DASHBOARD,
        parameters={"month": "2024-03", "centre": huancayo.pk},
        requested_by=coordinator,
    )
    from core.tasks import render_report

    render_report.delay(str(job.pk))
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED and not job.file


def test_a_job_queued_in_the_old_form_fails_with_words_that_say_what_to_do(client_for, coordinator, lima):
    old = ReportJob.objects.create(
        kind="monitoring.monthly", object_id=202403 * 10000 + lima.pk, requested_by=coordinator
    )
    from core.tasks import render_report

    render_report.delay(str(old.pk))
    old.refresh_from_db()
    assert old.status == ReportJob.Status.FAILED
    assert old.error == "Este informe mensual se pidió en una forma anterior: pídalo de nuevo desde el tablero."
    assert old.attempts == 1  # refused once, not retried
    # And asking again in the old form from a stale page is refused with the same words.
    response = client_for(coordinator).post(
        reverse("report_request", args=["monitoring.monthly", 202403 * 10000]), follow=True, HTTP_REFERER="/"
    )
    assert "pídalo de nuevo desde el tablero" in response.content.decode()


def test_an_old_finished_job_is_not_handed_out(client_for, coordinator, lima):
    from django.core.files.base import ContentFile

    old = ReportJob.objects.create(
        kind="monitoring.monthly",
        object_id=202403 * 10000,
        requested_by=coordinator,
        status=ReportJob.Status.DONE,
    )
    old.file.save("tablero-2024-03.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    assert client_for(coordinator).get(reverse("report_download", args=[old.pk])).status_code == 404


def test_rendering_twice_makes_one_file(national_manager, world):
    job = ReportJob.objects.create(
        kind="monitoring.monthly",
        object_id=reports.DASHBOARD,
        parameters={"month": "2024-03"},
        requested_by=national_manager,
    )
    report_render(job)
    report_render(job)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE and job.file.name.endswith("tablero-2024-03.pdf")


def test_the_api_asks_for_the_month_and_centre_as_parameters_under_the_same_rules(coordinator, lima, huancayo):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(coordinator)
    url = reverse("report-list")
    refused = api.post(url, {"kind": "monitoring.monthly", "parameters": {"month": "2999-01"}}, format="json")
    assert refused.status_code == 400
    assert "El informe mensual no puede ser de un mes que aún no llega." in str(refused.json())
    other = {"kind": "monitoring.monthly", "parameters": {"month": "2024-03", "centre": huancayo.pk}}
    assert api.post(url, other, format="json").status_code == 404
    assert not ReportJob.objects.exists()

    own = api.post(
        url, {"kind": "monitoring.monthly", "parameters": {"month": "2024-03", "centre": lima.pk}}, format="json"
    )
    assert own.status_code == 202
    assert ReportJob.objects.get().parameters == {"month": "2024-03", "centre": lima.pk}
