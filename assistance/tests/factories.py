import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from assistance.models import (
    Activity,
    BudgetLine,
    ImprovementItem,
    Indicator,
    Service,
    ServiceType,
    Stage,
)
from clients.tests.factories import CompanyFactory
from consultants.models import Consultant
from consultants.tests.factories import ConsultantFactory
from core.tests.factories import UserFactory


def service_type(name: str = "Panificación") -> ServiceType:
    return ServiceType.objects.get_or_create(name=name)[0]


class ServiceFactory(factory.django.DjangoModelFactory):
    """A service in the promotion stage; use the workflow services to move it on."""

    class Meta:
        model = Service

    company = factory.SubFactory(CompanyFactory)
    centre = factory.LazyAttribute(lambda s: s.company.centre)
    code = factory.Sequence(lambda n: f"SAT-2026-{n:05d}")
    title = "Mejora de la producción de pan"
    service_type = factory.LazyFunction(service_type)
    stage = Stage.PROMOTION
    stage_changed_at = factory.LazyFunction(timezone.now)
    promoter = factory.SubFactory(UserFactory)
    created_by = factory.LazyAttribute(lambda s: s.promoter)


class ImprovementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImprovementItem

    service = factory.SubFactory(ServiceFactory)
    problem = "Alta merma"
    improvement = "Control de temperatura del horno"
    expected_result = "Merma menor al 5 %"


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    service = factory.SubFactory(ServiceFactory)
    kind = "fees"
    description = "Honorarios"
    quantity = Decimal("10")
    unit_cost = Decimal("40.00")
    amount = factory.LazyAttribute(lambda b: b.quantity * b.unit_cost)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    service = factory.SubFactory(ServiceFactory)
    description = "Calibrar el horno"
    responsible = "Consultor"
    planned_start = datetime.date(2026, 10, 1)
    planned_end = datetime.date(2026, 10, 15)
    planned_hours = Decimal("8")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    service = factory.SubFactory(ServiceFactory)
    name = "Merma"
    unit = "%"
    baseline = Decimal("15")
    target = Decimal("5")


# --- A service built through the real services, up to any stage -----------------------------

BUILD_STAGES = [
    Stage.PROMOTION,
    Stage.DIAGNOSIS,
    Stage.PROPOSAL,
    Stage.ACTION_PLAN,
    Stage.EXECUTION,
    Stage.EVALUATION,
    Stage.CLOSED,
]

# A baseline that diagnosis_complete accepts.
BUILD_BASELINE = {
    "product_line_count": 3,
    "patrimonial_band": "2500_5000",
    "equipment_band": "1000_3000",
    "working_day": "8",
}
# Execution ends 40 days ago, so the evaluation window (30 to 60 days by default) is open today.
BUILD_VISIT_DAYS_AGO = 45
BUILD_ENDED_DAYS_AGO = 40


