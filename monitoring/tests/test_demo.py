"""The demo's history: at the default scale the dashboard shows the seed's Cuadro 2 for 1999-2004."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from assistance.models import Service
from clients.models import Company, Entrepreneur
from core.models import User
from credit.models import LedgerEntry, Loan
from monitoring import selectors
from training.models import Enrolment

pytestmark = pytest.mark.django_db

FROM, TO = datetime.date(1999, 1, 1), datetime.date(2004, 12, 31)
SEED = {  # the seed's Cuadro 2
    ("training", "CentroPyME Lima"): (1607, 1099),
    ("training", "CentroPyME Huancayo"): (633, 527),
    ("assistance", "CentroPyME Lima"): (254, 0),
    ("assistance", "CentroPyME Huancayo"): (97, 0),
    ("credit", "CentroPyME Lima"): (92, 0),
    ("credit", "CentroPyME Huancayo"): (217, 0),
}


@pytest.fixture
def seed(settings):
    settings.DEBUG = True  # seed_demo refuses to run without it

    def run(**options):
        call_command("seed_demo", stdout=StringIO(), **options)

    return run


def _counts():
    return tuple(model.objects.count() for model in (Company, Entrepreneur, Enrolment, Service, Loan, LedgerEntry))


def test_the_default_demo_gives_the_seeds_cuadro_2_for_1999_to_2004_and_a_second_run_adds_nothing(seed):
    seed()
    manager = User.objects.get(username="gerente")
    table = selectors.cuadro2(manager, FROM, TO)
    assert {(r["service"], r["centre"]): (r["companies"], r["protoempresas"]) for r in table["rows"]} == SEED
    assert table["totals"] == {"companies": 2900, "protoempresas": 1626}
    # The coordinator of Lima sees Lima's rows only.
    lima = selectors.cuadro2(User.objects.get(username="coordinador"), FROM, TO)
    assert lima["totals"] == {"companies": 1607 + 254 + 92, "protoempresas": 1099}
    # The seed's profile: 58 % of the participants came with a company; 55 % of the owners are women.
    assert selectors.training(manager, FROM, TO)["owners_pct"] == pytest.approx(57.9, abs=0.1)
    assert selectors.profile(manager, FROM, TO)["women_pct"] == pytest.approx(55, abs=3)
    first = _counts()
    seed()
    assert _counts() == first


def test_the_scaled_demo_adds_courses_consultations_and_loans_in_proportion(seed):
    seed(companies=600, no_history=True)
    today = timezone.localdate()
    manager = User.objects.get(username="gerente")
    panel = selectors.dashboard(manager, today - datetime.timedelta(days=730), today)
    assert panel["training"]["participants"] >= 100
    assert panel["consultations"]["total"] >= 150 and panel["consultations"]["converted"] > 0
    assert Loan.objects.count() == round(600 / 30)  # the demo's 15 and 5 more
    assert panel["credit"]["loans"] > 0 and panel["credit"]["par"] is not None
    first = _counts()
    seed(companies=600, no_history=True)
    assert _counts() == first
