"""The credit fund's rows of the page/API parity test (tests/test_policy_parity.py)."""

import datetime

from django.urls import reverse

from core.tests.parity import Case, get, post, row
from credit.models import FundClosing, LedgerEntry, Loan, MarginPayment, Repayment, Tranche
from credit.services import loan_decide
from credit.tests.factories import ProductFactory, applied_loan, disbursed_loan, funded_operator


def _product(ctx):
    operator = funded_operator(ctx["huancayo"], officers=[ctx["credit_officer"]], admin=ctx["administrator"])
    return ProductFactory(operator=operator)


def _operator(ctx):
    return _product(ctx).operator


def _capital_entry(ctx):
    return LedgerEntry.objects.get(operator=_operator(ctx), kind=LedgerEntry.Kind.CAPITAL_IN)


def _applied(ctx):
    return applied_loan(_product(ctx), ctx["credit_officer"])


def _approved(ctx):
    loan = _applied(ctx)
    return loan_decide(
        user=ctx["credit_officer"], loan=loan, approve=True, evaluation="ok", on=datetime.date(2024, 2, 1)
    )


def _disbursed(ctx):
    return disbursed_loan(_product(ctx), ctx["credit_officer"])


CASES = {
    # History pages have no API: the auditors only (core.policy.AUDITORS and the record's view rule).
    "history_view": Case(_disbursed, page=lambda loan: get(reverse("credit:loan_history", args=[loan.pk]))),
    "loan_view": Case(
        _disbursed,
        page=lambda loan: get(reverse("credit:loan_detail", args=[loan.pk])),
        api=lambda loan: get(reverse("loan-detail", args=[loan.pk])),
    ),
    "loan_apply": Case(
        _applied,
        page=lambda loan: post(reverse("credit:loan_apply"), {"amount": "-1"}),
        api=lambda loan: post(reverse("loan-list"), {"amount": "-1"}),
        snapshot=lambda loan: Loan.objects.count(),
        on_object=False,
    ),
    "loan_decide": Case(
        _applied,
        page=lambda loan: post(reverse("credit:loan_decide", args=[loan.pk]), {"approve": "1"}),
        api=lambda loan: post(reverse("loan-decide", args=[loan.pk]), {"approve": True}),
        snapshot=row(Loan, "status"),
    ),
    "loan_disburse": Case(
        _approved,
        page=lambda loan: post(reverse("credit:loan_disburse", args=[loan.pk]), {"on": "2024-02-01"}),
        api=lambda loan: post(reverse("loan-disburse", args=[loan.pk]), {"on": "2024-02-01"}),
        snapshot=row(Loan, "status", "disbursed_on"),
    ),
    "repayment_post": Case(
        _disbursed,
        page=lambda loan: post(reverse("credit:repayment_post", args=[loan.pk]), {"amount": "10"}),
        api=lambda loan: post(reverse("repayment-list"), {"loan": loan.pk, "amount": "10"}),
        snapshot=lambda loan: Repayment.objects.filter(loan=loan).count(),
    ),
    "loan_write_off": Case(
        _disbursed,
        page=lambda loan: post(reverse("credit:loan_write_off", args=[loan.pk]), {"reason": ""}),
        api=lambda loan: post(reverse("loan-write-off", args=[loan.pk]), {"reason": ""}),
        snapshot=row(Loan, "status"),
    ),
    "simulate": Case(
        _product,
        page=lambda p: get(reverse("credit:simulator") + "?principal=1000&monthly_rate=3.5&months=6&method=declining"),
        api=lambda p: get(reverse("credit-simulate") + "?principal=1000&monthly_rate=3.5&months=6"),
        on_object=False,
    ),
    "fund_view": Case(
        _product,
        page=lambda p: get(reverse("credit:fund_position")),
        api=lambda p: get(reverse("operator-list")),
        on_object=False,
    ),
    "tranche_place": Case(
        _operator,
        page=lambda op: post(reverse("credit:tranche_place", args=[op.pk]), {"tranche-amount": "-1"}),
        snapshot=lambda op: Tranche.objects.filter(operator=op).count(),
    ),
    "entry_reverse": Case(
        _capital_entry,
        page=lambda e: post(reverse("credit:entry_reverse", args=[e.pk]), {"reverse-date": "2024-01-03"}),
        api=lambda e: post(reverse("ledger-reverse", args=[e.pk]), {"date": "2024-01-03"}),
        snapshot=lambda e: LedgerEntry.objects.filter(reverses=e).count(),
    ),
    "margin_record": Case(
        _operator,
        page=lambda op: post(reverse("credit:margin_record", args=[op.pk]), {"margin-year": "2024"}),
        snapshot=lambda op: MarginPayment.objects.filter(operator=op).count(),
    ),
    "fund_close": Case(
        _operator,
        page=lambda op: post(reverse("credit:fund_close", args=[op.pk]), {"close-decision": "x"}),
        snapshot=lambda op: FundClosing.objects.filter(operator=op).count(),
    ),
    "work_panel_view": Case(not_a_request="a panel of the home page, not a page or an endpoint of its own"),
    "snapshot_take": Case(not_a_request="taken by the monthly Celery beat task credit.tasks.take_arrears_snapshot"),
}
