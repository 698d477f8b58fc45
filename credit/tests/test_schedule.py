"""Schedules against an independent computation in exact fractions, for many amounts, rates and terms."""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from hypothesis import example, given, settings
from hypothesis import strategies as st

from credit.schedule import add_months, annuity_payment, build_schedule, fee_for

amounts = st.decimals(min_value=Decimal("100"), max_value=Decimal("500000"), places=2)
rates = st.decimals(min_value=Decimal("0"), max_value=Decimal("10"), places=3)
terms = st.integers(min_value=1, max_value=60)


def cents(value: Fraction) -> Decimal:
    """Round an exact fraction half-up to the cent, with no Decimal arithmetic on the way."""
    scaled = value * 100
    whole = scaled.numerator // scaled.denominator
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    return Decimal(whole) / 100


def independent_payment(principal: Decimal, rate_percent: Decimal, months: int) -> Decimal:
    p, r = Fraction(principal), Fraction(rate_percent) / 100
    if r == 0:
        return cents(p / months)
    return cents(p * r / (1 - 1 / (1 + r) ** months))


def test_the_seed_loan_of_1000_soles_at_3_5_percent_for_6_months_pays_187_67_a_month():
    lines = build_schedule(principal=Decimal("1000"), monthly_rate=Decimal("3.5"), months=6)
    assert [line.payment for line in lines[:5]] == [Decimal("187.67")] * 5
    assert lines[0].interest == Decimal("35.00")
    assert lines[0].principal == Decimal("152.67")
    assert sum(line.principal for line in lines) == Decimal("1000.00")
    assert lines[-1].balance == 0


@settings(max_examples=300, deadline=None)
@given(amounts, rates, terms)
@example(Decimal("100.00"), Decimal("0.015"), 1)  # exactly 100.015: half a cent, rounded up
def test_the_annuity_payment_equals_the_exact_formula_rounded_half_up(principal, rate, months):
    assert annuity_payment(principal, rate, months) == independent_payment(principal, rate, months)


@settings(max_examples=300, deadline=None)
@given(amounts, rates, terms, st.sampled_from(["declining", "flat"]), st.integers(min_value=0, max_value=3))
def test_principal_sums_exactly_to_the_amount_lent_and_every_line_is_in_cents(principal, rate, months, method, grace):
    grace = min(grace, months - 1)
    lines = build_schedule(principal=principal, monthly_rate=rate, months=months, method=method, grace_months=grace)
    assert len(lines) == months
    assert sum(line.principal for line in lines) == principal
    assert lines[-1].balance == 0
    for line in lines:
        assert line.principal >= 0 and line.interest >= 0
        assert line.payment == line.principal + line.interest
        assert line.payment == line.payment.quantize(Decimal("0.01"))
    assert all(line.principal == 0 for line in lines[:grace])


@settings(max_examples=200, deadline=None)
@given(amounts, rates, terms)
def test_declining_balance_interest_is_the_balance_times_the_rate_and_payments_are_equal(principal, rate, months):
    lines = build_schedule(principal=principal, monthly_rate=rate, months=months)
    payment = independent_payment(principal, rate, months)
    balance = Fraction(principal)
    for line in lines:
        assert line.interest == cents(balance * Fraction(rate) / 100)
        if line.number < months:
            assert line.payment == payment
        balance -= Fraction(line.principal)
    # The last instalment absorbs the rounding: at most a cent a month, grown by the interest on it.
    growth = 1 + Fraction(rate) / 100
    bound = sum(Fraction(1, 100) * growth**k for k in range(1, months + 1))
    assert abs(Fraction(lines[-1].payment - payment)) <= bound


@settings(max_examples=200, deadline=None)
@given(amounts, rates, terms)
def test_flat_interest_is_the_amount_lent_times_the_rate_every_month(principal, rate, months):
    lines = build_schedule(principal=principal, monthly_rate=rate, months=months, method="flat")
    interest = cents(Fraction(principal) * Fraction(rate) / 100)
    assert all(line.interest == interest for line in lines)
    assert all(line.principal == cents(Fraction(principal) / months) for line in lines[:-1])


def test_the_fee_is_two_percent_rounded_half_up():
    assert fee_for(Decimal("1000"), Decimal("2")) == Decimal("20.00")
    assert fee_for(Decimal("1234.25"), Decimal("2")) == Decimal("24.69")  # 24.685 -> .69
    assert Decimal("24.685").quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) == Decimal("24.69")


def test_due_dates_are_a_month_apart_and_the_31st_becomes_the_last_day_of_a_short_month():
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2024, 1, 31), 2) == datetime.date(2024, 3, 31)
    lines = build_schedule(
        principal=Decimal("500"), monthly_rate=Decimal("3.5"), months=3, start=datetime.date(2024, 11, 15)
    )
    assert [line.due_date for line in lines] == [
        datetime.date(2024, 12, 15),
        datetime.date(2025, 1, 15),
        datetime.date(2025, 2, 15),
    ]
