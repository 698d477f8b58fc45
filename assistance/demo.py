"""Demo data for technical assistance: services in every stage.

Runs after the client registry's and the consultant directory's demos (INSTALLED_APPS
order). Idempotent: services are created only when the demo centre has none yet.
"""

import datetime
import random
import time
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from clients.models import Company, Diagnosis, ProblemNode, Subsector
from consultants.demo import CONSULTANTS, PDF
from consultants.models import AccreditationDocument, Consultant, SpecialtyArea
from core.models import Centre, User
from core.money import to_money

from .models import (
    Activity,
    BudgetLine,
    Evaluation,
    FundingLine,
    ImprovementItem,
    Indicator,
    Service,
    ServiceType,
    Stage,
    StageChange,
    TechnicalReport,
    Visit,
)
from .services import evaluation, execution, plan, proposal, workflow


def seed(options, stdout) -> None:
    """The Lima services of the realistic set (the consultants come from consultants/demo.py, seeded first);
    with ``--companies N``, services and consultants in proportion, in bulk."""
    centres = {c.city: c for c in Centre.objects.filter(name__in=["CentroPyME Lima", "CentroPyME Huancayo"])}
    lima = centres.get("Lima")
    if lima is not None and not Service.objects.filter(centre=lima).exists():
        _seed_services(lima, stdout)
    if options.get("companies"):
        started = time.monotonic()
        admin = User.objects.get(username="admin")
        added = _top_up(companies=Company.objects.count(), centres=centres, admin=admin)
        stdout.write(f"assistance: {added} generated services added in {time.monotonic() - started:.1f} s")
    stdout.write(f"assistance: {Service.objects.count()} services")


def _seed_services(lima, stdout) -> None:
    """Services of the Lima centre in each stage, built through the real rules."""
    promoter = User.objects.get(username="promotor")
    coordinator = User.objects.get(username="coordinador")
    consultant_user = User.objects.get(username="consultor")
    consultant = Consultant.objects.get(user=consultant_user)
    diagnosed = list(
        Company.objects.filter(centre=lima, diagnoses__status=Diagnosis.Status.COMPLETED).distinct().order_by("id")[:6]
    )
    if not diagnosed:
        return
    service_type = ServiceType.objects.filter(subsector__isnull=False).first()
    targets = [Stage.CLOSED, Stage.EVALUATION, Stage.EXECUTION, Stage.ACTION_PLAN, Stage.PROPOSAL, Stage.PROMOTION]
    today = timezone.localdate()
    for company, target in zip(diagnosed, targets, strict=False):
        service_type = ServiceType.objects.filter(subsector=company.subsector).first() or service_type
        service = workflow.service_open(
            user=promoter, company=company, service_type=service_type, title=f"Mejora de la producción de {company}"
        )
        if target == Stage.PROMOTION:
            continue
        diagnosis = company.diagnoses.filter(status=Diagnosis.Status.COMPLETED).first()
        workflow.service_advance(user=promoter, service=service, to_stage=Stage.DIAGNOSIS)
        workflow.service_link_diagnosis(
            user=promoter,
            service=service,
            diagnosis=diagnosis,
            nodes=list(diagnosis.nodes.filter(to_address=True).exclude(kind="central")[:2]),
        )
        workflow.service_advance(user=promoter, service=service, to_stage=Stage.PROPOSAL)
        node = service.addressed_nodes.first()
        item = proposal.improvement_add(
            user=promoter,
            service=service,
            node=node,
            improvement="Estandarizar el proceso",
            expected_result="Merma menor al 5 %",
        )
        proposal.budget_line_add(
            user=promoter,
            service=service,
            kind="fees",
            description="Honorarios",
            quantity=12,
            unit_cost=consultant.hourly_fee,
        )
        proposal.budget_line_add(
            user=promoter,
            service=service,
            kind="materials",
            description="Termómetros",
            quantity=2,
            unit_cost=Decimal("85.00"),
        )
        proposal.funding_line_add(
            user=promoter, service=service, kind="subsidy", amount=Decimal("200.00"), description="Subsidio CAT"
        )
        if target == Stage.PROPOSAL:
            continue
        proposal.proposal_record_owner_decision(user=promoter, service=service, accepted=True)
        proposal.proposal_approve_price(user=coordinator, service=service)
        workflow.service_advance(user=coordinator, service=service, to_stage=Stage.ACTION_PLAN)
        workflow.service_assign_consultant(user=coordinator, service=service, consultant=consultant)
        if target == Stage.ACTION_PLAN:
            continue
        plan.activity_add(
            user=consultant_user,
            service=service,
            description="Capacitación en control de procesos",
            responsible=str(consultant),
            planned_start=today - datetime.timedelta(days=70),
            planned_end=today - datetime.timedelta(days=50),
            planned_hours=Decimal("12"),
        )
        plan.indicator_add(
            user=consultant_user,
            service=service,
            name="Merma",
            unit="%",
            baseline=Decimal("15"),
            target=Decimal("5"),
            improvement=item,
        )
        workflow.service_advance(user=consultant_user, service=service, to_stage=Stage.EXECUTION)
        execution.visit_log(
            user=consultant_user,
            service=service,
            consultant=consultant,
            date=today - datetime.timedelta(days=60),
            hours=Decimal("4"),
            notes="Diagnóstico de la línea y ajuste de temperaturas",
        )
        if target == Stage.EXECUTION:
            continue
        execution.report_submit(
            user=consultant_user,
            service=service,
            summary="Se estandarizó el proceso",
            results="La merma bajó",
            ended_on=today - datetime.timedelta(days=45),
        )
        if target == Stage.EVALUATION:
            continue
        indicator = service.indicators.get()
        evaluation.evaluation_record(
            user=promoter, service=service, date=today, satisfaction=5, measures={indicator.pk: Decimal("4")}
        )


