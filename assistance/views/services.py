"""Pages of the technical-assistance service (SAT): list, pipeline board, the expediente and its actions.

Every action is a small POST that validates a form, calls one service and redirects
back to the expediente (post-redirect-get); a DomainError becomes a message.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clients.selectors import company_list
from core.exceptions import DomainError
from core.exports import export_response
from core.history import render_history
from core.idempotency import created, once_per_submission
from core.pagination import paginate
from core.policy import policy_required

from .. import selectors
from ..exports import service_export
from ..filters import ServiceFilter
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
    ProgressForm,
    ReopenForm,
    ReportForm,
    ServiceOpenForm,
    VisitForm,
)
from ..models import Activity, BudgetLine, FundingLine, ImprovementItem, Indicator, Stage
from ..permissions import policy
from ..services import evaluation, execution, plan, proposal, workflow


@policy_required(policy, "service_view")
def service_list(request):
    filterset = ServiceFilter(request.GET, queryset=selectors.service_list(user=request.user), request=request)
    services = filterset.qs
    if request.GET.get("export") in ("csv", "xlsx"):
        return export_response(request.GET["export"], filename="servicios", **service_export(services))
    return render(
        request,
        "assistance/service_list.html",
        {
            "filter": filterset,
            "page_obj": paginate(request, services),
            "can_open": policy.can(request.user, "service_open"),
        },
    )


@policy_required(policy, "pipeline_view")
def pipeline(request):
    return render(
        request,
        "assistance/pipeline.html",
        {
            "columns": selectors.pipeline_board(user=request.user),
            "due": selectors.evaluations_due(user=request.user)[:20],
        },
    )


@policy_required(policy, "service_open")
@once_per_submission
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
            return created(request, redirect("assistance:service_detail", pk=service.pk))
    return render(request, "assistance/service_form.html", {"form": form})


@policy_required(policy, "service_view")
def service_detail(request, pk):
    service = selectors.service_detail(user=request.user, pk=pk)
    user = request.user
    target = workflow.next_stage(service.stage)
    stage = service.stage
    allowed = policy.allowed(user, service)
    context = {
        "service": service,
        "report": selectors.report_of(service),
        "evaluation": selectors.evaluation_of(service),
        "next_stage": target,
        "next_stage_label": Stage(target).label if target else "",
        "blocking": workflow.transition_problems(service, target) if workflow.moves_by_hand(target) else [],
        "can_advance": workflow.can_advance(user, service),
        "allowed": allowed,
        "window": evaluation.evaluation_window(service),
        "satisfaction_scale": selectors.satisfaction_scale(service),
        "hours_spent": sum((v.hours for v in service.visits.all()), 0),
        "stages": [(s, Stage(s).label, selectors.stage_position(s)) for s in workflow.STAGE_ORDER],
        "position": selectors.stage_position(stage),
    }
    # Forms of the current stage, for the roles that may use them.
    if stage in (Stage.PROMOTION, Stage.DIAGNOSIS) and "service_link_diagnosis" in allowed:
        context["link_form"] = LinkDiagnosisForm(service=service)
    if service.is_open and "service_assign_consultant" in allowed:
        context["assign_form"] = AssignConsultantForm(service=service)
        context["suggestions"] = selectors.consultant_suggestions(service=service)
    if service.is_open and "service_cancel" in allowed:
        context["cancel_form"] = CancelForm()
    if not service.is_open or stage != Stage.PROMOTION:
        context["reopen_form"] = ReopenForm() if "service_reopen" in allowed else None
    if stage == Stage.PROPOSAL and "proposal_edit" in allowed:
        # "Add to the improvement plan" next to a problem of the tree preselects it (one click).
        node = request.GET.get("node")
        context["improvement_form"] = ImprovementForm(service=service, initial={"problem_node": node} if node else None)
        context["budget_form"] = BudgetLineForm()
        context["funding_form"] = FundingLineForm()
    if stage == Stage.PROPOSAL and "owner_decision_record" in allowed:
        context["decision_form"] = OwnerDecisionForm()
    if stage == Stage.ACTION_PLAN and "plan_edit" in allowed:
        context["activity_form"] = ActivityForm()
        context["indicator_form"] = IndicatorForm(service=service)
    context["can_report_progress"] = stage in (Stage.ACTION_PLAN, Stage.EXECUTION) and "plan_edit" in allowed
    if stage == Stage.EXECUTION and "execution_record" in allowed:
        context["visit_form"] = VisitForm(service=service)
        context["report_form"] = ReportForm()
    if stage == Stage.EVALUATION and "evaluation_record" in allowed:
        context["evaluation_form"] = EvaluationForm(service=service)
    return render(request, "assistance/service_detail.html", context)


def _service_for_action(request, pk, action):
    """The service, if the user may see it (else 404) and the policy lets them take the action on it (else 403)."""
    service = selectors.service_detail(user=request.user, pk=pk)
    policy.check(request.user, action, service)
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
@policy_required(policy, "service_advance")
def service_advance(request, pk):
    service = _service_for_action(request, pk, "service_advance")
    try:
        workflow.service_advance(user=request.user, service=service, to_stage=request.POST.get("to_stage", ""))
    except DomainError as error:
        return _refused(request, service, error)
    service.refresh_from_db(fields=["stage"])
    return _done(request, service, _("The service moved to %(stage)s.") % {"stage": service.get_stage_display()})


def _action(request, pk, action, *, form, call, success: str, anchor: str = "", creates: bool = False):
    """The shape of every action on the expediente: check, validate, call one service, redirect.

    ``form(service)`` builds the bound form (or returns None when there is nothing to
    validate); ``call(service, form)`` calls the service. A DomainError or an invalid
    form becomes a message and nothing changes. ``creates``: the action adds a record, and a
    second POST of the same form (``core.idempotency``) is sent to the expediente without adding it again.
    """
    service = _service_for_action(request, pk, action)
    bound = form(service)
    if bound is not None and not bound.is_valid():
        return _refused(request, service, _form_errors(bound), anchor)
    try:
        call(service, bound)
    except DomainError as error:
        return _refused(request, service, error, anchor)
    done = _done(request, service, success, anchor)
    return created(request, done) if creates else done


@require_POST
@policy_required(policy, "service_cancel")
def service_cancel(request, pk):
    return _action(
        request,
        pk,
        "service_cancel",
        form=lambda s: CancelForm(request.POST),
        call=lambda s, f: workflow.service_cancel(user=request.user, service=s, reason=f.cleaned_data["reason"]),
        success=_("Service cancelled."),
    )


@require_POST
@policy_required(policy, "service_reopen")
def service_reopen(request, pk):
    return _action(
        request,
        pk,
        "service_reopen",
        form=lambda s: ReopenForm(request.POST),
        call=lambda s, f: workflow.service_reopen(user=request.user, service=s, **f.cleaned_data),
        success=_("Service reopened."),
    )


@require_POST
@policy_required(policy, "service_link_diagnosis")
def service_link_diagnosis(request, pk):
    return _action(
        request,
        pk,
        "service_link_diagnosis",
        form=lambda s: LinkDiagnosisForm(request.POST, service=s),
        call=lambda s, f: workflow.service_link_diagnosis(
            user=request.user, service=s, diagnosis=f.cleaned_data["diagnosis"], nodes=list(f.cleaned_data["nodes"])
        ),
        success=_("Diagnosis and problems linked."),
        anchor="diagnosis",
    )


@require_POST
@policy_required(policy, "service_assign_consultant")
def service_assign(request, pk):
    return _action(
        request,
        pk,
        "service_assign_consultant",
        form=lambda s: AssignConsultantForm(request.POST, service=s),
        call=lambda s, f: workflow.service_assign_consultant(user=request.user, service=s, **f.cleaned_data),
        success=_("Consultant assigned."),
        anchor="consultants",
    )


@require_POST
@policy_required(policy, "proposal_edit")
@once_per_submission
def improvement_add(request, pk):
    return _action(
        request,
        pk,
        "proposal_edit",
        form=lambda s: ImprovementForm(request.POST, service=s),
        call=lambda s, f: proposal.improvement_add(
            user=request.user,
            service=s,
            node=f.cleaned_data["problem_node"],
            problem=f.cleaned_data["problem"],
            improvement=f.cleaned_data["improvement"],
            expected_result=f.cleaned_data["expected_result"],
        ),
        success=_("Improvement added to the plan."),
        anchor="proposal",
        creates=True,
    )


@require_POST
@policy_required(policy, "proposal_edit")
@once_per_submission
def budget_add(request, pk):
    return _action(
        request,
        pk,
        "proposal_edit",
        form=lambda s: BudgetLineForm(request.POST),
        call=lambda s, f: proposal.budget_line_add(user=request.user, service=s, **f.cleaned_data),
        success=_("Cost added to the budget."),
        anchor="budget",
        creates=True,
    )


@require_POST
@policy_required(policy, "proposal_edit")
@once_per_submission
def funding_add(request, pk):
    return _action(
        request,
        pk,
        "proposal_edit",
        form=lambda s: FundingLineForm(request.POST),
        call=lambda s, f: proposal.funding_line_add(user=request.user, service=s, **f.cleaned_data),
        success=_("Subsidy or co-financing added."),
        anchor="budget",
        creates=True,
    )


@require_POST
@policy_required(policy, "owner_decision_record")
def owner_decision(request, pk):
    return _action(
        request,
        pk,
        "owner_decision_record",
        form=lambda s: OwnerDecisionForm(request.POST),
        call=lambda s, f: proposal.proposal_record_owner_decision(user=request.user, service=s, **f.cleaned_data),
        success=_("The owner's decision is recorded."),
        anchor="decision",
    )


@require_POST
@policy_required(policy, "price_approve")
def approve_price(request, pk):
    return _action(
        request,
        pk,
        "price_approve",
        form=lambda s: None,
        call=lambda s, f: proposal.proposal_approve_price(user=request.user, service=s),
        success=_("Price approved."),
        anchor="decision",
    )


@require_POST
@policy_required(policy, "plan_edit")
@once_per_submission
def activity_add(request, pk):
    return _action(
        request,
        pk,
        "plan_edit",
        form=lambda s: ActivityForm(request.POST),
        call=lambda s, f: plan.activity_add(user=request.user, service=s, **f.cleaned_data),
        success=_("Activity added to the action plan."),
        anchor="plan",
        creates=True,
    )


@require_POST
@policy_required(policy, "plan_edit")
@once_per_submission
def indicator_add(request, pk):
    return _action(
        request,
        pk,
        "plan_edit",
        form=lambda s: IndicatorForm(request.POST, service=s),
        call=lambda s, f: plan.indicator_add(user=request.user, service=s, **f.cleaned_data),
        success=_("Indicator added to the action plan."),
        anchor="plan",
        creates=True,
    )


@require_POST
@policy_required(policy, "execution_record")
@once_per_submission
def visit_add(request, pk):
    return _action(
        request,
        pk,
        "execution_record",
        form=lambda s: VisitForm(request.POST, request.FILES, service=s),
        call=lambda s, f: execution.visit_log(user=request.user, service=s, **f.cleaned_data),
        success=_("Visit logged."),
        anchor="execution",
        creates=True,
    )


@require_POST
@policy_required(policy, "execution_record")
def report_submit(request, pk):
    return _action(
        request,
        pk,
        "execution_record",
        form=lambda s: ReportForm(request.POST, request.FILES),
        call=lambda s, f: execution.report_submit(user=request.user, service=s, **f.cleaned_data),
        success=_("Technical report submitted: the evaluation is now due."),
        anchor="evaluation",
    )


@require_POST
@policy_required(policy, "plan_edit")
def activity_progress(request, pk, activity_pk):
    def record(service, form):
        activity = service.activities.filter(pk=activity_pk).first()
        if activity is None:
            raise DomainError(_("That line no longer exists."))
        plan.activity_set_progress(user=request.user, activity=activity, progress=form.cleaned_data["progress"])

    return _action(
        request,
        pk,
        "plan_edit",
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
@policy_required(policy, "evaluation_record")
def evaluation_record(request, pk):
    return _action(
        request,
        pk,
        "evaluation_record",
        form=lambda s: EvaluationForm(request.POST, service=s),
        call=lambda s, f: _record_evaluation(request, s, f),
        success=_("Evaluation recorded: the service is closed."),
        anchor="evaluation",
    )


LINE_MODELS = {
    "improvement": (ImprovementItem, proposal.improvement_delete, "item", "proposal_edit"),
    "budget": (BudgetLine, proposal.budget_line_delete, "line", "proposal_edit"),
    "funding": (FundingLine, proposal.funding_line_delete, "line", "proposal_edit"),
    "activity": (Activity, plan.activity_delete, "activity", "plan_edit"),
    "indicator": (Indicator, plan.indicator_delete, "indicator", "plan_edit"),
}


@require_POST
@policy_required(policy, "service_view")
def line_delete(request, pk, kind, line_pk):
    if kind not in LINE_MODELS:
        raise Http404
    model, delete, argument, action = LINE_MODELS[kind]
    service = _service_for_action(request, pk, action)
    line = model.objects.filter(pk=line_pk, service=service).first()
    if line is None:
        return _refused(request, service, _("That line no longer exists."))
    try:
        delete(user=request.user, **{argument: line})
    except DomainError as error:
        return _refused(request, service, error)
    return _done(request, service, _("Line deleted."))


@policy_required(policy, "history_view")
def service_history(request, pk):
    service = selectors.service_detail(user=request.user, pk=pk)
    return render_history(
        request, service, back_url=reverse("assistance:service_detail", args=[pk]), title=_("Service data")
    )


@policy_required(policy, "service_view")
def service_file(request, pk, kind, file_pk):
    """A visit's attachment or the report file, for those who may see the service."""
    from core.views import protected_file

    service = selectors.service_detail(user=request.user, pk=pk)
    if kind == "visit":
        visit = service.visits.filter(pk=file_pk).first()
        return protected_file(visit.attachment if visit else None)
    report = selectors.report_of(service)
    if kind == "report" and report is not None and report.pk == file_pk:
        return protected_file(report.file)
    raise Http404
