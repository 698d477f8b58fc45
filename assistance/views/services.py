"""Pages of the technical-assistance service (SAT): list, pipeline board, the expediente and its actions.

Every action is a small POST that validates a form, calls one service and redirects
back to the expediente (post-redirect-get); a DomainError becomes a message.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from clients.selectors import company_list
from core.access import has_role, role_required
from core.exceptions import DomainError
from core.exports import export_response
from core.forms import centre_filter_queryset
from core.history import render_history
from core.pagination import paginate
from core.roles import Role

from .. import selectors
from ..forms import (
    ActivityForm,
    AssignConsultantForm,
    BudgetLineForm,
    CancelForm,
    EvaluationForm,
    FundingLineForm,
    ImprovementForm,
    IndicatorForm,
    LinkDiagnosisForm,
    OwnerDecisionForm,
    ReopenForm,
    ReportForm,
    ServiceOpenForm,
    VisitForm,
)
from ..models import Activity, BudgetLine, FundingLine, ImprovementItem, Indicator, Service, ServiceType, Stage
from ..services import evaluation, execution, plan, proposal, workflow

STAFF = tuple(Role)
PROMOTERS = (Role.PROMOTER, Role.COORDINATOR, Role.ADMINISTRATOR)
COORDINATORS = (Role.COORDINATOR, Role.ADMINISTRATOR)
PROPOSAL_WRITERS = (Role.PROMOTER, Role.COORDINATOR, Role.CONSULTANT, Role.ADMINISTRATOR)
PLAN_WRITERS = (Role.CONSULTANT, Role.COORDINATOR, Role.ADMINISTRATOR)


class ServiceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=gettext_lazy("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": gettext_lazy("File number, title or company")}),
    )
    stage = django_filters.ChoiceFilter(label=gettext_lazy("Stage"), choices=Stage.choices)
    centre = django_filters.ModelChoiceFilter(label=gettext_lazy("Centre"), queryset=centre_filter_queryset)
    service_type = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Service type"), queryset=ServiceType.objects.all()
    )
    o = django_filters.OrderingFilter(
        label=gettext_lazy("Sort by"),
        fields=[("created_at", "created"), ("stage_changed_at", "stage_changed"), ("total_cost", "cost")],
        field_labels={
            "created": gettext_lazy("Opened (oldest first)"),
            "-created": gettext_lazy("Opened (newest first)"),
            "stage_changed": gettext_lazy("Longest in stage first"),
            "-stage_changed": gettext_lazy("Latest moved first"),
            "cost": gettext_lazy("Cost (lowest first)"),
            "-cost": gettext_lazy("Cost (highest first)"),
        },
    )

    class Meta:
        model = Service
        fields = []

    def search(self, queryset, name, value):
        return selectors.service_search(queryset, value)


@role_required(*STAFF)
def service_list(request):
    filterset = ServiceFilter(request.GET, queryset=selectors.service_list(user=request.user), request=request)
    services = filterset.qs
    if request.GET.get("export") in ("csv", "xlsx"):
        headers = [
            _("File number"), _("Title"), _("Company"), _("Service type"), _("Stage"), _("In this stage since"),
            _("Total cost (S/)"), _("Subsidies and co-financing (S/)"), _("Owner's share (S/)"), _("Centre"),
        ]  # fmt: skip
        rows = (
            [s.code, s.title, s.company.legal_name, s.service_type.name, s.get_stage_display(),
             s.stage_changed_at.date(), s.total_cost, s.total_funding, s.owner_share, s.centre.name]
            for s in services.iterator(chunk_size=2000)
        )  # fmt: skip
        return export_response(request.GET["export"], filename="servicios", headers=headers, rows=rows)
    return render(
        request,
        "assistance/service_list.html",
        {"filter": filterset, "page_obj": paginate(request, services), "can_open": has_role(request.user, *PROMOTERS)},
    )


@role_required(Role.PROMOTER, Role.COORDINATOR, Role.NATIONAL_MANAGER, Role.ADMINISTRATOR)
def pipeline(request):
    return render(
        request,
        "assistance/pipeline.html",
        {
            "columns": selectors.pipeline_board(user=request.user),
            "due": selectors.evaluations_due(user=request.user)[:20],
        },
    )


@role_required(*PROMOTERS)
def service_open(request):
    companies = company_list(user=request.user)
    initial = {"company": request.GET.get("company")} if request.GET.get("company") else None
    form = ServiceOpenForm(request.POST or None, companies=companies, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            service = workflow.service_open(
                user=request.user,
                company=form.cleaned_data["company"],
                service_type=form.cleaned_data["service_type"],
                title=form.cleaned_data["title"],
                area=form.cleaned_data["area"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("Service %(code)s opened in promotion.") % {"code": service.code})
            return redirect("assistance:service_detail", pk=service.pk)
    return render(request, "assistance/service_form.html", {"form": form})


@role_required(*STAFF)
def service_detail(request, pk):
    service = selectors.service_detail(user=request.user, pk=pk)
    user = request.user
    target = workflow.next_stage(service.stage)
    stage = service.stage
    context = {
        "service": service,
        "report": selectors.report_of(service),
        "evaluation": selectors.evaluation_of(service),
        "next_stage": target,
        "next_stage_label": Stage(target).label if target else "",
        "blocking": workflow.transition_problems(service, target) if target in workflow.ADVANCE_ROLES else [],
        "can_advance": target in workflow.ADVANCE_ROLES and workflow.can_advance(user, service),
        "is_coordinator": has_role(user, *COORDINATORS),
        "window": evaluation.evaluation_window(service),
        "hours_spent": sum((v.hours for v in service.visits.all()), 0),
        "stages": [(s, Stage(s).label, selectors.stage_position(s)) for s in workflow.STAGE_ORDER],
        "position": selectors.stage_position(stage),
    }
    # Forms of the current stage, for the roles that may use them.
    if stage in (Stage.PROMOTION, Stage.DIAGNOSIS) and has_role(user, *PROMOTERS):
        context["link_form"] = LinkDiagnosisForm(service=service)
    if service.is_open and has_role(user, *COORDINATORS):
        context["assign_form"] = AssignConsultantForm(service=service)
        context["suggestions"] = selectors.consultant_suggestions(service=service)
        context["cancel_form"] = CancelForm()
    if not service.is_open or stage != Stage.PROMOTION:
        context["reopen_form"] = ReopenForm() if has_role(user, *COORDINATORS) else None
    if stage == Stage.PROPOSAL and has_role(user, *PROPOSAL_WRITERS):
        # "Add to the improvement plan" next to a problem of the tree preselects it (one click).
        node = request.GET.get("node")
        context["improvement_form"] = ImprovementForm(service=service, initial={"problem_node": node} if node else None)
        context["budget_form"] = BudgetLineForm()
        context["funding_form"] = FundingLineForm()
        if has_role(user, *PROMOTERS):
            context["decision_form"] = OwnerDecisionForm()
    if stage == Stage.ACTION_PLAN and has_role(user, *PLAN_WRITERS):
        context["activity_form"] = ActivityForm()
        context["indicator_form"] = IndicatorForm(service=service)
    context["can_report_progress"] = stage in (Stage.ACTION_PLAN, Stage.EXECUTION) and has_role(user, *PLAN_WRITERS)
    if stage == Stage.EXECUTION and has_role(user, *PLAN_WRITERS):
        context["visit_form"] = VisitForm(service=service)
        context["report_form"] = ReportForm()
    if stage == Stage.EVALUATION and has_role(user, *PROMOTERS):
        context["evaluation_form"] = EvaluationForm(service=service)
    return render(request, "assistance/service_detail.html", context)


def _service_for_action(request, pk, roles):
    """The service, if the user may see it (else 404) and holds one of the roles (else 403)."""
    service = selectors.service_detail(user=request.user, pk=pk)
    if not has_role(request.user, *roles):
        raise PermissionDenied
    return service


def _done(request, service, message, anchor=""):
    messages.success(request, message)
    return redirect(reverse("assistance:service_detail", args=[service.pk]) + (f"#{anchor}" if anchor else ""))


def _refused(request, service, error, anchor=""):
    messages.error(request, str(error))
    return redirect(reverse("assistance:service_detail", args=[service.pk]) + (f"#{anchor}" if anchor else ""))


def _form_errors(form) -> str:
    return " ".join(
        f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}".strip(": ") for f, e in form.errors.items()
    )


@require_POST
@role_required(*STAFF)
def service_advance(request, pk):
    service = selectors.service_detail(user=request.user, pk=pk)
    try:
        workflow.service_advance(user=request.user, service=service, to_stage=request.POST.get("to_stage", ""))
    except DomainError as error:
        return _refused(request, service, error)
    service.refresh_from_db(fields=["stage"])
    return _done(request, service, _("The service moved to %(stage)s.") % {"stage": service.get_stage_display()})


def _action(request, pk, roles, *, form, call, success: str, anchor: str = ""):
    """The shape of every action on the expediente: check, validate, call one service, redirect.

    ``form(service)`` builds the bound form (or returns None when there is nothing to
    validate); ``call(service, form)`` calls the service. A DomainError or an invalid
    form becomes a message and nothing changes.
    """
    service = _service_for_action(request, pk, roles)
    bound = form(service)
    if bound is not None and not bound.is_valid():
        return _refused(request, service, _form_errors(bound), anchor)
    try:
        call(service, bound)
    except DomainError as error:
        return _refused(request, service, error, anchor)
    return _done(request, service, success, anchor)


@require_POST
@role_required(*COORDINATORS)
def service_cancel(request, pk):
    return _action(
        request,
        pk,
        COORDINATORS,
        form=lambda s: CancelForm(request.POST),
        call=lambda s, f: workflow.service_cancel(user=request.user, service=s, reason=f.cleaned_data["reason"]),
        success=_("Service cancelled."),
    )


@require_POST
@role_required(*COORDINATORS)
def service_reopen(request, pk):
    return _action(
        request,
        pk,
        COORDINATORS,
        form=lambda s: ReopenForm(request.POST),
        call=lambda s, f: workflow.service_reopen(user=request.user, service=s, **f.cleaned_data),
        success=_("Service reopened."),
    )


@require_POST
@role_required(*PROMOTERS)
def service_link_diagnosis(request, pk):
    return _action(
        request,
        pk,
        PROMOTERS,
        form=lambda s: LinkDiagnosisForm(request.POST, service=s),
        call=lambda s, f: workflow.service_link_diagnosis(
            user=request.user, service=s, diagnosis=f.cleaned_data["diagnosis"], nodes=list(f.cleaned_data["nodes"])
        ),
        success=_("Diagnosis and problems linked."),
        anchor="diagnosis",
    )


@require_POST
@role_required(*COORDINATORS)
def service_assign(request, pk):
    return _action(
        request,
        pk,
        COORDINATORS,
        form=lambda s: AssignConsultantForm(request.POST, service=s),
        call=lambda s, f: workflow.service_assign_consultant(user=request.user, service=s, **f.cleaned_data),
        success=_("Consultant assigned."),
        anchor="consultants",
    )


@require_POST
@role_required(*PROPOSAL_WRITERS)
def improvement_add(request, pk):
    return _action(
        request,
        pk,
        PROPOSAL_WRITERS,
        form=lambda s: ImprovementForm(request.POST, service=s),
        call=lambda s, f: proposal.improvement_add(
            service=s,
            node=f.cleaned_data["problem_node"],
            problem=f.cleaned_data["problem"],
            improvement=f.cleaned_data["improvement"],
            expected_result=f.cleaned_data["expected_result"],
        ),
        success=_("Improvement added to the plan."),
        anchor="proposal",
    )


@require_POST
@role_required(*PROPOSAL_WRITERS)
def budget_add(request, pk):
    return _action(
        request,
        pk,
        PROPOSAL_WRITERS,
        form=lambda s: BudgetLineForm(request.POST),
        call=lambda s, f: proposal.budget_line_add(service=s, **f.cleaned_data),
        success=_("Cost added to the budget."),
        anchor="budget",
    )


@require_POST
@role_required(*PROPOSAL_WRITERS)
def funding_add(request, pk):
    return _action(
        request,
        pk,
        PROPOSAL_WRITERS,
        form=lambda s: FundingLineForm(request.POST),
        call=lambda s, f: proposal.funding_line_add(service=s, **f.cleaned_data),
        success=_("Subsidy or co-financing added."),
        anchor="budget",
    )


@require_POST
@role_required(*PROMOTERS)
def owner_decision(request, pk):
    return _action(
        request,
        pk,
        PROMOTERS,
        form=lambda s: OwnerDecisionForm(request.POST),
        call=lambda s, f: proposal.proposal_record_owner_decision(service=s, **f.cleaned_data),
        success=_("The owner's decision is recorded."),
        anchor="decision",
    )


@require_POST
@role_required(*COORDINATORS)
def approve_price(request, pk):
    return _action(
        request,
        pk,
        COORDINATORS,
        form=lambda s: None,
        call=lambda s, f: proposal.proposal_approve_price(user=request.user, service=s),
        success=_("Price approved."),
        anchor="decision",
    )


@require_POST
@role_required(*PLAN_WRITERS)
def activity_add(request, pk):
    return _action(
        request,
        pk,
        PLAN_WRITERS,
        form=lambda s: ActivityForm(request.POST),
        call=lambda s, f: plan.activity_add(service=s, **f.cleaned_data),
        success=_("Activity added to the action plan."),
        anchor="plan",
    )


@require_POST
@role_required(*PLAN_WRITERS)
def indicator_add(request, pk):
    return _action(
        request,
        pk,
        PLAN_WRITERS,
        form=lambda s: IndicatorForm(request.POST, service=s),
        call=lambda s, f: plan.indicator_add(service=s, **f.cleaned_data),
        success=_("Indicator added to the action plan."),
        anchor="plan",
    )


@require_POST
@role_required(*PLAN_WRITERS)
def visit_add(request, pk):
    return _action(
        request,
        pk,
        PLAN_WRITERS,
        form=lambda s: VisitForm(request.POST, request.FILES, service=s),
        call=lambda s, f: execution.visit_log(user=request.user, service=s, **f.cleaned_data),
        success=_("Visit logged."),
        anchor="execution",
    )


@require_POST
@role_required(*PLAN_WRITERS)
def report_submit(request, pk):
    return _action(
        request,
        pk,
        PLAN_WRITERS,
        form=lambda s: ReportForm(request.POST, request.FILES),
        call=lambda s, f: execution.report_submit(user=request.user, service=s, **f.cleaned_data),
        success=_("Technical report submitted: the evaluation is now due."),
        anchor="evaluation",
    )


class ProgressForm(forms.Form):
    progress = forms.IntegerField(min_value=0, max_value=100, label=gettext_lazy("Progress (%)"))


@require_POST
@role_required(*PLAN_WRITERS)
def activity_progress(request, pk, activity_pk):
    def record(service, form):
        activity = service.activities.filter(pk=activity_pk).first()
        if activity is None:
            raise DomainError(_("That line no longer exists."))
        plan.activity_set_progress(activity=activity, progress=form.cleaned_data["progress"])

    return _action(
        request,
        pk,
        PLAN_WRITERS,
        form=lambda s: ProgressForm(request.POST),
        call=record,
        success=_("Progress saved."),
        anchor="plan",
    )


def _record_evaluation(request, service, form):
    data = form.cleaned_data
    evaluation.evaluation_record(
        user=request.user,
        service=service,
        date=data["date"],
        satisfaction=data["satisfaction"],
        measures=form.measures(),
        comments=data["comments"],
        further_services_requested=data["further_services_requested"],
        further_services_note=data["further_services_note"],
    )


@require_POST
@role_required(*PROMOTERS)
def evaluation_record(request, pk):
    return _action(
        request,
        pk,
        PROMOTERS,
        form=lambda s: EvaluationForm(request.POST, service=s),
        call=lambda s, f: _record_evaluation(request, s, f),
        success=_("Evaluation recorded: the service is closed."),
        anchor="evaluation",
    )


LINE_MODELS = {
    "improvement": (ImprovementItem, proposal.improvement_delete, "item", PROPOSAL_WRITERS),
    "budget": (BudgetLine, proposal.budget_line_delete, "line", PROPOSAL_WRITERS),
    "funding": (FundingLine, proposal.funding_line_delete, "line", PROPOSAL_WRITERS),
    "activity": (Activity, plan.activity_delete, "activity", PLAN_WRITERS),
    "indicator": (Indicator, plan.indicator_delete, "indicator", PLAN_WRITERS),
}


@require_POST
@role_required(*STAFF)
def line_delete(request, pk, kind, line_pk):
    if kind not in LINE_MODELS:
        raise PermissionDenied
    model, delete, argument, roles = LINE_MODELS[kind]
    service = _service_for_action(request, pk, roles)
    line = model.objects.filter(pk=line_pk, service=service).first()
    if line is None:
        return _refused(request, service, _("That line no longer exists."))
    try:
        delete(**{argument: line})
    except DomainError as error:
        return _refused(request, service, error)
    return _done(request, service, _("Line deleted."))


@role_required(*STAFF)
def service_history(request, pk):
    service = selectors.service_detail(user=request.user, pk=pk)
    return render_history(
        request, service, back_url=reverse("assistance:service_detail", args=[pk]), title=_("Service data")
    )


@role_required(*STAFF)
def service_file(request, pk, kind, file_pk):
    """A visit's attachment or the report file, for those who may see the service."""
    from django.http import Http404

    from core.views import protected_file

    service = selectors.service_detail(user=request.user, pk=pk)
    if kind == "visit":
        visit = service.visits.filter(pk=file_pk).first()
        return protected_file(visit.attachment if visit else None)
    report = selectors.report_of(service)
    if kind == "report" and report is not None and report.pk == file_pk:
        return protected_file(report.file)
    raise Http404
