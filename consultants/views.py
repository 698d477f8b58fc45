"""Pages of the consultant directory (cartera de consultores).

Managers read it; only the administrator changes it. Views check the role, validate a
form, call one service in ``services.directory`` and redirect.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import has_role, role_required
from core.exceptions import DomainError
from core.exports import export_response
from core.forms import add_domain_error
from core.history import render_history
from core.pagination import paginate
from core.roles import Role
from core.views import protected_file

from .. import selectors
from ..directory_filters import ConsultantFilter
from ..directory_forms import ConsultantForm, ConsultantStatusForm, DocumentUploadForm
from ..services import directory as services

READERS = (Role.COORDINATOR, Role.NATIONAL_MANAGER, Role.ADMINISTRATOR)
WRITERS = (Role.ADMINISTRATOR,)


@role_required(*READERS)
def consultant_list(request):
    filterset = ConsultantFilter(request.GET, queryset=selectors.consultant_list(user=request.user), request=request)
    consultants = filterset.qs
    if request.GET.get("export") in ("csv", "xlsx"):
        return _export_consultants(request.GET["export"], consultants)
    return render(
        request,
        "assistance/directory/consultant_list.html",
        {
            "filter": filterset,
            "page_obj": paginate(request, consultants),
            "can_write": has_role(request.user, *WRITERS),
        },
    )


def _export_consultants(fmt, consultants):
    headers = [
        _("Name"), _("Validation status"), _("Profession or degree"), _("Subsectors"), _("Areas"),
        _("Centres served"), _("Fee per hour (S/)"), _("Services done"), _("Average score"),
        _("Last service"), _("Documents"),
    ]  # fmt: skip

    def rows():
        # The prefetches of the selector run once per chunk, not once per row.
        for c in consultants.iterator(chunk_size=500):
            yield [
                str(c), str(c.get_status_display()), c.profession,
                ", ".join(s.name for s in c.subsectors.all()), ", ".join(str(a) for a in c.areas.all()),
                ", ".join(centre.name for centre in c.centres.all()), c.hourly_fee, c.services_done,
                None if c.average_score is None else round(float(c.average_score), 1),
                c.last_service, c.documents_count,
            ]  # fmt: skip

    return export_response(fmt, filename="consultores", headers=headers, rows=rows())


@role_required(*READERS)
def consultant_detail(request, pk):
    consultant = selectors.consultant_detail(user=request.user, pk=pk)
    # Only the services of the centres the user sees: another centre's file would be a 404.
    service_rows = (
        selectors.service_list(user=request.user)
        .filter(consultants=consultant)
        .select_related("company")
        .order_by("-created_at", "-id")
    )
    can_write = has_role(request.user, *WRITERS)
    return render(
        request,
        "assistance/directory/consultant_detail.html",
        {
            "consultant": consultant,
            "documents": list(consultant.documents.all()),
            "services": service_rows,
            "can_write": can_write,
            "status_form": ConsultantStatusForm(initial={"status": consultant.status}) if can_write else None,
            "upload_form": DocumentUploadForm() if can_write else None,
        },
    )


@role_required(*WRITERS)
def consultant_create(request):
    form = ConsultantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consultant = services.consultant_save(
                fields=form.service_fields(),
                subsectors=form.cleaned_data["subsectors"],
                areas=form.cleaned_data["areas"],
                centres=form.cleaned_data["centres"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Consultant %(name)s added to the directory.") % {"name": consultant})
            return redirect("assistance:consultant_detail", pk=consultant.pk)
    return render(request, "assistance/directory/consultant_form.html", {"form": form})


@role_required(*WRITERS)
def consultant_update(request, pk):
    consultant = selectors.consultant_detail(user=request.user, pk=pk)
    form = ConsultantForm(request.POST or None, instance=consultant)
    if request.method == "POST" and form.is_valid():
        try:
            services.consultant_save(
                consultant=consultant,
                fields=form.service_fields(),
                subsectors=form.cleaned_data["subsectors"],
                areas=form.cleaned_data["areas"],
                centres=form.cleaned_data["centres"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("assistance:consultant_detail", pk=consultant.pk)
    return render(request, "assistance/directory/consultant_form.html", {"form": form, "consultant": consultant})


@role_required(*WRITERS)
@require_POST
def consultant_status(request, pk):
    consultant = selectors.consultant_detail(user=request.user, pk=pk)
    form = ConsultantStatusForm(request.POST)
    if not form.is_valid():
        _error_messages(request, form)
    else:
        try:
            services.consultant_set_status(user=request.user, consultant=consultant, status=form.cleaned_data["status"])
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(name)s is now %(status)s.") % {"name": consultant, "status": consultant.get_status_display()},
            )
    return redirect("assistance:consultant_detail", pk=consultant.pk)


@role_required(*WRITERS)
@require_POST
def document_upload(request, pk):
    consultant = selectors.consultant_detail(user=request.user, pk=pk)
    form = DocumentUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        _error_messages(request, form)
    else:
        try:
            services.document_upload(
                user=request.user,
                consultant=consultant,
                kind=form.cleaned_data["kind"],
                file=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Document uploaded."))
    return redirect("assistance:consultant_detail", pk=consultant.pk)


def _error_messages(request, form) -> None:
    """A form posted from the detail page has no page of its own: its errors become messages."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else None
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@role_required(*READERS)
def consultant_history(request, pk):
    consultant = selectors.consultant_detail(user=request.user, pk=pk)
    return render_history(
        request,
        consultant,
        back_url=reverse("assistance:consultant_detail", args=[pk]),
        title=_("Consultant data"),
    )


@role_required(*READERS)
def document_download(request, pk, document_pk):
    """Accreditation evidence is personal: only readers of the directory entry may download it."""
    consultant = selectors.consultant_detail(user=request.user, pk=pk)
    document = get_object_or_404(consultant.documents.all(), pk=document_pk)
    return protected_file(document.file)
