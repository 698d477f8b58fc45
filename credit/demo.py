"""Demo data for the rotating credit fund: the seed's two operators and a portfolio with real figures.

Runs after the client registry's demo (INSTALLED_APPS order): the borrowers are its
entrepreneurs. Everything that moves money goes through the services (tranches,
applications, decisions, disbursements on past dates, repayments, a write-off), so the
ledger, the schedules and the arrears are what the pages would have produced. Dates are
counted back from today, so the fund page always shows loans up to date and in arrears.
Idempotent: an operator that already exists is left as it is.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from clients.models import Entrepreneur
from core.models import Centre, User

from . import services
from .models import ExchangeRate, Loan, LoanProduct, Operator

D = datetime.date
M = Decimal


@dataclass(frozen=True)
class DemoLoan:
    amount: str
    months: int
    days_ago: int  # applied for, approved and paid out this many days before today
    # "current": every instalment paid on its due date; "late": the last ``unpaid`` instalments due are
    # not paid; "written_off": late, then written off; "applied" / "approved": not yet paid out.
    pattern: str = "current"
    unpaid: int = 0
    purpose: str = "working_capital"


@dataclass(frozen=True)
class DemoOperator:
    name: str
    centre: str
    started_on: datetime.date
    officer: str  # the demo user who runs its loans
    tranches: tuple[tuple[datetime.date, str], ...]
    loans: tuple[DemoLoan, ...]


OPERATORS = [
    DemoOperator(
        "GCOD",
        "CentroPyME Huancayo",
        D(2000, 4, 3),
        "credito",
        ((D(2000, 4, 3), "120000"), (D(2003, 3, 3), "60000")),
        (
            DemoLoan("3000", 12, 300),
            DemoLoan("1500", 6, 120),
            DemoLoan("5000", 12, 200, "late", unpaid=2),
            DemoLoan("2000", 6, 150, "late", unpaid=3),
            DemoLoan("800", 6, 240, "current"),  # fully repaid by now
            DemoLoan("4000", 12, 400, "written_off", unpaid=5, purpose="fixed_assets"),
            DemoLoan("2500", 9, 60, "late", unpaid=1),
            DemoLoan("1200", 6, 10, "applied"),
            DemoLoan("6000", 12, 5, "approved", purpose="fixed_assets"),
        ),
    ),  # fmt: skip
    DemoOperator(
        "Edificar",
        "CentroPyME Lima",
        D(2002, 1, 15),
        "admin",
        ((D(2002, 1, 15), "100000"),),
        (
            DemoLoan("2000", 12, 250),
            DemoLoan("3500", 12, 180, "late", unpaid=2),
            DemoLoan("1000", 6, 90),
            DemoLoan("7000", 18, 330, "late", unpaid=4, purpose="fixed_assets"),
            DemoLoan("1800", 6, 45),
            DemoLoan("2500", 12, 20, "applied"),
        ),
    ),  # fmt: skip
]

EXCHANGE_RATES = [
    (D(2000, 4, 3), "3.4800"),
    (D(2002, 1, 15), "3.4400"),
    (D(2003, 3, 3), "3.4700"),
    (D(2025, 1, 2), "3.7100"),
]


def seed(options, stdout) -> None:
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return
    for day, rate in EXCHANGE_RATES:
        ExchangeRate.objects.get_or_create(date=day, defaults={"pen_per_usd": M(rate)})
    for spec in OPERATORS:
        centre = Centre.objects.filter(name=spec.centre).first()
        if centre is None:
            continue
        operator = Operator.objects.filter(name=spec.name).first()
        officer = User.objects.get(username=spec.officer)
        if operator is None:
            with transaction.atomic():
                _seed_operator(spec, centre, admin, officer)
        elif spec.officer == "credito":
            operator.officers.add(officer)
    stdout.write(f"credit: {Operator.objects.count()} operators, {Loan.objects.count()} loans")


def _seed_operator(spec: DemoOperator, centre, admin, officer) -> None:
    operator = Operator.objects.create(name=spec.name, centre=centre, started_on=spec.started_on)
    if spec.officer == "credito":
        operator.officers.add(officer)
    for day, amount in spec.tranches:
        services.tranche_place(user=admin, operator=operator, date=day, amount=M(amount), note="Aporte del proyecto")
    product = LoanProduct.objects.create(
        operator=operator, name="Crédito PyME", monthly_rate=M("3.5"), fee_rate=M("2"), min_amount=M("300"),
        max_amount=M("20000"), min_term=1, max_term=24, max_grace_months=2,
    )  # fmt: skip
    people = list(Entrepreneur.objects.filter(centre=centre).order_by("pk")[: len(spec.loans)])
    if not people:
        return
    today = timezone.localdate()
    for index, demo in enumerate(spec.loans):
        day = today - datetime.timedelta(days=demo.days_ago)
        _seed_loan(demo, product, people[index % len(people)], officer, admin, day, today)


def _seed_loan(demo: DemoLoan, product, person, officer, admin, day, today) -> None:
    loan = services.loan_apply(
        user=officer, product=product, entrepreneur=person, amount=M(demo.amount), term_months=demo.months,
        purpose=demo.purpose, guarantee="Garantía mobiliaria sobre equipos", applied_on=day,
    )  # fmt: skip
    if demo.pattern == "applied":
        return
    services.loan_decide(user=officer, loan=loan, approve=True, evaluation="Negocio estable, buen historial", on=day)
    if demo.pattern == "approved":
        return
    services.loan_disburse(user=officer, loan=loan, on=day)
    due = [i for i in loan.instalments.order_by("number") if i.due_date <= today]
    to_pay = due[: len(due) - demo.unpaid] if demo.unpaid else due
    for instalment in to_pay:
        services.repayment_post(
            user=officer, loan=loan, amount=instalment.total_due, date=instalment.due_date,
            idempotency_key=f"demo-{loan.pk}-{instalment.number}",
        )  # fmt: skip
    if demo.pattern == "written_off":
        services.loan_write_off(
            user=admin, loan=loan, on=today - datetime.timedelta(days=15), reason="Negocio cerrado, sin garantía"
        )