# --- At scale: seed_demo --companies N ------------------------------------------------------------

# Per generated company: one service in ten, one consultant in five hundred.
SERVICE_SHARE = 0.1
CONSULTANT_SHARE = 1 / 500
BATCH = 5000
# Where the generated services stand, with weights.
STAGE_WEIGHTS = {
    Stage.PROMOTION: 10,
    Stage.DIAGNOSIS: 10,
    Stage.PROPOSAL: 15,
    Stage.ACTION_PLAN: 10,
    Stage.EXECUTION: 15,
    Stage.EVALUATION: 10,
    Stage.CLOSED: 25,
    Stage.CANCELLED: 5,
}
FIRST_NAMES = ["Ana", "Luis", "Rosa", "Jorge", "Elena", "Raúl", "Carmen", "Hugo", "Silvia", "Martín", "Nora", "Iván"]
LAST_NAMES = ["Quispe", "Rojas", "Mendoza", "Poma", "Cárdenas", "Huanca", "Salas", "Valdivia", "Espinoza", "Ticse"]
PROFESSIONS = ["Ingeniero en industrias alimentarias", "Ingeniera agroindustrial", "Técnico panadero", "Zootecnista"]
IMPROVEMENTS = [
    ("Estandarizar las recetas", "Merma menor al 5 %"),
    ("Plan de mantenimiento de equipos", "Paradas no programadas a la mitad"),
    ("Registro de ventas por producto", "Decisiones de producción con datos"),
    ("Buenas prácticas de manufactura", "Inspección sanitaria sin observaciones"),
]