def build_service(
    to_stage: str, *, promoter, coordinator, consultant_user, centre, company=None, ready: bool = False
) -> Service:
    """A service taken through the real services (clients and assistance) until it stands in ``to_stage``.

    The work of ``to_stage`` itself is left undone unless ``ready`` is true, in which
    case it is done too, short of the move to the next stage:

    * diagnosis: the company's diagnosis (central problem, a cause, an effect) completed
      and linked, addressing the cause;
    * proposal: one improvement from the cause, fees 10 h x S/ 40, owner accepted,
      price approved by ``coordinator``;
    * action plan: a validated consultant (``consultant_user``'s profile, serving
      ``centre``) assigned, one activity, one indicator (Merma %, 15 -> 5);
    * execution: one visit 45 days ago; reaching evaluation adds the technical
      report, execution ended 40 days ago, so the evaluation is due today;
    * closed: the evaluation recorded today, satisfaction 5, every indicator at 4.

    ``ready`` has no effect on promotion (nothing to do), evaluation and closed.
    """
    from assistance.services.evaluation import evaluation_record
    from assistance.services.execution import report_submit, visit_log
    from assistance.services.plan import activity_add, indicator_add
    from assistance.services.proposal import (
        budget_line_add,
        improvement_add,
        proposal_approve_price,
        proposal_record_owner_decision,
    )
    from assistance.services.workflow import (
        service_advance,
        service_assign_consultant,
        service_link_diagnosis,
        service_open,
    )
    from clients.services import diagnosis_complete, diagnosis_create, problem_node_add, problem_node_update

    target = BUILD_STAGES.index(to_stage)

    def work_done(stage) -> bool:
        """The work of ``stage`` is done when the service goes past it, or when asked to be ready there."""
        position = BUILD_STAGES.index(stage)
        return position < target or (ready and position == target)

    def reached(stage) -> bool:
        return BUILD_STAGES.index(stage) <= target

    today = timezone.localdate()
    company = company or CompanyFactory(centre=centre, created_by=promoter)
    service = service_open(
        user=promoter, company=company, service_type=service_type(), title="Mejora de la producción de pan"
    )
    if reached(Stage.DIAGNOSIS):
        service = service_advance(user=promoter, service=service, to_stage=Stage.DIAGNOSIS)
    if work_done(Stage.DIAGNOSIS):
        diagnosis = diagnosis_create(user=promoter, company=company, fields=dict(BUILD_BASELINE))
        central = problem_node_add(user=promoter, diagnosis=diagnosis, kind="central", text="Baja productividad")
        cause = problem_node_add(
            user=promoter, diagnosis=diagnosis, kind="cause", text="Horno sin mantenimiento", parent=central
        )
        problem_node_add(user=promoter, diagnosis=diagnosis, kind="effect", text="Pedidos perdidos", parent=central)
        cause = problem_node_update(user=promoter, node=cause, to_address=True)
        diagnosis = diagnosis_complete(user=promoter, diagnosis=diagnosis)
        service = service_link_diagnosis(user=promoter, service=service, diagnosis=diagnosis, nodes=[cause])
    if reached(Stage.PROPOSAL):
        service = service_advance(user=promoter, service=service, to_stage=Stage.PROPOSAL)
    if work_done(Stage.PROPOSAL):
        improvement_add(
            user=promoter,
            service=service,
            node=cause,
            improvement="Mantenimiento preventivo del horno",
            expected_result="Merma menor al 5 %",
        )
        budget_line_add(
            user=promoter,
            service=service,
            kind="fees",
            description="Honorarios",
            quantity=Decimal("10"),
            unit_cost=Decimal("40"),
        )
        proposal_record_owner_decision(user=promoter, service=service, accepted=True)
        proposal_approve_price(user=coordinator, service=service)
    if reached(Stage.ACTION_PLAN):
        service = service_advance(user=coordinator, service=service, to_stage=Stage.ACTION_PLAN)
    if work_done(Stage.ACTION_PLAN):
        consultant = Consultant.objects.filter(user=consultant_user).first() or ConsultantFactory(
            centres=[centre], user=consultant_user
        )
        service = service_assign_consultant(user=coordinator, service=service, consultant=consultant)
        activity_add(
            user=consultant_user,
            service=service,
            description="Calibrar el horno",
            responsible="Consultor",
            planned_start=today - datetime.timedelta(days=60),
            planned_end=today - datetime.timedelta(days=BUILD_ENDED_DAYS_AGO),
            planned_hours=Decimal("8"),
        )
        indicator_add(
            user=consultant_user,
            service=service,
            name="Merma",
            unit="%",
            baseline=Decimal("15"),
            target=Decimal("5"),
            improvement=service.improvements.first(),
        )
    if reached(Stage.EXECUTION):
        service = service_advance(user=consultant_user, service=service, to_stage=Stage.EXECUTION)
    if work_done(Stage.EXECUTION):
        visit_log(
            user=consultant_user,
            service=service,
            consultant=consultant,
            date=today - datetime.timedelta(days=BUILD_VISIT_DAYS_AGO),
            hours=Decimal("4"),
            notes="Calibración del horno y capacitación al maestro panadero",
        )
    if reached(Stage.EVALUATION):
        report_submit(
            user=consultant_user,
            service=service,
            summary="Se calibró el horno",
            results="Merma reducida",
            ended_on=today - datetime.timedelta(days=BUILD_ENDED_DAYS_AGO),
        )
    if reached(Stage.CLOSED):
        evaluation_record(
            user=promoter,
            service=service,
            date=today,
            satisfaction=5,
            measures={indicator.pk: Decimal("4") for indicator in service.indicators.all()},
        )
    service.refresh_from_db()
    return service


def service_snapshot(service: Service) -> tuple:
    """What a refused move must leave as it was: stage, since when, and the log of changes."""
    fresh = Service.objects.get(pk=service.pk)
    return fresh.stage, fresh.stage_changed_at, fresh.changes.count()


class EvaluationFactory(factory.django.DjangoModelFactory):
    """An evaluation written straight to the database (for selector tests of past scores)."""

    class Meta:
        model = "assistance.Evaluation"

    service = factory.SubFactory(ServiceFactory, stage=Stage.CLOSED)
    date = factory.LazyFunction(timezone.localdate)
    evaluator = factory.SubFactory(UserFactory)
    satisfaction = 4


def coordinator_user():
    """The Lima coordinator of the root conftest (create it first through the ``coordinator`` fixture).

    For tests about arithmetic and stages, where who acts is not the point: a
    coordinator may do every step of a service.
    """
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="coordinator")
