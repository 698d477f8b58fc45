# ruff: noqa: E501 - the expected messages read best whole
"""Every rule of every category at its boundary: just below, at, just above, with its Spanish message.

The contest holds the seed's categories (Directiva General N° 001-2021-PRODUCE) as data;
the UIT is S/ 5,500. A plan inside every rule has no problems; moving one figure across
one boundary names that rule, and only the rules that figure moves.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from funds import eligibility
from funds.models import AEO, BusinessPlan
from funds.tests.factories import add_members, aeo_with, chain, contest_in

pytestmark = pytest.mark.django_db

M = Decimal
ON = datetime.date(2026, 6, 15)
ONE_YEAR_AGO = datetime.date(2025, 6, 15)
SALES_INSIDE = M("110000")

# A plan comfortably inside each category: public co-financing, money and in kind.
INSIDE = {
    "A": {"public": M("100000"), "money": M("20000"), "in_kind": M("30000"), "members": 12},
    "B": {"public": M("100000"), "money": M("20000"), "in_kind": M("30000"), "members": 0},
    "C": {"public": M("200000"), "money": M("100000"), "in_kind": M("120000"), "members": 25},
}


@pytest.fixture(autouse=True)
def spanish():
    with translation.override("es"):
        yield


@pytest.fixture
def contest(lima):
    return contest_in(lima)


def make_plan(contest, code, *, members=None, founded_on=ONE_YEAR_AGO - datetime.timedelta(days=400), sales=SALES_INSIDE,
              public=None, money=None, in_kind=None):  # fmt: skip
    inside = INSIDE[code]
    public = inside["public"] if public is None else public
    money = inside["money"] if money is None else money
    in_kind = inside["in_kind"] if in_kind is None else in_kind
    members = inside["members"] if members is None else members
    if code == "B":
        aeo = aeo_with(0, centre=contest.centre, kind=AEO.Kind.LEGAL, ruc="20123456789", founded_on=founded_on,
                       annual_sales=sales)  # fmt: skip
    else:
        aeo = aeo_with(0, centre=contest.centre, founded_on=founded_on, annual_sales=sales)
        add_members(aeo, members)
    return BusinessPlan.objects.create(
        contest=contest, centre=contest.centre, aeo=aeo, chain=chain("Cacao"),
        category=contest.categories.get(code=code), title=f"Plan {code}",
        public_amount=public, counterpart_money=money, counterpart_in_kind=in_kind,
        total_investment=public + money + in_kind,
    )  # fmt: skip


@pytest.mark.parametrize("code", ["A", "B", "C"])
def test_a_plan_inside_every_rule_of_its_category_is_eligible(contest, code):
    assert eligibility.problems(make_plan(contest, code), on=ON) == []


# (category, figures of the plan, the message or None when eligible)
MEMBERS = [
    ("A", {"members": 9}, "El AEO tiene 9 miembros; la categoría A exige al menos 10."),
    ("A", {"members": 10}, None),
    ("A", {"members": 11}, None),
    ("C", {"members": 19}, "El AEO tiene 19 miembros; la categoría C exige al menos 20."),
    ("C", {"members": 20}, None),
    ("C", {"members": 21}, None),
]
DAY = datetime.timedelta(days=1)
AGE = [
    ("B", {"founded_on": ONE_YEAR_AGO + DAY}, "El AEO tiene 0 años de existencia; la categoría B exige al menos 1."),
    ("B", {"founded_on": ONE_YEAR_AGO}, None),
    ("B", {"founded_on": ONE_YEAR_AGO - DAY}, None),
    ("C", {"founded_on": ONE_YEAR_AGO + DAY}, "El AEO tiene 0 años de existencia; la categoría C exige al menos 1."),
    ("C", {"founded_on": ONE_YEAR_AGO}, None),
    ("C", {"founded_on": ONE_YEAR_AGO - DAY}, None),
]
# 5 UIT = S/ 27,500 and 1,000 UIT = S/ 5,500,000 at S/ 5,500 the UIT.
SALES = [
    ("C", {"sales": M("27499.99")}, "Las ventas anuales son 4.99 UIT; la categoría C exige al menos 5 UIT."),
    ("C", {"sales": M("27500")}, None),
    ("C", {"sales": M("27500.01")}, None),
    ("C", {"sales": M("5499999.99")}, None),
    ("C", {"sales": M("5500000")}, None),
    (
        "C",
        {"sales": M("5500000.01")},
        "Las ventas anuales son 1,000.01 UIT; la categoría C admite como máximo 1,000 UIT.",
    ),
]


def _scaled(code, public):
    """The public co-financing ``public`` with the counterpart in the same proportions as INSIDE (shares stay in)."""
    inside = INSIDE[code]
    ratio = public / inside["public"]
    return {"public": public, "money": (inside["money"] * ratio).quantize(M("0.01")),
            "in_kind": (inside["in_kind"] * ratio).quantize(M("0.01"))}  # fmt: skip


def _cofinancing(code, low, high):
    below, above = M(low) - M("0.01"), M(high) + M("0.01")
    return [
        (code, _scaled(code, below), f"El cofinanciamiento solicitado es S/ {below:,.2f}; la categoría {code} exige al menos S/ {M(low):,.2f}."),
        (code, _scaled(code, M(low)), None),
        (code, _scaled(code, M(low) + M("0.01")), None),
        (code, _scaled(code, M(high) - M("0.01")), None),
        (code, _scaled(code, M(high)), None),
        (code, _scaled(code, above), f"El cofinanciamiento solicitado es S/ {above:,.2f}; la categoría {code} admite como máximo S/ {M(high):,.2f}."),
    ]  # fmt: skip


COFINANCING = (
    _cofinancing("A", "80000", "160000") + _cofinancing("B", "80000", "350000") + _cofinancing("C", "100000", "1000000")
)


def _shares(code, total, counterpart_min, monetary_min):
    """Around the minimum counterpart (in kind moves) and the minimum monetary counterpart (money moves)."""
    total = M(total)
    at_counterpart = total * M(counterpart_min) / 100
    money = total * M(monetary_min) / 100 + M("1000")  # comfortably above its own minimum
    at_money = total * M(monetary_min) / 100
    rows = []
    for delta, ok in ((M("-0.01"), False), (M("0"), True), (M("0.01"), True)):
        counterpart = at_counterpart + delta
        expected = None
        if not ok:
            expected = [
                f"La contrapartida es {counterpart_min_shown(counterpart_min)} %; la categoría {code} exige al menos {counterpart_min} %.",
                f"El cofinanciamiento público es {public_max_shown(counterpart_min)} %; la categoría {code} admite como máximo {100 - int(counterpart_min)} %.",
            ]
        rows.append((code, {"public": total - counterpart, "money": money, "in_kind": counterpart - money}, expected))
    for delta, ok in ((M("-0.01"), False), (M("0"), True), (M("0.01"), True)):
        in_kind = at_counterpart  # the counterpart at least at its minimum whatever the money
        m = at_money + delta
        expected = (
            None
            if ok
            else (
                f"La contrapartida monetaria es {counterpart_min_shown(monetary_min)} %; la categoría {code} exige al menos {monetary_min} %."
            )
        )
        rows.append((code, {"public": total - in_kind - m, "money": m, "in_kind": in_kind}, expected))
    return rows  # fmt: skip


def counterpart_min_shown(limit):
    """One cent below a whole percentage of a six-figure total shows as the percentage minus 0.01."""
    return f"{int(limit) - 1}.99"


def public_max_shown(counterpart_min):
    return f"{100 - int(counterpart_min)}.01"


SHARES = _shares("A", "150000", "20", "5") + _shares("B", "300000", "30", "10") + _shares("C", "400000", "50", "20")


@pytest.mark.parametrize(("code", "figures", "expected"), MEMBERS + AGE + SALES + COFINANCING + SHARES)
def test_each_category_rule_at_its_boundary(contest, code, figures, expected):
    found = eligibility.problems(make_plan(contest, code, **figures), on=ON)

    if expected is None:
        assert found == []
    else:
        assert found == (expected if isinstance(expected, list) else [expected])


def test_the_seed_example_a_monetary_counterpart_of_4_percent_in_category_a(contest):
    plan = make_plan(contest, "A", public=M("114000"), money=M("6000"), in_kind=M("30000"))

    assert eligibility.problems(plan, on=ON) == [
        "La contrapartida monetaria es 4 %; la categoría A exige al menos 5 %."
    ]


def test_category_b_is_for_legal_persons_only(contest):
    plan = make_plan(contest, "A")
    plan.category = contest.categories.get(code="B")

    assert "La categoría B es para personas jurídicas; este AEO es un grupo de personas naturales." in (
        eligibility.problems(plan, on=ON)
    )


def test_the_rules_are_data_a_coordinator_may_change(contest):
    category = contest.categories.get(code="A")
    category.min_members = 15
    category.save()

    found = eligibility.problems(make_plan(contest, "A", members=12), on=ON)

    assert found == ["El AEO tiene 12 miembros; la categoría A exige al menos 15."]


def test_a_group_without_its_board_or_minutes_and_outside_the_priorities_is_told_each_thing(contest):
    contest.zones = "Calca\nQuispicanchi"
    contest.save()
    plan = make_plan(contest, "A", members=0)
    plan.aeo.members.create(dni="41111111", full_name="Rosa Quispe", board_role="president")
    plan.aeo.minutes = ""
    plan.aeo.save()
    plan.chain = chain("Quinua")

    found = eligibility.problems(plan, on=ON)

    assert found == [
        "La cadena productiva Quinua no está priorizada en esta convocatoria.",
        "La provincia La Convención no es una zona priorizada de esta convocatoria.",
        "La junta directiva del AEO no tiene secretario.",
        "La junta directiva del AEO no tiene tesorero.",
        "Falta el acta de constitución certificada del AEO.",
        "El AEO tiene 1 miembros; la categoría A exige al menos 10.",
    ]