def _top_up(*, companies: int, centres: dict, admin: User) -> int:
    """Consultants and services in every stage in proportion to the companies, in bulk (no history rows),
    so that the pipeline board and the expediente are measured on volume. Returns the services added."""
    # Not for security: demo data, reproducible on purpose (ruff S311, bandit B311).
    rng = random.Random(companies)  # noqa: S311  # nosec B311
    consultants = _top_up_consultants(target=max(len(CONSULTANTS), round(companies * CONSULTANT_SHARE)), rng=rng)
    missing = round(companies * SERVICE_SHARE) - Service.objects.count()
    if missing <= 0:
        return 0
    by_centre: dict[int, list[Consultant]] = {}
    for consultant in consultants:
        for centre_id in consultant.centre_ids:
            by_centre.setdefault(centre_id, []).append(consultant)
    promoters = {
        centres["Lima"].pk: User.objects.get(username="promotor"),
        centres["Huancayo"].pk: admin,
    }
    coordinator = User.objects.get(username="coordinador")
    types_by_subsector = {t.subsector_id: t.pk for t in ServiceType.objects.exclude(subsector=None)}
    any_type = ServiceType.objects.values_list("pk", flat=True).first()
    # Completed diagnoses of companies without a service: each gets one.
    candidates = list(
        Diagnosis.objects.filter(status=Diagnosis.Status.COMPLETED, company__services__isnull=True)
        .order_by("id")
        .values_list("id", "company_id", "centre_id", "company__subsector_id", "company__legal_name")[:missing]
    )
    causes: dict[int, list[int]] = {}
    for diagnosis_id, node_id in (
        ProblemNode.objects.filter(kind=ProblemNode.Kind.CAUSE, diagnosis__status=Diagnosis.Status.COMPLETED)
        .order_by("id")
        .values_list("diagnosis_id", "id")
    ):
        causes.setdefault(diagnosis_id, []).append(node_id)
    stages = list(STAGE_WEIGHTS)
    weights = list(STAGE_WEIGHTS.values())
    added = 0
    for start in range(0, len(candidates), BATCH):
        batch = candidates[start : start + BATCH]
        plans = [(row, rng.choices(stages, weights=weights)[0]) for row in batch]
        added += _services_in_bulk(
            plans,
            rng=rng,
            serial=Service.objects.count(),
            promoters=promoters,
            coordinator=coordinator,
            consultants=by_centre,
            types=(types_by_subsector, any_type),
            causes=causes,
        )
    return added


def _top_up_consultants(*, target: int, rng: random.Random) -> list[Consultant]:
    """Validated consultants (a few proposed or inactive) serving one or both centres, with their evidence."""
    missing = target - Consultant.objects.count()
    admin = User.objects.get(username="admin")
    if missing > 0:
        now = timezone.now()
        new = Consultant.objects.bulk_create(
            Consultant(
                first_name=rng.choice(FIRST_NAMES),
                last_name=f"{rng.choice(LAST_NAMES)} {rng.choice(LAST_NAMES)}",
                profession=rng.choice(PROFESSIONS),
                hourly_fee=Decimal(rng.randrange(25, 70)),
                status=rng.choices(["validated", "proposed", "inactive"], weights=[85, 10, 5])[0],
                status_decided_by=admin,
                status_decided_at=now,
                email=f"consultor{n}@consultores.pe",
            )
            for n in range(missing)
        )
        subsectors = list(Subsector.objects.values_list("pk", flat=True))
        areas = list(SpecialtyArea.objects.values_list("pk", flat=True))
        centres = list(Centre.objects.filter(name__in=["CentroPyME Lima", "CentroPyME Huancayo"]).order_by("pk"))
        through = Consultant.subsectors.through
        through.objects.bulk_create(
            through(consultant_id=c.pk, subsector_id=s) for c in new for s in rng.sample(subsectors, k=2)
        )
        through = Consultant.areas.through
        through.objects.bulk_create(
            through(consultant_id=c.pk, specialtyarea_id=a) for c in new for a in rng.sample(areas, k=1)
        )
        through = Consultant.centres.through
        through.objects.bulk_create(
            through(consultant_id=c.pk, centre_id=centre.pk)
            for c in new
            for centre in (centres if rng.random() < 0.2 else [rng.choice(centres)])
        )
        # One shared evidence file: the directory's pages link to it, nobody reads thousands of copies.
        name = "consultants/demo/titulo.pdf"
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(PDF))
        AccreditationDocument.objects.bulk_create(
            AccreditationDocument(consultant=c, kind="degree", description=c.profession, file=name, uploaded_by=admin)
            for c in new
        )
    consultants = list(Consultant.objects.filter(status=Consultant.Status.VALIDATED).prefetch_related("centres"))
    for consultant in consultants:
        consultant.centre_ids = [centre.pk for centre in consultant.centres.all()]
    return consultants


