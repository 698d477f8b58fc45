"""The stages of a service: they follow each other, each move checks its preconditions and who makes it."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from assistance.models import Stage, StageChange
from assistance.services.evaluation import evaluation_record
from assistance.services.execution import report_submit
from assistance.services.proposal import (
    budget_line_add,
    improvement_add,
    proposal_approve_price,
    proposal_record_owner_decision,
)
from assistance.services.workflow import (
    can_advance,
    service_advance,
    service_cancel,
    service_link_diagnosis,
    service_open,
    service_reopen,
    transition_problems,
)
from assistance.tests.factories import (
    BUILD_BASELINE,
    BUILD_STAGES,
    ConsultantFactory,
    build_service,
    coordinator_user,
    service_snapshot,
    service_type,
)
from clients.models import Need
from clients.services import diagnosis_complete, diagnosis_create
from clients.tests.factories import CompanyFactory, NeedFactory, problem_tree_nodes
from core.exceptions import DomainError, NotAllowed
from core.roles import Role
from core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Refusals are told apart by their message: read them in English whatever the catalogue says."""
    with translation.override("en"):
        yield


@pytest.fixture
def build(lima, promoter, coordinator, consultant):
    def make(stage, **kwargs):
        return build_service(
            stage, promoter=promoter, coordinator=coordinator, consultant_user=consultant, centre=lima, **kwargs
        )

    return make


def refused(service, user, to_stage, match: str):
    """Try a move that must be refused, and check it left the record as it was.

    ``match`` "Your role" means the policy refuses it (NotAllowed, a 403); anything
    else is a business rule (DomainError, a message or a 400).
    """
    before = service_snapshot(service)
    expected = NotAllowed if match == ROLE_REFUSED else DomainError
    with pytest.raises(expected, match=match):
        service_advance(user=user, service=service, to_stage=to_stage)
    assert service_snapshot(service) == before


ROLE_REFUSED = "Your role does not allow"


# --- Opening --------------------------------------------------------------------------------------


def test_opening_a_service_starts_it_in_promotion_with_a_file_number_and_a_logged_start(promoter, lima):
    company = CompanyFactory(centre=lima)

    service = service_open(user=promoter, company=company, service_type=service_type(), title="  Mejora del horno ")

    assert service.stage == Stage.PROMOTION
    assert service.centre == lima
    assert service.promoter == promoter
    assert service.title == "Mejora del horno"
    assert service.code == f"SAT-{timezone.localdate():%Y}-{service.pk:05d}"
    change = service.changes.get()
    assert (change.from_stage, change.to_stage, change.by) == (Stage.PROMOTION, Stage.PROMOTION, promoter)


def test_a_service_without_a_title_is_refused(promoter, lima):
    with pytest.raises(DomainError) as refusal:
        service_open(user=promoter, company=CompanyFactory(centre=lima), service_type=service_type(), title="  ")
    assert refusal.value.field == "title"


def test_the_whole_way_through_logs_one_change_per_stage(build, promoter, coordinator, consultant):
    service = build(Stage.CLOSED)

    moves = list(service.changes.values_list("from_stage", "to_stage", "by__username"))
    assert moves == [
        ("promotion", "promotion", promoter.username),
        ("promotion", "diagnosis", promoter.username),
        ("diagnosis", "proposal", promoter.username),
        ("proposal", "action_plan", coordinator.username),
        ("action_plan", "execution", consultant.username),
        ("execution", "evaluation", consultant.username),
        ("evaluation", "closed", promoter.username),
    ]
    assert not service.changes.filter(is_reopening=True).exists()


def test_each_move_stamps_the_time_the_service_entered_its_stage(build, promoter):
    service = build(Stage.PROMOTION)
    service.stage_changed_at = timezone.now() - datetime.timedelta(days=10)
    service.save(update_fields=["stage_changed_at"])

    moved = service_advance(user=promoter, service=service, to_stage=Stage.DIAGNOSIS)

    assert timezone.now() - moved.stage_changed_at < datetime.timedelta(minutes=1)


# --- Stages follow each other ---------------------------------------------------------------------

