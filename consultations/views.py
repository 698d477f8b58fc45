"""Pages of the front desk: fast logging, the list, the referrals' conversion and the reference library.

Views check the policy, validate a form, call one service and redirect; templates show
the buttons of ``allowed``, the actions the policy lets the user take.
"""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from clients.forms import EntrepreneurForm
from core.exceptions import DomainError
from core.exports import export_response
from core.forms import add_domain_error
from core.history import render_history
from core.idempotency import created, once_per_submission
from core.pagination import paginate
from core.policy import policy_required
from core.views import protected_file

from . import exports, selectors, services
from .filters import ConsultationFilter, FactSheetFilter, SupplierFilter
from .forms import ConsultationForm, FactSheetForm, SupplierForm
from .permissions import policy

# What the desk keeps from one consultation to the next (in the session).
REMEMBERED = "consultations.remembered"


@policy_required(policy, "consultation_view")
def consultation_list(request):
    filterset = ConsultationFilter(
        request.GET, queryset=selectors.consultation_list(user=request.user), request=request
    )
    consultations = filterset.qs
    if request.GET.get("export") in ("csv", "xlsx"):
        rows = (exports.consultation_row(c) for c in consultations.iterator(chunk_size=500))
        return export_response(
            request.GET["export"], filename="consultas", headers=exports.consultation_headers(), rows=rows
        )
    return render(
        request,
        "consultations/consultation_list.html",
        {"filter": filterset, "page_obj": paginate(request, consultations), "allowed": policy.allowed(request.user)},
    )


