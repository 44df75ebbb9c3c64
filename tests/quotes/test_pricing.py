"""Quote totals, VAT per rate, regimes, and the internal estimate (INV-14, DEV-05..07, VAT-05, INV-15)."""
from datetime import date
from decimal import Decimal

import pytest

from erp.auth.models import Role
from erp.catalog.models import Nature, Unit
from erp.errors import ValidationFailed
from erp.quotes import services
from erp.settings.models import VatRegime
from erp.settings.services import get_school

D = Decimal


def test_totals_add_up_per_vat_rate(make_quote):
    """DEV-07 / INV-14: HT per rate, VAT per rate on the sum of nets, TTC = HT + TVA; cached on the quote."""
    quote = make_quote(lines=[(D("3"), D("0.05"), D("10.00")), (D("1"), D("0.05"), D("10.00")),
                              (D("2.5"), D("12.34"), D("20.00")), (D("1"), D("1200"), D("5.50"))])
    totals = quote.totals()
    assert [(g.rate, g.net, g.vat) for g in totals.groups] == [
        (D("5.50"), D("1200.00"), D("66.00")), (D("10.00"), D("0.20"), D("0.02")), (D("20.00"), D("30.85"), D("6.17"))]
    assert (quote.total_net, quote.total_vat, quote.total_gross) == (D("1231.05"), D("72.19"), D("1303.24"))


def test_discount_is_applied_to_the_line_net(make_quote):
    """A 15 % discount on 3 × 33.3333 € gives 85.00 € net, rounded once."""
    quote = make_quote(lines=[])
    line = services.add_line(None, quote, version=quote.version, label="Garde-corps", quantity=D("3"),
                             unit=Unit.METRE, unit_price=D("33.3333"), discount_percent=D("15"),
                             vat_rate=D("20.00"), nature=Nature.SERVICES)
    assert line.net == D("85.00")


@pytest.mark.parametrize("field, values", [
    ("quantity", {"quantity": D("0")}),
    ("quantity", {"quantity": D("-1")}),
    ("quantity", {"quantity": D("1000001")}),
    ("unit_price", {"unit_price": D("-0.01")}),
    ("discount_percent", {"discount_percent": D("100.01")}),
    ("vat_rate", {"vat_rate": D("19.60")}),
    ("label", {"label": "   "}),
])
def test_bad_lines_are_refused(db, make_quote, field, values):
    """Zero, negative or huge quantities, negative prices, a foreign VAT rate, an empty label: refused."""
    quote = make_quote(lines=[])
    line = dict(label="Ligne", quantity=D("1"), unit=Unit.PIECE, unit_price=D("10"), vat_rate=D("20.00"),
                nature=Nature.SERVICES) | values
    with pytest.raises(ValidationFailed) as error:
        services.add_line(None, quote, version=quote.version, **line)
    assert error.value.field == field


def test_franchise_school_charges_no_vat(db, make_quote):
    """INV-15: under the art. 293 B franchise every line is at 0 % whatever is typed."""
    get_school().vat_regime = VatRegime.FRANCHISE
    db.session.commit()
    quote = make_quote(lines=[(D("2"), D("50"), D("20.00"))])
    assert quote.lines[0].vat_rate == D("0.00")
    assert (quote.total_net, quote.total_vat, quote.total_gross) == (D("100.00"), D("0.00"), D("100.00"))


def test_estimate_and_margin(make_quote, make_user, db):
    """Estimated cost = materials + (student + craftsman hours) × rate + other costs; margin = price − cost."""
    from erp.catalog.models import Material

    quote = make_quote(lines=[(D("1"), D("1000.00"), D("20.00"))])
    steel = Material(code="TUBE", label="Tube", unit=Unit.METRE, unit_cost=D("6.8000"))
    db.session.add(steel)
    services.add_material(None, quote, version=quote.version, material=steel, quantity=D("12.5"))
    services.set_estimate(None, quote, version=quote.version, student_hours=D("10"), craftsman_hours=D("2.5"),
                          labour_rate=D("45.00"), other_costs=D("30.00"), other_costs_note="Galvanisation")
    assert quote.estimated_cost == D("85.00") + D("562.50") + D("30.00")
    assert quote.margin == D("1000.00") - D("677.50")
    assert quote.margin_percent == D("32.3")
    steel.unit_cost = D("99")  # the estimate keeps the cost it was made with
    services.refresh_totals(quote)
    assert quote.estimated_cost == D("677.50")


def test_price_below_cost_is_flagged(client, login, db, make_quote):
    """A clear warning on the quote page when the price does not cover the estimate."""
    user = login(Role.DIRECTOR)
    quote = make_quote(lines=[(D("1"), D("100.00"), D("20.00"))])
    services.set_estimate(user, quote, version=quote.version, student_hours=D("10"), craftsman_hours=D("0"),
                          labour_rate=D("45"), other_costs=D("0"), other_costs_note="")
    db.session.commit()
    page = client.get(f"/quotes/{quote.id}").get_data(as_text=True)
    assert "350,00" in page and "Le prix est inférieur au coût estimé" in page


def test_quote_numbers_follow_each_other_per_year(make_quote):
    """D-YYYY-NNNN, consecutive within a year, restarting at 1 the next year."""
    first, second = make_quote(), make_quote()
    next_year = make_quote(today=date(2027, 1, 3))
    assert (first.number, second.number, next_year.number) == ("D-2026-0001", "D-2026-0002", "D-2027-0001")
