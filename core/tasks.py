from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_KEY = "celery:last-heartbeat"


@shared_task
def ping() -> str:
    """The trivial health task: a worker that answers "pong" is alive."""
    return "pong"


@shared_task
def heartbeat() -> str:
    """Run by beat: records when the scheduler and a worker last worked together."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, now, timeout=None)
    return now


@shared_task(bind=True, max_retries=2, default_retry_delay=10)
def render_report(self, job_id: str) -> str:
    """Render a requested PDF. Safe to run twice: a finished job is not rendered again.

    A failure is recorded on the job (the waiting page says so) after the last retry.
    """
    import logging

    from .models import ReportJob
    from .reports import report_render

    job = ReportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None:
        return "missing"
    try:
        report_render(job)
    except Exception as exc:
        logging.getLogger(__name__).exception("Report %s failed", job_id)
        if self.request.called_directly or self.request.is_eager or self.request.retries >= self.max_retries:
            ReportJob.objects.filter(pk=job_id).update(
                status=ReportJob.Status.FAILED, error=str(exc)[:500], finished_at=timezone.now()
            )
            return "failed"
        raise self.retry(exc=exc) from exc
    return "done"
