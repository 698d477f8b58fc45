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
    """Ask for a PDF of a record; the waiting page follows it until it is ready.

    The form's fields named ``param-<name>`` are the document's parameters (a date, a month),
    checked by its kind's ``clean_parameters``.
    """
    from django.contrib import messages

    from .exceptions import DomainError
    from .reports import report_request as request_report

    parameters = {key[len("param-") :]: value for key, value in request.POST.items() if key.startswith("param-")}
    try:
        job = request_report(user=request.user, kind=kind, object_id=object_id, parameters=parameters)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect(request.headers.get("Referer") or "report_list")
    return redirect("report_status", pk=job.pk)


@login_required
def report_status(request, pk):
    """The waiting page; with htmx it returns only the part that polls."""
    from .reports import reports_of

    job = get_object_or_404(reports_of(request.user), pk=pk)
    template = "core/partials/report_status.html" if request.headers.get("HX-Request") else "core/report_wait.html"
    return render(request, template, {"job": job, "title": job_title(job)})


def job_title(job) -> str:
    from .reports import job_display_name

    return job_display_name(job)


@login_required
def report_download(request, pk):
    """The finished PDF, for the person who asked for it if they still may see the record."""
    from .models import ReportJob
    from .reports import report_kind, reports_of

    job = get_object_or_404(reports_of(request.user), pk=pk, status=ReportJob.Status.DONE)
    from django.http import Http404

    from .exceptions import DomainError

    try:
        report_kind(job.kind).subject(request.user, job.object_id, job.parameters)
    except DomainError as refusal:  # a job its kind no longer reads: nothing to hand out
        raise Http404(str(refusal)) from refusal
    return protected_file(job.file)


@login_required
def report_list(request):
    """My documents: what I asked for, its state, and the file when it is ready."""
    from .pagination import paginate
    from .reports import job_display_name, reports_of

    page = paginate(request, reports_of(request.user), per_page=25)
    for job in page.object_list:
        job.title = job_display_name(job)
    return render(request, "core/report_list.html", {"page": page, "jobs": page.object_list})


# --- Reminders: the bell's list ---------------------------------------------------------------------------


@login_required
def notification_list(request):
    """My reminders, unread first; mark one or all read, and choose whether to get the daily e-mail."""
    from .pagination import paginate
    from .reminders import notifications_of

    page = paginate(request, notifications_of(request.user), per_page=25)
    return render(request, "core/notification_list.html", {"page": page, "notifications": page.object_list})


@require_POST
@login_required
def notification_read(request, pk):
    """Mark one reminder read; with ``open`` go on to what it is about."""
    from django.utils.http import url_has_allowed_host_and_scheme

    from .reminders import notification_mark_read, notifications_of

    notification = get_object_or_404(notifications_of(request.user), pk=pk)
    notification_mark_read(user=request.user, pk=notification.pk)
    target = notification.url if request.POST.get("open") else ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notification_list")


@require_POST
@login_required
def notification_read_all(request):
    from django.contrib import messages
    from django.utils.translation import gettext as _

    from .reminders import notification_mark_read

    count = notification_mark_read(user=request.user)
    messages.success(request, _("%(count)s reminders marked as read.") % {"count": count})
    return redirect("notification_list")


@require_POST
@login_required
def notification_preferences(request):
    from django.contrib import messages
    from django.utils.translation import gettext as _

    from .reminders import email_digest_set

    wanted = email_digest_set(user=request.user, wanted=request.POST.get("email_digest") == "on")
    messages.success(request, _("You will get the daily e-mail.") if wanted else _("You will not get e-mails."))
    return redirect("notification_list")
