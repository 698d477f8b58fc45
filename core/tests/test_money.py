from decimal import Decimal

from core.money import format_money, to_money


def test_money_rounds_half_up_to_the_cent():
    assert to_money("2.345") == Decimal("2.35")
    assert to_money("2.344") == Decimal("2.34")
    assert to_money(Decimal("-2.345")) == Decimal("-2.35")


def test_floats_do_not_bring_binary_noise_into_money():
    # 1.005 as a binary float is 1.00499999...; the centre means one sol and half a cent.
    assert to_money(1.005) == Decimal("1.01")


def test_money_is_shown_in_soles_or_dollars_with_peruvian_separators():
    assert format_money(Decimal("1234.5")) == "S/ 1,234.50"
    assert format_money(Decimal("1234.5"), "USD") == "US$ 1,234.50"
    assert format_money(None) == "S/ 0.00"
