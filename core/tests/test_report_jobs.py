"""Report jobs: a broker that is down loses nothing, retries back off, one job makes one file, and only the
requester who may still see the record downloads it (page and API)."""

import datetime
from pathlib import Path
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError
from rest_framework.test import APIClient

from assistance.tests.factories import ServiceFactory
from clients.models import Ubigeo
from clients.tests.factories import HUANCAYO_DISTRICT, CompanyFactory
from core.models import ReportJob
from core.reports import report_request, requeue_stale_reports
from core.tasks import render_report

pytestmark = pytest.mark.django_db

FAKE_PDF = b"%PDF-1.7 fake"
KIND = "assistance.expediente"


@pytest.fixture
def fast_pdf():
    with mock.patch("core.reports.render_pdf", return_value=FAKE_PDF) as render:
        yield render


@pytest.fixture
def service(lima):
    return ServiceFactory(company=CompanyFactory(centre=lima, legal_name="Lácteos Santa Rosa"))


def test_with_the_broker_down_the_request_succeeds_and_the_job_waits_queued(
    client_for, coordinator, service, fast_pdf, django_capture_on_commit_callbacks
):
    with (
        mock.patch("core.tasks.render_report.delay", side_effect=OperationalError("Connection refused")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_for(coordinator).post(reverse("report_request", args=[KIND, service.pk]))

    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("report_status", args=[job.pk])
    assert (job.status, job.attempts, job.file.name) == (ReportJob.Status.QUEUED, 0, "")
    fast_pdf.assert_not_called()

    # The broker is back: the beat sweep sends the jobs nobody picked up, and the document is made.
    assert requeue_stale_reports() == 0  # too recent: its own enqueue may still be on its way
    ReportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    assert requeue_stale_reports() == 1
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE and job.file.read() == FAKE_PDF


def test_the_sweep_sends_again_a_job_left_running_past_the_time_limit_by_a_worker_and_message_both_lost(
    coordinator, service, fast_pdf
):
    job = ReportJob.objects.create(
        kind=KIND, object_id=service.pk, requested_by=coordinator, status="running", started_at=timezone.now()
    )
    assert requeue_stale_reports() == 0  # its worker may still be rendering it
    fast_pdf.assert_not_called()

    ReportJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - datetime.timedelta(minutes=11))
    assert requeue_stale_reports() == 1
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE and fast_pdf.call_count == 1 and job.attempts == 1
    assert requeue_stale_reports() == 0  # done: nothing more to send


def test_the_sweep_is_in_the_beat_schedule(settings):
    assert settings.CELERY_BEAT_SCHEDULE["requeue-stale-reports"]["task"] == "core.tasks.requeue_stale_reports"


def _run_as_worker(job, retries, redelivered=False):
    """Run the task body as a worker would on its ``retries``-th retry (not eagerly); ``redelivered``:
    the broker gives the message again because the worker that had it died."""
    render_report.push_request(
        retries=retries, is_eager=False, called_directly=False, delivery_info={"redelivered": redelivered}
    )
    try:
        return render_report.run(str(job.pk))
    finally:
        render_report.pop_request()


def test_a_failure_is_retried_with_back_off_and_the_last_one_is_recorded(coordinator, service):
    job = ReportJob.objects.create(kind=KIND, object_id=service.pk, requested_by=coordinator)
    with (
        mock.patch("core.reports.render_pdf", side_effect=OSError("disk full")),
        mock.patch.object(render_report, "retry", side_effect=Retry()) as retry,
    ):
        for attempt in range(3):
            with pytest.raises(Retry):
                _run_as_worker(job, retries=attempt)
            job.refresh_from_db()
            assert job.status == ReportJob.Status.QUEUED and "disk full" in job.error
        assert [c.kwargs["countdown"] for c in retry.call_args_list] == [10, 20, 40]
        assert _run_as_worker(job, retries=3) == "failed"
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ReportJob.Status.FAILED, 4)
    assert job.error == "OSError: disk full" and job.finished_at is not None


def test_the_task_is_declared_acks_late_with_a_soft_time_limit():
    assert render_report.acks_late is True
    # No result to subscribe to when it is sent: with Redis down that subscription retried for 20 s and
    # held the user's request (`make reliability` saw it); the job in the database is the result.
    assert render_report.ignore_result is True
    assert render_report.soft_time_limit and render_report.time_limit > render_report.soft_time_limit


