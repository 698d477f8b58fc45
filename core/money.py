"""Money is Decimal, rounded half-up to the cent in this one place."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# Money columns: DecimalField(**MONEY), up to 999,999,999,999.99.
MONEY = {"max_digits": 14, "decimal_places": 2}


def to_money(value) -> Decimal:
    """Round a number to two decimals, half-up, as the centre's receipts do."""
    if value is None:
        return ZERO
    if isinstance(value, float):
        # Never let a binary float leak into money: go through its shortest repr.
        value = repr(value)
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(value, currency: str = "PEN") -> str:
    """S/ 1,234.56 for soles, US$ 1,234.56 for dollars."""
    symbol = "US$" if currency == "USD" else "S/"
    return f"{symbol} {to_money(value):,.2f}"
