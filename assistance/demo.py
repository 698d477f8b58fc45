"""Demo data for technical assistance: services in every stage.

Runs after the client registry's and the consultant directory's demos (INSTALLED_APPS
order). Idempotent: services are created only when the demo centre has none yet.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from clients.models import Company, Diagnosis
from consultants.models import Consultant
from core.models import Centre, User

from .models import Service, ServiceType, Stage
from .services import evaluation, execution, plan, proposal, workflow


def seed(options, stdout) -> None:
    lima = Centre.objects.filter(name="CentroPyME Lima").first()
    if lima is None or Service.objects.filter(centre=lima).exists():
        stdout.write(f"assistance: {Service.objects.count()} services")
        return
    _seed_services(lima, stdout)
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