SKIPS = [
    (Stage.PROMOTION, Stage.PROPOSAL),
    (Stage.PROMOTION, Stage.ACTION_PLAN),
    (Stage.PROMOTION, Stage.EXECUTION),
    (Stage.DIAGNOSIS, Stage.ACTION_PLAN),
    (Stage.DIAGNOSIS, Stage.EXECUTION),
    (Stage.PROPOSAL, Stage.EXECUTION),
]


@pytest.mark.parametrize(("from_stage", "to_stage"), SKIPS)
def test_a_stage_cannot_be_skipped_even_when_its_own_work_is_done(build, coordinator, from_stage, to_stage):
    service = build(from_stage, ready=True)

    refused(service, coordinator, to_stage, "stages follow each other")


BACKWARDS = [
    (Stage.DIAGNOSIS, Stage.PROMOTION),
    (Stage.PROPOSAL, Stage.DIAGNOSIS),
    (Stage.ACTION_PLAN, Stage.PROPOSAL),
    (Stage.EXECUTION, Stage.ACTION_PLAN),
    (Stage.EXECUTION, Stage.PROMOTION),
    (Stage.EVALUATION, Stage.EXECUTION),
    (Stage.PROPOSAL, Stage.PROPOSAL),
]


@pytest.mark.parametrize(("from_stage", "to_stage"), BACKWARDS)
def test_advancing_cannot_go_back_nor_stay(build, coordinator, from_stage, to_stage):
    service = build(from_stage, ready=True)

    refused(service, coordinator, to_stage, "stages follow each other")


def test_an_unknown_stage_is_refused_without_crashing(build, coordinator):
    refused(build(Stage.PROMOTION), coordinator, "somewhere", "stages follow each other")


@pytest.mark.parametrize(
    ("from_stage", "to_stage"), [(Stage.EXECUTION, Stage.EVALUATION), (Stage.EVALUATION, Stage.CLOSED)]
)
def test_evaluation_and_closing_come_from_the_report_and_the_evaluation_not_by_hand(
    build, coordinator, from_stage, to_stage
):
    service = build(from_stage, ready=True)

    refused(service, coordinator, to_stage, "technical report closes execution")


def test_execution_cannot_jump_to_closed_by_hand(build, coordinator):
    refused(build(Stage.EXECUTION, ready=True), coordinator, Stage.CLOSED, "stages follow each other")


@pytest.mark.parametrize("to_stage", [Stage.PROMOTION, Stage.DIAGNOSIS, Stage.EVALUATION, Stage.CLOSED])
def test_a_closed_service_does_not_move_any_more(build, coordinator, to_stage):
    refused(build(Stage.CLOSED), coordinator, to_stage, "does not move any more")


@pytest.mark.parametrize("to_stage", [Stage.DIAGNOSIS, Stage.PROPOSAL])
def test_a_cancelled_service_does_not_move_any_more(build, coordinator, to_stage):
    service = build(Stage.DIAGNOSIS, ready=True)
    service_cancel(user=coordinator, service=service, reason="El dueño viajó")

    refused(service, coordinator, to_stage, "does not move any more")


@pytest.mark.parametrize("stage", BUILD_STAGES[:4])
def test_transition_problems_name_the_skip_for_anything_but_the_next_stage(build, stage):
    service = build(stage, ready=True)
    following = BUILD_STAGES[BUILD_STAGES.index(stage) + 1]

    for other in BUILD_STAGES:
        problems = transition_problems(service, other)
        if other == following:
            assert problems == []
        else:
            assert len(problems) == 1
            assert "stages follow each other" in str(problems[0])


# --- Preconditions of each move ----------------------------------------------------------------------


def test_the_proposal_needs_a_linked_diagnosis(build, promoter):
    refused(build(Stage.DIAGNOSIS), promoter, Stage.PROPOSAL, "Link the company's diagnosis first")


def test_the_proposal_needs_the_diagnosis_completed(build, promoter):
    service = build(Stage.DIAGNOSIS)
    draft = diagnosis_create(user=promoter, company=service.company, fields=dict(BUILD_BASELINE))
    _central, cause, _effect = problem_tree_nodes(draft)
    service_link_diagnosis(user=promoter, service=service, diagnosis=draft, nodes=[cause])

    refused(service, promoter, Stage.PROPOSAL, "diagnosis must be completed first")


