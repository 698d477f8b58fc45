"""From the call to the winners and their purchases, through the services; the seed's cacao case as demo data."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import translation

from core.exceptions import DomainError, NotAllowed
from funds import demo, selectors, services
from funds.models import BusinessPlan, Contest, Purchase
from funds.procurement import purchase_state
from funds.tests.factories import aeo_with, chain, contest_in

pytestmark = pytest.mark.django_db

D = datetime.date
M = Decimal


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def plan_in(contest, user, *, title="Plan", public="100000", money="20000", in_kind="30000", members=12, jobs=(5, 10)):
    aeo = aeo_with(members, centre=contest.centre)
    plan = services.plan_create(
        user=user, contest=contest, aeo=aeo, chain=chain("Cacao"), category=contest.categories.get(code="A"),
        title=title, direct_jobs=jobs[0], indirect_jobs=jobs[1],
    )  # fmt: skip
    for source, amount in (("public", public), ("money", money), ("in_kind", in_kind)):
        if M(amount):
            services.investment_line_add(
                user=user, plan=plan, kind="goods", description=f"{source} line", quantity=M("2"),
                unit_price=M(amount) / 2, source=source,
            )  # fmt: skip
    return plan


def test_the_investment_lines_make_the_co_financing_and_the_counterpart(lima, promoter):
    contest = contest_in(lima)
    plan = plan_in(contest, promoter, public="100000", money="20000", in_kind="30000")

    plan.refresh_from_db()
    assert (plan.public_amount, plan.counterpart_money, plan.counterpart_in_kind, plan.total_investment) == (
        M("100000.00"), M("20000.00"), M("30000.00"), M("150000.00"),
    )  # fmt: skip


def test_submitting_records_eligibility_and_closes_editing(lima, promoter):
    contest = contest_in(lima)
    good = plan_in(contest, promoter, title="Good")
    poor = plan_in(contest, promoter, title="Poor", money="4000", in_kind="30000", public="66000")

    good = services.plan_submit(user=promoter, plan=good, on=D(2026, 6, 1))
    poor = services.plan_submit(user=promoter, plan=poor, on=D(2026, 6, 1))

    assert (good.status, good.is_eligible, good.eligibility_problems) == ("submitted", True, "")
    assert poor.is_eligible is False
    assert "monetary counterpart is 4 %; category A requires at least 5 %" in poor.eligibility_problems
    with pytest.raises(DomainError, match="can no longer be changed"):
        services.investment_line_add(
            user=promoter, plan=good, kind="goods", description="x", quantity=M(1), unit_price=M(1), source="public"
        )
    with pytest.raises(DomainError, match="can no longer be changed"):
        services.plan_update(user=promoter, plan=good, title="Changed")


def test_a_plan_is_not_submitted_after_the_deadline_or_to_a_contest_not_open(lima, promoter, coordinator):
    contest = contest_in(lima)
    plan = plan_in(contest, promoter)
    with pytest.raises(DomainError, match="no longer receives"):
        services.plan_submit(user=promoter, plan=plan, on=D(2027, 1, 1))
    services.contest_close_submissions(user=coordinator, contest=contest)
    with pytest.raises(DomainError, match="no longer receives"):
        services.plan_submit(user=promoter, plan=plan, on=D(2026, 6, 1))


def _evaluated(lima, coordinator, promoter, consultant, budget, asks):
    """A contest whose committee is the coordinator and the consultant, with plans scored as given."""
    contest = contest_in(lima, committee=[coordinator, consultant], budget=budget)
    plans = []
    for i, (public, score) in enumerate(asks):
        plan = plan_in(contest, promoter, title=f"Plan {i}", public=public, money=str(M(public) / 5), in_kind="20000")
        plans.append((services.plan_submit(user=promoter, plan=plan, on=D(2026, 6, 1)), score))
    services.contest_close_submissions(user=coordinator, contest=contest)
    for plan, score in plans:
        for criterion in contest.criteria.all():
            for member in (coordinator, consultant):
                services.score_record(user=member, plan=plan, criterion=criterion, score=M(score))
    return contest, [p for p, _s in plans]


def test_only_committee_members_score_and_only_eligible_plans_in_evaluation(lima, coordinator, promoter, consultant):
    contest, (plan,) = _evaluated(lima, coordinator, promoter, consultant, "500000", [("100000", 70)])
    criterion = contest.criteria.first()
    with pytest.raises(NotAllowed):
        services.score_record(user=promoter, plan=plan, criterion=criterion, score=M(90))


def test_the_weighted_score_averages_the_members_and_weighs_the_criteria(lima, coordinator, promoter, consultant):
    contest, (plan,) = _evaluated(lima, coordinator, promoter, consultant, "500000", [("100000", 70)])
    first, *_rest = contest.criteria.all()  # weight 30
    services.score_record(user=coordinator, plan=plan, criterion=first, score=M(100))  # average 85 on it

    plan.refresh_from_db()
    assert plan.weighted_score == M("74.50")  # 70 + (85 - 70) * 30 %


def test_winners_are_the_best_scored_plans_that_fit_in_the_budget(lima, coordinator, promoter, consultant):
    asks = [("150000", 90), ("150000", 80), ("100000", 70), ("90000", 60)]
    contest, plans = _evaluated(lima, coordinator, promoter, consultant, "350000", asks)

    winners = services.winners_choose(user=coordinator, contest=contest, resolution_number="R-1")

    # 150 + 150 = 300; the third (100) does not fit in the 50 left, the fourth (90) neither.
    assert [w.title for w in winners] == ["Plan 0", "Plan 1"]
    statuses = dict(BusinessPlan.objects.filter(contest=contest).values_list("title", "status"))
    assert statuses == {"Plan 0": "winner", "Plan 1": "winner", "Plan 2": "not_selected", "Plan 3": "not_selected"}
    assert [p.rank for p in selectors.ranking(contest)] == [1, 2, 3, 4]
    contest.refresh_from_db()
    assert contest.status == Contest.Status.RESOLVED


def test_winners_wait_for_every_eligible_plan_to_be_scored(lima, coordinator, promoter):
    contest = contest_in(lima, committee=[coordinator])
    services.plan_submit(user=promoter, plan=plan_in(contest, promoter, title="Unscored"), on=D(2026, 6, 1))
    services.contest_close_submissions(user=coordinator, contest=contest)
    with pytest.raises(DomainError, match="Unscored"):
        services.winners_choose(user=coordinator, contest=contest)


def test_the_results_totals_equal_an_independent_sum(lima, coordinator, promoter, consultant):
    asks = [("150000", 90), ("120000", 85), ("100000", 70), ("90000", 60)]
    contest, plans = _evaluated(lima, coordinator, promoter, consultant, "400000", asks)
    services.winners_choose(user=coordinator, contest=contest)

    rows, totals = selectors.results(BusinessPlan.objects.filter(contest=contest))

    winners = [p for p in BusinessPlan.objects.filter(contest=contest) if p.status == "winner"]
    assert len(winners) == 3
    assert totals["plans"] == len(winners) == sum(r["plans"] for r in rows)
    assert totals["public"] == sum(p.public_amount for p in winners) == M("370000.00")
    assert totals["counterpart"] == sum(p.counterpart_money + p.counterpart_in_kind for p in winners)
    assert totals["total"] == sum(p.total_investment for p in winners)
    assert totals["total"] == totals["public"] + totals["counterpart"]
    assert totals["direct_jobs"] == sum(p.direct_jobs for p in winners)
    assert totals["indirect_jobs"] == sum(p.indirect_jobs for p in winners)
    assert [(r["chain_name"], r["province"]) for r in rows] == [("Cacao", "La Convención")]


# --- Procurement -----------------------------------------------------------------------------------


# The purchase fixture is in conftest.py: the reminders' tests use it too.


def test_a_purchase_goes_call_void_call_award_delivery(purchase, coordinator):
    record = lambda kind, on, **kw: services.purchase_step_record(  # noqa: E731
        user=coordinator, purchase=purchase, kind=kind, date=on, **kw
    )
    with pytest.raises(DomainError, match="cannot follow"):
        record("award", D(2026, 2, 1))
    record("call", D(2026, 2, 1))
    record("void", D(2026, 2, 20))
    with pytest.raises(DomainError, match="cannot follow"):
        record("award", D(2026, 2, 21))
    record("call", D(2026, 3, 1))
    record("award", D(2026, 3, 20))
    with pytest.raises(DomainError, match="how many days"):
        record("extension", D(2026, 3, 25))
    record("extension", D(2026, 3, 25), days=10)
    with pytest.raises(DomainError, match="before the last"):
        record("delivery", D(2026, 3, 24))
    record("delivery", D(2026, 4, 10))

    purchase.refresh_from_db()
    assert (purchase.stage, purchase.delivered_on) == (Purchase.Stage.DELIVERED, D(2026, 4, 10))
    assert purchase_state(purchase, D(2030, 1, 1)).elapsed_days == 95  # to the delivery, not to today
    assert purchase_state(purchase, D(2030, 1, 1)).flag == ""


def test_an_annulment_sends_the_purchase_back_to_a_new_round(purchase, coordinator):
    for kind, on in (("call", D(2026, 2, 1)), ("award", D(2026, 3, 1)), ("annulment", D(2026, 4, 1))):
        services.purchase_step_record(user=coordinator, purchase=purchase, kind=kind, date=on)
    purchase.refresh_from_db()
    assert purchase.stage == Purchase.Stage.REQUIREMENT
    step = services.purchase_step_record(user=coordinator, purchase=purchase, kind="call", date=D(2026, 5, 1))
    assert step.round == 2


@pytest.mark.parametrize(
    ("today", "flag"),
    [(D(2026, 3, 20), ""), (D(2026, 3, 21), "at_risk"), (D(2026, 4, 15), "at_risk"), (D(2026, 4, 16), "late"),
     (D(2028, 1, 5), "late"), (D(2028, 1, 6), "over_limit")],
)  # fmt: skip
def test_a_purchase_is_at_risk_from_75_percent_of_its_days_late_after_them_and_over_after_two_years(
    purchase, today, flag
):
    # 100 planned days from 5 Jan 2026: at risk from day 75 (21 Mar), late from day 101 (16 Apr),
    # over the two-year limit from day 731.
    assert purchase_state(purchase, today).flag == flag


def test_the_seeds_cacao_purchase_takes_515_days_and_is_late(lima, coordinator, administrator):
    coordinator.username = "coordinador"
    coordinator.save()
    administrator.username = "admin"
    administrator.save()
    out = io.StringIO()

    demo.seed({}, out)
    demo.seed({}, out)  # idempotent

    assert Contest.objects.filter(name=demo.CONTEST).count() == 1
    purchase = Purchase.objects.get()
    assert purchase.plan.status == BusinessPlan.Status.WINNER
    assert purchase.plan.total_investment == M("365000.00") and purchase.plan.public_amount == M("180000.00")
    state = purchase_state(purchase, D(2026, 12, 4))
    assert (state.elapsed_days, state.planned_days, state.flag) == (515, 120, "late")
    assert purchase.steps.filter(kind="void").count() == 4
    assert purchase.stage == Purchase.Stage.CALL
    watched = selectors.purchases_to_watch(user=coordinator, today=D(2026, 12, 4))
    assert [(p.pk, s.flag) for p, s in watched] == [(purchase.pk, "late")]
