"""Printable documents: each app registers its kinds of report; a Celery task renders them to PDF.

A report kind knows how to find its record for a user (the app's scoped selector,
so another centre's record is a 404) and how to render it (a template under
``<app>/templates/<app>/pdf/`` extending ``pdf/base.html``, the one print stylesheet).
Rendering happens in ``core.tasks.render_report``, sent on commit; the waiting page
polls the job until the file is ready, and the download asks the kind again.

The job is the record of the work, the broker only a doorbell: a request that cannot
reach the broker still succeeds and leaves the job queued, and ``requeue_stale_reports``
(beat, every few minutes) rings again for queued jobs nobody picked up.
"""

import atexit
import logging
import mimetypes
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .exceptions import DomainError
from .models import ReportJob

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReportKind:
    """A kind of printable document.

    ``get_object(user, object_id)`` returns the record through the app's scoped selector
    (raising Http404 when the user may not see it); it runs at request, at rendering and at
    download. ``clean_parameters(parameters) -> dict``, when given, validates what the
    requester chose (a date range, a month) raising ``DomainError``; the kind's ``context``
    then receives ``(record, parameters)`` instead of ``(record)``. ``resolve(user, record, parameters)``,
    when given, turns the record and the cleaned parameters into the document's subject (a month of
    one centre of the dashboard), checking what the parameters name against the user (Http404 for
    what they may not see); it runs at request, at rendering and at download, and ``context`` and
    ``filename`` receive what it returns.
    """

    key: str
    title: str
    get_object: Callable  # (user, object_id) -> record, raising Http404 when the user may not see it
    template: str
    context: Callable  # (record) -> dict, or (record, parameters) -> dict with clean_parameters
    filename: Callable  # (record) -> str
    clean_parameters: Callable | None = None  # (dict) -> dict, raising DomainError
    resolve: Callable | None = None  # (user, record, parameters) -> subject, raising Http404 or DomainError

    def subject(self, user, object_id, parameters: dict):
        """The record a job names, as this user may see it, resolved with the job's parameters."""
        record = self.get_object(user, object_id)
        return record if self.resolve is None else self.resolve(user, record, parameters)


_kinds: dict[str, ReportKind] = {}


def register_report(kind: ReportKind) -> None:
    _kinds[kind.key] = kind


def report_kinds() -> dict[str, ReportKind]:
    return dict(_kinds)


def report_kind(key: str) -> ReportKind:
    """The registered kind; an unknown one is a 404 (a page or link that does not exist), never a 500."""
    try:
        return _kinds[key]
    except KeyError as exc:
        raise Http404(f"unknown report {key!r}") from exc


# --- Rendering ------------------------------------------------------------------------------------------


class FetchRefused(ValueError):
    """WeasyPrint asked for something that is not one of the project's static files."""


# The documents name their stylesheet, fonts and logo relative to this made-up origin
# ("css/print.css"); the fetcher maps it to the project's static files found by Django's
# finders, so the same template works with or without collectstatic's hashed names.
PDF_STATIC_BASE = "https://static.cat.internal/"


