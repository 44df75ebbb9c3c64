"""Exact money arithmetic: Decimal only, half-up rounding, VAT per rate (DESIGN §5)."""
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


def to_decimal(value: Decimal | int | str) -> Decimal:
    """Return value as a Decimal; floats are refused because they are inexact."""
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError(f"refusing inexact value {value!r}: use Decimal or str")
    return value if isinstance(value, Decimal) else Decimal(value)


def round_money(value: Decimal) -> Decimal:
    """Round to the cent, half away from zero (half-up as accountants mean it)."""
    return to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def percent_of(amount: Decimal, percent: Decimal) -> Decimal:
    """Return percent % of amount, rounded to the cent."""
    return round_money(to_decimal(amount) * to_decimal(percent) / HUNDRED)


def line_net(quantity: Decimal, unit_price: Decimal, discount_percent: Decimal = ZERO) -> Decimal:
    """Net amount of one line: quantity × unit price less the discount, rounded to the cent."""
    gross = to_decimal(quantity) * to_decimal(unit_price)
    return round_money(gross * (HUNDRED - to_decimal(discount_percent)) / HUNDRED)


@dataclass(frozen=True)
class VatGroup:
    """The lines of one VAT rate: their summed net and the VAT on that sum."""

    rate: Decimal
    net: Decimal
    vat: Decimal


@dataclass(frozen=True)
class Totals:
    """Totals of a document: net, VAT and gross, with the breakdown per rate."""

    net: Decimal
    vat: Decimal
    gross: Decimal
    groups: tuple[VatGroup, ...]


def compute_totals(lines: Iterable[tuple[Decimal, Decimal]]) -> Totals:
    """Totals of (net, VAT rate %) pairs: VAT rounded once per rate on that rate's net sum."""
    nets_by_rate: dict[Decimal, Decimal] = defaultdict(lambda: ZERO)
    for net, rate in lines:
        nets_by_rate[to_decimal(rate)] += to_decimal(net)
    groups = tuple(
        VatGroup(rate=rate, net=round_money(net), vat=percent_of(net, rate))
        for rate, net in sorted(nets_by_rate.items())
    )
    net = sum((g.net for g in groups), ZERO)
    vat = sum((g.vat for g in groups), ZERO)
    return Totals(net=net, vat=vat, gross=net + vat, groups=groups)