@policy_required(policy, "consultation_create")
@once_per_submission
def consultation_create(request):
    """One screen, the keyboard alone: Enter saves and opens a fresh form with the channel and centre kept."""
    remembered = request.session.get(REMEMBERED, {})
    form = ConsultationForm(request.POST or None, user=request.user, remembered=remembered)
    if request.method == "POST" and form.is_valid():
        centre = form.chosen_centre()
        try:
            consultation = services.consultation_create(
                user=request.user,
                centre=centre,
                fields=form.service_fields(),
                suppliers=form.cleaned_data["suppliers"],
                fact_sheets=form.cleaned_data["fact_sheets"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            request.session[REMEMBERED] = {"channel": consultation.channel, "centre": centre.pk}
            text = _("Consultation saved (%(minutes)s min).") % {"minutes": consultation.duration_display}
            if consultation.over_limit:
                text += " " + _("It took longer than the %(limit)s minutes of the service.") % {
                    "limit": selectors.limit_minutes(consultation.centre_id)
                }
            if consultation.need_id:
                text += " " + _("Referral recorded as a need of the client.")
            elif consultation.referral:
                text += " " + _("Complete the contact into a client to record the referral.")
            messages.success(request, text)
            return created(
                request,
                redirect("consultations:consultation_create"),
                record_url=reverse("consultations:consultation_detail", args=[consultation.pk]),
            )
    return render(
        request,
        "consultations/consultation_form.html",
        {
            "form": form,
            "limit_minutes": selectors.limit_minutes(
                remembered.get("centre") or getattr(form.default_centre, "pk", None)
            ),
            "chosen_label": _chosen_label(form),
            "recent": selectors.consultation_list(user=request.user).filter(recorded_by=request.user)[:5],
        },
    )


def _chosen_label(form) -> str:
    """After a refused save, the client already chosen stays chosen, by name."""
    data = getattr(form, "cleaned_data", {})
    chosen = data.get("company") or data.get("entrepreneur")
    return str(chosen) if chosen else ""


@policy_required(policy, "consultation_view")
def consultation_detail(request, pk):
    consultation = selectors.consultation_detail(user=request.user, pk=pk)
    return render(
        request,
        "consultations/consultation_detail.html",
        {
            "consultation": consultation,
            "allowed": policy.allowed(request.user, consultation),
            "limit_minutes": selectors.limit_minutes(consultation.centre_id),
        },
    )


@policy_required(policy, "consultation_complete_contact")
def consultation_complete_contact(request, pk):
    """The quick contact into a person of the registry: the clients' own form, filled with what the desk typed."""
    consultation = selectors.consultation_detail(user=request.user, pk=pk)
    if not consultation.is_quick_contact:
        messages.info(request, _("This consultation is already linked to a client."))
        return redirect("consultations:consultation_detail", pk=pk)
    form = EntrepreneurForm(request.POST or None, user=request.user, initial=services.contact_initial(consultation))
    form.fields.pop("centre", None)  # the person belongs to the consultation's centre
    if not form.is_bound and consultation.contact_district_id:
        form.setup_location(consultation.contact_district_id)  # the district chain opens at the contact's
    if request.method == "POST" and form.is_valid():
        try:
            person = services.consultation_complete_contact(
                user=request.user, consultation=consultation, fields=form.service_fields()
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("%(name)s registered and linked to the consultation.") % {"name": person})
            return redirect("consultations:consultation_detail", pk=pk)
    return render(request, "consultations/complete_contact.html", {"form": form, "consultation": consultation})


@policy_required(policy, "history_view")
def consultation_history(request, pk):
    consultation = selectors.consultation_detail(user=request.user, pk=pk)
    return render_history(
        request,
        consultation,
        back_url=reverse("consultations:consultation_detail", args=[pk]),
        title=_("Consultation"),
    )


@policy_required(policy, "client_search")
def client_search(request):
    """Search as you type: the companies and people of the user's centres (JSON)."""
    return JsonResponse({"results": selectors.client_matches(user=request.user, text=request.GET.get("q", ""))})


@policy_required(policy, "conversion_view")
def conversion_report(request):
    """Referrals by topic and by channel, and how many converted within the window."""
    filterset = ConsultationFilter(
        request.GET, queryset=selectors.consultation_list(user=request.user), request=request
    )
    consultations = filterset.qs
    by_topic = selectors.conversion_by(consultations, user=request.user, field="topic__name")
    by_channel = selectors.conversion_by(consultations, user=request.user, field="channel")
    return render(
        request,
        "consultations/conversion_report.html",
        {
            "filter": filterset,
            "by_topic": by_topic,
            "by_channel": by_channel,
            "window_days": selectors.referral_window_days(request.user),
            "chart": {
                "labels": [row["label"] for row in by_topic],
                "referred": [row["referred"] for row in by_topic],
                "converted": [row["converted"] for row in by_topic],
                "referred_label": _("Referred"),
                "converted_label": _("Converted"),
            },
        },
    )


# --- Library --------------------------------------------------------------------------------------------


@policy_required(policy, "library_view")
def supplier_list(request):
    filterset = SupplierFilter(request.GET, queryset=selectors.supplier_list(user=request.user), request=request)
    return render(
        request,
        "consultations/supplier_list.html",
        {"filter": filterset, "page_obj": paginate(request, filterset.qs), "allowed": policy.allowed(request.user)},
    )


@policy_required(policy, "library_edit")
@once_per_submission
def supplier_edit(request, pk=None):
    supplier = selectors.supplier_detail(user=request.user, pk=pk) if pk else None
    form = SupplierForm(request.POST or None, instance=supplier, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.supplier_save(user=request.user, supplier=supplier, fields=form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Supplier saved."))
            return created(request, redirect("consultations:supplier_list"))
    return render(request, "consultations/library_form.html", {"form": form, "entry": supplier, "kind": "supplier"})


@policy_required(policy, "library_view")
def fact_sheet_list(request):
    filterset = FactSheetFilter(request.GET, queryset=selectors.fact_sheet_list(user=request.user), request=request)
    return render(
        request,
        "consultations/fact_sheet_list.html",
        {"filter": filterset, "page_obj": paginate(request, filterset.qs), "allowed": policy.allowed(request.user)},
    )


@policy_required(policy, "library_view")
def fact_sheet_detail(request, pk):
    sheet = selectors.fact_sheet_detail(user=request.user, pk=pk)
    return render(
        request,
        "consultations/fact_sheet_detail.html",
        {"sheet": sheet, "allowed": policy.allowed(request.user, sheet)},
    )


@policy_required(policy, "history_view")
def fact_sheet_history(request, pk):
    sheet = selectors.fact_sheet_detail(user=request.user, pk=pk)
    return render_history(
        request, sheet, back_url=reverse("consultations:fact_sheet_detail", args=[pk]), title=sheet.title
    )


@policy_required(policy, "library_view")
def fact_sheet_file(request, pk):
    sheet = selectors.fact_sheet_detail(user=request.user, pk=pk)
    return protected_file(sheet.file)


@policy_required(policy, "library_edit")
@once_per_submission
def fact_sheet_edit(request, pk=None):
    sheet = selectors.fact_sheet_detail(user=request.user, pk=pk) if pk else None
    form = FactSheetForm(request.POST or None, request.FILES or None, instance=sheet, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            sheet = services.fact_sheet_save(user=request.user, fact_sheet=sheet, fields=form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Fact sheet saved."))
            return created(request, redirect("consultations:fact_sheet_detail", pk=sheet.pk))
    return render(request, "consultations/library_form.html", {"form": form, "entry": sheet, "kind": "fact_sheet"})