def test_the_proposal_needs_at_least_one_problem_to_address(build, promoter):
    service = build(Stage.DIAGNOSIS)
    diagnosis = diagnosis_create(user=promoter, company=service.company, fields=dict(BUILD_BASELINE))
    problem_tree_nodes(diagnosis)
    diagnosis_complete(user=promoter, diagnosis=diagnosis)
    service_link_diagnosis(user=promoter, service=service, diagnosis=diagnosis, nodes=[])

    refused(service, promoter, Stage.PROPOSAL, "Choose at least one problem")


def _proposal_with(service, coordinator, *, improvement=True, budget=True, accepted=True, price=True):
    """Do the proposal's work, leaving out what a test asks to leave out."""
    if improvement:
        improvement_add(
            user=coordinator_user(),
            service=service,
            problem="Alta merma",
            improvement="Control del horno",
            expected_result="5 %",
        )
    if budget:
        budget_line_add(
            user=coordinator_user(), service=service, kind="fees", description="Honorarios", quantity=10, unit_cost=40
        )
    if accepted is not None and budget:
        proposal_record_owner_decision(user=coordinator_user(), service=service, accepted=accepted)
    if price and budget:
        proposal_approve_price(user=coordinator, service=service)
    return service


@pytest.mark.parametrize(
    ("leave_out", "match"),
    [
        ({"accepted": None}, "owner has not accepted"),
        ({"accepted": False}, "owner has not accepted"),
        ({"price": False}, "has not approved the price"),
        ({"improvement": False}, "improvement plan is empty"),
        ({"budget": False}, "budget is empty"),
    ],
    ids=["owner-pending", "owner-rejected", "price-not-approved", "no-improvement", "no-budget"],
)
def test_the_action_plan_needs_an_accepted_priced_proposal(build, coordinator, leave_out, match):
    service = _proposal_with(build(Stage.PROPOSAL), coordinator, **leave_out)

    refused(service, coordinator, Stage.ACTION_PLAN, match)


def test_a_proposal_with_everything_moves_to_the_action_plan(build, coordinator):
    service = _proposal_with(build(Stage.PROPOSAL), coordinator)

    assert service_advance(user=coordinator, service=service, to_stage=Stage.ACTION_PLAN).stage == Stage.ACTION_PLAN


@pytest.mark.parametrize(
    ("remove", "match"),
    [
        ("consultants", "Assign a consultant first"),
        ("activities", "has no activities"),
        ("indicators", "has no indicators"),
    ],
)
def test_execution_needs_a_consultant_activities_and_indicators(build, coordinator, remove, match):
    service = build(Stage.ACTION_PLAN, ready=True)
    if remove == "consultants":
        service.consultants.clear()
    else:
        getattr(service, remove).all().delete()

    refused(service, coordinator, Stage.EXECUTION, match)


def test_the_technical_report_needs_a_visit_first(build, consultant):
    service = build(Stage.EXECUTION)
    before = service_snapshot(service)

    with pytest.raises(DomainError, match="at least one visit"):
        report_submit(user=consultant, service=service, summary="Hecho", results="Menos merma")

    assert service_snapshot(service) == before
    assert not hasattr(type(service).objects.get(pk=service.pk), "report")


def test_the_evaluation_is_refused_the_day_before_its_window_opens(build, promoter):
    service = build(Stage.EVALUATION)
    opens = service.execution_ended_on + datetime.timedelta(days=30)
    before = service_snapshot(service)

    with pytest.raises(DomainError) as refusal:
        evaluation_record(
            user=promoter,
            service=service,
            date=opens - datetime.timedelta(days=1),
            satisfaction=4,
            measures={i.pk: Decimal("4") for i in service.indicators.all()},
        )

    assert refusal.value.field == "date"
    assert service_snapshot(service) == before
    assert not service.indicators.filter(measured_value__isnull=False).exists()


def test_the_evaluation_is_accepted_the_day_its_window_opens(build, promoter):
    service = build(Stage.EVALUATION)
    opens = service.execution_ended_on + datetime.timedelta(days=30)

    evaluation_record(
        user=promoter, service=service, date=opens, satisfaction=4, measures={i.pk: 4 for i in service.indicators.all()}
    )

    service.refresh_from_db()
    assert service.stage == Stage.CLOSED


