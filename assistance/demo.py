"""Demo data for technical assistance: the consultant directory and services in every stage.

Runs after the client registry's demo (INSTALLED_APPS order). Idempotent: the directory is
created once, and services only when the demo centres have none yet.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from clients.models import Company, Diagnosis, Subsector
from core.models import Centre, User

from .models import AccreditationDocument, Consultant, Service, ServiceType, SpecialtyArea, Stage
from .services import evaluation, execution, plan, proposal, workflow

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# first name, last name, profession, subsectors, areas, centres, fee, status, username
CONSULTANTS = [
    (
        "Jorge",
        "Mendoza",
        "Ingeniero en industrias alimentarias",
        ["Lácteos", "Panificación y pastelería"],
        ["production"],
        ["Lima"],
        "45.00",
        "validated",
        "consultor",
    ),
    (
        "Elena",
        "Rojas",
        "Ingeniera agroindustrial",
        ["Frutas y hortalizas", "Bebidas"],
        ["production"],
        ["Lima", "Huancayo"],
        "40.00",
        "validated",
        None,
    ),
    (
        "Martín",
        "Poma",
        "Técnico panadero",
        ["Panificación y pastelería"],
        ["production"],
        ["Huancayo"],
        "30.00",
        "validated",
        None,
    ),
    (
        "Silvia",
        "Cárdenas",
        "Administradora de empresas",
        [],
        ["management", "marketing"],
        ["Lima"],
        "50.00",
        "validated",
        None,
    ),
    ("Raúl", "Huanca", "Apicultor", ["Apicultura"], ["production"], ["Huancayo"], "28.00", "validated", None),
    ("Teresa", "Valdivia", "Abogada", [], ["legal"], ["Lima"], "60.00", "proposed", None),
    ("Hugo", "Salas", "Químico", ["Licores y macerados"], ["production"], ["Lima"], "35.00", "rejected", None),
    (
        "Nora",
        "Espinoza",
        "Ingeniera de alimentos",
        ["Confitería y chocolatería"],
        ["production"],
        ["Lima"],
        "42.00",
        "inactive",
        None,
    ),
]


def seed(options, stdout) -> None:
    centres = {c.city: c for c in Centre.objects.filter(name__in=["CentroPyME Lima", "CentroPyME Huancayo"])}
    admin = User.objects.get(username="admin")
    if not Consultant.objects.exists():
        subsectors = {s.name: s for s in Subsector.objects.all()}
        areas = {a.code: a for a in SpecialtyArea.objects.all()}
        for first, last, profession, subs, area_codes, cities, fee, status, username in CONSULTANTS:
            consultant = Consultant.objects.create(
                first_name=first,
                last_name=last,
                profession=profession,
                hourly_fee=Decimal(fee),
                status=status,
                status_decided_by=admin if status != "proposed" else None,
                status_decided_at=timezone.now() if status != "proposed" else None,
                user=User.objects.filter(username=username).first() if username else None,
                email=f"{first.lower()}.{last.lower()}@consultores.pe".replace("í", "i").replace("á", "a"),
            )
            consultant.subsectors.set([subsectors[s] for s in subs])
            consultant.areas.set([areas[a] for a in area_codes])
            consultant.centres.set([centres[c] for c in cities if c in centres])
            if status != "proposed":
                AccreditationDocument.objects.create(
                    consultant=consultant,
                    kind="degree",
                    description=profession,
                    file=ContentFile(PDF, name="titulo.pdf"),
                    uploaded_by=admin,
                )
    lima = centres.get("Lima")
    if lima is None or Service.objects.filter(centre=lima).exists():
        stdout.write(f"assistance: {Consultant.objects.count()} consultants, {Service.objects.count()} services")
        return
    _seed_services(lima, stdout)
    stdout.write(f"assistance: {Consultant.objects.count()} consultants, {Service.objects.count()} services")


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
            user=promoter, service=service, diagnosis=diagnosis, nodes=list(diagnosis.nodes.exclude(kind="central")[:2])
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
