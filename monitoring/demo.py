"""Demo data for the dashboard, in two parts, both idempotent and written in bulk (no history rows).

* **The project's history, 1999-2004**: the clients the seed's project served, so that a new
  user opens the dashboard on the real project. For 1999-2004 its Cuadro 2 is the seed's
  (training Lima 1,607 companies + 1,099 protoempresas, Huancayo 633 + 527; assistance Lima
  254, Huancayo 97; credit Lima 92, Huancayo 217; totals 2,900 and 1,626): each company used
  one of the three services, as the seed's total (the sum of its rows) says. The clients'
  profile follows the seed's figures 7 to 14 (55 % women, 51 % with higher education, ...).
  Seeded once (``seed_demo --no-history`` leaves it out); it adds 2,900 companies to the registry.
* **``seed_demo --companies N``**: courses with their participants, consultations with their
  referrals and loans with their schedules and repayments in proportion to the registry (the
  client registry and technical assistance scale themselves in their own demo modules), dated in
  the last two years so that this year's dashboard shows them.

Monitoring itself only reads; these records belong to the service apps and are written as
their services leave them.
"""

import datetime
import random
import time
from decimal import Decimal

from django.utils import timezone

from assistance.models import BudgetLine, Evaluation, FundingLine, Indicator, Service, ServiceType, Stage
from clients import services as client_services
from clients.demo import (
    BUSINESS_IDEAS,
    FIRST_NAMES,
    NAME_PREFIXES,
    NAME_WORDS,
    SUBSECTOR_NAMES,
    SUBSECTOR_WEIGHTS,
    SURNAMES,
    _Numbers,
    ruc_with_check_digit,
)
from clients.models import Company, EducationLevel, Entrepreneur, LegalForm, Need, RucStatus, Subsector, Ubigeo
from consultations.models import Channel, Consultation, Referral, Topic
from core.models import Centre, User
from core.money import ZERO, to_money
from credit.models import Allocation, Instalment, LedgerEntry, Loan, Operator, Repayment, Tranche
from credit.schedule import build_schedule, fee_for
from training.models import Enrolment, FollowUp, Module, Offering, Session

LIMA, HUANCAYO = "CentroPyME Lima", "CentroPyME Huancayo"
BATCH = 5000

# --- The project's history -------------------------------------------------------------------------

# The seed's Cuadro 2: (companies, protoempresas) per service and centre.
CUADRO_2 = {
    LIMA: {"training": (1607, 1099), "assistance": (254, 0), "credit": (92, 0)},
    HUANCAYO: {"training": (633, 527), "assistance": (97, 0), "credit": (217, 0)},
}
HISTORY_COMPANIES = sum(c for services in CUADRO_2.values() for c, _p in services.values())
HISTORY_FROM, HISTORY_TO = datetime.date(1999, 1, 1), datetime.date(2004, 12, 31)
HISTORY_CODE = "HIST"  # the codes of the historical courses and services start with it: the set's marker
COURSE_SIZE = 25
# The seed's figures 7 to 14 (the final evaluation of 2004).
WOMEN_OWNERS = 0.55
EDUCATION = [  # 51 % higher, 39 % secondary, 10 % primary
    (EducationLevel.HIGHER, 30), (EducationLevel.HIGHER_INCOMPLETE, 21),
    (EducationLevel.SECONDARY, 27), (EducationLevel.SECONDARY_INCOMPLETE, 12),
    (EducationLevel.PRIMARY, 6), (EducationLevel.PRIMARY_INCOMPLETE, 4),
]  # fmt: skip
AGES = [((20, 29), 7), ((30, 40), 48), ((41, 65), 45)]
MEN_WORKERS = 0.64
PERMANENT_WORKERS = 0.73
NEW_BUSINESSES = 0.85  # new or a little over a year; the rest more than ten years old
SANITARY = {LIMA: 0.68, HUANCAYO: 0.20}
BRAND = {LIMA: 0.46, HUANCAYO: 0.21}
DISTRICTS = {LIMA: "1501", HUANCAYO: "1201"}


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def _aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class _People:
    """Owners and emprendedores with the seed's profile (figures 7 to 9), aged as of 2004."""

    def __init__(self, rng: random.Random, numbers: _Numbers):
        self.rng, self.numbers = rng, numbers

    def person(self, *, centre, user, district, company=None) -> Entrepreneur:
        rng = self.rng
        gender = "F" if rng.random() < WOMEN_OWNERS else "M"
        low, high = _weighted(rng, AGES)
        return Entrepreneur(
            centre=centre,
            first_name=rng.choice(FIRST_NAMES[gender]),
            last_name=f"{rng.choice(SURNAMES)} {rng.choice(SURNAMES)}",
            dni=self.numbers.dni(),
            gender=gender,
            birth_year=HISTORY_TO.year - rng.randint(low, high),
            education=_weighted(rng, EDUCATION),
            company=company,
            relationship="owner" if company is not None else "",
            district_id=district,
            business_idea="" if company is not None else rng.choice(BUSINESS_IDEAS),
            created_by=user,
        )


