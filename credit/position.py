"""The fund's position on a date, from the ledger alone."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from core.money import ZERO

# What each kind of entry does to the cash the operator has to lend.
CASH_SIGN = {
    "capital_in": 1,
    "disbursement": -1,
    "principal": 1,
    "interest": 1,
    "fee": 1,
    "write_off": 0,  # the money was already out: a write-off changes what is owed, not the cash
    "margin_paid": -1,
    "capital_returned": -1,
    "capital_ceded": -1,
}


@dataclass
class Position:
    as_of: datetime.date
    totals: dict[str, Decimal] = field(default_factory=dict)  # kind -> sum of amounts (reversals included)

    def __getattr__(self, kind: str) -> Decimal:
        if kind in CASH_SIGN:
            return self.totals.get(kind, ZERO)
        raise AttributeError(kind)

    @property
    def capital(self) -> Decimal:
        return self.capital_in

    @property
    def returned(self) -> Decimal:
        return self.capital_returned + self.capital_ceded

    @property
    def outstanding_principal(self) -> Decimal:
        return self.disbursement - self.principal - self.write_off

    @property
    def available(self) -> Decimal:
        """Cash to lend: every entry's amount with the sign of what it does to the cash."""
        return sum((amount * CASH_SIGN[kind] for kind, amount in self.totals.items()), ZERO)

    @property
    def income(self) -> Decimal:
        return self.interest + self.fee


def position_from_rows(rows, as_of: datetime.date) -> dict[int, Position]:
    """``rows``: (operator_id, kind, total) as the ledger's aggregate gives them."""
    positions: dict[int, Position] = {}
    for operator_id, kind, total in rows:
        positions.setdefault(operator_id, Position(as_of)).totals[kind] = total or ZERO
    return positions
