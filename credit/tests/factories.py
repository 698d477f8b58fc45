import datetime
from decimal import Decimal

import factory

from clients.tests.factories import EntrepreneurFactory
from core.tests.factories import CentreFactory, UserFactory
from credit.models import LoanProduct, Operator


class OperatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Operator
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Operador {n}")
    centre = factory.SubFactory(CentreFactory, name="CentroPyME Huancayo")
    started_on = datetime.date(2000, 4, 1)

    @factory.post_generation
    def officers(self, create, extracted, **kwargs):
        if extracted:
            self.officers.add(*extracted)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LoanProduct

    operator = factory.SubFactory(OperatorFactory)
    name = "Capital de trabajo"
    monthly_rate = Decimal("3.5")
    fee_rate = Decimal("2")
    min_amount = Decimal("300")
    max_amount = Decimal("20000")
    min_term = 1
    max_term = 24
    max_grace_months = 2


def borrower(centre, **kwargs):
    return EntrepreneurFactory(centre=centre, company=None, **kwargs)


def funded_operator(centre, *, officers=(), capital=Decimal("100000"), on=datetime.date(2024, 1, 2), admin=None):
    """An operator with capital placed, through the real service."""
    from credit.services import tranche_place

    operator = OperatorFactory(centre=centre, officers=list(officers))
    admin = admin or UserFactory(roles=["administrator"], centres=[centre])
    tranche_place(user=admin, operator=operator, date=on, amount=capital)
    return operator


def applied_loan(product, officer, *, amount=Decimal("1000"), months=6, on=datetime.date(2024, 2, 1), **kwargs):
    from credit.services import loan_apply

    person = kwargs.pop("entrepreneur", None) or borrower(product.operator.centre)
    return loan_apply(
        user=officer, product=product, entrepreneur=person, amount=amount, term_months=months,
        purpose="working_capital", applied_on=on, **kwargs,
    )  # fmt: skip


def disbursed_loan(product, officer, *, amount=Decimal("1000"), months=6, on=datetime.date(2024, 2, 1), **kwargs):
    """A loan applied for, approved and paid out on ``on``, through the services."""
    from credit.services import loan_apply, loan_decide, loan_disburse

    person = kwargs.pop("entrepreneur", None) or borrower(product.operator.centre)
    loan = loan_apply(
        user=officer, product=product, entrepreneur=person, amount=amount, term_months=months,
        purpose="working_capital", applied_on=on, **kwargs,
    )  # fmt: skip
    loan_decide(user=officer, loan=loan, approve=True, evaluation="Buen historial", on=on)
    return loan_disburse(user=officer, loan=loan, on=on)


def bulk_disbursed_loans(product, officer, count, *, amount=Decimal("500"), months=3, on=datetime.date(2024, 2, 1)):
    """``count`` loans paid out on ``on``, with their schedules and ledger entries, in a handful of bulk
    inserts: for the pages' query-count tests at a thousand loans. The figures are what ``loan_disburse``
    writes (the schedule is the same for every loan), without its per-loan checks."""
    from clients.models import Entrepreneur
    from credit.models import Instalment, LedgerEntry, Loan
    from credit.schedule import build_schedule, fee_for

    operator, centre = product.operator, product.operator.centre
    start = Entrepreneur.objects.count()
    people = Entrepreneur.objects.bulk_create(
        Entrepreneur(
            centre=centre, first_name=f"Prestatario {start + n}", last_name="Masivo", gender="F", created_by=officer
        )
        for n in range(count)
    )
    fee = fee_for(amount, product.fee_rate)
    loans = Loan.objects.bulk_create(
        Loan(
            centre=centre,
            operator=operator,
            product=product,
            entrepreneur=person,
            amount=amount,
            term_months=months,
            monthly_rate=product.monthly_rate,
            fee_rate=product.fee_rate,
            fee_mode=product.fee_mode,
            method=product.method,
            purpose="working_capital",
            applied_on=on,
            applied_by=officer,
            decided_on=on,
            decided_by=officer,
            disbursed_on=on,
            disbursed_by=officer,
            fee_amount=fee,
            status=Loan.Status.DISBURSED,
        )  # fmt: skip
        for person in people
    )
    lines = build_schedule(principal=amount, monthly_rate=product.monthly_rate, months=months,
                           method=product.method, start=on)  # fmt: skip
    Instalment.objects.bulk_create(
        Instalment(
            loan=loan,
            number=line.number,
            due_date=line.due_date,
            principal_due=line.principal,
            interest_due=line.interest,
        )  # fmt: skip
        for loan in loans
        for line in lines
    )
    LedgerEntry.objects.bulk_create(
        LedgerEntry(operator=operator, date=on, kind=kind, amount=value, loan=loan, created_by=officer)
        for loan in loans
        for kind, value in (("disbursement", amount), ("fee", fee))
    )
    return loans