def _history_companies(rng, numbers, people, *, centre, user, count: int, served_on: list[datetime.date]):
    """``count`` companies of a centre with their owners; ``served_on[i]`` is when company i was served."""
    subsectors = {key: Subsector.objects.get(name=name).pk for key, name in SUBSECTOR_NAMES.items()}
    districts = list(Ubigeo.objects.filter(code__startswith=DISTRICTS[centre.name]).values_list("code", flat=True))
    companies, owners = [], []
    for n in range(count):
        day = served_on[n]
        sub = rng.choices(list(SUBSECTOR_WEIGHTS), weights=list(SUBSECTOR_WEIGHTS.values()))[0]
        surname = rng.choice(SURNAMES)
        name = f"{rng.choice(NAME_PREFIXES[sub])} {rng.choice(NAME_WORDS)} {surname}"
        sanitary = rng.random() < SANITARY[centre.name]
        brand = rng.random() < BRAND[centre.name]
        # Half of the registrations came after the service, the rest before it.
        sanitary_on = day + datetime.timedelta(days=rng.randint(-900, 300)) if sanitary else None
        brand_on = day + datetime.timedelta(days=rng.randint(-900, 300)) if brand else None
        workers = rng.randint(1, 8)
        men = sum(rng.random() < MEN_WORKERS for _ in range(workers))
        permanent_men = sum(rng.random() < PERMANENT_WORKERS for _ in range(men))
        permanent_women = sum(rng.random() < PERMANENT_WORKERS for _ in range(workers - men))
        new = rng.random() < NEW_BUSINESSES
        formal = sanitary or rng.random() < 0.3
        district = rng.choice(districts)
        owner_dni = numbers.dni()
        company = Company(
            centre=centre,
            legal_name=name,
            name_key=client_services.name_key(name),
            ruc=ruc_with_check_digit(f"10{owner_dni}") if formal else None,
            ruc_status=RucStatus.ACTIVE if formal else RucStatus.NONE,
            is_formal=formal,
            legal_form=LegalForm.NATURAL_PERSON if formal else LegalForm.NONE,
            subsector_id=subsectors[sub],
            product_lines="",
            address=f"Jr. {rng.choice(NAME_WORDS)} {rng.randint(100, 2999)}",
            district_id=district,
            start_year=day.year - (rng.randint(0, 1) if new else rng.randint(11, 25)),
            permanent_men=permanent_men,
            permanent_women=permanent_women,
            temporary_men=men - permanent_men,
            temporary_women=workers - men - permanent_women,
            sanitary_registration_number=f"H{rng.randint(10_000, 99_999)}N/NA" if sanitary else "",
            sanitary_registration_date=sanitary_on,
            brand_registration_number=f"P{rng.randint(10_000, 99_999)}" if brand else "",
            brand_registration_date=brand_on,
            created_by=user,
        )
        owner = people.person(centre=centre, user=user, district=district, company=company)
        owner.dni = owner_dni
        company.pending_people_names = f"{owner.first_name} {owner.last_name}"
        companies.append(company)
        owners.append(owner)
    Company.objects.bulk_create(companies, batch_size=BATCH)
    for company, owner in zip(companies, owners, strict=True):
        owner.company = company
    Entrepreneur.objects.bulk_create(owners, batch_size=BATCH)
    return companies, owners


