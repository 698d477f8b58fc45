"""The credit fund's demo data: real figures through the services, and idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import User
from credit import selectors
from credit.models import LedgerEntry, Loan, Operator, Repayment, Tranche

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(settings):
    settings.DEBUG = True  # seed_demo refuses to run without it

    def run():
        call_command("seed_demo", stdout=StringIO(), no_history=True)  # monitoring tests the history

    return run


def _counts():
    return {
        "operators": Operator.objects.count(),
        "tranches": Tranche.objects.count(),
        "loans": Loan.objects.count(),
        "repayments": Repayment.objects.count(),
        "ledger": LedgerEntry.objects.count(),
        "officers": Operator.objects.get(name="GCOD").officers.count(),
    }


def test_running_seed_demo_twice_adds_no_operator_loan_or_ledger_entry(seed):
    seed()
    first = _counts()
    seed()
    assert _counts() == first
    assert first["loans"] >= 15


def test_the_demo_portfolio_has_loans_up_to_date_in_arrears_and_one_written_off(seed):
    seed()
    gcod = Operator.objects.get(name="GCOD")
    assert (gcod.centre.name, gcod.started_on.isoformat()) == ("CentroPyME Huancayo", "2000-04-03")
    assert Operator.objects.get(name="Edificar").centre.name == "CentroPyME Lima"
    officer = User.objects.get(username="credito")
    assert list(officer.credit_operators.all()) == [gcod]
    assert Loan.objects.filter(status=Loan.Status.WRITTEN_OFF).count() == 1
    assert Loan.objects.filter(status=Loan.Status.REPAID).exists()
    assert gcod.products.get().monthly_rate == 3.5
    today = timezone.localdate()
    portfolio = selectors.portfolio_of(user=User.objects.get(username="admin"), as_of=today)
    assert portfolio.par(30) > 0
    assert any(state.days_late == 0 for state in portfolio.active)
    for operator in Operator.objects.all():
        position = selectors.fund_position(operator, today)
        assert position.disbursement > 0 and position.interest > 0 and position.available > 0
    assert selectors.fund_position(gcod, today).write_off > 0
