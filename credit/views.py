"""Pages of the credit fund: the loans, a loan's file with its schedule and payments, the fund's
position per operator, and the simulator. Each view checks the policy, validates a form,
calls one service and redirects."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clients.selectors import entrepreneur_list
from core.exceptions import DomainError
from core.exports import export_response
from core.forms import add_domain_error
from core.history import render_history
from core.idempotency import created, once_per_submission
from core.pagination import paginate
from core.policy import policy_required

from . import exports, selectors, services
from .filters import LoanFilter
from .forms import (
    AsOfForm,
    EntryReverseForm,
    FundCloseForm,
    LoanApplyForm,
    LoanDecideForm,
    LoanDisburseForm,
    MarginForm,
    RepaymentForm,
    SimulatorForm,
    TrancheForm,
    WriteOffForm,
)
from .permissions import policy
from .schedule import simulate


@policy_required(policy, "loan_view")
def loan_list(request):
    filterset = LoanFilter(request.GET, queryset=selectors.loan_list(user=request.user), request=request)
    filterset.filters["operator"].queryset = selectors.operator_list(user=request.user)
    loans = filterset.qs
    if request.GET.get("export") in ("csv", "xlsx"):
        return export_response(
            request.GET["export"], filename="prestamos", headers=exports.loan_headers(), rows=exports.loan_rows(loans)
        )
    page = paginate(request, loans)
    for loan in page:
        loan.days = selectors.days_late(loan)
        loan.outstanding = selectors.outstanding_principal(loan)
    return render(
        request,
        "credit/loan_list.html",
        {"filter": filterset, "page_obj": page, "allowed": policy.allowed(request.user)},
    )


@policy_required(policy, "loan_view")
def loan_detail(request, pk):
    loan = selectors.loan_detail(user=request.user, pk=pk)
    policy.check(request.user, "loan_view", loan)
    allowed = policy.allowed(request.user, loan)
    state = None
    if loan.disbursed_on:
        from .arrears import loan_state

        state = loan_state(
            selectors.loans_for_portfolio(type(loan).objects.filter(pk=loan.pk)).get(), timezone.localdate()
        )
    return render(
        request,
        "credit/loan_detail.html",
        {
            "loan": loan,
            "allowed": allowed,
            "state": state,
            "decide_form": LoanDecideForm() if loan.status == "applied" and "loan_decide" in allowed else None,
            "disburse_form": LoanDisburseForm() if loan.status == "approved" and "loan_disburse" in allowed else None,
            "repayment_form": RepaymentForm() if loan.status == "disbursed" and "repayment_post" in allowed else None,
            "write_off_form": WriteOffForm() if loan.status == "disbursed" and "loan_write_off" in allowed else None,
        },
    )


@policy_required(policy, "history_view")
def loan_history(request, pk):
    loan = selectors.loan_detail(user=request.user, pk=pk)
    policy.check(request.user, "history_view", loan)
    return render_history(
        request, loan, back_url=reverse("credit:loan_detail", args=[pk]), title=_("Loan %(code)s") % {"code": loan.code}
    )


@policy_required(policy, "loan_apply")
@once_per_submission
def loan_apply(request):
    form = LoanApplyForm(
        request.POST or None,
        products=selectors.product_list(user=request.user),
        people=entrepreneur_list(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            loan = services.loan_apply(user=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Application %(code)s recorded.") % {"code": loan.code})
            return created(request, redirect("credit:loan_detail", pk=loan.pk))
    return render(request, "credit/loan_form.html", {"form": form})


def _act(request, pk, form_class, service, done):
    """Every action on a loan: validate the form, call the one service with the user and the loan, go back."""
    loan = selectors.loan_detail(user=request.user, pk=pk)
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            service(user=request.user, loan=loan, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, done)
    return redirect("credit:loan_detail", pk=loan.pk)


@policy_required(policy, "loan_decide")
@require_POST
def loan_decide(request, pk):
    return _act(request, pk, LoanDecideForm, services.loan_decide, _("Decision recorded."))


@policy_required(policy, "loan_disburse")
@require_POST
def loan_disburse(request, pk):
    return _act(request, pk, LoanDisburseForm, services.loan_disburse, _("Loan paid out."))


@policy_required(policy, "repayment_post")
@require_POST
def repayment_post(request, pk):
    return _act(request, pk, RepaymentForm, services.repayment_post, _("Payment posted."))


@policy_required(policy, "loan_write_off")
@require_POST
def loan_write_off(request, pk):
    return _act(request, pk, WriteOffForm, services.loan_write_off, _("Loan written off."))


@policy_required(policy, "fund_view")
def fund_position(request):
    form = AsOfForm(request.GET or None)
    as_of = (form.is_valid() and form.cleaned_data["as_of"]) or timezone.localdate()
    operators = list(selectors.operator_list(user=request.user))
    positions = selectors.fund_positions([o.pk for o in operators], as_of)
    portfolio = selectors.portfolio_of(user=request.user, as_of=as_of)
    by_operator = {row["group"]: row for row in selectors.delinquency_by(portfolio, lambda loan: loan.operator)}
    rows = []
    for operator in operators:
        position = positions[operator.pk]
        biggest = max(position.capital, position.disbursement, 1)
        rows.append({"operator": operator, "position": position, "delinquency": by_operator.get(operator),
                     "bars": [(_("Capital placed"), position.capital * 100 / biggest),
                              (_("Disbursed"), position.disbursement * 100 / biggest),
                              (_("Outstanding principal"), position.outstanding_principal * 100 / biggest),
                              (_("Available to lend"), max(position.available, 0) * 100 / biggest)]})  # fmt: skip
    return render(
        request,
        "credit/fund_position.html",
        {
            "form": form,
            "as_of": as_of,
            "rows": rows,
            "portfolio": portfolio,
            "par1": portfolio.par(0),
            "par30": portfolio.par(30),
            "by_centre": selectors.delinquency_by(portfolio, lambda loan: loan.centre),
        },
    )


@policy_required(policy, "history_view")
def operator_history(request, pk):
    """Who changed the operator's record (name, contacts, currency) and when."""
    operator = selectors.operator_detail(user=request.user, pk=pk)
    policy.check(request.user, "history_view", operator)
    return render_history(request, operator, back_url=reverse("credit:fund_statement", args=[pk]), title=str(operator))