def _history_training(rng, people, *, centre, user, owners, protos_count: int, module_ids) -> int:
    """The centre's courses of 1999-2004, about 25 participants each: the owners with their company,
    the emprendedores without one."""
    districts = list(Ubigeo.objects.filter(code__startswith=DISTRICTS[centre.name]).values_list("code", flat=True))
    protos = [people.person(centre=centre, user=user, district=rng.choice(districts)) for _ in range(protos_count)]
    Entrepreneur.objects.bulk_create(protos, batch_size=BATCH)
    participants = [(o, o.company) for o in owners] + [(p, None) for p in protos]
    rng.shuffle(participants)
    courses = max(1, round(len(participants) / COURSE_SIZE))
    starts = sorted(_day_between(rng, datetime.date(1999, 2, 1), datetime.date(2004, 11, 15)) for _ in range(courses))
    tag = "LIM" if centre.name == LIMA else "HYO"
    offerings = [
        Offering(
            centre=centre,
            module_id=rng.choice(module_ids),
            code=f"{HISTORY_CODE}-{tag}-{n:04d}",
            status="finished",
            instructor_user=user,
            capacity=30,
            price=Decimal("60"),
            subsidy=Decimal("30"),
            starts_on=start,
            ends_on=start + datetime.timedelta(days=14),
            created_by=user,
        )  # fmt: skip
        for n, start in enumerate(starts, start=1)
    ]
    Offering.objects.bulk_create(offerings, batch_size=BATCH)
    Session.objects.bulk_create(
        Session(offering=o, date=o.starts_on, start_time=datetime.time(18), end_time=datetime.time(21))
        for o in offerings
    )
    enrolments = []
    for n, (person, company) in enumerate(participants):
        entry = Decimal(rng.randint(6, 12))
        enrolments.append(
            Enrolment(
                centre=centre,
                offering=offerings[n % courses],
                entrepreneur=person,
                company=company,
                status="enrolled",
                entry_score=entry,
                exit_score=min(Decimal(20), entry + rng.randint(1, 7)),
                completed=rng.random() < 0.85,
                enrolled_by=user,
            )  # fmt: skip
        )
    Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
    FollowUp.objects.bulk_create(
        (
            FollowUp(
                centre=centre,
                enrolment=e,
                due_on=e.offering.ends_on + datetime.timedelta(days=30),
                date=e.offering.ends_on + datetime.timedelta(days=35),
                result=_weighted(rng, [("applied", 55), ("partly", 30), ("not_applied", 15)]),
                recorded_by=user,
            )  # fmt: skip
            for e in enrolments
            if e.completed and rng.random() < 0.4
        ),
        batch_size=BATCH,
    )
    return len(participants)


def _history_assistance(rng, *, centre, user, companies, served_on) -> None:
    types = {t.subsector_id: t.pk for t in ServiceType.objects.exclude(subsector=None)}
    any_type = ServiceType.objects.values_list("pk", flat=True).first()
    if any_type is None:
        any_type = ServiceType.objects.create(name="Asistencia técnica").pk
    tag = "LIM" if centre.name == LIMA else "HYO"
    services = []
    for n, (company, day) in enumerate(zip(companies, served_on, strict=True), start=1):
        ended = day + datetime.timedelta(days=rng.randint(60, 120))
        hours = Decimal(rng.randint(10, 40))
        fees = to_money(hours * Decimal("35"))
        cost = fees + Decimal(rng.randint(100, 600))
        subsidy = to_money(cost * Decimal("0.5"))
        service = Service(
            centre=centre, company=company, code=f"SAT-{HISTORY_CODE}-{tag}-{n:04d}",
            title=f"Mejora de la producción de {company.legal_name}"[:200],
            service_type_id=types.get(company.subsector_id, any_type), stage=Stage.CLOSED,
            stage_changed_at=_aware(ended + datetime.timedelta(days=40)), promoter=user, created_by=user,
            owner_decision="accepted", owner_decision_on=day + datetime.timedelta(days=10),
            total_cost=cost, total_funding=subsidy, owner_share=cost - subsidy, budgeted_hours=hours,
            execution_ended_on=ended,
        )  # fmt: skip
        service.opened_on, service.fees = day, fees
        services.append(service)
    Service.objects.bulk_create(services, batch_size=BATCH)
    for service in services:
        service.created_at = _aware(service.opened_on)  # bulk_create stamps today: the service opened then
    Service.objects.bulk_update(services, ["created_at"], batch_size=BATCH)
    BudgetLine.objects.bulk_create(
        [
            line
            for s in services
            for line in (
                BudgetLine(service=s, kind="fees", description="Honorarios", quantity=s.budgeted_hours,
                           unit_cost=Decimal("35"), amount=s.fees),
                BudgetLine(service=s, kind="materials", description="Materiales", quantity=1,
                           unit_cost=s.total_cost - s.fees, amount=s.total_cost - s.fees),
            )
        ],
        batch_size=BATCH,
    )  # fmt: skip
    FundingLine.objects.bulk_create(
        FundingLine(service=s, kind="subsidy", description="Subsidio del proyecto", amount=s.total_funding)
        for s in services
    )
    Evaluation.objects.bulk_create(
        Evaluation(
            service=s,
            date=s.execution_ended_on + datetime.timedelta(days=40),
            evaluator=user,
            satisfaction=_weighted(rng, [(5, 45), (4, 40), (3, 15)]),
        )  # fmt: skip
        for s in services
    )
    Indicator.objects.bulk_create(
        Indicator(
            service=s,
            name="Merma de producción",
            unit="%",
            baseline=Decimal("15"),
            target=Decimal("8"),
            measured_value=Decimal(rng.randint(5, 12)),
            measured_on=s.execution_ended_on,
        )  # fmt: skip
        for s in services
    )


