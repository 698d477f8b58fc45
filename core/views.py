from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .access import sees_all_centres, visible_centres
from .navigation import panels_for


def not_found(request, exception=None):
    """A missing page: for the API, JSON like every other API answer; for people, the site's 404 page."""
    if request.path.startswith("/api/"):
        from django.http import JsonResponse
        from django.utils.translation import gettext as _

        return JsonResponse({"detail": _("Not found.")}, status=404)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


@login_required
def home(request):
    """Each member of staff lands on "my work": the panels their roles fill."""
    user = request.user
    centres = visible_centres(user)
    return render(
        request,
        "core/home.html",
        {"panels": panels_for(user), "centres": centres, "national": sees_all_centres(user)},
    )


def protected_file(field_file, *, download_name: str | None = None):
    """Serve a stored file to a user the calling view has already checked: media is never public."""
    import mimetypes
    from pathlib import Path

    from django.http import FileResponse, Http404

    if not field_file:
        raise Http404
    name = download_name or Path(field_file.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(field_file.open("rb"), content_type=content_type, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@login_required
def report_request(request, kind, object_id):
    """Ask for a PDF of a record; the waiting page follows it until it is ready."""
    from .reports import report_request as request_report

    job = request_report(user=request.user, kind=kind, object_id=object_id)
    return redirect("report_status", pk=job.pk)


@login_required
def report_status(request, pk):
    """The waiting page; with htmx it returns only the part that polls."""
    from .models import ReportJob
    from .reports import report_kind

    job = get_object_or_404(ReportJob, pk=pk, requested_by=request.user)
    template = "core/partials/report_status.html" if request.headers.get("HX-Request") else "core/report_wait.html"
    return render(request, template, {"job": job, "title": report_kind(job.kind).title})


@login_required
def report_download(request, pk):
    """The finished PDF, for the person who asked for it if they still may see the record."""
    from .models import ReportJob
    from .reports import report_kind

    job = get_object_or_404(ReportJob, pk=pk, requested_by=request.user, status=ReportJob.Status.DONE)
    report_kind(job.kind).get_object(request.user, job.object_id)
    return protected_file(job.file)
