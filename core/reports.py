"""Printable documents: each app registers its kinds of report; a Celery task renders them to PDF.

A report kind knows how to find its record for a user (the app's scoped selector,
so another centre's record is a 404) and how to render it (a template under
``<app>/templates/<app>/pdf/``). Rendering happens in ``core.tasks.render_report``,
sent on commit; the waiting page polls the job until the file is ready.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import ReportJob


@dataclass(frozen=True)
class ReportKind:
    key: str
    title: str
    get_object: Callable  # (user, object_id) -> record, raising Http404 when the user may not see it
    template: str
    context: Callable  # (record) -> dict
    filename: Callable  # (record) -> str


_kinds: dict[str, ReportKind] = {}


def register_report(kind: ReportKind) -> None:
    _kinds[kind.key] = kind


def report_kind(key: str) -> ReportKind:
    """The registered kind; an unknown one is a 404 (a page or link that does not exist), never a 500."""
    try:
        return _kinds[key]
    except KeyError as exc:
        raise Http404(f"unknown report {key!r}") from exc


def render_pdf(template: str, context: dict) -> bytes:
    """HTML template to PDF with WeasyPrint; static files (CSS) are read from disk, not over HTTP."""
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


@transaction.atomic
def report_request(*, user, kind: str, object_id: int) -> ReportJob:
    """Ask for a document: checks the user may see the record, creates the job, renders it after commit."""
    from .tasks import render_report

    report = report_kind(kind)
    report.get_object(user, object_id)  # Http404 for a record the user may not see
    job = ReportJob.objects.create(kind=kind, object_id=object_id, requested_by=user)
    transaction.on_commit(lambda: render_report.delay(str(job.pk)))
    return job


def report_render(job: ReportJob) -> ReportJob:
    """Render a job's PDF into its file field. Idempotent: a finished job is left as it is."""
    if job.status == ReportJob.Status.DONE and job.file:
        return job
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.RUNNING)
    report = report_kind(job.kind)
    # The document is rendered as the person who asked for it would see it, in Spanish.
    with translation.override(settings.LANGUAGE_CODE):
        record = report.get_object(job.requested_by, job.object_id)
        content = render_pdf(report.template, {**report.context(record), "generated_at": timezone.now()})
        filename = report.filename(record)
    job.file.save(filename, ContentFile(content), save=False)
    job.status = ReportJob.Status.DONE
    job.error = ""
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "status", "error", "finished_at"])
    return job