def _loans(rng, *, operator, officer, admin, borrowers, first_day, last_day, term: int, paid_share: float) -> int:
    """Loans to ``borrowers`` (person, company) paid out between two dates, with their schedule; the first
    ``paid_share`` of each schedule's instalments paid on their due date (1.0: repaid), and the ledger."""
    product = operator.products.order_by("pk").first()
    if product is None:
        return 0
    loans = []
    for person, company in borrowers:
        day = _day_between(rng, first_day, last_day)
        amount = Decimal(rng.randrange(500, 5000, 100))
        loans.append(
            Loan(
                centre_id=operator.centre_id,
                operator=operator,
                product=product,
                entrepreneur=person,
                company=company,
                amount=amount,
                term_months=term,
                monthly_rate=product.monthly_rate,
                fee_rate=product.fee_rate,
                fee_mode=product.fee_mode,
                method=product.method,
                purpose="working_capital",
                applied_on=day - datetime.timedelta(days=7),
                applied_by=officer,
                evaluation="Evaluación de la demo",
                decided_on=day - datetime.timedelta(days=3),
                decided_by=officer,
                disbursed_on=day,
                disbursed_by=officer,
                fee_amount=fee_for(amount, product.fee_rate),
                status=Loan.Status.DISBURSED,
            )  # fmt: skip
        )
    Loan.objects.bulk_create(loans, batch_size=BATCH)
    instalments, plans, ledger = [], [], []
    today = timezone.localdate()
    for loan in loans:
        lines = build_schedule(principal=loan.amount, monthly_rate=loan.monthly_rate, months=term,
                               method=loan.method, start=loan.disbursed_on)  # fmt: skip
        rows = [
            Instalment(loan=loan, number=line.number, due_date=line.due_date, principal_due=line.principal,
                       interest_due=line.interest,
                       fee_due=loan.fee_amount if loan.fee_mode == "apart" and line.number == 1 else ZERO)
            for line in lines
        ]  # fmt: skip
        instalments += rows
        paid = len(rows) if paid_share >= 1 else int(len(rows) * rng.random() * paid_share * 2)
        paid_rows = [row for row in rows[:paid] if row.due_date <= today]
        plans.append((loan, paid_rows))
        if len(paid_rows) == len(rows):
            loan.status = Loan.Status.REPAID
        ledger.append(LedgerEntry(operator=operator, date=loan.disbursed_on, kind="disbursement", amount=loan.amount,
                                  loan=loan, created_by=admin))  # fmt: skip
        if loan.fee_mode == "deducted" and loan.fee_amount > 0:
            ledger.append(LedgerEntry(operator=operator, date=loan.disbursed_on, kind="fee", amount=loan.fee_amount,
                                      loan=loan, created_by=admin))  # fmt: skip
    Instalment.objects.bulk_create(instalments, batch_size=BATCH)
    Loan.objects.bulk_update([loan for loan, _rows in plans], ["status"], batch_size=BATCH)
    repayments, allocations = [], []
    for loan, rows in plans:
        for row in rows:
            repayment = Repayment(loan=loan, date=row.due_date, amount=row.total_due,
                                  idempotency_key=f"demo-{loan.pk}-{row.number}", posted_by=officer)  # fmt: skip
            repayments.append(repayment)
            allocations.append((repayment, row))
            row.principal_paid, row.interest_paid, row.fee_paid = row.principal_due, row.interest_due, row.fee_due
            for kind, amount in (("principal", row.principal_due), ("interest", row.interest_due),
                                 ("fee", row.fee_due)):  # fmt: skip
                if amount > 0:
                    ledger.append(LedgerEntry(operator=operator, date=row.due_date, kind=kind, amount=amount,
                                              loan=loan, repayment=repayment, created_by=admin))  # fmt: skip
    Repayment.objects.bulk_create(repayments, batch_size=BATCH)
    for entry in ledger:
        entry.repayment_id = entry.repayment.pk if entry.repayment else None
    Allocation.objects.bulk_create(
        (
            Allocation(
                repayment=r, instalment=row, fee=row.fee_due, interest=row.interest_due, principal=row.principal_due
            )  # fmt: skip
            for r, row in allocations
        ),
        batch_size=BATCH,
    )
    Instalment.objects.bulk_update(
        [row for _r, row in allocations], ["principal_paid", "interest_paid", "fee_paid"], batch_size=BATCH
    )
    LedgerEntry.objects.bulk_create(ledger, batch_size=BATCH)
    return len(loans)