def test_a_task_whose_worker_died_goes_back_to_the_queue_and_no_live_task_is_redelivered(settings):
    from cat_center.celery import app

    # acks_late alone would acknowledge (and lose) the message of a worker process that died.
    assert render_report.acks_late and render_report.reject_on_worker_lost is True
    assert app.conf.task_reject_on_worker_lost is True
    # Redis gives an unacknowledged message to another worker after the visibility timeout: it must be
    # longer than a PDF can run (hard time limit) plus the longest retry wait, or a live task runs twice.
    longest_retry_wait = 10 * 2 ** (render_report.max_retries - 1)
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert visibility == settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] == 3600
    assert visibility > render_report.time_limit + longest_retry_wait


def test_a_rendering_cut_by_the_time_limit_fails_at_once_with_a_message(coordinator, service):
    from celery.exceptions import SoftTimeLimitExceeded

    job = ReportJob.objects.create(kind=KIND, object_id=service.pk, requested_by=coordinator)
    with mock.patch("core.reports.render_pdf", side_effect=SoftTimeLimitExceeded()):
        assert _run_as_worker(job, retries=0) == "failed"
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED and "demasiado" in job.error


def test_running_a_job_twice_makes_one_file_and_renders_once(coordinator, service, fast_pdf, settings):
    job = ReportJob.objects.create(kind=KIND, object_id=service.pk, requested_by=coordinator)

    render_report.delay(str(job.pk))
    render_report.delay(str(job.pk))

    job.refresh_from_db()
    assert fast_pdf.call_count == 1 and job.attempts == 1
    folder = (Path(settings.MEDIA_ROOT) / job.file.name).parent
    assert [p.name for p in folder.iterdir()] == [Path(job.file.name).name]


def test_a_job_another_worker_is_rendering_is_left_to_it(coordinator, service, fast_pdf):
    job = ReportJob.objects.create(
        kind=KIND, object_id=service.pk, requested_by=coordinator, status="running", started_at=timezone.now()
    )
    render_report.delay(str(job.pk))
    fast_pdf.assert_not_called()

    # ... unless that worker died: after the hard time limit the job may be claimed again.
    ReportJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - datetime.timedelta(hours=1))
    render_report.delay(str(job.pk))
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE and fast_pdf.call_count == 1


def test_a_redelivered_message_takes_over_the_job_its_dead_worker_left_running(
    coordinator, service, fast_pdf, settings
):
    # The worker rendering it was killed: the job says running, with one attempt, and no file.
    job = ReportJob.objects.create(
        kind=KIND, object_id=service.pk, requested_by=coordinator, status="running", started_at=timezone.now()
    )
    ReportJob.objects.filter(pk=job.pk).update(attempts=1)

    assert _run_as_worker(job, retries=0, redelivered=False) == "running"  # another message: left to its worker
    fast_pdf.assert_not_called()
    assert _run_as_worker(job, retries=0, redelivered=True) == "done"  # the dead worker's own message

    job.refresh_from_db()
    assert (job.status, job.attempts, fast_pdf.call_count) == (ReportJob.Status.DONE, 2, 1)
    folder = (Path(settings.MEDIA_ROOT) / job.file.name).parent
    assert [p.name for p in folder.iterdir()] == [Path(job.file.name).name]
    # Delivered once more after it was done (a duplicate): nothing is rendered again.
    assert _run_as_worker(job, retries=0, redelivered=True) == "done" and fast_pdf.call_count == 1


def test_a_document_whose_worker_dies_each_time_is_failed_instead_of_coming_back_for_ever(
    coordinator, service, fast_pdf
):
    from core.tasks import REPORT_MAX_ATTEMPTS

    job = ReportJob.objects.create(
        kind=KIND, object_id=service.pk, requested_by=coordinator, status="running", started_at=timezone.now()
    )
    ReportJob.objects.filter(pk=job.pk).update(attempts=REPORT_MAX_ATTEMPTS)

    assert _run_as_worker(job, retries=0, redelivered=True) == "failed"

    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert job.error == "El proceso se detuvo cada vez que preparaba este documento."
    fast_pdf.assert_not_called()


def test_a_user_of_another_centre_who_learns_a_job_id_gets_404(client_for, coordinator, promoter_huancayo, service):
    with mock.patch("core.reports.render_pdf", return_value=FAKE_PDF):
        job = report_request(user=coordinator, kind=KIND, object_id=service.pk)
    ReportJob.objects.filter(pk=job.pk).update(status="done", file="reports/x.pdf")
    client = client_for(promoter_huancayo)
    assert client.get(reverse("report_status", args=[job.pk])).status_code == 404
    assert client.get(reverse("report_download", args=[job.pk])).status_code == 404
    api = APIClient()
    api.force_authenticate(promoter_huancayo)
    assert api.get(reverse("report-detail", args=[job.pk])).status_code == 404


