"""In CI, on a real Redis with a real worker: a requested PDF reaches "done" and its text holds the figures."""

import os
import time
import uuid
from decimal import Decimal

import pytest

from assistance.tests.factories import BudgetLineFactory, ServiceFactory
from clients.tests.factories import CompanyFactory
from core.models import ReportJob
from core.pdftext import pdf_text
from core.reports import report_request

BROKER = os.environ.get("CELERY_BROKER_URL", "")


@pytest.fixture
def real_worker():
    """An embedded Celery worker (a thread of this process, same test database) on a queue of its own."""
    from celery.contrib.testing.worker import start_worker

    from cat_center.celery import app

    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "result_backend", "task_default_queue")}
    app.conf.update(
        task_always_eager=False,
        broker_url=BROKER,
        result_backend=BROKER,
        # Its own queue: another test process on the same Redis cannot take our job, nor we theirs.
        task_default_queue=f"reports-test-{uuid.uuid4().hex[:8]}",
    )
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as worker:
            yield worker
    finally:
        app.conf.update(saved)


@pytest.mark.integration
@pytest.mark.skipif(
    not BROKER.startswith("redis://"), reason="CELERY_BROKER_URL is not a redis:// URL: no real broker to go through"
)
@pytest.mark.django_db(transaction=True)
def test_a_requested_pdf_is_rendered_by_a_real_worker_through_redis(real_worker, coordinator, lima):
    service = ServiceFactory(
        company=CompanyFactory(centre=lima, legal_name="Conservas Tacna Real SAC"), stage="proposal"
    )
    BudgetLineFactory(service=service, quantity=Decimal("12"), unit_cost=Decimal("87.50"))

    job = report_request(user=coordinator, kind="assistance.proposal", object_id=service.pk)

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (ReportJob.Status.DONE, ReportJob.Status.FAILED):
            break
        time.sleep(0.25)
    assert job.status == ReportJob.Status.DONE, f"{job.status}: {job.error}"
    assert job.attempts == 1 and job.started_at and job.finished_at
    text = " ".join(pdf_text(job.file.read()).split())
    assert "Conservas Tacna Real SAC" in text
    assert "S/ 87.50" in text and "S/ 1,050.00" in text
