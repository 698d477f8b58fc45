"""Repayment schedules: pure Decimal arithmetic, no database.

Declining balance (the default): the payment comes from the annuity formula, rounded
half-up to the cent; each month's interest is the balance times the rate, rounded to
the cent; principal is payment minus interest. Flat: each month's interest is the
principal lent times the rate; principal is the amount over the months. In both, the
last instalment takes whatever principal is left, so the principal of the schedule sums
exactly to the amount lent. During a grace period only interest is paid.
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from core.money import ZERO, to_money

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Line:
    number: int
    due_date: datetime.date | None
    payment: Decimal
    interest: Decimal
    principal: Decimal
    balance: Decimal  # principal still owed after this instalment


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later; the 31st becomes the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def fee_for(principal: Decimal, fee_rate: Decimal) -> Decimal:
    """The processing fee: a percentage of the principal, to the cent."""
    return to_money(Decimal(principal) * Decimal(fee_rate) / HUNDRED)


def annuity_payment(principal: Decimal, monthly_rate: Decimal, months: int) -> Decimal:
    """The equal payment that repays ``principal`` in ``months`` at ``monthly_rate`` percent.

    Computed as an exact fraction and only then rounded half-up: in Decimal, (1 + r) ** -n
    is cut at some digit, and a payment lying exactly on half a cent (S/ 100 at 0.015 % for
    a month is 100.015) would round down.
    """
    principal = Fraction(Decimal(principal))
    rate = Fraction(Decimal(monthly_rate)) / 100
    if rate == 0:
        return _cents_half_up(principal / months)
    growth = (1 + rate) ** months
    return _cents_half_up(principal * rate * growth / (growth - 1))


def _cents_half_up(value: Fraction) -> Decimal:
    """A non-negative exact fraction to the cent, half-up."""
    scaled = value * 100 + Fraction(1, 2)
    return to_money(Decimal(scaled.numerator // scaled.denominator) / 100)


def build_schedule(
    *,
    principal: Decimal,
    monthly_rate: Decimal,
    months: int,
    method: str = "declining",
    grace_months: int = 0,
    start: datetime.date | None = None,
) -> list[Line]:
    """The instalments of a loan; due dates a month apart from ``start`` when it is given."""
    principal = to_money(principal)
    rate = Decimal(monthly_rate) / HUNDRED
    amortising = months - grace_months
    if principal <= 0 or months < 1 or grace_months < 0 or amortising < 1:
        raise ValueError("a schedule needs a positive principal and at least one month of repayment")
    balance = principal
    lines: list[Line] = []
    payment = annuity_payment(principal, monthly_rate, amortising)
    flat_interest = to_money(principal * rate)
    flat_principal = to_money(principal / amortising)
    for number in range(1, months + 1):
        due = add_months(start, number) if start else None
        interest = flat_interest if method == "flat" else to_money(balance * rate)
        if number <= grace_months:
            part = ZERO
        elif number == months:
            part = balance  # the last instalment absorbs the rounding
        elif method == "flat":
            part = flat_principal
        else:
            part = payment - interest
        balance -= part
        lines.append(Line(number, due, part + interest, interest, part, balance))
    return lines


def simulate(*, principal, monthly_rate, months: int, method: str = "declining", fee_rate=ZERO, grace_months=0) -> dict:
    """What a loan would cost, as the simulator page and API show it (amounts as strings, two places)."""
    lines = build_schedule(
        principal=principal, monthly_rate=monthly_rate, months=months, method=method, grace_months=grace_months
    )
    money = "{:.2f}".format
    return {
        "principal": money(to_money(principal)),
        "fee": money(fee_for(principal, fee_rate)),
        "installments": [
            {
                "number": line.number,
                "payment": money(line.payment),
                "interest": money(line.interest),
                "principal": money(line.principal),
                "balance": money(line.balance),
            }  # fmt: skip
            for line in lines
        ],
        "total_interest": money(sum((line.interest for line in lines), ZERO)),
        "total_payment": money(sum((line.payment for line in lines), ZERO)),
    }
