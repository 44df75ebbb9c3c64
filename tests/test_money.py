"""Exact money arithmetic (DESIGN §5; INV-14, FX-03)."""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from erp.money import compute_totals, line_net, percent_of, round_money, to_decimal

D = Decimal
amounts = st.decimals(min_value=D("-1000000"), max_value=D("1000000"), places=2, allow_nan=False)
quantities = st.decimals(min_value=D("0.001"), max_value=D("10000"), places=3, allow_nan=False)
prices = st.decimals(min_value=D("0"), max_value=D("100000"), places=4, allow_nan=False)
rates = st.sampled_from([D("0"), D("2.1"), D("5.5"), D("10"), D("20")])


@pytest.mark.parametrize("value, expected", [
    ("0.005", "0.01"), ("0.004", "0.00"), ("2.675", "2.68"), ("-0.005", "-0.01"), ("1.115", "1.12"),
    ("1234.565", "1234.57"),
])
def test_round_money_is_half_up_to_the_cent(value, expected):
    """Half-up rounding to the cent, including the binary-float trap 2.675."""
    assert round_money(D(value)) == D(expected)


def test_floats_are_refused():
    """A float never enters the arithmetic: it is inexact."""
    with pytest.raises(TypeError):
        to_decimal(0.1)
    with pytest.raises(TypeError):
        line_net(1.5, D("10"))


def test_vat_is_computed_per_rate_on_the_sum_of_line_nets():
    """INV-14 / EN 16931: VAT per rate on the summed nets, not the sum of rounded line VATs."""
    # three lines of 0.05 € at 10 %: per-line VAT would be 3 × 0.01 = 0.03; on the sum it is 0.015 → 0.02
    totals = compute_totals([(D("0.05"), D("10"))] * 3)
    assert totals.groups[0].net == D("0.15")
    assert totals.groups[0].vat == D("0.02")
    assert totals.gross == D("0.17")


def test_mixed_rates_give_one_group_per_rate_sorted():
    """A staircase at 20 % and works in a home at 10 % give two VAT groups (VAT-05)."""
    totals = compute_totals([(D("1200.00"), D("20")), (D("350.50"), D("10")), (D("99.99"), D("20"))])
    assert [(g.rate, g.net, g.vat) for g in totals.groups] == [
        (D("10"), D("350.50"), D("35.05")), (D("20"), D("1299.99"), D("260.00"))]
    assert (totals.net, totals.vat, totals.gross) == (D("1650.49"), D("295.05"), D("1945.54"))


def test_line_net_applies_discount_then_rounds_once():
    """Quantity × price less discount, rounded once at the end."""
    assert line_net(D("3"), D("33.3333"), D("10")) == D("90.00")
    assert line_net(D("2.5"), D("12.34"), D("0")) == D("30.85")
    assert line_net(D("0.333"), D("1"), D("0")) == D("0.33")


@given(st.lists(st.tuples(amounts, rates), max_size=30))
def test_totals_are_the_sum_of_their_parts(lines):
    """Net = Σ group nets = Σ line nets; gross = net + VAT; VAT per group within half a cent of exact."""
    totals = compute_totals(lines)
    assert totals.net == sum((net for net, _ in lines), D("0"))
    assert totals.net == sum((g.net for g in totals.groups), D("0"))
    assert totals.vat == sum((g.vat for g in totals.groups), D("0"))
    assert totals.gross == totals.net + totals.vat
    for group in totals.groups:
        assert abs(group.vat - group.net * group.rate / 100) <= D("0.005")
        assert group.vat == group.vat.quantize(D("0.01"))


@given(quantities, prices, st.decimals(min_value=D("0"), max_value=D("100"), places=2, allow_nan=False))
def test_line_net_is_exact_to_the_cent(quantity, price, discount):
    """A line net is the exact product rounded half-up: never off by more than half a cent."""
    net = line_net(quantity, price, discount)
    exact = quantity * price * (100 - discount) / 100
    assert net == net.quantize(D("0.01"))
    assert abs(net - exact) <= D("0.005")


@given(amounts, st.decimals(min_value=D("0"), max_value=D("100"), places=2, allow_nan=False))
def test_percent_of_rounds_half_up(amount, percent):
    """A deposit of p % of an amount is rounded half-up to the cent."""
    result = percent_of(amount, percent)
    assert abs(result - amount * percent / 100) <= D("0.005")
