import logging

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

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


# A PDF that takes longer than this is a template gone wrong (a listing of thousands of rows
# in a table): the worker stops it and the job says so, instead of holding a worker for ever.
REPORT_SOFT_TIME_LIMIT = 120
# A document whose rendering kills its worker (out of memory) would come back for ever with
# reject_on_worker_lost: after this many attempts a redelivered job is failed instead.
REPORT_MAX_ATTEMPTS = 5


@shared_task(
    bind=True,
    acks_late=True,
    # The job in the database is the result (the page polls it). With a result, sending the task also
    # subscribes to it on Redis, which retries for 20 s when Redis is down: the request would hang.
    ignore_result=True,
    max_retries=3,
    soft_time_limit=REPORT_SOFT_TIME_LIMIT,
    time_limit=REPORT_SOFT_TIME_LIMIT + 30,
)
def render_report(self, job_id: str) -> str:
    """Render a requested PDF into the job's file. Safe to run twice: one job, one file.

    acks_late: a worker that dies mid-render leaves the message on the broker for another;
    the redelivered message takes over the job its dead worker left running (core.reports),
    up to REPORT_MAX_ATTEMPTS attempts.
    A failure is retried with back-off (10 s, 20 s, 40 s); after the last one the job is
    marked failed with the reason, which the waiting page and the API show. A rendering
    cut by the time limit is not retried: it would only be cut again.
    """
    from .models import ReportJob

    job = ReportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None:
        return "missing"
    with translation.override(settings.LANGUAGE_CODE):  # the message is shown to Spanish-reading staff
        return _render(self, job)


def _render(task, job) -> str:
    from celery.exceptions import SoftTimeLimitExceeded
    from django.http import Http404

    from .exceptions import DomainError
    from .reports import report_fail, report_release, report_render

    job_id = str(job.pk)
    redelivered = bool((task.request.delivery_info or {}).get("redelivered"))
    if redelivered and job.status == job.Status.RUNNING and job.attempts >= REPORT_MAX_ATTEMPTS:
        logger.error("Report %s: its worker stopped on each of %s attempts; given up.", job_id, job.attempts)
        report_fail(job_id, _("The worker stopped each time it prepared this document."))
        return "failed"
    try:
        job = report_render(job, redelivered=redelivered)
    except SoftTimeLimitExceeded:
        logger.warning("Report %s took too long and was stopped.", job_id)
        report_fail(job_id, _("The document took too long to prepare."))
        return "failed"
    except Http404:
        # The requester may no longer see the record (moved to another centre, access withdrawn).
        report_fail(job_id, _("You may no longer see this record."))
        return "failed"
    except DomainError as refusal:
        # A rule refused the job (say, one queued in a form the kind no longer reads): trying again
        # would be refused again, so it fails at once with the rule's own words.
        report_fail(job_id, str(refusal))
        return "failed"
    except Exception as exc:
        logger.exception("Report %s failed (attempt %s)", job_id, task.request.retries + 1)
        error = f"{type(exc).__name__}: {exc}"
        if task.request.called_directly or task.request.is_eager or task.request.retries >= task.max_retries:
            report_fail(job_id, error)
            return "failed"
        report_release(job_id, error)
        raise task.retry(exc=exc, countdown=10 * 2**task.request.retries) from exc
    return job.status


@shared_task
def requeue_stale_reports() -> int:
    """Beat: send again the documents still queued a few minutes after they were asked for
    (the broker was down when they were requested, or the message was lost)."""
    from .reports import requeue_stale_reports as requeue

    return requeue()


@shared_task
def send_reminders() -> dict:
    """Beat, every morning: write the day's reminders from every app's due dates, then e-mail the digests.

    Idempotent: a second run the same day writes no reminder twice and sends no e-mail twice.
    """
    from .reminders import reminders_run

    return reminders_run()


@shared_task
def purge_submission_tokens() -> int:
    """Beat, daily: forget the one-time tokens of forms sent more than a week ago (core.idempotency)."""
    from .idempotency import purge

    return purge()