def test_the_evaluation_needs_every_indicator_measured(build, promoter):
    service = build(Stage.EVALUATION)
    before = service_snapshot(service)

    with pytest.raises(DomainError, match="Measure every indicator: Merma"):
        evaluation_record(user=promoter, service=service, date=timezone.localdate(), satisfaction=4, measures={})

    assert service_snapshot(service) == before


# --- Who may move a service ---------------------------------------------------------------------------


def test_a_promoter_cannot_move_a_proposal_to_the_action_plan(build, promoter):
    refused(build(Stage.PROPOSAL, ready=True), promoter, Stage.ACTION_PLAN, ROLE_REFUSED)


@pytest.mark.parametrize(
    ("stage", "role"),
    [
        (Stage.PROMOTION, Role.CONSULTANT),
        (Stage.PROMOTION, Role.FRONT_DESK),
        (Stage.DIAGNOSIS, Role.CONSULTANT),
        (Stage.PROPOSAL, Role.CONSULTANT),
        (Stage.PROPOSAL, Role.NATIONAL_MANAGER),
        (Stage.ACTION_PLAN, Role.PROMOTER),
        (Stage.ACTION_PLAN, Role.FRONT_DESK),
    ],
)
def test_a_role_that_does_not_do_a_step_cannot_move_the_service(build, lima, stage, role):
    user = UserFactory(roles=[role], centres=[lima])

    refused(build(stage, ready=True), user, BUILD_STAGES[BUILD_STAGES.index(stage) + 1], ROLE_REFUSED)


def test_a_consultant_not_assigned_to_the_service_cannot_start_its_execution(build, lima):
    service = build(Stage.ACTION_PLAN, ready=True)
    outsider = UserFactory(roles=[Role.CONSULTANT], centres=[lima])
    ConsultantFactory(user=outsider, centres=[lima])

    refused(service, outsider, Stage.EXECUTION, ROLE_REFUSED)
    assert not can_advance(outsider, service)


def test_the_consultant_assigned_to_the_service_starts_its_execution(build, consultant):
    service = build(Stage.ACTION_PLAN, ready=True)
    assert can_advance(consultant, service)

    moved = service_advance(user=consultant, service=service, to_stage=Stage.EXECUTION)

    assert moved.stage == Stage.EXECUTION
    assert moved.changes.last().by == consultant


# --- Cancelling and reopening -----------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMINISTRATOR])
def test_a_coordinator_cancels_an_open_service_with_a_reason_and_it_is_logged(build, lima, role):
    user = UserFactory(roles=[role], centres=[lima])
    service = build(Stage.PROPOSAL)

    cancelled = service_cancel(user=user, service=service, reason="  El dueño cerró el negocio ")

    cancelled.refresh_from_db()
    assert cancelled.stage == Stage.CANCELLED
    assert cancelled.cancel_reason == "El dueño cerró el negocio"
    change = cancelled.changes.last()
    assert (change.from_stage, change.to_stage, change.by) == (Stage.PROPOSAL, Stage.CANCELLED, user)
    assert change.note == "El dueño cerró el negocio"
    assert change.is_reopening is False


@pytest.mark.parametrize(
    ("who", "reason", "match"),
    [
        ("promoter", "El dueño viajó", "Your role does not allow"),
        ("consultant", "El dueño viajó", "Your role does not allow"),
        ("coordinator", "", "Say why the service is cancelled"),
        ("coordinator", "   ", "Say why the service is cancelled"),
    ],
)
def test_cancelling_needs_a_coordinator_and_a_reason(build, request, who, reason, match):
    service = build(Stage.PROPOSAL)
    before = service_snapshot(service)

    with pytest.raises(NotAllowed if "role" in match else DomainError, match=match):
        service_cancel(user=request.getfixturevalue(who), service=service, reason=reason)

    assert service_snapshot(service) == before
    service.refresh_from_db()
    assert service.cancel_reason == ""


def test_a_closed_or_cancelled_service_cannot_be_cancelled(build, coordinator):
    closed = build(Stage.CLOSED)
    cancelled = service_cancel(user=coordinator, service=build(Stage.PROMOTION), reason="Duplicado")

    for service in (closed, cancelled):
        before = service_snapshot(service)
        with pytest.raises(DomainError, match="Only an open service"):
            service_cancel(user=coordinator, service=service, reason="Otra vez")
        assert service_snapshot(service) == before
    cancelled.refresh_from_db()
    assert cancelled.cancel_reason == "Duplicado"


