"""The technical-economic proposal: improvement plan, budget arithmetic, subsidies and the owner's share."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation

from assistance.models import BudgetLine, FundingLine, ImprovementItem, OwnerDecision, Service, Stage
from assistance.services.proposal import (
    budget_line_add,
    budget_line_delete,
    funding_line_add,
    funding_line_delete,
    improvement_add,
    improvement_delete,
    proposal_approve_price,
    proposal_record_owner_decision,
    service_recompute_totals,
)
from assistance.services.workflow import service_advance
from assistance.tests.factories import BudgetLineFactory, build_service, coordinator_user
from clients.services import diagnosis_create
from clients.tests.factories import CompanyFactory, problem_tree_nodes
from core.exceptions import DomainError
from funds.models import Voucher
from funds.tests.factories import voucher_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def owner_share_stays_the_rest():
    """Whatever a test did or was refused, every service's owner's share is still cost minus funding."""
    yield
    assert_owner_share_is_the_rest()


@pytest.fixture
def build(lima, promoter, coordinator, consultant):
    def make(stage, **kwargs):
        return build_service(
            stage, promoter=promoter, coordinator=coordinator, consultant_user=consultant, centre=lima, **kwargs
        )

    return make


@pytest.fixture
def proposal(build):
    """A service in the proposal stage with an empty budget."""
    return build(Stage.PROPOSAL)


def totals(service) -> tuple[Decimal, Decimal, Decimal]:
    fresh = Service.objects.get(pk=service.pk)
    return fresh.total_cost, fresh.total_funding, fresh.owner_share


def assert_owner_share_is_the_rest():
    """The database constraint service_owner_share_is_the_rest, read back from every row."""
    broken = Service.objects.exclude(owner_share=F("total_cost") - F("total_funding"))
    assert not broken.exists(), list(broken.values("code", "total_cost", "total_funding", "owner_share"))


def add_line(service, kind="fees", quantity="10", unit_cost="40", description="Honorarios"):
    return budget_line_add(
        user=coordinator_user(),
        service=service,
        kind=kind,
        description=description,
        quantity=Decimal(quantity),
        unit_cost=Decimal(unit_cost),
    )


# --- Budget arithmetic ------------------------------------------------------------------------------


def test_fees_materials_and_travel_add_up_and_subsidies_leave_the_owners_share(proposal):
    fees = add_line(proposal, "fees", "10", "40", "Honorarios del consultor")
    assert_owner_share_is_the_rest()
    materials = add_line(proposal, "materials", "2", "125.50", "Termómetro de horno")
    assert_owner_share_is_the_rest()
    travel = add_line(proposal, "travel", "1", "30", "Pasajes")
    assert_owner_share_is_the_rest()

    assert (fees.amount, materials.amount, travel.amount) == (Decimal("400.00"), Decimal("251.00"), Decimal("30.00"))
    assert totals(proposal) == (Decimal("681.00"), Decimal("0.00"), Decimal("681.00"))

    funding_line_add(
        user=coordinator_user(), service=proposal, kind="subsidy", amount=Decimal("200"), description="Proyecto"
    )
    assert_owner_share_is_the_rest()
    voucher_for(proposal.company, "BP-2026-001")
    voucher = funding_line_add(
        user=coordinator_user(), service=proposal, kind="voucher", amount=Decimal("100"), voucher_code="bp-2026-001"
    )
    assert_owner_share_is_the_rest()

    assert voucher.voucher_code == "BP-2026-001"
    assert totals(proposal) == (Decimal("681.00"), Decimal("300.00"), Decimal("381.00"))
    proposal.refresh_from_db()
    assert proposal.budgeted_hours == Decimal("10")


def test_only_consultant_fees_count_as_budgeted_hours(proposal):
    add_line(proposal, "fees", "6", "40")
    add_line(proposal, "fees", "4.5", "45")
    add_line(proposal, "materials", "20", "2")

    proposal.refresh_from_db()
    assert proposal.budgeted_hours == Decimal("10.5")
    assert proposal.total_cost == Decimal("240.00") + Decimal("202.50") + Decimal("40.00")


@pytest.mark.parametrize(
    ("quantity", "unit_cost", "stored_unit_cost", "amount"),
    [
        # The unit cost is rounded to the cent first, then quantity x unit cost, rounded again.
        ("3", "33.333", "33.33", "99.99"),
        ("1", "0.125", "0.13", "0.13"),  # half-up, not half-even (0.12)
        ("2.5", "10.01", "10.01", "25.03"),  # 25.025 -> 25.03 half-up (half-even would give 25.02)
        ("0.5", "0.01", "0.01", "0.01"),  # 0.005 -> 0.01
        # Hours are kept to the hundredth too, half-up, before multiplying: 1.005 h -> 1.01 h.
        ("1.005", "100", "100.00", "101.00"),
    ],
)
def test_amounts_are_rounded_half_up_to_the_cent(proposal, quantity, unit_cost, stored_unit_cost, amount):
    line = add_line(proposal, "materials", quantity, unit_cost)

    line.refresh_from_db()
    assert line.unit_cost == Decimal(stored_unit_cost)
    assert line.amount == Decimal(amount)
    assert line.amount == (line.quantity * line.unit_cost).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    assert totals(proposal) == (Decimal(amount), Decimal("0.00"), Decimal(amount))


def test_recomputing_the_totals_adds_the_lines_in_the_database(proposal):
    BudgetLineFactory(service=proposal, kind="fees", quantity=Decimal("2"), unit_cost=Decimal("50"))
    BudgetLineFactory(service=proposal, kind="travel", quantity=Decimal("1"), unit_cost=Decimal("12.35"))

    service_recompute_totals(proposal)

    assert totals(proposal) == (Decimal("112.35"), Decimal("0.00"), Decimal("112.35"))
    assert_owner_share_is_the_rest()


@pytest.mark.parametrize(
    ("quantity", "unit_cost", "field"),
    [("0", "40", "quantity"), ("0.004", "40", "quantity"), ("-1", "40", "quantity"), ("1", "-0.01", "unit_cost")],
)
def test_a_line_without_quantity_or_with_a_negative_cost_is_refused(proposal, quantity, unit_cost, field):
    with pytest.raises(DomainError) as refusal:
        add_line(proposal, "materials", quantity, unit_cost)

    assert refusal.value.field == field
    assert not proposal.budget_lines.exists()
    assert totals(proposal) == (Decimal("0.00"),) * 3


def test_a_line_without_description_takes_the_name_of_its_kind(proposal):
    assert add_line(proposal, "travel", "1", "10", description="  ").description == "Travel"


# --- Subsidies and vouchers ---------------------------------------------------------------------------


def test_a_voucher_larger_than_what_is_left_to_pay_is_refused(proposal):
    add_line(proposal, "fees", "10", "40")
    funding_line_add(user=coordinator_user(), service=proposal, kind="subsidy", amount=Decimal("300"))
    voucher_for(proposal.company, "BP-1", "500")
    before = totals(proposal)

    with pytest.raises(DomainError) as refusal:
        funding_line_add(
            user=coordinator_user(), service=proposal, kind="voucher", amount=Decimal("100.01"), voucher_code="BP-1"
        )

    assert refusal.value.field == "amount"
    assert totals(proposal) == before
    assert not proposal.funding_lines.filter(kind="voucher").exists()
    assert_owner_share_is_the_rest()


def test_a_voucher_may_pay_exactly_what_is_left_and_the_owner_pays_nothing(proposal):
    add_line(proposal, "fees", "10", "40")
    voucher_for(proposal.company, "BP-1", "400")

    funding_line_add(
        user=coordinator_user(), service=proposal, kind="voucher", amount=Decimal("400"), voucher_code="BP-1"
    )

    assert totals(proposal) == (Decimal("400.00"), Decimal("400.00"), Decimal("0.00"))


def test_a_voucher_code_is_redeemed_only_once_across_services(build):
    first = build(Stage.PROPOSAL)
    second = build(Stage.PROPOSAL, company=first.company)
    for service in (first, second):
        add_line(service, "fees", "10", "40")
    voucher_for(first.company, "BP-2026-7")
    funding_line_add(
        user=coordinator_user(), service=first, kind="voucher", amount=Decimal("100"), voucher_code="BP-2026-7"
    )

    for service, code in ((first, "BP-2026-7"), (second, " bp-2026-7 ")):
        before = totals(service)
        with pytest.raises(DomainError) as refusal:
            funding_line_add(
                user=coordinator_user(), service=service, kind="voucher", amount=Decimal("50"), voucher_code=code
            )
        assert refusal.value.field == "voucher_code"
        assert totals(service) == before

    assert FundingLine.objects.filter(voucher_code="BP-2026-7").count() == 1


def test_a_voucher_is_redeemed_in_funds_for_the_funding_line_that_uses_it(proposal):
    add_line(proposal, "fees", "10", "40")
    voucher_for(proposal.company, "BP-77", "150")

    line = funding_line_add(
        user=coordinator_user(), service=proposal, kind="voucher", amount=Decimal("120"), voucher_code="bp-77"
    )

    voucher = Voucher.objects.get(code="BP-77")
    assert voucher.status == Voucher.Status.REDEEMED
    assert voucher.redeemed_amount == Decimal("120.00")
    assert voucher.redeemed_for == f"assistance.fundingline:{line.pk}"


def test_deleting_a_voucher_line_makes_the_voucher_available_again(proposal):
    from assistance.services.proposal import funding_line_delete

    add_line(proposal, "fees", "10", "40")
    voucher_for(proposal.company, "BP-78", "150")
    line = funding_line_add(
        user=coordinator_user(), service=proposal, kind="voucher", amount=Decimal("100"), voucher_code="BP-78"
    )

    funding_line_delete(user=coordinator_user(), line=line)

    voucher = Voucher.objects.get(code="BP-78")
    assert (voucher.status, voucher.redeemed_for) == (Voucher.Status.AVAILABLE, "")


@pytest.mark.parametrize(
    ("voucher_kwargs", "amount", "why"),
    [
        ({}, "100", "no voucher"),
        ({"valid_until": datetime.date(2025, 12, 31)}, "100", "expired"),
        ({"amount": "80"}, "80.01", "worth"),
        ({"other_company": True}, "100", "belongs"),
    ],
    ids=["unknown", "expired", "over-its-amount", "someone-elses"],
)
def test_a_voucher_that_funds_refuses_adds_no_funding_line(proposal, voucher_kwargs, amount, why):
    add_line(proposal, "fees", "10", "40")
    kwargs = dict(voucher_kwargs)
    if kwargs:
        holder = CompanyFactory(centre=proposal.centre) if kwargs.pop("other_company", False) else proposal.company
        voucher_for(holder, "BP-5", kwargs.pop("amount", "500"), valid_from=datetime.date(2025, 1, 1), **kwargs)
    before = totals(proposal)

    with pytest.raises(DomainError, match=why):
        funding_line_add(
            user=coordinator_user(), service=proposal, kind="voucher", amount=Decimal(amount), voucher_code="BP-5"
        )

    assert totals(proposal) == before
    assert not proposal.funding_lines.exists()


@pytest.mark.parametrize("code", ["", "   ", None])
def test_a_voucher_needs_its_code(proposal, code):
    add_line(proposal)

    with pytest.raises(DomainError) as refusal:
        funding_line_add(
            user=coordinator_user(), service=proposal, kind="voucher", amount=Decimal("50"), voucher_code=code
        )

    assert refusal.value.field == "voucher_code"
    assert not proposal.funding_lines.exists()


def test_subsidies_need_no_code_and_keep_none(proposal):
    add_line(proposal)

    line = funding_line_add(
        user=coordinator_user(), service=proposal, kind="subsidy", amount=Decimal("50"), voucher_code="IGNORED"
    )

    assert line.voucher_code == ""


@pytest.mark.parametrize("amount", ["0", "-5", "0.004"])
def test_funding_must_be_more_than_zero(proposal, amount):
    add_line(proposal)

    with pytest.raises(DomainError) as refusal:
        funding_line_add(user=coordinator_user(), service=proposal, kind="subsidy", amount=Decimal(amount))

    assert refusal.value.field == "amount"
    assert not proposal.funding_lines.exists()


def test_funding_on_an_empty_budget_is_refused(proposal):
    with pytest.raises(DomainError):
        funding_line_add(user=coordinator_user(), service=proposal, kind="subsidy", amount=Decimal("1"))

    assert totals(proposal) == (Decimal("0.00"),) * 3


# --- Deleting lines ---------------------------------------------------------------------------------


def test_deleting_a_cost_that_would_leave_funding_above_the_cost_is_refused_and_rolled_back(proposal):
    fees = add_line(proposal, "fees", "10", "40")
    add_line(proposal, "travel", "1", "30")
    funding_line_add(user=coordinator_user(), service=proposal, kind="subsidy", amount=Decimal("420"))
    before = totals(proposal)
    fees_pk = fees.pk

    with pytest.raises(DomainError) as refusal:
        budget_line_delete(user=coordinator_user(), line=fees)

    assert refusal.value.field == "amount"
    assert BudgetLine.objects.filter(pk=fees_pk).exists()
    assert totals(proposal) == before == (Decimal("430.00"), Decimal("420.00"), Decimal("10.00"))
    assert_owner_share_is_the_rest()


def test_deleting_lines_recomputes_the_totals(proposal):
    fees = add_line(proposal, "fees", "10", "40")
    travel = add_line(proposal, "travel", "1", "30")
    subsidy = funding_line_add(user=coordinator_user(), service=proposal, kind="subsidy", amount=Decimal("100"))

    budget_line_delete(user=coordinator_user(), line=travel)
    assert totals(proposal) == (Decimal("400.00"), Decimal("100.00"), Decimal("300.00"))
    funding_line_delete(user=coordinator_user(), line=subsidy)
    assert totals(proposal) == (Decimal("400.00"), Decimal("0.00"), Decimal("400.00"))
    budget_line_delete(user=coordinator_user(), line=fees)
    assert totals(proposal) == (Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))
    proposal.refresh_from_db()
    assert proposal.budgeted_hours == Decimal("0")
    assert_owner_share_is_the_rest()


# --- A changed budget needs agreeing again ------------------------------------------------------------


def _agreed(build, coordinator):
    service = build(Stage.PROPOSAL, ready=True)
    subsidy = funding_line_add(user=coordinator_user(), service=service, kind="subsidy", amount=Decimal("50"))
    proposal_record_owner_decision(user=coordinator_user(), service=service, accepted=True)
    proposal_approve_price(user=coordinator, service=service)
    service.refresh_from_db()
    assert service.owner_decision == OwnerDecision.ACCEPTED
    assert service.price_approved_at is not None
    return service, subsidy


@pytest.mark.parametrize("change", ["add cost", "delete cost", "add funding", "delete funding"])
def test_changing_the_budget_resets_the_owners_decision_and_the_price_approval(build, coordinator, change):
    service, subsidy = _agreed(build, coordinator)
    if change == "add cost":
        add_line(service, "materials", "1", "20")
    elif change == "delete cost":
        add_line(service, "materials", "1", "20")
        proposal_record_owner_decision(user=coordinator_user(), service=service, accepted=True)
        proposal_approve_price(user=coordinator, service=service)
        budget_line_delete(user=coordinator_user(), line=service.budget_lines.get(kind="materials"))
    elif change == "add funding":
        funding_line_add(user=coordinator_user(), service=service, kind="cofinancing", amount=Decimal("10"))
    else:
        funding_line_delete(user=coordinator_user(), line=subsidy)

    service.refresh_from_db()
    assert service.owner_decision == OwnerDecision.PENDING
    assert service.owner_decision_on is None
    assert service.price_approved_by is None
    assert service.price_approved_at is None
    with pytest.raises(DomainError, match="owner has not accepted"):
        service_advance(user=coordinator, service=service, to_stage=Stage.ACTION_PLAN)


def test_a_refused_budget_change_keeps_the_agreement(build, coordinator):
    service, _subsidy = _agreed(build, coordinator)

    with pytest.raises(DomainError):
        funding_line_add(user=coordinator_user(), service=service, kind="subsidy", amount=Decimal("100000"))

    service.refresh_from_db()
    assert service.owner_decision == OwnerDecision.ACCEPTED
    assert service.price_approved_by == coordinator


@pytest.mark.parametrize("stage", [Stage.PROMOTION, Stage.DIAGNOSIS, Stage.ACTION_PLAN, Stage.EXECUTION])
def test_the_budget_cannot_change_outside_the_proposal_stage(build, stage):
    service = build(stage)
    lines_before = list(BudgetLine.objects.filter(service=service).values_list("pk", flat=True))
    before = totals(service)

    with pytest.raises(DomainError, match="only be done while the service is in"):
        add_line(service, "materials", "1", "20")
    with pytest.raises(DomainError, match="only be done while the service is in"):
        funding_line_add(user=coordinator_user(), service=service, kind="subsidy", amount=Decimal("1"))
    if lines_before:
        with pytest.raises(DomainError, match="only be done while the service is in"):
            budget_line_delete(user=coordinator_user(), line=BudgetLine.objects.get(pk=lines_before[0]))

    assert list(BudgetLine.objects.filter(service=service).values_list("pk", flat=True)) == lines_before
    assert not service.funding_lines.exists()
    assert totals(service) == before


def test_funding_cannot_be_removed_once_the_proposal_is_over(build, coordinator):
    service, subsidy = _agreed(build, coordinator)
    service_advance(user=coordinator, service=service, to_stage=Stage.ACTION_PLAN)

    with pytest.raises(DomainError):
        funding_line_delete(user=coordinator_user(), line=subsidy)

    assert FundingLine.objects.filter(pk=subsidy.pk).exists()
    assert totals(service) == (Decimal("400.00"), Decimal("50.00"), Decimal("350.00"))


def test_the_database_refuses_an_owners_share_that_is_not_the_rest(proposal):
    add_line(proposal)

    with pytest.raises(IntegrityError), transaction.atomic():
        Service.objects.filter(pk=proposal.pk).update(owner_share=Decimal("1.00"))


# --- Owner's decision and price approval ----------------------------------------------------------------


def test_the_owner_cannot_accept_a_proposal_without_a_budget(proposal):
    with pytest.raises(DomainError, match="no budget yet"):
        proposal_record_owner_decision(user=coordinator_user(), service=proposal, accepted=True)

    proposal.refresh_from_db()
    assert proposal.owner_decision == OwnerDecision.PENDING


def test_the_owner_may_reject_and_the_date_is_kept(proposal):
    add_line(proposal)
    day = timezone.localdate() - datetime.timedelta(days=2)

    proposal_record_owner_decision(user=coordinator_user(), service=proposal, accepted=False, on=day)

    proposal.refresh_from_db()
    assert (proposal.owner_decision, proposal.owner_decision_on) == (OwnerDecision.REJECTED, day)


def test_the_owners_decision_cannot_be_dated_in_the_future(proposal):
    add_line(proposal)

    with pytest.raises(DomainError, match="cannot be in the future"):
        proposal_record_owner_decision(
            user=coordinator_user(),
            service=proposal,
            accepted=True,
            on=timezone.localdate() + datetime.timedelta(days=1),
        )

    proposal.refresh_from_db()
    assert proposal.owner_decision == OwnerDecision.PENDING


def test_the_price_is_approved_only_with_a_budget_and_records_who_and_when(proposal, coordinator):
    with pytest.raises(DomainError, match="no budget yet"):
        proposal_approve_price(user=coordinator, service=proposal)
    proposal.refresh_from_db()
    assert proposal.price_approved_at is None

    add_line(proposal)
    proposal_approve_price(user=coordinator, service=proposal)

    proposal.refresh_from_db()
    assert proposal.price_approved_by == coordinator
    assert timezone.now() - proposal.price_approved_at < datetime.timedelta(minutes=1)


# --- Improvement plan ---------------------------------------------------------------------------------


def test_an_improvement_from_a_problem_of_the_tree_takes_its_text(proposal):
    cause = proposal.addressed_nodes.get()

    item = improvement_add(
        user=coordinator_user(),
        service=proposal,
        node=cause,
        improvement="Mantenimiento",
        expected_result="Menos merma",
    )
    second = improvement_add(
        user=coordinator_user(),
        service=proposal,
        problem="Ventas bajas",
        improvement="Catálogo",
        expected_result="Más pedidos",
    )

    assert item.problem == cause.text
    assert item.problem_node == cause
    assert (item.position, second.position) == (0, 1)


def test_an_improvement_cannot_point_to_a_problem_of_another_diagnosis(proposal, promoter, lima):
    other = diagnosis_create(user=promoter, company=CompanyFactory(centre=lima), fields={})
    _central, foreign, _effect = problem_tree_nodes(other)

    with pytest.raises(DomainError) as refusal:
        improvement_add(user=coordinator_user(), service=proposal, node=foreign, improvement="X", expected_result="Y")

    assert refusal.value.field == "problem_node"
    assert not proposal.improvements.exists()


@pytest.mark.parametrize(
    ("problem", "improvement", "expected"), [("", "Mejora", "Resultado"), ("P", " ", "R"), ("P", "M", "")]
)
def test_an_improvement_needs_problem_improvement_and_expected_result(proposal, problem, improvement, expected):
    with pytest.raises(DomainError):
        improvement_add(
            user=coordinator_user(),
            service=proposal,
            problem=problem,
            improvement=improvement,
            expected_result=expected,
        )

    assert not proposal.improvements.exists()


def test_the_improvement_plan_is_fixed_once_the_proposal_is_over(build):
    service = build(Stage.ACTION_PLAN)
    item = service.improvements.get()

    with pytest.raises(DomainError):
        improvement_add(user=coordinator_user(), service=service, problem="P", improvement="M", expected_result="R")
    with pytest.raises(DomainError):
        improvement_delete(user=coordinator_user(), item=item)

    assert list(ImprovementItem.objects.filter(service=service)) == [item]


def test_an_unknown_kind_of_cost_or_funding_is_refused_and_totals_stay(lima, coordinator):
    from assistance.services.proposal import budget_line_add, funding_line_add
    from assistance.tests.factories import ServiceFactory
    from clients.tests.factories import CompanyFactory as _CompanyFactory

    service = ServiceFactory(company=_CompanyFactory(centre=lima), stage="proposal")
    with pytest.raises(DomainError) as refused:
        budget_line_add(
            user=coordinator_user(), service=service, kind="bribes", description="x", quantity=1, unit_cost=10
        )
    assert refused.value.field == "kind"
    with pytest.raises(DomainError):
        funding_line_add(user=coordinator_user(), service=service, kind="gift", amount=1)
    service.refresh_from_db()
    assert service.total_cost == 0 and not service.budget_lines.exists()


def test_a_fees_line_without_unit_cost_uses_the_hourly_fee_of_the_services_consultant(proposal, lima):
    from consultants.tests.factories import ConsultantFactory

    proposal.consultants.add(ConsultantFactory(centres=[lima], hourly_fee=Decimal("55.50")))

    line = budget_line_add(
        user=coordinator_user(), service=proposal, kind="fees", description="", quantity=Decimal("8")
    )

    assert (line.unit_cost, line.amount) == (Decimal("55.50"), Decimal("444.00"))
    # Editable: a fee typed by hand wins.
    typed = budget_line_add(
        user=coordinator_user(), service=proposal, kind="fees", description="", quantity=1, unit_cost=Decimal("60")
    )
    assert typed.amount == Decimal("60.00")


def test_a_fees_line_without_unit_cost_and_without_consultant_is_refused(proposal):
    with pytest.raises(DomainError) as refusal:
        budget_line_add(user=coordinator_user(), service=proposal, kind="fees", description="", quantity=Decimal("8"))
    assert refusal.value.field == "unit_cost"
    assert not proposal.budget_lines.exists()


def test_cancelling_a_service_releases_its_voucher_for_another_service_and_logs_it(build, coordinator):
    from assistance.services.workflow import service_cancel, service_reopen

    first = build(Stage.PROPOSAL)
    second, third = build(Stage.PROPOSAL, company=first.company), build(Stage.PROPOSAL, company=first.company)
    for service in (first, second, third):
        add_line(service, "fees", "10", "40")
    voucher_for(first.company, "BP-9", "100")
    funding_line_add(user=coordinator, service=first, kind="voucher", amount=Decimal("100"), voucher_code="BP-9")

    service_cancel(user=coordinator, service=first, reason="El dueño desistió")

    assert "BP-9" in first.changes.last().note
    second_line = funding_line_add(
        user=coordinator, service=second, kind="voucher", amount=Decimal("100"), voucher_code="bp-9"
    )
    assert second_line.voucher_released_at is None
    # Held again by the second service: a third cannot take it, and the first cannot be reopened with it.
    with pytest.raises(DomainError):
        funding_line_add(user=coordinator, service=third, kind="voucher", amount=Decimal("100"), voucher_code="BP-9")
    with pytest.raises(DomainError, match="BP-9"):
        service_reopen(user=coordinator, service=first, to_stage=Stage.PROPOSAL, reason="Volvió")
    first.refresh_from_db()
    assert first.stage == Stage.CANCELLED


def test_reopening_a_cancelled_service_takes_back_its_voucher_when_still_free(build, coordinator):
    from assistance.services.workflow import service_cancel, service_reopen

    service = build(Stage.PROPOSAL)
    add_line(service, "fees", "10", "40")
    voucher_for(service.company, "B1", "100")
    line = funding_line_add(user=coordinator, service=service, kind="voucher", amount=Decimal("100"), voucher_code="B1")
    service_cancel(user=coordinator, service=service, reason="Viaje")

    service_reopen(user=coordinator, service=service, to_stage=Stage.PROPOSAL, reason="Regresó")

    line.refresh_from_db()
    assert line.voucher_released_at is None