def _seed_history(stdout) -> None:
    if Offering.objects.filter(code__startswith=f"{HISTORY_CODE}-").exists():
        return
    centres = {c.name: c for c in Centre.objects.filter(name__in=CUADRO_2)}
    users = {u.username: u for u in User.objects.filter(username__in=["promotor", "admin", "coordinador", "credito"])}
    if len(centres) < len(CUADRO_2) or len(users) < 4:
        return
    module_ids = list(Module.objects.order_by("pk").values_list("pk", flat=True)) or [
        Module.objects.create(name="Buenas prácticas de manufactura").pk
    ]
    operators = {o.centre_id: o for o in Operator.objects.filter(name__in=["Edificar", "GCOD"])}
    started = time.monotonic()
    rng = random.Random(2004)  # noqa: S311  # nosec B311 - demo data, reproducible on purpose
    numbers = _Numbers()
    people = _People(rng, numbers)
    for name, services in CUADRO_2.items():
        centre = centres[name]
        user = users["promotor"] if name == LIMA else users["admin"]
        for service, (count, protos) in services.items():
            operator = operators.get(centre.pk)
            if service == "credit":
                if operator is None:
                    continue
                first = max(operator.started_on, HISTORY_FROM)
                served_on = [_day_between(rng, first, datetime.date(2004, 6, 30)) for _ in range(count)]
            else:
                served_on = [_day_between(rng, HISTORY_FROM, datetime.date(2004, 8, 31)) for _ in range(count)]
            companies, owners = _history_companies(
                rng, numbers, people, centre=centre, user=user, count=count, served_on=served_on
            )
            if service == "training":
                _history_training(
                    rng, people, centre=centre, user=users["coordinador"], owners=owners, protos_count=protos,
                    module_ids=module_ids,
                )  # fmt: skip
            elif service == "assistance":
                _history_assistance(rng, centre=centre, user=user, companies=companies, served_on=served_on)
            else:
                officer = users["credito"] if name == HUANCAYO else users["admin"]
                _loans(
                    rng, operator=operator, officer=officer, admin=users["admin"],
                    borrowers=list(zip(owners, companies, strict=True)), first_day=first,
                    last_day=datetime.date(2004, 6, 30), term=6, paid_share=1.0,
                )  # fmt: skip
    stdout.write(
        f"monitoring: the project's 1999-2004 clients ({HISTORY_COMPANIES} companies) added in "
        f"{time.monotonic() - started:.1f} s"
    )


# --- At scale: seed_demo --companies N ---------------------------------------------------------------

# Per company of the registry: one course participant in five, one consultation in three, a loan in thirty.
PARTICIPANT_SHARE = 0.2
CONSULTATION_SHARE = 1 / 3
LOAN_SHARE = 1 / 30
SCALE_CODE = "GEN"
SCALE_DAYS = 700  # dated over the last two years or so


