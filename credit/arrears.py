"""Arrears and portfolio at risk as of any date, recomputed from the schedule and the allocations.

Nothing here reads "today": every figure takes the date it is wanted for, so last
March's portfolio at risk is what it was in March, whatever was paid since. The
functions take loans with ``instalments`` and their ``allocations`` (with the
repayment) prefetched, as ``selectors.loans_for_portfolio`` gives them.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from core.money import ZERO, to_money

# (first day late, label): a loan is in the last bucket whose first day it has reached.
BUCKETS = [(0, "0"), (1, "1-30"), (31, "31-60"), (61, "61-90"), (91, ">90")]


def bucket_for(days_late: int) -> str:
    label = BUCKETS[0][1]
    for first_day, name in BUCKETS:
        if days_late >= first_day:
            label = name
    return label


@dataclass(frozen=True)
class LoanState:
    loan: object
    outstanding_principal: Decimal
    days_late: int
    overdue_amount: Decimal  # what fell due and is unpaid (fee, interest and principal)

    @property
    def bucket(self) -> str:
        return bucket_for(self.days_late)


def _paid_until(instalment, as_of: datetime.date) -> tuple[Decimal, Decimal]:
    """(principal, everything) paid on an instalment by repayments dated on or before ``as_of``."""
    principal = total = ZERO
    for allocation in instalment.allocations.all():
        if allocation.repayment.date <= as_of:
            principal += allocation.principal
            total += allocation.principal + allocation.interest + allocation.fee
    return principal, total


def loan_state(loan, as_of: datetime.date) -> LoanState | None:
    """Where a loan stood at the end of ``as_of``; None when it was not in the portfolio then
    (not yet paid out, or already written off)."""
    if loan.disbursed_on is None or loan.disbursed_on > as_of:
        return None
    if loan.written_off_on is not None and loan.written_off_on <= as_of:
        return None
    principal_paid = ZERO
    days_late = 0
    overdue = ZERO
    for instalment in loan.instalments.all():
        principal, total = _paid_until(instalment, as_of)
        principal_paid += principal
        if instalment.due_date < as_of and total < instalment.total_due:
            overdue += instalment.total_due - total
            days_late = max(days_late, (as_of - instalment.due_date).days)
    return LoanState(loan, loan.amount - principal_paid, days_late, overdue)


@dataclass
class Portfolio:
    """Outstanding principal of the loans in the portfolio on a date, and how much of it is at risk."""

    as_of: datetime.date
    states: list[LoanState] = field(default_factory=list)

    @property
    def active(self) -> list[LoanState]:
        return [s for s in self.states if s.outstanding_principal > 0]

    @property
    def outstanding(self) -> Decimal:
        return sum((s.outstanding_principal for s in self.active), ZERO)

    def at_risk(self, more_than_days: int) -> Decimal:
        """Outstanding principal of the loans with an instalment more than ``more_than_days`` late."""
        return sum((s.outstanding_principal for s in self.active if s.days_late > more_than_days), ZERO)

    def par(self, more_than_days: int) -> Decimal | None:
        """Portfolio at risk, in percent to two places (None: nothing outstanding)."""
        if not self.outstanding:
            return None
        return to_money(self.at_risk(more_than_days) * 100 / self.outstanding)

    def buckets(self) -> list[dict]:
        rows = []
        for _first, name in BUCKETS:
            states = [s for s in self.active if s.bucket == name]
            rows.append(
                {
                    "bucket": name,
                    "loans": len(states),
                    "principal": sum((s.outstanding_principal for s in states), ZERO),
                }
            )
        return rows


def portfolio(loans: Iterable, as_of: datetime.date) -> Portfolio:
    states = [state for state in (loan_state(loan, as_of) for loan in loans) if state is not None]
    return Portfolio(as_of, states)
