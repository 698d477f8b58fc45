"""Pages of the funds app: vouchers, AEOs, contests from the call to the winners, business plans
with their eligibility and scores, the winners' purchases and the results. Each view checks the
policy, validates a form, calls one service and redirects."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clients.selectors import company_list, entrepreneur_list
from core.access import active_centres, visible_centres
from core.exceptions import DomainError
from core.exports import export_response
from core.forms import add_domain_error
from core.history import render_history
from core.idempotency import created, once_per_submission
from core.models import User
from core.pagination import paginate
from core.policy import policy_required
from core.views import protected_file

from . import eligibility, exports, selectors, services
from .filters import AEOFilter, ContestFilter, PlanFilter, VoucherFilter
from .forms import (
    AEOForm,
    CategoryForm,
    ContestForm,
    LineForm,
    MemberForm,
    PlanForm,
    PurchaseForm,
    ScoreForm,
    StepForm,
    VoucherIssueForm,
    WinnersForm,
)
from .models import BusinessPlan, Contest, InvestmentLine, Purchase, Score, VoucherProgramme
from .permissions import policy
from .procurement import purchase_state


def _flash_errors(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


# --- Vouchers ----------------------------------------------------------------------------------------


@policy_required(policy, "voucher_view")
def voucher_list(request):
    filterset = VoucherFilter(request.GET, queryset=selectors.voucher_list(user=request.user), request=request)
    vouchers = filterset.qs
    if request.GET.get("export") in ("csv", "xlsx"):
        return export_response(
            request.GET["export"], filename="bonos", headers=exports.voucher_headers(),
            rows=exports.voucher_rows(vouchers),
        )  # fmt: skip
    return render(
        request,
        "funds/voucher_list.html",
        {"filter": filterset, "page_obj": paginate(request, vouchers), "allowed": policy.allowed(request.user),
         "today": timezone.localdate()},
    )  # fmt: skip


@policy_required(policy, "voucher_issue")
def voucher_issue(request):
    centres = visible_centres(request.user)
    form = VoucherIssueForm(
        request.POST or None,
        programmes=VoucherProgramme.objects.filter(centre__in=centres, is_active=True),
        companies=company_list(user=request.user),
        people=entrepreneur_list(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            voucher = services.voucher_issue(user=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Voucher %(code)s issued.") % {"code": voucher.code})
            return redirect("funds:voucher_list")
    return render(
        request, "funds/form.html", {"form": form, "title": _("Issue a voucher"), "back": "funds:voucher_list"}
    )


# --- AEOs ----------------------------------------------------------------------------------------------


@policy_required(policy, "aeo_view")
def aeo_list(request):
    filterset = AEOFilter(request.GET, queryset=selectors.aeo_list(user=request.user), request=request)
    return render(
        request,
        "funds/aeo_list.html",
        {"filter": filterset, "page_obj": paginate(request, filterset.qs), "allowed": policy.allowed(request.user)},
    )


@policy_required(policy, "aeo_edit")
@once_per_submission
def aeo_create(request):
    form = AEOForm(request.POST or None, request.FILES or None, centres=active_centres(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            aeo = services.aeo_create(user=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("AEO registered: now add its members."))
            return created(request, redirect("funds:aeo_detail", pk=aeo.pk))
    return render(
        request, "funds/form.html",
        {"form": form, "title": _("Register an AEO"), "back": "funds:aeo_list", "multipart": True},
    )  # fmt: skip


@policy_required(policy, "aeo_view")
def aeo_detail(request, pk):
    aeo = selectors.aeo_detail(user=request.user, pk=pk)
    allowed = policy.allowed(request.user, aeo)
    form = MemberForm(people=entrepreneur_list(user=request.user)) if "aeo_edit" in allowed else None
    return render(request, "funds/aeo_detail.html", {"aeo": aeo, "allowed": allowed, "member_form": form})


@policy_required(policy, "aeo_view")
def aeo_minutes(request, pk):
    """The certified acta, for whoever may see the AEO: another centre's AEO is a 404 like its page."""
    aeo = selectors.aeo_detail(user=request.user, pk=pk)
    return protected_file(aeo.minutes)


