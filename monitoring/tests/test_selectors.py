"""Every dashboard number against the same figure computed here, in Python, from the records themselves."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assistance.models import OPEN_STAGES, Stage
from core import selectors as core_selectors
from core.money import ZERO, to_money
from core.tests.factories import UserFactory
from credit import arrears
from credit.models import Loan
from credit.selectors import loans_for_portfolio
from monitoring import selectors
from monitoring.tests.factories import PERIOD, build_world

pytestmark = pytest.mark.django_db

FROM, TO = PERIOD


@pytest.fixture
def world(lima, huancayo):
    return build_world(lima, huancayo, UserFactory(username="builder"))


def _in_period(day) -> bool:
    return FROM <= day <= TO


def _served(world, centre_ids):
    """(service, centre id) -> (companies, protoempresas): sets of ids, computed from the objects."""
    out = {}

    def add(service, centre_id, company_id, person_id):
        if centre_id not in centre_ids:
            return
        companies, protos = out.setdefault((service, centre_id), (set(), set()))
        if company_id is not None:
            companies.add(company_id)
        else:
            protos.add(person_id)

    offerings = {o.pk: o for o in world["offerings"]}
    for e in world["enrolments"]:
        offering = offerings[e.offering_id]
        if e.status == "enrolled" and offering.status != "cancelled" and _in_period(offering.starts_on):
            add("training", e.centre_id, e.company_id, e.entrepreneur_id)
    for s in world["services"]:
        if s.stage != Stage.CANCELLED and _in_period(timezone.localdate(s.created_at)):
            add("assistance", s.centre_id, s.company_id, None)
    for loan in world["loans"]:
        if loan.disbursed_on and _in_period(loan.disbursed_on):
            add("credit", loan.centre_id, loan.company_id, loan.entrepreneur_id)
    return out


def _union(served, position, centre_id=None):
    found = set()
    for (_service, centre), sets in served.items():
        if centre_id is None or centre == centre_id:
            found |= sets[position]
    return len(found)


def test_cuadro2_counts_each_company_once_per_service_and_once_in_the_totals(world, national_manager, lima, huancayo):
    served = _served(world, {lima.pk, huancayo.pk})
    table = selectors.cuadro2(national_manager, FROM, TO)
    for row in table["rows"]:
        companies, protos = served.get((row["service"], row["centre_id"]), (set(), set()))
        assert (row["companies"], row["protoempresas"]) == (len(companies), len(protos)), row
    for row in table["by_centre"]:
        assert row["companies"] == _union(served, 0, row["centre_id"])
        assert row["protoempresas"] == _union(served, 1, row["centre_id"])
    assert table["totals"] == {"companies": _union(served, 0), "protoempresas": _union(served, 1)}
    # The data set has companies served by more than one service: the total is less than the sum.
    assert table["totals"]["companies"] < sum(r["companies"] for r in table["rows"])
    assert table["totals"]["companies"] > 0 and table["totals"]["protoempresas"] > 0


def test_a_lima_coordinator_sees_only_lima_and_the_national_manager_both_and_the_total(
    world, coordinator, national_manager, lima, huancayo
):
    own = selectors.cuadro2(coordinator, FROM, TO)
    assert {r["centre"] for r in own["rows"]} == {lima.name}
    served_lima = _served(world, {lima.pk})
    assert own["totals"]["companies"] == _union(served_lima, 0)
    every = selectors.cuadro2(national_manager, FROM, TO)
    assert {r["centre"] for r in every["rows"]} == {lima.name, huancayo.name}
    assert every["totals"]["companies"] > own["totals"]["companies"]
    chosen = selectors.cuadro2(national_manager, FROM, TO, centre=huancayo)
    assert {r["centre"] for r in chosen["rows"]} == {huancayo.name}
    assert chosen["totals"]["companies"] == _union(_served(world, {huancayo.pk}), 0)
    # Every panel of the coordinator's dashboard reads Lima's records only.
    assert selectors.credit(coordinator, FROM, TO)["loans"] == _portfolio_count(world, {lima.pk})
    assert {g["label"] for g in selectors.credit(coordinator, FROM, TO)["by_operator"]} <= {
        o.name for o in world["operators"] if o.centre_id == lima.pk
    }


def _portfolio_count(world, centre_ids) -> int:
    loans = loans_for_portfolio(Loan.objects.filter(centre_id__in=centre_ids))
    return len(arrears.portfolio(loans, TO).active)


def test_pipeline_counts_stages_ages_late_services_and_evaluations(world, national_manager):
    now = timezone.now()
    today = timezone.localdate(now)
    panel = selectors.pipeline(national_manager, FROM, TO, now=now)
    by_stage = {s["stage"]: s for s in panel["stages"]}
    limits = {"promotion": 30, "diagnosis": 30, "proposal": 30, "action_plan": 21, "execution": 90}
    for stage in [*OPEN_STAGES, Stage.CLOSED, Stage.CANCELLED]:
        rows = [s for s in world["services"] if s.stage == stage]
        opened = [s for s in rows if _in_period(timezone.localdate(s.created_at))]
        assert by_stage[stage]["opened"] == len(opened), stage
        if stage not in OPEN_STAGES:
            continue
        assert by_stage[stage]["now"] == len(rows)
        days = [(now - s.stage_changed_at).days for s in rows]
        assert by_stage[stage]["ages"] == [
            sum(1 for d in days if 0 <= d <= 30),
            sum(1 for d in days if 31 <= d <= 60),
            sum(1 for d in days if 61 <= d <= 90),
            sum(1 for d in days if d >= 91),
        ], stage
        late = [
            s for s in rows if stage in limits and now - s.stage_changed_at > datetime.timedelta(days=limits[stage])
        ]
        assert by_stage[stage]["late"] == len(late), stage
    evaluating = [s for s in world["services"] if s.stage == Stage.EVALUATION]
    overdue = [s for s in evaluating if (today - s.execution_ended_on).days > 60]
    due = [s for s in evaluating if 30 <= (today - s.execution_ended_on).days <= 60]
    assert (panel["evaluations_due"], panel["evaluations_overdue"]) == (len(due), len(overdue))
    assert panel["open_now"] == sum(1 for s in world["services"] if s.stage in OPEN_STAGES)


def test_impact_compares_indicators_with_their_targets_and_reads_satisfaction_and_registrations(
    world, national_manager
):
    panel = selectors.impact(national_manager, FROM, TO)
    evaluated = {e.service_id: e for e in world["evaluations"] if _in_period(e.date)}
    assert panel["services_evaluated"] == len(evaluated)
    expected_satisfaction = sum(e.satisfaction * 100 / 5 for e in evaluated.values()) / len(evaluated)
    assert panel["satisfaction_pct"] == round(expected_satisfaction, 1)
    indicators = [i for i in world["indicators"] if i.service_id in evaluated]
    measured = [i for i in indicators if i.measured_value is not None]
    met = [i for i in measured if i.target_reached]
    assert (panel["indicators"], panel["indicators_measured"], panel["indicators_met"]) == (
        len(indicators),
        len(measured),
        len(met),
    )
    assert 0 < len(met) < len(measured)
    companies = {c.pk: c for c in world["companies"]}
    opened: dict[int, datetime.date] = {}
    for s in world["services"]:
        day = timezone.localdate(s.created_at)
        if s.stage != Stage.CANCELLED and _in_period(day):
            opened.setdefault(s.company_id, []).append(day)
    sanitary = {
        pk
        for pk, days in opened.items()
        if companies[pk].sanitary_registration_date and any(companies[pk].sanitary_registration_date >= d for d in days)
    }
    brand = {
        pk
        for pk, days in opened.items()
        if companies[pk].brand_registration_date and any(companies[pk].brand_registration_date >= d for d in days)
    }
    assert panel["companies_served"] == len(opened)
    assert (panel["sanitary_after"], panel["brand_after"]) == (len(sanitary), len(brand))


def test_training_counts_participants_owners_completion_gain_and_follow_ups(world, national_manager):
    panel = selectors.training(national_manager, FROM, TO)
    offerings = [o for o in world["offerings"] if _in_period(o.starts_on)]
    assert panel["offerings"] == sum(1 for o in offerings if o.status != "cancelled")
    assert panel["cancelled"] == sum(1 for o in offerings if o.status == "cancelled")
    live = {o.pk for o in offerings if o.status != "cancelled"}
    people = [e for e in world["enrolments"] if e.offering_id in live and e.status == "enrolled"]
    assert panel["participants"] == len(people)
    assert panel["owners"] == sum(1 for e in people if e.company_id)
    assert panel["emprendedores"] == sum(1 for e in people if not e.company_id)
    assert panel["completed"] == sum(1 for e in people if e.completed is True)
    assert panel["decided"] == sum(1 for e in people if e.completed is not None)
    gains = [float(e.exit_score - e.entry_score) for e in people if e.entry_score is not None and e.exit_score]
    assert panel["average_gain"] == round(sum(gains) / len(gains), 1)
    followups = [f for f in world["followups"] if f.enrolment in people]
    assert panel["followups"] == len(followups)
    assert panel["followups_done"] == sum(1 for f in followups if f.date)
    assert panel["applied"] == sum(1 for f in followups if f.result == "applied")


def test_consultations_by_topic_and_channel_with_their_conversions(world, national_manager):
    panel = selectors.consultations(national_manager, FROM, TO)
    rows = [c for c in world["consultations"] if _in_period(timezone.localdate(c.started_at))]

    def converted(c):
        need = c.need
        return bool(
            c.referral
            and need
            and need.status == "answered"
            and need.answered_at <= c.ended_at + datetime.timedelta(days=90)
        )

    assert panel["total"] == len(rows)
    assert panel["referred"] == sum(1 for c in rows if c.referral)
    assert panel["converted"] == sum(1 for c in rows if converted(c))
    assert 0 < panel["converted"] < panel["referred"]
    for group in panel["by_channel"]:
        mine = [c for c in rows if c.channel == group["key"]]
        assert (group["total"], group["referred"], group["converted"]) == (
            len(mine),
            sum(1 for c in mine if c.referral),
            sum(1 for c in mine if converted(c)),
        )
    for group in panel["by_topic"]:
        mine = [c for c in rows if c.topic_id == group["key"]]
        assert group["total"] == len(mine)
    assert sum(g["total"] for g in panel["by_topic"]) == len(rows)


def test_credit_portfolio_par_and_the_cross_service_view_match_the_credit_apps_own_reckoning(
    world, national_manager, lima, huancayo
):
    panel = selectors.credit(national_manager, FROM, TO)
    portfolio = arrears.portfolio(loans_for_portfolio(Loan.objects.all()), TO)
    assert panel["loans"] == len(portfolio.active)
    assert panel["outstanding"] == portfolio.outstanding
    assert panel["at_risk"] == portfolio.at_risk(30)
    assert panel["par"] == portfolio.par(30)
    assert ZERO < panel["at_risk"] < panel["outstanding"]
    for group in panel["by_operator"]:
        part = arrears.Portfolio(TO, [s for s in portfolio.active if s.loan.operator_id == group["key"]])
        assert (group["loans"], group["outstanding"], group["par"]) == (
            len(part.active),
            part.outstanding,
            part.par(30),
        )
    served_companies = {s.company_id for s in world["services"] if s.stage != Stage.CANCELLED}
    trained = {e.entrepreneur_id for e in world["enrolments"] if e.status == "enrolled"}
    both = [s for s in portfolio.active if s.loan.company_id in served_companies or s.loan.entrepreneur_id in trained]
    by_flag = {g["key"]: g for g in panel["by_other_service"]}
    assert by_flag[True]["outstanding"] == sum((s.outstanding_principal for s in both), ZERO)
    assert by_flag[True]["loans"] + by_flag[False]["loans"] == len(portfolio.active)
    disbursed = [loan for loan in world["loans"] if loan.disbursed_on and _in_period(loan.disbursed_on)]
    assert panel["disbursed_loans"] == len(disbursed)
    assert panel["disbursed_amount"] == sum((loan.amount for loan in disbursed), ZERO)


def test_the_profile_describes_the_owners_and_companies_served(world, national_manager, lima, huancayo):
    panel = selectors.profile(national_manager, FROM, TO)
    served = _served(world, {lima.pk, huancayo.pk})
    company_ids = set().union(*(sets[0] for sets in served.values()))
    proto_ids = set().union(*(sets[1] for sets in served.values()))
    companies = [c for c in world["companies"] if c.pk in company_ids]
    assert panel["companies"] == len(companies)
    assert panel["workers"]["women"] == sum(c.permanent_women + c.temporary_women for c in companies)
    assert panel["stability"]["temporary"] == sum(c.temporary_men + c.temporary_women for c in companies)
    assert panel["years_in_business"]["old"] == sum(1 for c in companies if c.start_year and c.start_year < 2014)
    people = [p for p in world["owners"] if p.relationship == "owner" and p.company_id in company_ids]
    people += [p for p in world["owners"] + world["protos"] if p.pk in proto_ids and p not in people]
    assert panel["people"]["people"] == len(people)
    assert panel["people"]["women"] == sum(1 for p in people if p.gender == "F")
    assert panel["people"]["from_30_to_40"] == sum(1 for p in people if p.birth_year and 1984 <= p.birth_year <= 1994)
    assert panel["people"]["education_higher"] == sum(1 for p in people if p.education in ("higher", "higher_inc"))
    for zone in panel["registrations"]:
        mine = [c for c in companies if c.centre_id == zone["centre_id"]]
        assert (zone["companies"], zone["sanitary"], zone["brand"]) == (
            len(mine),
            sum(1 for c in mine if c.sanitary_registration_number),
            sum(1 for c in mine if c.brand_registration_number),
        )


def test_economics_sums_owners_shares_subsidies_fees_and_the_funds_income(world, national_manager):
    panel = selectors.economics(national_manager, FROM, TO)
    rows = {r["service"]: r for r in panel["rows"]}
    services = [
        s for s in world["services"] if s.stage != Stage.CANCELLED and _in_period(timezone.localdate(s.created_at))
    ]
    ids = {s.pk for s in services}
    fees = sum((b.amount for b in world["budget_lines"] if b.service_id in ids and b.kind == "fees"), ZERO)
    assert rows["assistance"]["fees"] == fees
    assert rows["assistance"]["revenue"] == Decimal("600") * len(services)
    offerings = {o.pk: o for o in world["offerings"] if _in_period(o.starts_on) and o.status != "cancelled"}
    people = [e for e in world["enrolments"] if e.offering_id in offerings and e.status == "enrolled"]
    assert rows["training"]["subsidy"] == sum((offerings[e.offering_id].subsidy for e in people), ZERO)
    income = sum((e.amount for e in world["ledger"] if _in_period(e.date) and e.kind in ("interest", "fee")), ZERO)
    assert rows["credit"]["revenue"] == to_money(income)


def _count_queries(user) -> list[str]:
    fresh = type(user).objects.get(pk=user.pk)  # nothing cached on the user from an earlier call
    # As in a request, the centres' settings are read once (core.selectors.SettingsCacheMiddleware).
    core_selectors._request.active, core_selectors._request.settings = True, None
    try:
        with CaptureQueriesContext(connection) as queries:
            selectors.dashboard(fresh, FROM, TO)
    finally:
        core_selectors._request.active, core_selectors._request.settings = False, None
    return [q["sql"] for q in queries.captured_queries]


def test_the_dashboard_runs_as_many_queries_with_ten_times_the_data(lima, huancayo, national_manager):
    builder = UserFactory(username="builder")
    build_world(lima, huancayo, builder, scale=1, seed=1)
    small = _count_queries(national_manager)
    build_world(lima, huancayo, builder, scale=10, seed=2)
    assert len(_count_queries(national_manager)) == len(small)
    assert len(small) <= 20, "\n".join(small)