def test_a_coordinator_reopens_a_service_at_an_earlier_stage_and_it_is_logged(build, coordinator):
    service = build(Stage.EXECUTION)

    reopened = service_reopen(
        user=coordinator, service=service, to_stage=Stage.ACTION_PLAN, reason="Faltó una actividad"
    )

    reopened.refresh_from_db()
    assert reopened.stage == Stage.ACTION_PLAN
    change = reopened.changes.last()
    assert (change.from_stage, change.to_stage, change.by) == (Stage.EXECUTION, Stage.ACTION_PLAN, coordinator)
    assert change.is_reopening is True
    assert change.note == "Faltó una actividad"


@pytest.mark.parametrize(
    ("who", "to_stage", "reason", "match"),
    [
        ("promoter", Stage.DIAGNOSIS, "Faltó algo", "Your role does not allow"),
        ("consultant", Stage.DIAGNOSIS, "Faltó algo", "Your role does not allow"),
        ("coordinator", Stage.DIAGNOSIS, " ", "Say why the service is reopened"),
        ("coordinator", Stage.EXECUTION, "Faltó algo", "earlier stage"),
        ("coordinator", Stage.EVALUATION, "Faltó algo", "earlier stage"),
        ("coordinator", Stage.CLOSED, "Faltó algo", "one of the six stages"),
        ("coordinator", Stage.CANCELLED, "Faltó algo", "one of the six stages"),
    ],
)
def test_reopening_needs_a_coordinator_a_reason_and_an_earlier_stage(build, request, who, to_stage, reason, match):
    service = build(Stage.EXECUTION)
    before = service_snapshot(service)

    with pytest.raises(NotAllowed if "role" in match else DomainError, match=match):
        service_reopen(user=request.getfixturevalue(who), service=service, to_stage=to_stage, reason=reason)

    assert service_snapshot(service) == before


def test_reopening_a_cancelled_service_brings_it_back_and_clears_the_reason(build, coordinator):
    service = service_cancel(user=coordinator, service=build(Stage.PROPOSAL), reason="El dueño viajó")

    reopened = service_reopen(user=coordinator, service=service, to_stage=Stage.PROPOSAL, reason="Ya regresó")

    reopened.refresh_from_db()
    assert reopened.stage == Stage.PROPOSAL
    assert reopened.cancel_reason == ""
    change = reopened.changes.last()
    assert (change.from_stage, change.to_stage, change.is_reopening) == (Stage.CANCELLED, Stage.PROPOSAL, True)


def test_reopening_a_closed_service_brings_it_back(build, coordinator):
    service = build(Stage.CLOSED)

    reopened = service_reopen(user=coordinator, service=service, to_stage=Stage.EXECUTION, reason="Falta un ajuste")

    reopened.refresh_from_db()
    assert reopened.stage == Stage.EXECUTION
    assert reopened.is_open
    change = reopened.changes.last()
    assert (change.from_stage, change.to_stage, change.is_reopening) == (Stage.CLOSED, Stage.EXECUTION, True)


def test_a_reopened_service_moves_forward_again_under_the_same_rules(build, coordinator, promoter):
    service = build(Stage.ACTION_PLAN)
    service_reopen(user=coordinator, service=service, to_stage=Stage.PROPOSAL, reason="Ajustar el presupuesto")

    # The proposal is still accepted and priced: it may go on, by a coordinator only.
    refused(service, promoter, Stage.ACTION_PLAN, ROLE_REFUSED)
    assert service_advance(user=coordinator, service=service, to_stage=Stage.ACTION_PLAN).stage == Stage.ACTION_PLAN
    assert StageChange.objects.filter(service=service, is_reopening=True).count() == 1


# --- Linking the diagnosis --------------------------------------------------------------------------


def test_a_diagnosis_of_another_company_cannot_be_linked(build, promoter, lima):
    service = build(Stage.DIAGNOSIS)
    other = diagnosis_create(user=promoter, company=CompanyFactory(centre=lima), fields=dict(BUILD_BASELINE))
    _central, cause, _effect = problem_tree_nodes(other)

    with pytest.raises(DomainError) as refusal:
        service_link_diagnosis(user=promoter, service=service, diagnosis=other, nodes=[cause])

    assert refusal.value.field == "diagnosis"
    service.refresh_from_db()
    assert service.diagnosis is None
    assert not service.addressed_nodes.exists()


