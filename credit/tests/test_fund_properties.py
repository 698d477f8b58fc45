"""The fund's identity, at every date, whatever happens to it (property test through the services).

available = capital - disbursed + recovered + interest + fees - margin paid - returned, and the
outstanding principal of the ledger equals what the loans' schedules say is still owed.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.exceptions import DomainError
from credit import selectors, services
from credit.models import ExchangeRate, Instalment, Loan
from credit.tests.factories import applied_loan

pytestmark = pytest.mark.django_db

START = datetime.date(2024, 1, 1)

actions = st.lists(
    st.one_of(
        st.tuples(st.just("capital"), st.integers(1, 60), st.decimals("100", "5000", places=2)),
        st.tuples(st.just("lend"), st.integers(1, 20), st.decimals("300", "3000", places=2), st.integers(1, 12)),
        st.tuples(st.just("repay"), st.integers(1, 20), st.integers(0, 50), st.decimals("1", "900", places=2)),
        st.tuples(st.just("write_off"), st.integers(1, 20), st.integers(0, 50)),
        st.tuples(st.just("reverse_capital"), st.integers(1, 20)),
        st.tuples(st.just("margin"), st.integers(1, 20)),
    ),
    max_size=12,
)


def _check_identity(operator, day):
    p = selectors.fund_position(operator, day)
    expected = p.capital - p.disbursement + p.principal + p.interest + p.fee - p.margin_paid - p.returned
    assert p.available == expected
    owed = Decimal(0)
    for loan in Loan.objects.filter(operator=operator, disbursed_on__lte=day).exclude(written_off_on__lte=day):
        paid = sum(
            (a.principal for i in loan.instalments.all() for a in i.allocations.all() if a.repayment.date <= day),
            Decimal(0),
        )
        owed += loan.amount - paid
    assert p.outstanding_principal == owed


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions)
def test_the_fund_identity_holds_at_every_date(product, credit_officer, administrator, huancayo, steps):
    administrator.centres.add(huancayo)
    with transaction.atomic():
        operator = product.operator
        ExchangeRate.objects.get_or_create(date=START, defaults={"pen_per_usd": Decimal("3.7")})
        day = START
        dates = [day]
        loans = []
        for n, step in enumerate(steps):
            day = day + datetime.timedelta(days=step[1])
            dates.append(day)
            try:
                with transaction.atomic():
                    _apply(step, n, day, product, credit_officer, administrator, loans)
            except DomainError:
                pass
        for each in dates:
            _check_identity(operator, each)
        transaction.set_rollback(True)


def _apply(step, n, day, product, officer, admin, loans):
    kind = step[0]
    operator = product.operator
    if kind == "capital":
        services.tranche_place(user=admin, operator=operator, date=day, amount=step[2])
    elif kind == "lend":
        loan = applied_loan(product, officer, amount=step[2], months=step[3], on=day)
        services.loan_decide(user=officer, loan=loan, approve=True, evaluation="ok", on=day)
        loans.append(services.loan_disburse(user=officer, loan=loan, on=day))
    elif kind == "repay" and loans:
        loan = loans[step[2] % len(loans)]
        owed = sum(i.total_due - i.total_paid for i in Instalment.objects.filter(loan=loan))
        amount = min(step[3], owed) if owed else step[3]
        services.repayment_post(user=officer, loan=loan, amount=amount, date=day, idempotency_key=f"k{n}")
    elif kind == "write_off" and loans:
        services.loan_write_off(user=admin, loan=loans[step[2] % len(loans)], on=day, reason="prueba")
    elif kind == "reverse_capital":
        entry = operator.ledger.filter(kind="capital_in", reverses__isnull=True, reversed_by__isnull=True).last()
        if entry and selectors.fund_position(operator, day).available >= entry.amount:
            services.entry_reverse(user=admin, entry=entry, date=day, reason="error")
    elif kind == "margin" and day.year > START.year:
        services.margin_record(user=admin, operator=operator, year=day.year - 1, paid_on=day)