def _top_up_training(rng, *, target: int, centres, users) -> int:
    existing = Enrolment.objects.filter(offering__code__startswith=f"{SCALE_CODE}-").count()
    missing = target - existing
    if missing <= 0:
        return 0
    module_ids = list(Module.objects.order_by("pk").values_list("pk", flat=True))
    if not module_ids:
        return 0
    today = timezone.localdate()
    serial = Offering.objects.filter(code__startswith=f"{SCALE_CODE}-").count()
    added = 0
    for centre in centres.values():
        share = missing // 2 if centre.name == HUANCAYO else missing - missing // 2
        # As in the seed: some 58 % of the participants came with their company, the rest were emprendedores.
        free = Entrepreneur.objects.filter(centre=centre, enrolments__isnull=True).order_by("pk")
        owners = round(share * 0.58)
        people = list(free.filter(company__isnull=False).values_list("pk", "company_id")[:owners])
        people += list(free.filter(company__isnull=True).values_list("pk", "company_id")[: share - owners])
        rng.shuffle(people)
        courses = max(1, round(len(people) / 20))
        offerings = []
        for _n in range(courses):
            serial += 1
            start = today - datetime.timedelta(days=rng.randint(-30, SCALE_DAYS))
            status = "finished" if start < today - datetime.timedelta(days=20) else rng.choice(["open", "running"])
            offerings.append(
                Offering(
                    centre=centre,
                    module_id=rng.choice(module_ids),
                    code=f"{SCALE_CODE}-{serial:06d}",
                    status=status,
                    instructor_user=users["coordinador"],
                    capacity=25,
                    price=Decimal("80"),
                    subsidy=Decimal("40"),
                    starts_on=start,
                    ends_on=start + datetime.timedelta(days=14),
                    created_by=users["coordinador"],
                )  # fmt: skip
            )
        Offering.objects.bulk_create(offerings, batch_size=BATCH)
        enrolments = []
        for n, (person, company) in enumerate(people):
            offering = offerings[n % courses]
            finished = offering.status == "finished"
            entry = Decimal(rng.randint(5, 13))
            enrolments.append(
                Enrolment(
                    centre=centre,
                    offering=offering,
                    entrepreneur_id=person,
                    company_id=company,
                    status="enrolled",
                    entry_score=entry if finished else None,
                    exit_score=min(Decimal(20), entry + rng.randint(0, 8)) if finished else None,
                    completed=(rng.random() < 0.8) if finished else None,
                    enrolled_by=users["coordinador"],
                )  # fmt: skip
            )
        Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
        FollowUp.objects.bulk_create(
            (
                FollowUp(
                    centre=centre,
                    enrolment=e,
                    due_on=e.offering.ends_on + datetime.timedelta(days=30),
                    date=e.offering.ends_on + datetime.timedelta(days=33) if rng.random() < 0.6 else None,
                    result=_weighted(rng, [("applied", 55), ("partly", 30), ("not_applied", 15)]),
                )  # fmt: skip
                for e in enrolments
                if e.completed
            ),
            batch_size=BATCH,
        )
        added += len(enrolments)
    return added