@policy_required(policy, "fund_view")
def fund_statement(request, pk):
    """One operator's end-of-fund statement at a chosen date, with the fund keeper's forms."""
    operator = selectors.operator_detail(user=request.user, pk=pk)
    policy.check(request.user, "fund_view", operator)
    form = AsOfForm(request.GET or None)
    as_of = (form.is_valid() and form.cleaned_data["as_of"]) or timezone.localdate()
    allowed = policy.allowed(request.user, operator)
    statement = selectors.fund_statement(operator, as_of)
    return render(
        request,
        "credit/fund_statement.html",
        {
            **statement,
            "form": form,
            "allowed": allowed,
            "tranche_form": TrancheForm(prefix="tranche") if "tranche_place" in allowed else None,
            "margin_form": MarginForm(prefix="margin", initial={"year": as_of.year - 1})
            if "margin_record" in allowed
            else None,
            "can_reverse": "entry_reverse" in allowed,
            "close_form": FundCloseForm(prefix="close")
            if "fund_close" in allowed and not statement["closing"]
            else None,
        },
    )


def _fund_act(request, pk, action, form_class, prefix, call, done):
    """Post one of the fund keeper's forms: check the policy on the operator, call the service, redirect."""
    operator = selectors.operator_detail(user=request.user, pk=pk)
    policy.check(request.user, action, operator)
    done = _submit(request, form_class(request.POST, prefix=prefix), lambda data: call(operator, data), done)
    response = redirect("credit:fund_statement", pk=operator.pk)
    # Recorded: a resent form (with its submission token) is sent back here and records nothing more.
    return created(request, response) if done else response


def _submit(request, form, call, done) -> bool:
    """Validate a small form of the statement page and call its service; every refusal becomes a message.
    True when the service did its work."""
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return False
    try:
        call(form.cleaned_data)
    except DomainError as error:
        messages.error(request, str(error))
        return False
    messages.success(request, done)
    return True


@policy_required(policy, "tranche_place")
@require_POST
@once_per_submission
def tranche_place(request, pk):
    def call(operator, data):
        return services.tranche_place(user=request.user, operator=operator, **data)

    return _fund_act(request, pk, "tranche_place", TrancheForm, "tranche", call, _("Capital placed."))


@policy_required(policy, "margin_record")
@require_POST
def margin_record(request, pk):
    def call(operator, data):
        return services.margin_record(user=request.user, operator=operator, **data)

    return _fund_act(request, pk, "margin_record", MarginForm, "margin", call, _("Margin payment recorded."))


@policy_required(policy, "fund_close")
@require_POST
def fund_close(request, pk):
    def call(operator, data):
        return services.fund_close(user=request.user, operator=operator, **data)

    return _fund_act(request, pk, "fund_close", FundCloseForm, "close", call, _("End-of-fund decision recorded."))


@policy_required(policy, "entry_reverse")
@require_POST
def entry_reverse(request, pk):
    """Correct a mistaken entry of the fund keeper by a reversing entry; back to the operator's statement."""
    entry = get_object_or_404(selectors.ledger_list(user=request.user), pk=pk)
    policy.check(request.user, "entry_reverse", entry)
    form = EntryReverseForm(request.POST, prefix="reverse")

    def call(data):
        return services.entry_reverse(user=request.user, entry=entry, **data)

    _submit(request, form, call, _("Entry reversed."))
    return redirect("credit:fund_statement", pk=entry.operator_id)


@policy_required(policy, "simulate")
def simulator(request):
    form = SimulatorForm(request.GET or None)
    result = simulate(**form.cleaned_data) if form.is_valid() else None
    return render(request, "credit/simulator.html", {"form": form, "result": result})