def test_problems_of_another_diagnosis_cannot_be_addressed(build, promoter, lima):
    service = build(Stage.DIAGNOSIS)
    own = diagnosis_create(user=promoter, company=service.company, fields=dict(BUILD_BASELINE))
    problem_tree_nodes(own)
    other = diagnosis_create(user=promoter, company=CompanyFactory(centre=lima), fields=dict(BUILD_BASELINE))
    _central, foreign_cause, _effect = problem_tree_nodes(other)

    with pytest.raises(DomainError) as refusal:
        service_link_diagnosis(user=promoter, service=service, diagnosis=own, nodes=[foreign_cause])

    assert refusal.value.field == "nodes"
    service.refresh_from_db()
    assert service.diagnosis is None


def test_the_diagnosis_cannot_be_changed_once_the_proposal_started(build, promoter):
    service = build(Stage.PROPOSAL)
    linked = service.diagnosis
    other = diagnosis_create(user=promoter, company=service.company, fields=dict(BUILD_BASELINE))

    with pytest.raises(DomainError, match="chosen during promotion or diagnosis"):
        service_link_diagnosis(user=promoter, service=service, diagnosis=other, nodes=[])

    service.refresh_from_db()
    assert service.diagnosis == linked
    assert service.addressed_nodes.count() == 1


# --- Demand answered ---------------------------------------------------------------------------------


def test_moving_to_the_proposal_answers_the_companys_open_assistance_needs_only(build, lima, promoter):
    company = CompanyFactory(centre=lima)
    service = build(Stage.DIAGNOSIS, ready=True, company=company)
    assistance = NeedFactory(company=company, need_type="assistance", source="consultation")
    training = NeedFactory(company=company, need_type="training")
    credit = NeedFactory(company=company, need_type="credit")
    dismissed = NeedFactory(company=company, need_type="assistance", status=Need.Status.DISMISSED)
    elsewhere = NeedFactory(company=CompanyFactory(centre=lima), need_type="assistance")

    service_advance(user=promoter, service=service, to_stage=Stage.PROPOSAL)

    assistance.refresh_from_db()
    assert assistance.status == Need.Status.ANSWERED
    assert assistance.answered_by == service.code
    assert assistance.answered_at is not None
    for need in (training, credit, elsewhere):
        need.refresh_from_db()
        assert need.status == Need.Status.OPEN
        assert need.answered_by == ""
    dismissed.refresh_from_db()
    assert dismissed.status == Need.Status.DISMISSED


def test_needs_stay_open_until_the_proposal(build, lima, promoter):
    company = CompanyFactory(centre=lima)
    need = NeedFactory(company=company, need_type="assistance")

    build(Stage.DIAGNOSIS, ready=True, company=company)

    need.refresh_from_db()
    assert need.status == Need.Status.OPEN


def test_a_need_answered_before_keeps_what_answered_it(build, lima, promoter):
    company = CompanyFactory(centre=lima)
    earlier = NeedFactory(company=company, need_type="assistance", status=Need.Status.ANSWERED, answered_by="SAT-X")
    service = build(Stage.DIAGNOSIS, ready=True, company=company)

    service_advance(user=promoter, service=service, to_stage=Stage.PROPOSAL)

    earlier.refresh_from_db()
    assert earlier.answered_by == "SAT-X"


def test_only_problems_marked_to_address_can_be_the_services_scope(build, promoter):
    service = build(Stage.DIAGNOSIS)
    diagnosis = diagnosis_create(user=promoter, company=service.company, fields=dict(BUILD_BASELINE))
    central, cause, effect = problem_tree_nodes(diagnosis)
    diagnosis_complete(user=promoter, diagnosis=diagnosis)

    for node in (effect, central):  # the effect is not marked; the central problem is never a scope
        with pytest.raises(DomainError, match="to address"):
            service_link_diagnosis(user=promoter, service=service, diagnosis=diagnosis, nodes=[node])
    service.refresh_from_db()
    assert service.diagnosis_id is None

    service_link_diagnosis(user=promoter, service=service, diagnosis=diagnosis, nodes=[cause])
    assert list(service.addressed_nodes.all()) == [cause]
