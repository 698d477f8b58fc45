"""Two requests at once on one loan: the loan row lock makes them run one after the other.

Needs PostgreSQL (SQLite has no row locks and serialises every write anyway).
"""

import datetime
from decimal import Decimal

import pytest

from core.tests.concurrency import POSTGRESQL_ONLY, at_once
from credit import services
from credit.models import LedgerEntry, Loan, Repayment
from credit.tests.factories import ProductFactory, applied_loan, disbursed_loan, funded_operator

pytestmark = [
    pytest.mark.django_db(transaction=True),
    POSTGRESQL_ONLY,
]

D = datetime.date
M = Decimal


@pytest.fixture
def loan(huancayo, credit_officer, administrator):
    operator = funded_operator(huancayo, officers=[credit_officer], admin=administrator)
    return disbursed_loan(ProductFactory(operator=operator), credit_officer, amount=M("1000"), months=6)


def test_the_same_repayment_posted_twice_at_once_posts_once(loan, credit_officer):
    def post():
        return services.repayment_post(
            user=credit_officer, loan=loan, amount=M("187.67"), date=D(2024, 3, 1), idempotency_key="double-click"
        )

    results, errors = at_once(post, post)
    assert not errors
    assert results[0].pk == results[1].pk
    assert Repayment.objects.filter(loan=loan).count() == 1
    assert sum(e.amount for e in LedgerEntry.objects.filter(loan=loan, repayment__isnull=False)) == M("187.67")


def test_two_different_repayments_at_once_both_apply_in_turn(loan, credit_officer):
    def post(key):
        return lambda: services.repayment_post(
            user=credit_officer, loan=loan, amount=M("150"), date=D(2024, 3, 1), idempotency_key=key
        )

    results, errors = at_once(post("a"), post("b"))
    assert not errors
    first = loan.instalments.get(number=1)
    second = loan.instalments.get(number=2)
    # 300 in all: the first instalment (187.67) whole, then 112.33 of the second (35.00 interest first... of its own).
    assert first.total_paid == first.total_due == M("187.67")
    assert second.total_paid == M("112.33")
    assert sum(e.amount for e in LedgerEntry.objects.filter(loan=loan, repayment__isnull=False)) == M("300.00")


def test_disbursing_twice_at_once_pays_out_once(huancayo, credit_officer, administrator):
    operator = funded_operator(huancayo, officers=[credit_officer], admin=administrator)
    loan = applied_loan(ProductFactory(operator=operator), credit_officer)
    services.loan_decide(user=credit_officer, loan=loan, approve=True, evaluation="ok", on=D(2024, 2, 1))

    def disburse():
        return services.loan_disburse(user=credit_officer, loan=Loan.objects.get(pk=loan.pk), on=D(2024, 2, 1))

    results, errors = at_once(disburse, disburse)
    assert not errors
    assert LedgerEntry.objects.filter(loan=loan, kind="disbursement").count() == 1
    assert loan.instalments.count() == 6
