"""Reads of the assistance app: each user sees what they may, in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assistance.models import OPEN_STAGES, Service, Stage, Visit
from assistance.selectors import (
    evaluation_of,
    evaluations_due,
    hours_spent,
    pipeline_board,
    report_of,
    service_detail,
    service_list,
    service_search,
)
from assistance.tests.factories import ServiceFactory, build_service
from clients.tests.factories import CompanyFactory
from consultants.tests.factories import ConsultantFactory
from core.models import User
from core.roles import Role
from core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def service_in(centre, stage=Stage.PROMOTION, **kwargs) -> Service:
    return ServiceFactory(company=CompanyFactory(centre=centre), stage=stage, **kwargs)


def fresh(user) -> User:
    """The user as a new request loads it: no roles nor centres cached yet."""
    return User.objects.get(pk=user.pk)


# --- Who sees which services ------------------------------------------------------------------------


@pytest.fixture
def two_consultants(lima, consultant):
    """The consultant user's service, and another consultant's service in the same centre."""
    mine, theirs = service_in(lima, Stage.EXECUTION), service_in(lima, Stage.EXECUTION)
    mine.consultants.add(ConsultantFactory(user=consultant, centres=[lima]))
    colleague = UserFactory(roles=[Role.CONSULTANT], centres=[lima])
    theirs.consultants.add(ConsultantFactory(user=colleague, centres=[lima]))
    return mine, theirs, colleague


def test_a_consultant_sees_only_the_services_assigned_to_them(two_consultants, consultant):
    mine, theirs, colleague = two_consultants

    assert list(service_list(user=consultant)) == [mine]
    assert list(service_list(user=colleague)) == [theirs]


def test_a_consultant_cannot_open_another_consultants_service(two_consultants, consultant):
    mine, theirs, _colleague = two_consultants

    assert service_detail(user=consultant, pk=mine.pk) == mine
    with pytest.raises(Http404):
        service_detail(user=consultant, pk=theirs.pk)


def test_a_consultant_with_two_colleagues_on_a_service_sees_it_once(lima, consultant):
    service = service_in(lima, Stage.EXECUTION)
    service.consultants.add(ConsultantFactory(user=consultant, centres=[lima]), ConsultantFactory(centres=[lima]))

    assert list(service_list(user=consultant)) == [service]


def test_a_consultant_without_services_sees_none(lima, consultant):
    service_in(lima)

    assert not service_list(user=consultant).exists()


def test_a_promoter_who_is_also_a_consultant_sees_the_centres_services(lima):
    both = UserFactory(roles=[Role.PROMOTER, Role.CONSULTANT], centres=[lima])
    service = service_in(lima)

    assert list(service_list(user=both)) == [service]


def test_a_lima_promoter_does_not_see_huancayo_services(lima, huancayo, promoter, national_manager):
    in_lima, in_huancayo = service_in(lima), service_in(huancayo)

    assert list(service_list(user=promoter)) == [in_lima]
    with pytest.raises(Http404):
        service_detail(user=promoter, pk=in_huancayo.pk)
    assert set(service_list(user=national_manager)) == {in_lima, in_huancayo}
    assert service_detail(user=national_manager, pk=in_huancayo.pk) == in_huancayo


def test_the_expediente_is_read_in_a_fixed_number_of_queries(lima, promoter, coordinator, consultant):
    service = build_service(
        Stage.CLOSED, promoter=promoter, coordinator=coordinator, consultant_user=consultant, centre=lima
    )

    def read_everything():
        with CaptureQueriesContext(connection) as queries:
            detail = service_detail(user=fresh(promoter), pk=service.pk)
            for name in ("consultants", "addressed_nodes", "budget_lines", "funding_lines", "activities", "changes"):
                list(getattr(detail, name).all())
            [item.problem_node for item in detail.improvements.all()]
            [indicator.improvement for indicator in detail.indicators.all()]
            [visit.consultant for visit in detail.visits.all()]
            assert report_of(detail).submitted_by == consultant
            assert evaluation_of(detail).evaluator == promoter
        return len(queries)

    few = read_everything()
    for n in range(5):
        Visit.objects.create(
            service=service, consultant=service.consultants.get(), date=days_ago(50), hours=2, notes=f"Visita {n}"
        )

    assert read_everything() == few


def test_report_and_evaluation_are_none_before_they_exist(lima, promoter):
    service = service_in(lima, Stage.EXECUTION)
    detail = service_detail(user=promoter, pk=service.pk)

    assert report_of(detail) is None
    assert evaluation_of(detail) is None


# --- The pipeline board ------------------------------------------------------------------------------


def test_the_board_has_the_six_stages_in_order_with_their_counts(lima, huancayo, coordinator):
    counts = {Stage.PROMOTION: 3, Stage.DIAGNOSIS: 1, Stage.EXECUTION: 2, Stage.EVALUATION: 1}
    for stage, n in counts.items():
        for _ in range(n):
            service_in(lima, stage, execution_ended_on=days_ago(5) if stage == Stage.EVALUATION else None)
    service_in(lima, Stage.CLOSED)
    service_in(lima, Stage.CANCELLED, cancel_reason="Duplicado")
    service_in(huancayo, Stage.PROMOTION)

    board = pipeline_board(user=coordinator)

    assert [column["stage"] for column in board] == list(OPEN_STAGES)
    assert len(board) == 6
    assert [column["count"] for column in board] == [counts.get(stage, 0) for stage in OPEN_STAGES]
    assert [len(column["services"]) for column in board] == [column["count"] for column in board]


def test_the_board_marks_services_that_stayed_too_long_in_their_stage(lima, coordinator):
    def sitting(stage, days, **kwargs):
        return service_in(lima, stage, stage_changed_at=timezone.now() - datetime.timedelta(days=days), **kwargs)

    expected = {
        sitting(Stage.PROMOTION, 400).pk: True,
        sitting(Stage.PROMOTION, 29).pk: False,
        sitting(Stage.PROPOSAL, 31).pk: True,
        sitting(Stage.ACTION_PLAN, 22).pk: True,
        sitting(Stage.ACTION_PLAN, 20).pk: False,
        sitting(Stage.EXECUTION, 91).pk: True,
        sitting(Stage.EXECUTION, 60).pk: False,
        # An evaluation is late once its window has closed, however long it has been in the stage.
        sitting(Stage.EVALUATION, 400, execution_ended_on=days_ago(45)).pk: False,
        sitting(Stage.EVALUATION, 1, execution_ended_on=days_ago(61)).pk: True,
    }

    board = pipeline_board(user=coordinator)

    seen = {card["service"].pk: card for column in board for card in column["services"]}
    assert {pk: card["late"] for pk, card in seen.items()} == expected
    oldest = board[0]["services"][0]
    assert (oldest["days"], oldest["late"]) == (400, True)


def test_the_board_shows_the_oldest_twenty_of_a_stage_and_says_how_many_more(lima, coordinator):
    now = timezone.now()
    for n in range(23):
        service_in(lima, Stage.DIAGNOSIS, stage_changed_at=now - datetime.timedelta(days=n))

    column = pipeline_board(user=coordinator)[1]

    assert (column["count"], len(column["services"]), column["more"]) == (23, 20, 3)
    assert [card["days"] for card in column["services"]] == list(range(22, 2, -1))


def test_the_board_can_show_one_centre_and_never_another_centres_services(lima, huancayo, national_manager, promoter):
    service_in(lima)
    service_in(huancayo)

    assert pipeline_board(user=national_manager)[0]["count"] == 2
    assert pipeline_board(user=national_manager, centre=huancayo)[0]["count"] == 1
    assert pipeline_board(user=promoter, centre=huancayo)[0]["count"] == 0


def _services_across_stages(centre, n):
    for i in range(n):
        stage = OPEN_STAGES[i % len(OPEN_STAGES)]
        service_in(centre, stage, execution_ended_on=days_ago(40) if stage == Stage.EVALUATION else None)


def test_the_board_runs_the_same_number_of_queries_for_10_and_60_services(lima, coordinator):
    def queries_of_the_board():
        user = fresh(coordinator)
        with CaptureQueriesContext(connection) as queries:
            board = pipeline_board(user=user)
            for column in board:
                for card in column["services"]:
                    str(card["service"].company.legal_name), str(card["service"].centre.name)
        return len(queries), sum(column["count"] for column in board)

    _services_across_stages(lima, 10)
    with_10, total = queries_of_the_board()
    assert total == 10
    _services_across_stages(lima, 50)
    with_60, total = queries_of_the_board()
    assert total == 60

    assert with_60 == with_10


# --- Evaluations due ---------------------------------------------------------------------------------


def test_evaluations_due_are_the_services_in_evaluation_whose_window_opened(lima, huancayo, promoter):
    overdue = service_in(lima, Stage.EVALUATION, execution_ended_on=days_ago(70))
    due = service_in(lima, Stage.EVALUATION, execution_ended_on=days_ago(40))
    opens_today = service_in(lima, Stage.EVALUATION, execution_ended_on=days_ago(30))
    service_in(lima, Stage.EVALUATION, execution_ended_on=days_ago(29))
    service_in(lima, Stage.CLOSED, execution_ended_on=days_ago(40))
    service_in(lima, Stage.EXECUTION)
    service_in(huancayo, Stage.EVALUATION, execution_ended_on=days_ago(40))

    assert list(evaluations_due(user=promoter)) == [overdue, due, opens_today]
    assert list(evaluations_due(user=promoter, on=days_ago(10))) == [overdue, due]


def test_a_consultant_sees_only_the_evaluations_due_of_their_services(lima, consultant):
    mine = service_in(lima, Stage.EVALUATION, execution_ended_on=days_ago(40))
    mine.consultants.add(ConsultantFactory(user=consultant, centres=[lima]))
    service_in(lima, Stage.EVALUATION, execution_ended_on=days_ago(40))

    assert list(evaluations_due(user=consultant)) == [mine]


def test_hours_spent_add_up_the_visits_and_are_zero_before_any(lima, promoter, coordinator, consultant):
    service = build_service(
        Stage.EXECUTION, promoter=promoter, coordinator=coordinator, consultant_user=consultant, centre=lima
    )
    assert hours_spent(service) == 0

    for hours in ("4", "2.5"):
        Visit.objects.create(
            service=service, consultant=service.consultants.get(), date=days_ago(3), hours=Decimal(hours), notes="."
        )

    assert hours_spent(service) == Decimal("6.5")


def test_the_services_search_finds_by_file_number_title_or_the_companys_name_without_accents(national_manager):
    bakery = ServiceFactory(company=CompanyFactory(legal_name="PANADERÍA EL TRIGAL"), title="Costos")
    dairy = ServiceFactory(company=CompanyFactory(legal_name="Lácteos Mantaro"), title="Vida útil del yogur")

    def found(text):
        return set(service_search(service_list(user=national_manager), text))

    assert found("panaderia") == {bakery}
    assert found("yogur") == {dairy}
    assert found(dairy.code) == {dairy}
    assert found("chocolate") == set()