def _top_up_consultations(rng, *, target: int, centres, users) -> int:
    missing = target - Consultation.objects.count()
    topics = list(Topic.objects.filter(is_active=True).values_list("pk", flat=True))
    if missing <= 0 or not topics:
        return 0
    now = timezone.now()
    by_centre = {
        c.pk: list(Company.objects.filter(centre=c).order_by("pk").values_list("pk", flat=True)[:20_000])
        for c in centres.values()
    }
    consultations, needs = [], []
    for _n in range(missing):
        centre = rng.choice(list(centres.values()))
        started = now - datetime.timedelta(days=rng.randint(0, SCALE_DAYS), minutes=rng.randint(0, 600))
        minutes = rng.randint(3, 14)
        company = rng.choice(by_centre[centre.pk]) if by_centre[centre.pk] and rng.random() < 0.7 else None
        referral = _weighted(rng, [("", 75), (Referral.ASSISTANCE, 10), (Referral.TRAINING, 10), (Referral.CREDIT, 5)])
        need = None
        if referral and company:
            answered = rng.random() < 0.4
            need = Need(
                centre=centre, company_id=company, need_type=referral, source="consultation",
                status="answered" if answered else "open",
                answered_at=started + datetime.timedelta(days=rng.randint(3, 120)) if answered else None,
                answered_by="demo" if answered else "",
            )  # fmt: skip
            needs.append(need)
        consultations.append(
            Consultation(
                centre=centre,
                channel=_weighted(rng, [(Channel.VISIT, 60), (Channel.PHONE, 30), (Channel.INTERNET, 10)]),
                topic_id=rng.choice(topics),
                question="Consulta de la demo a escala",
                answer="Respondida",
                started_at=started,
                ended_at=started + datetime.timedelta(minutes=minutes),
                duration_seconds=minutes * 60,
                over_limit=minutes > 10,
                company_id=company,
                contact_name="" if company else f"{rng.choice(FIRST_NAMES['F'])} {rng.choice(SURNAMES)}",
                contact_phone="" if company else f"9{rng.randint(10_000_000, 99_999_999)}",
                referral=referral if need else "",
                need=need,
                recorded_by=users["recepcion"],
            )  # fmt: skip
        )
    Need.objects.bulk_create(needs, batch_size=BATCH)
    Need.fill_subsectors()
    for consultation in consultations:
        consultation.need_id = consultation.need.pk if consultation.need else None
    Consultation.objects.bulk_create(consultations, batch_size=BATCH)
    return len(consultations)


def _top_up_loans(rng, *, target: int, users) -> int:
    missing = target - Loan.objects.filter(applied_on__gt=HISTORY_TO).count()  # the project's history apart
    if missing <= 0:
        return 0
    today = timezone.localdate()
    added = 0
    operators = list(Operator.objects.filter(is_active=True).order_by("pk"))
    for n, operator in enumerate(operators):
        share = missing // len(operators) + (1 if n < missing % len(operators) else 0)
        owners = list(
            Entrepreneur.objects.filter(centre_id=operator.centre_id, loans__isnull=True)
            .order_by("-pk")
            .values_list("pk", "company_id")[:share]
        )
        borrowers = [(Entrepreneur(pk=pk), Company(pk=company) if company else None) for pk, company in owners]
        officer = users["credito"] if operator.centre.name == HUANCAYO else users["admin"]
        count = _loans(
            rng, operator=operator, officer=officer, admin=users["admin"], borrowers=borrowers,
            first_day=today - datetime.timedelta(days=540), last_day=today - datetime.timedelta(days=5), term=12,
            paid_share=0.6,
        )  # fmt: skip
        # The capital those loans need, placed with the operator (the fund's position stays positive).
        amount = to_money(Decimal(count) * Decimal("3000"))
        if count:
            day = today - datetime.timedelta(days=541)
            tranche = Tranche.objects.create(
                operator=operator, date=day, amount=amount, amount_pen=amount,
                note="Ampliación de capital (demo a escala)", created_by=users["admin"],
            )  # fmt: skip
            LedgerEntry.objects.create(operator=operator, date=day, kind="capital_in", amount=amount, tranche=tranche,
                                       created_by=users["admin"])  # fmt: skip
        added += count
    return added


def _scale(companies: int, stdout) -> None:
    centres = {c.name: c for c in Centre.objects.filter(name__in=[LIMA, HUANCAYO])}
    users = {u.username: u for u in User.objects.filter(username__in=["admin", "coordinador", "credito", "recepcion"])}
    if len(centres) < 2 or len(users) < 4:
        return
    started = time.monotonic()
    rng = random.Random(companies)  # noqa: S311  # nosec B311 - demo data, reproducible on purpose
    enrolments = _top_up_training(rng, target=round(companies * PARTICIPANT_SHARE), centres=centres, users=users)
    consultations = _top_up_consultations(
        rng, target=round(companies * CONSULTATION_SHARE), centres=centres, users=users
    )
    loans = _top_up_loans(rng, target=round(companies * LOAN_SHARE), users=users)
    stdout.write(
        f"monitoring: {enrolments} course participants, {consultations} consultations and {loans} loans added "
        f"in {time.monotonic() - started:.1f} s"
    )


def seed(options, stdout) -> None:
    if not options.get("no_history"):
        _seed_history(stdout)
    companies = options.get("companies")
    if companies:
        _scale(companies, stdout)