def test_the_download_asks_again_whether_the_requester_may_see_the_record(
    client_for, coordinator, huancayo, service, fast_pdf, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = report_request(user=coordinator, kind=KIND, object_id=service.pk)
    client = client_for(coordinator)
    assert client.get(reverse("report_download", args=[job.pk])).status_code == 200

    coordinator.centres.set([huancayo])  # moved to another centre: Lima's records are out of reach

    assert client_for(coordinator).get(reverse("report_download", args=[job.pk])).status_code == 404


def test_the_api_answers_202_with_the_job_then_gives_its_status_and_download_link(
    coordinator, promoter, service, fast_pdf, django_capture_on_commit_callbacks
):
    api = APIClient()
    api.force_authenticate(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(reverse("report-list"), {"kind": KIND, "object_id": service.pk}, format="json")

    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "queued" and body["download_url"] is None  # rendered after the answer
    detail = api.get(reverse("report-detail", args=[body["id"]])).json()
    assert detail["status"] == "done"
    assert detail["download_url"].endswith(reverse("report_download", args=[body["id"]]))
    assert detail["title"] == "Expediente del servicio (PDF)"

    ReportJob.objects.create(kind=KIND, object_id=service.pk, requested_by=promoter)
    assert [row["id"] for row in api.get(reverse("report-list")).json()["results"]] == [body["id"]]


def test_the_api_refuses_an_unknown_kind_parameters_a_kind_does_not_take_and_another_centres_record(
    coordinator, huancayo
):
    api = APIClient()
    api.force_authenticate(coordinator)
    theirs = ServiceFactory(
        company=CompanyFactory(centre=huancayo, district=Ubigeo.objects.get(code=HUANCAYO_DISTRICT))
    )
    mine = ServiceFactory(company=CompanyFactory(centre=coordinator.centres.get()))
    url = reverse("report-list")

    assert api.post(url, {"kind": "nothing.here", "object_id": 1}, format="json").status_code == 400
    assert api.post(url, {"kind": KIND, "object_id": theirs.pk}, format="json").status_code == 404
    refused = api.post(url, {"kind": KIND, "object_id": mine.pk, "parameters": {"x": 1}}, format="json")
    assert refused.status_code == 400 and "parameters" in refused.json()
    assert not ReportJob.objects.exists()


def test_my_documents_lists_mine_only_in_a_fixed_number_of_queries(client_for, coordinator, promoter, service):
    from django.db import connection

    def make(user, n):
        ReportJob.objects.bulk_create(
            ReportJob(kind=KIND, object_id=service.pk, requested_by=user, status=s)
            for s in (["done", "failed", "queued"] * n)[:n]
        )

    client = client_for(coordinator)
    make(coordinator, 2)
    make(promoter, 3)
    with CaptureQueriesContext(connection) as few:
        page = client.get(reverse("report_list")).content.decode()
    assert page.count("Expediente del servicio (PDF)") == 2
    make(coordinator, 40)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("report_list")).content.decode()
    assert page.count("Expediente del servicio (PDF)") == 25
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_job_whose_requester_lost_sight_of_the_record_fails_at_once_with_a_message(
    coordinator, huancayo, service, fast_pdf
):
    job = ReportJob.objects.create(kind=KIND, object_id=service.pk, requested_by=coordinator)
    coordinator.centres.set([huancayo])

    assert _run_as_worker(job, retries=0) == "failed"

    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED and job.error == "Ya no puedes ver este registro."
    fast_pdf.assert_not_called()


# --- A double click asks once ----------------------------------------------------------------------


def test_asking_again_for_a_document_on_its_way_gives_the_same_job(coordinator, promoter, service):
    first = report_request(user=coordinator, kind=KIND, object_id=service.pk)
    again = report_request(user=coordinator, kind=KIND, object_id=service.pk)
    assert again.pk == first.pk and ReportJob.objects.count() == 1
    # Another user's request is theirs.
    assert report_request(user=promoter, kind=KIND, object_id=service.pk).pk != first.pk


def test_a_finished_or_older_request_does_not_stand_for_a_new_one(coordinator, service):
    first = report_request(user=coordinator, kind=KIND, object_id=service.pk)
    ReportJob.objects.filter(pk=first.pk).update(status="done", file="reports/x.pdf")
    second = report_request(user=coordinator, kind=KIND, object_id=service.pk)
    assert second.pk != first.pk
    ReportJob.objects.filter(pk=second.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=2))
    assert report_request(user=coordinator, kind=KIND, object_id=service.pk).pk not in {first.pk, second.pk}


def test_the_request_form_sent_twice_makes_one_job(client_for, coordinator, service):
    client = client_for(coordinator)
    url = reverse("report_request", args=[KIND, service.pk])
    first, second = client.post(url), client.post(url)
    assert ReportJob.objects.count() == 1
    assert first["Location"] == second["Location"] == reverse("report_status", args=[ReportJob.objects.get().pk])
