"""The assistance API: scoping, roles, the stage workflow and the budget, all through the services."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from assistance.models import BudgetLine, FundingLine, Service, Stage, StageChange
from clients.tests.factories import (
    HUANCAYO_DISTRICT,
    CompanyFactory,
    DiagnosisFactory,
    ProblemNodeFactory,
    ubigeo,
)
from consultants.models import Consultant
from core.roles import Role
from core.tests.factories import UserFactory
from funds.tests.factories import voucher_for

from .factories import (
    ActivityFactory,
    BudgetLineFactory,
    ConsultantFactory,
    ImprovementFactory,
    IndicatorFactory,
    ServiceFactory,
    service_type,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def as_user(api):
    def sign_in(user):
        api.force_authenticate(user)
        return api

    return sign_in


def lima_service(lima, **kwargs) -> Service:
    return ServiceFactory(company=CompanyFactory(centre=lima), **kwargs)


def huancayo_service(huancayo, **kwargs) -> Service:
    company = CompanyFactory(centre=huancayo, district=ubigeo(HUANCAYO_DISTRICT))
    return ServiceFactory(company=company, **kwargs)


def assign(service: Service, user, centre) -> Consultant:
    """A validated directory entry for ``user``, assigned to the service."""
    consultant = ConsultantFactory(user=user, centres=[centre])
    service.consultants.add(consultant)
    return consultant


def detail_url(service) -> str:
    return reverse("service-detail", args=[service.pk])


def action_url(service, name: str) -> str:
    return reverse(f"service-{name}", args=[service.pk])


def unchanged(service: Service, before: Service) -> bool:
    service.refresh_from_db()
    return service.stage == before.stage and service.stage_changed_at == before.stage_changed_at


# --- Authentication and scoping ------------------------------------------------------------------


def test_a_token_from_the_token_endpoint_opens_the_services_api(api, promoter, lima):
    service = lima_service(lima)
    assert api.get(reverse("service-list")).status_code in (401, 403)
    token = api.post(reverse("api-token"), {"username": "promoter", "password": "secret-pass-123"}).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api.get(reverse("service-list"))
    assert response.status_code == 200
    assert [row["code"] for row in response.json()["results"]] == [service.code]


def test_a_lima_promoter_lists_lima_services_and_gets_404_for_a_huancayo_one(as_user, promoter, lima, huancayo):
    mine = lima_service(lima)
    theirs = huancayo_service(huancayo)
    api = as_user(promoter)
    codes = [row["code"] for row in api.get(reverse("service-list")).json()["results"]]
    assert codes == [mine.code]
    assert api.get(detail_url(mine)).status_code == 200
    assert api.get(detail_url(theirs)).status_code == 404
    # Nor can they act on it: the scoped lookup answers 404 before any rule runs.
    assert api.post(action_url(theirs, "advance"), {"to_stage": "diagnosis"}).status_code == 404


def test_a_consultant_sees_only_the_services_assigned_to_them(as_user, consultant, lima):
    colleague = UserFactory(username="colleague", roles=[Role.CONSULTANT], centres=[lima])
    mine = lima_service(lima, stage=Stage.EXECUTION)
    theirs = lima_service(lima, stage=Stage.EXECUTION)
    lima_service(lima)  # nobody's yet
    assign(mine, consultant, lima)
    assign(theirs, colleague, lima)

    api = as_user(consultant)
    codes = [row["code"] for row in api.get(reverse("service-list")).json()["results"]]
    assert codes == [mine.code]
    assert api.get(detail_url(mine)).status_code == 200
    assert api.get(detail_url(theirs)).status_code == 404

    api = as_user(colleague)
    assert api.get(detail_url(mine)).status_code == 404


def test_the_detail_carries_the_whole_file_of_the_service(as_user, coordinator, lima):
    service = lima_service(lima, stage=Stage.EXECUTION)
    assign(service, UserFactory(), lima)
    BudgetLineFactory(service=service)
    ActivityFactory(service=service)
    IndicatorFactory(service=service, measured_value=Decimal("7.50"))
    body = as_user(coordinator).get(detail_url(service)).json()
    assert body["code"] == service.code
    assert body["company"] == {"id": service.company_id, "name": str(service.company)}
    assert body["stage"] == "execution"
    assert body["stage_label"]
    assert len(body["consultants"]) == 1
    assert body["budget_lines"][0]["amount"] == "400.00"
    assert body["indicators"][0]["measured_value"] == "7.50"
    assert body["activities"][0]["planned_hours"] == "8.00"
    for key in ("diagnosis", "addressed_nodes", "owner_decision", "price_approved_at", "visits", "improvements"):
        assert key in body
    assert {"total_cost", "total_funding", "owner_share"} <= body.keys()


# --- Opening a service ---------------------------------------------------------------------------


def test_a_promoter_opens_a_service_in_promotion_with_a_file_number(as_user, promoter, lima):
    company = CompanyFactory(centre=lima)
    payload = {"company": company.pk, "service_type": service_type().pk, "title": "Horno nuevo", "area": "production"}
    response = as_user(promoter).post(reverse("service-list"), payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["stage"] == "promotion"
    assert body["code"].startswith("SAT-")
    service = Service.objects.get(pk=body["id"])
    assert service.company == company
    assert service.centre == lima
    assert service.created_by == promoter
    assert service.changes.count() == 1


def test_a_promoter_cannot_open_a_service_for_another_centres_company(as_user, promoter, huancayo):
    company = CompanyFactory(centre=huancayo, district=ubigeo(HUANCAYO_DISTRICT))
    payload = {"company": company.pk, "service_type": service_type().pk, "title": "Horno nuevo"}
    response = as_user(promoter).post(reverse("service-list"), payload, format="json")
    assert response.status_code == 400
    assert "company" in response.json()
    assert not Service.objects.exists()


def test_a_consultant_cannot_open_a_service(as_user, consultant, lima):
    payload = {"company": CompanyFactory(centre=lima).pk, "service_type": service_type().pk, "title": "Horno"}
    response = as_user(consultant).post(reverse("service-list"), payload, format="json")
    assert response.status_code == 403
    assert not Service.objects.exists()


def test_a_blank_title_is_refused_at_the_field(as_user, promoter, lima):
    payload = {"company": CompanyFactory(centre=lima).pk, "service_type": service_type().pk, "title": "  "}
    response = as_user(promoter).post(reverse("service-list"), payload, format="json")
    assert response.status_code == 400
    assert "title" in response.json()
    assert not Service.objects.exists()


# --- Stages --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "to_stage"),
    [
        (Stage.PROMOTION, "proposal"),  # skipping diagnosis
        (Stage.DIAGNOSIS, "promotion"),  # going back
        (Stage.PROMOTION, "closed"),  # straight to the end
        (Stage.EVALUATION, "closed"),  # only the evaluation closes a service
        (Stage.PROMOTION, "foo"),  # no such stage
        (Stage.CLOSED, "cancelled"),  # cancelling is its own endpoint, and a closed service stays closed
    ],
)
def test_an_illegal_transition_is_refused_and_changes_nothing(as_user, coordinator, lima, stage, to_stage):
    service = lima_service(lima, stage=stage)
    before = Service.objects.get(pk=service.pk)
    response = as_user(coordinator).post(action_url(service, "advance"), {"to_stage": to_stage}, format="json")
    assert response.status_code == 400
    assert unchanged(service, before)
    assert not StageChange.objects.filter(service=service).exists()


def test_a_promoter_moves_a_service_from_promotion_to_diagnosis(as_user, promoter, lima):
    service = lima_service(lima)
    response = as_user(promoter).post(action_url(service, "advance"), {"to_stage": "diagnosis"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["stage"] == "diagnosis"
    service.refresh_from_db()
    assert service.stage == Stage.DIAGNOSIS
    change = service.changes.get()
    assert (change.from_stage, change.to_stage, change.by) == ("promotion", "diagnosis", promoter)


def test_a_consultant_cannot_move_a_service_their_role_may_not(as_user, consultant, lima):
    service = lima_service(lima)
    assign(service, consultant, lima)
    before = Service.objects.get(pk=service.pk)
    response = as_user(consultant).post(action_url(service, "advance"), {"to_stage": "diagnosis"}, format="json")
    assert response.status_code == 403  # the policy refuses: not their step
    assert unchanged(service, before)


def test_roles_outside_the_services_cannot_advance_them(as_user, front_desk, lima):
    service = lima_service(lima)
    response = as_user(front_desk).post(action_url(service, "advance"), {"to_stage": "diagnosis"}, format="json")
    assert response.status_code == 403


def test_allowed_transitions_follow_the_role_of_the_requesting_user(as_user, promoter, coordinator, lima):
    service = lima_service(lima)
    assert as_user(promoter).get(detail_url(service)).json()["allowed_transitions"] == ["diagnosis"]
    assert as_user(coordinator).get(detail_url(service)).json()["allowed_transitions"] == ["diagnosis", "cancelled"]
    manager = UserFactory(roles=[Role.NATIONAL_MANAGER], centres=[lima])
    assert as_user(manager).get(detail_url(service)).json()["allowed_transitions"] == []


def test_allowed_transitions_wait_for_the_diagnosis_to_be_linked(as_user, promoter, lima):
    service = lima_service(lima, stage=Stage.DIAGNOSIS)
    api = as_user(promoter)
    body = api.get(detail_url(service)).json()
    assert body["allowed_transitions"] == []
    assert len(body["blocking_reasons"]) == 2  # no diagnosis, no problem chosen
    refused = api.post(action_url(service, "advance"), {"to_stage": "proposal"}, format="json")
    assert refused.status_code == 400

    diagnosis = DiagnosisFactory(company=service.company, status="completed", completed_at=timezone.now())
    central = ProblemNodeFactory(diagnosis=diagnosis)
    node = ProblemNodeFactory(diagnosis=diagnosis, kind="cause", parent=central, to_address=True)
    linked = api.post(action_url(service, "diagnosis"), {"diagnosis": diagnosis.pk, "nodes": [node.pk]}, format="json")
    assert linked.status_code == 200, linked.json()
    assert linked.json()["diagnosis"] == diagnosis.pk
    assert linked.json()["addressed_nodes"] == [node.pk]
    assert linked.json()["allowed_transitions"] == ["proposal"]
    assert linked.json()["blocking_reasons"] == []

    moved = api.post(action_url(service, "advance"), {"to_stage": "proposal"}, format="json")
    assert moved.status_code == 200
    assert moved.json()["stage"] == "proposal"


def test_allowed_transitions_of_the_action_plan_need_activities_and_indicators(as_user, consultant, lima):
    service = lima_service(lima, stage=Stage.ACTION_PLAN)
    assign(service, consultant, lima)
    ActivityFactory(service=service)
    api = as_user(consultant)
    body = api.get(detail_url(service)).json()
    assert body["allowed_transitions"] == []
    assert len(body["blocking_reasons"]) == 1  # no indicators

    response = api.post(
        action_url(service, "indicators"),
        {"name": "Merma", "unit": "%", "baseline": "15", "target": "5"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["allowed_transitions"] == ["execution"]
    assert response.json()["blocking_reasons"] == []


def test_a_coordinator_cancels_an_open_service_with_a_reason(as_user, coordinator, lima):
    service = lima_service(lima, stage=Stage.PROPOSAL)
    response = as_user(coordinator).post(action_url(service, "cancel"), {"reason": "La empresa cerró"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["stage"] == "cancelled"
    assert response.json()["allowed_transitions"] == []
    service.refresh_from_db()
    assert service.stage == Stage.CANCELLED
    assert service.cancel_reason == "La empresa cerró"


def test_cancelling_needs_a_reason(as_user, coordinator, lima):
    service = lima_service(lima, stage=Stage.PROPOSAL)
    before = Service.objects.get(pk=service.pk)
    for body in ({}, {"reason": "   "}):
        response = as_user(coordinator).post(action_url(service, "cancel"), body, format="json")
        assert response.status_code == 400
        assert "reason" in response.json()
    assert unchanged(service, before)


def test_a_promoter_cannot_cancel_a_service(as_user, promoter, lima):
    service = lima_service(lima, stage=Stage.PROPOSAL)
    before = Service.objects.get(pk=service.pk)
    response = as_user(promoter).post(action_url(service, "cancel"), {"reason": "No"}, format="json")
    assert response.status_code == 403
    assert unchanged(service, before)


def test_a_coordinator_reopens_at_an_earlier_stage_and_it_is_logged(as_user, coordinator, lima):
    service = lima_service(lima, stage=Stage.PROPOSAL)
    response = as_user(coordinator).post(
        action_url(service, "reopen"), {"to_stage": "diagnosis", "reason": "Faltó un problema"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["stage"] == "diagnosis"
    change = service.changes.get()
    assert change.is_reopening
    assert change.note == "Faltó un problema"


def test_reopening_forwards_is_refused_and_a_promoter_may_not_reopen(as_user, coordinator, promoter, lima):
    service = lima_service(lima, stage=Stage.DIAGNOSIS)
    before = Service.objects.get(pk=service.pk)
    body = {"to_stage": "proposal", "reason": "Adelantar"}
    assert as_user(coordinator).post(action_url(service, "reopen"), body, format="json").status_code == 400
    body = {"to_stage": "promotion", "reason": "Volver"}
    assert as_user(promoter).post(action_url(service, "reopen"), body, format="json").status_code == 403
    assert unchanged(service, before)


# --- Budget --------------------------------------------------------------------------------------


def post_lines(api, service):
    voucher_for(service.company, "BP-0001")
    for line in (
        {"kind": "fees", "description": "Honorarios", "quantity": "10", "unit_cost": "40"},
        {"kind": "materials", "description": "Termómetros", "quantity": "2", "unit_cost": "125.50"},
        {"kind": "travel", "description": "Pasajes", "quantity": "1", "unit_cost": "30"},
    ):
        response = api.post(action_url(service, "budget-lines"), line, format="json")
        assert response.status_code == 201, response.json()
    for line in (
        {"kind": "subsidy", "amount": "200", "description": "Proyecto"},
        {"kind": "voucher", "amount": "100", "voucher_code": "bp-0001"},
    ):
        response = api.post(action_url(service, "funding-lines"), line, format="json")
        assert response.status_code == 201, response.json()
    return response.json()


def test_the_budget_adds_up_through_the_api(as_user, promoter, lima):
    service = lima_service(lima, stage=Stage.PROPOSAL)
    body = post_lines(as_user(promoter), service)
    assert body["total_cost"] == "681.00"
    assert body["total_funding"] == "300.00"
    assert body["owner_share"] == "381.00"
    assert [line["amount"] for line in body["budget_lines"]] == ["400.00", "251.00", "30.00"]
    assert {line["voucher_code"] for line in body["funding_lines"]} == {"", "BP-0001"}


def test_a_voucher_larger_than_what_is_left_to_pay_is_refused(as_user, promoter, lima):
    service = lima_service(lima, stage=Stage.PROPOSAL)
    api = as_user(promoter)
    post_lines(api, service)
    response = api.post(
        action_url(service, "funding-lines"),
        {"kind": "voucher", "amount": "381.01", "voucher_code": "BP-0002"},
        format="json",
    )
    assert response.status_code == 400
    assert "amount" in response.json()
    service.refresh_from_db()
    assert (service.total_cost, service.total_funding, service.owner_share) == (
        Decimal("681.00"),
        Decimal("300.00"),
        Decimal("381.00"),
    )
    assert not FundingLine.objects.filter(voucher_code="BP-0002").exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "fees", "quantity": "abc", "unit_cost": "40"}, "quantity"),
        ({"kind": "fees", "quantity": "10", "unit_cost": "-1"}, "unit_cost"),
        ({"kind": "fees", "quantity": "-2", "unit_cost": "40"}, "quantity"),
        ({"kind": "snacks", "quantity": "1", "unit_cost": "40"}, "kind"),
        ({"kind": "fees", "quantity": "0", "unit_cost": "40"}, "quantity"),  # the service's rule
    ],
)
def test_a_malformed_budget_line_is_refused_at_its_field(as_user, promoter, lima, payload, field):
    service = lima_service(lima, stage=Stage.PROPOSAL)
    response = as_user(promoter).post(action_url(service, "budget-lines"), payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not BudgetLine.objects.exists()


def test_budget_lines_are_refused_outside_the_proposal(as_user, promoter, lima):
    service = lima_service(lima, stage=Stage.DIAGNOSIS)
    payload = {"kind": "fees", "quantity": "10", "unit_cost": "40"}
    response = as_user(promoter).post(action_url(service, "budget-lines"), payload, format="json")
    assert response.status_code == 400
    assert not BudgetLine.objects.exists()


def test_only_a_coordinator_approves_the_price(as_user, promoter, coordinator, lima):
    service = lima_service(lima, stage=Stage.PROPOSAL)
    BudgetLineFactory(service=service)
    assert as_user(promoter).post(action_url(service, "approve-price")).status_code == 403
    response = as_user(coordinator).post(action_url(service, "approve-price"))
    assert response.status_code == 200
    assert response.json()["price_approved_at"]


# --- A whole service through the API -------------------------------------------------------------


def test_a_service_goes_from_proposal_to_closed_through_the_api(as_user, promoter, coordinator, consultant, lima):
    service = lima_service(lima, stage=Stage.PROPOSAL)
    ImprovementFactory(service=service)
    today = timezone.localdate()

    api = as_user(promoter)
    post_lines(api, service)
    decided = api.post(action_url(service, "owner-decision"), {"accepted": True, "on": str(today)}, format="json")
    assert decided.status_code == 200, decided.json()
    assert decided.json()["owner_decision"] == "accepted"
    assert decided.json()["allowed_transitions"] == []  # the price is not approved yet

    api = as_user(coordinator)
    assert api.post(action_url(service, "approve-price")).status_code == 200
    assert api.get(detail_url(service)).json()["allowed_transitions"] == ["action_plan", "cancelled"]
    assert api.post(action_url(service, "advance"), {"to_stage": "action_plan"}, format="json").status_code == 200
    profile = ConsultantFactory(user=consultant, centres=[lima])
    assigned = api.post(action_url(service, "consultants"), {"consultant": profile.pk}, format="json")
    assert assigned.status_code == 200, assigned.json()

    api = as_user(consultant)
    activity = {
        "description": "Calibrar el horno",
        "responsible": "Consultor",
        "planned_start": str(today),
        "planned_end": str(today + datetime.timedelta(days=10)),
        "planned_hours": "8",
    }
    assert api.post(action_url(service, "activities"), activity, format="json").status_code == 201
    indicator = {"name": "Merma", "unit": "%", "baseline": "15", "target": "5"}
    body = api.post(action_url(service, "indicators"), indicator, format="json").json()
    assert api.post(action_url(service, "advance"), {"to_stage": "execution"}, format="json").status_code == 200
    visit = {"consultant": profile.pk, "date": str(today - datetime.timedelta(days=40)), "hours": "4", "notes": "Ok"}
    assert api.post(action_url(service, "visits"), visit, format="json").status_code == 201
    report = {"summary": "Se calibró", "results": "Merma 6 %", "ended_on": str(today - datetime.timedelta(days=35))}
    reported = api.post(action_url(service, "report"), report, format="json")
    assert reported.status_code == 201, reported.json()
    assert reported.json()["stage"] == "evaluation"

    api = as_user(promoter)
    indicator_id = body["indicators"][0]["id"]
    evaluation = {"date": str(today), "satisfaction": 5, "measures": {str(indicator_id): "4.5"}}
    evaluated = api.post(action_url(service, "evaluation"), evaluation, format="json")
    assert evaluated.status_code == 201, evaluated.json()
    assert evaluated.json()["stage"] == "closed"
    assert evaluated.json()["indicators"][0]["measured_value"] == "4.50"
    assert evaluated.json()["evaluation"]["satisfaction"] == 5
    assert evaluated.json()["allowed_transitions"] == []


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"date": "not a date", "satisfaction": 5, "measures": {}}, "date"),
        ({"date": "2026-01-01", "satisfaction": 6, "measures": {}}, "satisfaction"),
        ({"date": "2026-01-01", "satisfaction": 5, "measures": {"x": "1"}}, "measures"),
        ({"date": "2026-01-01", "satisfaction": 5, "measures": {"1": "abc"}}, "measures"),
    ],
)
def test_a_malformed_evaluation_is_refused_at_its_field(as_user, promoter, lima, payload, field):
    service = lima_service(lima, stage=Stage.EVALUATION)
    before = Service.objects.get(pk=service.pk)
    response = as_user(promoter).post(action_url(service, "evaluation"), payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert unchanged(service, before)


def test_a_visit_with_hours_that_are_not_a_number_is_refused(as_user, consultant, lima):
    service = lima_service(lima, stage=Stage.EXECUTION)
    profile = assign(service, consultant, lima)
    payload = {"consultant": profile.pk, "date": "2026-01-01", "hours": "abc", "notes": "x"}
    response = as_user(consultant).post(action_url(service, "visits"), payload, format="json")
    assert response.status_code == 400
    assert "hours" in response.json()
    assert not service.visits.exists()


# --- Query counts --------------------------------------------------------------------------------


def _services_with_parts(lima, count):
    consultant = ConsultantFactory(centres=[lima])
    for _ in range(count):
        service = lima_service(lima, stage=Stage.PROPOSAL)
        service.consultants.add(consultant)
        BudgetLineFactory(service=service)


def _queries(api, user, url) -> int:
    """Queries of one request, by a fresh copy of the user (roles and centres not yet cached on it)."""
    api.force_authenticate(type(user).objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as queries:
        assert api.get(url).status_code == 200
    return len(queries)


def test_the_service_list_runs_the_same_queries_for_3_and_30_services(api, coordinator, lima):
    _services_with_parts(lima, 3)
    few = _queries(api, coordinator, reverse("service-list"))
    _services_with_parts(lima, 27)
    assert _queries(api, coordinator, reverse("service-list")) == few


def test_a_service_detail_runs_the_same_queries_for_1_and_10_lines(api, coordinator, lima):
    service = lima_service(lima, stage=Stage.ACTION_PLAN)
    BudgetLineFactory(service=service)
    ActivityFactory(service=service)
    IndicatorFactory(service=service)
    few = _queries(api, coordinator, detail_url(service))
    for _ in range(9):
        BudgetLineFactory(service=service)
        ActivityFactory(service=service)
        IndicatorFactory(service=service)
    assert _queries(api, coordinator, detail_url(service)) == few