def _static_path(url: str) -> Path | None:
    """The file on disk behind a URL of the project's static files, or None."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    if parts.scheme == "https" and parts.netloc == urlsplit(PDF_STATIC_BASE).netloc and ".." not in path:
        found = finders.find(path.lstrip("/"))
        return Path(found) if found else None
    if parts.scheme == "file" and parts.netloc in ("", "localhost"):
        roots = [Path(d).resolve() for d in settings.STATICFILES_DIRS] + [Path(settings.STATIC_ROOT).resolve()]
        candidate = Path(path).resolve()
        if any(candidate.is_relative_to(root) for root in roots) and candidate.is_file():
            return candidate
    return None


def _static_only_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """WeasyPrint fetches nothing but the project's static files: no network, no other file on disk.

        A template that names an image on another host, or ``file:///etc/passwd``, would
        otherwise let a document read the machine or call out; here it is refused (WeasyPrint
        leaves the element out and logs a warning).
        """

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = _static_path(url)
            if path is None:
                raise FetchRefused(f"refused to fetch {url!r}: only the project's static files")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    return StaticOnlyFetcher(timeout=5, allow_redirects=False)


def url_fetcher(url: str):
    """Fetch one URL the way documents do (for tests and callers outside WeasyPrint)."""
    return _static_only_fetcher()(url)


PRINT_STYLESHEET = "css/print.css"

# The print stylesheet parsed, its fonts loaded and the logo decoded, kept per thread: a worker
# renders document after document, and parsing them again cost about a tenth of each render.
# WeasyPrint's font configuration is not meant to be shared between threads, hence one per thread.
_print_resources = threading.local()
# Dropped before the interpreter tears its modules down, when WeasyPrint's cleanup can still run.
atexit.register(lambda: _print_resources.__dict__.pop("value", None))


def print_resources() -> tuple:
    """(stylesheet, font configuration, image cache) for this thread, read again if the file changed."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    path = _static_path(PDF_STATIC_BASE + PRINT_STYLESHEET)
    stamp = (str(path), path.stat().st_mtime_ns)
    cached = getattr(_print_resources, "value", None)
    if cached is None or cached[0] != stamp:
        fonts = FontConfiguration()
        sheet = CSS(url=PDF_STATIC_BASE + PRINT_STYLESHEET, url_fetcher=_static_only_fetcher(), font_config=fonts)
        cached = _print_resources.value = (stamp, sheet, fonts, {})
    return cached[1:]


def render_document(html: str):
    """HTML laid out by WeasyPrint with the print stylesheet (a ``weasyprint.Document``, its pages counted)."""
    from weasyprint import HTML

    sheet, fonts, images = print_resources()
    document = HTML(string=html, base_url=PDF_STATIC_BASE, url_fetcher=_static_only_fetcher())
    return document.render(stylesheets=[sheet], font_config=fonts, cache=images)


def html_to_pdf(html: str) -> bytes:
    """HTML to PDF with WeasyPrint and the print stylesheet; static files (fonts, logo) are read from disk only."""
    return render_document(html).write_pdf()


def render_pdf(template: str, context: dict) -> bytes:
    """A document's template to PDF (``site_url`` given, for links printed on paper)."""
    return html_to_pdf(render_to_string(template, {"site_url": settings.SITE_URL, **context}))


# --- Jobs -----------------------------------------------------------------------------------------------


def _enqueue(job_id: str) -> None:
    """Ring the broker; a broker that is down is logged, and the job waits queued for the sweep."""
    from .tasks import render_report

    try:
        render_report.delay(job_id)
    except Exception:
        logger.warning("Report %s could not be enqueued: it stays queued for the next sweep.", job_id, exc_info=True)


# A request for the very document the user asked for this long ago, still queued or running, is the same one.
SAME_REQUEST_WITHIN = timedelta(minutes=1)


@transaction.atomic
def report_request(*, user, kind: str, object_id: int | None = None, parameters: dict | None = None) -> ReportJob:
    """Ask for a document: checks the user may see the record, creates the job, renders it after commit."""
    report = report_kind(kind)
    record = report.get_object(user, object_id)  # Http404 for a record the user may not see
    parameters = parameters or {}
    if report.clean_parameters is not None:
        parameters = report.clean_parameters(parameters)
    elif parameters:
        raise DomainError(_("This document takes no parameters."), field="parameters")
    if report.resolve is not None:
        report.resolve(user, record, parameters)  # what the parameters name, checked against the user
    # A double click (or a resent form) asks for the same document again while the first is still
    # on its way: it gets that job, not a second one. The user's row serialises their requests, so
    # two clicks that arrive together cannot both miss the first job.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    pending = (
        ReportJob.objects.filter(
            kind=kind,
            object_id=object_id,
            parameters=parameters,
            requested_by=user,
            status__in=[ReportJob.Status.QUEUED, ReportJob.Status.RUNNING],
            created_at__gte=timezone.now() - SAME_REQUEST_WITHIN,
        )
        .order_by("-created_at")
        .first()
    )
    if pending is not None:
        return pending
    job = ReportJob.objects.create(kind=kind, object_id=object_id, parameters=parameters, requested_by=user)
    transaction.on_commit(lambda: _enqueue(str(job.pk)))
    return job