@policy_required(policy, "aeo_edit")
@require_POST
def aeo_member_add(request, pk):
    aeo = selectors.aeo_detail(user=request.user, pk=pk)
    form = MemberForm(request.POST, people=entrepreneur_list(user=request.user))
    if not form.is_valid():
        _flash_errors(request, form)
    else:
        try:
            services.aeo_member_add(user=request.user, aeo=aeo, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Member added."))
    return redirect("funds:aeo_detail", pk=aeo.pk)


# --- Contests ------------------------------------------------------------------------------------------


@policy_required(policy, "contest_view")
def contest_list(request):
    filterset = ContestFilter(request.GET, queryset=selectors.contest_list(user=request.user), request=request)
    return render(
        request,
        "funds/contest_list.html",
        {"filter": filterset, "page_obj": paginate(request, filterset.qs), "allowed": policy.allowed(request.user)},
    )


def _staff(user):
    return User.objects.filter(is_active=True, centres__in=visible_centres(user)).distinct().order_by("username")


@policy_required(policy, "contest_manage")
@once_per_submission
def contest_create(request):
    form = ContestForm(request.POST or None, centres=active_centres(request.user), staff=_staff(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            contest = services.contest_create(user=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Contest prepared with the categories A, B and C: review their rules."))
            return created(request, redirect("funds:contest_detail", pk=contest.pk))
    return render(request, "funds/form.html", {"form": form, "title": _("New contest"), "back": "funds:contest_list"})


@policy_required(policy, "contest_view")
def contest_detail(request, pk):
    contest = selectors.contest_detail(user=request.user, pk=pk)
    allowed = policy.allowed(request.user, contest)
    plans = selectors.plan_list(user=request.user).filter(contest=contest).order_by("rank", "-weighted_score", "title")
    return render(
        request,
        "funds/contest_detail.html",
        {
            "contest": contest,
            "allowed": allowed,
            "plans": plans,
            "is_member": "plan_score" in allowed,
            "winners_form": WinnersForm() if contest.status == Contest.Status.EVALUATION else None,
        },
    )


@policy_required(policy, "history_view")
def contest_history(request, pk):
    contest = selectors.contest_detail(user=request.user, pk=pk)
    return render_history(request, contest, back_url=reverse("funds:contest_detail", args=[pk]), title=contest.name)


def _contest_action(request, pk, service, done, **extra):
    contest = selectors.contest_detail(user=request.user, pk=pk)
    try:
        service(user=request.user, contest=contest, **extra)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("funds:contest_detail", pk=contest.pk)


@policy_required(policy, "contest_manage")
@require_POST
def contest_open(request, pk):
    return _contest_action(request, pk, services.contest_open, _("The call is published."))


@policy_required(policy, "contest_manage")
@require_POST
def contest_close(request, pk):
    return _contest_action(request, pk, services.contest_close_submissions, _("Plans closed: the evaluation starts."))


@policy_required(policy, "winners_choose")
@require_POST
def winners_choose(request, pk):
    form = WinnersForm(request.POST)
    form.is_valid()
    return _contest_action(
        request, pk, services.winners_choose, _("Winners declared."),
        resolution_number=form.cleaned_data.get("resolution_number", ""),
    )  # fmt: skip


@policy_required(policy, "contest_manage")
def category_edit(request, pk, code):
    contest = selectors.contest_detail(user=request.user, pk=pk)
    category = get_object_or_404(contest.categories.all(), code=code)
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_update(user=request.user, category=category, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Rules of the category saved."))
            return redirect("funds:contest_detail", pk=contest.pk)
    return render(
        request, "funds/form.html",
        {"form": form, "title": f"{contest.name} · {category}", "back_url": reverse("funds:contest_detail", args=[pk])},
    )  # fmt: skip


@policy_required(policy, "results_view")
def contest_results(request, pk):
    contest = selectors.contest_detail(user=request.user, pk=pk)
    rows, totals = selectors.results(BusinessPlan.objects.filter(contest=contest))
    if request.GET.get("export") in ("csv", "xlsx"):
        return export_response(
            request.GET["export"], filename="resultados-procompite", headers=exports.result_headers(),
            rows=exports.result_rows(rows, totals),
        )  # fmt: skip
    return render(request, "funds/contest_results.html", {"contest": contest, "rows": rows, "totals": totals})


# --- Business plans ------------------------------------------------------------------------------------


@policy_required(policy, "contest_view")
def plan_list(request):
    filterset = PlanFilter(request.GET, queryset=selectors.plan_list(user=request.user), request=request)
    filterset.filters["contest"].queryset = selectors.contest_list(user=request.user)
    return render(
        request,
        "funds/plan_list.html",
        {"filter": filterset, "page_obj": paginate(request, filterset.qs.order_by("-created_at", "-id"))},
    )


@policy_required(policy, "plan_edit")
@once_per_submission
def plan_create(request, pk):
    contest = selectors.contest_detail(user=request.user, pk=pk)
    form = PlanForm(request.POST or None, contest=contest, aeos=selectors.aeo_list(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(user=request.user, contest=contest, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Business plan started: add its investment lines."))
            return created(request, redirect("funds:plan_detail", pk=plan.pk))
    return render(
        request, "funds/form.html",
        {"form": form, "title": _("New business plan"), "back_url": reverse("funds:contest_detail", args=[pk])},
    )  # fmt: skip


@policy_required(policy, "contest_view")
def plan_detail(request, pk):
    plan = selectors.plan_detail(user=request.user, pk=pk)
    allowed = policy.allowed(request.user, plan)
    contest = plan.contest
    draft = plan.status == BusinessPlan.Status.DRAFT
    scoring = (
        "plan_score" in allowed and contest.status == Contest.Status.EVALUATION and plan.is_eligible
        and plan.status == BusinessPlan.Status.SUBMITTED
    )  # fmt: skip
    score_form = None
    if scoring:
        mine = dict(Score.objects.filter(plan=plan, member=request.user).values_list("criterion", "score"))
        score_form = ScoreForm(criteria=contest.criteria.all(), initial_scores=mine)
    today = timezone.localdate()
    purchases = [
        (p, purchase_state(p, today))
        for p in Purchase.objects.filter(plan=plan).prefetch_related(Prefetch("steps")).select_related("plan__contest")
    ]
    winner = plan.status == BusinessPlan.Status.WINNER
    return render(
        request,
        "funds/plan_detail.html",
        {
            "plan": plan,
            "allowed": allowed,
            "problems": eligibility.problems(plan, on=today) if draft else plan.eligibility_problems.splitlines(),
            "line_form": LineForm() if draft and "plan_edit" in allowed else None,
            "can_submit": draft and "plan_edit" in allowed and contest.status == Contest.Status.OPEN,
            "score_form": score_form,
            "purchases": purchases,
            "purchase_form": PurchaseForm() if winner and "purchase_record" in allowed else None,
            "step_form": StepForm() if winner and "purchase_record" in allowed else None,
        },
    )


@policy_required(policy, "history_view")
def plan_history(request, pk):
    plan = selectors.plan_detail(user=request.user, pk=pk)
    return render_history(request, plan, back_url=reverse("funds:plan_detail", args=[pk]), title=plan.title)


@policy_required(policy, "plan_edit")
@require_POST
@once_per_submission
def plan_line_add(request, pk):
    plan = selectors.plan_detail(user=request.user, pk=pk)
    form = LineForm(request.POST)
    if not form.is_valid():
        _flash_errors(request, form)
    else:
        try:
            services.investment_line_add(user=request.user, plan=plan, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Line added."))
            return created(request, redirect("funds:plan_detail", pk=plan.pk))
    return redirect("funds:plan_detail", pk=plan.pk)


@policy_required(policy, "plan_edit")
@require_POST
def plan_line_delete(request, pk, line_pk):
    plan = selectors.plan_detail(user=request.user, pk=pk)
    line = get_object_or_404(InvestmentLine, plan=plan, pk=line_pk)
    try:
        services.investment_line_delete(user=request.user, line=line)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Line removed."))
    return redirect("funds:plan_detail", pk=plan.pk)


@policy_required(policy, "plan_edit")
@require_POST
def plan_submit(request, pk):
    plan = selectors.plan_detail(user=request.user, pk=pk)
    try:
        plan = services.plan_submit(user=request.user, plan=plan)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        if plan.is_eligible:
            messages.success(request, _("Plan submitted: it meets the rules of its category."))
        else:
            messages.warning(request, _("Plan submitted, but it does not meet the rules of its category."))
    return redirect("funds:plan_detail", pk=plan.pk)


@policy_required(policy, "plan_score")
@require_POST
def plan_score(request, pk):
    plan = selectors.plan_detail(user=request.user, pk=pk)
    policy.check(request.user, "plan_score", plan)
    form = ScoreForm(request.POST, criteria=plan.contest.criteria.all(), initial_scores={})
    if not form.is_valid():
        _flash_errors(request, form)
        return redirect("funds:plan_detail", pk=plan.pk)
    try:
        for criterion, score in form.scores():
            services.score_record(user=request.user, plan=plan, criterion=criterion, score=score)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Scores saved."))
    return redirect("funds:plan_detail", pk=plan.pk)


# --- Purchases -----------------------------------------------------------------------------------------


@policy_required(policy, "purchase_record")
@require_POST
@once_per_submission
def purchase_create(request, pk):
    plan = selectors.plan_detail(user=request.user, pk=pk)
    form = PurchaseForm(request.POST)
    if not form.is_valid():
        _flash_errors(request, form)
    else:
        try:
            services.purchase_create(user=request.user, plan=plan, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Purchase requirement recorded."))
            return created(request, redirect("funds:plan_detail", pk=plan.pk))
    return redirect("funds:plan_detail", pk=plan.pk)


@policy_required(policy, "purchase_record")
@require_POST
def purchase_step(request, pk):
    purchase = get_object_or_404(selectors.purchase_list(user=request.user), pk=pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        _flash_errors(request, form)
    else:
        try:
            services.purchase_step_record(user=request.user, purchase=purchase, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Step recorded."))
    return redirect("funds:plan_detail", pk=purchase.plan_id)
