"""A known data set for the dashboard: every service at both centres, inside and outside the period.

``build_world(lima, huancayo, user, scale)`` writes it in bulk (the dashboard only reads, so the
records are written as the service apps leave them, without going through their services), from a
seeded random generator: the same scale gives the same records. The tests compute every figure
again from these objects in Python and hold the dashboard to it.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from assistance.models import BudgetLine, Evaluation, Indicator, Service, Stage
from assistance.tests.factories import service_type
from clients.models import Company, Entrepreneur, Need
from clients.tests.factories import subsector, ubigeo
from consultations.models import Consultation
from consultations.tests.factories import topic
from credit.models import Allocation, Instalment, LedgerEntry, Loan, LoanProduct, Operator, Repayment
from credit.schedule import build_schedule, fee_for
from training.models import Enrolment, FollowUp, Module, Offering

PERIOD = (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
BEFORE = datetime.date(2023, 6, 15)
STAGES = [
    Stage.PROMOTION,
    Stage.PROPOSAL,
    Stage.EXECUTION,
    Stage.EVALUATION,
    Stage.CLOSED,
    Stage.CLOSED,
    Stage.CANCELLED,
]
EDUCATION = ["", "none", "primary", "primary_inc", "secondary", "secondary_inc", "higher", "higher_inc"]


def _aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _day(rng: random.Random, inside: bool) -> datetime.date:
    if inside:
        return PERIOD[0] + datetime.timedelta(days=rng.randint(0, 364))
    return BEFORE + datetime.timedelta(days=rng.randint(0, 60))


def build_world(lima, huancayo, user, *, scale: int = 1, seed: int = 1) -> dict:  # noqa: PLR0915
    """Companies with their owners, protoempresas, courses, services, consultations and loans at both
    centres. Returns the objects by kind, for the tests' own counts."""
    rng = random.Random(seed * 1000 + scale)  # noqa: S311 - test data
    sub, district = subsector(), ubigeo("150132")
    world: dict = {"centres": [lima, huancayo]}
    companies, owners, protos = [], [], []
    for centre in (lima, huancayo):
        for n in range(10 * scale):
            sanitary_on = rng.choice([None, BEFORE, PERIOD[1], datetime.date(2025, 3, 1)])
            companies.append(
                Company(
                    centre=centre,
                    legal_name=f"Empresa {centre.pk}-{n}",
                    name_key=f"empresa {centre.pk}-{n}",
                    subsector=sub,
                    district=district,
                    created_by=user,
                    start_year=rng.choice([None, 1990, 2015, 2023]),
                    permanent_men=rng.randint(0, 4),
                    permanent_women=rng.randint(0, 4),
                    temporary_men=rng.randint(0, 2),
                    temporary_women=rng.randint(0, 2),
                    sanitary_registration_number="A1" if sanitary_on else "",
                    sanitary_registration_date=sanitary_on,
                    brand_registration_number="M1" if n % 4 == 0 else "",
                    brand_registration_date=datetime.date(2024, 8, 1) if n % 4 == 0 else None,
                )  # fmt: skip
            )
        for n in range(5 * scale):
            protos.append(
                Entrepreneur(
                    centre=centre,
                    first_name="Emprendedora",
                    last_name=f"{centre.pk}-{n}",
                    created_by=user,
                    gender=rng.choice("FM"),
                    birth_year=rng.choice([None, 1960, 1990, 2000]),
                    education=rng.choice(EDUCATION),
                )  # fmt: skip
            )
    Company.objects.bulk_create(companies)
    for company in companies:
        owners.append(
            Entrepreneur(
                centre=company.centre,
                first_name="Dueño",
                last_name=company.legal_name,
                company=company,
                relationship=rng.choice(["owner", "owner", "family"]),
                created_by=user,
                gender=rng.choice("FM"),
                birth_year=rng.choice([None, 1960, 1985, 1999]),
                education=rng.choice(EDUCATION),
            )  # fmt: skip
        )
    Entrepreneur.objects.bulk_create(owners + protos)
    world.update(companies=companies, owners=owners, protos=protos)

    # Training: courses inside and outside the period, one cancelled; participants with and without company.
    module = Module.objects.create(name=f"Curso de monitoreo {seed}-{scale}")
    offerings = []
    for centre in (lima, huancayo):
        for n in range(3 * scale):
            status = rng.choice(["finished", "finished", "running", "cancelled"])
            offerings.append(
                Offering(
                    centre=centre,
                    module=module,
                    status=status,
                    created_by=user,
                    instructor_user=user,
                    price=Decimal("100"),
                    subsidy=Decimal(rng.choice([0, 20, 40])),
                    starts_on=_day(rng, inside=n % 3 != 0),
                    cancel_reason="x" if status == "cancelled" else "",
                )  # fmt: skip
            )
    Offering.objects.bulk_create(offerings)
    enrolments = []
    for offering in offerings:
        centre_people = [p for p in owners + protos if p.centre_id == offering.centre_id]
        for person in rng.sample(centre_people, k=min(len(centre_people), 6)):
            entry = rng.choice([None, Decimal("8"), Decimal("10")])
            exit_score = rng.choice([None, Decimal("14"), Decimal("17.5")])
            completed = rng.choice([None, True, False])
            enrolments.append(
                Enrolment(
                    centre_id=offering.centre_id,
                    offering=offering,
                    entrepreneur=person,
                    company_id=person.company_id if rng.random() < 0.8 else None,
                    status=rng.choice(["enrolled", "enrolled", "enrolled", "waiting", "withdrawn"]),
                    entry_score=entry,
                    exit_score=exit_score,
                    completed=completed,
                    enrolled_by=user,
                )  # fmt: skip
            )
    Enrolment.objects.bulk_create(enrolments)
    followups = [
        FollowUp(
            centre_id=e.centre_id,
            enrolment=e,
            due_on=PERIOD[1],
            date=PERIOD[1] if done else None,
            result=rng.choice(["applied", "partly", "not_applied"]) if done else "",
            wants_assistance=rng.random() < 0.3,
        )  # fmt: skip
        for e in enrolments
        if e.completed and rng.random() < 0.7
        for done in [rng.random() < 0.6]
    ]
    FollowUp.objects.bulk_create(followups)
    world.update(offerings=offerings, enrolments=enrolments, followups=followups)

    # Technical assistance: services opened inside and outside the period in every stage.
    kind, now = service_type(), timezone.now()
    services = []
    for n, company in enumerate(rng.sample(companies, k=len(companies) * 3 // 4) + rng.sample(companies, k=3 * scale)):
        stage = rng.choice(STAGES)
        services.append(
            Service(
                centre_id=company.centre_id,
                company=company,
                code=f"SAT-T-{seed}-{scale}-{n}",
                title="Mejora",
                service_type=kind,
                stage=stage,
                stage_changed_at=now - datetime.timedelta(days=rng.randint(0, 150)),
                promoter=user,
                created_by=user,
                cancel_reason="No" if stage == Stage.CANCELLED else "",
                execution_ended_on=timezone.localdate() - datetime.timedelta(days=rng.randint(0, 90))
                if stage == Stage.EVALUATION
                else None,
                total_cost=Decimal("1000"),
                total_funding=Decimal("400"),
                owner_share=Decimal("600"),
            )  # fmt: skip
        )
    Service.objects.bulk_create(services)
    for service in services:
        service.created_at = _aware(_day(rng, inside=rng.random() < 0.7))
    Service.objects.bulk_update(services, ["created_at"])
    lines, indicators, evaluations = [], [], []
    for service in services:
        lines += [
            BudgetLine(service=service, kind="fees", description="Honorarios", quantity=Decimal(h),
                       unit_cost=Decimal("40"), amount=Decimal(h * 40))
            for h in rng.sample([5, 8, 10], k=rng.randint(0, 2))
        ]  # fmt: skip
        lines.append(BudgetLine(service=service, kind="materials", description="Insumos", quantity=1,
                                unit_cost=Decimal("99"), amount=Decimal("99")))  # fmt: skip
        if service.stage == Stage.CLOSED:
            evaluations.append(
                Evaluation(
                    service=service,
                    date=_day(rng, inside=rng.random() < 0.75),
                    evaluator=user,
                    satisfaction=rng.randint(1, 5),
                )  # fmt: skip
            )
            for baseline, target in ((15, 5), (10, 20)):
                indicators.append(
                    Indicator(
                        service=service,
                        name="x",
                        unit="%",
                        baseline=Decimal(baseline),
                        target=Decimal(target),
                        measured_value=rng.choice([None, Decimal(4), Decimal(12), Decimal(25)]),
                    )  # fmt: skip
                )
    BudgetLine.objects.bulk_create(lines)
    Evaluation.objects.bulk_create(evaluations)
    Indicator.objects.bulk_create(indicators)
    world.update(services=services, budget_lines=lines, evaluations=evaluations, indicators=indicators)

    # Consultations, some referred with a need answered in time, late or never.
    topics = [topic("Información tecnológica"), topic("Registro sanitario")]
    consultations, needs = [], []
    for n in range(8 * scale):
        centre = rng.choice([lima, huancayo])
        started = _aware(_day(rng, inside=n % 4 != 0), hour=9)
        referral = rng.choice(["", "", "assistance", "training", "credit"])
        need = None
        if referral:
            answered = rng.choice([None, 10, 200])
            need = Need(
                centre=centre, company=rng.choice([c for c in companies if c.centre_id == centre.pk]),
                need_type=referral, source="consultation",
                status="answered" if answered else "open",
                answered_at=started + datetime.timedelta(days=answered) if answered else None,
            )  # fmt: skip
            needs.append(need)
        consultations.append(
            Consultation(
                centre=centre,
                topic=rng.choice(topics),
                channel=rng.choice(["visit", "phone", "internet"]),
                question="¿?",
                started_at=started,
                ended_at=started + datetime.timedelta(minutes=8),
                duration_seconds=480,
                over_limit=rng.random() < 0.2,
                contact_name="Contacto",
                referral=referral,
                need=need,
                recorded_by=user,
            )  # fmt: skip
        )
    Need.objects.bulk_create(needs)
    for consultation in consultations:
        consultation.need_id = consultation.need.pk if consultation.need else None
    Consultation.objects.bulk_create(consultations)
    world.update(consultations=consultations, topics=topics)

    # Credit: loans paid out before and in the period, with schedules; some paid on time, some late.
    loans, instalments = [], []
    products = {}
    for centre in (lima, huancayo):
        operator = Operator.objects.create(name=f"Operador {centre.pk}-{seed}-{scale}", centre=centre,
                                           started_on=datetime.date(2020, 1, 1))  # fmt: skip
        products[centre.pk] = LoanProduct.objects.create(
            operator=operator, name="Capital", monthly_rate=Decimal("3.5"), fee_rate=Decimal("2"),
            min_amount=Decimal("100"), max_amount=Decimal("50000"),
        )  # fmt: skip
    borrowers = rng.sample(owners, k=len(owners) // 3) + rng.sample(protos, k=len(protos) // 2)
    for person in borrowers:
        product = products[person.centre_id]
        on = _day(rng, inside=rng.random() < 0.6) if rng.random() < 0.9 else None
        amount = Decimal(rng.choice([800, 1500, 3000]))
        written_off = on is not None and rng.random() < 0.1
        loans.append(
            Loan(
                centre_id=person.centre_id,
                operator=product.operator,
                product=product,
                entrepreneur=person,
                company_id=person.company_id,
                amount=amount,
                term_months=6,
                monthly_rate=product.monthly_rate,
                fee_rate=product.fee_rate,
                fee_mode=product.fee_mode,
                method=product.method,
                purpose="working_capital",
                applied_on=on or PERIOD[0],
                applied_by=user,
                status=("written_off" if written_off else "disbursed") if on else "applied",
                disbursed_on=on,
                fee_amount=fee_for(amount, product.fee_rate) if on else Decimal(0),
                written_off_on=on + datetime.timedelta(days=200) if written_off else None,
            )  # fmt: skip
        )
    Loan.objects.bulk_create(loans)
    repayments, allocations, ledger = [], [], []
    for loan in loans:
        if loan.disbursed_on is None:
            continue
        schedule = build_schedule(principal=loan.amount, monthly_rate=loan.monthly_rate, months=6,
                                  method=loan.method, start=loan.disbursed_on)  # fmt: skip
        rows = [
            Instalment(
                loan=loan,
                number=line.number,
                due_date=line.due_date,
                principal_due=line.principal,
                interest_due=line.interest,
            )  # fmt: skip
            for line in schedule
        ]
        instalments += rows
        paid = rng.randint(0, 6)  # instalments paid on their due date
        loan.plan = [(row, row.due_date) for row in rows[:paid]]
    Instalment.objects.bulk_create(instalments)
    for loan in loans:
        for n, (row, day) in enumerate(getattr(loan, "plan", [])):
            total = row.principal_due + row.interest_due
            repayment = Repayment(loan=loan, date=day, amount=total, idempotency_key=f"k{loan.pk}-{n}", posted_by=user)
            repayments.append(repayment)
            allocations.append((repayment, row))
            ledger.append(LedgerEntry(operator=loan.operator, date=day, kind="interest", amount=row.interest_due,
                                      loan=loan, created_by=user))  # fmt: skip
        if loan.disbursed_on is not None:
            ledger.append(LedgerEntry(operator=loan.operator, date=loan.disbursed_on, kind="fee",
                                      amount=loan.fee_amount, loan=loan, created_by=user))  # fmt: skip
    Repayment.objects.bulk_create(repayments)
    Allocation.objects.bulk_create(
        Allocation(repayment=repayment, instalment=row, principal=row.principal_due, interest=row.interest_due)
        for repayment, row in allocations
    )
    for _repayment, row in allocations:
        row.principal_paid, row.interest_paid = row.principal_due, row.interest_due
    Instalment.objects.bulk_update([row for _r, row in allocations], ["principal_paid", "interest_paid"])
    LedgerEntry.objects.bulk_create(ledger)
    world.update(loans=loans, instalments=instalments, ledger=ledger, operators=[p.operator for p in products.values()])
    return world