def _claim(job_id, stale_after: timedelta, *, takeover: bool = False) -> bool:
    """Mark a job running, once: a second message for it (the sweep's) finds it taken and leaves it.

    A job left running longer than the task's hard time limit belonged to a worker that
    died; it may be claimed again. So may a running job when ``takeover``: the broker gave
    back the very message whose worker died mid-task (see ``report_render``).
    """
    now = timezone.now()
    claimable = Q(status=ReportJob.Status.QUEUED) | Q(status=ReportJob.Status.RUNNING, started_at__lt=now - stale_after)
    if takeover:
        claimable |= Q(status=ReportJob.Status.RUNNING)
    return bool(
        ReportJob.objects.filter(claimable, pk=job_id).update(
            status=ReportJob.Status.RUNNING, started_at=now, attempts=F("attempts") + 1
        )
    )


def report_render(job: ReportJob, *, redelivered: bool = False) -> ReportJob:
    """Render a job's PDF into its file field. Idempotent: a finished or taken job is left as it is.

    ``redelivered``: the broker gives this message again because the worker that had it died
    before acknowledging it (acks_late with reject_on_worker_lost, or Redis's visibility
    timeout when the whole worker went). Whoever marked the job running is gone, so this run
    takes it over at once instead of waiting for it to go stale.
    """
    stale_after = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    if job.status == ReportJob.Status.DONE or not _claim(job.pk, stale_after, takeover=redelivered):
        return job
    report = report_kind(job.kind)
    # The document is rendered as the person who asked for it would see it, in Spanish.
    with translation.override(settings.LANGUAGE_CODE):
        record = report.subject(job.requested_by, job.object_id, job.parameters)
        context = report.context(record, job.parameters) if report.clean_parameters else report.context(record)
        content = render_pdf(
            report.template,
            {
                "centre": getattr(record, "centre", None),
                **context,
                "generated_at": timezone.now(),
                "document_title": report.title,
                "parameters": job.parameters,
            },
        )
        filename = report.filename(record)
    job.refresh_from_db(fields=["file"])
    if job.file:  # a half-finished earlier attempt: one file per job, never two
        job.file.delete(save=False)
    job.file.save(filename, ContentFile(content), save=False)
    job.status = ReportJob.Status.DONE
    job.error = ""
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "status", "error", "finished_at"])
    return job


def report_release(job_id, error: str) -> None:
    """An attempt failed and will be retried: the job goes back to queued, the error kept for the page."""
    ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.RUNNING).update(
        status=ReportJob.Status.QUEUED, error=error[:500]
    )


def report_fail(job_id, error: str) -> None:
    """The last attempt failed: the job says so, with the reason, and is not retried."""
    ReportJob.objects.filter(pk=job_id).exclude(status=ReportJob.Status.DONE).update(
        status=ReportJob.Status.FAILED, error=error[:500], finished_at=timezone.now()
    )


def requeue_stale_reports(*, older_than: timedelta = timedelta(minutes=2)) -> int:
    """Enqueue again the jobs still queued after ``older_than``: their first enqueue was lost.

    And the jobs running for longer than the hard time limit: their worker died and the message
    that would have come back went too (a Redis restarted without its data, a visibility timeout
    never reached); ``_claim`` lets the new message take them.
    """
    now = timezone.now()
    stale_running = Q(
        status=ReportJob.Status.RUNNING, started_at__lt=now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    )
    waiting = Q(status=ReportJob.Status.QUEUED, created_at__lt=now - older_than)
    ids = list(ReportJob.objects.filter(waiting | stale_running).values_list("pk", flat=True)[:500])
    for pk in ids:
        _enqueue(str(pk))
    return len(ids)


def reports_of(user):
    """The documents a user asked for, newest first (the "my documents" page and the API)."""
    return ReportJob.objects.filter(requested_by=user).order_by("-created_at")


def job_display_name(job: ReportJob) -> str:
    kind = _kinds.get(job.kind)
    return str(kind.title) if kind else job.kind