def _services_in_bulk(plans, *, rng, serial, promoters, coordinator, consultants, types, causes) -> int:
    """One batch of services, each built up to its planned stage with what that stage holds."""
    now = timezone.now()
    today = timezone.localdate()
    types_by_subsector, any_type = types
    order = [*workflow.STAGE_ORDER]
    services, reached = [], []
    for n, ((diagnosis_id, company_id, centre_id, subsector_id, name), stage) in enumerate(plans, start=serial + 1):
        # How far the service went: a cancelled one stopped somewhere open.
        last = stage if stage != Stage.CANCELLED else rng.choice(order[:5])
        steps = order[: order.index(last) + 1]
        days_in_stage = rng.randint(0, 120)
        promoter = promoters[centre_id]
        service = Service(
            centre_id=centre_id,
            company_id=company_id,
            code=f"SAT-DEMO-{n:07d}",
            title=f"Mejora de la producción de {name}"[:200],
            service_type_id=types_by_subsector.get(subsector_id, any_type),
            stage=stage,
            stage_changed_at=now - datetime.timedelta(days=days_in_stage),
            diagnosis_id=diagnosis_id if len(steps) > 1 else None,
            promoter=promoter,
            created_by=promoter,
            cancel_reason="La empresa desistió" if stage == Stage.CANCELLED else "",
        )
        if Stage.ACTION_PLAN in steps:
            service.owner_decision = "accepted"
            service.owner_decision_on = today - datetime.timedelta(days=days_in_stage + 30)
            service.price_approved_by = coordinator
            service.price_approved_at = now - datetime.timedelta(days=days_in_stage + 29)
        if Stage.EVALUATION in steps:
            service.execution_ended_on = today - datetime.timedelta(
                days=rng.randint(20, 70) if stage == Stage.EVALUATION else days_in_stage + 10
            )
        services.append(service)
        reached.append(steps)
    Service.objects.bulk_create(services, batch_size=BATCH)

    changes, nodes, improvements = [], [], []
    budget, funding, assigned, activities, visits, reports, evaluations = [], [], [], [], [], [], []
    for service, steps in zip(services, reached, strict=True):
        promoter = service.promoter
        changes.append(StageChange(service=service, from_stage=Stage.PROMOTION, to_stage=Stage.PROMOTION, by=promoter))
        changes += [
            StageChange(service=service, from_stage=a, to_stage=b, by=promoter)
            for a, b in zip(steps, steps[1:], strict=False)
        ]
        if service.stage == Stage.CANCELLED:
            changes.append(StageChange(service=service, from_stage=steps[-1], to_stage=Stage.CANCELLED, by=coordinator))
        node_ids = causes.get(service.diagnosis_id, [])[:2] if service.diagnosis_id else []
        nodes += [Service.addressed_nodes.through(service_id=service.pk, problemnode_id=node) for node in node_ids]
        if Stage.PROPOSAL not in steps:
            continue
        improvement, result = rng.choice(IMPROVEMENTS)
        improvements.append(
            ImprovementItem(
                service=service,
                problem_node_id=node_ids[0] if node_ids else None,
                problem="Merma alta",
                improvement=improvement,
                expected_result=result,
            )
        )
        team = consultants.get(service.centre_id) or [None]
        consultant = rng.choice(team)
        fee = consultant.hourly_fee if consultant else Decimal("40.00")
        hours = Decimal(rng.randrange(8, 40))
        materials = to_money(Decimal(rng.randrange(50, 800)))
        budget += [
            BudgetLine(service=service, kind="fees", description="Honorarios", quantity=hours, unit_cost=fee,
                       amount=to_money(hours * fee)),
            BudgetLine(service=service, kind="materials", description="Materiales", quantity=1, unit_cost=materials,
                       amount=materials),
        ]  # fmt: skip
        cost = to_money(hours * fee) + materials
        subsidy = to_money(cost * Decimal("0.4"))
        funding.append(FundingLine(service=service, kind="subsidy", description="Subsidio CAT", amount=subsidy))
        service.total_cost, service.total_funding = cost, subsidy
        service.owner_share, service.budgeted_hours = cost - subsidy, hours
        if Stage.ACTION_PLAN not in steps:
            continue
        if consultant is not None:
            assigned.append(Service.consultants.through(service_id=service.pk, consultant_id=consultant.pk))
        start = today - datetime.timedelta(days=rng.randint(60, 200))
        activities.append(
            Activity(
                service=service,
                description="Capacitación en control de procesos",
                responsible=str(consultant or "Consultor"),
                planned_start=start,
                planned_end=start + datetime.timedelta(days=20),
                planned_hours=hours,
                progress=100 if Stage.EVALUATION in steps else rng.randrange(0, 100, 10),
            )
        )
        if Stage.EXECUTION not in steps or consultant is None:
            continue
        for visit in range(rng.randint(1, 2)):
            visits.append(
                Visit(
                    service=service,
                    consultant=consultant,
                    date=start + datetime.timedelta(days=5 + visit * 7),
                    hours=Decimal(rng.randint(2, 6)),
                    notes="Ajuste del proceso con el personal de planta",
                )
            )
        if Stage.EVALUATION not in steps:
            continue
        reports.append(
            TechnicalReport(service=service, summary="Se estandarizó el proceso", results="La merma bajó",
                            submitted_by=consultant.user or promoter)
        )  # fmt: skip
        if service.stage == Stage.CLOSED:
            evaluations.append(
                Evaluation(
                    service=service,
                    date=service.execution_ended_on + datetime.timedelta(days=35),
                    evaluator=promoter,
                    satisfaction=rng.randint(3, 5),
                )
            )
    Service.objects.bulk_update(
        [s for s in services if s.total_cost],
        ["total_cost", "total_funding", "owner_share", "budgeted_hours"],
        batch_size=BATCH,
    )
    StageChange.objects.bulk_create(changes, batch_size=BATCH)
    Service.addressed_nodes.through.objects.bulk_create(nodes, batch_size=BATCH)
    ImprovementItem.objects.bulk_create(improvements, batch_size=BATCH)
    BudgetLine.objects.bulk_create(budget, batch_size=BATCH)
    FundingLine.objects.bulk_create(funding, batch_size=BATCH)
    Service.consultants.through.objects.bulk_create(assigned, batch_size=BATCH)
    Activity.objects.bulk_create(activities, batch_size=BATCH)
    closed = {e.service_id for e in evaluations}
    indicators = [
        Indicator(
            service=item.service,
            improvement=item,
            name="Merma",
            unit="%",
            baseline=Decimal("15"),
            target=Decimal("5"),
            measured_value=Decimal(rng.randint(3, 9)) if item.service_id in closed else None,
        )
        for item in improvements
        if item.service.stage not in (Stage.PROPOSAL,)
    ]
    Indicator.objects.bulk_create(indicators, batch_size=BATCH)
    Visit.objects.bulk_create(visits, batch_size=BATCH)
    TechnicalReport.objects.bulk_create(reports, batch_size=BATCH)
    Evaluation.objects.bulk_create(evaluations, batch_size=BATCH)
    return len(services)
