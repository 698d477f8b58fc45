"""Pages of the consultant directory (cartera de consultores).

Managers read it; only the administrator changes it (``permissions.policy``). Views
check the policy, validate a form, call one service and redirect; templates show the
buttons of ``allowed``, the actions the policy lets the user take.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exceptions import DomainError
from core.exports import export_response
from core.forms import add_domain_error
from core.history import render_history
from core.idempotency import created, once_per_submission
from core.pagination import paginate
from core.policy import policy_required
from core.views import protected_file

from . import selectors, services
from .filters import ConsultantFilter
from .forms import ConsultantForm, ConsultantStatusForm, DocumentUploadForm
from .permissions import policy
from .track_record import work_of


@policy_required(policy, "consultant_view")
def consultant_list(request):
    filterset = ConsultantFilter(request.GET, queryset=selectors.consultant_list(user=request.user), request=request)
    consultants = filterset.qs
    if request.GET.get("export") in ("csv", "xlsx"):
        return _export_consultants(request.GET["export"], consultants)
    return render(
        request,
        "consultants/consultant_list.html",
        {
            "filter": filterset,
            "page_obj": paginate(request, consultants),
            "allowed": policy.allowed(request.user),
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


@policy_required(policy, "consultant_view")
def consultant_detail(request, pk):
    consultant = selectors.consultant_detail(user=request.user, pk=pk)
    allowed = policy.allowed(request.user, consultant)
    documents = list(consultant.documents.all())
    states = [document.expiry_state() for document in documents]
    return render(
        request,
        "consultants/consultant_detail.html",
        {
            "consultant": consultant,
            "documents": documents,
            "expired_documents": states.count("expired"),
            "expiring_documents": states.count("expires_soon"),
            "missing_requirements": selectors.missing_requirements(consultant),
            # The work the apps that employ the consultant report, limited to what this user may see.
            "services": work_of(request.user, consultant),
            "allowed": allowed,
            "status_form": ConsultantStatusForm(initial={"status": consultant.status})
            if "consultant_validate" in allowed
            else None,
            "upload_form": DocumentUploadForm() if "document_upload" in allowed else None,
        },
    )


@policy_required(policy, "consultant_edit")
@once_per_submission
def consultant_create(request):
    form = ConsultantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consultant = services.consultant_save(
                user=request.user,
                fields=form.service_fields(),
                subsectors=form.cleaned_data["subsectors"],
                areas=form.cleaned_data["areas"],
                centres=form.cleaned_data["centres"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Consultant %(name)s added to the directory.") % {"name": consultant})
            return created(request, redirect("consultants:consultant_detail", pk=consultant.pk))
    return render(request, "consultants/consultant_form.html", {"form": form})


@policy_required(policy, "consultant_edit")
def consultant_update(request, pk):
    consultant = selectors.consultant_detail(user=request.user, pk=pk)
    form = ConsultantForm(request.POST or None, instance=consultant)
    if request.method == "POST" and form.is_valid():
        try:
            services.consultant_save(
                user=request.user,
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
            return redirect("consultants:consultant_detail", pk=consultant.pk)
    return render(request, "consultants/consultant_form.html", {"form": form, "consultant": consultant})


@policy_required(policy, "consultant_validate")
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
    return redirect("consultants:consultant_detail", pk=consultant.pk)


@policy_required(policy, "document_upload")
@require_POST
@once_per_submission
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
                issued_on=form.cleaned_data["issued_on"],
                expires_on=form.cleaned_data["expires_on"],
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Document uploaded."))
            return created(request, redirect("consultants:consultant_detail", pk=consultant.pk))
    return redirect("consultants:consultant_detail", pk=consultant.pk)


def _error_messages(request, form) -> None:
    """A form posted from the detail page has no page of its own: its errors become messages."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else None
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@policy_required(policy, "history_view")
def consultant_history(request, pk):
    consultant = selectors.consultant_detail(user=request.user, pk=pk)
    return render_history(
        request,
        consultant,
        back_url=reverse("consultants:consultant_detail", args=[pk]),
        title=_("Consultant data"),
    )


@policy_required(policy, "consultant_view")
def document_download(request, pk, document_pk):
    """Accreditation evidence is personal: only readers of the directory entry may download it."""
    consultant = selectors.consultant_detail(user=request.user, pk=pk)
    document = get_object_or_404(consultant.documents.all(), pk=document_pk)
    return protected_file(document.file)
